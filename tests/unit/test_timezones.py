from __future__ import annotations

from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import UnknownTimeZone
from bot.domain.timezones import resolve_zone, search_zones


@pytest.mark.parametrize(("typed", "key"), [
    ("Europe/London", "Europe/London"), ("europe/london", "Europe/London"), ("London", "Europe/London"),
    ("new york", "America/New_York"), ("New_York", "America/New_York"), ("sao paulo", "America/Sao_Paulo"),
    ("UTC", "UTC"), ("uk", "Europe/London"), ("india", "Asia/Kolkata"), ("US/Eastern", "US/Eastern"),
    ("Port-au-Prince", "America/Port-au-Prince"),
])
def test_resolve_zone_is_forgiving(typed, key):
    assert resolve_zone(typed) == key


@pytest.mark.parametrize("typed", ["", "   ", "Atlantis", "Mars/Olympus", "GMT+25"])
def test_unknown_zone_is_a_clear_error(typed):
    with pytest.raises(UnknownTimeZone) as refused:
        resolve_zone(typed)
    assert "I don't know the time zone" in refused.value.message


def test_a_typo_gets_suggestions():
    with pytest.raises(UnknownTimeZone) as refused:
        resolve_zone("Sidney")
    assert "Australia/Sydney" in refused.value.suggestions


def test_search_ranks_the_exact_city_first_and_caps_at_25():
    assert search_zones("paris")[0] == "Europe/Paris"
    assert len(search_zones("a")) == 25
    assert search_zones("america/")[:1] and all(k.startswith("America/") for k in search_zones("america/"))


@given(st.text(max_size=40))
def test_search_only_returns_real_zones(typed):
    results = search_zones(typed)
    assert len(results) <= 25
    for key in results:
        ZoneInfo(key)


@given(st.sampled_from(sorted(available_timezones())))
def test_every_iana_key_resolves_to_itself(key):
    assert resolve_zone(key) == key

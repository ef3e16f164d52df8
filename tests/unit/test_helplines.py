from __future__ import annotations

import copy
import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.helplines import (
    DEFAULT_PATH,
    EMBED_FIELD_LIMIT,
    CountryHelplines,
    HelplineDataError,
    country_from_locale,
    load_helplines,
    parse_helplines,
)

REQUIRED = {"GB", "US", "CA", "AU", "IE", "IN", "DE", "FR"}
SHIPPED_RAW = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def helplines():
    return load_helplines()


def test_default_path_is_the_packaged_data_file():
    repository = Path(__file__).resolve().parents[2]
    assert repository / "bot" / "data" / "helplines.json" == DEFAULT_PATH
    assert DEFAULT_PATH.is_file()


def test_default_load_is_cached(helplines):
    assert load_helplines() is helplines


def test_every_required_country_and_the_fallback_are_present(helplines):
    assert set(helplines.codes) >= REQUIRED
    assert helplines.international.is_fallback
    assert helplines.international.services


def test_every_entry_has_an_emergency_number_services_a_source_and_a_checked_date(helplines):
    for country in [helplines.international, *(helplines.for_country(code) for code in helplines.codes)]:
        assert country.emergency.number.strip()
        assert re.match(r"https://", country.emergency.source)
        assert isinstance(country.emergency.checked, date)
        assert 1 <= len(country.services) <= 3, country.code
        for service in country.services:
            assert service.name and service.contacts
            assert service.source.startswith("https://")
            assert isinstance(service.checked, date)
            assert service.checked <= helplines.compiled


def test_the_file_is_honest_about_verification(helplines):
    if not helplines.live_verified:
        note = helplines.note.lower()
        assert "without live verification" in note
        assert "maintainer" in note and "source" in note


@pytest.mark.parametrize(("code", "expected"), [
    ("GB", ["116 123", "SHOUT to 85258"]),
    ("US", ["988", "HOME to 741741"]),
    ("CA", ["9-8-8"]),
    ("AU", ["13 11 14"]),
    ("IE", ["116 123", "HELLO to 50808"]),
    ("IN", ["14416"]),
    ("DE", ["0800 111 0 111", "0800 111 0 222"]),
    ("FR", ["3114"]),
])
def test_well_known_services_are_listed(helplines, code, expected):
    values = {contact.value for service in helplines.for_country(code).services for contact in service.contacts}
    assert set(expected) <= values


@pytest.mark.parametrize(("code", "number"), [
    ("GB", "999"), ("US", "911"), ("CA", "911"), ("AU", "000"), ("IE", "112"), ("IN", "112"), ("DE", "112"),
    ("FR", "112"),
])
def test_emergency_numbers(helplines, code, number):
    assert helplines.for_country(code).emergency.number == number


@pytest.mark.parametrize(("code", "expected"), [
    ("GB", "GB"), ("gb", "GB"), (" Gb ", "GB"), ("UK", "GB"), ("uk", "GB"), ("us", "US"), ("In", "IN"),
    ("fr", "FR"), ("DE", "DE"),
])
def test_for_country_is_case_insensitive_and_knows_uk(helplines, code, expected):
    assert helplines.for_country(code).code == expected


@pytest.mark.parametrize("code", [None, "", "  ", "ZZ", "XX", "JP", "intl", "INTL", "United Kingdom", "G"])
def test_unknown_or_missing_country_gets_the_international_fallback(helplines, code):
    fallback = helplines.for_country(code)
    assert fallback is helplines.international
    assert any("findahelpline.com" in line for line in fallback.format_lines())


@given(st.one_of(st.none(), st.text(max_size=20)))
def test_for_country_never_fails(code):
    assert isinstance(load_helplines().for_country(code), CountryHelplines)


@pytest.mark.parametrize(("locale", "country"), [
    ("en-GB", "GB"), ("en-US", "US"), ("de", "DE"), ("fr", "FR"), ("hi", "IN"), ("pt-BR", "BR"), ("es-ES", "ES"),
    ("sv-SE", "SE"), ("zh-CN", "CN"), ("zh-TW", "TW"), ("ja", "JP"), ("ko", "KR"), ("it", "IT"), ("nl", "NL"),
    ("en_gb", "GB"), ("EN-us", "US"), ("uk", "UA"), ("en", None), ("es-419", None), ("es", None), ("pt", None),
    ("zh", None), (None, None), ("", None), ("klingon", None),
])
def test_country_from_discord_locale(locale, country):
    assert country_from_locale(locale) == country


@given(st.one_of(st.none(), st.text(max_size=20)))
def test_country_from_locale_never_fails(locale):
    result = country_from_locale(locale)
    assert result is None or re.fullmatch(r"[A-Z]{2}", result)


def test_ukrainian_locale_is_not_the_united_kingdom(helplines):
    assert helplines.for_locale("uk").code != "GB"
    assert helplines.for_locale("en-GB").code == "GB"
    assert helplines.for_locale("en").is_fallback


def test_format_lines_read_like_the_design(helplines):
    gb = helplines.for_country("GB").format_lines()
    assert gb[0] == "In immediate danger? Call 999 (or 112)."
    assert "Samaritans: call 116 123, email jo@samaritans.org (free, 24/7) · samaritans.org" in gb
    assert "Shout: text SHOUT to 85258 (free, 24/7) · giveusashout.org" in gb
    us = helplines.for_country("US").format_lines()
    assert any(line.startswith("988 Suicide & Crisis Lifeline: call or text 988") for line in us)
    assert helplines.international.format_lines()[0] == "In immediate danger? Call your local emergency number."


def test_every_country_fits_an_embed_field(helplines):
    for country in [helplines.international, *(helplines.for_country(code) for code in helplines.codes)]:
        text = country.format_text()
        assert 0 < len(text) <= EMBED_FIELD_LIMIT
        assert all(line.strip() for line in country.format_lines())
        assert "<@" not in text and "@everyone" not in text


def test_needs_review_lists_entries_older_than_the_limit(helplines):
    assert helplines.needs_review(helplines.compiled) == []
    later = helplines.compiled + timedelta(days=181)
    labels = helplines.needs_review(later)
    assert "GB Samaritans" in labels and "INTL emergency number" in labels


# Validation ------------------------------------------------------------------------------------------


def _broken(edit):
    raw = copy.deepcopy(SHIPPED_RAW)
    edit(raw)
    return raw


def _gb(raw):
    return raw["countries"]["GB"]


@pytest.mark.parametrize(("edit", "message"), [
    (lambda r: _gb(r)["emergency"].pop("number"), "countries.GB.emergency: missing number"),
    (lambda r: _gb(r)["emergency"].update(number=" "), "countries.GB.emergency.number"),
    (lambda r: _gb(r).update(services=[]), "countries.GB.services: needs at least one service"),
    (lambda r: _gb(r).pop("emergency"), "countries.GB: missing emergency"),
    (lambda r: _gb(r)["services"][0].pop("source"), "countries.GB.services[0]: missing source"),
    (lambda r: _gb(r)["services"][1].pop("checked"), "countries.GB.services[1]: missing checked"),
    (lambda r: _gb(r)["emergency"].pop("checked"), "countries.GB.emergency: missing checked"),
    (lambda r: _gb(r)["services"][0].update(checked="26/11/2026"), "not an ISO date"),
    (lambda r: _gb(r)["services"][0].update(source="http://example.org"), "expected an https:// address"),
    (lambda r: _gb(r)["services"][0].update(cheked="2026-11-26"), "unknown key(s) cheked"),
    (lambda r: _gb(r)["services"][0].update(contacts=[]), "needs at least one way"),
    (lambda r: _gb(r)["services"][0]["contacts"].append({"kind": "fax", "value": "1"}), "expected one of"),
    (lambda r: _gb(r)["services"][0]["contacts"].append({"kind": "email", "value": "nope"}), "not an email"),
    (lambda r: r["countries"].update(UK=r["countries"]["GB"]), "use GB, not UK"),
    (lambda r: r["countries"].update(gb=r["countries"]["GB"]), "ISO 3166"),
    (lambda r: r.pop("international"), "missing international"),
    (lambda r: r["international"].update(services=[]), "international.services"),
    (lambda r: r.update(countries={}), "non-empty"),
    (lambda r: r.update(live_verified="no"), "live_verified"),
    (lambda r: r.update(schema_version=2), "schema_version"),
    (lambda r: _gb(r)["services"][0].update(notes="x" * 1100), "a Discord embed field holds 1024"),
])
def test_invalid_data_is_refused_with_a_clear_message(edit, message):
    with pytest.raises(HelplineDataError) as raised:
        parse_helplines(_broken(edit))
    assert message in str(raised.value)


def test_load_reports_the_path_of_a_bad_file(tmp_path):
    bad = tmp_path / "helplines.json"
    bad.write_text(json.dumps(_broken(lambda r: _gb(r)["services"][0].pop("source"))), encoding="utf-8")
    with pytest.raises(HelplineDataError, match=re.escape(str(bad))):
        load_helplines(bad)


def test_load_refuses_missing_and_non_json_files(tmp_path):
    with pytest.raises(HelplineDataError, match="cannot read"):
        load_helplines(tmp_path / "absent.json")
    garbled = tmp_path / "garbled.json"
    garbled.write_text("{not json", encoding="utf-8")
    with pytest.raises(HelplineDataError, match="not valid JSON"):
        load_helplines(str(garbled))


def test_load_from_an_explicit_path_reads_that_file(tmp_path):
    custom = tmp_path / "custom.json"
    custom.write_text(json.dumps(_broken(lambda r: _gb(r).update(name="Great Britain"))), encoding="utf-8")
    assert load_helplines(custom).for_country("uk").name == "Great Britain"
    assert load_helplines().for_country("uk").name == "United Kingdom"


def test_shipped_file_parses_without_the_loader():
    assert set(parse_helplines(SHIPPED_RAW).codes) >= REQUIRED

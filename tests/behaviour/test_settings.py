"""Members' /settings: time zone, quiet hours, DMs, show. Everything answered privately."""

from __future__ import annotations

from datetime import time

import pytest

from tests.behaviour.world import build_server, embed_text, expected_errors


@pytest.fixture
def server(simcord_env):
    return build_server(simcord_env)


async def test_timezone_by_city_name_is_saved_and_shown_privately(server, store):
    result = await server.alice.slash(server.general, "settings timezone", zone="new york")

    assert result.ephemeral
    assert "America/New_York" in embed_text(result)
    assert (await store.members.get(server.alice.id)).timezone == "America/New_York"


@pytest.mark.parametrize(("typed", "stored"), [
    ("europe/london", "Europe/London"),
    ("Europe/London", "Europe/London"),
    ("  BERLIN ", "Europe/Berlin"),
    ("utc", "UTC"),
    ("los_angeles", "America/Los_Angeles"),
    ("Mumbai", "Asia/Kolkata"),
])
async def test_timezone_is_forgiving_of_case_and_city_names(server, store, typed, stored):
    await server.alice.slash(server.general, "settings timezone", zone=typed)

    assert (await store.members.get(server.alice.id)).timezone == stored


async def test_unknown_timezone_gets_a_clear_sentence_with_suggestions_and_stores_nothing(server, store):
    result = await server.alice.slash(server.general, "settings timezone", zone="Londn")

    assert result.ephemeral
    assert "I don't know the time zone “Londn”" in result.response.content
    assert "Europe/London" in result.response.content
    assert "Traceback" not in result.response.content
    assert (await store.members.get(server.alice.id)).timezone is None
    assert expected_errors(server.env) == ["UnknownTimeZone"]


async def test_timezone_autocomplete_offers_matching_iana_zones(server):
    result = await server.alice.autocomplete(server.general, "settings timezone", "zone", "york")

    values = [choice["value"] for choice in result]
    assert values[0] == "America/New_York"
    assert all(len(choice["name"]) <= 100 for choice in result)


async def test_timezone_autocomplete_with_nothing_typed_offers_common_zones(server):
    result = await server.alice.autocomplete(server.general, "settings timezone", "zone", "")

    values = [choice["value"] for choice in result]
    assert "Europe/London" in values and "UTC" in values
    assert len(values) <= 25


async def test_quiet_hours_wrapping_midnight_are_saved(server, store):
    result = await server.alice.slash(server.general, "settings quiet-hours", start="22:00", end="7am")

    assert result.ephemeral
    assert "22:00" in embed_text(result) and "07:00" in embed_text(result)
    saved = await store.members.get(server.alice.id)
    assert (saved.quiet_start, saved.quiet_end) == (time(22, 0), time(7, 0))


@pytest.mark.parametrize(("start", "end", "says"), [
    ("25:00", "07:00", "“25:00” isn't a time of day"),
    ("22:00", "07:75", "“07:75” isn't a time of day"),
    ("late", "07:00", "“late” isn't a time of day I understand"),
    ("13pm", "07:00", "with am/pm the hour goes from 1 to 12"),
    ("22:00", "22:00", "need different start and end times"),
])
async def test_bad_quiet_hours_are_refused_with_a_sentence_and_nothing_changes(server, store, start, end, says):
    await server.alice.slash(server.general, "settings quiet-hours", start="21:00", end="06:00")

    result = await server.alice.slash(server.general, "settings quiet-hours", start=start, end=end)

    assert result.ephemeral
    assert says in result.response.content
    saved = await store.members.get(server.alice.id)
    assert (saved.quiet_start, saved.quiet_end) == (time(21, 0), time(6, 0))
    assert expected_errors(server.env) == ["InvalidInput"]


async def test_quiet_hours_with_only_a_start_asks_for_both(server, store):
    result = await server.alice.slash(server.general, "settings quiet-hours", start="22:00")

    assert "Give both a start and an end" in result.response.content
    assert (await store.members.get(server.alice.id)).quiet_start is None
    assert expected_errors(server.env) == ["InvalidInput"]


async def test_quiet_hours_with_no_options_turns_them_off(server, store):
    await server.alice.slash(server.general, "settings quiet-hours", start="22:00", end="07:00")

    result = await server.alice.slash(server.general, "settings quiet-hours")

    assert "Quiet hours are off" in embed_text(result)
    assert (await store.members.get(server.alice.id)).quiet_start is None


async def test_dms_off_and_on(server, store):
    off = await server.alice.slash(server.general, "settings dms", enabled="off")
    assert off.ephemeral and "Direct messages are **off**" in embed_text(off)
    assert (await store.members.get(server.alice.id)).dms_enabled is False

    on = await server.alice.slash(server.general, "settings dms", enabled="on")
    assert "Direct messages are **on**" in embed_text(on)
    assert (await store.members.get(server.alice.id)).dms_enabled is True


async def test_dms_on_clears_a_recorded_refusal(server, store, simcord_env):
    await store.members.update(server.alice.id, simcord_env.now(), dms_closed_at=simcord_env.now())
    shown = await server.alice.slash(server.general, "settings show")
    assert "Discord refused my last DM" in embed_text(shown)

    await server.alice.slash(server.general, "settings dms", enabled="on")

    assert (await store.members.get(server.alice.id)).dms_closed_at is None


async def test_show_for_a_new_member_explains_what_to_set(server):
    result = await server.alice.slash(server.general, "settings show")

    assert result.ephemeral
    text = embed_text(result)
    assert "not set: use `/settings timezone`" in text
    assert "Quiet hours: off" in text


async def test_show_reflects_saved_settings_in_local_time(server, simcord_env):
    await server.alice.slash(server.general, "settings timezone", zone="Asia/Kolkata")
    await server.alice.slash(server.general, "settings quiet-hours", start="23:00", end="06:30")

    text = embed_text(await server.alice.slash(server.general, "settings show"))

    local = simcord_env.now().astimezone(__import__("zoneinfo").ZoneInfo("Asia/Kolkata"))
    assert f"it's {local:%H:%M} there now" in text
    assert "23:00–06:30" in text


async def test_one_members_settings_are_not_anothers(server, store):
    await server.alice.slash(server.general, "settings timezone", zone="Europe/Paris")
    await server.bob.slash(server.general, "settings timezone", zone="Australia/Sydney")

    assert (await store.members.get(server.alice.id)).timezone == "Europe/Paris"
    assert (await store.members.get(server.bob.id)).timezone == "Australia/Sydney"


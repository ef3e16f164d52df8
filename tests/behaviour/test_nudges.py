"""/nudges: opting in and out, the weekly digest at local time, quiet hours, "Less often" and "Stop"."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.demo.sim import simulated_bot
from bot.domain.nudge_work import DigestDue
from bot.tree import CANNOT_DM
from tests.behaviour.nudges_world import (
    button_ids,
    embeds_titled,
    meetup,
    opt_in,
    profile,
    run_next,
    run_until,
)
from tests.behaviour.world import answer, consenting_server, expected_errors, message_text

DIGEST = "Your week ahead"


@pytest.fixture
async def server(simcord_env):
    return await consenting_server(simcord_env)


async def test_opting_in_needs_a_time_zone_first(server, store):
    result = await server.alice.slash(server.general, "nudges on")

    assert result.ephemeral
    assert "First tell me your time zone with `/settings timezone`" in answer(result).content
    assert await store.nudges.get(server.alice.id) is None
    assert expected_errors(server.env) == ["NotConfigured"]


async def test_opt_in_names_the_server_confirms_by_dm_and_plans_the_digest_at_local_time(server, store, simcord_env):
    result = await opt_in(server.alice, server, zone="America/New_York", day=4, time="18:30")

    text = answer(result).content
    assert result.ephemeral
    assert "Nudges are on, for **Riverside Support**'s meetups and buddies" in text
    assert "every Friday at 18:30 your time" in text and "<t:" in text
    assert "Less often" in text and "Stop" in text
    assert "Your nudges and digest will arrive in this chat" in server.alice.user.dm_channel.last_message.content
    prefs = await store.nudges.get(server.alice.id)
    assert prefs.guild_id == server.guild.id and prefs.quiet_days == 14
    row = await store.due_work.get(prefs.next_digest_key)
    local = row["due_at"].astimezone(ZoneInfo("America/New_York"))
    assert (local.weekday(), local.hour, local.minute) == (4, 18, 30) and row["due_at"] > simcord_env.now()
    assert row["kind"] == DigestDue.KIND and prefs.next_digest_key.startswith(f"nudge.digest:{server.alice.id}:")


async def test_bad_choices_get_a_sentence_and_change_nothing(server, store):
    await server.alice.slash(server.general, "settings quiet-hours", start="22:00", end="08:00")

    inside = await opt_in(server.alice, server, time="07:00")
    nothing = await server.alice.slash(server.general, "nudges on", digest="off", quiet_check="off", buddy="off")
    garbled = await server.alice.slash(server.general, "nudges on", time="teatime")

    assert "07:00 is inside your quiet hours (22:00–08:00)" in answer(inside).content
    assert "nothing to turn on" in answer(nothing).content
    assert "isn't a time of day I understand" in answer(garbled).content
    assert await store.nudges.get(server.alice.id) is None
    assert expected_errors(server.env) == ["InvalidInput", "InvalidInput", "InvalidInput"]


async def test_show_and_off(server, store):
    before = await server.alice.slash(server.general, "nudges show")
    await opt_in(server.alice, server, quiet_check="off", days=30)
    shown = await server.alice.slash(server.general, "nudges show")
    off = await server.alice.slash(server.general, "nudges off")
    again = await server.alice.slash(server.general, "nudges off")
    after = await server.alice.slash(server.general, "nudges show")

    assert "Nudges are off. `/nudges on`" in before.response.content
    assert "every Monday at 09:00 your time" in shown.response.content
    assert "Quiet-member check: off." in shown.response.content
    assert shown.ephemeral and off.ephemeral
    assert "Nudges are off now" in off.response.content
    assert "already off" in again.response.content
    assert "Nudges are off." in after.response.content
    prefs = await store.nudges.get(server.alice.id)
    assert not prefs.any_enabled and prefs.next_digest_key is None


async def test_digest_lists_this_weeks_meetups_in_the_area_or_online_the_buddy_and_a_mindful_idea(
        server, store, simcord_env):
    await profile(store, server, server.alice, area="Leeds")
    await opt_in(server.alice, server, quiet_check="off")
    due = (await store.due_work.get((await store.nudges.get(server.alice.id)).next_digest_key))["due_at"]
    await meetup(store, server, "Canal walk", due + timedelta(days=2), area="leeds")
    await meetup(store, server, "Online games", due + timedelta(days=3), mode="online")
    await meetup(store, server, "York picnic", due + timedelta(days=1), area="York")
    await meetup(store, server, "Next month's quiz", due + timedelta(days=20))

    await run_until(simcord_env, due)

    (digest,) = embeds_titled(server.alice, DIGEST)
    text = message_text(digest)
    assert "Your week ahead in Riverside Support" in text
    assert "Canal walk" in text and "Online games" in text
    assert "York picnic" not in text and "Next month's quiz" not in text
    assert text.index("Canal walk") < text.index("Online games")  # soonest first
    assert f"https://discord.com/channels/{server.guild.id}/{server.events.id}/555" in text
    assert "<t:" in text
    assert "No buddy this round" in text
    assert "Being there:" in text
    assert button_ids(digest) == ["hearth:nudge:less:digest", "hearth:nudge:stop:digest"]
    prefs = await store.nudges.get(server.alice.id)
    following = (await store.due_work.get(prefs.next_digest_key))["due_at"]
    assert following - due == timedelta(days=7)
    assert [kind for kind, _ in await store.nudges.sends_since(server.alice.id, due)] == ["digest"]


async def test_the_digest_waits_for_quiet_hours_set_after_opting_in_to_end(server, store, simcord_env):
    await opt_in(server.alice, server, time="09:00", quiet_check="off")
    await server.alice.slash(server.general, "settings quiet-hours", start="22:00", end="10:30")
    due = (await store.due_work.get((await store.nudges.get(server.alice.id)).next_digest_key))["due_at"]

    await run_until(simcord_env, due)
    assert embeds_titled(server.alice, DIGEST) == []

    moved = await store.due_work.get((await store.nudges.get(server.alice.id)).next_digest_key)
    local = moved["due_at"].astimezone(ZoneInfo("Europe/London"))
    assert (local.hour, local.minute) == (10, 30) and moved["due_at"] - due == timedelta(hours=1, minutes=30)
    await run_until(simcord_env, moved["due_at"])
    assert len(embeds_titled(server.alice, DIGEST)) == 1
    # The week has had its digest: the next one is next week, not a second one today.
    following = (await store.due_work.get((await store.nudges.get(server.alice.id)).next_digest_key))["due_at"]
    assert following.astimezone(ZoneInfo("Europe/London")).date() == (due + timedelta(days=7)).astimezone(
        ZoneInfo("Europe/London")).date()


async def test_less_often_makes_the_digest_every_other_week_even_after_a_restart(server, store, settings,
                                                                                 simcord_env):
    await opt_in(server.alice, server, quiet_check="off")
    first = await run_next(simcord_env, store, (await store.nudges.get(server.alice.id)).next_digest_key)
    (digest,) = embeds_titled(server.alice, DIGEST)

    await simcord_env.restart_bot(simulated_bot(store, settings))
    reply = await server.alice.user.click(digest, custom_id="hearth:nudge:less:digest")

    assert reply.ephemeral and "every other week now" in reply.response.content
    assert (await store.nudges.get(server.alice.id)).digest_every_weeks == 2
    second = await run_next(simcord_env, store, (await store.nudges.get(server.alice.id)).next_digest_key)
    assert second - first == timedelta(days=7)  # the one already planned still comes
    third = (await store.due_work.get((await store.nudges.get(server.alice.id)).next_digest_key))["due_at"]
    assert third - second == timedelta(days=14)
    again = await server.alice.user.click(embeds_titled(server.alice, DIGEST)[-1], custom_id="hearth:nudge:less:digest")
    assert "already comes every other week" in again.response.content


async def test_stop_on_a_digest_stops_it_after_a_restart(server, store, settings, simcord_env):
    await opt_in(server.alice, server, quiet_check="off")
    await run_next(simcord_env, store, (await store.nudges.get(server.alice.id)).next_digest_key)
    pending = (await store.nudges.get(server.alice.id)).next_digest_key

    await simcord_env.restart_bot(simulated_bot(store, settings))
    reply = await server.alice.user.click(embeds_titled(server.alice, DIGEST)[-1],
                                          custom_id="hearth:nudge:stop:digest")

    assert "no more weekly digest" in reply.response.content
    assert await store.due_work.get(pending) is None
    prefs = await store.nudges.get(server.alice.id)
    assert not prefs.digest_enabled and prefs.buddy_enabled  # only the digest stopped
    await run_until(simcord_env, simcord_env.now() + timedelta(days=15))
    assert len(embeds_titled(server.alice, DIGEST)) == 1
    again = await server.alice.user.click(embeds_titled(server.alice, DIGEST)[-1],
                                          custom_id="hearth:nudge:stop:digest")
    assert "already off" in again.response.content


async def test_changing_the_time_in_a_week_that_had_its_digest_waits_for_next_week(server, store, simcord_env):
    await opt_in(server.alice, server, day=0, time="09:00", quiet_check="off")
    sent = await run_next(simcord_env, store, (await store.nudges.get(server.alice.id)).next_digest_key)

    await server.alice.slash(server.general, "nudges on", day=0, time="18:00", quiet_check="off")

    due = (await store.due_work.get((await store.nudges.get(server.alice.id)).next_digest_key))["due_at"]
    assert due.astimezone(ZoneInfo("Europe/London")).hour == 18
    assert timedelta(days=6) < due - sent < timedelta(days=8)


async def test_digests_stop_when_dms_are_turned_off(server, store, simcord_env):
    await opt_in(server.alice, server, quiet_check="off")
    key = (await store.nudges.get(server.alice.id)).next_digest_key
    await server.alice.slash(server.general, "settings dms", enabled="off")

    await run_next(simcord_env, store, key)

    assert embeds_titled(server.alice, DIGEST) == []
    assert not (await store.nudges.get(server.alice.id)).any_enabled


async def test_closed_dms_at_opt_in_are_explained_and_nothing_is_enabled(server, store, simcord_env):
    await server.alice.slash(server.general, "settings timezone", zone="Europe/London")
    simcord_env.inject_error("POST", "/channels/*/messages", status=403, code=CANNOT_DM,
                             message="Cannot send messages to this user")

    result = await server.alice.slash(server.general, "nudges on")

    assert "I couldn't send you a direct message, so I haven't turned nudges on" in answer(result).content
    assert await store.nudges.get(server.alice.id) is None
    assert expected_errors(simcord_env) == ["InvalidInput"]


async def test_dms_closed_at_digest_time_stop_the_digest_until_the_member_opts_in_again(server, store, simcord_env):
    await opt_in(server.alice, server, quiet_check="off")
    key = (await store.nudges.get(server.alice.id)).next_digest_key
    simcord_env.inject_error("POST", "/channels/*/messages", status=403, code=CANNOT_DM,
                             message="Cannot send messages to this user")

    await run_next(simcord_env, store, key)
    assert (await store.members.get(server.alice.id)).dms_closed_at is not None
    await run_next(simcord_env, store, (await store.nudges.get(server.alice.id)).next_digest_key)
    assert not (await store.nudges.get(server.alice.id)).any_enabled

    again = await server.alice.slash(server.general, "nudges on", quiet_check="off")
    assert "Nudges are on" in answer(again).content
    assert (await store.members.get(server.alice.id)).dms_closed_at is None
    await run_next(simcord_env, store, (await store.nudges.get(server.alice.id)).next_digest_key)
    assert len(embeds_titled(server.alice, DIGEST)) == 1


async def test_a_digest_days_late_after_downtime_is_skipped_not_sent(server, store, simcord_env):
    await opt_in(server.alice, server, quiet_check="off")
    due = (await store.due_work.get((await store.nudges.get(server.alice.id)).next_digest_key))["due_at"]

    await run_until(simcord_env, due + timedelta(days=2))

    assert embeds_titled(server.alice, DIGEST) == []
    following = (await store.due_work.get((await store.nudges.get(server.alice.id)).next_digest_key))["due_at"]
    assert following - due == timedelta(days=7)

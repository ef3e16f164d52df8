"""Nudges on Hearth's own initiative: the quiet-member word, the low-check-ins word, the weekly cap,
buddy pairs who haven't met, and the weekly meetup digest in the announcements channel."""

from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.demo.sim import simulated_bot
from bot.domain.nudge_work import BuddyNudgeDue, ServerDigestDue
from bot.domain.nudges import iso_week, next_check_at, server_digest_at
from tests.behaviour.buddies_world import configure, join, threads_of
from tests.behaviour.nudges_world import (
    button_ids,
    dms,
    embeds_titled,
    meetup,
    opt_in,
    run_next,
    run_until,
)
from tests.behaviour.world import consenting_server, message_text

QUIET = "Thinking of you"
LOW = "A gentle hello"


@pytest.fixture
async def server(simcord_env):
    return await consenting_server(simcord_env)


async def _run_checks(env, store, member, days: int) -> None:
    """Run the member's daily check `days` times, each at its own due time."""
    for _ in range(days):
        await run_next(env, store, (await store.nudges.get(member.id)).next_check_key)


async def test_a_member_who_went_quiet_gets_one_kind_word_with_a_small_next_step(server, store, simcord_env):
    await opt_in(server.alice, server, digest="off", days=7)
    prefs = await store.nudges.get(server.alice.id)
    await meetup(store, server, "Online games", simcord_env.now() + timedelta(days=9), mode="online")

    await _run_checks(simcord_env, store, server.alice, 6)
    assert embeds_titled(server.alice, QUIET) == []
    await _run_checks(simcord_env, store, server.alice, 4)

    (word,) = embeds_titled(server.alice, QUIET)
    text = message_text(word)
    assert "No pressure and nothing to catch up on" in text
    assert "Online games" in text and "`/checkin`" in text
    assert "days" not in word.embeds[0].description  # never counts what was missed
    assert button_ids(word) == ["hearth:nudge:less:nudges", "hearth:nudge:stop:nudges"]
    assert simcord_env.now() - prefs.opted_in_at >= timedelta(days=7)


async def test_activity_resets_the_quiet_window(server, store, simcord_env):
    await opt_in(server.alice, server, digest="off", days=7)
    await _run_checks(simcord_env, store, server.alice, 5)

    await server.alice.slash(server.general, "checkin", mood=4)
    await _run_checks(simcord_env, store, server.alice, 5)

    assert embeds_titled(server.alice, QUIET) == []
    await _run_checks(simcord_env, store, server.alice, 3)
    assert len(embeds_titled(server.alice, QUIET)) == 1


async def test_with_no_buddy_and_no_meetup_the_check_in_is_the_one_small_step(server, store, simcord_env):
    await opt_in(server.alice, server, digest="off", days=7)

    await _run_checks(simcord_env, store, server.alice, 10)

    (word,) = embeds_titled(server.alice, QUIET)
    assert [field.name for field in word.embeds[0].fields] == ["One small step"]


async def test_low_check_ins_bring_an_especially_kind_word_with_the_servers_support_and_nobody_else_is_told(
        server, store, simcord_env):
    await server.organiser.slash(server.general, "hearth checkins", resources="Our Tuesday circle is open to all.",
                                 link="https://example.org/support")
    await opt_in(server.alice, server, digest="off")
    for mood in (2, 1, 2):
        await server.alice.slash(server.general, "checkin", mood=mood)

    await _run_checks(simcord_env, store, server.alice, 1)

    (word,) = embeds_titled(server.alice, LOW)
    text = message_text(word)
    assert "Your last few check-ins sounded heavy" in text
    assert "Our Tuesday circle is open to all." in text and "https://example.org/support" in text
    assert "emergency number" in text
    assert dms(server.bob) == [] and dms(server.organiser) == []
    assert server.general.last_message is None or "heavy" not in (server.general.last_message.content or "")


async def test_at_most_one_nudge_a_week(server, store, simcord_env):
    await opt_in(server.alice, server, digest="off")
    for mood in (2, 2, 2):
        await server.alice.slash(server.general, "checkin", mood=mood)
    await _run_checks(simcord_env, store, server.alice, 1)
    assert len(embeds_titled(server.alice, LOW)) == 1

    for _ in range(3):  # still struggling the next days: the cap keeps it to one message a week
        await _run_checks(simcord_env, store, server.alice, 1)
        for mood in (1, 2, 1):
            await server.alice.slash(server.general, "checkin", mood=mood)
    await _run_checks(simcord_env, store, server.alice, 2)

    assert len(embeds_titled(server.alice, LOW)) == 1
    await _run_checks(simcord_env, store, server.alice, 3)  # a week after the first: a second is allowed
    assert len(embeds_titled(server.alice, LOW)) == 2


async def test_less_often_and_stop_on_a_nudge_work_after_a_restart(server, store, settings, simcord_env):
    await opt_in(server.alice, server, digest="off", days=7)
    await _run_checks(simcord_env, store, server.alice, 8)
    (word,) = embeds_titled(server.alice, QUIET)

    await simcord_env.restart_bot(simulated_bot(store, settings))
    less = await server.alice.user.click(word, custom_id="hearth:nudge:less:nudges")
    assert "after **14 days**" in less.response.content
    assert (await store.nudges.get(server.alice.id)).quiet_days == 14

    pending = (await store.nudges.get(server.alice.id)).next_check_key
    stop = await server.alice.user.click(word, custom_id="hearth:nudge:stop:nudges")
    assert "no more nudges" in stop.response.content
    assert await store.due_work.get(pending) is None
    assert not (await store.nudges.get(server.alice.id)).quiet_enabled


async def test_a_nudge_never_comes_in_quiet_hours(server, store, simcord_env):
    await opt_in(server.alice, server, digest="off", time="21:00")
    for mood in (2, 2, 2):
        await server.alice.slash(server.general, "checkin", mood=mood)
    await server.alice.slash(server.general, "settings quiet-hours", start="20:00", end="08:00")
    due = (await store.due_work.get((await store.nudges.get(server.alice.id)).next_check_key))["due_at"]

    await run_until(simcord_env, due)
    assert embeds_titled(server.alice, LOW) == []

    await run_next(simcord_env, store, (await store.nudges.get(server.alice.id)).next_check_key)
    (word,) = embeds_titled(server.alice, LOW)
    assert word.created_at.astimezone(ZoneInfo("Europe/London")).hour == 8


# buddy pairs ---------------------------------------------------------------------------------------------

async def _pair(server, store, simcord_env):
    await configure(server, cadence=2)
    await join(server.alice, server.general, area="Leeds", preference="in_person")
    await join(server.bob, server.general, area="leeds", preference="either")
    await opt_in(server.alice, server, digest="off", quiet_check="off")
    await opt_in(server.bob, server, digest="off", quiet_check="off")
    await server.organiser.slash(server.general, "hearth buddies pair-now")
    round_ = (await store.buddies.recent_rounds(server.guild.id, 1))[0]
    await meetup(store, server, "Online games", round_.followup_at + timedelta(days=2), mode="online")
    await meetup(store, server, "Canal walk", round_.followup_at + timedelta(days=3), area="Leeds")
    await meetup(store, server, "York picnic", round_.followup_at + timedelta(days=2, hours=1), area="York")
    await run_until(simcord_env, round_.followup_at)
    (group,) = await store.buddies.groups(round_.id)
    return round_, group


async def test_buddies_who_have_not_met_get_one_meetup_they_could_go_to_together(server, store, simcord_env):
    round_, group = await _pair(server, store, simcord_env)

    # bob's is due at the same time
    due = await run_next(simcord_env, store, BuddyNudgeDue(group.id, server.alice.id).key())

    assert due - round_.followup_at == timedelta(days=1)

    for member, buddy in ((server.alice, "bob"), (server.bob, "alice")):
        message = [m for m in dms(member) if "meetup you could go to together" in (m.content or "")]
        assert len(message) == 1
        text = message[0].content
        assert "Canal walk" in text and "York picnic" not in text and "Online games" not in text
        assert f"**{buddy}**" in text and "<@" not in text  # named, never pinged
        assert button_ids(message[0]) == ["hearth:nudge:less:nudges", "hearth:nudge:stop:nudges"]
    assert await store.due_work.get(BuddyNudgeDue(group.id, server.organiser.id).key()) is None


async def test_no_suggestion_once_the_buddies_say_they_met(server, store, simcord_env):
    _, group = await _pair(server, store, simcord_env)
    question = threads_of(server.buddies)[0].last_message
    await server.alice.click(question, custom_id=f"hearth:bd:met:{group.id}:in_person")

    await run_until(simcord_env, simcord_env.now() + timedelta(days=2))

    assert not [m for m in dms(server.alice) + dms(server.bob) if "go to together" in (m.content or "")]
    assert (await store.due_work.get(BuddyNudgeDue(group.id, server.alice.id).key()))["done_at"] is not None


async def test_only_opted_in_members_get_buddy_suggestions(server, store, simcord_env):
    await configure(server, cadence=2)
    await join(server.alice, server.general, area="Leeds")
    await join(server.bob, server.general, area="Leeds")
    await opt_in(server.alice, server, quiet_check="off", buddy="off")  # the digest only; bob not at all
    await server.organiser.slash(server.general, "hearth buddies pair-now")
    round_ = (await store.buddies.recent_rounds(server.guild.id, 1))[0]

    await run_until(simcord_env, round_.followup_at)

    (group,) = await store.buddies.groups(round_.id)
    assert await store.due_work.get(BuddyNudgeDue(group.id, server.alice.id).key()) is None
    assert await store.due_work.get(BuddyNudgeDue(group.id, server.bob.id).key()) is None


# the server's weekly digest ------------------------------------------------------------------------------

async def _server_digest_row(store, server, simcord_env):
    due = server_digest_at(ZoneInfo("Europe/London"), simcord_env.now())
    return await store.due_work.get(ServerDigestDue(server.guild.id, iso_week(due, ZoneInfo("Europe/London"))).key())


async def test_the_announcements_channel_gets_the_weeks_meetups_on_monday_morning(server, store, simcord_env):
    await server.organiser.slash(server.general, "hearth setup", announcements=server.announcements,
                                 timezone="Europe/London")
    row = await _server_digest_row(store, server, simcord_env)
    local = row["due_at"].astimezone(ZoneInfo("Europe/London"))
    assert (local.weekday(), local.hour) == (0, 9)
    await meetup(store, server, "Canal walk", row["due_at"] + timedelta(days=2))
    await meetup(store, server, "Online games", row["due_at"] + timedelta(days=4), mode="online")
    await meetup(store, server, "Next month's quiz", row["due_at"] + timedelta(days=20))

    await run_until(simcord_env, row["due_at"])

    posted = server.announcements.last_message
    text = message_text(posted)
    assert posted.embeds[0].title == "Meetups this week"
    assert "Canal walk" in text and "Online games" in text and "Next month's quiz" not in text
    assert "<t:" in text and f"/channels/{server.guild.id}/{server.events.id}/555" in text
    assert "@everyone" not in text and "<@" not in text
    following = await _server_digest_row(store, server, simcord_env)
    assert following["due_at"] - row["due_at"] == timedelta(days=7)


async def test_a_week_without_meetups_posts_nothing(server, store, simcord_env):
    await server.organiser.slash(server.general, "hearth setup", announcements=server.announcements,
                                 timezone="Europe/London")
    row = await _server_digest_row(store, server, simcord_env)

    await run_until(simcord_env, row["due_at"])

    assert server.announcements.last_message is None
    assert (await store.due_work.get(row["idempotency_key"]))["done_at"] is not None
    assert (await _server_digest_row(store, server, simcord_env)) is not None


async def test_no_server_digest_without_an_announcements_channel(server, store, simcord_env):
    await server.organiser.slash(server.general, "hearth setup", timezone="Europe/London")

    assert await _server_digest_row(store, server, simcord_env) is None


async def test_no_nudge_on_the_day_of_the_digest_it_waits_a_day(server, store, simcord_env):
    await server.alice.slash(server.general, "settings timezone", zone="Europe/London")
    first_nine = next_check_at(local_time=time(9, 0), zone=ZoneInfo("Europe/London"), after=simcord_env.now(),
                               quiet=None)
    weekday = first_nine.astimezone(ZoneInfo("Europe/London")).weekday()
    await server.alice.slash(server.general, "nudges on", day=weekday)
    for mood in (2, 2, 2):
        await server.alice.slash(server.general, "checkin", mood=mood)
    prefs = await store.nudges.get(server.alice.id)
    assert (await store.due_work.get(prefs.next_check_key))["due_at"] == first_nine
    assert (await store.due_work.get(prefs.next_digest_key))["due_at"] == first_nine

    await run_until(simcord_env, first_nine)
    assert len(embeds_titled(server.alice, "Your week ahead")) == 1 and embeds_titled(server.alice, LOW) == []

    await _run_checks(simcord_env, store, server.alice, 1)
    assert len(embeds_titled(server.alice, LOW)) == 1


async def test_the_digest_names_the_buddy_without_pinging(server, store, simcord_env):
    await configure(server, cadence=2)
    await join(server.alice, server.general, area="Leeds")
    await join(server.bob, server.general, area="Leeds")
    await server.organiser.slash(server.general, "hearth buddies pair-now")
    await opt_in(server.alice, server, quiet_check="off")

    await run_next(simcord_env, store, (await store.nudges.get(server.alice.id)).next_digest_key)

    (digest,) = embeds_titled(server.alice, "Your week ahead")
    text = message_text(digest)
    assert "Your buddy this round is **bob**" in text and "<@" not in text
    assert "in Leeds or online" in text


async def test_servers_set_up_before_a_start_get_their_digest_planned_at_start(server, store, settings, simcord_env):
    await store.guilds.update(server.guild.id, simcord_env.now(), server.organiser.id,
                              announcements_channel_id=server.announcements.id, timezone="Europe/London")
    assert await _server_digest_row(store, server, simcord_env) is None

    await simcord_env.restart_bot(simulated_bot(store, settings))

    assert await _server_digest_row(store, server, simcord_env) is not None

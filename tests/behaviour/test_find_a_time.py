"""Find a time: a buddy pair (or a going-together group) says when they could meet, each in their own time
zone; Hearth offers the best overlaps where they talk, one tap each confirms, reminders come before and
"did you meet?" just after. Nobody sees when anyone else said they were free."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.demo.sim import simulated_bot
from bot.domain.event_time import parse_event_start
from bot.domain.meeting_times import DayPartChoice
from bot.domain.safety import MEETING_TIP
from bot.services.meetings import MET_AFTER_TEXT, NOT_IN_GROUP
from bot.store.tables import due_work
from tests.behaviour.buddies_world import configure, join, threads_of
from tests.behaviour.events_world import create, dms, rsvp, run_until, setup_events
from tests.behaviour.forge import forge_click
from tests.behaviour.world import answer, component_id, consenting_server, custom_ids, embed_text, newcomer


@pytest.fixture
async def server(simcord_env):
    return await consenting_server(simcord_env)


def _ts(moment: datetime, style: str = "F") -> str:
    return f"<t:{int(moment.timestamp())}:{style}>"


async def _pair(server, *, alice_zone="Europe/London", bob_zone="America/New_York"):
    await configure(server)
    await join(server.alice, server.general)
    await join(server.bob, server.general)
    await server.alice.slash(server.general, "settings timezone", zone=alice_zone)
    await server.bob.slash(server.general, "settings timezone", zone=bob_zone)
    await server.organiser.slash(server.general, "hearth buddies pair-now")
    (thread,) = threads_of(server.buddies)
    return thread


def _find_id(thread) -> str:
    return component_id(thread.history()[0], "hearth:mt:find:b:")


async def _ask(member, thread):
    shown = await member.click(thread.history()[0], custom_id=_find_id(thread))
    assert shown.ephemeral
    return shown


async def _parts(member, shown, values):
    return await member.select(shown.response, values, custom_id=component_id(shown.response, "hearth:mt:parts:"))


def _options(shown) -> list[str]:
    (row,) = [row for row in shown.response.components
              if any(str(c.get("custom_id", "")).startswith("hearth:mt:parts:") for c in row["components"])]
    return [option["value"] for option in row["components"][0]["options"]]


def _saturday_at(now: datetime, text: str, zone: str) -> datetime:
    return parse_event_start(text, zone=zone, now=now)


async def _poll(store, thread_group_id):
    return await store.meetings.latest("buddy", thread_group_id, None)


def _group_id(thread) -> int:
    return int(_find_id(thread).split(":")[4])


async def _both_answer(server, simcord_env, thread, *, bob_types: str):
    """Alice picks the day part holding Bob's typed time (her zone); Bob types it (his)."""
    now = simcord_env.now()
    bob_time = _saturday_at(now, bob_types, "America/New_York")
    alice_day = bob_time.astimezone(ZoneInfo("Europe/London"))
    part = "morning" if alice_day.hour < 12 else "afternoon" if alice_day.hour < 17 else "evening"
    shown = await _ask(server.alice, thread)
    value = DayPartChoice(alice_day.date(), part).value
    assert value in _options(shown)
    picked = await _parts(server.alice, shown, [value])
    assert answer(picked).ephemeral and "waiting for one more person" in answer(picked).content
    shown_bob = await _ask(server.bob, thread)
    modal = await server.bob.click(shown_bob.response, custom_id=component_id(shown_bob.response, "hearth:mt:type:"))
    typed = await server.bob.submit_modal(modal, {"times": bob_types})
    assert answer(typed).ephemeral and "Everyone has answered" in answer(typed).content
    await simcord_env.bot.due_work.sweep()
    return bob_time


async def test_a_pair_in_two_zones_finds_a_time_and_each_sees_only_counts(server, store, simcord_env):
    thread = await _pair(server)
    group_id = _group_id(thread)
    bob_time = await _both_answer(server, simcord_env, thread, bob_types="saturday 9am")

    offered = thread.last_message
    assert "These times work best" in offered.content and _ts(bob_time) in offered.content
    assert "2 of 2 free" in offered.content
    assert "9am" not in offered.content and "afternoon" not in offered.content.lower()  # nobody's answer shown
    poll = await _poll(store, group_id)
    assert poll.status == "offered" and poll.options[0][0] == bob_time

    first = await server.alice.click(offered, custom_id=f"hearth:mt:pick:{poll.id}:0")
    assert "Waiting for one more person" in answer(first).content
    second = await server.bob.click(offered, custom_id=f"hearth:mt:pick:{poll.id}:0")
    assert "It's agreed" in answer(second).content
    await simcord_env.bot.due_work.sweep()

    confirmation = thread.last_message
    assert "It's agreed" in confirmation.content and _ts(bob_time) in confirmation.content
    assert MEETING_TIP in confirmation.content
    assert any(i.startswith("hearth:mt:home:") for i in custom_ids(confirmation))
    calendar = await server.bob.click(confirmation, custom_id=f"hearth:mt:ics:{poll.id}")
    assert answer(calendar).ephemeral
    (attachment,) = answer(calendar).attachments
    assert attachment.filename == "meeting.ics"
    stored = await store.meetings.get(poll.id)
    assert stored.status == "confirmed" and stored.chosen_start == bob_time
    home = await server.alice.click(confirmation, custom_id=f"hearth:mt:home:{poll.id}")
    assert "I'll message you" in answer(home).content and "your buddy isn't told" in answer(home).content
    stats = await server.organiser.slash(server.general, "hearth buddies stats")
    assert "Found a time together: Shown once at least 5 pairs have found a time" in embed_text(stats)


async def test_someone_outside_the_group_is_refused(server, store, simcord_env):
    thread = await _pair(server)
    carol = await newcomer(server, "carol")

    forged = await forge_click(simcord_env, carol, thread.history()[0], _find_id(thread))

    assert answer(forged).content == NOT_IN_GROUP
    assert await _poll(store, _group_id(thread)) is None


async def test_it_carries_on_after_a_restart_between_steps(server, store, settings, simcord_env):
    thread = await _pair(server)
    now = simcord_env.now()
    bob_time = _saturday_at(now, "saturday 9am", "America/New_York")
    shown_alice = await _ask(server.alice, thread)
    shown_bob = await _ask(server.bob, thread)

    await simcord_env.restart_bot(simulated_bot(store, settings))
    alice_day = bob_time.astimezone(ZoneInfo("Europe/London")).date()
    await _parts(server.alice, shown_alice, [DayPartChoice(alice_day, "afternoon").value])
    await _parts(server.bob, shown_bob, [DayPartChoice(bob_time.astimezone(ZoneInfo("America/New_York")).date(),
                                                       "morning").value])
    await simcord_env.bot.due_work.sweep()
    offered = thread.last_message
    poll = await _poll(store, _group_id(thread))

    await simcord_env.restart_bot(simulated_bot(store, settings))
    await server.alice.click(offered, custom_id=f"hearth:mt:pick:{poll.id}:0")
    await server.bob.click(offered, custom_id=f"hearth:mt:pick:{poll.id}:0")
    await simcord_env.bot.due_work.sweep()

    assert (await store.meetings.get(poll.id)).status == "confirmed"
    assert "It's agreed" in thread.last_message.content


async def test_no_overlap_gets_a_kind_sentence_and_the_week_after(server, store, simcord_env):
    thread = await _pair(server, alice_zone="UTC", bob_zone="UTC")
    shown = await _ask(server.alice, thread)
    day = DayPartChoice.parse(_options(shown)[-1]).day
    await _parts(server.alice, shown, [DayPartChoice(day, "morning").value])
    shown = await _ask(server.bob, thread)
    await _parts(server.bob, shown, [DayPartChoice(day, "evening").value])
    await simcord_env.bot.due_work.sweep()

    sorry = thread.last_message
    assert "couldn't find a time that works for everyone" in sorry.content
    assert "nothing about any of you" in sorry.content
    poll = await _poll(store, _group_id(thread))
    assert poll.status == "no_overlap" and poll.options == ()
    wider = await server.bob.click(sorry, custom_id=f"hearth:mt:widen:{poll.id}")
    assert answer(wider).ephemeral
    await simcord_env.bot.due_work.sweep()

    reopened = await store.meetings.get(poll.id)
    assert reopened.status == "open" and reopened.window_start == poll.window_end
    assert "week after" in thread.last_message.content
    assert any(i.startswith("hearth:mt:find:b:") for i in custom_ids(thread.last_message))


async def test_a_day_part_on_the_clock_change_is_local_time(server, store, simcord_env):
    await simcord_env.advance_time((datetime(2026, 10, 21, 10, tzinfo=UTC) - simcord_env.now()).total_seconds())
    thread = await _pair(server, alice_zone="Europe/London", bob_zone="America/New_York")
    shown = await _ask(server.alice, thread)
    # Sunday 25 October: London is back on GMT, so 09:00 there is 09:00 UTC (it was 08:00 UTC the day before).
    await _parts(server.alice, shown, ["2026-10-25:morning"])
    shown = await _ask(server.bob, thread)
    modal = await server.bob.click(shown.response, custom_id=component_id(shown.response, "hearth:mt:type:"))
    await server.bob.submit_modal(modal, {"times": "sunday 5am"})  # New York is still on EDT: 09:00 UTC
    await simcord_env.bot.due_work.sweep()

    poll = await _poll(store, _group_id(thread))
    assert [start for start, _free in poll.options] == [datetime(2026, 10, 25, 9, tzinfo=UTC)]


async def test_picks_that_disagree_wait_until_they_agree(server, store, simcord_env):
    thread = await _pair(server, alice_zone="UTC", bob_zone="UTC")
    shown = await _ask(server.alice, thread)
    day = DayPartChoice.parse(_options(shown)[-1]).day
    await _parts(server.alice, shown, [DayPartChoice(day, "afternoon").value])
    shown = await _ask(server.bob, thread)
    await _parts(server.bob, shown, [DayPartChoice(day, "afternoon").value])
    await simcord_env.bot.due_work.sweep()
    poll = await _poll(store, _group_id(thread))
    assert len(poll.options) == 3

    await server.alice.click(thread.last_message, custom_id=f"hearth:mt:pick:{poll.id}:0")
    differ = await server.bob.click(thread.last_message, custom_id=f"hearth:mt:pick:{poll.id}:1")
    assert "different time" in answer(differ).content
    assert (await store.meetings.get(poll.id)).status == "offered"
    agreed = await server.bob.click(thread.last_message, custom_id=f"hearth:mt:pick:{poll.id}:0")
    assert "It's agreed" in answer(agreed).content
    assert (await store.meetings.get(poll.id)).chosen_start == poll.options[0][0]


async def test_reminders_and_the_moved_did_you_meet_arrive_as_due_work(server, store, simcord_env):
    thread = await _pair(server)
    group_id = _group_id(thread)
    bob_time = await _both_answer(server, simcord_env, thread, bob_types="saturday 9am")
    poll = await _poll(store, group_id)
    await server.alice.click(thread.last_message, custom_id=f"hearth:mt:pick:{poll.id}:0")
    await server.bob.click(thread.last_message, custom_id=f"hearth:mt:pick:{poll.id}:0")
    await simcord_env.bot.due_work.sweep()
    async with store.engine.connect() as connection:
        kinds = sorted(row.kind for row in await connection.execute(
            select(due_work.c.kind).where(due_work.c.done_at.is_(None), due_work.c.kind.like("meeting.reminder"))))
    assert kinds  # a reminder before, for each of them

    await run_until(simcord_env, bob_time - timedelta(minutes=59))
    for member in (server.alice, server.bob):
        reminders = [m for m in dms(member) if "A reminder: you're meeting your buddy" in (m.content or "")]
        assert reminders and _ts(bob_time) in reminders[-1].content

    round_ = (await store.buddies.recent_rounds(server.guild.id, 1))[0]
    await run_until(simcord_env, max(round_.followup_at, bob_time + timedelta(minutes=91)))
    assert not any("Halfway through the round" in (m.content or "") for m in thread.history())
    for member in (server.alice, server.bob):
        (asked,) = [m for m in dms(member) if MET_AFTER_TEXT in (m.content or "")]
        assert f"hearth:bd:met:{group_id}:in_person" in custom_ids(asked)


async def test_a_going_together_group_can_find_a_time_too(server, store, simcord_env):
    await setup_events(server)
    await create(server, start="2026-01-10 18:00")
    event = (await store.events.upcoming(server.guild.id, simcord_env.now()))[-1]
    for member in (server.alice, server.bob):
        going = await rsvp(member, server, event.id)
        await member.click(answer(going), custom_id=f"hearth:ev:alone:{event.id}:ask")
    await run_until(simcord_env, event.start_at - timedelta(hours=48))
    (thread,) = [t for t in server.events.threads if t.name.startswith("Going together")]
    intro = thread.history()[0]
    find = component_id(intro, "hearth:mt:find:c:")
    assert find.endswith(f":{event.id}")

    shown = await server.alice.click(intro, custom_id=find)
    assert answer(shown).ephemeral and "When could you meet" in answer(shown).content
    poll = await store.meetings.latest("companions", int(find.split(":")[4]), event.id)
    assert poll is not None and set(poll.members) == {server.alice.id, server.bob.id}
    assert poll.channel_id == thread.id


async def test_a_pair_introduced_by_dm_finds_a_time_by_dm(server, store, simcord_env):
    await configure(server)
    await join(server.alice, server.general)
    await join(server.bob, server.general)
    simcord_env.inject_error("POST", "/channels/*/threads", status=403, code=50013, message="Missing Permissions")
    await server.organiser.slash(server.general, "hearth buddies pair-now")
    await simcord_env.bot.due_work.sweep()

    for member in (server.alice, server.bob):
        intro = member.user.dm_channel.last_message
        shown = await member.user.click(intro, custom_id=component_id(intro, "hearth:mt:find:b:"))
        day = DayPartChoice.parse(_options(shown)[-1]).day
        await member.user.select(shown.response, [DayPartChoice(day, "evening").value],
                                 custom_id=component_id(shown.response, "hearth:mt:parts:"))
    forged = await forge_click(simcord_env, server.bob, server.alice.user.dm_channel.last_message,
                               component_id(server.alice.user.dm_channel.last_message, "hearth:mt:find:b:"))
    assert "someone else's" in answer(forged).content
    await simcord_env.bot.due_work.sweep()

    for member in (server.alice, server.bob):
        offered = member.user.dm_channel.last_message
        assert "These times work best" in offered.content and "2 of 2 free" in offered.content


async def test_a_poll_nobody_finishes_closes_kindly_at_the_end_of_its_days(server, store, simcord_env):
    thread = await _pair(server, alice_zone="UTC", bob_zone="UTC")
    shown = await _ask(server.alice, thread)
    await _parts(server.alice, shown, [_options(shown)[-1]])
    poll = await _poll(store, _group_id(thread))

    await run_until(simcord_env, poll.window_start + timedelta(days=3))  # the answer deadline: one answer only
    assert (await store.meetings.get(poll.id)).status == "open"
    await run_until(simcord_env, poll.window_end + timedelta(minutes=1))

    assert (await store.meetings.get(poll.id)).status == "closed"
    note = thread.last_message
    assert "passed without a time, no worries" in note.content
    again = await server.bob.click(note, custom_id=component_id(note, "hearth:mt:find:b:"))
    assert "When could you meet" in answer(again).content
    assert (await _poll(store, _group_id(thread))).id != poll.id  # a fresh one


async def test_the_type_times_form_after_a_restart_says_what_to_press(server, store, settings, simcord_env):
    thread = await _pair(server)
    shown = await _ask(server.bob, thread)
    form = await server.bob.click(shown.response, custom_id=component_id(shown.response, "hearth:mt:type:"))
    await simcord_env.restart_bot(simulated_bot(store, settings))

    late = await server.bob.submit_modal(form, {"times": "saturday 9am"})

    assert answer(late).ephemeral
    assert answer(late).content == ("This has expired, so nothing was changed. "
                                    "Press “Find a time” on your intro again.")
    poll = await _poll(store, _group_id(thread))
    assert poll is None or server.bob.id not in poll.answered

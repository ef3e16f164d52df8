"""Meeting in person, safely: tips where people meet in person (never on online ones), and the opt-in
"let me know you got home safe" check after a meetup or a buddy meeting, told to the member only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from simcord.results import to_discord_message
from sqlalchemy import select

from bot.demo.sim import simulated_bot
from bot.domain.safety import MEETING_TIP, MEETUP_TIP, time_ref
from bot.store.tables import due_work
from bot.ui.safety import NOT_YOURS
from tests.behaviour.buddies_world import configure, join, threads_of
from tests.behaviour.events_world import announcements, create, dms, rsvp, run_until, setup_events
from tests.behaviour.world import answer, build_server, consented, expected_errors

START = "2026-01-04 18:00"  # London = UTC in January; 90 minutes: it ends at 19:30
END = datetime(2026, 1, 4, 19, 30, tzinfo=UTC)


@pytest.fixture
async def server(simcord_env):
    built = build_server(simcord_env)
    await consented(simcord_env.bot, built.organiser, built.alice, built.bob)
    return built


def _ids(message):
    rows = message.components
    return [c["custom_id"] if isinstance(c, dict) else c.custom_id
            for row in rows for c in (row["components"] if isinstance(row, dict) else row.children)]


def _asks(member):
    return [m for m in dms(member) if "Did you get home safe?" in (m.content or "")]


def _follow_ups(member):
    return [m for m in dms(member) if "No need to reply" in (m.content or "")]


def _safety_dms(member):
    return _asks(member) + _follow_ups(member)


async def _meetup(server, store, env, **options):
    await setup_events(server)
    await create(server, start=START, **options)
    return (await store.events.upcoming(server.guild.id, env.now()))[-1]


async def _opt_in(member, server, event):
    going = await rsvp(member, server, event.id)
    return await member.click(answer(going), custom_id=f"hearth:sf:ev:{event.id}:{member.id}:on")


async def _home_rows(store, user_id):
    async with store.engine.connect() as connection:
        rows = (await connection.execute(select(due_work).where(due_work.c.kind == "safety.home",
                                                                 due_work.c.user_id == user_id))).all()
    return [row._mapping for row in rows]


async def _forge(env, member, channel, custom_id):
    """`member` sends an interaction carrying someone else's custom_id (as a crafted client could)."""
    stored = env.backend.create_message(channel.id, member.id, "", components=[{"type": 1, "components": [
        {"type": 2, "style": 2, "label": "forged", "custom_id": custom_id}]}])
    return await member.click(to_discord_message(env, stored), custom_id=custom_id)


# tips ----------------------------------------------------------------------------------------------------
async def test_in_person_meetups_carry_the_tip_and_online_ones_do_not(server, store, simcord_env):
    event = await _meetup(server, store, simcord_env)
    await create(server, title="Online games night", start="2026-01-05 19:00", mode="online", venue=None,
                 link="https://meet.example.org/games")
    online = (await store.events.upcoming(server.guild.id, simcord_env.now()))[-1]

    posted = {message.embeds[0].title: message for message in announcements(server)}
    in_person_fields = {field.name: field.value for field in posted[event.title].embeds[0].fields}
    assert in_person_fields["Meeting safely"] == MEETUP_TIP
    assert all(MEETUP_TIP not in (field.value or "") for field in posted[online.title].embeds[0].fields)
    going_online = await rsvp(server.alice, server, online.id)
    assert answer(going_online).components == []  # no company, no journey home to check on

    for member in (server.alice, server.bob):
        going = await rsvp(member, server, event.id)
        await member.click(answer(going), custom_id=f"hearth:ev:alone:{event.id}:ask")
    await run_until(simcord_env, event.start_at - timedelta(hours=48))

    (thread,) = [t for t in server.events.threads if t.name.startswith("Going together")]
    assert MEETUP_TIP in thread.history()[0].content


async def test_a_buddy_intro_for_people_who_could_meet_has_the_tip_and_the_button(server, store, simcord_env):
    await configure(server)
    await join(server.alice, server.general, area="Leeds", preference="in_person")
    await join(server.bob, server.general, area="Leeds", preference="either")

    await server.organiser.slash(server.general, "hearth buddies pair-now")

    (thread,) = threads_of(server.buddies)
    intro = thread.last_message
    assert MEETING_TIP in intro.content and "check you got home OK" in intro.content
    assert [i for i in _ids(intro) if i.startswith("hearth:sf:bd:")] != []


async def test_an_online_only_pair_gets_no_venue_tip_and_no_button(server, store, simcord_env):
    await configure(server)
    await join(server.alice, server.general, area="Leeds", preference="online")
    await join(server.bob, server.general, area="Leeds", preference="either")

    await server.organiser.slash(server.general, "hearth buddies pair-now")

    (thread,) = threads_of(server.buddies)
    intro = thread.last_message
    assert "buddies" in intro.content and MEETING_TIP not in intro.content and "somewhere public" not in intro.content
    assert not any(i.startswith("hearth:sf:") for i in _ids(intro))


# home safe: meetups ----------------------------------------------------------------------------------------
async def test_opted_in_member_is_asked_after_the_end_outside_quiet_hours_and_im_home_ends_it(
        server, store, simcord_env):
    event = await _meetup(server, store, simcord_env)
    await server.alice.slash(server.general, "settings timezone", zone="Europe/London")
    await server.alice.slash(server.general, "settings quiet-hours", start="22:00", end="07:00")

    going = await rsvp(server.alice, server, event.id)
    assert f"hearth:sf:ev:{event.id}:{server.alice.id}:on" in _ids(answer(going))
    opted = await server.alice.click(answer(going), custom_id=f"hearth:sf:ev:{event.id}:{server.alice.id}:on")

    ask_at = datetime(2026, 1, 4, 21, 45, tzinfo=UTC)  # end + 3 h is 22:30, in quiet hours: just before they begin
    assert answer(opted).ephemeral and f"<t:{int(ask_at.timestamp())}:R>" in answer(opted).content
    rows = await _home_rows(store, server.alice.id)
    assert [(row["due_at"].replace(tzinfo=UTC), row["done_at"]) for row in rows] == [(ask_at, None)]
    await run_until(simcord_env, ask_at - timedelta(minutes=1))
    assert _asks(server.alice) == []
    await run_until(simcord_env, ask_at)

    (asked,) = _asks(server.alice)
    assert "Hope **Sunday walk by the river** went well" in asked.content
    home_id = f"hearth:sf:home:{server.alice.id}:e{event.id}"
    assert _ids(asked) == [home_id]
    first = await server.alice.user.click(asked, custom_id=home_id)
    again = await server.alice.user.click(asked, custom_id=home_id)  # a double tap changes nothing
    assert "glad you're home safe" in answer(first).content and "glad you're home safe" in answer(again).content

    await run_until(simcord_env, datetime(2026, 1, 6, 12, 0, tzinfo=UTC))
    assert len(_asks(server.alice)) == 1 and _follow_ups(server.alice) == []
    assert _safety_dms(server.bob) == []  # Bob went too, but never asked for a check


async def test_unanswered_gets_one_gentle_message_to_the_member_and_nothing_to_anyone_else(
        server, store, simcord_env):
    support = server.guild.create_text_channel("mod-support")
    await server.organiser.slash(server.general, "hearth checkins", resources="Talk to any @Helper in #support.",
                                 support_channel=support)
    event = await _meetup(server, store, simcord_env)
    await server.alice.slash(server.general, "settings timezone", zone="Europe/London")
    await _opt_in(server.alice, server, event)
    await rsvp(server.bob, server, event.id)
    channels = {channel.name: len(channel.history()) for channel in (server.general, server.announcements,
                                                                     server.events, support)}

    await run_until(simcord_env, END + timedelta(hours=3))
    assert len(_asks(server.alice)) == 1 and _follow_ups(server.alice) == []
    await run_until(simcord_env, END + timedelta(hours=5) - timedelta(minutes=1))
    assert _follow_ups(server.alice) == []
    await run_until(simcord_env, END + timedelta(hours=5))

    (gentle,) = _follow_ups(server.alice)
    text = gentle.content + "\n" + "\n".join(f"{f.name}: {f.value}" for f in gentle.embeds[0].fields)
    assert "No need to reply — if anything's wrong, here are people who can help:" in gentle.content
    assert "Talk to any @Helper in #support." in text and "116 123" in text and "999" in text
    assert gentle.components == []
    await run_until(simcord_env, datetime(2026, 1, 8, tzinfo=UTC))
    assert len(_follow_ups(server.alice)) == 1  # exactly one, ever
    assert _safety_dms(server.bob) == [] and _safety_dms(server.organiser) == []
    assert {channel.name: len(channel.history()) for channel in (server.general, server.announcements,
                                                                 server.events, support)} == channels


async def test_changing_the_answer_to_cant_go_sends_nothing(server, store, simcord_env):
    event = await _meetup(server, store, simcord_env)
    await _opt_in(server.alice, server, event)

    await rsvp(server.alice, server, event.id, "no")
    await run_until(simcord_env, datetime(2026, 1, 7, tzinfo=UTC))

    assert _safety_dms(server.alice) == []
    assert await _home_rows(store, server.alice.id) == []


async def test_a_cancelled_meetup_sends_nothing(server, store, simcord_env):
    event = await _meetup(server, store, simcord_env)
    await _opt_in(server.alice, server, event)

    await server.organiser.slash(server.general, "event-admin cancel", event=event.id)
    await run_until(simcord_env, datetime(2026, 1, 7, tzinfo=UTC))

    assert any("has been cancelled" in (m.content or "") for m in dms(server.alice))
    assert _safety_dms(server.alice) == []
    assert await _home_rows(store, server.alice.id) == []


async def test_a_moved_meetup_moves_the_check(server, store, simcord_env):
    event = await _meetup(server, store, simcord_env)
    await _opt_in(server.alice, server, event)

    await server.organiser.slash(server.general, "event-admin edit", event=event.id, start="2026-01-04 15:00")
    await run_until(simcord_env, datetime(2026, 1, 4, 19, 29, tzinfo=UTC))  # new end 16:30: asked at 19:30
    assert _asks(server.alice) == []
    await run_until(simcord_env, datetime(2026, 1, 4, 19, 30, tzinfo=UTC))
    assert len(_asks(server.alice)) == 1
    await run_until(simcord_env, END + timedelta(hours=4))  # the old time passes quietly
    assert len(_asks(server.alice)) == 1


async def test_pressing_again_or_no_thanks_turns_it_off(server, store, simcord_env):
    event = await _meetup(server, store, simcord_env)
    opted = await _opt_in(server.alice, server, event)
    assert _ids(answer(opted)) == [f"hearth:sf:ev:{event.id}:{server.alice.id}:off"]

    declined = await server.alice.click(answer(opted), custom_id=f"hearth:sf:ev:{event.id}:{server.alice.id}:off")
    assert "won't check in" in answer(declined).content and await _home_rows(store, server.alice.id) == []
    again = await server.alice.click(answer(declined), custom_id=f"hearth:sf:ev:{event.id}:{server.alice.id}:on")
    assert "I'll message you" in answer(again).content and len(await _home_rows(store, server.alice.id)) == 1
    toggled = await server.alice.click(answer(declined), custom_id=f"hearth:sf:ev:{event.id}:{server.alice.id}:on")
    assert "won't check in" in answer(toggled).content and await _home_rows(store, server.alice.id) == []

    await run_until(simcord_env, datetime(2026, 1, 7, tzinfo=UTC))
    assert _safety_dms(server.alice) == []


async def test_answers_survive_restarts_between_steps(server, store, simcord_env, settings):
    event = await _meetup(server, store, simcord_env)
    await _opt_in(server.alice, server, event)
    await simcord_env.restart_bot(simulated_bot(store, settings))

    await run_until(simcord_env, END + timedelta(hours=3))
    (asked,) = _asks(server.alice)
    await simcord_env.restart_bot(simulated_bot(store, settings))
    home = await server.alice.user.click(asked, custom_id=f"hearth:sf:home:{server.alice.id}:e{event.id}")
    assert "glad you're home safe" in answer(home).content
    await simcord_env.restart_bot(simulated_bot(store, settings))

    await run_until(simcord_env, datetime(2026, 1, 7, tzinfo=UTC))
    assert len(_asks(server.alice)) == 1 and _follow_ups(server.alice) == []


async def test_forged_clicks_by_another_member_are_refused(server, store, simcord_env):
    event = await _meetup(server, store, simcord_env)
    await rsvp(server.alice, server, event.id)
    await rsvp(server.bob, server, event.id)

    forged = await _forge(simcord_env, server.bob, server.general, f"hearth:sf:ev:{event.id}:{server.alice.id}:on")
    assert answer(forged).ephemeral and answer(forged).content == NOT_YOURS
    assert await _home_rows(store, server.alice.id) == [] and await _home_rows(store, server.bob.id) == []

    await _opt_in(server.alice, server, event)
    await run_until(simcord_env, END + timedelta(hours=3))
    home_id = f"hearth:sf:home:{server.alice.id}:e{event.id}"
    forged_home = await _forge(simcord_env, server.bob, server.general, home_id)
    assert answer(forged_home).content == NOT_YOURS
    await run_until(simcord_env, END + timedelta(hours=5))
    assert len(_follow_ups(server.alice)) == 1  # Bob's "I'm home" didn't stand in for Alice's


# home safe: buddies ---------------------------------------------------------------------------------------
async def test_buddies_meeting_in_person_set_a_time_and_a_bad_one_gets_a_sentence(server, store, simcord_env):
    await configure(server)
    await join(server.alice, server.general, area="Leeds", preference="in_person")
    await join(server.bob, server.general, area="Leeds", preference="either")
    await server.alice.slash(server.general, "settings timezone", zone="Europe/London")
    await server.organiser.slash(server.general, "hearth buddies pair-now")
    (thread,) = threads_of(server.buddies)
    (button,) = [i for i in _ids(thread.last_message) if i.startswith("hearth:sf:bd:")]

    shown = await server.alice.click(thread.last_message, custom_id=button)
    bad = await server.alice.submit_modal(shown, {"when": "whenever suits"})
    assert answer(bad).ephemeral and "couldn't read “whenever suits” as a day and time" in answer(bad).content
    assert await _home_rows(store, server.alice.id) == [] and expected_errors(simcord_env) == ["InvalidInput"]

    shown = await server.alice.click(thread.last_message, custom_id=button)
    good = await server.alice.submit_modal(shown, {"when": "2026-01-03 14:00"})
    meeting = datetime(2026, 1, 3, 14, 0, tzinfo=UTC)
    ask_at = meeting + timedelta(hours=4)  # an hour's meeting, then a few hours
    assert answer(good).ephemeral and f"<t:{int(ask_at.timestamp())}:R>" in answer(good).content
    assert "your buddy isn't told" in answer(good).content

    await run_until(simcord_env, ask_at)
    (asked,) = _asks(server.alice)
    assert "Hope meeting your buddy went well" in asked.content
    home_id = f"hearth:sf:home:{server.alice.id}:{time_ref(meeting)}"
    await server.alice.user.click(asked, custom_id=home_id)
    await run_until(simcord_env, ask_at + timedelta(days=1))
    assert _follow_ups(server.alice) == [] and _safety_dms(server.bob) == []
    assert len(thread.history()) == 1  # nothing about it in the buddies' thread


async def test_only_the_buddies_of_a_group_can_set_its_check(server, store, simcord_env):
    await configure(server)
    await join(server.alice, server.general, area="Leeds", preference="in_person")
    await join(server.bob, server.general, area="Leeds", preference="either")
    await server.organiser.slash(server.general, "hearth buddies pair-now")
    (thread,) = threads_of(server.buddies)
    (button,) = [i for i in _ids(thread.last_message) if i.startswith("hearth:sf:bd:")]

    forged = await _forge(simcord_env, server.organiser, server.general, button)

    assert "does nothing for you" in answer(forged).content


async def test_a_buddy_intro_by_dm_carries_a_check_button_bound_to_that_member(server, store, simcord_env):
    await configure(server)
    await join(server.alice, server.general, area="Leeds", preference="in_person")
    await join(server.bob, server.general, area="Leeds", preference="either")
    await server.alice.slash(server.general, "settings timezone", zone="Europe/London")
    simcord_env.inject_error("POST", "/channels/*/threads", status=403, code=50013, message="Missing Permissions")

    await server.organiser.slash(server.general, "hearth buddies pair-now")
    await simcord_env.bot.due_work.sweep()

    intro = server.alice.user.dm_channel.last_message
    assert MEETING_TIP in intro.content
    (button,) = [i for i in _ids(intro) if i.startswith("hearth:sf:bd:")]
    assert button.endswith(f":{server.alice.id}")
    forged = await _forge(simcord_env, server.bob, server.general, button)
    assert answer(forged).content == NOT_YOURS
    shown = await server.alice.user.click(intro, custom_id=button)
    planned = await server.alice.user.submit_modal(shown, {"when": "tomorrow 18:00"})
    assert "I'll message you" in answer(planned).content
    assert len(await _home_rows(store, server.alice.id)) == 1 and await _home_rows(store, server.bob.id) == []


async def test_quiet_hours_set_after_opting_in_still_hold_and_the_follow_up_waits_too(server, store, simcord_env):
    event = await _meetup(server, store, simcord_env)
    await server.alice.slash(server.general, "settings timezone", zone="Europe/London")
    await _opt_in(server.alice, server, event)  # asked at 22:30, as planned now
    await server.alice.slash(server.general, "settings quiet-hours", start="22:00", end="07:00")

    await run_until(simcord_env, END + timedelta(hours=3))
    assert _asks(server.alice) == []  # it fell in quiet hours: moved to when they end
    await run_until(simcord_env, datetime(2026, 1, 5, 7, 0, tzinfo=UTC))
    assert len(_asks(server.alice)) == 1
    await run_until(simcord_env, datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    assert len(_follow_ups(server.alice)) == 1

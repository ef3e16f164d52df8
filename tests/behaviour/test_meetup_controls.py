"""What organisers set on a meetup: when answers close, a role it is open to, access notes, and "I'm here"
(the button on the announcement and the hour-before reminder, and the organiser's code), counted in the
stats and the pulse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from icalendar import Calendar

from bot.demo.sim import simulated_bot
from tests.behaviour.events_world import announcement_of, create, dms, events_server, rsvp, run_until
from tests.behaviour.world import Server, answer, consented, expected_errors, message_text

START = datetime(2026, 1, 4, 10, 30, tzinfo=UTC)  # "2026-01-04 10:30" in London in winter
END = START + timedelta(minutes=90)
ACCESS = "Step-free entrance on Mill Lane; a quiet room upstairs. **Loud** @everyone"


@pytest.fixture
async def server(simcord_env: Any) -> Server:
    return await events_server(simcord_env)


async def _event(server: Server, **options: Any) -> Any:
    _, posted = await create(server, **options)
    assert "Posted in" in answer(posted).content, answer(posted).content
    (event,) = await server.env.bot.store.events.upcoming(server.guild.id, server.env.now())
    return event


async def _member(server: Server, name: str, roles: list[Any] | None = None) -> Any:
    member = server.guild.add_member(server.env.create_user(name), roles=roles or [])
    await consented(server.env.bot, member)
    return member


async def _here(member: Any, server: Server, event_id: int) -> str:
    pressed = await member.click(announcement_of(server, event_id), custom_id=f"hearth:ev:here:{event_id}")
    shown = answer(pressed)
    assert shown.ephemeral
    return str(shown.content)


def _posted_bodies(env: Any, path: str) -> list[dict[str, Any]]:
    return [request.json or {} for request in env.http_requests if request.method in ("POST", "PATCH")
            and request.path == path]


def _field(message: Any, name: str) -> str:
    return next(field.value for field in message.embeds[0].fields if field.name == name)


# --- access notes ------------------------------------------------------------------------------------------

async def test_access_notes_show_on_the_announcement_the_reminder_and_the_ics(server, simcord_env):
    event = await _event(server, access=ACCESS + "\x07")
    assert event.access_notes == ACCESS  # the control character is gone
    shown = _field(announcement_of(server, event.id), "Access")
    assert "Step-free entrance on Mill Lane" in shown and "\\*\\*Loud\\*\\*" in shown and "@everyone" not in shown

    await rsvp(server.alice, server, event.id)
    await run_until(simcord_env, START - timedelta(hours=1))
    reminder = dms(server.alice)[-1]
    assert "in an hour" in reminder.content and "Access: Step-free entrance" in reminder.content
    ids = [child.custom_id for row in reminder.components for child in row.children]
    assert ids == [f"hearth:ev:here:{event.id}"]  # "I'm here" on the hour-before reminder

    result = await server.alice.slash(server.general, "event ics", event=event.id)
    vevent = next(iter(Calendar.from_ical(await result.response.attachments[0].read()).walk("VEVENT")))
    assert str(vevent["DESCRIPTION"]).endswith("Access: " + ACCESS)


async def test_editing_changes_and_clears_the_access_notes(server, store):
    event = await _event(server, access="Seating for everyone")
    await server.organiser.slash(server.general, "event-admin edit", event=event.id, access="Lift to the 1st floor")
    assert _field(announcement_of(server, event.id), "Access") == "Lift to the 1st floor"
    await server.organiser.slash(server.general, "event-admin edit", event=event.id, access=" ")
    assert (await store.events.get(event.id)).access_notes is None
    assert "Access" not in [field.name for field in announcement_of(server, event.id).embeds[0].fields]


async def test_a_series_copies_role_access_and_close_to_each_date(server, simcord_env, store):
    walkers = server.guild.create_role("Walkers")
    first = await _event(server, repeat="weekly", times=3, access="Step-free", role=walkers,
                         rsvp_closes="2026-01-03 18:00")
    await run_until(simcord_env, START + timedelta(minutes=1))  # the second date is announced as the first starts
    second = await store.series.occurrence(first.series_id, 2)
    assert second is not None
    assert (second.access_notes, second.role_id) == ("Step-free", walkers.id)
    assert second.rsvp_closes_at == second.start_at - (START - datetime(2026, 1, 3, 18, tzinfo=UTC))


# --- answers close ------------------------------------------------------------------------------------------

async def test_after_the_close_going_and_maybe_get_a_sentence_and_cant_go_still_works(server, simcord_env, store):
    closes = datetime(2026, 1, 3, 18, tzinfo=UTC)
    event = await _event(server, rsvp_closes="2026-01-03 18:00")
    assert event.rsvp_closes_at == closes
    assert f"Answers close <t:{int(closes.timestamp())}:R>" in message_text(announcement_of(server, event.id))
    await rsvp(server.alice, server, event.id)  # before the close: fine

    await run_until(simcord_env, closes - timedelta(minutes=1))
    assert "Marked as maybe" in answer(await rsvp(server.bob, server, event.id, "maybe")).content
    await run_until(simcord_env, closes)
    for status in ("going", "maybe"):
        refused = answer(await rsvp(server.bob, server, event.id, status))
        assert f"Answers for this meetup closed <t:{int(closes.timestamp())}:f>" in refused.content
        assert refused.ephemeral
    freed = answer(await rsvp(server.alice, server, event.id, "no"))
    assert "Thanks for letting us know" in freed.content
    answers = await store.events.rsvps(event.id)
    assert answers["going"] == [] and answers["maybe"] == [server.bob.id] and answers["no"] == [server.alice.id]


async def test_a_close_time_after_the_start_gets_a_sentence_and_nothing_is_posted(server):
    shown = await server.organiser.slash(server.general, "event-admin create", title="Walk", start="2026-01-04 10:30",
                                         duration=60, mode="in_person", venue="Mill Lane", tag="walk",
                                         rsvp_closes="2026-01-04 11:00")
    assert "Answers must close before the meetup starts" in answer(shown).content
    assert server.events.last_message is None
    assert expected_errors(server.env) == ["InvalidInput"]


async def test_moving_the_start_keeps_the_close_times_gap_and_start_reopens_until_the_start(server, store):
    event = await _event(server, rsvp_closes="2026-01-04 08:30")
    await server.organiser.slash(server.general, "event-admin edit", event=event.id, start="2026-01-05 10:30")
    moved = await store.events.get(event.id)
    assert moved.rsvp_closes_at == moved.start_at - timedelta(hours=2)
    await server.organiser.slash(server.general, "event-admin edit", event=event.id, rsvp_closes="start")
    assert (await store.events.get(event.id)).rsvp_closes_at is None
    assert "Answers close" not in message_text(announcement_of(server, event.id))


# --- role-limited meetups -----------------------------------------------------------------------------------

async def test_a_role_limited_meetup_says_who_can_join_and_refuses_others(server, simcord_env, store):
    walkers = server.guild.create_role("Walkers")
    dana = await _member(server, "dana", roles=[walkers])
    event = await _event(server, role=walkers)
    message = announcement_of(server, event.id)
    assert _field(message, "Who can join") == f"Open to members with the <@&{walkers.id}> role"
    # On the wire: the role mention shows the role's name, and pings nobody.
    for body in _posted_bodies(simcord_env, f"/channels/{server.events.id}/messages"):
        policy = body["allowed_mentions"]
        assert not policy.get("parse") and not policy.get("roles")

    for status in ("going", "maybe"):
        refused = answer(await rsvp(server.alice, server, event.id, status))
        assert refused.content == (f"This meetup is open to members with the <@&{walkers.id}> role, and you don't "
                                   "have it.")
    refusals = [request.json["data"] for request in simcord_env.http_requests if request.path.endswith("/callback")
                and "<@&" in str((request.json or {}).get("data", {}).get("content"))]
    assert len(refusals) == 2 and all(not body["allowed_mentions"].get("parse") and not
                                      body["allowed_mentions"].get("roles") for body in refusals)
    assert "You're going" in answer(await rsvp(dana, server, event.id)).content
    assert (await store.events.rsvps(event.id))["going"] == [dana.id]

    # The organiser opens it to everyone: Alice can join now.
    await server.organiser.slash(server.general, "event-admin edit", event=event.id, role=server.guild.default_role)
    assert "Who can join" not in message_text(announcement_of(server, event.id))
    assert "You're going" in answer(await rsvp(server.alice, server, event.id)).content


async def test_going_together_needs_the_role_too(server, store):
    walkers = server.guild.create_role("Walkers")
    event = await _event(server)
    going = answer(await rsvp(server.alice, server, event.id))
    await server.organiser.slash(server.general, "event-admin edit", event=event.id, role=walkers)

    asked = answer(await server.alice.click(going, custom_id=f"hearth:ev:alone:{event.id}:ask"))
    assert f"<@&{walkers.id}>" in asked.content
    assert not await store.companions.has_requested(event.id, server.alice.id)


# --- "I'm here" ---------------------------------------------------------------------------------------------

async def test_im_here_opens_30_minutes_before_and_closes_at_the_end(server, simcord_env, store):
    event = await _event(server)
    carol = await _member(server, "carol")
    await rsvp(server.alice, server, event.id)
    await rsvp(carol, server, event.id)

    await run_until(simcord_env, START - timedelta(minutes=31))
    assert "opens 30 minutes before the start" in await _here(server.alice, server, event.id)
    await run_until(simcord_env, START - timedelta(minutes=29))
    assert "You're marked as here" in await _here(server.alice, server, event.id)
    assert "already marked as here" in await _here(server.alice, server, event.id)
    assert "haven't said you're going" in await _here(server.bob, server, event.id)
    await run_until(simcord_env, END)
    assert "has ended" in await _here(carol, server, event.id)

    rows = {user: await store.events.answer_of(event.id, user) for user in (server.alice.id, carol.id)}
    assert rows[server.alice.id] == ("going", START - timedelta(minutes=29))
    assert rows[carol.id] == ("going", None)


async def test_im_here_works_after_a_restart(server, simcord_env, store, settings):
    event = await _event(server)
    await rsvp(server.alice, server, event.id)
    await simcord_env.restart_bot(simulated_bot(store, settings))
    await run_until(simcord_env, START - timedelta(minutes=10))
    assert "You're marked as here" in await _here(server.alice, server, event.id)


async def test_the_organisers_code_marks_arrival_and_a_wrong_one_gets_a_sentence(server, simcord_env, store):
    event = await _event(server)
    await rsvp(server.alice, server, event.id)
    shown = answer(await server.organiser.slash(server.general, "event-admin code", event=event.id))
    code = (await store.events.get(event.id)).arrival_code
    assert shown.ephemeral and code and f"**{code}**" in shown.content
    again = answer(await server.organiser.slash(server.general, "event-admin code", event=event.id))
    assert f"**{code}**" in again.content  # the same code every time

    await run_until(simcord_env, START - timedelta(minutes=5))
    wrong = answer(await server.alice.slash(server.general, "event here", code="NOPE00"))
    assert "doesn't match a meetup here" in wrong.content
    right = answer(await server.alice.slash(server.general, "event here", code=code.lower()))
    assert right.ephemeral and "You're marked as here" in right.content
    assert (await store.events.answer_of(event.id, server.alice.id)) == ("going", START - timedelta(minutes=5))
    not_going = answer(await server.bob.slash(server.general, "event here", code=code))
    assert "haven't said you're going" in not_going.content
    assert expected_errors(simcord_env) == ["InvalidInput", "InvalidInput"]


async def test_online_meetups_have_no_im_here(server):
    event = await _event(server, mode="online", venue=None, link="https://meet.example.org/walk")
    ids = [c.custom_id for row in announcement_of(server, event.id).components for c in row.children]
    assert f"hearth:ev:here:{event.id}" not in ids
    refused = answer(await server.organiser.slash(server.general, "event-admin code", event=event.id))
    assert "for meetups in person" in refused.content
    assert expected_errors(server.env) == ["InvalidInput"]


# --- stats and pulse ----------------------------------------------------------------------------------------

async def _crowd(server: Server, event_id: int, going: int, arrive: int) -> None:
    people = [await _member(server, f"zq_{index}") for index in range(going)]
    for member in people:
        await rsvp(member, server, event_id)
    await run_until(server.env, START - timedelta(minutes=15))
    for member in people[:arrive]:
        await _here(member, server, event_id)


async def test_stats_show_arrivals_from_five_going(server, simcord_env):
    event = await _event(server)
    await _crowd(server, event.id, going=4, arrive=4)
    await run_until(simcord_env, END + timedelta(minutes=5))
    few = message_text(answer(await server.organiser.slash(server.general, "event-admin stats")))
    assert "Arrived (“I'm here”): fewer than 5 going, so not shown" in few

    second = await _event(server, start="2026-01-06 10:30", title="Tuesday walk")
    await _crowd_at(server, second.id, going=3, arrive=1, start=datetime(2026, 1, 6, 10, 30, tzinfo=UTC))
    await run_until(simcord_env, datetime(2026, 1, 6, 12, 5, tzinfo=UTC))
    shown = message_text(answer(await server.organiser.slash(server.general, "event-admin stats")))
    assert "Arrived (“I'm here”): 5 of 7 going" in shown


async def _crowd_at(server: Server, event_id: int, *, going: int, arrive: int, start: datetime) -> None:
    people = [await _member(server, f"zq_b{index}") for index in range(going)]
    for member in people:
        await rsvp(member, server, event_id)
    await run_until(server.env, start - timedelta(minutes=15))
    for member in people[:arrive]:
        await _here(member, server, event_id)


async def test_the_pulse_counts_arrivals_only_when_both_sides_have_five(server, simcord_env):
    event = await _event(server)
    await _crowd(server, event.id, going=11, arrive=6)
    await run_until(simcord_env, datetime(2026, 1, 5, 10, tzinfo=UTC))  # the week of the walk is complete
    text = message_text(answer(await server.organiser.slash(server.general, "hearth pulse", weeks=4)))
    assert "Going: 11 answers (1 of 4 weeks). Arrived (“I'm here”): 6 answers (1 of 4 weeks)." in text


async def test_the_pulse_hides_arrivals_when_fewer_than_five_did_not_arrive(server, simcord_env):
    event = await _event(server)
    await _crowd(server, event.id, going=8, arrive=6)
    await run_until(simcord_env, datetime(2026, 1, 5, 10, tzinfo=UTC))
    text = message_text(answer(await server.organiser.slash(server.general, "hearth pulse", weeks=4)))
    assert "Going: 8 answers (1 of 4 weeks)." in text and "Arrived (“I'm here”): not enough members" in text

"""/event: announce a meetup, RSVP with one click, waitlist promotion, scheduled event, cancel, edit, list, ics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import discord
import pytest
from icalendar import Calendar
from simcord.backend.errors import SetupError

from bot.demo.sim import simulated_bot
from tests.behaviour.world import answer, build_server, embed_text, expected_errors


@pytest.fixture
def server(simcord_env):
    return build_server(simcord_env)


async def _setup(server):
    await server.organiser.slash(server.general, "hearth setup", events=server.events, timezone="Europe/London")


async def _create(server, **options):
    values = {"title": "Sunday walk by the river", "start": "2026-01-04 10:30", "duration": 90, "mode": "in_person",
              "venue": "Mill Lane car park", "area": "Leeds", "tag": "walk", **options}
    shown = await server.organiser.slash(server.general, "event-admin create", **values)
    posted = await server.organiser.click(shown.response, custom_id="hearth:ev:confirm")
    return shown, posted


def _announcement(server):
    return server.events.last_message


async def test_an_events_channel_that_refuses_the_announcement_gets_a_sentence(server, simcord_env):
    await _setup(server)
    simcord_env.inject_error("POST", f"/channels/{server.events.id}/messages", status=403)

    _, posted = await _create(server)

    assert "I couldn't post in the events channel" in answer(posted).content
    assert "Send Messages" in answer(posted).content
    assert server.events.last_message is None


async def test_create_confirms_the_parsed_time_then_posts_with_rsvp_buttons(server, store, simcord_env):
    await _setup(server)

    shown = await server.organiser.slash(server.general, "event-admin create", title="Board games night",
                                         start="friday 7pm", duration=120, mode="in_person",
                                         venue="The Corner Café", tag="games", capacity=8)

    assert shown.ephemeral and "Check before posting: Board games night" in embed_text(shown)
    assert server.events.last_message is None  # nothing posted before confirming
    await server.organiser.click(shown.response, custom_id="hearth:ev:confirm")
    message = _announcement(server)
    assert message.embeds[0].title == "Board games night"
    event = (await store.events.upcoming(server.guild.id, simcord_env.now()))[0]
    local = event.start_at.astimezone(ZoneInfo("Europe/London"))
    assert (local.strftime("%A %H:%M"), local.date() > simcord_env.now().date()) == ("Friday 19:00", True)
    assert f"<t:{int(event.start_at.timestamp())}:F>" in message.embeds[0].fields[0].value
    ids = [c.custom_id for row in message.components for c in row.children]
    assert ids == [f"hearth:ev:rsvp:{event.id}:{s}" for s in ("going", "maybe", "no")] + [f"hearth:ev:here:{event.id}"]
    assert event.scheduled_event_id is not None
    scheduled = server.guild.me.guild.get_scheduled_event(event.scheduled_event_id)
    assert scheduled.name == "Board games night" and scheduled.location == "The Corner Café"


@pytest.mark.parametrize(("options", "says"), [
    ({"start": "yesterday 7pm"}, "past"),
    ({"start": "whenever"}, "I couldn't read “whenever” as a day and time"),
    ({"title": "x" * 150}, "100"),
    ({"mode": "online", "venue": None}, "needs a link"),
    ({"venue": None}, "needs a venue"),
])
async def test_bad_input_gets_a_sentence_and_nothing_is_posted(server, options, says):
    await _setup(server)
    values = {"title": "Walk", "start": "2026-01-04 10:30", "duration": 60, "mode": "in_person",
              "venue": "Park", "tag": "walk", **options}
    values = {k: v for k, v in values.items() if v is not None}

    result = await server.organiser.slash(server.general, "event-admin create", **values)

    assert result.ephemeral and says in result.response.content
    assert server.events.last_message is None
    assert expected_errors(server.env) == ["InvalidInput"]


async def test_members_cannot_create_events_and_the_organiser_role_can(server, store, simcord_env):
    await _setup(server)
    options = {"title": "Walk", "start": "2026-01-04 10:30", "duration": 60, "mode": "in_person", "venue": "Park",
               "tag": "walk"}
    with pytest.raises(SetupError, match="default-member-permissions"):  # Discord hides it without Manage Events
        await server.alice.slash(server.general, "event-admin create", **options)
    admin = next(c for c in await simcord_env.bot.tree.fetch_commands() if c.name == "event-admin")
    hosts = server.guild.create_role("Hosts")
    host = server.guild.add_member(server.env.create_user("hana"), roles=[hosts])
    server.guild.set_command_permissions(admin, {hosts: True, server.alice: True})  # a server's own override

    refused = await server.alice.slash(server.general, "event-admin create", **options)
    assert refused.response.content.startswith("Only organisers can do that")  # and checked again at run time
    assert expected_errors(server.env) == ["NotOrganiser"]

    await server.organiser.slash(server.general, "hearth setup", organiser_role=hosts)
    allowed = await host.slash(server.general, "event-admin create", **options)
    assert "Check before posting" in embed_text(allowed)


async def test_rsvp_updates_live_counts_and_answers_privately(server, store):
    await _setup(server)
    await _create(server, capacity=10)
    event_id = (await store.events.upcoming(server.guild.id, server.env.now()))[0].id

    going = await server.alice.click(_announcement(server), custom_id=f"hearth:ev:rsvp:{event_id}:going")
    await server.bob.click(_announcement(server), custom_id=f"hearth:ev:rsvp:{event_id}:maybe")

    assert "You're going!" in answer(going).content and answer(going).ephemeral
    fields = {f.name: f.value for f in _announcement(server).embeds[0].fields}
    assert fields["Going"] == "1 of 10 places taken" and fields["Maybe"] == "1"
    assert (await store.events.rsvps(event_id))["going"] == [server.alice.id]


async def test_at_capacity_going_joins_the_waitlist_and_a_dropout_offers_the_first_the_place(server, store,
                                                                                              simcord_env):
    await _setup(server)
    await _create(server, capacity=1)
    event_id = (await store.events.upcoming(server.guild.id, simcord_env.now()))[0].id
    carol = server.guild.add_member(simcord_env.create_user("carol"))

    await server.alice.click(_announcement(server), custom_id=f"hearth:ev:rsvp:{event_id}:going")
    waiting = await server.bob.click(_announcement(server), custom_id=f"hearth:ev:rsvp:{event_id}:going")
    await carol.click(_announcement(server), custom_id=f"hearth:ev:rsvp:{event_id}:going")
    assert "#1 on the waitlist" in answer(waiting).content
    assert _announcement(server).embeds[0].fields[2].value == "1 of 1 places taken · 2 on the waitlist"

    await server.alice.click(_announcement(server), custom_id=f"hearth:ev:rsvp:{event_id}:no")

    answers = await store.events.rsvps(event_id)  # held for Bob until he takes it: see test_waitlist_offers.py
    assert answers["offered"] == [server.bob.id] and answers["waitlist"] == [carol.id]
    await simcord_env.bot.due_work.sweep()  # the offer DM is queued, and sent by the next sweep
    assert "a place opened up" in server.bob.user.dm_channel.last_message.content


async def test_rsvp_buttons_work_after_a_restart(server, store, settings, simcord_env):
    await _setup(server)
    await _create(server)
    event_id = (await store.events.upcoming(server.guild.id, simcord_env.now()))[0].id

    await simcord_env.restart_bot(simulated_bot(store, settings))
    result = await server.alice.click(_announcement(server), custom_id=f"hearth:ev:rsvp:{event_id}:going")

    assert "You're going!" in answer(result).content


async def test_answers_close_once_the_meetup_has_started(server, store, simcord_env):
    await _setup(server)
    await _create(server, start="2026-01-02 09:00")
    event = (await store.events.upcoming(server.guild.id, simcord_env.now()))[0]
    await simcord_env.advance_time((event.start_at - simcord_env.now()).total_seconds() + 60)

    result = await server.alice.click(_announcement(server), custom_id=f"hearth:ev:rsvp:{event.id}:going")

    assert result.ephemeral and "already started" in result.response.content
    assert (await store.events.rsvps(event.id))["going"] == []


async def test_cancel_tells_attendees_and_keeps_the_scheduled_event_in_step(server, store, simcord_env):
    await _setup(server)
    await _create(server)
    event = (await store.events.upcoming(server.guild.id, simcord_env.now()))[0]
    await server.alice.click(_announcement(server), custom_id=f"hearth:ev:rsvp:{event.id}:going")

    result = await server.organiser.slash(server.general, "event-admin cancel", event=event.id)

    assert "letting the 1 person who answered know by DM" in answer(result).content
    await simcord_env.bot.due_work.sweep()
    assert "has been cancelled" in server.alice.user.dm_channel.last_message.content
    assert _announcement(server).embeds[0].title.startswith("Cancelled: ")
    assert _announcement(server).components == []
    scheduled = server.guild.me.guild.get_scheduled_event(event.scheduled_event_id)
    assert scheduled.status == discord.EventStatus.cancelled


async def test_edit_moves_the_time_and_a_bigger_room_lets_the_waitlist_in(server, store, simcord_env):
    await _setup(server)
    await _create(server, capacity=1)
    event = (await store.events.upcoming(server.guild.id, simcord_env.now()))[0]
    await server.alice.click(_announcement(server), custom_id=f"hearth:ev:rsvp:{event.id}:going")
    await server.bob.click(_announcement(server), custom_id=f"hearth:ev:rsvp:{event.id}:going")

    await server.organiser.slash(server.general, "event-admin edit", event=event.id, start="2026-01-04 11:00",
                                 capacity=2)

    edited = await store.events.get(event.id)
    assert edited.start_at == datetime(2026, 1, 4, 11, tzinfo=UTC)
    answers = await store.events.rsvps(event.id)
    assert answers["going"] == [server.alice.id] and answers["offered"] == [server.bob.id]
    await simcord_env.bot.due_work.sweep()
    assert "a place opened up" in server.bob.user.dm_channel.last_message.content
    scheduled = server.guild.me.guild.get_scheduled_event(event.scheduled_event_id)
    assert scheduled.start_time == edited.start_at
    assert "1 of 2 places taken · 1 place on offer" in _announcement(server).embeds[0].fields[2].value


async def test_list_and_ics(server, store, simcord_env):
    await _setup(server)
    await _create(server, description="Bring boots; tea after, at the café.")
    event = (await store.events.upcoming(server.guild.id, simcord_env.now()))[0]

    listed = await server.alice.slash(server.general, "event list")
    assert listed.ephemeral and "Sunday walk by the river" in embed_text(listed)
    choices = await server.alice.autocomplete(server.general, "event ics", "event", "walk")
    assert [c["value"] for c in choices] == [event.id]
    result = await server.alice.slash(server.general, "event ics", event=event.id)

    attachment = result.response.attachments[0]
    assert attachment.filename == f"meetup-{event.id}.ics"
    calendar = Calendar.from_ical(await attachment.read())
    vevent = next(iter(calendar.walk("VEVENT")))
    assert str(vevent["SUMMARY"]) == "Sunday walk by the river"
    assert vevent["DTSTART"].dt == event.start_at
    assert str(vevent["DESCRIPTION"]) == "Bring boots; tea after, at the café."


async def test_list_with_nothing_planned_says_so(server):
    result = await server.alice.slash(server.general, "event list")

    assert "Nothing planned yet" in embed_text(result)


def _reminders(member):
    return [m.content for m in member.user.dm_channel.history() if m.content.startswith("⏰")]


async def _run_until(env, moment):
    await env.advance_time(max(0.0, (moment - env.now()).total_seconds()))
    await env.bot.due_work.sweep()


async def test_going_members_are_reminded_a_day_and_an_hour_before_with_who_else_is_going(server, store,
                                                                                        simcord_env):
    await _setup(server)
    await _create(server)
    event = (await store.events.upcoming(server.guild.id, simcord_env.now()))[0]
    await server.alice.click(_announcement(server), custom_id=f"hearth:ev:rsvp:{event.id}:going")
    await server.bob.click(_announcement(server), custom_id=f"hearth:ev:rsvp:{event.id}:going")

    await _run_until(simcord_env, event.start_at - timedelta(hours=24))
    assert len(_reminders(server.alice)) == 1
    day_before = _reminders(server.alice)[0]
    assert "is tomorrow" in day_before and "Mill Lane car park" in day_before
    assert "Also going: bob" in day_before and f"<@{server.bob.id}>" not in day_before
    await _run_until(simcord_env, event.start_at - timedelta(hours=1))
    assert "in an hour" in _reminders(server.alice)[-1]
    assert len(_reminders(server.bob)) == 2


async def test_no_reminder_for_a_cancelled_meetup_or_after_saying_cant_go(server, store, simcord_env):
    await _setup(server)
    await _create(server)
    await _create(server, title="Second walk", start="2026-01-05 10:30")
    first, second = await store.events.upcoming(server.guild.id, simcord_env.now())
    await server.alice.click(server.events.history()[-2], custom_id=f"hearth:ev:rsvp:{first.id}:going")
    await server.alice.click(_announcement(server), custom_id=f"hearth:ev:rsvp:{second.id}:going")
    await server.alice.click(_announcement(server), custom_id=f"hearth:ev:rsvp:{second.id}:no")
    await server.organiser.slash(server.general, "event-admin cancel", event=first.id)

    await _run_until(simcord_env, second.start_at - timedelta(minutes=5))

    assert _reminders(server.alice) == []


async def test_moving_a_meetup_moves_its_reminders(server, store, simcord_env):
    await _setup(server)
    await _create(server)
    event = (await store.events.upcoming(server.guild.id, simcord_env.now()))[0]
    await server.alice.click(_announcement(server), custom_id=f"hearth:ev:rsvp:{event.id}:going")

    await server.organiser.slash(server.general, "event-admin edit", event=event.id, start="2026-01-04 15:00")
    await _run_until(simcord_env, datetime(2026, 1, 4, 14, 5, tzinfo=UTC))

    sent = _reminders(server.alice)  # both fall due in one sweep, sent side by side: either may arrive first
    assert len(sent) == 2 and any("in an hour" in text for text in sent)
    assert all("<t:1767538800:F>" in text for text in sent)  # 15:00 UTC, 4 January 2026


async def test_a_member_can_choose_their_reminders(server, store, simcord_env):
    await _setup(server)
    await _create(server)
    event = (await store.events.upcoming(server.guild.id, simcord_env.now()))[0]
    await server.alice.click(_announcement(server), custom_id=f"hearth:ev:rsvp:{event.id}:going")

    chosen = await server.alice.slash(server.general, "event reminders", when="hour")
    await _run_until(simcord_env, event.start_at - timedelta(minutes=30))

    assert "applies to the 1 meetup you're going to" in chosen.response.content
    sent = _reminders(server.alice)
    assert len(sent) == 1 and "in an hour" in sent[0]


async def test_reminder_choices_hold_after_a_restart(server, store, settings, simcord_env):
    await _setup(server)
    await _create(server)
    await _create(server, title="Second walk", start="2026-01-05 10:30")
    first, second = await store.events.upcoming(server.guild.id, simcord_env.now())
    await server.alice.click(server.events.history()[-2], custom_id=f"hearth:ev:rsvp:{first.id}:going")
    await server.alice.slash(server.general, "event reminders", when="day")

    await simcord_env.restart_bot(simulated_bot(store, settings))
    await server.alice.click(_announcement(server), custom_id=f"hearth:ev:rsvp:{second.id}:going")
    shown = await server.alice.slash(server.general, "settings show")
    for event in (first, second):
        await _run_until(simcord_env, event.start_at - timedelta(hours=24))
        await _run_until(simcord_env, event.start_at - timedelta(minutes=30))

    assert "Meetup reminders: a day before" in embed_text(shown)
    sent = _reminders(server.alice)
    assert len(sent) == 2 and all("is tomorrow" in text for text in sent)  # no hour-before for either


async def test_the_meetup_list_in_autocomplete_shows_the_members_own_time(server, store, simcord_env):
    await _setup(server)
    await _create(server)  # Sunday 4 January 2026, 10:30 in London (the organiser's zone)
    await server.alice.slash(server.general, "settings timezone", zone="America/New_York")

    (choice,) = await server.alice.autocomplete(server.general, "event ics", "event", "walk")

    assert "(Jan 4 05:30 EST)" in choice["name"]  # the reader's locale (en-US here) writes the day

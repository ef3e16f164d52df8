"""/event-admin create repeat:… — a series whose dates are each their own meetup, announced one at a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.demo.sim import simulated_bot
from bot.domain.event_series import SeriesAnnouncement
from bot.scheduling import DueWorkRunner
from bot.services.event_series import SERIES_KIND
from cogs.events._components import COG_NAME, rsvp_view
from cogs.events._render import announcement_embed
from tests.behaviour.events_world import (
    announcement_of,
    announcements,
    create,
    message_by_id,
    rsvp,
    run_until,
    setup_events,
)
from tests.behaviour.world import answer, build_server, embed_text, expected_errors

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def server(simcord_env):
    return build_server(simcord_env)


async def test_the_confirmation_shows_the_first_dates_and_only_the_first_is_announced(server, store, simcord_env):
    await setup_events(server)

    shown = await server.organiser.slash(server.general, "event-admin create", title="Sunday walk",
                                         start="2026-01-04 10:30", duration=90, mode="in_person", venue="Mill Lane",
                                         tag="walk", repeat="weekly", times=6)

    text = embed_text(shown)
    assert "Repeats: every Sunday at 10:30, 6 times (Europe/London time)" in text
    sundays = [datetime(2026, 1, day, 10, 30, tzinfo=UTC) for day in (4, 11, 18, 25)]
    assert all(f"<t:{int(moment.timestamp())}:F>" in text for moment in sundays)
    await server.organiser.click(shown.response, custom_id="hearth:ev:confirm")
    assert len(announcements(server)) == 1
    event = (await store.events.upcoming(server.guild.id, simcord_env.now()))[0]
    assert (event.occurrence, event.start_at) == (1, sundays[0])
    assert "repeating meetup" in announcements(server)[0].embeds[0].footer.text
    row = await store.due_work.get(f"event-series:{event.series_id}:2")
    assert row is not None and row["due_at"] == sundays[0]  # the 2nd is announced when the 1st starts


async def test_each_date_is_announced_when_the_one_before_starts_with_its_own_answers(server, store, simcord_env):
    await setup_events(server)
    await create(server, repeat="weekly", times=3)
    first = (await store.events.upcoming(server.guild.id, simcord_env.now()))[0]
    await rsvp(server.alice, server, first.id)

    await run_until(simcord_env, first.start_at - timedelta(minutes=1))
    assert len(announcements(server)) == 1  # not yet
    await run_until(simcord_env, first.start_at)
    await simcord_env.bot.due_work.sweep()  # running again never announces twice

    assert len(announcements(server)) == 2
    second = (await store.events.upcoming(server.guild.id, simcord_env.now()))[-1]
    assert (second.occurrence, second.start_at) == (2, first.start_at + timedelta(days=7))
    assert second.scheduled_event_id is not None and second.message_id is not None
    assert (await store.events.rsvps(second.id))["going"] == []  # Alice answered for the first date only
    going = await rsvp(server.bob, server, second.id)
    assert "You're going!" in answer(going).content
    assert (await store.events.rsvps(second.id))["going"] == [server.bob.id]
    assert (await store.events.rsvps(first.id))["going"] == [server.alice.id]

    await run_until(simcord_env, second.start_at)
    third = await store.series.occurrence(first.series_id, 3)
    await run_until(simcord_env, third.start_at + timedelta(days=30))
    assert len(announcements(server)) == 3  # times:3 means three, then it stops


async def test_dates_keep_their_local_time_across_the_clock_change(server, store, simcord_env):
    await setup_events(server)
    await create(server, title="Choir", start="2026-03-22 19:00", repeat="weekly", times=2)
    first = (await store.events.upcoming(server.guild.id, simcord_env.now()))[0]

    await run_until(simcord_env, first.start_at)

    second = await store.series.occurrence(first.series_id, 2)
    assert first.start_at == datetime(2026, 3, 22, 19, 0, tzinfo=UTC)  # GMT
    assert second.start_at == datetime(2026, 3, 29, 18, 0, tzinfo=UTC)  # BST: still 19:00 in London
    assert second.start_at.astimezone(LONDON).strftime("%A %H:%M") == "Sunday 19:00"


async def test_monthly_on_the_2nd_tuesday_is_announced_two_weeks_ahead(server, store, simcord_env):
    await setup_events(server)
    shown = await server.organiser.slash(server.general, "event-admin create", title="Book club",
                                         start="2026-01-13 19:00", duration=90, mode="in_person", venue="Library",
                                         tag="hobby club", repeat="monthly_nth_weekday", until="2026-06-30")
    assert "the 2nd Tuesday of each month at 19:00, until Tuesday, June 30, 2026" in embed_text(shown)
    await server.organiser.click(shown.response, custom_id="hearth:ev:confirm")
    first = (await store.events.upcoming(server.guild.id, simcord_env.now()))[0]

    await run_until(simcord_env, datetime(2026, 1, 27, 18, 59, tzinfo=UTC))
    assert len(announcements(server)) == 1
    await run_until(simcord_env, datetime(2026, 1, 27, 19, 0, tzinfo=UTC))

    second = await store.series.occurrence(first.series_id, 2)
    assert second.start_at == datetime(2026, 2, 10, 19, 0, tzinfo=UTC)
    assert len(announcements(server)) == 2


async def test_cancel_this_one_keeps_the_series_and_this_and_later_stops_it(server, store, simcord_env):
    await setup_events(server)
    await create(server, repeat="weekly", times=6)
    first = (await store.events.upcoming(server.guild.id, simcord_env.now()))[0]
    series = store.series
    await run_until(simcord_env, first.start_at)
    second = await series.occurrence(first.series_id, 2)
    await rsvp(server.alice, server, second.id)

    one = await server.organiser.slash(server.general, "event-admin cancel", event=second.id, scope="one")
    assert "letting the 1 person who answered know" in answer(one).content
    cancelled = await store.events.get(second.id)
    assert message_by_id(server, cancelled.message_id).embeds[0].title.startswith("Cancelled: ")
    await run_until(simcord_env, second.start_at)
    third = await series.occurrence(first.series_id, 3)
    assert third is not None and third.status == "scheduled"  # the series carries on
    await rsvp(server.bob, server, third.id)

    later = await server.organiser.slash(server.general, "event-admin cancel", event=third.id, scope="later")

    assert "no later dates will be announced" in answer(later).content
    assert (await series.occurrence(first.series_id, 3)).status == "cancelled"
    await simcord_env.bot.due_work.sweep()  # cancellation notices are queued as due work
    assert "has been cancelled" in server.bob.user.dm_channel.last_message.content
    assert (await series.get(first.series_id)).stopped_after == 2
    await run_until(simcord_env, third.start_at + timedelta(days=30))
    assert await series.occurrence(first.series_id, 4) is None
    assert len(announcements(server)) == 3


async def test_edit_this_and_later_carries_to_dates_not_yet_announced(server, store, simcord_env):
    await setup_events(server)
    await create(server, repeat="weekly", times=3)
    first = (await store.events.upcoming(server.guild.id, simcord_env.now()))[0]

    moved = await server.organiser.slash(server.general, "event-admin edit", event=first.id, start="2026-01-05 10:30",
                                         scope="later")
    assert "moves one date at a time" in moved.response.content
    assert expected_errors(simcord_env) == ["InvalidInput"]
    edited = await server.organiser.slash(server.general, "event-admin edit", event=first.id, venue="The bandstand",
                                          scope="later")
    assert "and every later date" in answer(edited).content
    await run_until(simcord_env, first.start_at)

    second = await store.series.occurrence(first.series_id, 2)
    assert (await store.events.get(first.id)).venue == second.venue == "The bandstand"
    assert "The bandstand" in announcement_of(server, second.id).embeds[0].fields[1].value


async def test_the_whole_series_as_one_repeating_calendar_entry(server, store, simcord_env):
    await setup_events(server)
    await create(server, repeat="every_other_week", times=4)
    first = (await store.events.upcoming(server.guild.id, simcord_env.now()))[0]

    single = await server.alice.slash(server.general, "event ics", event=first.id)
    whole = await server.alice.slash(server.general, "event ics", event=first.id, series=True)

    assert "add `series: True` for every date" in single.response.content
    vevent = next(iter(Calendar.from_ical(await whole.response.attachments[0].read()).walk("VEVENT")))
    assert vevent["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=4;INTERVAL=2"
    assert str(vevent["DTSTART"].dt.tzinfo) == "Europe/London"


async def test_buttons_of_a_later_date_work_after_a_restart(server, store, settings, simcord_env):
    await setup_events(server)
    await create(server, repeat="weekly", times=2)
    first = (await store.events.upcoming(server.guild.id, simcord_env.now()))[0]

    await simcord_env.restart_bot(simulated_bot(store, settings))
    await run_until(simcord_env, first.start_at)
    second = await store.series.occurrence(first.series_id, 2)
    result = await rsvp(server.alice, server, second.id)

    assert "You're going!" in answer(result).content


@pytest.mark.parametrize(("options", "says"), [
    ({"repeat": "weekly", "times": 1}, "2 to 52 times"),
    ({"repeat": "weekly", "times": 3, "until": "2026-03-01"}, "not both"),
    ({"repeat": "weekly", "until": "2026-01-02"}, "must come after its first meetup"),
    ({"repeat": "weekly", "until": "2026-01-05"}, "leaves only the first meetup"),
    ({"repeat": "weekly", "until": "03/04/2026"}, "could be read two ways"),
    ({"times": 4}, "choose how often it repeats"),
])
async def test_a_bad_end_gets_a_sentence_and_nothing_is_posted(server, options, says):
    await setup_events(server)
    result = await server.organiser.slash(server.general, "event-admin create", title="Walk", start="2026-01-04 10:30",
                                          duration=60, mode="in_person", venue="Park", tag="walk", **options)

    assert result.ephemeral and says in result.response.content
    assert announcements(server) == []
    assert expected_errors(server.env) == ["InvalidInput"]


class ProcessDied(BaseException):
    """A process killed mid-row: not an Exception, so the runner's error handling never sees it."""


async def test_a_crash_right_after_posting_the_next_date_never_posts_it_twice(server, store, settings, simcord_env):
    await setup_events(server)
    await create(server, repeat="weekly", times=3)
    first = (await store.events.upcoming(server.guild.id, simcord_env.now()))[0]
    await simcord_env.advance_time((first.start_at - simcord_env.now()).total_seconds())
    cog = simcord_env.bot.get_cog(COG_NAME)

    async def post_then_die(item):  # the announcement goes out; the process dies before recording it
        event = await cog.services.events.series.materialise(SeriesAnnouncement.decode(item.payload))
        channel = simcord_env.bot.get_channel(server.events.id)
        answers = await cog.services.events.rsvps(event.id)
        await channel.send(embed=announcement_embed(event, answers), view=rsvp_view(event.id))
        raise ProcessDied

    dead = DueWorkRunner(store, simcord_env.bot.clock, owner="dead-host:1", batch=10,
                         lease=simcord_env.bot.due_work.lease, max_attempts=5)
    dead.register(SERIES_KIND, post_then_die)
    with pytest.raises(ProcessDied):
        await dead.sweep()
    await simcord_env.restart_bot(simulated_bot(store, settings))
    await simcord_env.advance_time(simcord_env.bot.due_work.lease.total_seconds() + 1)
    await simcord_env.bot.due_work.sweep()

    second = await store.series.occurrence(first.series_id, 2)
    posted = [m for m in announcements(server) if announcement_of(server, second.id).id == m.id]
    assert len(announcements(server)) == 2 and len(posted) == 1
    assert second.message_id == posted[0].id  # the post from before the crash, adopted
    assert second.scheduled_event_id is not None
    going = await rsvp(server.bob, server, second.id)
    assert "You're going!" in answer(going).content

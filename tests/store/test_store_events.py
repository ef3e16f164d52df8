"""EventStore on SQLite and PostgreSQL: meetups, RSVPs, capacity and the waitlist, in one unit of work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.store import Store
from tests.store.conftest import EVENT_START, AddEvent

T0 = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)


class Boom(Exception):
    pass


def _at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


async def test_create_get_update(any_store: Store, add_event: AddEvent) -> None:
    event = await add_event(any_store, guild_id=2**62, capacity=3, description="Bring water")
    assert event.status == "scheduled"
    assert (event.guild_id, event.capacity, event.description, event.start_at) == (2**62, 3, "Bring water",
                                                                                     EVENT_START)
    assert event.start_at.tzinfo is UTC
    assert await any_store.events.get(event.id) == event
    assert await any_store.events.get(event.id + 1000) is None
    moved = await any_store.events.update(event.id, T0, start_at=EVENT_START + timedelta(days=1), message_id=5)
    assert (moved.start_at, moved.message_id, moved.title) == (EVENT_START + timedelta(days=1), 5, event.title)


async def test_upcoming_lists_scheduled_meetups_not_yet_over_soonest_first(any_store: Store,
                                                                           add_event: AddEvent) -> None:
    late = await add_event(any_store, start_at=EVENT_START + timedelta(days=2),
                           end_at=EVENT_START + timedelta(days=2, hours=1))
    soon = await add_event(any_store)
    cancelled = await add_event(any_store)
    await any_store.events.update(cancelled.id, T0, status="cancelled")
    await add_event(any_store, guild_id=2)
    now = EVENT_START + timedelta(hours=1)  # soon has started, not ended
    assert [e.id for e in await any_store.events.upcoming(1, now)] == [soon.id, late.id]
    assert [e.id for e in await any_store.events.upcoming(1, now, limit=1)] == [soon.id]
    assert [e.id for e in await any_store.events.upcoming(1, EVENT_START + timedelta(hours=3))] == [late.id]


async def test_rsvp_answers_and_going_to(any_store: Store, add_event: AddEvent) -> None:
    event = await add_event(any_store)
    other = await add_event(any_store, start_at=EVENT_START + timedelta(days=1),
                            end_at=EVENT_START + timedelta(days=1, hours=1))
    assert (await any_store.events.rsvp(event.id, 1, "going", _at(0), display_name="Ada")).status == "going"
    assert (await any_store.events.rsvp(event.id, 2, "maybe", _at(1))).status == "maybe"
    assert (await any_store.events.rsvp(event.id, 3, "no", _at(2), display_name="Cy")).status == "no"
    assert (await any_store.events.rsvp(other.id, 1, "going", _at(3))).status == "going"
    again = await any_store.events.rsvp(event.id, 1, "going", _at(4))
    assert (again.status, again.promoted) == ("going", [])
    assert await any_store.events.rsvps(event.id) == {"going": [1], "maybe": [2], "no": [3],
                                                      "waitlist": [], "offered": []}
    assert await any_store.events.names(event.id, [1, 2, 3]) == {1: "Ada", 3: "Cy"}
    assert [e.id for e in await any_store.events.going_to(1, T0)] == [event.id, other.id]
    assert [e.id for e in await any_store.events.going_to(1, EVENT_START)] == [other.id]  # started: not ahead
    await any_store.events.update(other.id, T0, status="cancelled")
    assert [e.id for e in await any_store.events.going_to(1, T0)] == [event.id]


async def test_a_full_meetup_waitlists_and_a_freed_seat_goes_to_the_first_waiting(any_store: Store,
                                                                                   add_event: AddEvent) -> None:
    event = await add_event(any_store, capacity=2)
    for minute, user in enumerate([1, 2, 3, 4]):
        await any_store.events.rsvp(event.id, user, "going", _at(minute))
    assert await any_store.events.rsvps(event.id) == {"going": [1, 2], "maybe": [], "no": [],
                                                      "waitlist": [3, 4], "offered": []}
    # Asking again while waitlisted keeps one's place.
    assert (await any_store.events.rsvp(event.id, 3, "going", _at(10))).status == "waitlist"
    change = await any_store.events.rsvp(event.id, 1, "no", _at(11))
    assert (change.status, change.promoted) == ("no", [3])
    assert await any_store.events.rsvps(event.id) == {"going": [2, 3], "maybe": [], "no": [1],
                                                      "waitlist": [4], "offered": []}


async def test_more_seats_promote_from_the_waitlist(any_store: Store, add_event: AddEvent) -> None:
    event = await add_event(any_store, capacity=1)
    for minute, user in enumerate([1, 2, 3, 4]):
        await any_store.events.rsvp(event.id, user, "going", _at(minute))
    assert await any_store.events.set_capacity(event.id, 3, _at(10)) == [2, 3]
    assert await any_store.events.set_capacity(event.id, 2, _at(11)) == []  # fewer seats: nobody is bumped
    stored = await any_store.events.get(event.id)
    assert stored is not None and stored.capacity == 2
    assert await any_store.events.set_capacity(event.id, None, _at(12)) == [4]
    assert await any_store.events.rsvps(event.id) == {"going": [1, 2, 3, 4], "maybe": [], "no": [],
                                                      "waitlist": [], "offered": []}


async def test_an_rsvp_with_its_reminders_commits_whole(any_store: Store, add_event: AddEvent) -> None:
    event = await add_event(any_store, capacity=1)
    async with any_store.transaction() as tx:
        assert (await tx.events.rsvp(event.id, 1, "going", _at(0))).status == "going"
        assert (await tx.events.rsvps(event.id))["going"] == [1]
        await tx.due_work.schedule("event.reminder", {"event_id": event.id, "user_id": 1},
                                   EVENT_START - timedelta(days=1), f"r:{event.id}:1", now=T0)
        assert (await tx.events.rsvp(event.id, 2, "going", _at(1))).status == "waitlist"
    assert await any_store.events.rsvps(event.id) == {"going": [1], "maybe": [], "no": [],
                                                      "waitlist": [2], "offered": []}
    assert await any_store.due_work.get(f"r:{event.id}:1") is not None


async def test_an_rsvp_that_fails_half_way_leaves_no_trace(any_store: Store, add_event: AddEvent) -> None:
    event = await add_event(any_store, capacity=1)
    await any_store.events.rsvp(event.id, 1, "going", _at(0))
    await any_store.events.rsvp(event.id, 2, "going", _at(1))
    with pytest.raises(Boom):
        async with any_store.transaction() as tx:
            change = await tx.events.rsvp(event.id, 1, "no", _at(2))
            assert change.promoted == [2]
            await tx.due_work.schedule("event.reminder", {"event_id": event.id, "user_id": 2},
                                       EVENT_START - timedelta(days=1), f"r:{event.id}:2", now=T0)
            await tx.events.update(event.id, T0, title="Renamed")
            await tx.events.create(T0, guild_id=1, title="New", start_at=EVENT_START, end_at=EVENT_START,
                                   mode="online", tag="chat", creator_id=1)
            raise Boom
    assert await any_store.events.rsvps(event.id) == {"going": [1], "maybe": [], "no": [],
                                                      "waitlist": [2], "offered": []}
    assert await any_store.due_work.get(f"r:{event.id}:2") is None
    assert [e.title for e in await any_store.events.upcoming(1, T0)] == ["Walk in the park"]


async def test_going_with_choices_joins_the_members_reminder_choice(any_store: Store, add_event: AddEvent) -> None:
    event = await add_event(any_store, capacity=2)
    await any_store.members.update(2, T0, event_reminders="day")
    await any_store.members.update(3, T0, event_reminders="off")
    for minute, user in enumerate([1, 2, 3]):
        await any_store.events.rsvp(event.id, user, "going", _at(minute))
    await any_store.events.rsvp(event.id, 4, "maybe", _at(5))
    assert await any_store.events.going_with_choices(event.id) == {1: None, 2: "day"}  # 3 is waitlisted
    assert await any_store.events.going_with_choices(event.id, [2, 3, 4]) == {2: "day"}
    assert await any_store.events.going_with_choices(event.id, []) == {}
    async with any_store.transaction() as tx:
        await tx.events.rsvp(event.id, 1, "no", _at(6))
        assert await tx.events.going_with_choices(event.id) == {2: "day", 3: "off"}

"""Waitlist offers in the store, on SQLite and PostgreSQL: a freed place held for the next waiting, taken or
released (passed or missed) under the meetup's lock, and the next offered in the same statement."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store import Store
from tests.store.conftest import AddEvent

T0 = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
ENDS = T0 + timedelta(hours=12)


def _at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


async def _full(store: Store, add_event: AddEvent, capacity: int = 1, waiting: int = 2) -> int:
    event = await add_event(store, capacity=capacity)
    for minute, user in enumerate(range(1, capacity + waiting + 1)):
        await store.events.rsvp(event.id, user, "going", _at(minute))
    return event.id


async def test_a_freed_place_is_offered_and_still_counts_as_taken(any_store: Store, add_event: AddEvent) -> None:
    event_id = await _full(any_store, add_event)
    change = await any_store.events.rsvp(event_id, 1, "no", _at(10), offer_until=ENDS)
    assert (change.promoted, change.offered, change.offer_until) == ([], [2], ENDS)
    assert (await any_store.events.rsvps(event_id))["offered"] == [2]
    assert await any_store.events.offer(event_id, 2) == ("offered", ENDS)
    # The place is held: someone new saying Going joins the waitlist behind the one still waiting.
    assert (await any_store.events.rsvp(event_id, 9, "going", _at(11), offer_until=ENDS)).status == "waitlist"
    assert (await any_store.events.rsvps(event_id))["waitlist"] == [3, 9]


async def test_taking_makes_them_going_once_and_only_while_open(any_store: Store, add_event: AddEvent) -> None:
    event_id = await _full(any_store, add_event)
    await any_store.events.rsvp(event_id, 1, "no", _at(10), offer_until=ENDS)
    assert not await any_store.events.take_offer(event_id, 3, _at(11))  # not theirs
    assert not await any_store.events.take_offer(event_id, 2, ENDS)  # the deadline has come
    assert await any_store.events.take_offer(event_id, 2, _at(12))
    assert not await any_store.events.take_offer(event_id, 2, _at(13))  # already taken
    assert await any_store.events.offer(event_id, 2) == ("going", None)


async def test_going_on_the_announcement_takes_the_place_on_offer(any_store: Store, add_event: AddEvent) -> None:
    event_id = await _full(any_store, add_event)
    await any_store.events.rsvp(event_id, 1, "no", _at(10), offer_until=ENDS)
    assert (await any_store.events.rsvp(event_id, 2, "going", _at(11), offer_until=ENDS)).status == "going"
    assert await any_store.events.offer(event_id, 2) == ("going", None)


async def test_pass_and_missed_offers_move_the_place_on(any_store: Store, add_event: AddEvent) -> None:
    event_id = await _full(any_store, add_event, waiting=3)
    await any_store.events.rsvp(event_id, 1, "no", _at(10), offer_until=ENDS)
    later = ENDS + timedelta(hours=1)
    passed = await any_store.events.release_offer(event_id, 2, _at(11), expires_at=None, passed=True,
                                                  offer_until=later)
    assert passed is not None and (passed.status, passed.offered, passed.offer_until) == ("no", [3], later)
    # A deadline row for another offer (stale) changes nothing; the right one drops the member off the list.
    assert await any_store.events.release_offer(event_id, 3, later, expires_at=ENDS, passed=False,
                                                offer_until=None) is None
    missed = await any_store.events.release_offer(event_id, 3, later, expires_at=later, passed=False,
                                                  offer_until=None)
    assert missed is not None and missed.promoted == [4]  # too close for an offer: given outright
    answers = await any_store.events.rsvps(event_id)
    assert (answers["going"], answers["no"], answers["offered"], answers["waitlist"]) == ([4], [1, 2], [], [])
    assert await any_store.events.offer(event_id, 3) == (None, None)  # off the waitlist
    assert await any_store.events.release_offer(event_id, 3, later, expires_at=later, passed=False,
                                                offer_until=None) is None  # run twice: nothing


async def test_more_places_are_offered_in_one_go_and_moved_together(any_store: Store, add_event: AddEvent) -> None:
    event_id = await _full(any_store, add_event, waiting=3)
    assert await any_store.events.set_capacity(event_id, 3, _at(10), offer_until=ENDS) == [2, 3]
    assert await any_store.events.open_offers(event_id) == {2: ENDS, 3: ENDS}
    sooner = ENDS - timedelta(hours=2)
    await any_store.events.set_offer_ends(event_id, sooner, [2, 3])
    assert await any_store.events.open_offers(event_id) == {2: sooner, 3: sooner}
    assert (await any_store.events.rsvps(event_id))["waitlist"] == [4]

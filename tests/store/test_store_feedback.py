"""FeedbackStore on SQLite and PostgreSQL: one answer per member per meetup, and the totals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.event_feedback import FeedbackCounts
from bot.store import Store
from tests.store.conftest import EVENT_START, AddEvent

T0 = EVENT_START + timedelta(hours=3)  # after the default meetup ended
SINCE = EVENT_START - timedelta(days=30)


class Boom(Exception):
    pass


async def test_record_keeps_the_other_answer(any_store: Store, add_event: AddEvent) -> None:
    event = await add_event(any_store)
    assert await any_store.feedback.get(event.id, 1) is None
    await any_store.feedback.record(event.id, 1, T0, how="good")
    assert await any_store.feedback.get(event.id, 1) == ("good", None)
    await any_store.feedback.record(event.id, 1, T0, met_new=True)
    assert await any_store.feedback.get(event.id, 1) == ("good", True)
    await any_store.feedback.record(event.id, 1, T0, how="okay")
    assert await any_store.feedback.get(event.id, 1) == ("okay", True)


async def test_counts_cover_in_person_meetups_that_ended_in_the_window(any_store: Store,
                                                                        add_event: AddEvent) -> None:
    held = await add_event(any_store)
    second = await add_event(any_store, start_at=EVENT_START - timedelta(days=1),
                             end_at=EVENT_START - timedelta(days=1, hours=-2))
    online = await add_event(any_store, mode="online")
    cancelled = await add_event(any_store)
    await any_store.events.update(cancelled.id, T0, status="cancelled")
    later = await add_event(any_store, start_at=T0 + timedelta(days=1), end_at=T0 + timedelta(days=1, hours=1))
    elsewhere = await add_event(any_store, guild_id=2)
    for event in (held, second, online, cancelled, later, elsewhere):
        for user in (1, 2):
            await any_store.events.rsvp(event.id, user, "going", T0 - timedelta(days=10))
    await any_store.events.rsvp(held.id, 3, "going", T0 - timedelta(days=10))
    await any_store.events.rsvp(held.id, 4, "maybe", T0 - timedelta(days=10))
    await any_store.feedback.record(held.id, 1, T0, how="good", met_new=True)
    await any_store.feedback.record(held.id, 2, T0, how="not_for_me", met_new=False)
    await any_store.feedback.record(second.id, 1, T0, met_new=True)
    await any_store.feedback.record(online.id, 1, T0, how="good", met_new=True)
    await any_store.feedback.record(elsewhere.id, 2, T0, how="good", met_new=True)
    counts = await any_store.feedback.counts(1, SINCE, T0)
    assert counts == FeedbackCounts(events_held=2, attendees=5, distinct_attendees=3, answered=3,
                                    how={"good": 1, "not_for_me": 1}, met_yes=2, met_no=1)
    assert await any_store.feedback.met_someone_new(1, SINCE, T0) == 1
    assert await any_store.feedback.met_someone_new(1, T0, T0 + timedelta(days=5)) == 0
    assert (await any_store.feedback.counts(1, T0, T0 + timedelta(days=5))).events_held == 1


async def test_answers_in_a_unit_of_work_commit_whole_or_not_at_all(any_store: Store, add_event: AddEvent) -> None:
    event = await add_event(any_store)
    async with any_store.transaction() as tx:
        await tx.feedback.record(event.id, 1, T0, how="good")
        assert await tx.feedback.get(event.id, 1) == ("good", None)
    with pytest.raises(Boom):
        async with any_store.transaction() as tx:
            await tx.feedback.record(event.id, 1, T0, met_new=True)
            await tx.feedback.record(event.id, 2, T0, how="okay")
            assert await tx.feedback.get(event.id, 1) == ("good", True)
            raise Boom
    assert await any_store.feedback.get(event.id, 1) == ("good", None)
    assert await any_store.feedback.get(event.id, 2) is None

"""SeriesStore on SQLite and PostgreSQL: a recurring meetup and its occurrences, each added once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.store import Store

T0 = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
FIRST = datetime(2026, 4, 7, 17, 0, tzinfo=UTC)


class Boom(Exception):
    pass


def _series_values(**changes: Any) -> dict[str, Any]:
    return {"guild_id": 1, "frequency": "weekly", "zone": "Europe/London", "first_start": FIRST, "count": 4,
            "until": None, "stopped_after": None, "title": "Tuesday walk", "description": None,
            "duration_minutes": 90, "mode": "in_person", "venue": "Gate", "area": "Leeds", "link": None,
            "capacity": 12, "tag": "walk", "creator_id": 99, **changes}


def _occurrence_values(series_id: int, number: int) -> dict[str, Any]:
    start = FIRST + timedelta(weeks=number - 1)
    return {"guild_id": 1, "title": "Tuesday walk", "start_at": start, "end_at": start + timedelta(minutes=90),
            "mode": "in_person", "tag": "walk", "creator_id": 99, "capacity": 12, "series_id": series_id,
            "occurrence": number}


async def test_create_get_update(any_store: Store) -> None:
    series = await any_store.series.create(T0, **_series_values())
    assert (series.status, series.first_start, series.count) == ("active", FIRST, 4)
    assert await any_store.series.get(series.id) == series
    assert await any_store.series.get(series.id + 100) is None
    stopped = await any_store.series.update(series.id, T0, status="cancelled", stopped_after=2)
    assert (stopped.status, stopped.stopped_after, stopped.title) == ("cancelled", 2, "Tuesday walk")


async def test_an_occurrence_is_added_once_and_found_ever_after(any_store: Store) -> None:
    series = await any_store.series.create(T0, **_series_values())
    first, added = await any_store.series.add_occurrence(T0, **_occurrence_values(series.id, 1))
    assert added and (first.series_id, first.occurrence, first.status) == (series.id, 1, "scheduled")
    again, added_again = await any_store.series.add_occurrence(T0 + timedelta(hours=1),
                                                               **_occurrence_values(series.id, 1))
    assert (again, added_again) == (first, False)
    assert await any_store.series.occurrence(series.id, 1) == first
    assert await any_store.series.occurrence(series.id, 2) is None


async def test_occurrences_from_skips_earlier_and_cancelled(any_store: Store) -> None:
    series = await any_store.series.create(T0, **_series_values())
    made = [(await any_store.series.add_occurrence(T0, **_occurrence_values(series.id, n)))[0] for n in (1, 2, 3, 4)]
    await any_store.events.update(made[2].id, T0, status="cancelled")
    assert [e.occurrence for e in await any_store.series.occurrences_from(series.id, 2)] == [2, 4]
    assert [e.occurrence for e in await any_store.series.occurrences_from(series.id, 1)] == [1, 2, 4]


async def test_a_series_with_its_first_occurrence_commits_whole_or_not_at_all(any_store: Store) -> None:
    async with any_store.transaction() as tx:
        series = await tx.series.create(T0, **_series_values())
        event, added = await tx.series.add_occurrence(T0, **_occurrence_values(series.id, 1))
        assert added and await tx.series.occurrence(series.id, 1) == event
    with pytest.raises(Boom):
        async with any_store.transaction() as tx:
            other = await tx.series.create(T0, **_series_values(title="Thursday walk"))
            await tx.series.add_occurrence(T0, **_occurrence_values(other.id, 1))
            await tx.series.update(series.id, T0, status="cancelled")
            await tx.events.update(event.id, T0, status="cancelled")
            raise Boom
    assert await any_store.series.get(other.id) is None
    assert await any_store.series.occurrence(other.id, 1) is None
    assert (await any_store.series.get(series.id)) == series
    assert [e.id for e in await any_store.series.occurrences_from(series.id, 1)] == [event.id]

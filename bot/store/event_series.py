"""Recurring meetups: the series row, and its occurrences (events rows keyed by series and number)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from bot.domain.events import Event, Series
from bot.store._db import Database
from bot.store._rows import fetch_row, insert_row, update_row
from bot.store.events import _event
from bot.store.tables import event_series, events

__all__ = ["Series", "SeriesStore"]  # the entity lives in bot.domain.events


class SeriesStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._dialect = db.dialect

    async def create(self, now: datetime, **values: Any) -> Series:
        return await self._existing(await insert_row(self._db, event_series, now, status="active", **values))

    async def get(self, series_id: int) -> Series | None:
        values = await fetch_row(self._db, event_series, series_id)
        return None if values is None else Series(**values)

    async def update(self, series_id: int, now: datetime, **values: Any) -> Series:
        await update_row(self._db, event_series, series_id, now, **values)
        return await self._existing(series_id)

    async def _existing(self, series_id: int) -> Series:
        found = await self.get(series_id)
        assert found is not None
        return found

    async def add_occurrence(self, now: datetime, **values: Any) -> tuple[Event, bool]:
        """The events row for (series_id, occurrence): inserted once, found again ever after. True if new."""
        upsert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        statement = (upsert(events).values(status="scheduled", created_at=now, updated_at=now, **values)
                     .on_conflict_do_nothing(index_elements=["series_id", "occurrence"]))
        async with self._db.write() as connection:
            added = (await connection.execute(statement)).rowcount == 1
        found = await self.occurrence(int(values["series_id"]), int(values["occurrence"]))
        assert found is not None
        return found, added

    async def occurrence(self, series_id: int, number: int) -> Event | None:
        statement = select(events).where(events.c.series_id == series_id, events.c.occurrence == number)
        async with self._db.read() as connection:
            row = (await connection.execute(statement)).first()
        return _event(row) if row else None

    async def occurrences_from(self, series_id: int, number: int) -> list[Event]:
        """Announced occurrences from `number` on that are still on, in order."""
        statement = (select(events).where(events.c.series_id == series_id, events.c.occurrence >= number,
                                          events.c.status == "scheduled").order_by(events.c.occurrence))
        async with self._db.read() as connection:
            return [_event(row) for row in await connection.execute(statement)]

"""Meetups and RSVPs. Capacity and the waitlist are decided inside one transaction per RSVP."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.events import RSVP_STATUSES, Event, RsvpChange, RsvpStatus, empty_answers
from bot.store._db import Database
from bot.store._rows import fetch_row, insert_row, update_row, without_timestamps
from bot.store.tables import event_rsvps, events, member_settings

__all__ = ["RSVP_STATUSES", "Event", "EventStore", "RsvpChange"]  # the entities live in bot.domain.events


def _event(row: Any) -> Event:
    return Event(**without_timestamps(row))


class EventStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._dialect = db.dialect

    async def create(self, now: datetime, **values: Any) -> Event:
        return await self._existing(await insert_row(self._db, events, now, status="scheduled", **values))

    async def get(self, event_id: int) -> Event | None:
        values = await fetch_row(self._db, events, event_id)
        return None if values is None else Event(**values)

    async def update(self, event_id: int, now: datetime, **values: Any) -> Event:
        await update_row(self._db, events, event_id, now, **values)
        return await self._existing(event_id)

    async def _existing(self, event_id: int) -> Event:
        found = await self.get(event_id)
        assert found is not None
        return found

    async def upcoming(self, guild_id: int, now: datetime, limit: int = 25) -> list[Event]:
        """Scheduled events that have not ended yet, soonest first."""
        statement = (select(events).where(events.c.guild_id == guild_id, events.c.status == "scheduled",
                                          events.c.end_at > now)
                     .order_by(events.c.start_at, events.c.id).limit(limit))
        async with self._db.read() as connection:
            return [_event(row) for row in await connection.execute(statement)]

    async def going_to(self, user_id: int, now: datetime) -> list[Event]:
        """Scheduled meetups ahead that the member is going to."""
        statement = (select(events).join(event_rsvps, event_rsvps.c.event_id == events.c.id)
                     .where(event_rsvps.c.user_id == user_id, event_rsvps.c.status == "going",
                            events.c.status == "scheduled", events.c.start_at > now)
                     .order_by(events.c.start_at))
        async with self._db.read() as connection:
            return [_event(row) for row in await connection.execute(statement)]

    async def rsvps(self, event_id: int) -> dict[str, list[int]]:
        """Member ids by status; the waitlist in the order people joined it."""
        statement = (select(event_rsvps.c.user_id, event_rsvps.c.status).where(event_rsvps.c.event_id == event_id)
                     .order_by(event_rsvps.c.updated_at, event_rsvps.c.user_id))
        found = empty_answers()
        async with self._db.read() as connection:
            for row in await connection.execute(statement):
                found[row.status].append(row.user_id)
        return found

    async def going_with_choices(self, event_id: int, user_ids: list[int] | None = None) -> dict[int, str | None]:
        """Everyone going (or those of `user_ids` who are), with their reminder choice (None: never chosen), in
        one query however many there are."""
        statement = (select(event_rsvps.c.user_id, member_settings.c.event_reminders)
                     .select_from(event_rsvps.outerjoin(member_settings,
                                                        member_settings.c.user_id == event_rsvps.c.user_id))
                     .where(event_rsvps.c.event_id == event_id, event_rsvps.c.status == "going")
                     .order_by(event_rsvps.c.updated_at, event_rsvps.c.user_id))
        if user_ids is not None:
            statement = statement.where(event_rsvps.c.user_id.in_(user_ids))
        async with self._db.read() as connection:
            return {row.user_id: row.event_reminders for row in await connection.execute(statement)}

    async def names(self, event_id: int, user_ids: list[int]) -> dict[int, str]:
        statement = select(event_rsvps.c.user_id, event_rsvps.c.display_name).where(
            event_rsvps.c.event_id == event_id, event_rsvps.c.user_id.in_(user_ids))
        async with self._db.read() as connection:
            return {row.user_id: row.display_name for row in await connection.execute(statement) if row.display_name}

    async def rsvp(self, event_id: int, user_id: int, wanted: RsvpStatus, now: datetime,
                   display_name: str | None = None) -> RsvpChange:
        """Record an answer. "going" at capacity joins the waitlist; a seat given up goes to the first
        waiting. The event row is locked (PostgreSQL) or the write lock held (SQLite) throughout."""
        async with self._db.write() as connection:
            lock = select(events.c.capacity).where(events.c.id == event_id)
            if self._dialect == "postgresql":
                lock = lock.with_for_update()
            capacity = (await connection.execute(lock)).scalar_one()
            previous = (await connection.execute(
                select(event_rsvps.c.status).where(event_rsvps.c.event_id == event_id,
                                                   event_rsvps.c.user_id == user_id))).scalar()
            status: RsvpStatus = wanted
            if wanted == "going" and previous not in ("going",) and capacity is not None:
                going = await self._count(connection, event_id, "going")
                if going >= capacity:
                    status = "waitlist"
            if previous == status:
                return RsvpChange(status=status)
            # Staying on the waitlist keeps one's place; anything else is a fresh timestamp.
            await self._set(connection, event_id, user_id, status, now, display_name)
            promoted = []
            if previous == "going" and status != "going" and capacity is not None:
                promoted = await self._promote(connection, event_id, capacity, now)
            return RsvpChange(status=status, promoted=promoted)

    async def _count(self, connection: AsyncConnection, event_id: int, status: str) -> int:
        return int((await connection.execute(
            select(func.count()).select_from(event_rsvps)
            .where(event_rsvps.c.event_id == event_id, event_rsvps.c.status == status))).scalar_one())

    async def _set(self, connection: AsyncConnection, event_id: int, user_id: int, status: RsvpStatus,
                   now: datetime, display_name: str | None = None) -> None:
        upsert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        statement = upsert(event_rsvps).values(event_id=event_id, user_id=user_id, status=status, updated_at=now,
                                               display_name=display_name)
        changes: dict[str, object] = {"status": status, "updated_at": now}
        if display_name is not None:
            changes["display_name"] = display_name
        await connection.execute(statement.on_conflict_do_update(index_elements=["event_id", "user_id"],
                                                                 set_=changes))

    async def _promote(self, connection: AsyncConnection, event_id: int, capacity: int, now: datetime) -> list[int]:
        free = capacity - await self._count(connection, event_id, "going")
        if free <= 0:
            return []
        waiting = (await connection.execute(
            select(event_rsvps.c.user_id).where(event_rsvps.c.event_id == event_id,
                                                event_rsvps.c.status == "waitlist")
            .order_by(event_rsvps.c.updated_at, event_rsvps.c.user_id).limit(free))).scalars().all()
        await self._seat(connection, event_id, list(waiting), now)
        return list(waiting)

    async def _seat(self, connection: AsyncConnection, event_id: int, user_ids: list[int], now: datetime) -> None:
        """Waitlisted members to going, in one statement however many there are."""
        if user_ids:
            await connection.execute(update(event_rsvps).where(
                event_rsvps.c.event_id == event_id, event_rsvps.c.user_id.in_(user_ids))
                .values(status="going", updated_at=now))

    async def set_capacity(self, event_id: int, capacity: int | None, now: datetime) -> list[int]:
        """A bigger room: promote from the waitlist into the new seats."""
        async with self._db.write() as connection:
            await connection.execute(update(events).where(events.c.id == event_id)
                                     .values(capacity=capacity, updated_at=now))
            if capacity is None:
                waiting = (await connection.execute(
                    select(event_rsvps.c.user_id).where(event_rsvps.c.event_id == event_id,
                                                        event_rsvps.c.status == "waitlist"))).scalars().all()
                await self._seat(connection, event_id, list(waiting), now)
                return list(waiting)
            return await self._promote(connection, event_id, capacity, now)

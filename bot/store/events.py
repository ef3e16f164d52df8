"""Meetups and RSVPs. Capacity and the waitlist are decided inside one transaction per RSVP."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.events import RSVP_STATUSES, Event, RsvpChange, RsvpStatus, empty_answers
from bot.store._db import Database
from bot.store._rows import fetch_row, insert_row, update_row, without_timestamps
from bot.store.tables import event_rsvps, events, member_settings

__all__ = ["RSVP_STATUSES", "Event", "EventStore", "RsvpChange"]  # the entities live in bot.domain.events


def _event(row: Any) -> Event:
    return Event(**without_timestamps(row))


def _change(status: RsvpStatus, moved_up: list[int], offer_until: datetime | None) -> RsvpChange:
    if offer_until is None:
        return RsvpChange(status=status, promoted=moved_up)
    return RsvpChange(status=status, offered=moved_up, offer_until=offer_until if moved_up else None)


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
                   display_name: str | None = None, *, offer_until: datetime | None = None) -> RsvpChange:
        """Record an answer. "going" at capacity joins the waitlist; a seat given up goes to the first
        waiting: offered to them until `offer_until`, or theirs outright when None. The event row is locked
        (PostgreSQL) or the write lock held (SQLite) throughout."""
        async with self._db.write() as connection:
            lock = select(events.c.capacity).where(events.c.id == event_id)
            if self._dialect == "postgresql":
                lock = lock.with_for_update()
            capacity = (await connection.execute(lock)).scalar_one()
            previous = (await connection.execute(
                select(event_rsvps.c.status).where(event_rsvps.c.event_id == event_id,
                                                   event_rsvps.c.user_id == user_id))).scalar()
            status: RsvpStatus = wanted
            # A member holding a place on offer who taps Going takes it.
            if (wanted == "going" and previous not in ("going", "offered") and capacity is not None
                    and await self._seats_held(connection, event_id) >= capacity):
                status = "waitlist"
            if previous == status:
                return RsvpChange(status=status)
            # Staying on the waitlist keeps one's place; anything else is a fresh timestamp.
            await self._set(connection, event_id, user_id, status, now, display_name)
            moved_up: list[int] = []
            if previous in ("going", "offered") and status != "going" and capacity is not None:
                moved_up = await self._promote(connection, event_id, capacity, now, offer_until)
            return _change(status, moved_up, offer_until)

    async def _seats_held(self, connection: AsyncConnection, event_id: int) -> int:
        """Places taken: those going, and those a freed place is on offer to."""
        return int((await connection.execute(
            select(func.count()).select_from(event_rsvps)
            .where(event_rsvps.c.event_id == event_id, event_rsvps.c.status.in_(("going", "offered"))))).scalar_one())

    async def _set(self, connection: AsyncConnection, event_id: int, user_id: int, status: RsvpStatus,
                   now: datetime, display_name: str | None = None) -> None:
        upsert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        statement = upsert(event_rsvps).values(event_id=event_id, user_id=user_id, status=status, updated_at=now,
                                               display_name=display_name)
        changes: dict[str, object] = {"status": status, "updated_at": now, "offer_expires_at": None}
        if display_name is not None:
            changes["display_name"] = display_name
        await connection.execute(statement.on_conflict_do_update(index_elements=["event_id", "user_id"],
                                                                 set_=changes))

    async def _promote(self, connection: AsyncConnection, event_id: int, capacity: int, now: datetime,
                       offer_until: datetime | None = None) -> list[int]:
        """The first waiting into the free places: on offer until `offer_until`, or seated when None. One
        statement however many places opened."""
        free = capacity - await self._seats_held(connection, event_id)
        if free <= 0:
            return []
        waiting = list((await connection.execute(
            select(event_rsvps.c.user_id).where(event_rsvps.c.event_id == event_id,
                                                event_rsvps.c.status == "waitlist")
            .order_by(event_rsvps.c.updated_at, event_rsvps.c.user_id).limit(free))).scalars().all())
        if offer_until is None:
            await self._seat(connection, event_id, waiting, now)
        elif waiting:  # updated_at kept: someone who passes goes to "no", the rest keep their place in the queue
            await connection.execute(update(event_rsvps).where(
                event_rsvps.c.event_id == event_id, event_rsvps.c.user_id.in_(waiting))
                .values(status="offered", offer_expires_at=offer_until))
        return waiting

    async def _seat(self, connection: AsyncConnection, event_id: int, user_ids: list[int], now: datetime) -> None:
        """Waitlisted members to going, in one statement however many there are."""
        if user_ids:
            await connection.execute(update(event_rsvps).where(
                event_rsvps.c.event_id == event_id, event_rsvps.c.user_id.in_(user_ids))
                .values(status="going", updated_at=now, offer_expires_at=None))

    async def set_capacity(self, event_id: int, capacity: int | None, now: datetime, *,
                           offer_until: datetime | None = None) -> list[int]:
        """A bigger room: the new places to the first waiting (offered until `offer_until`, or seated when None;
        no limit seats everyone waiting)."""
        async with self._db.write() as connection:
            await connection.execute(update(events).where(events.c.id == event_id)
                                     .values(capacity=capacity, updated_at=now))
            if capacity is None:
                waiting = (await connection.execute(
                    select(event_rsvps.c.user_id).where(event_rsvps.c.event_id == event_id,
                                                        event_rsvps.c.status == "waitlist"))).scalars().all()
                await self._seat(connection, event_id, list(waiting), now)
                return list(waiting)
            return await self._promote(connection, event_id, capacity, now, offer_until)

    # waitlist offers (bot/domain/event_waitlist.py) ------------------------------------------------------------
    async def offer(self, event_id: int, user_id: int) -> tuple[RsvpStatus | None, datetime | None]:
        """The member's answer, and until when a place is on offer to them (None: no offer open)."""
        row = (await self._read_one(select(event_rsvps.c.status, event_rsvps.c.offer_expires_at).where(
            event_rsvps.c.event_id == event_id, event_rsvps.c.user_id == user_id)))
        return (None, None) if row is None else (row.status, row.offer_expires_at)

    async def _read_one(self, statement: Any) -> Any:
        async with self._db.read() as connection:
            return (await connection.execute(statement)).first()

    async def take_offer(self, event_id: int, user_id: int, now: datetime) -> bool:
        """The place on offer becomes theirs, if the offer is still open. False: it had ended."""
        async with self._db.write() as connection:
            taken = await connection.execute(update(event_rsvps).where(
                event_rsvps.c.event_id == event_id, event_rsvps.c.user_id == user_id,
                event_rsvps.c.status == "offered", event_rsvps.c.offer_expires_at > now)
                .values(status="going", offer_expires_at=None, updated_at=now))
            return taken.rowcount == 1

    async def release_offer(self, event_id: int, user_id: int, now: datetime, *, expires_at: datetime | None,
                            passed: bool, offer_until: datetime | None) -> RsvpChange | None:
        """An offer ends: passed ("no"), or missed (off the waitlist: the row goes). The place goes to the next
        waiting, as `rsvp` gives a seat up. `expires_at`: only that same offer (a deadline's due work); None:
        whichever is open. None back: no such offer open, nothing changed."""
        async with self._db.write() as connection:
            lock = select(events.c.capacity).where(events.c.id == event_id)
            if self._dialect == "postgresql":
                lock = lock.with_for_update()
            capacity = (await connection.execute(lock)).scalar_one()
            mine = and_(event_rsvps.c.event_id == event_id, event_rsvps.c.user_id == user_id,
                        event_rsvps.c.status == "offered")
            if expires_at is not None:
                mine = and_(mine, event_rsvps.c.offer_expires_at == expires_at)
            if passed:
                ended = await connection.execute(update(event_rsvps).where(mine).values(
                    status="no", offer_expires_at=None, updated_at=now))
            else:
                ended = await connection.execute(delete(event_rsvps).where(mine))
            if ended.rowcount != 1:
                return None
            moved_up = [] if capacity is None else await self._promote(connection, event_id, capacity, now,
                                                                         offer_until)
            return _change("no" if passed else "waitlist", moved_up, offer_until)

    async def open_offers(self, event_id: int) -> dict[int, datetime]:
        """Members a place is on offer to, with each offer's end."""
        statement = select(event_rsvps.c.user_id, event_rsvps.c.offer_expires_at).where(
            event_rsvps.c.event_id == event_id, event_rsvps.c.status == "offered")
        async with self._db.read() as connection:
            return {row.user_id: row.offer_expires_at for row in await connection.execute(statement)}

    async def set_offer_ends(self, event_id: int, ends: datetime, user_ids: list[int]) -> None:
        """New deadline for these open offers (a moved meetup), in one statement."""
        if user_ids:
            async with self._db.write() as connection:
                await connection.execute(update(event_rsvps).where(
                    event_rsvps.c.event_id == event_id, event_rsvps.c.user_id.in_(user_ids),
                    event_rsvps.c.status == "offered").values(offer_expires_at=ends))

    # "I'm here" ------------------------------------------------------------------------------------
    async def answer_of(self, event_id: int, user_id: int) -> tuple[str, datetime | None] | None:
        """The member's answer and when they said they arrived, or None if they never answered."""
        statement = select(event_rsvps.c.status, event_rsvps.c.arrived_at).where(
            event_rsvps.c.event_id == event_id, event_rsvps.c.user_id == user_id)
        async with self._db.read() as connection:
            row = (await connection.execute(statement)).first()
        return None if row is None else (row.status, row.arrived_at)

    async def mark_arrived(self, event_id: int, user_id: int, now: datetime) -> bool:
        """Once: True if this marked a member who is going and had not arrived yet."""
        statement = (update(event_rsvps).where(event_rsvps.c.event_id == event_id, event_rsvps.c.user_id == user_id,
                                               event_rsvps.c.status == "going", event_rsvps.c.arrived_at.is_(None))
                     .values(arrived_at=now))
        async with self._db.write() as connection:
            return (await connection.execute(statement)).rowcount == 1

    async def with_code(self, guild_id: int, code: str, since: datetime) -> list[Event]:
        """Scheduled meetups of this server with this arrival code that had not ended by `since`."""
        statement = (select(events).where(events.c.guild_id == guild_id, events.c.arrival_code == code,
                                          events.c.status == "scheduled", events.c.end_at > since)
                     .order_by(events.c.start_at))
        async with self._db.read() as connection:
            return [_event(row) for row in await connection.execute(statement)]

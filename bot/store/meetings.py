"""Finding a time together: one poll per group at a time, each member's free times (UTC) and their pick."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, insert, select, update

from bot.domain.meeting_times import Interval, PollView
from bot.store._db import Database
from bot.store.tables import buddy_group_members, meeting_poll_members, meeting_polls

__all__ = ["MeetingStore"]

ACTIVE = ("open", "offered")


def _slots(value: Any) -> list[Interval]:
    return [Interval(datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in value or []]


class MeetingStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def latest(self, kind: str, ref: int, event_id: int | None) -> PollView | None:
        statement = (select(meeting_polls.c.id).where(meeting_polls.c.group_kind == kind,
                                                      meeting_polls.c.group_ref == ref,
                                                      _event_is(event_id))
                     .order_by(meeting_polls.c.id.desc()).limit(1))
        async with self._db.read() as connection:
            poll_id = (await connection.execute(statement)).scalar()
        return None if poll_id is None else await self.get(int(poll_id))

    async def get(self, poll_id: int) -> PollView | None:
        async with self._db.read() as connection:
            row = (await connection.execute(select(meeting_polls).where(meeting_polls.c.id == poll_id))).first()
            if row is None:
                return None
            members = (await connection.execute(select(meeting_poll_members).where(
                meeting_poll_members.c.poll_id == poll_id).order_by(meeting_poll_members.c.user_id))).all()
        return PollView(
            id=row.id, guild_id=row.guild_id, kind=row.group_kind, ref=row.group_ref, event_id=row.event_id,
            channel_id=row.channel_id, window_start=row.window_start, window_end=row.window_end,
            duration=timedelta(minutes=row.duration_minutes), status=row.status,
            options=tuple((datetime.fromisoformat(o["start"]), int(o["free"])) for o in row.options or []),
            chosen_start=row.chosen_start, members=tuple(m.user_id for m in members),
            answered=frozenset(m.user_id for m in members if m.answered_at is not None),
            picks={m.user_id: m.pick for m in members if m.pick is not None})

    async def create(self, *, guild_id: int, kind: str, ref: int, event_id: int | None, channel_id: int | None,
                     members: Sequence[int], window_start: datetime, window_end: datetime, duration: timedelta,
                     created_by: int, now: datetime) -> int:
        async with self._db.write() as connection:
            poll_id = (await connection.execute(insert(meeting_polls).values(
                guild_id=guild_id, group_kind=kind, group_ref=ref, event_id=event_id, channel_id=channel_id,
                window_start=window_start, window_end=window_end,
                duration_minutes=int(duration.total_seconds() // 60), status="open", options=[],
                created_by=created_by, created_at=now, updated_at=now).returning(meeting_polls.c.id))).scalar_one()
            await connection.execute(insert(meeting_poll_members),
                                     [{"poll_id": poll_id, "user_id": user_id} for user_id in members])
        return int(poll_id)

    async def reopen(self, poll_id: int, window_start: datetime, window_end: datetime, now: datetime) -> None:
        """A fresh window for the same group: everyone answers again."""
        async with self._db.write() as connection:
            await connection.execute(update(meeting_polls).where(meeting_polls.c.id == poll_id).values(
                window_start=window_start, window_end=window_end, status="open", options=[], chosen_start=None,
                updated_at=now))
            await connection.execute(update(meeting_poll_members).where(meeting_poll_members.c.poll_id == poll_id)
                                     .values(slots=None, answered_at=None, pick=None, picked_at=None))

    async def lock(self, poll_id: int, now: datetime) -> None:
        """Take the poll's row lock for this transaction (an UPDATE: PostgreSQL's row lock, SQLite's write lock),
        so two members answering or picking at the same moment are seen one after the other and the last of
        them moves the poll on."""
        async with self._db.write() as connection:
            await connection.execute(update(meeting_polls).where(meeting_polls.c.id == poll_id)
                                     .values(updated_at=now))

    async def answer(self, poll_id: int, user_id: int, slots: Sequence[Interval], now: datetime) -> None:
        async with self._db.write() as connection:
            await connection.execute(update(meeting_poll_members).where(
                meeting_poll_members.c.poll_id == poll_id, meeting_poll_members.c.user_id == user_id).values(
                slots=[[i.start.isoformat(), i.end.isoformat()] for i in slots], answered_at=now))

    async def free_times(self, poll_id: int) -> dict[int, list[Interval]]:
        """What those who answered are free: for the search only, never shown to anyone."""
        statement = select(meeting_poll_members.c.user_id, meeting_poll_members.c.slots).where(
            meeting_poll_members.c.poll_id == poll_id, meeting_poll_members.c.answered_at.is_not(None))
        async with self._db.read() as connection:
            return {row.user_id: _slots(row.slots) for row in await connection.execute(statement)}

    async def set_status(self, poll_id: int, status: str, now: datetime, *, expected: Sequence[str] = ACTIVE,
                         options: list[dict[str, Any]] | None = None, chosen_start: datetime | None = None) -> bool:
        """Move the poll on, only from `expected` (so two processes deciding at once decide once)."""
        values: dict[str, Any] = {"status": status, "updated_at": now}
        if options is not None:
            values["options"] = options
        if chosen_start is not None:
            values["chosen_start"] = chosen_start
        statement = (update(meeting_polls)
                     .where(meeting_polls.c.id == poll_id, meeting_polls.c.status.in_(list(expected))).values(**values))
        async with self._db.write() as connection:
            return (await connection.execute(statement)).rowcount == 1

    async def pick(self, poll_id: int, user_id: int, index: int, now: datetime) -> None:
        async with self._db.write() as connection:
            await connection.execute(update(meeting_poll_members).where(
                meeting_poll_members.c.poll_id == poll_id, meeting_poll_members.c.user_id == user_id)
                .values(pick=index, picked_at=now))

    async def set_channel(self, poll_id: int, channel_id: int | None, message_id: int | None) -> None:
        async with self._db.write() as connection:
            await connection.execute(update(meeting_polls).where(meeting_polls.c.id == poll_id)
                                     .values(channel_id=channel_id, message_id=message_id))

    async def buddy_groups_with_time(self, group_ids: Sequence[int]) -> set[int]:
        """Buddy groups that agreed a time (their own "did you meet?" comes just after it)."""
        if not group_ids:
            return set()
        statement = select(meeting_polls.c.group_ref).where(
            meeting_polls.c.group_kind == "buddy", meeting_polls.c.group_ref.in_(list(group_ids)),
            meeting_polls.c.status == "confirmed")
        async with self._db.read() as connection:
            return {int(ref) for ref in (await connection.execute(statement)).scalars()}

    async def buddy_outcomes(self, guild_id: int) -> tuple[int, int]:
        """(buddy groups that found a time, of those how many said they met), in the server, all time."""
        found = (select(meeting_polls.c.group_ref.label("group_id"))
                 .where(meeting_polls.c.group_kind == "buddy", meeting_polls.c.status == "confirmed",
                        meeting_polls.c.guild_id == guild_id).distinct().subquery())
        met = select(func.count(func.distinct(buddy_group_members.c.group_id))).where(and_(
            buddy_group_members.c.group_id.in_(select(found.c.group_id)),
            buddy_group_members.c.answer.in_(["in_person", "online"])))
        async with self._db.read() as connection:
            total = (await connection.execute(select(func.count()).select_from(found))).scalar_one()
            met_count = (await connection.execute(met)).scalar_one()
        return int(total), int(met_count)

    async def delete(self, poll_id: int) -> None:
        async with self._db.write() as connection:
            await connection.execute(delete(meeting_polls).where(meeting_polls.c.id == poll_id))


def _event_is(event_id: int | None) -> Any:
    return meeting_polls.c.event_id.is_(None) if event_id is None else meeting_polls.c.event_id == event_id

"""Check-ins and check-in reminder opt-ins."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, TypeVar, get_args

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bot.domain.checkin_schedule import Cadence
from bot.domain.checkins import Checkin, CheckinSource, CheckinStats, Reminder, StopReason
from bot.domain.moods import Mood
from bot.store._db import Database
from bot.store.tables import checkin_reminders, checkins

__all__ = ["Checkin", "CheckinStats", "CheckinStore", "Reminder", "ReminderStore"]

_SOURCES: tuple[CheckinSource, ...] = get_args(CheckinSource)
_CADENCES: tuple[Cadence, ...] = get_args(Cadence)
_STOP_REASONS: tuple[StopReason, ...] = get_args(StopReason)


T = TypeVar("T", bound=str)


def _one_of(value: str, allowed: tuple[T, ...]) -> T:
    for option in allowed:
        if value == option:
            return option
    raise ValueError(f"unexpected stored value {value!r}; expected one of {allowed}")


def _checkin(row: Any) -> Checkin:
    return Checkin(id=int(row.id), user_id=row.user_id, guild_id=row.guild_id, mood=Mood(row.mood), note=row.note,
                   local_date=row.local_date, source=_one_of(row.source, _SOURCES), created_at=row.created_at)


class CheckinStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._dialect = db.dialect

    async def add(self, *, user_id: int, guild_id: int | None, mood: int, note: str | None, local_date: date,
                  source: CheckinSource, now: datetime) -> Checkin:
        values = {"user_id": user_id, "guild_id": guild_id, "mood": int(mood), "note": note,
                  "local_date": local_date, "source": source, "created_at": now}
        async with self._db.write() as connection:
            inserted = await connection.execute(checkins.insert().values(**values).returning(checkins.c.id))
            new_id = inserted.scalar_one()
        return Checkin(id=int(new_id), user_id=user_id, guild_id=guild_id, mood=Mood(mood), note=note,
                       local_date=local_date, source=source, created_at=now)

    async def get(self, checkin_id: int, user_id: int) -> Checkin | None:
        """Only the member's own check-in: another member's id finds nothing."""
        statement = select(checkins).where(checkins.c.id == checkin_id, checkins.c.user_id == user_id)
        async with self._db.read() as connection:
            row = (await connection.execute(statement)).first()
        return _checkin(row) if row else None

    async def set_note(self, checkin_id: int, user_id: int, note: str) -> bool:
        return await self.set_note_returning(checkin_id, user_id, note) is not None

    async def set_note_returning(self, checkin_id: int, user_id: int, note: str) -> Checkin | None:
        """Set the note of the member's own check-in and return it, in one statement; None when not theirs."""
        statement = (update(checkins).where(checkins.c.id == checkin_id, checkins.c.user_id == user_id)
                     .values(note=note).returning(*checkins.c))
        async with self._db.write() as connection:
            row = (await connection.execute(statement)).first()
        return _checkin(row) if row else None

    async def stats(self, user_id: int, limit: int = 400) -> CheckinStats:
        """Distinct check-in days (newest first, enough for any streak) and the total, in one statement."""
        total = (select(func.count()).select_from(checkins).where(checkins.c.user_id == user_id)
                 .scalar_subquery())
        statement = (select(checkins.c.local_date, total.label("total")).where(checkins.c.user_id == user_id)
                     .group_by(checkins.c.local_date).order_by(checkins.c.local_date.desc()).limit(limit))
        async with self._db.read() as connection:
            rows = (await connection.execute(statement)).all()
        return CheckinStats(recent_dates=tuple(row.local_date for row in rows),
                            count=int(rows[0].total) if rows else 0)

    async def moods_since(self, user_id: int, since: date) -> list[tuple[date, int]]:
        statement = (select(checkins.c.local_date, checkins.c.mood)
                     .where(checkins.c.user_id == user_id, checkins.c.local_date >= since)
                     .order_by(checkins.c.created_at))
        async with self._db.read() as connection:
            return [(row.local_date, row.mood) for row in await connection.execute(statement)]

    async def recent_dates(self, user_id: int, limit: int = 400) -> list[date]:
        """Distinct check-in days, newest first: enough for any streak a person could have."""
        statement = (select(checkins.c.local_date).where(checkins.c.user_id == user_id).distinct()
                     .order_by(checkins.c.local_date.desc()).limit(limit))
        async with self._db.read() as connection:
            return list((await connection.execute(statement)).scalars())

    async def count(self, user_id: int) -> int:
        statement = select(func.count()).select_from(checkins).where(checkins.c.user_id == user_id)
        async with self._db.read() as connection:
            return int((await connection.execute(statement)).scalar_one())


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _reminder(row: Any) -> Reminder:
    return Reminder(user_id=row.user_id, guild_id=row.guild_id, cadence=_one_of(row.cadence, _CADENCES),
                    weekday=row.weekday, local_time=time(row.local_time // 60, row.local_time % 60),
                    enabled=row.enabled,
                    stopped_reason=_one_of(row.stopped_reason, _STOP_REASONS) if row.stopped_reason else None,
                    next_key=row.next_key)


class ReminderStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._dialect = db.dialect

    async def get(self, user_id: int) -> Reminder | None:
        statement = select(checkin_reminders).where(checkin_reminders.c.user_id == user_id)
        async with self._db.read() as connection:
            row = (await connection.execute(statement)).first()
        return _reminder(row) if row else None

    async def get_with_pause(self, user_id: int) -> tuple[Reminder, datetime | None] | None:
        """The reminder and the end of its pause (None when not paused, or never), in one read."""
        statement = select(checkin_reminders).where(checkin_reminders.c.user_id == user_id)
        async with self._db.read() as connection:
            row = (await connection.execute(statement)).first()
        return (_reminder(row), row.paused_until) if row else None

    async def paused_until(self, user_id: int) -> datetime | None:
        statement = select(checkin_reminders.c.paused_until).where(checkin_reminders.c.user_id == user_id)
        async with self._db.read() as connection:
            return (await connection.execute(statement)).scalar_one_or_none()

    async def set_pause(self, user_id: int, until: datetime | None, *, expected: str | None, key: str | None,
                        now: datetime) -> bool:
        """Start, move or end a pause together with the prompt it points at, but only from the prompt we think
        is current (a prompt being handled at the same moment moves the pointer first, and this then fails)."""
        statement = (update(checkin_reminders)
                     .where(checkin_reminders.c.user_id == user_id, checkin_reminders.c.next_key == expected)
                     .values(paused_until=until, next_key=key, updated_at=now))
        async with self._db.write() as connection:
            return (await connection.execute(statement)).rowcount == 1

    async def save(self, reminder: Reminder, now: datetime) -> None:
        values = {
            "guild_id": reminder.guild_id, "cadence": reminder.cadence, "weekday": reminder.weekday,
            "local_time": _minutes(reminder.local_time), "enabled": reminder.enabled,
            "stopped_reason": reminder.stopped_reason, "next_key": reminder.next_key, "updated_at": now,
        }
        insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        statement = insert(checkin_reminders).values(user_id=reminder.user_id, **values)
        statement = statement.on_conflict_do_update(index_elements=["user_id"], set_=values)
        async with self._db.write() as connection:
            await connection.execute(statement)

    async def set_next_key(self, user_id: int, expected: str | None, key: str | None, now: datetime) -> bool:
        """Move on to the next prompt, but only from the prompt we think is current (two sweeps, one wins)."""
        statement = (update(checkin_reminders)
                     .where(checkin_reminders.c.user_id == user_id, checkin_reminders.c.next_key == expected)
                     .values(next_key=key, updated_at=now))
        async with self._db.write() as connection:
            return (await connection.execute(statement)).rowcount == 1

    async def delete(self, user_id: int) -> None:
        async with self._db.write() as connection:
            await connection.execute(delete(checkin_reminders).where(checkin_reminders.c.user_id == user_id))

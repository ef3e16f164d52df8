"""Check-ins and check-in reminder opt-ins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bot.store._db import Database
from bot.store.tables import checkin_reminders, checkins


@dataclass(frozen=True)
class Checkin:
    id: int
    user_id: int
    guild_id: int | None
    mood: int
    note: str | None
    local_date: date
    source: str
    created_at: datetime


@dataclass(frozen=True)
class Reminder:
    user_id: int
    guild_id: int | None
    cadence: str
    weekday: int | None
    local_time: time
    enabled: bool
    stopped_reason: str | None
    next_key: str | None


class CheckinStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._dialect = db.dialect

    async def add(self, *, user_id: int, guild_id: int | None, mood: int, note: str | None, local_date: date,
                  source: str, now: datetime) -> Checkin:
        values = {"user_id": user_id, "guild_id": guild_id, "mood": mood, "note": note, "local_date": local_date,
                  "source": source, "created_at": now}
        async with self._db.write() as connection:
            inserted = await connection.execute(checkins.insert().values(**values).returning(checkins.c.id))
            new_id = inserted.scalar_one()
        return Checkin(id=int(new_id), **values)  # type: ignore[arg-type]

    async def get(self, checkin_id: int, user_id: int) -> Checkin | None:
        """Only the member's own check-in: another member's id finds nothing."""
        statement = select(checkins).where(checkins.c.id == checkin_id, checkins.c.user_id == user_id)
        async with self._db.read() as connection:
            row = (await connection.execute(statement)).first()
        return Checkin(**row._mapping) if row else None

    async def set_note(self, checkin_id: int, user_id: int, note: str) -> bool:
        statement = (update(checkins).where(checkins.c.id == checkin_id, checkins.c.user_id == user_id)
                     .values(note=note))
        async with self._db.write() as connection:
            return (await connection.execute(statement)).rowcount == 1

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
    values = dict(row._mapping)
    values.pop("updated_at")
    values["local_time"] = time(values["local_time"] // 60, values["local_time"] % 60)
    return Reminder(**values)


class ReminderStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._dialect = db.dialect

    async def get(self, user_id: int) -> Reminder | None:
        statement = select(checkin_reminders).where(checkin_reminders.c.user_id == user_id)
        async with self._db.read() as connection:
            row = (await connection.execute(statement)).first()
        return _reminder(row) if row else None

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

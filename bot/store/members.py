"""Member preferences (time zone, quiet hours, DMs)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bot.store._db import Database
from bot.store.tables import member_settings


@dataclass(frozen=True)
class MemberSettings:
    user_id: int
    timezone: str | None = None
    quiet_start: time | None = None
    quiet_end: time | None = None
    dms_enabled: bool = True
    dms_closed_at: datetime | None = None
    dms_closed_notified_at: datetime | None = None
    event_reminders: str | None = None
    dm_channel_id: int | None = None


def _minutes(value: time | None) -> int | None:
    return None if value is None else value.hour * 60 + value.minute


def _time(minutes: int | None) -> time | None:
    return None if minutes is None else time(minutes // 60, minutes % 60)


class MemberStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._dialect = db.dialect

    async def get(self, user_id: int) -> MemberSettings:
        async with self._db.read() as connection:
            row = (
                await connection.execute(select(member_settings).where(member_settings.c.user_id == user_id))
            ).first()
        if row is None:
            return MemberSettings(user_id=user_id)
        return MemberSettings(
            user_id=row.user_id,
            timezone=row.timezone,
            quiet_start=_time(row.quiet_start),
            quiet_end=_time(row.quiet_end),
            dms_enabled=row.dms_enabled,
            dms_closed_at=row.dms_closed_at,
            dms_closed_notified_at=row.dms_closed_notified_at,
            event_reminders=row.event_reminders,
            dm_channel_id=row.dm_channel_id,
        )

    async def update(self, user_id: int, now: datetime, **changes: Any) -> MemberSettings:
        """Upsert only the given fields (any column of member_settings but user_id and updated_at)."""
        values = dict(changes)
        for field in ("quiet_start", "quiet_end"):
            if field in values:
                values[field] = _minutes(values[field])
        values["updated_at"] = now
        insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        statement = insert(member_settings).values(user_id=user_id, **values)
        statement = statement.on_conflict_do_update(index_elements=["user_id"], set_=values)
        async with self._db.write() as connection:
            await connection.execute(statement)
        return await self.get(user_id)

    async def claim_dm_notice(self, user_id: int, now: datetime) -> bool:
        """True once after Discord refused a DM: the caller tells the member, and it is not told twice."""
        statement = (update(member_settings)
                     .where(member_settings.c.user_id == user_id, member_settings.c.dms_closed_at.is_not(None),
                            member_settings.c.dms_closed_notified_at.is_(None))
                     .values(dms_closed_notified_at=now))
        async with self._db.write() as connection:
            return (await connection.execute(statement)).rowcount == 1

    async def delete(self, user_id: int) -> None:
        async with self._db.write() as connection:
            await connection.execute(delete(member_settings).where(member_settings.c.user_id == user_id))

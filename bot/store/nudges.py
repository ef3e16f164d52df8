"""Nudges: members' opt-in, what was sent to them, and the read-only looks at check-ins, RSVPs, buddy
rounds and meetups that the nudges need (kept here so the other stores stay their owners' own)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bot.domain.nudges import NudgePrefs
from bot.store._db import Database
from bot.store.events import Event, _event
from bot.store.tables import (
    buddy_group_members,
    buddy_groups,
    buddy_rounds,
    checkins,
    event_rsvps,
    events,
    guild_settings,
    nudge_prefs,
    nudge_sends,
)

__all__ = ["NudgePrefs", "NudgeStore"]


def _prefs(row: Any) -> NudgePrefs:
    values = dict(row._mapping)
    values.pop("updated_at")
    minutes = values.pop("local_time")
    return NudgePrefs(local_time=time(minutes // 60, minutes % 60), **values)


class NudgeStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._dialect = db.dialect

    # opt-in ------------------------------------------------------------------------------------------
    async def get(self, user_id: int) -> NudgePrefs | None:
        async with self._db.read() as connection:
            row = (await connection.execute(select(nudge_prefs).where(nudge_prefs.c.user_id == user_id))).first()
        return _prefs(row) if row else None

    async def save(self, prefs: NudgePrefs, now: datetime) -> NudgePrefs:
        """Insert or replace the member's choice. `opted_in_at` is kept from the first opt-in."""
        values: dict[str, Any] = {
            "guild_id": prefs.guild_id, "digest_enabled": prefs.digest_enabled,
            "digest_weekday": prefs.digest_weekday,
            "local_time": prefs.local_time.hour * 60 + prefs.local_time.minute,
            "digest_every_weeks": prefs.digest_every_weeks, "quiet_enabled": prefs.quiet_enabled,
            "quiet_days": prefs.quiet_days, "buddy_enabled": prefs.buddy_enabled,
            "next_digest_key": prefs.next_digest_key, "next_check_key": prefs.next_check_key, "updated_at": now,
        }
        insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        statement = insert(nudge_prefs).values(user_id=prefs.user_id, opted_in_at=prefs.opted_in_at or now,
                                               **values)
        async with self._db.write() as connection:
            await connection.execute(statement.on_conflict_do_update(index_elements=["user_id"], set_=values))
        saved = await self.get(prefs.user_id)
        assert saved is not None
        return saved

    async def buddy_opted_in(self, user_ids: list[int]) -> set[int]:
        """Which of these members want buddy meetup suggestions, in one query."""
        if not user_ids:
            return set()
        statement = select(nudge_prefs.c.user_id).where(nudge_prefs.c.user_id.in_(user_ids),
                                                        nudge_prefs.c.buddy_enabled.is_(True))
        async with self._db.read() as connection:
            return set((await connection.execute(statement)).scalars())

    async def set_key(self, user_id: int, column: str, expected: str | None, key: str | None,
                      now: datetime) -> bool:
        """Move `next_digest_key` or `next_check_key` on, only from the row we expect (first writer wins)."""
        if column not in ("next_digest_key", "next_check_key"):
            raise ValueError(column)
        target = nudge_prefs.c[column]
        statement = (update(nudge_prefs).where(nudge_prefs.c.user_id == user_id, target == expected)
                     .values({column: key, "updated_at": now}))
        async with self._db.write() as connection:
            return (await connection.execute(statement)).rowcount == 1

    async def delete(self, user_id: int) -> None:
        async with self._db.write() as connection:
            await connection.execute(delete(nudge_sends).where(nudge_sends.c.user_id == user_id))
            await connection.execute(delete(nudge_prefs).where(nudge_prefs.c.user_id == user_id))

    # what was sent -----------------------------------------------------------------------------------
    async def record_send(self, user_id: int, kind: str, work_key: str, now: datetime) -> bool:
        """Remember a digest or nudge; False when this due row's send was already recorded (a retry).

        ON CONFLICT rather than catching the error: inside a unit of work, a failed statement would abort the
        whole transaction on PostgreSQL."""
        insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        statement = insert(nudge_sends).values(user_id=user_id, kind=kind, work_key=work_key, sent_at=now)
        async with self._db.write() as connection:
            result = await connection.execute(statement.on_conflict_do_nothing(index_elements=["work_key"]))
        return result.rowcount == 1

    async def was_sent(self, work_key: str) -> bool:
        statement = select(nudge_sends.c.id).where(nudge_sends.c.work_key == work_key)
        async with self._db.read() as connection:
            return (await connection.execute(statement)).first() is not None

    async def sends_since(self, user_id: int, since: datetime) -> list[tuple[str, datetime]]:
        statement = (select(nudge_sends.c.kind, nudge_sends.c.sent_at)
                     .where(nudge_sends.c.user_id == user_id, nudge_sends.c.sent_at >= since)
                     .order_by(nudge_sends.c.sent_at))
        async with self._db.read() as connection:
            return [(row.kind, row.sent_at) for row in await connection.execute(statement)]

    async def last_send(self, user_id: int, kind: str) -> datetime | None:
        statement = select(func.max(nudge_sends.c.sent_at)).where(nudge_sends.c.user_id == user_id,
                                                                   nudge_sends.c.kind == kind)
        async with self._db.read() as connection:
            value: datetime | None = (await connection.execute(statement)).scalar()
        return value

    # read-only looks at other aggregates -------------------------------------------------------------
    async def last_activity(self, user_id: int) -> datetime | None:
        """The latest check-in, RSVP, buddy "did you meet?" answer, or buddy round the member was in."""
        statements = [
            select(func.max(checkins.c.created_at)).where(checkins.c.user_id == user_id),
            select(func.max(event_rsvps.c.updated_at)).where(event_rsvps.c.user_id == user_id),
            select(func.max(buddy_group_members.c.answered_at)).where(buddy_group_members.c.user_id == user_id),
            select(func.max(buddy_rounds.c.started_at))
            .select_from(buddy_group_members.join(buddy_groups, buddy_groups.c.id == buddy_group_members.c.group_id)
                         .join(buddy_rounds, buddy_rounds.c.id == buddy_groups.c.round_id))
            .where(buddy_group_members.c.user_id == user_id),
        ]
        found: list[datetime] = []
        async with self._db.read() as connection:
            for statement in statements:
                value = (await connection.execute(statement)).scalar()
                if value is not None:
                    found.append(value)
        return max(found, default=None)

    async def recent_moods(self, user_id: int, since: datetime) -> list[tuple[datetime, int]]:
        statement = (select(checkins.c.created_at, checkins.c.mood)
                     .where(checkins.c.user_id == user_id, checkins.c.created_at >= since)
                     .order_by(checkins.c.created_at))
        async with self._db.read() as connection:
            return [(row.created_at, row.mood) for row in await connection.execute(statement)]

    async def meetups_between(self, guild_id: int, start: datetime, end: datetime) -> list[Event]:
        """Scheduled meetups of one server starting in [start, end), soonest first."""
        statement = (select(*events.columns)
                     .where(events.c.guild_id == guild_id, events.c.status == "scheduled",
                            events.c.start_at >= start, events.c.start_at < end)
                     .order_by(events.c.start_at, events.c.id))
        async with self._db.read() as connection:
            return [_event(row) for row in await connection.execute(statement)]

    async def announcement_guilds(self) -> list[int]:
        """Servers with an announcements channel: they get the weekly meetup digest."""
        statement = select(guild_settings.c.guild_id).where(guild_settings.c.announcements_channel_id.is_not(None))
        async with self._db.read() as connection:
            return list((await connection.execute(statement)).scalars())

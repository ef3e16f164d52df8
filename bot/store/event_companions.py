"""“Don't go alone” requests: who asked, which group they were put in, and whether they were introduced."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bot.domain.events import CompanionGroup
from bot.store._db import Database
from bot.store.tables import event_companions

__all__ = ["CompanionGroup", "CompanionStore"]  # the entity lives in bot.domain.events


class CompanionStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._dialect = db.dialect

    async def request(self, event_id: int, user_id: int, now: datetime) -> bool:
        """Record the request; False if the member had already asked."""
        upsert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        statement = upsert(event_companions).values(event_id=event_id, user_id=user_id, requested_at=now)
        async with self._db.write() as connection:
            return bool((await connection.execute(statement.on_conflict_do_nothing())).rowcount == 1)

    async def has_requested(self, event_id: int, user_id: int) -> bool:
        statement = select(event_companions.c.user_id).where(event_companions.c.event_id == event_id,
                                                             event_companions.c.user_id == user_id)
        async with self._db.read() as connection:
            return (await connection.execute(statement)).first() is not None

    async def withdraw(self, event_id: int, user_id: int) -> bool:
        """Remove the request; False if there was none."""
        async with self._db.write() as connection:
            removed = (await connection.execute(delete(event_companions).where(
                event_companions.c.event_id == event_id, event_companions.c.user_id == user_id))).rowcount
        return bool(removed)

    async def ungrouped(self, event_id: int) -> list[int]:
        statement = (select(event_companions.c.user_id)
                     .where(event_companions.c.event_id == event_id, event_companions.c.group_no.is_(None))
                     .order_by(event_companions.c.requested_at, event_companions.c.user_id))
        async with self._db.read() as connection:
            return list((await connection.execute(statement)).scalars().all())

    async def assign(self, event_id: int, groups: list[list[int]]) -> None:
        """Number the new groups after any earlier ones; members already grouped are left as they are."""
        async with self._db.write() as connection:
            highest = (await connection.execute(select(func.max(event_companions.c.group_no))
                                                .where(event_companions.c.event_id == event_id))).scalar()
            number = int(highest or 0)
            for members in groups:
                number += 1
                await connection.execute(update(event_companions).where(
                    event_companions.c.event_id == event_id, event_companions.c.user_id.in_(members),
                    event_companions.c.group_no.is_(None)).values(group_no=number))

    async def groups(self, event_id: int) -> list[CompanionGroup]:
        statement = (select(event_companions).where(event_companions.c.event_id == event_id,
                                                    event_companions.c.group_no.is_not(None))
                     .order_by(event_companions.c.group_no, event_companions.c.requested_at,
                               event_companions.c.user_id))
        found: dict[int, CompanionGroup] = {}
        async with self._db.read() as connection:
            for row in await connection.execute(statement):
                group = found.setdefault(row.group_no, CompanionGroup(row.group_no, [], row.delivered, row.thread_id))
                group.members.append(row.user_id)
        return list(found.values())

    async def group_of(self, event_id: int, user_id: int) -> CompanionGroup | None:
        return next((group for group in await self.groups(event_id) if user_id in group.members), None)

    async def mark_delivered(self, event_id: int, number: int, how: str | None, thread_id: int | None) -> None:
        """`how` None clears the mark (as if the run that introduced them had crashed first)."""
        async with self._db.write() as connection:
            await connection.execute(update(event_companions).where(
                event_companions.c.event_id == event_id, event_companions.c.group_no == number)
                .values(delivered=how, thread_id=thread_id))

    async def take_alone(self, event_id: int, now: datetime) -> list[int]:
        """Members still without a group who haven't been told so; marks them told (once each)."""
        condition = (event_companions.c.event_id == event_id, event_companions.c.group_no.is_(None),
                     event_companions.c.alone_told_at.is_(None))
        async with self._db.write() as connection:
            users = list((await connection.execute(select(event_companions.c.user_id).where(*condition)
                                                   .order_by(event_companions.c.requested_at))).scalars().all())
            await connection.execute(update(event_companions).where(*condition).values(alone_told_at=now))
        return users

"""Members' own statements that they are at least a server's minimum age."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from bot.store._db import Database
from bot.store.tables import member_ages

__all__ = ["AgeStore"]


class AgeStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._dialect = db.dialect

    async def stated(self, guild_id: int, user_id: int) -> int | None:
        """The highest minimum age this member said they meet in this server, if any."""
        statement = select(member_ages.c.min_age).where(member_ages.c.guild_id == guild_id,
                                                        member_ages.c.user_id == user_id)
        async with self._db.read() as connection:
            value = (await connection.execute(statement)).scalar_one_or_none()
        return None if value is None else int(value)

    async def confirm(self, guild_id: int, user_id: int, min_age: int, now: datetime) -> None:
        """Record "I am `min_age` or older"; a statement for a lower age never replaces a higher one."""
        insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        statement = insert(member_ages).values(guild_id=guild_id, user_id=user_id, min_age=min_age,
                                               confirmed_at=now)
        statement = statement.on_conflict_do_update(
            index_elements=["guild_id", "user_id"],
            set_={"min_age": statement.excluded.min_age, "confirmed_at": statement.excluded.confirmed_at},
            where=statement.excluded.min_age > member_ages.c.min_age)
        async with self._db.write() as connection:
            await connection.execute(statement)

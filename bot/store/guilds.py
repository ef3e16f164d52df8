"""Per-server configuration chosen by organisers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from bot.domain.guilds import GuildSettings
from bot.store._db import Database
from bot.store.tables import guild_settings

__all__ = ["GuildSettings", "GuildStore"]


class GuildStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._dialect = db.dialect

    async def get(self, guild_id: int, *, for_update: bool = False) -> GuildSettings:
        """`for_update` inside a unit of work: the row stays locked until it commits (PostgreSQL; SQLite's
        write lock, taken at BEGIN, already covers it), so "before" and "after" of a change are exact."""
        statement = select(guild_settings).where(guild_settings.c.guild_id == guild_id)
        if for_update:
            statement = statement.with_for_update()
        async with self._db.read() as connection:
            row = (await connection.execute(statement)).first()
        return GuildSettings(**row._mapping) if row else GuildSettings(guild_id=guild_id)

    async def update(self, guild_id: int, now: datetime, updated_by: int, **changes: Any) -> GuildSettings:
        values = {**changes, "updated_by": updated_by, "updated_at": now}
        insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        statement = insert(guild_settings).values(guild_id=guild_id, **values)
        statement = statement.on_conflict_do_update(index_elements=["guild_id"], set_=values)
        async with self._db.write() as connection:
            await connection.execute(statement)
        return await self.get(guild_id)

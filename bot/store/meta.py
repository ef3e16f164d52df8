"""A small key-value table for process facts (the synced command hash, heartbeats)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.tables import meta


class MetaStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._dialect = engine.dialect.name

    async def get(self, key: str) -> tuple[str, datetime] | None:
        async with self._engine.connect() as connection:
            row = (await connection.execute(select(meta.c.value, meta.c.updated_at).where(meta.c.key == key))).first()
        return (row.value, row.updated_at) if row else None

    async def set(self, key: str, value: str, now: datetime) -> None:
        insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        statement = insert(meta).values(key=key, value=value, updated_at=now)
        statement = statement.on_conflict_do_update(
            index_elements=["key"], set_={"value": value, "updated_at": now}
        )
        async with self._engine.begin() as connection:
            await connection.execute(statement)

"""A small key-value table for process facts (the synced command hash, heartbeats)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from bot.store._db import Database
from bot.store.tables import meta


class MetaStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._dialect = db.dialect

    async def get(self, key: str) -> tuple[str, datetime] | None:
        async with self._db.read() as connection:
            row = (await connection.execute(select(meta.c.value, meta.c.updated_at).where(meta.c.key == key))).first()
        return (row.value, row.updated_at) if row else None

    async def set(self, key: str, value: str, now: datetime) -> None:
        insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        statement = insert(meta).values(key=key, value=value, updated_at=now)
        statement = statement.on_conflict_do_update(
            index_elements=["key"], set_={"value": value, "updated_at": now}
        )
        async with self._db.write() as connection:
            await connection.execute(statement)

"""Create, read and update by id for tables with `created_at` / `updated_at`, shared by the repositories."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Table, insert, select, update

from bot.store._db import Database


async def insert_row(db: Database, table: Table, now: datetime, **values: Any) -> int:
    """Insert with both timestamps set to `now`; the new id."""
    async with db.write() as connection:
        new_id = (await connection.execute(
            insert(table).values(created_at=now, updated_at=now, **values).returning(table.c.id))).scalar_one()
    return int(new_id)


async def fetch_row(db: Database, table: Table, row_id: int) -> dict[str, Any] | None:
    """The row's columns except the timestamps, or None."""
    async with db.read() as connection:
        row = (await connection.execute(select(table).where(table.c.id == row_id))).first()
    return None if row is None else without_timestamps(row)


async def update_row(db: Database, table: Table, row_id: int, now: datetime, **values: Any) -> None:
    async with db.write() as connection:
        await connection.execute(update(table).where(table.c.id == row_id).values(updated_at=now, **values))


def without_timestamps(row: Any) -> dict[str, Any]:
    values = dict(row._mapping)
    values.pop("created_at")
    values.pop("updated_at")
    return values

"""Making a use case die half-way, the way a crash or a full disk would, without touching the bot's code."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text

from bot.store import Store


@asynccontextmanager
async def failing_inserts(store: Store, table: str, *, when: str = "BEFORE") -> AsyncIterator[None]:
    """Every INSERT into `table` fails while the block runs (an SQLite trigger, dropped afterwards). `when="AFTER"`
    fails once the row is written, so anything that was not rolled back would show."""
    async with store.engine.begin() as connection:
        await connection.execute(text(f"CREATE TRIGGER crash_{table} {when} INSERT ON {table} "
                                      "BEGIN SELECT RAISE(ABORT, 'crash'); END"))
    try:
        yield
    finally:
        async with store.engine.begin() as connection:
            await connection.execute(text(f"DROP TRIGGER crash_{table}"))

"""Engine creation: SQLite tuned for a long-lived bot, PostgreSQL through asyncpg, same code above."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.store import inloop_sqlite
from bot.store._db import SQLITE_IMMEDIATE

SQLITE_BUSY_TIMEOUT_MS = 5000
# How long to wait for PostgreSQL to answer a new connection (asyncpg's own default is a minute): a server that
# is down or firewalled is then a sentence within seconds. `?timeout=30` in the URL changes it.
POSTGRES_CONNECT_TIMEOUT_SECONDS = 10.0


def connect_timeout(url: URL) -> float:
    value = url.query.get("timeout", POSTGRES_CONNECT_TIMEOUT_SECONDS)
    return float(value if isinstance(value, (str, float)) else value[-1])


def create_engine(url: str) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        timeout = SQLITE_BUSY_TIMEOUT_MS / 1000
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
            # SQLite on the event loop, not a thread per connection: see inloop_sqlite.py for why and what it costs.
            engine = create_async_engine(url, async_creator=inloop_sqlite.connector(database, timeout=timeout))
        else:
            engine = create_async_engine(url, connect_args={"timeout": timeout})
        event.listen(engine.sync_engine, "connect", _sqlite_on_connect)
        event.listen(engine.sync_engine, "begin", _sqlite_on_begin)
        return engine
    return create_async_engine(parsed.difference_update_query(["timeout"]), pool_pre_ping=True, pool_size=5,
                               max_overflow=5, connect_args={"timeout": connect_timeout(parsed)})


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        # WAL lets readers run beside the single writer; the busy timeout makes writers wait, not fail.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()
    # SQLAlchemy, not the driver, says when a transaction begins (the driver's own BEGIN comes late, only
    # before the first write, and is always DEFERRED): see _sqlite_on_begin.
    dbapi_connection.isolation_level = None


def _sqlite_on_begin(connection: Connection) -> None:
    # A write transaction takes SQLite's write lock at BEGIN: one that read first and then tried to write
    # could otherwise fail with "database is locked" the moment another writer committed in between.
    immediate = connection.get_execution_options().get(SQLITE_IMMEDIATE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

"""Where a repository gets its connection: the engine, or the one connection of a unit of work.

Every repository is written once against `Database`. Bound to the engine, each call is its own short
transaction (fine for a lone read). Bound to a unit of work (`Store.transaction()`), every call of every
repository runs on that one connection and commits or rolls back with it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from contextvars import ContextVar
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

# Execution option read by the SQLite "begin" listener (bot/store/engine.py): take the write lock at BEGIN,
# so a transaction that reads and then writes never fails half-way when another writer got there first.
SQLITE_IMMEDIATE = "hearth_sqlite_immediate"


class Database(Protocol):
    @property
    def dialect(self) -> str: ...

    def read(self) -> AbstractAsyncContextManager[AsyncConnection]:
        """A connection for reading."""
        ...

    def write(self) -> AbstractAsyncContextManager[AsyncConnection]:
        """A connection whose changes commit when the block ends (or with the unit of work)."""
        ...


class EngineDatabase:
    """One connection (and transaction) per call."""

    def __init__(self, engine: AsyncEngine, in_transaction: ContextVar[bool] | None = None) -> None:
        self.engine = engine
        self._dialect = engine.dialect.name
        self._in_transaction = in_transaction
        # SQLite has one writer at a time. Writers of this process queue here, in order, instead of in
        # SQLite's busy handler, which sleeps and retries (up to 100 ms a try) and, under ten concurrent
        # check-ins, made p99 seconds long. Other processes on the same file still meet the busy timeout.
        self._writers = asyncio.Lock() if self._dialect == "sqlite" else None

    @property
    def dialect(self) -> str:
        return self._dialect

    def read(self) -> AbstractAsyncContextManager[AsyncConnection]:
        return self.engine.connect()

    def write(self) -> AbstractAsyncContextManager[AsyncConnection]:
        if self._in_transaction is not None and self._in_transaction.get():
            # A write beside the open unit of work would wait on its lock, or commit apart from it.
            raise RuntimeError("a store write outside the open transaction: use the unit of work (tx) instead")
        return self.begin()

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction: on SQLite it holds the write lock from BEGIN (see SQLITE_IMMEDIATE)."""
        async with self._writers or contextlib.nullcontext(), self.engine.connect() as connection:
            if self._writers is not None:
                connection = await connection.execution_options(**{SQLITE_IMMEDIATE: True})
            async with connection.begin():
                yield connection


class BoundDatabase:
    """Every call on one connection, inside a transaction someone else commits."""

    def __init__(self, connection: AsyncConnection, dialect: str) -> None:
        self.connection = connection
        self._dialect = dialect

    @property
    def dialect(self) -> str:
        return self._dialect

    def read(self) -> AbstractAsyncContextManager[AsyncConnection]:
        return self._same()

    def write(self) -> AbstractAsyncContextManager[AsyncConnection]:
        return self._same()

    @asynccontextmanager
    async def _same(self) -> AsyncIterator[AsyncConnection]:
        yield self.connection

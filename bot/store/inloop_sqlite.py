"""SQLite for SQLAlchemy's async engine, run on the event loop instead of a thread per connection.

aiosqlite runs every call on a worker thread: each statement costs four thread round trips (open a
cursor, execute, fetch, close), about 0.2 ms each, for a statement SQLite itself runs in a few
microseconds. A check-in (begin, three statements, commit) spent ~5 ms waiting on threads; the same
SQL on the loop takes a fraction of a millisecond. So the SQLite engine gets its connections from
here: the same aiosqlite dialect of SQLAlchemy (same SQL, types and events), with a connection whose
coroutines call `sqlite3` directly and finish without suspending.

What that costs: a statement blocks the loop while SQLite runs it. With WAL and synchronous=NORMAL
that is microseconds for Hearth's statements and a few milliseconds for the biggest bulk ones. A
write waiting for another *process*'s lock would block the loop up to the busy timeout, so one process
per SQLite file (the README's model: several processes belong on PostgreSQL); writers of this process
queue on an asyncio lock before they begin (bot/store/_db.py), so they never wait inside SQLite.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Generator, Iterable, Sequence
from typing import Any


class _Cursor:
    """The coroutine face of a `sqlite3.Cursor`, as SQLAlchemy's aiosqlite adapter calls it."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> _Cursor:
        self._cursor.execute(sql, () if parameters is None else parameters)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> _Cursor:
        self._cursor.executemany(sql, parameters)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(size if size is not None else self._cursor.arraysize)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def nextset(self) -> None:
        return None

    async def close(self) -> None:
        self._cursor.close()

    async def __aenter__(self) -> _Cursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()


class _OpenCursor:
    """What `connection.cursor()` returns: awaitable and an async context manager, as in aiosqlite."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def __await__(self) -> Generator[Any, None, _Cursor]:
        return self.__aenter__().__await__()

    async def __aenter__(self) -> _Cursor:
        return _Cursor(self._connection.cursor())

    async def __aexit__(self, *_exc: object) -> None:
        return None


class _RunNow:
    """SQLAlchemy sets `isolation_level` by handing aiosqlite's worker queue a (future, function) pair."""

    def put_nowait(self, item: tuple[asyncio.Future[Any], Callable[[], Any]]) -> None:
        future, function = item
        try:
            future.set_result(function())
        except Exception as error:
            future.set_exception(error)


class InLoopConnection:
    """An aiosqlite-shaped connection over a `sqlite3.Connection`, for `create_async_engine(async_creator=…)`."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._conn = connection
        self._connection: sqlite3.Connection | None = connection  # SQLAlchemy reads it: falsy once closed
        self._tx = _RunNow()

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    def cursor(self) -> _OpenCursor:
        return _OpenCursor(self._conn)

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> _Cursor:
        return await _Cursor(self._conn.cursor()).execute(sql, parameters)

    async def commit(self) -> None:
        self._conn.commit()

    async def rollback(self) -> None:
        self._conn.rollback()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)

    async def close(self) -> None:
        if self._connection is not None:
            self._connection = None
            self._conn.close()

    def stop(self) -> None:
        if self._connection is not None:
            self._connection = None
            self._conn.close()


def connector(database: str, *, timeout: float) -> Callable[[], Any]:
    """The `async_creator` for an SQLite file: each call opens one connection."""

    async def connect() -> InLoopConnection:
        # isolation_level=None: SQLAlchemy, not the driver, decides when a transaction begins (see engine.py).
        # check_same_thread=False: the pool may close a connection from the garbage collector's thread.
        return InLoopConnection(sqlite3.connect(database, timeout=timeout, isolation_level=None,
                                                check_same_thread=False))

    return connect

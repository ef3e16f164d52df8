"""Database access. SQL lives here and nowhere else."""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.store import migrate
from bot.store._db import BoundDatabase, Database, EngineDatabase
from bot.store.ages import AgeStore
from bot.store.buddies import BuddyStore
from bot.store.checkins import Checkin, CheckinStore, Reminder, ReminderStore
from bot.store.coordination import Grant, Lease, LeaseStore, RateBudgetStore, advisory_lock
from bot.store.due_work import DueItem, DueWorkStore
from bot.store.engine import create_engine
from bot.store.event_companions import CompanionStore
from bot.store.event_feedback import FeedbackStore
from bot.store.event_series import SeriesStore
from bot.store.events import EventStore
from bot.store.guilds import GuildSettings, GuildStore
from bot.store.meetings import MeetingStore
from bot.store.members import MemberSettings, MemberStore
from bot.store.meta import MetaStore
from bot.store.nudges import NudgeStore
from bot.store.privacy import PrivacyStore
from bot.store.pulse import PulseStore

__all__ = ["Checkin", "DueItem", "Grant", "GuildSettings", "Lease", "MemberSettings", "Reminder", "Repositories",
           "Store", "UnitOfWork"]


class Repositories:
    """A repository per aggregate, all on one `Database`: the engine, or one unit of work's connection."""

    def __init__(self, db: Database) -> None:
        self.due_work = DueWorkStore(db)
        self.members = MemberStore(db)
        self.guilds = GuildStore(db)
        self.meta = MetaStore(db)
        self.checkins = CheckinStore(db)
        self.reminders = ReminderStore(db)
        self.buddies = BuddyStore(db)
        self.events = EventStore(db)
        self.series = SeriesStore(db)
        self.companions = CompanionStore(db)
        self.meetings = MeetingStore(db)
        self.feedback = FeedbackStore(db)
        self.nudges = NudgeStore(db)
        self.privacy = PrivacyStore(db)
        self.pulse = PulseStore(db)
        self.ages = AgeStore(db)
        self.leases = LeaseStore(db)
        self.rate_budget = RateBudgetStore(db)  # PostgreSQL only: one SQLite database serves one process


class UnitOfWork(Repositories):
    """Every repository bound to one connection in one transaction: a use case commits whole or not at all.

    The due-work rows a use case schedules through `due_work` are part of it (the table is the outbox).
    """

    def __init__(self, connection: AsyncConnection, dialect: str) -> None:
        super().__init__(BoundDatabase(connection, dialect))
        self.connection = connection


class Store(Repositories):
    """One engine and a repository per aggregate. Opened once per process and passed in.

    Its repositories, used directly, run each call in a transaction of its own (a lone read);
    `transaction()` gives the same repositories bound to one connection for a whole use case.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        # Set while this task is inside `transaction()`: a second one (or a lone write) from inside would wait
        # on the first's write lock (SQLite) or commit apart from it (PostgreSQL), so it is refused at once.
        self._in_transaction: ContextVar[bool] = ContextVar(f"hearth-store-{id(engine)}-tx", default=False)
        self._engine_db = EngineDatabase(engine, self._in_transaction)
        super().__init__(self._engine_db)
        self.engine = engine
        self._local_locks: dict[str, asyncio.Lock] = {}

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[UnitOfWork]:
        """Commit when the block ends, roll back everything if it raises. Never wait on Discord inside."""
        if self._in_transaction.get():
            raise RuntimeError("a transaction was opened inside another: pass the unit of work (tx) down instead")
        token = self._in_transaction.set(True)
        try:
            async with self._engine_db.begin() as connection:
                yield UnitOfWork(connection, self.dialect)
        finally:
            self._in_transaction.reset(token)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Repositories]:
        """Several reads on one connection and one consistent snapshot."""
        async with self.engine.connect() as connection:
            if self.dialect == "postgresql":
                # READ COMMITTED (the default) gives each statement its own snapshot; SQLite's read transaction
                # is one snapshot already.
                await connection.execution_options(isolation_level="REPEATABLE READ")
            async with connection.begin():
                yield UnitOfWork(connection, self.dialect)

    @asynccontextmanager
    async def exclusive(self, name: str) -> AsyncIterator[None]:
        """Run the block in one process at a time, however many share this database (others wait their turn).

        PostgreSQL: a session advisory lock, dropped with the connection if its holder dies. SQLite: one process
        per database, so a lock in this process is all it takes.
        """
        if self.dialect == "postgresql":
            async with advisory_lock(self.engine, zlib.crc32(f"hearth:{name}".encode())):
                yield
            return
        lock = self._local_locks.setdefault(name, asyncio.Lock())
        async with lock:
            yield

    @classmethod
    @asynccontextmanager
    async def open(cls, url: str) -> AsyncIterator[Store]:
        store = cls(create_engine(url))
        try:
            yield store
        finally:
            await store.close()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    async def upgrade(self) -> None:
        await migrate.upgrade(self.engine)

    async def revision(self) -> str | None:
        return await migrate.current_revision(self.engine)

    async def ping(self) -> None:
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def close(self) -> None:
        await self.engine.dispose()

"""Database access. SQL lives here and nowhere else."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store import migrate
from bot.store.buddies import BuddyStore
from bot.store.checkins import Checkin, CheckinStore, Reminder, ReminderStore
from bot.store.due_work import DueItem, DueWorkStore
from bot.store.engine import create_engine
from bot.store.events import EventStore
from bot.store.guilds import GuildSettings, GuildStore
from bot.store.members import MemberSettings, MemberStore
from bot.store.meta import MetaStore
from bot.store.nudges import NudgeStore

__all__ = ["Checkin", "DueItem", "GuildSettings", "MemberSettings", "Reminder", "Store"]


class Store:
    """One engine and a repository per aggregate. Opened once per process and passed in."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.due_work = DueWorkStore(engine)
        self.members = MemberStore(engine)
        self.guilds = GuildStore(engine)
        self.meta = MetaStore(engine)
        self.checkins = CheckinStore(engine)
        self.reminders = ReminderStore(engine)
        self.buddies = BuddyStore(engine)
        self.events = EventStore(engine)
        self.nudges = NudgeStore(engine)

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

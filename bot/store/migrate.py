"""Apply Alembic migrations through the application's own async engine."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).parent / "migrations"


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()


# Any constant both processes agree on: PostgreSQL advisory locks are keyed by a number.
_UPGRADE_LOCK = 0x4E4152544810


async def upgrade(engine: AsyncEngine, target: str = "head") -> None:
    async with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # Several processes starting at once: one migrates, the others wait (to the commit) and find it done.
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK})
        await connection.run_sync(lambda sync: command.upgrade(_config(sync), target))


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        return await connection.run_sync(lambda sync: MigrationContext.configure(sync).get_current_revision())

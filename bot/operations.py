"""Operator commands behind `python -m bot db …` and `python -m bot health`.

Each returns an exit status and the sentence to show; the command line prints it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bot.app import heartbeat_key
from bot.config import Settings
from bot.store import Store
from bot.store.backup import backup_sqlite

Outcome = tuple[int, str]


async def upgrade(settings: Settings) -> Outcome:
    async with Store.open(settings.database_url) as store:
        await store.upgrade()
        return 0, f"database is at revision {await store.revision()}"


def backup(settings: Settings, destination: Path) -> Outcome:
    try:
        written = backup_sqlite(settings.database_url, destination)
    except (ValueError, FileNotFoundError) as exc:
        return 1, f"backup not made: {exc}"
    return 0, f"backup written to {written}"


async def health(settings: Settings, now: datetime) -> Outcome:
    """0 when the database answers and this instance's gateway heartbeat is recent; 1 otherwise."""
    try:
        async with Store.open(settings.database_url) as store:
            await store.ping()
            beat = await store.meta.get(heartbeat_key(settings.instance_name))
    except Exception as exc:
        return 1, f"unhealthy: database unreachable ({type(exc).__name__}: {exc})"
    if beat is None:
        return 1, f"unhealthy: no gateway heartbeat recorded yet for instance {settings.instance_name}"
    age = (now - beat[1]).total_seconds()
    if age > settings.health_max_age_seconds:
        return 1, f"unhealthy: last gateway heartbeat {age:.0f}s ago"
    return 0, f"healthy: database answers; gateway heartbeat {age:.0f}s ago ({beat[0]})"

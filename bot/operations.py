"""Operator commands behind `python -m bot db …` and `python -m bot health`.

Each returns an exit status and the sentence to show; the command line prints it. A database Hearth can't
use (see bot/store/problems.py) is a sentence and exit status 2, the status for a setting to fix.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.app import heartbeat_key
from bot.config import Settings, database_location
from bot.store import Store
from bot.store.backup import BackupRefused, backup_sqlite, hearth_revision
from bot.store.problems import database_problem

Outcome = tuple[int, str]

FIX_SETTING = 2  # exit status: the operator can fix it (a setting, a file, a server to start)
NO_DATABASE_YET = ("there is no Hearth database yet at {where}: make one with `python -m bot db upgrade`, "
                   "or just run the bot (`python -m bot`), which makes it when it starts")


async def upgrade(settings: Settings) -> Outcome:
    url = settings.database_url
    try:
        async with Store.open(url) as store:
            before = await store.revision()
            await store.upgrade()
            after = await store.revision()
    except Exception as exc:
        problem = database_problem(exc, url)
        if problem is None:
            raise
        return FIX_SETTING, problem
    if before is None:
        return 0, f"database made at {database_location(url)}: revision {after}"
    if before != after:
        return 0, f"database at {database_location(url)} upgraded from revision {before} to revision {after}"
    return 0, f"database at {database_location(url)} is at revision {after} already: nothing to do"


def backup(settings: Settings, destination: Path, *, force: bool = False) -> Outcome:
    try:
        written = backup_sqlite(settings.database_url, destination, force=force)
    except BackupRefused as exc:
        return FIX_SETTING, f"backup not made: {exc}"
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return FIX_SETTING, f"backup not made: can't write {destination} ({reason}); choose a folder you can write"
    return 0, f"backup written to {written}"


async def health(settings: Settings, now: datetime) -> Outcome:
    """0 when the database answers and this instance's gateway heartbeat is recent; 1 otherwise (Docker's
    HEALTHCHECK reserves 2). Creates nothing: on a fresh install it says how to make the database."""
    url = settings.database_url
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        try:
            if hearth_revision(Path(parsed.database)) is None:
                return 1, f"unhealthy: {NO_DATABASE_YET.format(where=database_location(url))}"
        except sqlite3.Error as exc:
            return 1, f"unhealthy: {_described(exc, url)}"
    try:
        async with Store.open(url) as store:
            if await store.revision() is None:
                return 1, f"unhealthy: {NO_DATABASE_YET.format(where=database_location(url))}"
            beat = await store.meta.get(heartbeat_key(settings.instance_name))
    except Exception as exc:  # a health check answers, whatever happened
        return 1, f"unhealthy: database unreachable: {_described(exc, url)}"
    if beat is None:
        return 1, f"unhealthy: no gateway heartbeat recorded yet for instance {settings.instance_name}"
    age = (now - beat[1]).total_seconds()
    if age > settings.health_max_age_seconds:
        return 1, f"unhealthy: last gateway heartbeat {age:.0f}s ago"
    return 0, f"healthy: database answers; gateway heartbeat {age:.0f}s ago ({beat[0]})"


def _described(exc: BaseException, url: str) -> str:
    return database_problem(exc, url) or f"{type(exc).__name__}: {exc}"

"""A consistent copy of a live SQLite database, through SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupRefused(Exception):
    """A backup that is not made, with the sentence saying why and what to do instead."""


def sqlite_path(url: str) -> Path:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        raise BackupRefused("backups are made from a SQLite file; for PostgreSQL use pg_dump")
    return Path(parsed.database)


def hearth_revision(path: Path) -> str | None:
    """The migration revision of the SQLite file at `path`, read without creating or changing anything; None when
    it holds no Hearth tables (a missing or empty file, or someone else's database)."""
    if not path.is_file():
        return None
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        found = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone()
        if found is None:
            return None
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return None if row is None else str(row[0])
    finally:
        connection.close()


def backup_sqlite(url: str, destination: Path, *, force: bool = False) -> Path:
    """Copy the database at `url` to `destination` while the bot may be writing to it.

    The backup API copies pages under SQLite's own locking, so the copy is a consistent snapshot,
    including what is still in the WAL file; copying the file with `cp` would not be. An existing file at
    `destination` is replaced only with `force`.
    """
    source_path = sqlite_path(url)
    if not source_path.exists():
        raise BackupRefused(f"no database at {source_path} (HEARTH_DATABASE_URL): nothing to back up yet")
    try:
        revision = hearth_revision(source_path)
    except sqlite3.DatabaseError as exc:
        raise BackupRefused(f"{source_path} is not a SQLite database ({exc})") from exc
    if revision is None:
        raise BackupRefused(f"{source_path} has no Hearth tables, so there is nothing to back up: is "
                            "HEARTH_DATABASE_URL the right database? (`python -m bot db upgrade` makes them)")
    destination = destination.expanduser()
    if destination.is_dir():
        destination = destination / f"{source_path.stem}-backup.db"
    if destination.resolve() == source_path.resolve():
        raise BackupRefused(f"{destination} is the database itself: choose another path for the copy")
    if destination.exists() and not force:
        raise BackupRefused(f"{destination} already exists: choose another path, or add --force to replace it")
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_suffix(destination.suffix + ".partial")
    source = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(partial)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    partial.replace(destination)  # never leave a half-written file under the final name
    return destination

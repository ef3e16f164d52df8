"""A consistent copy of a live SQLite database, through SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


def sqlite_path(url: str) -> Path:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        raise ValueError("backups are made from a SQLite file; for PostgreSQL use pg_dump")
    return Path(parsed.database)


def backup_sqlite(url: str, destination: Path) -> Path:
    """Copy the database at `url` to `destination` while the bot may be writing to it.

    The backup API copies pages under SQLite's own locking, so the copy is a consistent snapshot,
    including what is still in the WAL file; copying the file with `cp` would not be.
    """
    source_path = sqlite_path(url)
    if not source_path.exists():
        raise FileNotFoundError(f"no database at {source_path}")
    destination = destination.expanduser()
    if destination.is_dir():
        destination = destination / f"{source_path.stem}-backup.db"
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_suffix(destination.suffix + ".partial")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
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

"""A database Hearth cannot use, said as one sentence an operator can act on, instead of a traceback.

`database_problem` recognises what a setting or the machine causes (no server at that address, a
wrong password, a folder Hearth may not write, a file that is not a database) and returns None for
anything else: an unexpected error is a bug, and its traceback is what a developer needs.
"""

from __future__ import annotations

import errno
import os
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from bot.config import DEFAULT_DATABASE_URL, redact_url
from bot.store.engine import POSTGRES_CONNECT_TIMEOUT_SECONDS, connect_timeout

SETTING = "HEARTH_DATABASE_URL"


def database_problem(exc: BaseException, url: str) -> str | None:
    """The sentence for why the database at `url` can't be used, or None when `exc` is not such a reason."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_problem(exc, Path(parsed.database or ":memory:"))
    return _postgres_problem(exc, parsed)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and what it wraps (SQLAlchemy wraps the driver's error, which may wrap asyncpg's)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else (current.__cause__ or current.__context__)


def _user() -> str:
    """Who this process runs as (not $USER, which a container or sudo may leave saying someone else)."""
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except ImportError:  # Windows
        return "this user"
    except KeyError:  # no name for this uid (a container's numeric user)
        return f"uid {os.getuid()}"


def _sqlite_problem(exc: BaseException, path: Path) -> str | None:
    elsewhere = f"or set {SETTING} to a file in a folder Hearth can write (such as {DEFAULT_DATABASE_URL})"
    for cause in _causes(exc):
        if isinstance(cause, (FileExistsError, NotADirectoryError)):
            return (f"Hearth can't make the folder {path.parent} for its database: a file is in the way at "
                    f"{cause.filename or path.parent}. Move it, {elsewhere}.")
        if isinstance(cause, OSError) and cause.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            folder = Path(cause.filename or path.parent)
            why = ("is on a read-only file system" if cause.errno == errno.EROFS
                   else f"is not writable for {_user()}")
            return (f"Hearth can't make the folder {folder} for its database: {folder.parent} {why}. "
                    f"Make it writable, {elsewhere}.")
        if isinstance(cause, OSError) and cause.errno == errno.ENOSPC:
            return f"The disk holding {path} is full: free some space, {elsewhere}."
        if isinstance(cause, sqlite3.Error):
            return _sqlite_error(str(cause), path, elsewhere)
    return None


def _sqlite_error(message: str, path: Path, elsewhere: str) -> str:
    if "unable to open" in message:
        if path.is_dir():
            return (f"{SETTING} points at {path}, which is a folder: name a file in it, such as "
                    f"sqlite+aiosqlite:///{path / 'hearth.db'}.")
        return (f"Hearth can't open or create {path}: the folder {path.parent} is not writable for {_user()}. "
                f"Make it writable, {elsewhere}.")
    if "readonly" in message:
        return (f"{path} is read-only for {_user()}: make the file and its folder {path.parent} writable, "
                f"{elsewhere}.")
    if "not a database" in message:
        return (f"{path} is not a SQLite database: point {SETTING} at Hearth's database, or move that file "
                "away and Hearth makes a new one.")
    if "locked" in message:
        return (f"{path} is locked by another process: give each SQLite file one Hearth (stop the other), or use "
                "PostgreSQL for several processes.")
    if "full" in message:
        return f"The disk holding {path} is full: free some space, {elsewhere}."
    return f"Hearth can't use the SQLite database {path} ({message}): check the file, {elsewhere}."


def _postgres_problem(exc: BaseException, url: URL) -> str | None:
    host = url.host or str(url.query.get("host") or "localhost")
    port = url.port or str(url.query.get("port") or 5432)
    where = f"PostgreSQL at {host}:{port}" if not host.startswith("/") else f"PostgreSQL on the socket in {host}"
    shown = redact_url(url.render_as_string(hide_password=False))
    for cause in _causes(exc):
        sqlstate = getattr(cause, "sqlstate", None)
        if isinstance(sqlstate, str):
            return _postgres_refusal(sqlstate, str(cause), url, where)
        if isinstance(cause, socket.gaierror):
            return (f"The database host {host} in {SETTING} can't be found ({cause.strerror}): check its name "
                    f"({shown}).")
        if isinstance(cause, ConnectionRefusedError):
            return (f"Nothing accepts connections for {where} ({SETTING} is {shown}): start PostgreSQL there, "
                    "or fix the host and port.")
        if isinstance(cause, TimeoutError):
            seconds = connect_timeout(url)
            hint = "" if seconds != POSTGRES_CONNECT_TIMEOUT_SECONDS else " (add ?timeout=30 to the URL to wait longer)"
            return (f"{where} didn't answer within {seconds:g} seconds: check that it runs and that this machine "
                    f"can reach it{hint}.")
        if isinstance(cause, OSError):
            reason = cause.strerror or str(cause)
            return f"Hearth can't reach {where} ({reason}): check that it runs and that {SETTING} names it ({shown})."
    return None


def _postgres_refusal(sqlstate: str, message: str, url: URL, where: str) -> str:
    user = url.username or "(none)"
    database = url.database or user
    if sqlstate == "3D000":
        return (f'There is no database "{database}" at {where}: create it (createdb {database}) or fix its '
                f"name in {SETTING}.")
    if sqlstate.startswith("28"):
        return (f'{where} refused user "{user}" ({message}): check the user name and password in '
                f"{SETTING}.")
    if sqlstate == "42501":
        return (f'User "{user}" may not create Hearth\'s tables in "{database}" ({message}): grant it that '
                f"(GRANT CREATE ON SCHEMA public TO {user}) or use the database's owner.")
    return f"{where} refused Hearth ({message}): check the server and {SETTING}."

"""Logging set-up, and the context every line carries: which guild, shard and due work it concerns.

Code that knows what it works on says so once, around the work, and every line logged inside (by Hearth or a
library) carries it:

    with log_context(kind=item.kind, due_work_id=item.id, guild_id=item.guild_id):
        await handler(item)

In JSON (HEARTH_LOG_FORMAT=json) each line is one object: time, level, logger, message, the context's fields
that are known, the process's instance, and the exception when there is one. The text format is unchanged.
Only identifiers belong in the context: never what a member typed.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Literal

LogFormat = Literal["text", "json"]
TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"

# Libraries whose informational lines say nothing an operator acts on (alembic setting up its plugins on every
# command, APScheduler running each job, the gateway's session ids): warnings and errors only, unless DEBUG.
QUIET_LIBRARIES = ("alembic", "apscheduler", "discord", "asyncio")
# Never below these, even at DEBUG: discord.py logs every request body and every gateway event there, which
# carry what members typed (check-in notes included); such data never goes to a log.
PAYLOAD_LOGGERS = {"discord.http": logging.WARNING, "discord.gateway": logging.INFO}

# The fields a JSON line always has: a context field of the same name would make the line ambiguous.
RESERVED_FIELDS = frozenset({"time", "level", "logger", "message", "exception", "stack", "instance"})

# A context variable is per task: asyncio copies it into every task it starts, so a handler's fields follow
# its work (and only its work) through every await, without being passed down.
_context: ContextVar[Mapping[str, object]] = ContextVar("hearth_log_context", default=MappingProxyType({}))


def configure_logging(level: str, fmt: LogFormat = "text", *, instance: str | None = None) -> None:
    """The root logger at `level`, writing to stderr as text or JSON lines; library chatter quiet unless DEBUG.
    `instance` (HEARTH_INSTANCE) goes on every JSON line, so lines from many processes can be told apart."""
    if fmt == "json":
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter(instance=instance))
        logging.basicConfig(level=level.upper(), handlers=[handler])
    elif fmt == "text":
        logging.basicConfig(level=level.upper(), format=TEXT_FORMAT)
    else:
        raise ValueError(f"unknown log format {fmt!r}: text or json")
    debug = level.upper() == "DEBUG"
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.NOTSET if debug else max(logging.WARNING, logging.getLogger().level))
    for name, floor in PAYLOAD_LOGGERS.items():
        logger = logging.getLogger(name)
        logger.setLevel(logging.NOTSET)
        logger.setLevel(max(floor, logger.getEffectiveLevel()))


def current_log_context() -> Mapping[str, object]:
    return _context.get()


def bind_log_context(**fields: object) -> Token[Mapping[str, object]]:
    """Add `fields` to the context until `reset_log_context(token)`, for code that can't use `with`. A field
    given as None is removed (not known here). Inside a task that ends with the work, no reset is needed."""
    clash = RESERVED_FIELDS.intersection(fields)
    if clash:
        raise ValueError(f"log context fields may not be named {', '.join(sorted(clash))}")
    merged = {**_context.get(), **fields}
    return _context.set(MappingProxyType({name: value for name, value in merged.items() if value is not None}))


def reset_log_context(token: Token[Mapping[str, object]]) -> None:
    _context.reset(token)


@contextmanager
def log_context(**fields: object) -> Iterator[None]:
    """Every line logged inside carries `fields` (merged with the enclosing context's); as before on exit."""
    token = bind_log_context(**fields)
    try:
        yield
    finally:
        reset_log_context(token)


class JsonFormatter(logging.Formatter):
    """One JSON object per line. It never fails on a value: what JSON can't hold is written as its text."""

    def __init__(self, *, instance: str | None = None) -> None:
        super().__init__()
        self.instance = instance

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if self.instance is not None:
            entry["instance"] = self.instance
        for name, value in _context.get().items():
            entry.setdefault(name, _plain(value))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


def _plain(value: object) -> object:
    """A value json.dumps writes as valid JSON: NaN and infinity are not, nor is any object."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    try:
        return str(value)
    except Exception:  # a broken __str__ must not lose the line
        return f"<{type(value).__name__}>"

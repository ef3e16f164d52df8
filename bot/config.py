"""Process settings, read from the environment (and a `.env` file beside the process)."""

from __future__ import annotations

import re
import socket
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.sharding import ShardPlan, parse_shard_ids

DATA_DIR = Path("data")
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{DATA_DIR / 'hearth.db'}"

# A finished due-work row is what stops its key from being planned twice, so it must outlive every
# moment its key could be planned again. The longest such span is a buddy round's: rounds run every 1 to
# 4 weeks, and until the next one starts the current round (its key, its heads-up, its "did you meet?")
# can be planned again, so up to 28 days after its row finished. Shorter: a series occurrence is
# announced 14 days before it starts and stays plannable until then; digests are keyed by ISO week (1 or
# 2 weeks); reminders and feedback are planned only while still ahead. One day more covers a row done late.
MIN_DUE_WORK_RETENTION_DAYS = 29

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
_LEVEL_ALIASES = {"WARN": "WARNING", "CRITICAL": "ERROR", "FATAL": "ERROR"}
# The drivers Hearth installs: SQLAlchemy's async engine needs an async one.
ASYNC_DRIVERS = {"sqlite": "aiosqlite", "postgresql": "asyncpg"}
EXAMPLE_URLS = f"{DEFAULT_DATABASE_URL} or postgresql+asyncpg://user:password@host/db"


class Settings(BaseSettings):
    """Everything an operator can set. The README's settings table mirrors this class."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True)

    discord_token: SecretStr | None = Field(default=None, validation_alias="DISCORD_TOKEN")
    dev_guild: int | None = Field(default=None, validation_alias="HEARTH_DEV_GUILD")
    database_url: str = Field(default=DEFAULT_DATABASE_URL, validation_alias="HEARTH_DATABASE_URL")
    log_level: str = Field(default="INFO", validation_alias="HEARTH_LOG_LEVEL")
    instance_name: str = Field(default_factory=socket.gethostname, validation_alias="HEARTH_INSTANCE")
    sweep_seconds: float = Field(default=15.0, gt=0, validation_alias="HEARTH_SWEEP_SECONDS")
    sweep_batch: int = Field(default=200, gt=0, validation_alias="HEARTH_SWEEP_BATCH")
    claim_lease_seconds: float = Field(default=300.0, gt=0, validation_alias="HEARTH_CLAIM_LEASE_SECONDS")
    max_attempts: int = Field(default=5, gt=0, validation_alias="HEARTH_MAX_ATTEMPTS")
    send_concurrency: int = Field(default=8, ge=1, le=64, validation_alias="HEARTH_SEND_CONCURRENCY")
    global_rate: int = Field(default=50, ge=1, validation_alias="HEARTH_GLOBAL_RATE")
    heartbeat_seconds: float = Field(default=30.0, gt=0, validation_alias="HEARTH_HEARTBEAT_SECONDS")
    health_max_age_seconds: float = Field(default=120.0, gt=0, validation_alias="HEARTH_HEALTH_MAX_AGE")
    due_work_retention_days: int = Field(default=30, validation_alias="HEARTH_DUE_WORK_RETENTION_DAYS")
    # Needs the Server Members intent switched on in the Developer Portal: then a member leaving arrives
    # as an event. Without it, a delivery that finds the member gone does the same, later.
    members_intent: bool = Field(default=False, validation_alias="HEARTH_MEMBERS_INTENT")
    # Several processes (see README "Running at scale"): how many shards there are, and which this one runs,
    # listed or as this process's index among `process_count`. None of them set: one process, every shard.
    shard_count: int | None = Field(default=None, ge=1, le=4096, validation_alias="HEARTH_SHARD_COUNT")
    shard_ids: tuple[int, ...] | None = Field(default=None, validation_alias="HEARTH_SHARD_IDS")
    process_index: int | None = Field(default=None, ge=0, validation_alias="HEARTH_PROCESS_INDEX")
    process_count: int | None = Field(default=None, ge=1, validation_alias="HEARTH_PROCESS_COUNT")
    log_format: Literal["text", "json"] = Field(default="text", validation_alias="HEARTH_LOG_FORMAT")
    metrics_port: int | None = Field(default=None, ge=1, le=65535, validation_alias="HEARTH_METRICS_PORT")
    metrics_host: str = Field(default="127.0.0.1", validation_alias="HEARTH_METRICS_HOST")

    @field_validator("due_work_retention_days")
    @classmethod
    def _retention_keeps_keys(cls, value: int) -> int:
        if value < MIN_DUE_WORK_RETENTION_DAYS:
            raise ValueError(
                f"must be at least {MIN_DUE_WORK_RETENTION_DAYS} days: a finished row is what stops its work "
                f"from being planned again, and a buddy round's can be planned again for up to 4 weeks"
            )
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        level = _LEVEL_ALIASES.get(level, level)
        if level not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS[:-1])} or {LOG_LEVELS[-1]}")
        return level

    @field_validator("database_url")
    @classmethod
    def _usable_database_url(cls, value: str) -> str:
        problem = database_url_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value

    @field_validator("dev_guild", "shard_count", "process_index", "process_count", "metrics_port", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value in ("", None) else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _format_any_case(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _shard_list(cls, value: object) -> object:
        if value in ("", None):
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return (value,)
        return parse_shard_ids(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _one_shard_plan(self) -> Settings:
        self.shard_plan()  # raises ValueError with the sentence
        return self

    def shard_plan(self) -> ShardPlan | None:
        """The shards this process runs, or None: one process running every shard Discord recommends."""
        if self.shard_ids is not None and (self.process_index is not None or self.process_count is not None):
            raise ValueError("set HEARTH_SHARD_IDS or HEARTH_PROCESS_INDEX with HEARTH_PROCESS_COUNT, not both")
        if (self.process_index is None) != (self.process_count is None):
            raise ValueError("HEARTH_PROCESS_INDEX and HEARTH_PROCESS_COUNT go together: set both, or neither")
        count = self.shard_count
        if count is None:
            if self.shard_ids is not None:
                raise ValueError("HEARTH_SHARD_IDS needs HEARTH_SHARD_COUNT, the number of shards in all")
            if self.process_count is None:
                return None
            count = self.process_count  # one shard per process
        try:
            if self.process_index is not None and self.process_count is not None:
                return ShardPlan.split(count, self.process_index, self.process_count)
            return ShardPlan(count, self.shard_ids if self.shard_ids is not None else tuple(range(count)))
        except ValueError as exc:
            raise ValueError(f"the shard settings don't fit together: {exc}") from None

    @field_validator("discord_token", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value: object) -> object:
        return None if value in ("", None) else value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def database_url_problem(url: str) -> str | None:
    """What is wrong with a database URL before anything connects (a sentence's ending), or None."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return f"must be a database URL such as {EXAMPLE_URLS}"
    backend, driver = parsed.get_backend_name(), parsed.get_driver_name()
    if backend not in ASYNC_DRIVERS:
        return f"must be a SQLite or PostgreSQL URL (Hearth runs on those two), such as {EXAMPLE_URLS}"
    if driver != ASYNC_DRIVERS[backend]:
        better = parsed.set(drivername=f"{backend}+{ASYNC_DRIVERS[backend]}").render_as_string(hide_password=True)
        return f"must use the {ASYNC_DRIVERS[backend]} driver Hearth comes with: {better}"
    timeout = parsed.query.get("timeout")
    if backend == "postgresql" and timeout is not None:
        seconds = timeout if isinstance(timeout, str) else timeout[-1]
        if not re.fullmatch(r"\d+(\.\d+)?", seconds) or float(seconds) <= 0:
            return "must give the connect timeout in seconds, greater than 0 (such as ?timeout=30), or leave it out"
    return None


def redact_url(url: str) -> str:
    """A database URL fit to print: never its password, parseable or not."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return re.sub(r":[^:@/]*@", ":***@", url)


def database_location(url: str) -> str:
    """The database as an operator recognises it: a SQLite file's path, or the URL without its password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        return parsed.database
    return redact_url(url)

"""Process settings, read from the environment (and a `.env` file beside the process)."""

from __future__ import annotations

import socket
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DATA_DIR = Path("data")
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{DATA_DIR / 'hearth.db'}"

# A finished due-work row is what stops its key from being planned twice, so it must outlive every
# moment its key could be planned again. The longest such span is a buddy round's: rounds run every 1 to
# 4 weeks, and until the next one starts the current round (its key, its heads-up, its "did you meet?")
# can be planned again, so up to 28 days after its row finished. Shorter: a series occurrence is
# announced 14 days before it starts and stays plannable until then; digests are keyed by ISO week (1 or
# 2 weeks); reminders and feedback are planned only while still ahead. One day more covers a row done late.
MIN_DUE_WORK_RETENTION_DAYS = 29


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

    @field_validator("due_work_retention_days")
    @classmethod
    def _retention_keeps_keys(cls, value: int) -> int:
        if value < MIN_DUE_WORK_RETENTION_DAYS:
            raise ValueError(
                f"must be at least {MIN_DUE_WORK_RETENTION_DAYS} days: a finished row is what stops its work "
                f"from being planned again, and a buddy round's can be planned again for up to 4 weeks"
            )
        return value

    @field_validator("dev_guild", mode="before")
    @classmethod
    def _blank_guild_is_none(cls, value: object) -> object:
        return None if value in ("", None) else value

    @field_validator("discord_token", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value: object) -> object:
        return None if value in ("", None) else value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

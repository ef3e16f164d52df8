"""Process settings, read from the environment (and a `.env` file beside the process)."""

from __future__ import annotations

import socket
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DATA_DIR = Path("data")
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{DATA_DIR / 'hearth.db'}"


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

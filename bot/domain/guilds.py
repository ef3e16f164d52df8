"""A server's configuration, as its organisers chose it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class GuildSettings:
    guild_id: int
    timezone: str | None = None
    announcements_channel_id: int | None = None
    buddies_channel_id: int | None = None
    events_channel_id: int | None = None
    organiser_role_id: int | None = None
    support_text: str | None = None
    support_url: str | None = None
    support_channel_id: int | None = None
    updated_by: int | None = None
    updated_at: datetime | None = None

    @property
    def is_configured(self) -> bool:
        return self.updated_at is not None

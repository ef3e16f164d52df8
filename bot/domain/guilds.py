"""A server's configuration, as its organisers chose it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

DEFAULT_NOTES_RETENTION_DAYS = 365
DEFAULT_LEAVE_GRACE_DAYS = 30


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
    notes_retention_days: int | None = None  # None means DEFAULT_NOTES_RETENTION_DAYS
    leave_grace_days: int | None = None  # None means DEFAULT_LEAVE_GRACE_DAYS
    min_age: int | None = None  # None: no minimum age for the buddy pool and in-person meetups
    updated_by: int | None = None
    updated_at: datetime | None = None

    @property
    def notes_retention(self) -> int:
        """Days a check-in note is kept before scheduled work removes it."""
        return self.notes_retention_days or DEFAULT_NOTES_RETENTION_DAYS

    @property
    def leave_grace(self) -> int:
        """Days after a member leaves before their data for this server is deleted."""
        return self.leave_grace_days if self.leave_grace_days is not None else DEFAULT_LEAVE_GRACE_DAYS

    @property
    def is_configured(self) -> bool:
        return self.updated_at is not None

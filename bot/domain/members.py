"""A member's own preferences, as the rest of Hearth reads them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from bot.domain.event_reminders import ReminderChoice
from bot.domain.quiet_hours import QuietHours


@dataclass(frozen=True)
class MemberSettings:
    user_id: int
    timezone: str | None = None
    quiet_start: time | None = None
    quiet_end: time | None = None
    dms_enabled: bool = True
    dms_closed_at: datetime | None = None  # Discord refused a DM: we stop trying until the member returns
    dms_closed_notified_at: datetime | None = None  # when we told them so (once, on their next command)
    event_reminders: ReminderChoice | None = None  # None means the default (both)
    dm_channel_id: int | None = None  # our DM conversation, so a fan-out sends with one request per member
    consent_version: int | None = None  # the privacy notice version they agreed to; None: never asked yet
    consent_at: datetime | None = None
    language: str | None = None  # the language code they chose; None: follow their Discord client
    discord_locale: str | None = None  # the locale of their last interaction ("de", "es-419")

    @property
    def quiet_hours(self) -> QuietHours | None:
        if self.quiet_start is None or self.quiet_end is None:
            return None
        return QuietHours(self.quiet_start, self.quiet_end)

    @property
    def reachable_by_dm(self) -> bool:
        """DMs on, and Discord has not refused one since the member last turned them on."""
        return self.dms_enabled and self.dms_closed_at is None

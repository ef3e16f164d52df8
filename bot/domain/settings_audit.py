"""What changed in a server's settings, for the audit post moderators see: settings only, never member data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.domain.buddies import BuddyConfig
from bot.domain.guilds import GuildSettings
from bot.domain.moods import WEEKDAYS

# How a value is shown: a channel as a mention, a role by its name (never a ping), organisers' own text
# escaped and shortened, anything else as it is.
ValueKind = Literal["channel", "role", "text", "plain"]


@dataclass(frozen=True)
class SettingChange:
    setting: str
    kind: ValueKind
    old: str | int | None  # None: not set
    new: str | int | None


@dataclass(frozen=True)
class SettingsUpdate:
    """A saved change: the settings before and after (read and written in one transaction) and what differs."""

    before: GuildSettings
    settings: GuildSettings
    changes: tuple[SettingChange, ...]

    @property
    def audit_channels(self) -> tuple[int, ...]:
        """Where the audit post goes: the support channel, and the previous one too when it moved, so the
        moderators watching it see that requests go elsewhere now."""
        channels = (self.settings.support_channel_id, self.before.support_channel_id)
        return tuple(dict.fromkeys(channel for channel in channels if channel is not None))


def _days(days: int) -> str:
    return f"{days} day{'s' if days != 1 else ''}"


def _min_age(age: int | None) -> str:
    return str(age) if age else "none"


_GUILD_FIELDS: tuple[tuple[str, str, ValueKind], ...] = (
    ("timezone", "Time zone", "plain"),
    ("announcements_channel_id", "Announcements channel", "channel"),
    ("buddies_channel_id", "Buddies channel", "channel"),
    ("events_channel_id", "Events channel", "channel"),
    ("organiser_role_id", "Organiser role", "role"),
    ("support_text", "Support resources", "text"),
    ("support_url", "Support link", "text"),
    ("support_channel_id", "Support channel", "channel"),
)


def guild_changes(before: GuildSettings, after: GuildSettings) -> tuple[SettingChange, ...]:
    """Each setting whose value (as members experience it: a default counts as its value) changed."""
    changes = [SettingChange(label, kind, getattr(before, field), getattr(after, field))
               for field, label, kind in _GUILD_FIELDS if getattr(before, field) != getattr(after, field)]
    if before.notes_retention != after.notes_retention:
        changes.append(SettingChange("Check-in notes kept", "plain", _days(before.notes_retention),
                                     _days(after.notes_retention)))
    if before.leave_grace != after.leave_grace:
        changes.append(SettingChange("Data of members who leave removed after", "plain", _days(before.leave_grace),
                                     _days(after.leave_grace)))
    if (before.min_age or None) != (after.min_age or None):
        changes.append(SettingChange("Minimum age", "plain", _min_age(before.min_age), _min_age(after.min_age)))
    return tuple(changes)


def _cadence(weeks: int) -> str:
    return "every week" if weeks == 1 else f"every {weeks} weeks"


def buddy_changes(before: BuddyConfig, after: BuddyConfig) -> tuple[SettingChange, ...]:
    """What `/hearth buddies settings` changed."""
    pairs: list[tuple[str, ValueKind, str, str]] = [
        ("Buddy rounds", "plain", "on" if before.enabled else "off", "on" if after.enabled else "off"),
        ("Rounds", "plain", _cadence(before.cadence_weeks), _cadence(after.cadence_weeks)),
        ("Round day", "plain", WEEKDAYS[before.weekday], WEEKDAYS[after.weekday]),
        ("Round hour", "plain", f"{before.hour:02d}:00", f"{after.hour:02d}:00"),
        ("Interests", "text", ", ".join(before.interests), ", ".join(after.interests)),
        ("Repeat window", "plain", f"{before.repeat_rounds} rounds", f"{after.repeat_rounds} rounds"),
    ]
    return tuple(SettingChange(label, kind, old, new) for label, kind, old, new in pairs if old != new)

"""What changed in a server's settings, for the audit post moderators see: settings only, never member data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.domain.buddies import BuddyConfig
from bot.domain.guilds import GuildSettings
from bot.i18n import N_

# How a value is shown: a channel as a mention, a role by its name (never a ping), organisers' own text
# escaped and shortened, anything else as it is. The others are shown in the reader's language when the audit
# is posted (in the server's voice): a number of days, a minimum age (0: none), on/off (1/0), every N weeks,
# a weekday (0 is Monday), an hour of the day, a number of rounds.
ValueKind = Literal["channel", "role", "text", "plain", "days", "age", "switch", "cadence", "weekday", "hour",
                    "rounds"]


@dataclass(frozen=True)
class SettingChange:
    setting: str  # marked with N_: shown translated (`_(change.setting)`)
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


# i18n: the name of a setting in the settings audit post ("• Time zone: UTC → Europe/London")
TIME_ZONE = N_("Time zone")
_GUILD_FIELDS: tuple[tuple[str, str, ValueKind], ...] = (
    ("timezone", TIME_ZONE, "plain"),
    # i18n: the name of a setting in the settings audit post ("• Announcements channel: not set → #news")
    ("announcements_channel_id", N_("Announcements channel"), "channel"),
    # i18n: the name of a setting in the settings audit post
    ("buddies_channel_id", N_("Buddies channel"), "channel"),
    # i18n: the name of a setting in the settings audit post
    ("events_channel_id", N_("Events channel"), "channel"),
    # i18n: the name of a setting in the settings audit post
    ("organiser_role_id", N_("Organiser role"), "role"),
    # i18n: the name of a setting in the settings audit post: the server's own text for members on hard days
    ("support_text", N_("Support resources"), "text"),
    # i18n: the name of a setting in the settings audit post: a web page with the server's support resources
    ("support_url", N_("Support link"), "text"),
    # i18n: the name of a setting in the settings audit post: where moderators get requests to reach out
    ("support_channel_id", N_("Support channel"), "channel"),
)
# i18n: the name of a setting in the settings audit post ("• Check-in notes kept: 365 days → 90 days")
NOTES_KEPT = N_("Check-in notes kept")
# i18n: a setting's name in the settings audit post ("• Data of members who leave removed after: 30 days → 7 days")
LEAVERS_REMOVED = N_("Data of members who leave removed after")
# i18n: the name of a setting in the settings audit post ("• Minimum age: none → 18")
MINIMUM_AGE = N_("Minimum age")
# i18n: the name of a setting in the settings audit post ("• Buddy rounds: off → on")
BUDDY_ROUNDS = N_("Buddy rounds")
# i18n: a setting's name in the settings audit post: how often buddy rounds run ("every 2 weeks")
ROUNDS = N_("Rounds")
# i18n: a setting's name in the settings audit post: the weekday buddy rounds start ("Monday")
ROUND_DAY = N_("Round day")
# i18n: a setting's name in the settings audit post: the hour buddy rounds start ("18:00")
ROUND_HOUR = N_("Round hour")
# i18n: the name of a setting in the settings audit post: the interests members pick from for buddy rounds
INTERESTS = N_("Interests")
# i18n: the name of a setting in the settings audit post: never pair two people again within this many rounds
REPEAT_WINDOW = N_("Repeat window")


def guild_changes(before: GuildSettings, after: GuildSettings) -> tuple[SettingChange, ...]:
    """Each setting whose value (as members experience it: a default counts as its value) changed."""
    changes = [SettingChange(label, kind, getattr(before, field), getattr(after, field))
               for field, label, kind in _GUILD_FIELDS if getattr(before, field) != getattr(after, field)]
    if before.notes_retention != after.notes_retention:
        changes.append(SettingChange(NOTES_KEPT, "days", before.notes_retention, after.notes_retention))
    if before.leave_grace != after.leave_grace:
        changes.append(SettingChange(LEAVERS_REMOVED, "days", before.leave_grace, after.leave_grace))
    if (before.min_age or None) != (after.min_age or None):
        changes.append(SettingChange(MINIMUM_AGE, "age", before.min_age or 0, after.min_age or 0))
    return tuple(changes)


def buddy_changes(before: BuddyConfig, after: BuddyConfig) -> tuple[SettingChange, ...]:
    """What `/hearth buddies settings` changed."""
    pairs: list[tuple[str, ValueKind, str | int, str | int]] = [
        (BUDDY_ROUNDS, "switch", int(before.enabled), int(after.enabled)),
        (ROUNDS, "cadence", before.cadence_weeks, after.cadence_weeks),
        (ROUND_DAY, "weekday", before.weekday, after.weekday),
        (ROUND_HOUR, "hour", before.hour, after.hour),
        (INTERESTS, "text", ", ".join(before.interests), ", ".join(after.interests)),
        (REPEAT_WINDOW, "rounds", before.repeat_rounds, after.repeat_rounds),
    ]
    return tuple(SettingChange(label, kind, old, new) for label, kind, old, new in pairs if old != new)

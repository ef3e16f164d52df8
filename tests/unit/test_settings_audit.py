"""What an audit post lists: each setting that changed, old and new, defaults counted as their values.

Numbers of days, weekdays and the like stay values here: the post words them in the server's language."""

from __future__ import annotations

from dataclasses import replace

from bot.domain.buddies import BuddyConfig
from bot.domain.guilds import GuildSettings
from bot.domain.settings_audit import SettingChange, SettingsUpdate, buddy_changes, guild_changes

BEFORE = GuildSettings(guild_id=1, timezone="UTC", events_channel_id=10, support_channel_id=20)


def test_only_what_changed_is_listed() -> None:
    after = replace(BEFORE, timezone="Europe/London", organiser_role_id=30)
    assert guild_changes(BEFORE, after) == (
        SettingChange("Time zone", "plain", "UTC", "Europe/London"),
        SettingChange("Organiser role", "role", None, 30),
    )
    assert guild_changes(BEFORE, BEFORE) == ()


def test_a_default_set_explicitly_is_no_change() -> None:
    after = replace(BEFORE, notes_retention_days=365, leave_grace_days=30)
    assert guild_changes(BEFORE, after) == ()


def test_privacy_settings_read_as_people_would_say_them() -> None:
    after = replace(BEFORE, notes_retention_days=90, leave_grace_days=0, min_age=18)
    assert guild_changes(BEFORE, after) == (
        SettingChange("Check-in notes kept", "days", 365, 90),
        SettingChange("Data of members who leave removed after", "days", 30, 0),
        SettingChange("Minimum age", "age", 0, 18),
    )
    assert guild_changes(after, replace(after, min_age=None))[-1] == SettingChange("Minimum age", "age", 18, 0)


def test_the_audit_goes_to_the_support_channel_and_the_old_one_when_it_moved() -> None:
    moved = replace(BEFORE, support_channel_id=21)
    assert SettingsUpdate(BEFORE, moved, guild_changes(BEFORE, moved)).audit_channels == (21, 20)
    assert SettingsUpdate(BEFORE, BEFORE, ()).audit_channels == (20,)
    none = GuildSettings(guild_id=1)
    assert SettingsUpdate(none, none, ()).audit_channels == ()


def test_buddy_settings_changes() -> None:
    before = BuddyConfig(guild_id=1)
    after = replace(before, enabled=True, cadence_weeks=1, weekday=4, interests=("walks", "games"))
    assert buddy_changes(before, after) == (
        SettingChange("Buddy rounds", "switch", 0, 1),
        SettingChange("Rounds", "cadence", 2, 1),
        SettingChange("Round day", "weekday", 0, 4),
        SettingChange("Interests", "text", ", ".join(before.interests), "walks, games"),
    )

"""A server's configuration, as organisers set it. Every change returns what it changed, for the audit post."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlparse

from bot.clock import Clock
from bot.domain.buddies import BuddyConfig, BuddySettingsChange
from bot.domain.errors import InvalidInput
from bot.domain.guilds import GuildSettings
from bot.domain.settings_audit import SettingChange, SettingsUpdate, buddy_changes, guild_changes
from bot.domain.timezones import resolve_zone
from bot.i18n import N_, _, number
from bot.services.buddy_rounds import BuddyRoundService
from bot.services.nudge_meetups import MeetupNudgeService
from bot.store import Repositories, Store

NOTES_RETENTION_DAYS = (30, 365)  # the privacy notice tells members "a year at most"
LEAVE_GRACE_DAYS = (0, 365)
MIN_AGE = (13, 99)


@dataclass(frozen=True)
class BuddySettingsUpdate:
    config: BuddyConfig
    next_round: datetime
    changes: tuple[SettingChange, ...]
    audit_channels: tuple[int, ...]  # the server's support channel, if it has one


class GuildSetupService:
    def __init__(self, store: Store, clock: Clock, *, meetup_nudges: MeetupNudgeService,
                 rounds: BuddyRoundService) -> None:
        self._store = store
        self._clock = clock
        self._meetup_nudges = meetup_nudges
        self._rounds = rounds

    async def get(self, guild_id: int) -> GuildSettings:
        return await self._store.guilds.get(guild_id)

    async def _save_in(self, tx: Repositories, guild_id: int, updated_by: int,
                       changes: dict[str, Any]) -> SettingsUpdate:
        before = await tx.guilds.get(guild_id, for_update=True)
        saved = await tx.guilds.update(guild_id, self._clock.now(), updated_by, **changes)
        return SettingsUpdate(before=before, settings=saved, changes=guild_changes(before, saved))

    async def update(self, guild_id: int, updated_by: int, *, timezone: str | None = None,
                     announcements_channel_id: int | None = None, buddies_channel_id: int | None = None,
                     events_channel_id: int | None = None, organiser_role_id: int | None = None) -> SettingsUpdate:
        """Change only what was given; the time zone is checked before anything is stored. With an
        announcements channel, the server's weekly meetup digest is planned in the same transaction."""
        changes: dict[str, object] = {}
        if timezone is not None:
            changes["timezone"] = resolve_zone(timezone)
        for name, value in (("announcements_channel_id", announcements_channel_id),
                            ("buddies_channel_id", buddies_channel_id),
                            ("events_channel_id", events_channel_id),
                            ("organiser_role_id", organiser_role_id)):
            if value is not None:
                changes[name] = value
        async with self._store.transaction() as tx:
            update = await self._save_in(tx, guild_id, updated_by, changes)
            await self._meetup_nudges.plan_server_digest_in(tx, update.settings)
        return update

    async def update_support(self, guild_id: int, updated_by: int, *, text: str | None = None,
                             url: str | None = None, channel_id: int | None = None) -> SettingsUpdate:
        """The server's own support resources (shown on hard days) and where reach-out requests go."""
        changes: dict[str, object] = {}
        if text is not None:
            changes["support_text"] = text.strip() or None
        if url is not None:
            changes["support_url"] = _checked_url(url)
        if channel_id is not None:
            changes["support_channel_id"] = channel_id
        async with self._store.transaction() as tx:
            return await self._save_in(tx, guild_id, updated_by, changes)

    async def update_privacy(self, guild_id: int, updated_by: int, *, notes_retention_days: int | None = None,
                             leave_grace_days: int | None = None, min_age: int | None = None) -> SettingsUpdate:
        """How long check-in notes are kept, how long a member who left keeps their data here, and the
        minimum age for the buddy pool and in-person meetups (0 removes it). Checked, then one transaction."""
        changes: dict[str, object] = {}
        if notes_retention_days is not None:
            changes["notes_retention_days"] = _in_range(notes_retention_days, NOTES_RETENTION_DAYS,
                                                        N_("Check-in notes can be kept for {low} to {high} days."))
        if leave_grace_days is not None:
            changes["leave_grace_days"] = _in_range(
                leave_grace_days, LEAVE_GRACE_DAYS, N_("A leaver's data is removed after {low} to {high} days."))
        if min_age is not None:
            changes["min_age"] = None if min_age == 0 else _in_range(
                min_age, MIN_AGE, N_("A minimum age is {low} to {high}, or 0 to have none."))
        async with self._store.transaction() as tx:
            return await self._save_in(tx, guild_id, updated_by, changes)


    async def configure_buddies(self, guild_id: int, updated_by: int,
                                change: BuddySettingsChange) -> BuddySettingsUpdate:
        """`/hearth buddies settings`: the buddy service's own transaction changes and reschedules the rounds;
        the settings before it are read just ahead of it, for the audit's "old" values."""
        before = await self._store.buddies.config(guild_id)
        config, start = await self._rounds.configure(guild_id, updated_by, change)
        support = (await self._store.guilds.get(guild_id)).support_channel_id
        return BuddySettingsUpdate(config=config, next_round=start, changes=buddy_changes(before, config),
                                   audit_channels=(support,) if support is not None else ())


def _in_range(value: int, bounds: tuple[int, int], message: str) -> int:
    """`message` is marked with N_ and has {low} and {high}."""
    low, high = bounds
    if not low <= value <= high:
        raise InvalidInput(_(message, low=number(low), high=number(high)))
    return value


def _checked_url(url: str) -> str | None:
    url = url.strip()
    if url.lower() in ("", "none", "off"):
        return None
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in url:
        # i18n: {url} is what the organiser typed as their support link
        raise InvalidInput(_("“{url}” doesn't look like a web link. Use a full address starting with https://.",
                             url=url))
    return url

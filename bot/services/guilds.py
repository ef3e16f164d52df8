"""A server's configuration, as organisers set it."""

from __future__ import annotations

from urllib.parse import urlparse

from bot.clock import Clock
from bot.domain.errors import InvalidInput
from bot.domain.guilds import GuildSettings
from bot.domain.timezones import resolve_zone
from bot.services.nudge_meetups import MeetupNudgeService
from bot.store import Store


class GuildSetupService:
    def __init__(self, store: Store, clock: Clock, *, meetup_nudges: MeetupNudgeService) -> None:
        self._store = store
        self._clock = clock
        self._meetup_nudges = meetup_nudges

    async def get(self, guild_id: int) -> GuildSettings:
        return await self._store.guilds.get(guild_id)

    async def update(self, guild_id: int, updated_by: int, *, timezone: str | None = None,
                     announcements_channel_id: int | None = None, buddies_channel_id: int | None = None,
                     events_channel_id: int | None = None, organiser_role_id: int | None = None) -> GuildSettings:
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
            saved = await tx.guilds.update(guild_id, self._clock.now(), updated_by, **changes)
            await self._meetup_nudges.plan_server_digest_in(tx, saved)
        return saved

    async def update_support(self, guild_id: int, updated_by: int, *, text: str | None = None,
                             url: str | None = None, channel_id: int | None = None) -> GuildSettings:
        """The server's own support resources (shown on hard days) and where reach-out requests go."""
        changes: dict[str, object] = {}
        if text is not None:
            changes["support_text"] = text.strip() or None
        if url is not None:
            changes["support_url"] = _checked_url(url)
        if channel_id is not None:
            changes["support_channel_id"] = channel_id
        async with self._store.transaction() as tx:
            return await tx.guilds.update(guild_id, self._clock.now(), updated_by, **changes)


def _checked_url(url: str) -> str | None:
    url = url.strip()
    if url.lower() in ("", "none", "off"):
        return None
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in url:
        raise InvalidInput(f"“{url}” doesn't look like a web link. Use a full address starting with https://.")
    return url

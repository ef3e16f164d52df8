"""Putting a meetup into Discord: the announcement with RSVP buttons and the matching Scheduled Event,
and keeping both in step when it changes or is cancelled."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord

from bot.domain.events import Event
from bot.i18n import p_, speaking
from bot.ui.dm import SendLater
from bot.ui.posts import post
from bot.ui.voices import server_voice
from cogs.events._components import rsvp_view
from cogs.events._render import announcement_embed

if TYPE_CHECKING:
    from bot.app import HearthBot
    from bot.services.events import EventService

log = logging.getLogger(__name__)

# After "Post it" (deferred first): a Discord hiccup (5xx, 429) is tried again twice, a moment apart. Each
# try is already discord.py's own few retries, so this stays well inside the 15 minutes an answer may take.
NOW_PAUSES = (0.5, 1.0)


@dataclass(frozen=True)
class Published:
    """How posting went: the channel it is in (None if not posted), whether the server event exists, and
    whether it was Discord being unwell (`busy`: worth trying again) rather than a channel Hearth can't use."""

    channel: discord.TextChannel | None
    scheduled: bool
    busy: bool = False


class Publisher:
    def __init__(self, bot: HearthBot, events: EventService) -> None:
        self.bot, self.events = bot, events
        self._announcing: dict[int, tuple[asyncio.Lock, int]] = {}  # event id: its lock, and how many want it

    @contextlib.asynccontextmanager
    async def _one_at_a_time(self, event_id: int) -> AsyncIterator[None]:
        """Announcing one meetup twice at once (a double click on "Try posting again") would post it twice."""
        lock, users = self._announcing.get(event_id, (asyncio.Lock(), 0))
        self._announcing[event_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._announcing[event_id]
            if users == 1:
                del self._announcing[event_id]
            else:
                self._announcing[event_id] = (lock, users - 1)

    async def announce(self, guild: discord.Guild, event: Event, *, recover: bool = False,
                       retry: bool = False) -> tuple[discord.TextChannel | None, bool]:
        """Post what isn't posted yet (safe to run again, and one at a time per meetup): the channel it's in,
        and whether the server event exists. None for the channel when the events channel is gone or refuses
        Hearth (bot/ui/posts.py; `retry` from due work, so a Discord hiccup retries the row).

        `recover` after a crash mid-way (the due row was interrupted): what was posted but not yet recorded
        is found and adopted (the announcement by its RSVP buttons, the server event by name and start)
        rather than posted twice."""
        async with self._one_at_a_time(event.id):
            if event.message_id is None or event.scheduled_event_id is None:
                event = await self.events.get(event.id, event.guild_id)  # another announce may just have posted it
            return await self._announce(guild, event, recover=recover, retry=retry)

    async def _announce(self, guild: discord.Guild, event: Event, *, recover: bool,
                        retry: bool) -> tuple[discord.TextChannel | None, bool]:
        channel = guild.get_channel(event.channel_id or 0)
        if not isinstance(channel, discord.TextChannel):
            return None, event.scheduled_event_id is not None
        if event.message_id is None:
            message = await self._posted_before(channel, event) if recover else None
            if message is None:
                answers = await self.events.rsvps(event.id)
                with speaking(server_voice(self.bot, guild.id)):  # a public post: the server's language
                    embed = announcement_embed(event, answers)
                    buttons = rsvp_view(event.id, in_person=event.mode == "in_person")
                message = await post(self.bot, channel, embed=embed, view=buttons, retry=retry,
                                     nonce_key=f"event-announce:{event.id}", what=f"meetup {event.id}'s announcement")
            if message is None:
                return None, event.scheduled_event_id is not None
            await self.events.attach(event.id, message_id=message.id)
        scheduled_id = event.scheduled_event_id
        if scheduled_id is None:
            scheduled = self._scheduled_before(guild, event) if recover else None
            scheduled = scheduled or await self._create_scheduled_event(guild, event)
            if scheduled is not None:
                scheduled_id = scheduled.id
                await self.events.attach(event.id, scheduled_event_id=scheduled.id)
        return channel, scheduled_id is not None

    async def announce_now(self, guild: discord.Guild, event: Event) -> Published:
        """Announce from an interaction: what isn't posted yet, trying again (briefly) while Discord is unwell."""
        for pause in (*NOW_PAUSES, None):
            try:
                channel, scheduled = await self.announce(guild, event, retry=True)
                return Published(channel, scheduled)
            except SendLater as busy:
                log.warning("announcing meetup %s: %s%s", event.id, busy,
                            f"; trying again in {pause:.0f} s" if pause is not None else "; giving up for now")
                if pause is not None:
                    await asyncio.sleep(pause)
        return Published(None, event.scheduled_event_id is not None, busy=True)

    async def _posted_before(self, channel: discord.TextChannel, event: Event) -> discord.Message | None:
        wanted = f"hearth:ev:rsvp:{event.id}:going"
        async for message in channel.history(limit=50):  # an announcement posted just before a crash
            if self.bot.user is not None and message.author.id == self.bot.user.id and any(
                    getattr(child, "custom_id", None) == wanted for row in message.components
                    for child in getattr(row, "children", ())):
                return message
        return None

    @staticmethod
    def _scheduled_before(guild: discord.Guild, event: Event) -> discord.ScheduledEvent | None:
        return next((scheduled for scheduled in guild.scheduled_events
                     if scheduled.name == event.title and scheduled.start_time == event.start_at
                     and scheduled.status == discord.EventStatus.scheduled), None)

    async def _create_scheduled_event(self, guild: discord.Guild, event: Event) -> discord.ScheduledEvent | None:
        with speaking(server_voice(self.bot, guild.id)):  # the server's Events list: the server's language
            # i18n: the location of an online meetup in the server's Events list, when it has no link
            online = p_("meetup place", "Online")
        location = (event.venue or "") + (f", {event.area}" if event.area else "") if event.mode == "in_person" \
            else (event.link or online)
        try:
            return await guild.create_scheduled_event(
                name=event.title, start_time=event.start_at, end_time=event.end_at,
                entity_type=discord.EntityType.external, location=location[:100],
                privacy_level=discord.PrivacyLevel.guild_only, description=(event.description or "")[:1000])
        except discord.HTTPException as error:
            log.warning("could not create a scheduled event for event %s: %s", event.id, error)
            return None

    async def refresh(self, guild: discord.Guild, event: Event, answers: dict[str, list[int]], *,
                      view: bool = True) -> None:
        channel = guild.get_channel(event.channel_id or 0)
        if not isinstance(channel, discord.TextChannel) or event.message_id is None:
            return
        try:
            message = channel.get_partial_message(event.message_id)
            with speaking(server_voice(self.bot, guild.id)):  # the announcement is public: the server's language
                buttons = rsvp_view(event.id, in_person=event.mode == "in_person") if view else None
                embed = announcement_embed(event, answers)
            # An edit without allowed_mentions would fall back to Discord's default (everything pings).
            await message.edit(embed=embed, view=buttons, allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException as error:
            log.warning("could not update the announcement of event %s: %s", event.id, error)

    async def sync_scheduled_event(self, guild: discord.Guild, event: Event, *, cancel: bool = False) -> None:
        if event.scheduled_event_id is None:
            return
        try:
            scheduled = guild.get_scheduled_event(event.scheduled_event_id) or await guild.fetch_scheduled_event(
                event.scheduled_event_id)
            if cancel:
                await scheduled.cancel()
            else:
                await scheduled.edit(name=event.title, start_time=event.start_at, end_time=event.end_at,
                                     description=(event.description or "")[:1000])
        except discord.HTTPException as error:
            log.warning("could not update the scheduled event of event %s: %s", event.id, error)

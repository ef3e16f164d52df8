"""“Don't go alone”: the ask / withdraw buttons, and introductions in a private thread (or by DM)."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.services.event_companions import CompanionService, PairingOutcome
from bot.store import DueItem
from bot.store.events import Event
from bot.ui.components import Guarded, loaded_cog
from bot.ui.dm import send_dm
from bot.ui.formatting import timestamp

if TYPE_CHECKING:
    from bot.app import HearthBot
    from cogs.events import EventsCog

log = logging.getLogger(__name__)
ASK_LABEL = "I'd like someone to go with"


class GoTogetherButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                       template=r"hearth:ev:alone:(?P<event>\d+):(?P<action>ask|withdraw)"):
    def __init__(self, event_id: int, action: str) -> None:
        self.event_id, self.action = event_id, action
        label, style = ((ASK_LABEL, discord.ButtonStyle.primary) if action == "ask"
                        else ("I'm fine going on my own now", discord.ButtonStyle.secondary))
        super().__init__(discord.ui.Button(label=label, style=style, emoji="🤝" if action == "ask" else None,
                                           custom_id=f"hearth:ev:alone:{event_id}:{action}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> GoTogetherButton:
        return cls(int(match["event"]), match["action"])

    async def run(self, interaction: discord.Interaction) -> None:
        cog: EventsCog = loaded_cog(interaction, "Events")
        companions = cog.events.companions
        if self.action == "withdraw":
            removed = await companions.withdraw(self.event_id, interaction.user.id)
            text = ("Done: I've taken you off the list. Have a lovely time!" if removed
                    else "You weren't on the list, so there's nothing to undo.")
            await interaction.response.send_message(text, view=go_together_view(self.event_id, asked=False),
                                                    ephemeral=True)
            return
        event, added = await companions.request(self.event_id, interaction.user.id)
        text = (f"Lovely. Before **{event.title}** I'll introduce you to others who asked, in a small private "
                "thread, so you can meet up and walk in together. If nobody else asks, I'll tell you, no "
                "worries either way." if added else "You're already on the list; I'll introduce you before the meetup.")
        await interaction.response.send_message(text, view=go_together_view(self.event_id, asked=True),
                                                ephemeral=True)


def go_together_view(event_id: int, *, asked: bool) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(GoTogetherButton(event_id, "withdraw" if asked else "ask"))
    return view


def intro_text(mentions: list[str], event: Event) -> str:
    where = event.venue or "the venue"
    return (f"Hi {', '.join(mentions[:-1])} and {mentions[-1]}! 👋 You each said you'd like someone to go to "
            f"**{event.title}** with, so here you are.\n"
            f"🗓️ {timestamp(event.start_at, 'F')} ({timestamp(event.start_at, 'R')})\n📍 {where}\n"
            "How about meeting **10 minutes early, just outside**, and walking in together? Say hello here and "
            "agree on a spot. If your plans change, tap “Can't go” on the announcement so the others know.")


def alone_text(event: Event) -> str:
    return (f"About **{event.title}** ({timestamp(event.start_at, 'F')}): nobody else asked for someone to go with "
            "this time, so I couldn't introduce you. That's nothing about you! The organiser, "
            f"<@{event.creator_id}>, will be glad to see you: say hello when you arrive. Arriving a few minutes early "
            "is the easiest way to meet people as they come in. 🌱")


class CompanionDelivery:
    def __init__(self, bot: HearthBot, companions: CompanionService) -> None:
        self.bot, self.companions = bot, companions

    async def deliver(self, outcome: PairingOutcome) -> None:
        """Introduce each new group in a private thread (safe to run again: delivered groups are marked); where
        no thread is possible, and for whoever is left alone, one DM row per member (sent by `send_note`)."""
        event = outcome.event
        guild = self.bot.get_guild(event.guild_id)
        for group in outcome.to_introduce:
            members = [m for m in [await self._member(guild, user_id) for user_id in group.members] if m]
            thread = await self._thread(guild, event, members) if len(members) == len(group.members) else None
            if thread is not None:
                await self.companions.mark_delivered(event, group, "thread", thread.id)
                continue
            await self.companions.schedule_notes(event, group.members, f"intro-{group.number}")
            await self.companions.mark_delivered(event, group, "dm", None)
        await self.companions.schedule_notes(event, outcome.alone, "alone")

    async def send_note(self, item: DueItem) -> None:
        """Due work: one DM, an introduction naming the others (no thread possible) or the kind "nobody else"."""
        note = await self.companions.note(item)
        if note is None:
            return
        event, user_id, group = note
        if group is None:
            await send_dm(self.bot, user_id, alone_text(event), work=item)
            return
        names = await self.bot.store.events.names(event.id, group.members)
        others = [f"{names.get(other, 'a member')} (<@{other}>)" for other in group.members if other != user_id]
        text = intro_text(["you", *others], event).replace("Say hello here and agree on a spot.",
                                                           "Send them a message to agree on a spot.")
        await send_dm(self.bot, user_id, text, work=item)

    async def _member(self, guild: discord.Guild | None, user_id: int) -> discord.Member | None:
        if guild is None:
            return None
        try:
            return guild.get_member(user_id) or await guild.fetch_member(user_id)
        except discord.HTTPException:
            return None

    async def _thread(self, guild: discord.Guild | None, event: Event,
                      members: list[discord.Member]) -> discord.Thread | None:
        channel = guild.get_channel(event.channel_id or 0) if guild else None
        if not isinstance(channel, discord.TextChannel) or not members:
            return None
        try:
            thread = await channel.create_thread(name=f"Going together: {event.title}"[:100],
                                                 type=discord.ChannelType.private_thread, invitable=False,
                                                 auto_archive_duration=1440)
            for member in members:
                await thread.add_user(member)
            # Deliberately addressed to the group, so it may mention (and notify) them.
            await thread.send(intro_text([m.mention for m in members], event),
                              allowed_mentions=discord.AllowedMentions(users=members))
        except discord.HTTPException as error:
            log.warning("could not open a going-together thread for event %s (%s); using DMs", event.id, error)
            return None
        return thread

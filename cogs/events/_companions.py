"""“Don't go alone”: the ask / withdraw buttons, and introductions in a private thread (or by DM)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.domain.companions import CompanionNote
from bot.domain.events import Event
from bot.domain.privacy import is_pseudonym
from bot.domain.safety import MEETUP_TIP
from bot.services.event_companions import CompanionService, PairingOutcome
from bot.ui.components import Guarded, loaded_cog
from bot.ui.dm import DueItem, send_dm
from bot.ui.formatting import plain, timestamp
from bot.ui.meetings import companions_view
from bot.ui.safety import event_check_button
from bot.ui.threads import get_or_fetch_member, open_intro_thread
from cogs.events._attendance import member_roles

if TYPE_CHECKING:
    from bot.app import HearthBot
    from cogs.events import EventsCog

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
        companions = cog.services.events.companions
        if self.action == "withdraw":
            removed = await companions.withdraw(self.event_id, interaction.user.id)
            text = ("Done: I've taken you off the list. Have a lovely time!" if removed
                    else "You weren't on the list, so there's nothing to undo.")
            await interaction.response.send_message(
                text, view=go_together_view(self.event_id, asked=False, user_id=interaction.user.id), ephemeral=True)
            return
        event, added = await companions.request(self.event_id, interaction.user.id, member_roles(interaction))
        text = (f"Lovely. Before **{plain(event.title)}** I'll introduce you to others who asked, in a small private "
                "thread, so you can meet up and walk in together. If nobody else asks, I'll tell you, no "
                "worries either way." if added else "You're already on the list; I'll introduce you before the meetup.")
        await interaction.response.send_message(
            text, view=go_together_view(self.event_id, asked=True, user_id=interaction.user.id), ephemeral=True)


def go_together_view(event_id: int, *, asked: bool, user_id: int | None = None) -> discord.ui.View:
    """The buttons on an in-person Going confirmation: company on the way in and, with `user_id`, a check
    that the member got home OK afterwards (bound to them)."""
    view = discord.ui.View(timeout=None)
    view.add_item(GoTogetherButton(event_id, "withdraw" if asked else "ask"))
    if user_id is not None:
        view.add_item(event_check_button(event_id, user_id))
    return view


def intro_text(mentions: list[str], event: Event) -> str:
    where = plain(event.venue) or "the venue"
    return (f"Hi {', '.join(mentions[:-1])} and {mentions[-1]}! 👋 You each said you'd like someone to go to "
            f"**{plain(event.title)}** with, so here you are.\n"
            f"🗓️ {timestamp(event.start_at, 'F')} ({timestamp(event.start_at, 'R')})\n📍 {where}\n"
            "How about meeting **10 minutes early, just outside**, and walking in together? Say hello here and "
            "agree on a spot. If your plans change, tap “Can't go” on the announcement so the others know.\n"
            f"🛡️ {MEETUP_TIP}")


def alone_text(event: Event) -> str:
    return (f"About **{plain(event.title)}** ({timestamp(event.start_at, 'F')}): nobody else asked for someone to go "
            "with this time, so I couldn't introduce you. That's nothing about you! The organiser"
            # An organiser who deleted their Hearth data is a pseudonym: nobody to mention.
            f"{'' if is_pseudonym(event.creator_id) else f', <@{event.creator_id}>,'} will be glad to see you: say "
            "hello when you arrive. Arriving a few minutes early is the easiest way to meet people as they come in. 🌱")


class CompanionDelivery:
    def __init__(self, bot: HearthBot, companions: CompanionService) -> None:
        self.bot, self.companions = bot, companions

    async def deliver(self, outcome: PairingOutcome) -> None:
        """Introduce each new group in a private thread (safe to run again: delivered groups are marked, and a
        thread opened just before a crash is adopted); where no thread is possible, and for whoever is left
        alone, one DM row per member (sent by `send_note`)."""
        event = outcome.event
        guild = self.bot.get_guild(event.guild_id)
        channel = guild.get_channel(event.channel_id or 0) if guild else None
        for group in outcome.to_introduce:
            gone: list[int] = []
            members = [m for m in [await get_or_fetch_member(guild, user_id, gone) for user_id in group.members] if m]
            if gone and guild is not None:  # they left the server: their data there goes after its grace period
                await self.bot.services.privacy.members_gone(guild.id, gone)
            thread = None
            if len(members) == len(group.members):
                # One name per group, so a thread adopted after a crash is this group's and nobody else's.
                thread = await open_intro_thread(
                    channel, name=f"Going together #{group.number}: {event.title}",
                    members=members, text=intro_text([m.mention for m in members], event),
                    since=outcome.round_at, archive_minutes=1440, view=companions_view(event.id, group.number))
            await self.companions.introduced(event, group, thread.id if thread else None)
        await self.companions.tell_alone(event, outcome.alone)

    async def send_note(self, work: CompanionNote, item: DueItem) -> None:
        """One DM, an introduction naming the others (no thread possible) or the kind "nobody else"."""
        note = await self.companions.note(work)
        if note is None:
            return
        if note.group is None:
            await send_dm(self.bot, note.user_id, alone_text(note.event), work=item)
            return
        others = [f"{note.names.get(other, 'a member')} (<@{other}>)" for other in note.group.members
                  if other != note.user_id]
        text = intro_text(["you", *others], note.event).replace("Say hello here and agree on a spot.",
                                                                "Send them a message to agree on a spot.")
        await send_dm(self.bot, note.user_id, text, companions_view(note.event.id, note.group.number), work=item)

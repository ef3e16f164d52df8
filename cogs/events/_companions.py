"""“Don't go alone”: the ask / withdraw buttons, and introductions in a private thread (or by DM)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.domain.companions import CompanionNote
from bot.domain.events import Event
from bot.domain.privacy import is_pseudonym
from bot.domain.safety import MEETUP_TIP
from bot.i18n import S_, _, p_, speaking
from bot.services.event_companions import CompanionService, PairingOutcome
from bot.ui.components import Guarded, loaded_cog
from bot.ui.dm import DueItem, send_dm
from bot.ui.formatting import plain, timestamp
from bot.ui.meetings import companions_view
from bot.ui.safety import event_check_button
from bot.ui.threads import get_or_fetch_member, open_intro_thread
from bot.ui.voices import server_voice
from cogs.events._attendance import member_roles

if TYPE_CHECKING:
    from bot.app import HearthBot
    from cogs.events import EventsCog



def ask_label() -> str:
    # i18n: a button on a member's private "You're going" answer: they'd like to be introduced to others
    return p_("button", "I'd like someone to go with")


class GoTogetherButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                       template=r"hearth:ev:alone:(?P<event>\d+):(?P<action>ask|withdraw)"):
    def __init__(self, event_id: int, action: str) -> None:
        self.event_id, self.action = event_id, action
        label, style = ((ask_label(), discord.ButtonStyle.primary) if action == "ask"
                        else (p_("button", "I'm fine going on my own now"), discord.ButtonStyle.secondary))
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
            text = (_("Done: I've taken you off the list. Have a lovely time!") if removed
                    else _("You weren't on the list, so there's nothing to undo."))
            await interaction.response.send_message(
                text, view=go_together_view(self.event_id, asked=False, user_id=interaction.user.id), ephemeral=True)
            return
        event, added = await companions.request(self.event_id, interaction.user.id, member_roles(interaction))
        text = (_("Lovely. Before **{title}** I'll introduce you to others who asked, in a small private thread, so "
                  "you can meet up and walk in together. If nobody else asks, I'll tell you, no worries either way.",
                  title=plain(event.title))
                if added else _("You're already on the list; I'll introduce you before the meetup."))
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


def _greeting(mentions: list[str]) -> str:
    """The group, in the thread: two (or three) mentions."""
    if len(mentions) == 2:
        return _("Hi {first} and {second}! 👋", first=mentions[0], second=mentions[1])
    if len(mentions) == 3:
        return _("Hi {first}, {second} and {third}! 👋", first=mentions[0], second=mentions[1], third=mentions[2])
    return _("Hi {names}! 👋", names=", ".join(mentions))


def _greeting_by_dm(others: list[str]) -> str:
    """The group, in one member's DM: "you" and the others, each a name and a mention."""
    # i18n: the start of a DM introducing the reader ("you") to another member going to the same meetup
    if len(others) == 1:
        return _("Hi you and {other}! 👋", other=others[0])
    if len(others) == 2:
        return _("Hi you, {first} and {second}! 👋", first=others[0], second=others[1])
    return _("Hi you and {others}! 👋", others=", ".join(others))


def intro_text(mentions: list[str], event: Event, *, by_dm: bool = False) -> str:
    """The introduction of a going-together group: in their private thread (`mentions` everyone), or by DM
    (`by_dm`: `mentions` are the others)."""
    # i18n: where an in-person meetup is, when its venue is unknown
    where = plain(event.venue) or p_("meetup place", "the venue")
    values = {"title": plain(event.title), "when": timestamp(event.start_at, "F"),
              "relative": timestamp(event.start_at, "R"), "where": where, "tip": S_(MEETUP_TIP)}
    if by_dm:
        # i18n: after the greeting; “Can't go” is the button on the announcement; {tip} is a safety tip
        body = _("You each said you'd like someone to go to **{title}** with, so here you are.\n"
                 "🗓️ {when} ({relative})\n📍 {where}\n"
                 "How about meeting **10 minutes early, just outside**, and walking in together? Send them a message "
                 "to agree on a spot. If your plans change, tap “Can't go” on the announcement so the others know.\n"
                 "🛡️ {tip}", **values)
        return f"{_greeting_by_dm(mentions)} {body}"
    # i18n: after the greeting, in the group's private thread; “Can't go” is the button on the announcement
    body = _("You each said you'd like someone to go to **{title}** with, so here you are.\n"
             "🗓️ {when} ({relative})\n📍 {where}\n"
             "How about meeting **10 minutes early, just outside**, and walking in together? Say hello here and agree "
             "on a spot. If your plans change, tap “Can't go” on the announcement so the others know.\n"
             "🛡️ {tip}", **values)
    return f"{_greeting(mentions)} {body}"


def alone_text(event: Event) -> str:
    title, when = plain(event.title), timestamp(event.start_at, "F")
    if is_pseudonym(event.creator_id):  # an organiser who deleted their Hearth data: nobody to mention
        return _("About **{title}** ({when}): nobody else asked for someone to go with this time, so I couldn't "
                 "introduce you. That's nothing about you! The organiser will be glad to see you: say hello when you "
                 "arrive. Arriving a few minutes early is the easiest way to meet people as they come in. 🌱",
                 title=title, when=when)
    organiser = f"<@{event.creator_id}>"
    # i18n: {organiser} mentions the meetup's organiser
    return _("About **{title}** ({when}): nobody else asked for someone to go with this time, so I couldn't introduce "
             "you. That's nothing about you! The organiser, {organiser}, will be glad to see you: say hello when you "
             "arrive. Arriving a few minutes early is the easiest way to meet people as they come in. 🌱",
             title=title, when=when, organiser=organiser)


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
                with speaking(server_voice(self.bot, event.guild_id)):  # a thread in the server: its language
                    # One name per group, so a thread adopted after a crash is this group's and nobody else's.
                    # i18n: the name of a private thread introducing members going to a meetup together
                    name = _("Going together #{number}: {title}", number=group.number, title=event.title)
                    text = intro_text([m.mention for m in members], event)
                    view = companions_view(event.id, group.number)
                thread = await open_intro_thread(channel, name=name, members=members, text=text,
                                                 since=outcome.round_at, archive_minutes=1440, view=view)
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
        # i18n: a member whose name isn't known, in an introduction
        unknown = p_("member name", "a member")
        others = [f"{note.names.get(other, unknown)} (<@{other}>)" for other in note.group.members
                  if other != note.user_id]
        text = intro_text(others, note.event, by_dm=True)
        await send_dm(self.bot, note.user_id, text, companions_view(note.event.id, note.group.number), work=item)

"""RSVP buttons (persistent: the event id and answer live in the custom_id) and the create confirmation."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.i18n import _, p_
from bot.services.events import EventDraft
from bot.ui.components import Guarded, HearthView, loaded_cog
from cogs._consent import gated
from cogs.events._attendance import HereButton

if TYPE_CHECKING:
    from cogs.events import EventsCog

COG_NAME = "Events"
LABELS = ("going", "maybe", "no")


def rsvp_label(status: str) -> str:
    """The answer buttons on an announcement (in the server's voice there: the post is public)."""
    # i18n: the answer buttons on a meetup's announcement
    return {"going": p_("button", "Going"), "maybe": p_("button", "Maybe"), "no": p_("button", "Can't go")}[status]


def _cog(interaction: discord.Interaction) -> EventsCog:
    cog: EventsCog = loaded_cog(interaction, COG_NAME)
    return cog


class RsvpButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                 template=r"hearth:ev:rsvp:(?P<event>\d+):(?P<status>going|maybe|no)"):
    for_everyone = True  # on the announcement: everyone who sees it answers for themselves
    def __init__(self, event_id: int, status: str) -> None:
        self.event_id, self.status = event_id, status
        style = discord.ButtonStyle.success if status == "going" else discord.ButtonStyle.secondary
        super().__init__(discord.ui.Button(label=rsvp_label(status), style=style,
                                           custom_id=f"hearth:ev:rsvp:{event_id}:{status}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> RsvpButton:
        return cls(int(match["event"]), match["status"])

    async def run(self, interaction: discord.Interaction) -> None:
        announcement = interaction.message

        async def answer(current: discord.Interaction) -> None:
            # Carried on from the minimum-age question, `current` is the press on that question's button.
            await _cog(current).answer(current, self.event_id, self.status,
                                       announcement=None if current is interaction else announcement)

        await gated(interaction, answer, again="rsvp")


def rsvp_view(event_id: int, *, in_person: bool = False) -> discord.ui.View:
    """The answers, and for a meetup in person “I'm here” (which says when it opens if pressed early)."""
    view = discord.ui.View(timeout=None)
    for status in LABELS:
        view.add_item(RsvpButton(event_id, status))
    if in_person:
        view.add_item(HereButton(event_id))
    return view


class ConfirmCreate(HearthView):
    """The organiser sees the parsed time before anything is posted."""

    def __init__(self, cog: EventsCog, draft: EventDraft) -> None:
        super().__init__(timeout=600)
        self.cog, self.draft = cog, draft
        # i18n: on the organiser's preview of a new meetup
        self.confirm.label = p_("button", "Post it")
        self.discard.label = p_("button", "Don't post")

    @discord.ui.button(label="Post it", style=discord.ButtonStyle.success, custom_id="hearth:ev:confirm")
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button[ConfirmCreate]) -> None:
        self.stop()
        await interaction.response.defer()  # storing and posting (with a retry) can take longer than Discord waits
        await self.cog.publish(interaction, self.draft)

    @discord.ui.button(label="Don't post", style=discord.ButtonStyle.secondary, custom_id="hearth:ev:discard")
    async def discard(self, interaction: discord.Interaction, button: discord.ui.Button[ConfirmCreate]) -> None:
        self.stop()
        await interaction.response.edit_message(content=_("Not posted. Nothing was saved."), embed=None,
                                                view=None)


class RepostButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                   template=r"hearth:ev:repost:(?P<event>\d+)"):
    """On the organiser's private answer when Discord didn't take an announcement: post it now (once)."""

    def __init__(self, event_id: int) -> None:
        self.event_id = event_id
        # i18n: on the organiser's private answer when Discord didn't take an announcement
        super().__init__(discord.ui.Button(label=p_("button", "Try posting again"), style=discord.ButtonStyle.primary,
                                           custom_id=f"hearth:ev:repost:{event_id}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> RepostButton:
        return cls(int(match["event"]))

    async def run(self, interaction: discord.Interaction) -> None:
        await _cog(interaction).repost(interaction, self.event_id)


def repost_view(event_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(RepostButton(event_id))
    return view


DYNAMIC_ITEMS = (RsvpButton, RepostButton)

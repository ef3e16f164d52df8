"""Waitlist offers by DM: "Take the place" / "Pass" (persistent: the meetup lives in the custom_id, the member is
whoever the DM is with), the offer DM itself, and the deadline passing it on."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

import discord

from bot.domain.event_waitlist import OfferExpiry, WaitlistOffer
from bot.domain.events import Event
from bot.i18n import _, p_
from bot.services.event_waitlist import OfferAnswered, WaitlistService
from bot.ui.components import Guarded, loaded_cog
from bot.ui.dm import DueItem, send_dm
from bot.ui.formatting import plain, timestamp

if TYPE_CHECKING:
    from bot.app import HearthBot
    from cogs.events import EventsCog
    from cogs.events._publishing import Publisher

_CHOICES = ("take", "pass")


def _label(choice: str) -> str:
    # i18n: the buttons on a DM offering a member a freed place at a meetup
    return p_("button", "Take the place") if choice == "take" else p_("button", "Pass")


class OfferButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                  template=r"hearth:ev:offer:(?P<event>\d+):(?P<choice>take|pass)"):
    # Not for everyone: on a DM, so only the member it was sent to may answer (Guarded checks the conversation,
    # never the custom_id, which holds no member).
    def __init__(self, event_id: int, choice: str) -> None:
        self.event_id, self.choice = event_id, choice
        style = discord.ButtonStyle.success if choice == "take" else discord.ButtonStyle.secondary
        super().__init__(discord.ui.Button(label=_label(choice), style=style,
                                           custom_id=f"hearth:ev:offer:{event_id}:{choice}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> OfferButton:
        return cls(int(match["event"]), match["choice"])

    async def run(self, interaction: discord.Interaction) -> None:
        cog: EventsCog = loaded_cog(interaction, "Events")
        await cog.waitlist.answer(interaction, self.event_id, self.choice)


def offer_view(event_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for choice in _CHOICES:
        view.add_item(OfferButton(event_id, choice))
    return view


def offer_text(event: Event, ends: datetime) -> str:
    # i18n: where a meetup is, in brackets after its title, when it is online
    where = plain(event.venue) if event.mode == "in_person" and event.venue else p_("meetup place", "online")
    # i18n: **Take the place** and **Pass** are the buttons below (use the same words as on them)
    return _("Good news: a place opened up for **{title}** ({where}), {when}, and it's held for you until {ends} "
             "({relative}). Would you like it?\nTap **Take the place** to go, or **Pass** to let the next person "
             "waiting have it. If I don't hear from you by then, it goes to the next person.",
             title=plain(event.title), where=where, when=timestamp(event.start_at, "F"), ends=timestamp(ends, "f"),
             relative=timestamp(ends, "R"))


class WaitlistDelivery:
    """The Discord side of waitlist offers, for the events cog: DMs, answers, and the announcement's count."""

    def __init__(self, bot: HearthBot, service: WaitlistService, publisher: Publisher) -> None:
        self.bot, self.service, self.publisher = bot, service, publisher

    async def send_offer(self, work: WaitlistOffer, item: DueItem) -> None:
        """The offer DM, only while that same offer is open (taken, passed, moved or cancelled: nothing)."""
        event = await self.service.decide_offer(work)
        if event is not None:
            await send_dm(self.bot, work.user_id, offer_text(event, work.expires_at), offer_view(event.id), work=item)

    async def expire(self, work: OfferExpiry, item: DueItem) -> None:
        answered = await self.service.expire(work)
        if answered is not None:
            await self._refresh(answered)

    async def answer(self, interaction: discord.Interaction, event_id: int, choice: str) -> None:
        if choice == "take":
            answered = await self.service.take(event_id, interaction.user.id)
            text = _("It's yours: you're going to **{title}**, {when}. 🎉 I'll remind you before it starts. If you "
                     "can't make it after all, tap “Can't go” on the announcement.", title=plain(answered.event.title),
                     when=timestamp(answered.event.start_at, "F"))
        else:
            answered = await self.service.pass_on(event_id, interaction.user.id)
            text = _("Thanks for letting me know: the place at **{title}** goes to the next person waiting. Hope to "
                     "see you at another one!", title=plain(answered.event.title))
        await interaction.response.edit_message(content=text, view=None)
        await self._refresh(answered)

    async def _refresh(self, answered: OfferAnswered) -> None:
        guild = self.bot.get_guild(answered.event.guild_id)
        if guild is not None:
            await self.publisher.refresh(guild, answered.event, answered.answers)

"""“I'm here” (a persistent button on an in-person announcement and on the hour-before reminder), the member's
roles for role-limited meetups, and the organiser's arrival code."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.domain.events import Event
from bot.domain.meetup_controls import ARRIVAL_OPENS
from bot.i18n import _, p_
from bot.services.event_attendance import Arrival
from bot.ui.components import Guarded, loaded_cog
from bot.ui.formatting import plain, timestamp

if TYPE_CHECKING:
    from cogs.events import EventsCog



def here_label() -> str:
    # i18n: a button members tap when they arrive at an in-person meetup
    return p_("button", "I'm here")


def member_roles(interaction: discord.Interaction) -> list[int]:
    """The ids of the roles of whoever pressed or typed (none outside a server)."""
    user = interaction.user
    return [role.id for role in user.roles] if isinstance(user, discord.Member) else []


def here_custom_id(event_id: int) -> str:
    return f"hearth:ev:here:{event_id}"


class HereButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"hearth:ev:here:(?P<event>\d+)"):
    for_everyone = True  # on the announcement: each member marks themselves; the service checks they're going

    def __init__(self, event_id: int) -> None:
        self.event_id = event_id
        super().__init__(discord.ui.Button(label=here_label(), emoji="📍", style=discord.ButtonStyle.primary,
                                           custom_id=here_custom_id(event_id)))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> HereButton:
        return cls(int(match["event"]))

    async def run(self, interaction: discord.Interaction) -> None:
        cog: EventsCog = loaded_cog(interaction, "Events")
        event, arrival = await cog.services.attendance.arrive(self.event_id, interaction.user.id)
        await interaction.response.send_message(arrived_text(event, arrival), ephemeral=True)


def here_view(event_id: int) -> discord.ui.View:
    """On the hour-before reminder DM of an in-person meetup."""
    view = discord.ui.View(timeout=None)
    view.add_item(HereButton(event_id))
    return view


def arrived_text(event: Event, arrival: Arrival) -> str:
    if arrival is Arrival.ALREADY:
        return _("You're already marked as here at **{title}**. Enjoy!", title=plain(event.title))
    return _("Welcome to **{title}**! 📍 You're marked as here. Phones away now: enjoy the company. (Organisers see "
             "totals only.)", title=plain(event.title))


def code_text(event: Event) -> str:
    # i18n: {code} is a code such as K7QX2M; keep `/event here code:{code}` exactly as it is (a command)
    return _("The arrival code for **{title}** ({when}) is **{code}**. Share it at the venue (say it, or put it on a "
             "sign): from {opens} until the end, people going can type `/event here code:{code}` if the button isn't "
             "handy. Only organisers can see this.", title=plain(event.title), when=timestamp(event.start_at, "F"),
             code=event.arrival_code, opens=timestamp(event.start_at - ARRIVAL_OPENS, "t"))

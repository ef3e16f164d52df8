"""Meeting in person, safely: the buttons, the form and the words of "let me know you got home safe".

Here rather than in one cog because the buttons sit on other features' messages (the Going confirmation,
buddy intros) and cogs never import each other. Every button is a DynamicItem bound to what it is about
(its custom_id, built and read only here), so it works after a restart; the Safety cog lists them and
sends the due DMs. A button bound to one member refuses everyone else with a sentence.
"""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.domain.errors import InvalidInput
from bot.domain.safety import MEETING_TIP, MEETUP_TIP, is_ref
from bot.services.safety import BuddyPlan, EventToggle, HomeMessage, SafetyService
from bot.ui.components import Guarded, HearthModal, loaded_cog
from bot.ui.formatting import HEARTH_COLOUR, timestamp

COG_NAME = "Safety"
CHECK_LABEL = "Check I got home OK"
BUDDY_LABEL = "We're meeting in person — check on me after"
HOME_LABEL = "I'm home"
NOT_YOURS = "That button is someone else's, so it does nothing for you."


def _safety(interaction: discord.Interaction) -> SafetyService:
    service: SafetyService = loaded_cog(interaction, COG_NAME).services.safety
    return service


def _mine(interaction: discord.Interaction, user_id: int) -> None:
    if interaction.user.id != user_id:
        raise InvalidInput(NOT_YOURS)


def _locale(interaction: discord.Interaction) -> str | None:
    return str(interaction.locale) if interaction.locale else None


# meetups: on the Going confirmation -----------------------------------------------------------------------
class EventCheckButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                       template=r"hearth:sf:ev:(?P<event>\d+):(?P<user>\d+):(?P<action>on|off)"):
    """"Check I got home OK" (on: toggles) and "No thanks" (off) for one member and one meetup."""

    def __init__(self, event_id: int, user_id: int, action: str) -> None:
        self.event_id, self.user_id, self.action = event_id, user_id, action
        label, style, emoji = ((CHECK_LABEL, discord.ButtonStyle.secondary, "🏠") if action == "on"
                               else ("No thanks", discord.ButtonStyle.secondary, None))
        super().__init__(discord.ui.Button(label=label, style=style, emoji=emoji,
                                           custom_id=f"hearth:sf:ev:{event_id}:{user_id}:{action}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> EventCheckButton:
        return cls(int(match["event"]), int(match["user"]), match["action"])

    async def run(self, interaction: discord.Interaction) -> None:
        _mine(interaction, self.user_id)
        safety = _safety(interaction)
        if self.action == "off":
            await safety.decline_event_check(self.event_id, self.user_id)
            await interaction.response.send_message(
                "No problem: I won't check in after this one. Have a lovely time!",
                view=event_check_view(self.event_id, self.user_id), ephemeral=True)
            return
        toggled = await safety.toggle_event_check(self.event_id, self.user_id, locale=_locale(interaction))
        await interaction.response.send_message(
            event_toggle_text(toggled), ephemeral=True,
            view=event_check_view(self.event_id, self.user_id, planned=toggled.plan is not None))


def event_check_view(event_id: int, user_id: int, *, planned: bool = False) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(EventCheckButton(event_id, user_id, "off" if planned else "on"))
    return view


def event_check_button(event_id: int, user_id: int) -> EventCheckButton:
    """For the Going confirmation of an in-person meetup."""
    return EventCheckButton(event_id, user_id, "on")


def event_toggle_text(toggled: EventToggle) -> str:
    if toggled.plan is None:
        return "Okay, I won't check in after this one. Tap the button again if you change your mind."
    when = toggled.plan.ask_at
    return (f"Will do: after **{toggled.event.title}**, I'll message you {timestamp(when, 'R')} "
            f"({timestamp(when, 'f')}) to check you got home OK. One tap answers it, only you see it, and nobody "
            f"else is told anything. {MEETUP_TIP}")


# buddies: on the intro -------------------------------------------------------------------------------------
class BuddyCheckButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                       template=r"hearth:sf:bd:(?P<group>\d+)(?::(?P<user>\d+))?"):
    """On a buddy intro: in the group's thread any of its members (each for themselves); in a DM, that member."""

    def __init__(self, group_id: int, user_id: int | None = None) -> None:
        self.group_id, self.user_id = group_id, user_id
        custom_id = f"hearth:sf:bd:{group_id}" + (f":{user_id}" if user_id is not None else "")
        super().__init__(discord.ui.Button(label=BUDDY_LABEL, style=discord.ButtonStyle.secondary, emoji="🏠",
                                           custom_id=custom_id))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> BuddyCheckButton:
        return cls(int(match["group"]), int(match["user"]) if match["user"] else None)

    async def run(self, interaction: discord.Interaction) -> None:
        if self.user_id is not None:
            _mine(interaction, self.user_id)
        await _safety(interaction).check_buddy(self.group_id, interaction.user.id)
        await interaction.response.send_modal(MeetingModal(self.group_id))


class MeetingModal(HearthModal, title="When are you meeting?"):
    when: discord.ui.TextInput[MeetingModal] = discord.ui.TextInput(
        label="Day and time, in your own time zone", placeholder="e.g. saturday 2pm, tomorrow 18:30, 5 Dec 19:00",
        max_length=100, custom_id="when")

    def __init__(self, group_id: int) -> None:
        super().__init__(custom_id=f"hearth:sf:bdwhen:{group_id}")  # HearthModal makes it unique to this open form
        self.group_id = group_id

    async def on_submit(self, interaction: discord.Interaction) -> None:
        planned = await _safety(interaction).plan_buddy_check(self.group_id, interaction.user.id, self.when.value,
                                                              locale=_locale(interaction))
        await interaction.response.send_message(buddy_plan_text(planned), ephemeral=True)


def buddy_check_view(group_id: int, user_id: int | None = None) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(BuddyCheckButton(group_id, user_id))
    return view


def buddy_plan_text(planned: BuddyPlan) -> str:
    when, ask = planned.meeting_at, planned.plan.ask_at
    already = "I already have that one. " if not planned.plan.added else ""
    return (f"{already}Enjoy meeting up {timestamp(when, 'F')}! I'll message you {timestamp(ask, 'R')} "
            f"({timestamp(ask, 'f')}) to check you got home OK. Only you see it; your buddy isn't told. "
            f"{MEETING_TIP}")


# the DMs -----------------------------------------------------------------------------------------------
class HomeButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                 template=r"hearth:sf:home:(?P<user>\d+):(?P<ref>[et]\d+)"):
    """"I'm home" on the ask DM: no follow-up. Bound to the member; a second tap changes nothing."""

    def __init__(self, user_id: int, ref: str) -> None:
        self.user_id, self.ref = user_id, ref
        super().__init__(discord.ui.Button(label=HOME_LABEL, style=discord.ButtonStyle.success, emoji="🏠",
                                           custom_id=f"hearth:sf:home:{user_id}:{ref}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> HomeButton:
        if not is_ref(match["ref"]):
            raise ValueError("not a home-check reference")
        return cls(int(match["user"]), match["ref"])

    async def run(self, interaction: discord.Interaction) -> None:
        _mine(interaction, self.user_id)
        await _safety(interaction).home_safe(self.user_id, self.ref)
        await interaction.response.send_message("So glad you're home safe. 💛 Thanks for letting me know.",
                                                ephemeral=True)


def home_view(user_id: int, ref: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(HomeButton(user_id, ref))
    return view


def _subject(message: HomeMessage) -> str:
    return f"**{message.what}**" if message.is_event else message.what


def ask_text(message: HomeMessage) -> str:
    return (f"Hope {_subject(message)} went well. 🌙 Did you get home safe? Tap **{HOME_LABEL}** to let me know "
            "(only you see this).")


def follow_up_text(message: HomeMessage) -> str:
    """The one gentle follow-up: to the member only, no alarm. Who can help is in `follow_up_embed`."""
    return (f"Just one more note after {_subject(message)}. No need to reply — if anything's wrong, here are "
            "people who can help:")


def follow_up_embed(message: HomeMessage) -> discord.Embed:
    assert message.help is not None
    help_ = message.help
    embed = discord.Embed(title="People who can help", colour=HEARTH_COLOUR)
    if help_.server_text or help_.server_url:
        server = "\n".join(part for part in (help_.server_text, help_.server_url) if part)
        embed.add_field(name="This server", value=server[:1024], inline=False)
    embed.add_field(name=f"Helplines ({help_.helplines.name})", value=help_.helplines.format_text()[:1024],
                    inline=False)
    embed.set_footer(text="I won't message about this again. Only you see this. Take care.")
    return embed


DYNAMIC_ITEMS = (EventCheckButton, BuddyCheckButton, HomeButton)

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
from bot.domain.safety import BUDDY_WHAT, MEETING_TIP, MEETING_UP_WHAT, MEETUP_TIP, is_ref
from bot.i18n import N_, S_, SN_, _
from bot.services.safety import BuddyPlan, EventToggle, HomeMessage, SafetyService
from bot.ui.components import Guarded, HearthModal, loaded_cog
from bot.ui.formatting import HEARTH_COLOUR, timestamp

COG_NAME = "Safety"
# i18n: someone pressed a button that belongs to another member
NOT_YOURS = N_("That button is someone else's, so it does nothing for you.")
# Home checks are safety texts (S_): their buttons too, so a button and the words that name it always match.
# i18n: a button on the Going confirmation of an in-person meetup, at most 80 characters
CHECK_LABEL = SN_("Check I got home OK")
# i18n: a button on a buddy introduction, at most 80 characters
BUDDY_LABEL = SN_("We're meeting in person — check on me after")
# i18n: the button on the "did you get home safe?" DM, at most 80 characters
HOME_LABEL = SN_("I'm home")


def _safety(interaction: discord.Interaction) -> SafetyService:
    service: SafetyService = loaded_cog(interaction, COG_NAME).services.safety
    return service


def _mine(interaction: discord.Interaction, user_id: int) -> None:
    if interaction.user.id != user_id:
        raise InvalidInput(_(NOT_YOURS))


def _locale(interaction: discord.Interaction) -> str | None:
    return str(interaction.locale) if interaction.locale else None


# meetups: on the Going confirmation -----------------------------------------------------------------------
class EventCheckButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                       template=r"hearth:sf:ev:(?P<event>\d+):(?P<user>\d+):(?P<action>on|off)"):
    """"Check I got home OK" (on: toggles) and "No thanks" (off) for one member and one meetup."""

    def __init__(self, event_id: int, user_id: int, action: str) -> None:
        self.event_id, self.user_id, self.action = event_id, user_id, action
        # i18n: a button: no "did you get home safe?" check after this meetup, at most 80 characters
        label, style, emoji = ((S_(CHECK_LABEL), discord.ButtonStyle.secondary, "🏠") if action == "on"
                               else (S_("No thanks"), discord.ButtonStyle.secondary, None))
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
                S_("No problem: I won't check in after this one. Have a lovely time!"),
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
        return S_("Okay, I won't check in after this one. Tap the button again if you change your mind.")
    when = toggled.plan.ask_at
    # i18n: {title} is the meetup's title; {relative} is such as "in 5 hours" and {moment} a date and time (both
    # shown by Discord); {tip} is the meeting-safety tip, a sentence of its own
    return S_("Will do: after **{title}**, I'll message you {relative} ({moment}) to check you got home OK. One "
              "tap answers it, only you see it, and nobody else is told anything. {tip}",
              title=toggled.event.title, relative=timestamp(when, "R"), moment=timestamp(when, "f"),
              tip=S_(MEETUP_TIP))


# buddies: on the intro -------------------------------------------------------------------------------------
class BuddyCheckButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                       template=r"hearth:sf:bd:(?P<group>\d+)(?::(?P<user>\d+))?"):
    """On a buddy intro: in the group's thread any of its members (each for themselves); in a DM, that member."""

    def __init__(self, group_id: int, user_id: int | None = None) -> None:
        self.group_id, self.user_id = group_id, user_id
        custom_id = f"hearth:sf:bd:{group_id}" + (f":{user_id}" if user_id is not None else "")
        super().__init__(discord.ui.Button(label=S_(BUDDY_LABEL), style=discord.ButtonStyle.secondary, emoji="🏠",
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


class MeetingModal(HearthModal):
    def __init__(self, group_id: int) -> None:
        # HearthModal makes the custom_id unique to this open form
        # i18n: the title of a form, at most 45 characters: when two buddies meet in person
        super().__init__(custom_id=f"hearth:sf:bdwhen:{group_id}", title=S_("When are you meeting?"))
        self.group_id = group_id
        self.when: discord.ui.TextInput[MeetingModal] = discord.ui.TextInput(
            # i18n: a text input label, at most 45 characters
            label=S_("Day and time, in your own time zone"),
            # i18n: examples in a text input, at most 100 characters; a member types a day and time like these
            placeholder=S_("e.g. saturday 2pm, tomorrow 18:30, 5 Dec 19:00"), max_length=100, custom_id="when")
        self.add_item(self.when)

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
    # i18n: {when} is the date and time they meet, {relative} is such as "in 5 hours" and {moment} a date and
    # time (all shown by Discord); {tip} is the meeting-safety tip, a sentence of its own
    text = S_("Enjoy meeting up {when}! I'll message you {relative} ({moment}) to check you got home OK. Only you "
              "see it; your buddy isn't told. {tip}", when=timestamp(when, "F"), relative=timestamp(ask, "R"),
              moment=timestamp(ask, "f"), tip=S_(MEETING_TIP))
    if not planned.plan.added:
        # i18n: before "Enjoy meeting up…", when the member asked for the same check twice
        text = S_("I already have that one.") + " " + text
    return text


# the DMs -----------------------------------------------------------------------------------------------
class HomeButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                 template=r"hearth:sf:home:(?P<user>\d+):(?P<ref>[et]\d+)"):
    """"I'm home" on the ask DM: no follow-up. Bound to the member; a second tap changes nothing."""

    def __init__(self, user_id: int, ref: str) -> None:
        self.user_id, self.ref = user_id, ref
        super().__init__(discord.ui.Button(label=S_(HOME_LABEL), style=discord.ButtonStyle.success, emoji="🏠",
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
        await interaction.response.send_message(S_("So glad you're home safe. 💛 Thanks for letting me know."),
                                                ephemeral=True)


def home_view(user_id: int, ref: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(HomeButton(user_id, ref))
    return view


def ask_text(message: HomeMessage) -> str:
    """"Did you get home safe?", a whole sentence for each occasion (a meetup's title, meeting a buddy)."""
    button = S_(HOME_LABEL)
    if message.is_event:
        # i18n: a DM a few hours after a meetup; {title} is the meetup's title, {button} is the button "I'm home"
        return S_("Hope **{title}** went well. 🌙 Did you get home safe? Tap **{button}** to let me know (only you "
                  "see this).", title=message.what, button=button)
    if message.what == BUDDY_WHAT:
        # i18n: a DM a few hours after meeting a buddy in person; {button} is the button "I'm home"
        return S_("Hope meeting your buddy went well. 🌙 Did you get home safe? Tap **{button}** to let me know "
                  "(only you see this).", button=button)
    if message.what == MEETING_UP_WHAT:
        # i18n: a DM a few hours after buddies met at a time they agreed; {button} is the button "I'm home"
        return S_("Hope meeting up went well. 🌙 Did you get home safe? Tap **{button}** to let me know (only you "
                  "see this).", button=button)
    # i18n: a DM a few hours after meeting someone; {what} is what it was about, {button} is the button "I'm home"
    return S_("Hope {what} went well. 🌙 Did you get home safe? Tap **{button}** to let me know (only you see "
              "this).", what=S_(message.what), button=button)


def follow_up_text(message: HomeMessage) -> str:
    """The one gentle follow-up: to the member only, no alarm. Who can help is in `follow_up_embed`."""
    if message.is_event:
        # i18n: the one gentle follow-up when "I'm home" wasn't tapped; {title} is the meetup's title
        return S_("Just one more note after **{title}**. No need to reply — if anything's wrong, here are people "
                  "who can help:", title=message.what)
    if message.what == BUDDY_WHAT:
        return S_("Just one more note after meeting your buddy. No need to reply — if anything's wrong, here are "
                  "people who can help:")
    if message.what == MEETING_UP_WHAT:
        return S_("Just one more note after meeting up. No need to reply — if anything's wrong, here are people "
                  "who can help:")
    return S_("Just one more note after {what}. No need to reply — if anything's wrong, here are people who can "
              "help:", what=S_(message.what))


def follow_up_embed(message: HomeMessage) -> discord.Embed:
    assert message.help is not None
    help_ = message.help
    embed = discord.Embed(title=S_("People who can help"), colour=HEARTH_COLOUR)
    if help_.server_text or help_.server_url:
        server = "\n".join(part for part in (help_.server_text, help_.server_url) if part)
        # i18n: a heading above the support resources the server's organisers wrote
        embed.add_field(name=S_("This server"), value=server[:1024], inline=False)
    embed.add_field(name=S_("Helplines ({country})", country=help_.helplines.shown_name),
                    value=help_.helplines.format_text()[:1024], inline=False)
    embed.set_footer(text=S_("I won't message about this again. Only you see this. Take care."))
    return embed


DYNAMIC_ITEMS = (EventCheckButton, BuddyCheckButton, HomeButton)

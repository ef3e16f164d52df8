"""Finding a time together: the buttons, the day-part menu and the "type times" form.

Here rather than in one cog because the Find a time button sits on the buddies' and events' intros, and
cogs never import each other. Every component is a DynamicItem whose custom_id (built and read only here)
names what it is about, so it answers after a restart; the Meetings cog lists them and posts the news.
What a member is free is never shown to anyone else: the offered times say only how many can make each.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import discord

from bot.domain.ics import event_ics
from bot.domain.meeting_times import DayPartChoice, GroupKind, PollView
from bot.domain.safety import MEETING_TIP, time_ref
from bot.i18n import S_, SN_, _, n_, p_
from bot.services.meetings import Answered, Asking, MeetingService, Picked
from bot.services.safety import BuddyPlan
from bot.ui.components import Guarded, HearthModal, loaded_cog
from bot.ui.formatting import timestamp
from bot.ui.safety import BuddyCheckButton, buddy_plan_text

if TYPE_CHECKING:
    from bot.services import Services

COG_NAME = "Meetings"
FIND_LABEL = "Find a time"  # the button's English label (the demo presses it by name); shown with p_ below
_KINDS: dict[str, GroupKind] = {"b": "buddy", "c": "companions"}
_LETTERS = {kind: letter for letter, kind in _KINDS.items()}


def _services(interaction: discord.Interaction) -> Services:
    services: Services = loaded_cog(interaction, COG_NAME).services
    return services


def _meetings(interaction: discord.Interaction) -> MeetingService:
    return _services(interaction).meetings


# Find a time -------------------------------------------------------------------------------------------
class FindTimeButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                     template=r"hearth:mt:find:(?P<kind>[bc]):(?P<ref>\d+)(?::(?P<event>\d+))?"):
    """On an intro (thread or DM): any member of the group, for themselves (the service checks who)."""

    def __init__(self, kind: GroupKind, ref: int, event_id: int | None = None) -> None:
        self.kind, self.ref, self.event_id = kind, ref, event_id
        custom_id = f"hearth:mt:find:{_LETTERS[kind]}:{ref}" + (f":{event_id}" if event_id is not None else "")
        # i18n: the button on a buddy intro (and a going-together intro) that starts finding a time to meet;
        # other messages name it (“Tap Find a time…”): use the same words there
        label = p_("button", "Find a time")
        super().__init__(discord.ui.Button(label=label, style=discord.ButtonStyle.primary, emoji="🗓️",
                                           custom_id=custom_id))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> FindTimeButton:
        return cls(_KINDS[match["kind"]], int(match["ref"]), int(match["event"]) if match["event"] else None)

    @classmethod
    def for_poll(cls, poll: PollView) -> FindTimeButton:
        return cls(poll.kind, poll.ref, poll.event_id)

    async def run(self, interaction: discord.Interaction) -> None:
        asking = await _meetings(interaction).start(self.kind, self.ref, self.event_id, interaction.user.id)
        text, view = asking_message(asking)
        await interaction.response.send_message(text, view=view, ephemeral=True)


def asking_message(asking: Asking) -> tuple[str, discord.ui.View]:
    poll = asking.poll
    if poll.status == "confirmed" and poll.chosen_start is not None:
        # i18n: {when} is a date and time, {relative} the same as "in 3 days"
        return (_("You've already agreed a time: {when} ({relative}). See you there!",
                  when=timestamp(poll.chosen_start, 'F'), relative=timestamp(poll.chosen_start, 'R')),
                confirmed_view(poll))
    if poll.status == "offered":
        heading = _("The times are worked out. Tap the one that suits you:")
        return offered_text(poll, heading=heading), pick_view(poll)
    view = discord.ui.View(timeout=None)
    if asking.choices:
        view.add_item(PartsSelect.build(poll.id, asking.choices, asking.zone))
    view.add_item(TypeTimesButton(poll.id))
    # i18n: put before the question when the member presses Find a time a second time
    again = _("You've answered already; choose again to change it.") + " " if asking.answered else ""
    if not asking.choices:
        # i18n: {zone} is a time zone such as Europe/Berlin; the button below says “Type times instead”
        return again + _("Your quiet hours cover the usual times of day, so type when you could meet instead "
                         "(in your time zone, {zone}).", zone=asking.zone), view
    # i18n: above a menu of days and times of day; {zone} is a time zone such as Europe/Berlin
    return again + _("When could you meet over the next days? Pick every time of day that works; times are in "
                     "your time zone ({zone}) and never in your quiet hours. Only how many people are free at "
                     "each time is ever shown, never who or when you said.", zone=asking.zone), view


class PartsSelect(Guarded, discord.ui.DynamicItem[discord.ui.Select[Any]],
                  template=r"hearth:mt:parts:(?P<poll>\d+)"):
    """The day parts on the member's own (ephemeral) answer; a forged value is refused by the service."""

    def __init__(self, select: discord.ui.Select[Any]) -> None:
        super().__init__(select)
        match = re.fullmatch(self.__discord_ui_compiled_template__, select.custom_id)
        assert match is not None
        self.poll_id = int(match["poll"])

    @classmethod
    def build(cls, poll_id: int, choices: Sequence[DayPartChoice], zone: str) -> PartsSelect:
        options = [discord.SelectOption(label=choice.label(), value=choice.value) for choice in choices[:25]]
        # i18n: the menu of days and times of day, before anything is picked
        placeholder = p_("placeholder", "When could you meet?")
        return cls(discord.ui.Select(custom_id=f"hearth:mt:parts:{poll_id}", placeholder=placeholder,
                                     min_values=1, max_values=len(options), options=options))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> PartsSelect:
        assert isinstance(item, discord.ui.Select)
        return cls(item)

    async def run(self, interaction: discord.Interaction) -> None:
        answered = await _meetings(interaction).answer_parts(self.poll_id, interaction.user.id,
                                                             [str(value) for value in self.item.values])
        await interaction.response.send_message(answered_text(answered), ephemeral=True)


class TypeTimesButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                      template=r"hearth:mt:type:(?P<poll>\d+)"):
    def __init__(self, poll_id: int) -> None:
        self.poll_id = poll_id
        # i18n: opens a form to type times instead of picking times of day from the menu
        label = p_("button", "Type times instead")
        super().__init__(discord.ui.Button(label=label, style=discord.ButtonStyle.secondary,
                                           custom_id=f"hearth:mt:type:{poll_id}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> TypeTimesButton:
        return cls(int(match["poll"]))

    async def run(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(TypeTimesModal(self.poll_id))


class TypeTimesModal(HearthModal):
    def __init__(self, poll_id: int) -> None:
        super().__init__(title=p_("modal title", "When could you meet?"), custom_id=f"hearth:mt:typed:{poll_id}")
        self.poll_id = poll_id
        self.times: discord.ui.TextInput[TypeTimesModal] = discord.ui.TextInput(
            label=p_("text input label", "Start times, in your own time zone"),
            # i18n: Hearth reads times typed with English day names ("saturday", "tomorrow"): keep the example
            # English, or write it with dates and 24-hour times; at most 100 characters
            placeholder=p_("placeholder", "e.g. saturday 11:00, sunday 3pm"), max_length=200, custom_id="times")
        self.add_item(self.times)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        answered = await _meetings(interaction).answer_text(self.poll_id, interaction.user.id, self.times.value)
        await interaction.response.send_message(answered_text(answered), ephemeral=True)


def answered_text(answered: Answered) -> str:
    if answered.waiting_for:
        return n_("Thanks! I'm waiting for one more person to answer, then I'll post the best times. Only you see "
                  "what you chose.",
                  "Thanks! I'm waiting for {count} more people to answer, then I'll post the best times. Only you "
                  "see what you chose.", answered.waiting_for)
    if answered.poll.status == "no_overlap":
        return _("Thanks! Everyone has answered, but no time fits everyone this week. I've posted what we could "
                 "try.")
    return _("Thanks! Everyone has answered: I'm posting the best times now.")


# the offered times ---------------------------------------------------------------------------------------
class PickButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                 template=r"hearth:mt:pick:(?P<poll>\d+):(?P<index>\d)"):
    def __init__(self, poll_id: int, index: int) -> None:
        self.poll_id, self.index = poll_id, index
        # i18n: under the offered times, one button per time; {number} is 1, 2 or 3
        label = p_("button", "Option {number} works for me", number=index + 1)
        super().__init__(discord.ui.Button(label=label, style=discord.ButtonStyle.success,
                                           custom_id=f"hearth:mt:pick:{poll_id}:{index}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> PickButton:
        return cls(int(match["poll"]), int(match["index"]))

    async def run(self, interaction: discord.Interaction) -> None:
        picked = await _meetings(interaction).pick(self.poll_id, interaction.user.id, self.index)
        await interaction.response.send_message(picked_text(picked, self.index), ephemeral=True)


def picked_text(picked: Picked, index: int) -> str:
    start = picked.poll.options[index][0]
    if picked.confirmed:
        # i18n: {when} is a date and time
        return _("It's agreed: {when}. I'm posting the confirmation now. 🎉", when=timestamp(start, 'F'))
    if picked.disagree:
        return _("You've each picked a different time. Tap another option if it works for you too; "
                 "when you all pick the same one, it's agreed.")
    # i18n: {option} is 1, 2 or 3; {when} is a date and time
    return n_("Got it: option {option}, {when}. Waiting for one more person to pick.",
              "Got it: option {option}, {when}. Waiting for {count} more people to pick.", picked.waiting_for,
              option=index + 1, when=timestamp(start, 'F'))


def offered_text(poll: PollView, *, heading: str) -> str:
    lines = [heading]
    for option, (start, free) in enumerate(poll.options, 1):
        # i18n: one offered time: {option} is 1, 2 or 3, {when} a date and time, {relative} "in 3 days";
        # {count} of {total} people in the group are free then
        lines.append(n_("**{option}.** {when} ({relative}) · {count} of {total} free",
                        "**{option}.** {when} ({relative}) · {count} of {total} free", free, option=option,
                        when=timestamp(start, 'F'), relative=timestamp(start, 'R'), total=len(poll.members)))
    lines.append(_("One tap each: when everyone picks the same time, it's agreed."))
    return "\n".join(lines)


def pick_view(poll: PollView) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for index in range(len(poll.options)):
        view.add_item(PickButton(poll.id, index))
    return view


# no overlap ----------------------------------------------------------------------------------------------
class WidenButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                  template=r"hearth:mt:widen:(?P<poll>\d+)"):
    def __init__(self, poll_id: int) -> None:
        self.poll_id = poll_id
        # i18n: when no time fits everyone: look for a time in the following week instead
        label = p_("button", "Look at the week after")
        super().__init__(discord.ui.Button(label=label, style=discord.ButtonStyle.primary,
                                           custom_id=f"hearth:mt:widen:{poll_id}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> WidenButton:
        return cls(int(match["poll"]))

    async def run(self, interaction: discord.Interaction) -> None:
        poll = await _meetings(interaction).widen(self.poll_id, interaction.user.id)
        # i18n: {start} and {end} are dates; “Find a time” is the name of the button below
        text = _("Done: I'm looking at {start} to {end} now, and I've told everyone. Tap Find a time to say when you "
                 "could meet.", start=timestamp(poll.window_start, 'D'), end=timestamp(poll.window_end, 'D'))
        await interaction.response.send_message(text, ephemeral=True, view=find_view(poll))


def widen_view(poll: PollView) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(WidenButton(poll.id))
    return view


def find_view(poll: PollView) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(FindTimeButton.for_poll(poll))
    return view


# agreed ------------------------------------------------------------------------------------------------
class CalendarButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                     template=r"hearth:mt:ics:(?P<poll>\d+)"):
    def __init__(self, poll_id: int) -> None:
        self.poll_id = poll_id
        label = p_("button", "Add to my calendar")
        super().__init__(discord.ui.Button(label=label, style=discord.ButtonStyle.secondary,
                                           emoji="📅", custom_id=f"hearth:mt:ics:{poll_id}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> CalendarButton:
        return cls(int(match["poll"]))

    async def run(self, interaction: discord.Interaction) -> None:
        poll = await _meetings(interaction).confirmed(self.poll_id, interaction.user.id)
        data = meeting_ics(poll, now=discord.utils.utcnow())
        await interaction.response.send_message(_("Here it is: open the file to add it to your calendar."),
                                                file=discord.File(io.BytesIO(data), filename="meeting.ics"),
                                                ephemeral=True)


def meeting_ics(poll: PollView, *, now: datetime) -> bytes:
    assert poll.chosen_start is not None
    # i18n: the title of the meeting in the member's calendar file
    title = _("Meeting my buddy") if poll.kind == "buddy" else _("Meeting my going-together group")
    # i18n: the description in the calendar file; {tip} is a safety tip for meeting in person
    description = _("Agreed with Hearth. {tip}", tip=S_(MEETING_TIP))
    return event_ics(f"hearth-meeting-{poll.id}-{int(poll.chosen_start.timestamp())}@hearth",
                     title, poll.chosen_start, poll.chosen_start + poll.duration, description=description, now=now)


class HomeCheckButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                      template=r"hearth:mt:home:(?P<poll>\d+)"):
    """The existing "check I got home OK", for the agreed time (nobody else is told)."""

    def __init__(self, poll_id: int) -> None:
        self.poll_id = poll_id
        super().__init__(discord.ui.Button(label=S_("Check I got home OK"), style=discord.ButtonStyle.secondary,
                                           emoji="🏠", custom_id=f"hearth:mt:home:{poll_id}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> HomeCheckButton:
        return cls(int(match["poll"]))

    async def run(self, interaction: discord.Interaction) -> None:
        services = _services(interaction)
        poll = await services.meetings.confirmed(self.poll_id, interaction.user.id)
        assert poll.chosen_start is not None
        plan = await services.safety.plan_home_check(
            # i18n: what the member is doing, in the home check DM: "Hope meeting up went well."
            interaction.user.id, poll.guild_id, poll.chosen_start + poll.duration, SN_("meeting up"),
            ref=time_ref(poll.chosen_start), locale=str(interaction.locale) if interaction.locale else None)
        await interaction.response.send_message(buddy_plan_text(BuddyPlan(poll.chosen_start, plan)), ephemeral=True)


def confirmed_view(poll: PollView) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(CalendarButton(poll.id))
    view.add_item(HomeCheckButton(poll.id))
    return view


# on the intros ---------------------------------------------------------------------------------------------
def buddy_intro_view(group_id: int, user_id: int | None = None, *, in_person: bool) -> discord.ui.View:
    """Find a time, and (when they might meet in person) "check on me after", beside it."""
    view = discord.ui.View(timeout=None)
    view.add_item(FindTimeButton("buddy", group_id))
    if in_person:
        view.add_item(BuddyCheckButton(group_id, user_id))
    return view


def companions_view(event_id: int, group_number: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(FindTimeButton("companions", group_number, event_id))
    return view


DYNAMIC_ITEMS = (FindTimeButton, PartsSelect, TypeTimesButton, PickButton, WidenButton, CalendarButton,
                 HomeCheckButton)

"""Buttons and modals for check-ins. Every button is a DynamicItem: it works after a restart, with its state
(mood, server, check-in id, and on the private /checkin picker its owner) in the custom_id."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.domain.moods import Mood
from bot.i18n import N_, S_, _, n_, p_
from bot.services.checkins import NOTE_LIMIT, CheckinOutcome
from bot.ui.components import Guarded, HearthModal, loaded_cog
from bot.ui.live import NOT_YOURS, LiveView, find_live, is_owner
from bot.ui.replies import reply_ephemeral
from cogs._consent import gated
from cogs.checkins._render import outcome_embeds, paused_text

if TYPE_CHECKING:
    from cogs.checkins import CheckinsCog

COG_NAME = "Check-ins"


def _cog(interaction: discord.Interaction) -> CheckinsCog:
    cog: CheckinsCog = loaded_cog(interaction, COG_NAME)
    return cog


def outcome_view(outcome: CheckinOutcome, *, from_prompt: bool) -> discord.ui.View:
    """What follows an answer: add a note (if none yet), ask for a moderator (crisis), stop prompts."""
    view = discord.ui.View(timeout=None)
    if not outcome.checkin.note:
        view.add_item(AddNoteButton(outcome.checkin.id))
    if outcome.crisis is not None and outcome.support is not None and outcome.support.can_ask_moderator:
        assert outcome.checkin.guild_id is not None
        view.add_item(ReachOutButton(outcome.checkin.guild_id))
    if from_prompt:
        view.add_item(PauseRemindersButton())
        view.add_item(StopRemindersButton())
    return view


def prompt_view(guild_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for mood in Mood:
        view.add_item(MoodButton(mood, guild_id))
    view.add_item(PauseRemindersButton())
    view.add_item(StopRemindersButton())
    return view


class MoodButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                 template=r"hearth:ci:mood:(?P<mood>[1-5]):(?P<guild>\d+)"):
    """One tap on a DM prompt records a check-in for that server."""

    def __init__(self, mood: Mood, guild_id: int) -> None:
        self.mood, self.guild_id = mood, guild_id
        super().__init__(discord.ui.Button(label=mood.button, emoji=mood.emoji,
                                           style=discord.ButtonStyle.secondary,
                                           custom_id=f"hearth:ci:mood:{int(mood)}:{guild_id}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> MoodButton:
        return cls(Mood(int(match["mood"])), int(match["guild"]))

    async def run(self, interaction: discord.Interaction) -> None:
        await gated(interaction, self._record, again="prompt", in_place=True)

    async def _record(self, interaction: discord.Interaction) -> None:
        outcome = await _cog(interaction).checkins.record(
            user_id=interaction.user.id, guild_id=self.guild_id or None, mood=int(self.mood), note=None,
            source="prompt", locale=str(interaction.locale))
        # Replace the prompt (or the privacy notice that replaced it) with the answer: one prompt, one check-in.
        await interaction.response.edit_message(content=None, embeds=outcome_embeds(outcome),
                                                view=outcome_view(outcome, from_prompt=True))


class AddNoteButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                    template=r"hearth:ci:note:(?P<checkin>\d+)"):
    def __init__(self, checkin_id: int) -> None:
        self.checkin_id = checkin_id
        super().__init__(discord.ui.Button(label=p_("button", "Add a note"), emoji="📝",
                                           style=discord.ButtonStyle.secondary,
                                           custom_id=f"hearth:ci:note:{checkin_id}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> AddNoteButton:
        return cls(int(match["checkin"]))

    async def run(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(NoteModal(interaction.user.id, checkin_id=self.checkin_id))


class StopRemindersButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"hearth:ci:stop"):
    def __init__(self) -> None:
        # i18n: on a check-in prompt DM: stop the prompts
        super().__init__(discord.ui.Button(label=p_("button", "Stop these"), style=discord.ButtonStyle.secondary,
                                           custom_id="hearth:ci:stop"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> StopRemindersButton:
        return cls()

    async def run(self, interaction: discord.Interaction) -> None:
        stopped = await _cog(interaction).reminders.stop(interaction.user.id)
        text = (_("Done: no more check-in prompts. If you'd like them back, use `/mood reminders`.") if stopped
                else _("Check-in prompts are already off."))
        await interaction.response.send_message(text, ephemeral=True)


PAUSE_QUESTION = N_("Pause check-in prompts for how long? They start again by themselves.")


def pause_choices() -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for days in PAUSE_DAYS:
        view.add_item(PauseForButton(days))
    view.add_item(PauseUntilButton())
    return view


class PauseRemindersButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"hearth:ci:pause"):
    """On a prompt: a holiday without turning prompts off. Asks for how long, privately."""

    def __init__(self) -> None:
        # i18n: on a check-in prompt DM: pause the prompts for a while (asks how long)
        super().__init__(discord.ui.Button(label=p_("button", "Pause…"), emoji="⏸️",
                                           style=discord.ButtonStyle.secondary, custom_id="hearth:ci:pause"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> PauseRemindersButton:
        return cls()

    async def run(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(_(PAUSE_QUESTION), view=pause_choices(), ephemeral=True)


PAUSE_DAYS = (7, 14)


class PauseForButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                     template=r"hearth:ci:pause:(?P<days>7|14)"):
    def __init__(self, days: int) -> None:
        self.days = days
        # i18n: a button: pause check-in prompts for this many weeks
        label = n_("{count} week", "{count} weeks", days // 7)
        super().__init__(discord.ui.Button(label=label, style=discord.ButtonStyle.primary,
                                           custom_id=f"hearth:ci:pause:{days}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> PauseForButton:
        return cls(int(match["days"]))

    async def run(self, interaction: discord.Interaction) -> None:
        ends, due = await _cog(interaction).reminders.pause_for(interaction.user.id, self.days)
        await interaction.response.edit_message(content=paused_text(ends, due), view=None)


class PauseUntilButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"hearth:ci:pause:date"):
    def __init__(self) -> None:
        # i18n: a button: pause check-in prompts until a day the member types
        super().__init__(discord.ui.Button(label=p_("button", "Until a date…"), style=discord.ButtonStyle.secondary,
                                           custom_id="hearth:ci:pause:date"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> PauseUntilButton:
        return cls()

    async def run(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(PauseModal(interaction.user.id))


class PauseModal(HearthModal):
    def __init__(self, owner_id: int) -> None:
        super().__init__(custom_id="hearth:ci:pausemodal", title=p_("modal title", "Pause check-in prompts"))
        self.owner_id = owner_id
        self.until: discord.ui.TextInput[PauseModal] = discord.ui.TextInput(
            label=p_("text input label", "Start again on which day? (your time zone)"),
            # i18n: examples of days a member can type, read by a date parser that knows English and your
            # language: keep them short and simple (a weekday's name, a day with a short month, "in 3 weeks")
            placeholder=p_("placeholder", "24 dec, 2026-12-24, next monday, in 3 weeks"), max_length=40,
            required=True, custom_id="until")
        self.add_item(self.until)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        if not is_owner(interaction, self.owner_id):
            await reply_ephemeral(interaction, _(NOT_YOURS))
            return
        ends, due = await _cog(interaction).reminders.pause(interaction.user.id, self.until.value)
        await interaction.response.send_message(paused_text(ends, due), ephemeral=True)


class ReachOutButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                     template=r"hearth:ci:reach:(?P<guild>\d+)"):
    """The member asks for a moderator to contact them. Only that request is shared, never the note."""

    def __init__(self, guild_id: int) -> None:
        self.guild_id = guild_id
        # i18n: a button under the crisis answer, at most 80 characters
        super().__init__(discord.ui.Button(label=S_("Ask a moderator to reach out"), emoji="🤝",
                                           style=discord.ButtonStyle.primary,
                                           custom_id=f"hearth:ci:reach:{guild_id}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> ReachOutButton:
        return cls(int(match["guild"]))

    async def run(self, interaction: discord.Interaction) -> None:
        sent = await _cog(interaction).request_reach_out(self.guild_id, interaction.user)
        if sent:
            text = S_("Thank you for asking. A moderator has been told you'd like someone to reach out, and will "
                      "contact you privately. They haven't seen your note. If you're in danger right now, please "
                      "call your local emergency number.")
        else:
            text = S_("I couldn't reach the moderators just now. Please message one directly, or use the helplines "
                      "above. If you're in danger right now, call your local emergency number.")
        await interaction.response.send_message(text, ephemeral=True)


class NoteModal(HearthModal):
    def __init__(self, owner_id: int, *, checkin_id: int | None = None, picker: CheckinPicker | None = None) -> None:
        # HearthModal makes the custom_id unique to this open form
        super().__init__(custom_id="hearth:ci:notemodal", title=p_("modal title", "Add a note"))
        self.owner_id, self.checkin_id, self.picker = owner_id, checkin_id, picker
        self.note: discord.ui.TextInput[NoteModal] = discord.ui.TextInput(
            label=p_("text input label", "Anything you'd like to remember about today?"),
            style=discord.TextStyle.paragraph, max_length=NOTE_LIMIT, required=True, custom_id="note")
        self.add_item(self.note)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        if not is_owner(interaction, self.owner_id):
            await reply_ephemeral(interaction, _(NOT_YOURS))
            return
        if self.picker is not None:  # the note comes first; the mood button records both
            self.picker.set_note(self.note.value)
            # i18n: {note} is the note the member just wrote, quoted below the sentence
            await interaction.response.edit_message(
                content=_("Note ready. Now pick how you feel:\n> {note}",
                          note=discord.utils.escape_markdown(self.note.value)[:300]),
                view=self.picker)
            return
        assert self.checkin_id is not None
        outcome = await _cog(interaction).checkins.add_note(checkin_id=self.checkin_id, user_id=interaction.user.id,
                                                            note=self.note.value, locale=str(interaction.locale))
        await interaction.response.send_message(embeds=outcome_embeds(outcome),
                                                view=outcome_view(outcome, from_prompt=False), ephemeral=True)


PICKER_TEXT = N_("How are you today? Pick one. You can add a note first.")
PICKER_LIFETIME = 600.0
# i18n: "the button below" is "Add a note"
NOTE_LOST = N_("Your note wasn't saved: a note only waits here for a while (or until Hearth restarts), so only "
               "your mood was recorded. Add the note with the button below.")


class CheckinPicker(LiveView):
    """`/checkin` with no options: five moods and a note, on the member's private message.

    The note waits here, in memory, until a mood is picked. The buttons carry the owner (refusing anyone
    else) and whether a note is waiting: after a restart a mood still records, and says the note was lost.
    """

    def __init__(self, client: discord.Client, owner_id: int, guild_id: int | None, note: str | None = None) -> None:
        super().__init__(client, owner_id, timeout=PICKER_LIFETIME)
        self.guild_id = guild_id
        self.note: str | None = None
        self.set_note(note)

    def set_note(self, note: str | None) -> None:
        self.note = note or None
        self.clear_items()
        for mood in Mood:
            self.add_item(PickMoodButton(mood, self.guild_id or 0, self.owner_id, self.token, self.note is not None))
        self.add_item(PickNoteButton(self.guild_id or 0, self.owner_id, self.token))


class PickMoodButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                     template=r"hearth:ci:pick:(?P<mood>[1-5]):(?P<guild>\d+):(?P<owner>\d+):(?P<token>\w+):(?P<note>[01])"):
    def __init__(self, mood: Mood, guild_id: int, owner_id: int, token: str, has_note: bool) -> None:
        self.mood, self.guild_id, self.owner_id, self.token, self.has_note = mood, guild_id, owner_id, token, has_note
        super().__init__(discord.ui.Button(
            label=mood.button, emoji=mood.emoji, style=discord.ButtonStyle.secondary,
            custom_id=f"hearth:ci:pick:{int(mood)}:{guild_id}:{owner_id}:{token}:{int(has_note)}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> PickMoodButton:
        return cls(Mood(int(match["mood"])), int(match["guild"]), int(match["owner"]), match["token"],
                   match["note"] == "1")

    async def run(self, interaction: discord.Interaction) -> None:
        if not is_owner(interaction, self.owner_id):
            await reply_ephemeral(interaction, _(NOT_YOURS))
            return
        picker = find_live(interaction, self.token, CheckinPicker, self.owner_id)
        note = picker.note if picker is not None else None
        lost = picker is None and self.has_note

        async def record(current: discord.Interaction) -> None:
            outcome = await _cog(current).checkins.record(
                user_id=self.owner_id, guild_id=self.guild_id or None, mood=int(self.mood), note=note,
                source="command", locale=str(current.locale))
            if picker is not None:
                picker.stop()
            await current.response.edit_message(content=_(NOTE_LOST) if lost else None, embeds=outcome_embeds(outcome),
                                                view=outcome_view(outcome, from_prompt=False))

        await gated(interaction, record, again="checkin", in_place=True)


class PickNoteButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                     template=r"hearth:ci:pick:note:(?P<guild>\d+):(?P<owner>\d+):(?P<token>\w+)"):
    def __init__(self, guild_id: int, owner_id: int, token: str) -> None:
        self.guild_id, self.owner_id, self.token = guild_id, owner_id, token
        super().__init__(discord.ui.Button(label=p_("button", "Add a note"), emoji="📝", row=1,
                                           custom_id=f"hearth:ci:pick:note:{guild_id}:{owner_id}:{token}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> PickNoteButton:
        return cls(int(match["guild"]), int(match["owner"]), match["token"])

    async def run(self, interaction: discord.Interaction) -> None:
        if not is_owner(interaction, self.owner_id):
            await reply_ephemeral(interaction, _(NOT_YOURS))
            return
        picker = find_live(interaction, self.token, CheckinPicker, self.owner_id)
        if picker is None:  # after a restart: a fresh picker for the same member and server takes over
            picker = CheckinPicker(interaction.client, self.owner_id, self.guild_id or None)
        await interaction.response.send_modal(NoteModal(self.owner_id, picker=picker))


DYNAMIC_ITEMS = (MoodButton, AddNoteButton, StopRemindersButton, PauseRemindersButton, PauseForButton,
                 PauseUntilButton, ReachOutButton, PickMoodButton, PickNoteButton)

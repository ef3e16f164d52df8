"""Buttons and modals for check-ins. Those on DMs are DynamicItems: they work after a restart, with
their state (mood, server, check-in id) in the custom_id."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.domain.moods import Mood
from bot.services.checkins import NOTE_LIMIT, CheckinOutcome
from bot.ui.components import Guarded, HearthModal, HearthView, loaded_cog
from cogs.checkins._render import outcome_embeds

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
        view.add_item(StopRemindersButton())
    return view


def prompt_view(guild_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for mood in Mood:
        view.add_item(MoodButton(mood, guild_id))
    view.add_item(StopRemindersButton())
    return view


class MoodButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                 template=r"hearth:ci:mood:(?P<mood>[1-5]):(?P<guild>\d+)"):
    """One tap on a DM prompt records a check-in for that server."""

    def __init__(self, mood: Mood, guild_id: int) -> None:
        self.mood, self.guild_id = mood, guild_id
        super().__init__(discord.ui.Button(label=mood.word.capitalize(), emoji=mood.emoji,
                                           style=discord.ButtonStyle.secondary,
                                           custom_id=f"hearth:ci:mood:{int(mood)}:{guild_id}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> MoodButton:
        return cls(Mood(int(match["mood"])), int(match["guild"]))

    async def run(self, interaction: discord.Interaction) -> None:
        outcome = await _cog(interaction).checkins.record(
            user_id=interaction.user.id, guild_id=self.guild_id or None, mood=int(self.mood), note=None,
            source="prompt", locale=str(interaction.locale))
        # Replace the prompt with the answer, so one prompt gives one check-in.
        await interaction.response.edit_message(content=None, embeds=outcome_embeds(outcome),
                                                view=outcome_view(outcome, from_prompt=True))


class AddNoteButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                    template=r"hearth:ci:note:(?P<checkin>\d+)"):
    def __init__(self, checkin_id: int) -> None:
        self.checkin_id = checkin_id
        super().__init__(discord.ui.Button(label="Add a note", emoji="📝", style=discord.ButtonStyle.secondary,
                                           custom_id=f"hearth:ci:note:{checkin_id}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> AddNoteButton:
        return cls(int(match["checkin"]))

    async def run(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(NoteModal(checkin_id=self.checkin_id))


class StopRemindersButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"hearth:ci:stop"):
    def __init__(self) -> None:
        super().__init__(discord.ui.Button(label="Stop these", style=discord.ButtonStyle.secondary,
                                           custom_id="hearth:ci:stop"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> StopRemindersButton:
        return cls()

    async def run(self, interaction: discord.Interaction) -> None:
        stopped = await _cog(interaction).reminders.stop(interaction.user.id)
        text = ("Done: no more check-in prompts. If you'd like them back, use `/mood reminders`." if stopped
                else "Check-in prompts are already off.")
        await interaction.response.send_message(text, ephemeral=True)


class ReachOutButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                     template=r"hearth:ci:reach:(?P<guild>\d+)"):
    """The member asks for a moderator to contact them. Only that request is shared, never the note."""

    def __init__(self, guild_id: int) -> None:
        self.guild_id = guild_id
        super().__init__(discord.ui.Button(label="Ask a moderator to reach out", emoji="🤝",
                                           style=discord.ButtonStyle.primary,
                                           custom_id=f"hearth:ci:reach:{guild_id}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> ReachOutButton:
        return cls(int(match["guild"]))

    async def run(self, interaction: discord.Interaction) -> None:
        sent = await _cog(interaction).request_reach_out(self.guild_id, interaction.user)
        if sent:
            text = ("Thank you for asking. A moderator has been told you'd like someone to reach out, and will "
                    "contact you privately. They haven't seen your note. If you're in danger right now, please "
                    "call your local emergency number.")
        else:
            text = ("I couldn't reach the moderators just now. Please message one directly, or use the helplines "
                    "above. If you're in danger right now, call your local emergency number.")
        await interaction.response.send_message(text, ephemeral=True)


class NoteModal(HearthModal, title="Add a note"):
    note: discord.ui.TextInput[NoteModal] = discord.ui.TextInput(
        label="Anything you'd like to remember about today?", style=discord.TextStyle.paragraph,
        max_length=NOTE_LIMIT, required=True, custom_id="note")

    def __init__(self, *, checkin_id: int | None = None, picker: CheckinPicker | None = None) -> None:
        super().__init__(custom_id=f"hearth:ci:notemodal:{checkin_id or 0}")
        self.checkin_id, self.picker = checkin_id, picker

    async def on_submit(self, interaction: discord.Interaction) -> None:
        if self.picker is not None:  # the note comes first; the mood button records both
            self.picker.note = self.note.value
            await interaction.response.edit_message(
                content=f"Note ready. Now pick how you feel:\n> {discord.utils.escape_markdown(self.note.value)[:300]}",
                view=self.picker)
            return
        assert self.checkin_id is not None
        outcome = await _cog(interaction).checkins.add_note(checkin_id=self.checkin_id, user_id=interaction.user.id,
                                                            note=self.note.value, locale=str(interaction.locale))
        await interaction.response.send_message(embeds=outcome_embeds(outcome),
                                                view=outcome_view(outcome, from_prompt=False), ephemeral=True)

class CheckinPicker(HearthView):
    """`/checkin` with no options: five moods and a note, on a private message."""

    def __init__(self, guild_id: int | None) -> None:
        super().__init__(timeout=600)
        self.guild_id = guild_id
        self.note: str | None = None
        for mood in Mood:
            button: discord.ui.Button[CheckinPicker] = discord.ui.Button(
                label=mood.word.capitalize(), emoji=mood.emoji, style=discord.ButtonStyle.secondary,
                custom_id=f"hearth:ci:pick:{int(mood)}")
            button.callback = self._mood_callback(mood)  # type: ignore[method-assign]
            self.add_item(button)
        note: discord.ui.Button[CheckinPicker] = discord.ui.Button(label="Add a note", emoji="📝", row=1,
                                                                   custom_id="hearth:ci:pick:note")
        note.callback = self._note  # type: ignore[method-assign]
        self.add_item(note)

    def _mood_callback(self, mood: Mood) -> Any:
        async def record(interaction: discord.Interaction) -> None:
            outcome = await _cog(interaction).checkins.record(
                user_id=interaction.user.id, guild_id=self.guild_id, mood=int(mood), note=self.note,
                source="command", locale=str(interaction.locale))
            self.stop()
            await interaction.response.edit_message(content=None, embeds=outcome_embeds(outcome),
                                                    view=outcome_view(outcome, from_prompt=False))
        return record

    async def _note(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(NoteModal(picker=self))

DYNAMIC_ITEMS = (MoodButton, AddNoteButton, StopRemindersButton, ReachOutButton)

"""Persistent buddy buttons: "did you meet?", "skip this round", "pause". State lives in the custom_id."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.domain.buddies import ANSWERS, Answer, answer_of
from bot.domain.buddy_rounds import round_start_of
from bot.i18n import _, n_, p_
from bot.ui.components import Guarded, loaded_cog

if TYPE_CHECKING:
    from cogs.buddies import BuddiesCog

COG_NAME = "Buddies"


def _cog(interaction: discord.Interaction) -> BuddiesCog:
    cog: BuddiesCog = loaded_cog(interaction, COG_NAME)
    return cog


def _answer_label(answer: Answer) -> str:
    """The label of a "did you meet?" button."""
    # i18n: answers to "Did you meet?" about a member's buddy: they met in person, online, not yet, or skip the round
    labels: dict[Answer, str] = {"in_person": p_("button", "In person"), "online": p_("button", "Online"),
                                 "not_yet": p_("button", "Not yet"), "skip": p_("button", "Skip this round")}
    return labels[answer]


class MetButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                template=r"hearth:bd:met:(?P<group>\d+):(?P<answer>in_person|online|not_yet|skip)"):
    def __init__(self, group_id: int, answer: Answer) -> None:
        self.group_id, self.answer = group_id, answer
        style = discord.ButtonStyle.success if answer == "in_person" else discord.ButtonStyle.secondary
        super().__init__(discord.ui.Button(label=_answer_label(answer), style=style,
                                           custom_id=f"hearth:bd:met:{group_id}:{answer}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> MetButton:
        answer = answer_of(match["answer"])
        assert answer is not None  # the template admits only the four answers
        return cls(int(match["group"]), answer)

    async def run(self, interaction: discord.Interaction) -> None:
        await _cog(interaction).services.buddies.answer(self.group_id, interaction.user.id, self.answer)
        thanks = {
            "in_person": _("Wonderful, thank you! Meeting in person is what this is all about. 🎉"),
            "online": _("Lovely, thanks for letting me know. 💬"),
            "not_yet": _("No worries, there's still time. Maybe suggest a day that suits you?"),
            "skip": _("Thanks for saying. Rest up; there's always next round."),
        }[self.answer]
        # i18n: after the thanks for answering "did you meet?"
        private = _("(Only you see this; organisers see totals only.)")
        await interaction.response.send_message(f"{thanks} {private}", ephemeral=True)


def met_view(group_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for answer in ANSWERS:
        view.add_item(MetButton(group_id, answer))
    return view


class SkipRoundButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                      template=r"hearth:bd:skip:(?P<guild>\d+):(?P<start>\d{8}T\d{4})"):
    def __init__(self, guild_id: int, start: str) -> None:
        self.guild_id, self.start = guild_id, start
        # i18n: on the DM a day before a buddy round: sit the round out
        super().__init__(discord.ui.Button(label=p_("button", "Skip this round"), style=discord.ButtonStyle.secondary,
                                           custom_id=f"hearth:bd:skip:{guild_id}:{start}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> SkipRoundButton:
        return cls(int(match["guild"]), match["start"])

    @classmethod
    def for_round(cls, guild_id: int, round_key: str) -> SkipRoundButton:
        return cls(guild_id, round_start_of(round_key))

    async def run(self, interaction: discord.Interaction) -> None:
        skipped = await _cog(interaction).services.buddies.skip_round(self.guild_id, interaction.user.id, self.start)
        text = (_("Okay, you'll sit this round out and be back in the next one.") if skipped
                else _("You're not in the buddy pool right now, so there's nothing to skip."))
        await interaction.response.send_message(text, ephemeral=True)


class PauseButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                  template=r"hearth:bd:pause:(?P<guild>\d+):(?P<weeks>\d{1,2})"):
    def __init__(self, guild_id: int, weeks: int) -> None:
        self.guild_id, self.weeks = guild_id, weeks
        # i18n: a break from buddy rounds; {count} is 2, 4 or 8
        label = n_("Pause {count} week", "Pause {count} weeks", weeks)
        super().__init__(discord.ui.Button(label=label, style=discord.ButtonStyle.secondary,
                                           custom_id=f"hearth:bd:pause:{guild_id}:{weeks}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> PauseButton:
        return cls(int(match["guild"]), int(match["weeks"]))

    async def run(self, interaction: discord.Interaction) -> None:
        until = await _cog(interaction).services.buddies.pause(self.guild_id, interaction.user.id, self.weeks)
        # i18n: {date} is a date; keep the command `/buddy resume` as it is
        await interaction.response.send_message(
            _("Paused until {date}. You'll be back in the pool after that by yourself, or sooner with "
              "`/buddy resume`.", date=discord.utils.format_dt(until, 'D')), ephemeral=True)


def pause_offer_view(guild_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for weeks in (2, 4, 8):
        view.add_item(PauseButton(guild_id, weeks))
    return view


DYNAMIC_ITEMS = (MetButton, SkipRoundButton, PauseButton)

"""After an in-person meetup: the one-tap DM (persistent buttons) and the organisers' figures."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.domain.event_feedback import HOW_ANSWERS, MIN_ANSWERS_FOR_BREAKDOWN, FeedbackFigures
from bot.domain.events import Event
from bot.ui.components import Guarded, loaded_cog
from bot.ui.formatting import HEARTH_COLOUR, plain, timestamp

if TYPE_CHECKING:
    from cogs.events import EventsCog

_LABELS = {("how", "good"): "😊 Good", ("how", "okay"): "😐 Okay", ("how", "not_for_me"): "🙁 Not for me",
           ("met", "yes"): "Met someone new", ("met", "no"): "Not this time"}
_THANKS = {("how", "good"): "So glad it went well! 🎉", ("how", "okay"): "Thanks for saying.",
           ("how", "not_for_me"): "Thanks for being honest: that helps organisers make the next one better.",
           ("met", "yes"): "Wonderful: new faces are what it's all about. 🌱",
           ("met", "no"): "That's fine: seeing familiar faces counts too."}


class FeedbackButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                     template=r"hearth:ev:fb:(?P<event>\d+):(?P<question>how|met):(?P<answer>good|okay|not_for_me|yes|no)"):
    def __init__(self, event_id: int, question: str, answer: str) -> None:
        self.event_id, self.question, self.answer = event_id, question, answer
        style = discord.ButtonStyle.success if answer in ("good", "yes") else discord.ButtonStyle.secondary
        super().__init__(discord.ui.Button(label=_LABELS[question, answer], style=style,
                                           row=0 if question == "how" else 1,
                                           custom_id=f"hearth:ev:fb:{event_id}:{question}:{answer}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> FeedbackButton:
        if (match["question"], match["answer"]) not in _LABELS:
            raise ValueError("an answer that doesn't belong to that question")
        return cls(int(match["event"]), match["question"], match["answer"])

    async def run(self, interaction: discord.Interaction) -> None:
        cog: EventsCog = loaded_cog(interaction, "Events")
        await cog.services.events.feedback.record(self.event_id, interaction.user.id, self.question, self.answer)
        await interaction.response.send_message(
            f"{_THANKS[self.question, self.answer]} You can change your answer any time by tapping another "
            "button. (Only you see this; organisers see totals only.)", ephemeral=True)


def feedback_view(event_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for question, answer in _LABELS:
        view.add_item(FeedbackButton(event_id, question, answer))
    return view


def feedback_text(event: Event) -> str:
    return (f"Thanks for going to **{plain(event.title)}** ({timestamp(event.start_at, 'D')})! Two quick taps, both "
            "private:\n**How was it?** (top row)\n**Did you meet someone new?** (bottom row)")


def stats_embed(figures: FeedbackFigures, days: int) -> discord.Embed:
    counts = figures.counts
    embed = discord.Embed(title=f"Meetups in person: the last {days} days", colour=HEARTH_COLOUR)
    embed.add_field(name="Meetups held", value=str(counts.events_held))
    embed.add_field(name="Going", value=f"{counts.attendees} ({counts.distinct_attendees} different members)")
    embed.add_field(name="Answers afterwards", value=str(counts.answered))
    hidden = f"fewer than {MIN_ANSWERS_FOR_BREAKDOWN} answers, so not shown"
    embed.add_field(name="Arrived (“I'm here”)", inline=False,
                    value=f"{counts.arrived} of {counts.attendees} going" if figures.arrived_shown
                    else f"fewer than {MIN_ANSWERS_FOR_BREAKDOWN} going, so not shown")
    embed.add_field(name="Met someone new",
                    value=hidden if figures.met_share is None
                    else f"{figures.met_share:.0%} of {counts.met_yes + counts.met_no} who answered", inline=False)
    how = hidden if figures.how_shares is None else " · ".join(
        f"{HOW_ANSWERS[answer]} {share:.0%}" for answer, share in figures.how_shares.items())
    embed.add_field(name="How it went", value=how, inline=False)
    embed.set_footer(text=f"Totals only. A breakdown shows once at least {MIN_ANSWERS_FOR_BREAKDOWN} members "
                     "answered, so nobody's answer can be picked out.")
    return embed

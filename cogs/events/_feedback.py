"""After an in-person meetup: the one-tap DM (persistent buttons) and the organisers' figures."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.domain.event_feedback import HOW_ANSWERS, MIN_ANSWERS_FOR_BREAKDOWN, FeedbackFigures
from bot.domain.events import Event
from bot.i18n import _, n_, number, p_, percent
from bot.ui.components import Guarded, loaded_cog
from bot.ui.formatting import HEARTH_COLOUR, plain, timestamp

if TYPE_CHECKING:
    from cogs.events import EventsCog

_LABELS = (("how", "good"), ("how", "okay"), ("how", "not_for_me"), ("met", "yes"), ("met", "no"))


def _label(question: str, answer: str) -> str:
    # i18n: the answer buttons of "How was it?" (a meetup) and "Did you meet someone new?"
    return {("how", "good"): p_("button", "😊 Good"), ("how", "okay"): p_("button", "😐 Okay"),
            ("how", "not_for_me"): p_("button", "🙁 Not for me"), ("met", "yes"): p_("button", "Met someone new"),
            ("met", "no"): p_("button", "Not this time")}[question, answer]


def _thanks(question: str, answer: str) -> str:
    return {("how", "good"): _("So glad it went well! 🎉"), ("how", "okay"): _("Thanks for saying."),
            ("how", "not_for_me"): _("Thanks for being honest: that helps organisers make the next one better."),
            ("met", "yes"): _("Wonderful: new faces are what it's all about. 🌱"),
            ("met", "no"): _("That's fine: seeing familiar faces counts too.")}[question, answer]


def _how(answer: str) -> str:
    # i18n: how a meetup went, in the organisers' figures
    return {"good": p_("meetup feedback", "Good"), "okay": p_("meetup feedback", "Okay"),
            "not_for_me": p_("meetup feedback", "Not for me")}.get(answer, HOW_ANSWERS.get(answer, answer))


class FeedbackButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                     template=r"hearth:ev:fb:(?P<event>\d+):(?P<question>how|met):(?P<answer>good|okay|not_for_me|yes|no)"):
    def __init__(self, event_id: int, question: str, answer: str) -> None:
        self.event_id, self.question, self.answer = event_id, question, answer
        style = discord.ButtonStyle.success if answer in ("good", "yes") else discord.ButtonStyle.secondary
        super().__init__(discord.ui.Button(label=_label(question, answer), style=style,
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
            _("{thanks} You can change your answer any time by tapping another button. (Only you see this; "
              "organisers see totals only.)", thanks=_thanks(self.question, self.answer)), ephemeral=True)


def feedback_view(event_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for question, answer in _LABELS:
        view.add_item(FeedbackButton(event_id, question, answer))
    return view


def feedback_text(event: Event) -> str:
    return _("Thanks for going to **{title}** ({day})! Two quick taps, both private:\n**How was it?** (top row)\n"
             "**Did you meet someone new?** (bottom row)", title=plain(event.title), day=timestamp(event.start_at, "D"))


def stats_embed(figures: FeedbackFigures, days: int) -> discord.Embed:
    counts = figures.counts
    least = MIN_ANSWERS_FOR_BREAKDOWN
    title = n_("Meetups in person: the last {count} day", "Meetups in person: the last {count} days", days)
    embed = discord.Embed(title=title, colour=HEARTH_COLOUR)
    # i18n: the organisers' figures for in-person meetups
    embed.add_field(name=p_("meetup figures", "Meetups held"), value=number(counts.events_held))
    # i18n: {count} Going answers, by {members} different members
    embed.add_field(name=p_("meetup figures", "Going"),
                    value=n_("{count} ({members} different members)", "{count} ({members} different members)",
                             counts.distinct_attendees, count=number(counts.attendees),
                             members=number(counts.distinct_attendees)))
    embed.add_field(name=p_("meetup figures", "Answers afterwards"), value=number(counts.answered))
    hidden = n_("fewer than {count} answer, so not shown", "fewer than {count} answers, so not shown", least)
    # i18n: “I'm here” is the button members tap when they arrive
    embed.add_field(name=p_("meetup figures", "Arrived (“I'm here”)"), inline=False,
                    value=n_("{arrived} of {count} going", "{arrived} of {count} going", counts.attendees,
                             arrived=number(counts.arrived)) if figures.arrived_shown
                    else n_("fewer than {count} going, so not shown", "fewer than {count} going, so not shown", least))
    # i18n: {share} is a percentage, e.g. "60%"
    embed.add_field(name=p_("meetup figures", "Met someone new"),
                    value=hidden if figures.met_share is None
                    else n_("{share} of {count} who answered", "{share} of {count} who answered",
                            counts.met_yes + counts.met_no, share=percent(figures.met_share)), inline=False)
    how = hidden if figures.how_shares is None else " · ".join(
        f"{_how(answer)} {percent(share)}" for answer, share in figures.how_shares.items())
    embed.add_field(name=p_("meetup figures", "How it went"), value=how, inline=False)
    embed.set_footer(text=n_("Totals only. A breakdown shows once at least {count} member answered, so nobody's "
                             "answer can be picked out.", "Totals only. A breakdown shows once at least {count} "
                             "members answered, so nobody's answer can be picked out.", least))
    return embed

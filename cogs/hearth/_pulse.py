"""How `/hearth pulse` reads: figures already suppressed by the domain rules, as sentences and a chart."""

from __future__ import annotations

from datetime import datetime, timedelta

import discord

from bot.domain.pulse import BAND_LABELS, MOOD_BANDS, NOT_ENOUGH, Pulse, WeeklyFigure
from bot.ui.formatting import HEARTH_COLOUR

CHART_NAME = "pulse.png"
_HIDDEN = NOT_ENOUGH[0].upper() + NOT_ENOUGH[1:] + "."


def _figure(figure: WeeklyFigure, unit: str) -> str:
    if figure.total is None:
        return NOT_ENOUGH
    weeks = len(figure.weekly)
    shown = "" if figure.weeks_shown == weeks else f" ({figure.weeks_shown} of {weeks} weeks)"
    return f"{figure.total} {unit}{shown}"


def _day(moment: datetime) -> str:
    return f"{moment.day} {moment:%b %Y}"


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


def pulse_embed(pulse: Pulse) -> discord.Embed:
    weeks = len(pulse.weeks)
    last_day = pulse.weeks.end - timedelta(days=1)
    embed = discord.Embed(
        title=f"Community pulse: the last {weeks} complete weeks", colour=HEARTH_COLOUR,
        description=(f"{_day(pulse.weeks.starts[0])} to {_day(last_day)}; weeks run Monday to Sunday in "
                     "UTC, and this week counts once it is over. Each figure adds up only the weeks where five or "
                     "more different members took part in it (\"3 of 4 weeks\"), so nobody can be picked out. Once "
                     "shown, a week's figures stay as they were, even if a member later leaves or deletes their "
                     "data, so comparing before and after reveals nothing."))
    checkins = _figure(pulse.checkins, "check-ins")
    if pulse.average_members is not None:
        checkins += f"; about {round(pulse.average_members)} members a week"
    embed.add_field(name="Check-ins", value=_sentence(checkins), inline=False)
    embed.add_field(name="Mood", value="\n".join(
        f"{BAND_LABELS[band]}: {_figure(pulse.moods.of(band), 'check-ins')}" for band in reversed(MOOD_BANDS)),
        inline=False)
    embed.add_field(name="Buddy pairs (rounds that ended in these weeks)", value="\n".join((
        f"Pairs: {_figure(pulse.pairs, 'pairs')}",
        f"Met in person: {_figure(pulse.pair_outcomes.of('in_person'), 'pairs')}",
        f"Met online: {_figure(pulse.pair_outcomes.of('online'), 'pairs')}",
    )), inline=False)
    held = f"{pulse.meetups_held} meetup{'s' if pulse.meetups_held != 1 else ''} held"
    embed.add_field(name="Meetups", value=f"{held}. Going: {_figure(pulse.going, 'answers')}. "
                    f"Arrived (“I'm here”): {_figure(pulse.arrived, 'answers')}.", inline=False)
    embed.add_field(name="Nudges", value=_sentence(
        f"members who turned nudges on: {_figure(pulse.nudge_opt_ins, 'members')}"), inline=False)
    embed.set_footer(text="Only you can see this. Totals only: Hearth never shows a person here.")
    return embed


def nothing_text() -> str:
    return (f"{_HIDDEN} Figures appear here for weeks where five or more members took part, once the week "
            "is over.")

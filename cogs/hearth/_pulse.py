"""How `/hearth pulse` reads: figures already suppressed by the domain rules, as sentences and a chart."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import discord

from bot.domain.pulse import BAND_LABELS, MOOD_BANDS, NOT_ENOUGH, Pulse, WeeklyFigure
from bot.i18n import _, date_text, n_, number
from bot.ui.formatting import HEARTH_COLOUR

CHART_NAME = "pulse.png"


def _hidden() -> str:
    # i18n: /hearth pulse when a figure is withheld, as a sentence of its own
    return _("Not enough members to show this without identifying anyone.")


def _checkins(total: int) -> str:
    # i18n: a figure in /hearth pulse: mood check-ins members made
    return n_("{count} check-in", "{count} check-ins", total)


def _pairs(total: int) -> str:
    # i18n: a figure in /hearth pulse: buddy pairs (groups of two or three)
    return n_("{count} pair", "{count} pairs", total)


def _answers(total: int) -> str:
    # i18n: a figure in /hearth pulse: members' answers to meetups ("Going: 12 answers")
    return n_("{count} answer", "{count} answers", total)


def _members(total: int) -> str:
    # i18n: a figure in /hearth pulse ("Members who turned nudges on: 7 members")
    return n_("{count} member", "{count} members", total)


def _figure(figure: WeeklyFigure, amount: Callable[[int], str]) -> str:
    if figure.total is None:
        return _(NOT_ENOUGH)
    weeks = len(figure.weekly)
    if figure.weeks_shown == weeks:
        return amount(figure.total)
    # i18n: a figure that adds up only some of the weeks ("20 check-ins (4 of 12 weeks)"); {amount} is the figure
    return n_("{amount} ({shown} of {count} week)", "{amount} ({shown} of {count} weeks)", weeks,
              amount=amount(figure.total), shown=number(figure.weeks_shown))


def _checkins_value(pulse: Pulse) -> str:
    if pulse.checkins.total is None:
        return _hidden()
    checkins = _figure(pulse.checkins, _checkins)
    if pulse.average_members is None:
        return _("{figure}.", figure=checkins)
    # i18n: {figure} is the check-ins ("20 check-ins (4 of 12 weeks)"), {count} the members checking in weekly
    return n_("{figure}; about {count} member a week.", "{figure}; about {count} members a week.",
              round(pulse.average_members), figure=checkins)


def pulse_embed(pulse: Pulse) -> discord.Embed:
    weeks = len(pulse.weeks)
    last_day = pulse.weeks.end - timedelta(days=1)
    embed = discord.Embed(
        title=n_("Community pulse: the last {count} complete week", "Community pulse: the last {count} complete weeks",
                 weeks),
        colour=HEARTH_COLOUR,
        # i18n: /hearth pulse; {start} and {end} are days ("2 Nov 2026"). "3 of 4 weeks" is how figures read below
        description=_("{start} to {end}; weeks run Monday to Sunday in UTC, and this week counts once it is over. "
                      "Each figure adds up only the weeks where five or more different members took part in it "
                      "(\"3 of 4 weeks\"), so nobody can be picked out. Once shown, a week's figures stay as they "
                      "were, even if a member later leaves or deletes their data, so comparing before and after "
                      "reveals nothing.", start=date_text(pulse.weeks.starts[0], "medium"),
                      end=date_text(last_day, "medium")))
    # i18n: a field name in /hearth pulse: mood check-ins
    embed.add_field(name=_("Check-ins"), value=_checkins_value(pulse), inline=False)
    moods = [
        # i18n: one line of the mood field in /hearth pulse: a group of moods and its figure
        _("{moods}: {figure}", moods=_(BAND_LABELS[band]), figure=_figure(pulse.moods.of(band), _checkins))
        for band in reversed(MOOD_BANDS)]
    # i18n: a field name in /hearth pulse: how members felt
    embed.add_field(name=_("Mood"), value="\n".join(moods), inline=False)
    pairs = (
        # i18n: /hearth pulse: buddy pairs formed
        _("Pairs: {figure}", figure=_figure(pulse.pairs, _pairs)),
        # i18n: /hearth pulse: buddy pairs who said they met in person
        _("Met in person: {figure}", figure=_figure(pulse.pair_outcomes.of("in_person"), _pairs)),
        # i18n: /hearth pulse: buddy pairs who said they met online
        _("Met online: {figure}", figure=_figure(pulse.pair_outcomes.of("online"), _pairs)),
    )
    embed.add_field(name=_("Buddy pairs (rounds that ended in these weeks)"), value="\n".join(pairs), inline=False)
    # i18n: /hearth pulse; "Going" and "I'm here" are the buttons members press on a meetup: use the same words
    meetups = n_("{count} meetup held. Going: {going}. Arrived (“I'm here”): {arrived}.",
                 "{count} meetups held. Going: {going}. Arrived (“I'm here”): {arrived}.", pulse.meetups_held,
                 going=_figure(pulse.going, _answers), arrived=_figure(pulse.arrived, _answers))
    # i18n: a field name in /hearth pulse: meetups organisers announced
    embed.add_field(name=_("Meetups"), value=meetups, inline=False)
    # i18n: /hearth pulse: members who turned on nudges (gentle suggestions to meet up)
    nudges = _("Members who turned nudges on: {figure}.", figure=_figure(pulse.nudge_opt_ins, _members))
    # i18n: a field name in /hearth pulse: gentle suggestions to meet up, which members turn on themselves
    embed.add_field(name=_("Nudges"), value=nudges, inline=False)
    embed.set_footer(text=_("Only you can see this. Totals only: Hearth never shows a person here."))
    return embed


def nothing_text() -> str:
    return _("Not enough members to show this without identifying anyone. Figures appear here for weeks where five "
             "or more members took part, once the week is over.")

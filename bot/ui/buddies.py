"""How a server's buddy rounds look to organisers: the settings and the community figures.

Shared by `/hearth buddies` (settings, stats) and whatever else shows them."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.domain.buddies import BuddyConfig, BuddyStats, interest_name
from bot.i18n import _, n_, number, p_, percent
from bot.ui.formatting import HEARTH_COLOUR, timestamp


def _every_weekday(weekday: int) -> str:
    """"Mondays" as in "every week, Mondays at 18:00" (0 is Monday)."""
    return (p_("every weekday", "Mondays"), p_("every weekday", "Tuesdays"), p_("every weekday", "Wednesdays"),
            p_("every weekday", "Thursdays"), p_("every weekday", "Fridays"), p_("every weekday", "Saturdays"),
            p_("every weekday", "Sundays"))[weekday]


def config_text(config: BuddyConfig, next_start: datetime | None) -> str:
    # i18n: to organisers: when buddy rounds happen; {weekdays} is a day of the week ("Mondays"), {hour} an hour
    # ("18:00")
    rounds = n_("**Rounds:** every week, {weekdays} at {hour} server time",
                "**Rounds:** every {count} weeks, {weekdays} at {hour} server time", config.cadence_weeks,
                weekdays=_every_weekday(config.weekday), hour=f"{config.hour:02d}:00")
    if not config.enabled:
        # i18n: after "**Rounds:** every week, Mondays at 18:00 server time"; keep the command as it is
        rounds += " " + _("(not started: run `/hearth buddies settings` to start)")
    interests = ", ".join(interest_name(interest) for interest in config.interests)
    lines = [rounds,
             # i18n: to organisers: two members are not paired again within this many rounds
             n_("**Never repeat a pair within:** {count} round", "**Never repeat a pair within:** {count} rounds",
                config.repeat_rounds),
             _("**Interests to pick from:** {interests}",
               interests=interests or _("none (members add their own)"))]
    if next_start is not None:
        # i18n: {when} is a date and time, {relative} "in 3 days"
        lines.append(_("**Next round:** {when} ({relative})", when=timestamp(next_start, 'F'),
                       relative=timestamp(next_start, 'R')))
    return "\n".join(lines)


def stats_embed(stats: BuddyStats, found_time: tuple[int | None, int | None] = (None, None)) -> discord.Embed:
    """`found_time`: (pairs that found a time with Find a time, of those how many met); None under five."""
    embed = discord.Embed(title=_("Buddy pairing: community figures"), colour=HEARTH_COLOUR,
                          description=_("Totals only: no member's answers are shown."))
    embed.add_field(name=_("In the pool now"), value=number(stats.pool_size))
    per_round = stats.groups_per_round
    # i18n: {count} is how many recent rounds the figure covers
    embed.add_field(name=n_("Groups per round (last {count})", "Groups per round (last {count})", stats.rounds),
                    value=number(round(per_round)) if per_round.is_integer() else number(round(per_round, 1)))
    embed.add_field(name=_("Groups who answered"), value=number(stats.answered_groups))
    if stats.met_in_person is None or stats.met_online is None:
        embed.add_field(name=_("Who met"), value=_("Shown once at least 5 groups have answered, so no one can be "
                                                   "singled out."), inline=False)
    else:
        embed.add_field(name=_("Met in person"), value=percent(stats.met_in_person))
        embed.add_field(name=_("Met online"), value=percent(stats.met_online))
    found, met = found_time
    # i18n: how many buddy pairs agreed a time with the Find a time button
    found_name = _("Found a time together")
    if found is None:
        embed.add_field(name=found_name, value=_("Shown once at least 5 pairs have found a time, so no one can be "
                                                 "singled out."), inline=False)
    else:
        embed.add_field(name=found_name, value=number(found))
        # i18n: of the pairs who found a time together, how many then met
        embed.add_field(name=_("…and then met"), value=number(met) if met is not None else _("fewer than 5 so far"))
    return embed

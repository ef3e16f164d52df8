"""How a server's buddy rounds look to organisers: the settings and the community figures.

Shared by `/hearth buddies` (settings, stats) and whatever else shows them."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.domain.buddies import BuddyConfig, BuddyStats
from bot.domain.moods import WEEKDAYS
from bot.ui.formatting import HEARTH_COLOUR, timestamp


def config_text(config: BuddyConfig, next_start: datetime | None) -> str:
    every = "every week" if config.cadence_weeks == 1 else f"every {config.cadence_weeks} weeks"
    lines = [f"**Rounds:** {every}, {WEEKDAYS[config.weekday]}s at {config.hour:02d}:00 server time"
             + ("" if config.enabled else " (not started: run `/hearth buddies settings` to start)"),
             f"**Never repeat a pair within:** {config.repeat_rounds} rounds",
             f"**Interests to pick from:** {', '.join(config.interests) or 'none (members add their own)'}"]
    if next_start is not None:
        lines.append(f"**Next round:** {timestamp(next_start, 'F')} ({timestamp(next_start, 'R')})")
    return "\n".join(lines)


def stats_embed(stats: BuddyStats, found_time: tuple[int | None, int | None] = (None, None)) -> discord.Embed:
    """`found_time`: (pairs that found a time with Find a time, of those how many met); None under five."""
    embed = discord.Embed(title="Buddy pairing: community figures", colour=HEARTH_COLOUR,
                          description="Totals only: no member's answers are shown.")
    embed.add_field(name="In the pool now", value=str(stats.pool_size))
    per_round = stats.groups_per_round
    embed.add_field(name=f"Groups per round (last {stats.rounds})",
                    value=f"{per_round:.0f}" if per_round.is_integer() else f"{per_round:.1f}")
    embed.add_field(name="Groups who answered", value=str(stats.answered_groups))
    if stats.met_in_person is None or stats.met_online is None:
        embed.add_field(name="Who met", value="Shown once at least 5 groups have answered, so no one can be "
                        "singled out.", inline=False)
    else:
        embed.add_field(name="Met in person", value=f"{stats.met_in_person:.0%}")
        embed.add_field(name="Met online", value=f"{stats.met_online:.0%}")
    found, met = found_time
    if found is None:
        embed.add_field(name="Found a time together", value="Shown once at least 5 pairs have found a time, so no "
                        "one can be singled out.", inline=False)
    else:
        embed.add_field(name="Found a time together", value=str(found))
        embed.add_field(name="…and then met", value=str(met) if met is not None else "fewer than 5 so far")
    return embed

"""Words for buddy intros, follow-ups, status and figures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import discord

from bot.domain.buddies import ANSWERS, FREQUENCIES, PREFERENCES
from bot.domain.safety import MEETING_TIP
from bot.services.buddies import BuddyStatus
from bot.ui.formatting import HEARTH_COLOUR, plain, timestamp

STARTERS = (
    "What's a small thing that made you smile this week?",
    "If you had a free Saturday with nothing planned, how would you spend it?",
    "What's something you've been meaning to try (a café, a walk, a class)?",
    "What's a hobby you had as a kid that you'd like to pick up again?",
    "What's the best meal you've had recently?",
    "Is there a place nearby you love but rarely go to?",
)

__all__ = ["ANSWERS", "intro_text", "shared_lines", "status_embed"]


def shared_lines(reasons: dict[str, Any]) -> list[str]:
    lines = []
    if reasons.get("in_person") and reasons.get("area"):
        lines.append(f"📍 You're all around **{plain(reasons['area'])}** and open to meeting in person.")
    elif reasons.get("area"):
        lines.append(f"📍 You're all around **{plain(reasons['area'])}**.")
    if reasons.get("interests"):
        lines.append("✨ You share: " + ", ".join(plain(interest) for interest in reasons["interests"][:5]) + ".")
    if reasons.get("time_zones_overlap"):
        lines.append("🕰️ Your time zones overlap, so finding a time should be easy.")
    return lines


def intro_text(mentions: Sequence[str], reasons: dict[str, Any], *, group_id: int, weeks: int,
               followup_at: Any, meetups: Sequence[str] = (), in_person: bool = True) -> str:
    """`in_person`: the group might meet in person (nobody asked for online only): the safety tip, and a word
    about the "check on me after" button that goes with it."""
    who = ", ".join(mentions[:-1]) + f" and {mentions[-1]}" if len(mentions) > 1 else mentions[0]
    parts = [f"👋 {who}: you're buddies for the next {weeks} week{'s' if weeks != 1 else ''}!"]
    parts += shared_lines(reasons)
    parts.append(f"💬 To get started: *{STARTERS[group_id % len(STARTERS)]}*")
    if meetups:
        parts.append("📅 Coming up nearby: " + "; ".join(meetups[:3]))
    if in_person:
        parts.append(f"🛡️ {MEETING_TIP} If you'd like, tap the button below and I'll check you got home OK "
                     "afterwards (only you will know).")
    parts.append("When you're together, phones away: just enjoy the company.")
    parts.append(f"I'll check in here {timestamp(followup_at, 'R')} to ask if you met. No pressure either way.")
    return "\n".join(parts)


def status_embed(status: BuddyStatus, user_id: int) -> discord.Embed:
    embed = discord.Embed(title="Your buddy status", colour=HEARTH_COLOUR)
    profile = status.profile
    if profile is None or not profile.active:
        embed.description = "You're not in the buddy pool. Join any time with `/buddy join`."
        return embed
    if status.current is not None:
        round_, group = status.current
        others = ", ".join(f"<@{member}>" for member in group.members if member != user_id)
        embed.add_field(name="Current buddy", value=f"{others} (since {timestamp(round_.started_at, 'D')})",
                        inline=False)
    elif profile.missed_last_round:
        embed.add_field(name="Current buddy", value="I couldn't find you a match last round, sorry. You're first "
                        "in line next time.", inline=False)
    else:
        embed.add_field(name="Current buddy", value="None right now.", inline=False)
    if status.paused and profile.paused_until:
        embed.add_field(name="Paused", value=f"until {timestamp(profile.paused_until, 'D')} (`/buddy resume` to "
                        "come back sooner)", inline=False)
    if status.next_round_at is not None:
        embed.add_field(name="Next round", value=f"{timestamp(status.next_round_at, 'F')} "
                        f"({timestamp(status.next_round_at, 'R')})", inline=False)
    embed.add_field(name="Buddies so far", value=str(profile.rounds_paired))
    embed.add_field(name="Meeting", value=PREFERENCES[profile.preference])
    embed.add_field(name="How often", value=FREQUENCIES[profile.frequency])
    embed.add_field(name="Area", value=profile.area or "not given")
    embed.add_field(name="Interests", value=", ".join(profile.interests) or "none yet", inline=False)
    embed.set_footer(text="Only you can see this.")
    return embed

"""Words for buddy intros, follow-ups, status and figures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import discord

from bot.domain.buddies import ANSWERS, FREQUENCIES, PREFERENCES, interest_name
from bot.domain.safety import MEETING_TIP
from bot.i18n import N_, S_, _, n_, number
from bot.services.buddies import BuddyStatus
from bot.ui.formatting import HEARTH_COLOUR, plain, timestamp
from bot.ui.threads import names_together

# Shown with `_()`, in the intro after "💬 To get started:".
STARTERS = (
    # i18n: a conversation starter in a new buddy intro
    N_("What's a small thing that made you smile this week?"),
    # i18n: a conversation starter in a new buddy intro
    N_("If you had a free Saturday with nothing planned, how would you spend it?"),
    # i18n: a conversation starter in a new buddy intro
    N_("What's something you've been meaning to try (a café, a walk, a class)?"),
    # i18n: a conversation starter in a new buddy intro
    N_("What's a hobby you had as a kid that you'd like to pick up again?"),
    # i18n: a conversation starter in a new buddy intro
    N_("What's the best meal you've had recently?"),
    # i18n: a conversation starter in a new buddy intro
    N_("Is there a place nearby you love but rarely go to?"),
)

__all__ = ["ANSWERS", "intro_text", "shared_lines", "status_embed"]


def shared_lines(reasons: dict[str, Any]) -> list[str]:
    lines = []
    if reasons.get("in_person") and reasons.get("area"):
        # i18n: in a buddy intro; {area} is a town or region the members gave
        lines.append(_("📍 You're all around **{area}** and open to meeting in person.", area=plain(reasons["area"])))
    elif reasons.get("area"):
        # i18n: in a buddy intro; {area} is a town or region the members gave
        lines.append(_("📍 You're all around **{area}**.", area=plain(reasons["area"])))
    if reasons.get("interests"):
        interests = ", ".join(plain(interest_name(interest)) for interest in reasons["interests"][:5])
        # i18n: in a buddy intro; {interests} is a list of interests ("walks, coffee")
        lines.append(_("✨ You share: {interests}.", interests=interests))
    if reasons.get("time_zones_overlap"):
        lines.append(_("🕰️ Your time zones overlap, so finding a time should be easy."))
    return lines


def intro_text(mentions: Sequence[str], reasons: dict[str, Any], *, group_id: int, weeks: int,
               followup_at: Any, meetups: Sequence[str] = (), in_person: bool = True) -> str:
    """`in_person`: the group might meet in person (nobody asked for online only): the safety tip, and a word
    about the "check on me after" button that goes with it. In the voice of whoever reads it: the server's in
    the group's thread, the member's in a DM."""
    # i18n: the first line of a buddy intro; {who} names the buddies ("@Ann and @Bo")
    parts = [n_("👋 {who}: you're buddies for the next {count} week!",
                "👋 {who}: you're buddies for the next {count} weeks!", weeks, who=names_together(mentions))]
    parts += shared_lines(reasons)
    # i18n: in a buddy intro; {question} is a conversation starter
    parts.append(_("💬 To get started: *{question}*", question=_(STARTERS[group_id % len(STARTERS)])))
    if meetups:
        # i18n: in a buddy intro; {meetups} lists meetups, separated by semicolons
        parts.append(_("📅 Coming up nearby: {meetups}", meetups="; ".join(meetups[:3])))
    if in_person:
        # i18n: in a buddy intro, after a safety tip for meeting in person, above a button “Check I got home OK”
        offer = S_("If you'd like, tap the button below and I'll check you got home OK afterwards (only you will "
                   "know).")
        parts.append(f"🛡️ {S_(MEETING_TIP)} {offer}")
    parts.append(_("When you're together, phones away: just enjoy the company."))
    # i18n: the last line of a buddy intro; {when} is a relative time ("in 7 days")
    parts.append(_("I'll check in here {when} to ask if you met. No pressure either way.",
                   when=timestamp(followup_at, 'R')))
    return "\n".join(parts)


def status_embed(status: BuddyStatus, user_id: int) -> discord.Embed:
    embed = discord.Embed(title=_("Your buddy status"), colour=HEARTH_COLOUR)
    profile = status.profile
    if profile is None or not profile.active:
        embed.description = _("You're not in the buddy pool. Join any time with `/buddy join`.")
        return embed
    current = _("Current buddy")
    if status.current is not None:
        round_, group = status.current
        others = ", ".join(f"<@{member}>" for member in group.members if member != user_id)
        # i18n: {buddies} mentions the member's buddies, {date} is when the round started
        embed.add_field(name=current, value=_("{buddies} (since {date})", buddies=others,
                                              date=timestamp(round_.started_at, 'D')), inline=False)
    elif profile.missed_last_round:
        embed.add_field(name=current, value=_("I couldn't find you a match last round, sorry. You're first in line "
                                              "next time."), inline=False)
    else:
        embed.add_field(name=current, value=_("None right now."), inline=False)
    if status.paused and profile.paused_until:
        # i18n: the value of the field “Paused”; {date} is a date
        embed.add_field(name=_("Paused"), value=_("until {date} (`/buddy resume` to come back sooner)",
                                                  date=timestamp(profile.paused_until, 'D')), inline=False)
    if status.next_round_at is not None:
        embed.add_field(name=_("Next round"), value=f"{timestamp(status.next_round_at, 'F')} "
                        f"({timestamp(status.next_round_at, 'R')})", inline=False)
    # i18n: how many rounds the member has had a buddy in
    embed.add_field(name=_("Buddies so far"), value=number(profile.rounds_paired))
    # i18n: the member's choice: in person, online, or in person or online
    embed.add_field(name=_("Meeting"), value=_(PREFERENCES[profile.preference]))
    embed.add_field(name=_("How often"), value=_(FREQUENCIES[profile.frequency]))
    embed.add_field(name=_("Area"), value=profile.area or _("not given"))
    embed.add_field(name=_("Interests"), value=", ".join(interest_name(i) for i in profile.interests)
                    or _("none yet"), inline=False)
    embed.set_footer(text=_("Only you can see this."))
    return embed

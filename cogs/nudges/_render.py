"""How nudges look: the member's status, the digest, the kind words, buddy suggestions, the server digest.

Names are plain text (never mentions), times are Discord timestamps, and organisers' text is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import discord

from bot.domain.events import Event
from bot.domain.moods import WEEKDAYS
from bot.services.nudge_meetups import BuddySuggestion, ServerDigest
from bot.services.nudges import Digest, KindWord, NudgeStatus
from bot.ui.formatting import HEARTH_COLOUR, plain, timestamp, web_link

FOOTER = "Only you get this. At most one nudge a week, never in your quiet hours."


def announcement_url(event: Event) -> str | None:
    if event.channel_id and event.message_id:
        return f"https://discord.com/channels/{event.guild_id}/{event.channel_id}/{event.message_id}"
    return None


def meetup_line(event: Event) -> str:
    where = "online" if event.mode == "online" else plain(event.area or event.venue or
                                                                                 "in person")
    line = (f"**{plain(event.title)}** · {timestamp(event.start_at, 'f')} "
            f"({timestamp(event.start_at, 'R')}) · {where}")
    url = announcement_url(event)
    return f"{line} · [details]({url})" if url else line


def _lines(events: Sequence[Event], limit: int = 1024) -> str:
    text = ""
    for event in events:
        line = meetup_line(event)
        if len(text) + len(line) + 1 > limit:
            break
        text += line + "\n"
    return text.rstrip()


def status_text(status: NudgeStatus, guild_name: str | None) -> str:
    prefs = status.prefs
    if prefs is None or not prefs.any_enabled:
        return ("Nudges are off. `/nudges on` gets you a weekly digest of meetups near you (or online) and, if you "
                "like, a kind word when you've gone quiet: by DM, at your local time, at most one nudge a week.")
    server = f"**{plain(guild_name)}**" if guild_name else "the server you chose"
    lines = [f"Nudges are on, for {server}'s meetups and buddies:"]
    if prefs.digest_enabled:
        every = "every" if prefs.digest_every_weeks == 1 else "every other"
        line = (f"• **Digest**: {every} {WEEKDAYS[prefs.digest_weekday]} at {prefs.local_time:%H:%M} your time: "
                "meetups in your area or online that week, your buddy, one idea for being present.")
        if status.next_digest_at is not None:
            line += f" Next: {timestamp(status.next_digest_at, 'R')} ({timestamp(status.next_digest_at, 'f')})."
        lines.append(line)
    else:
        lines.append("• Digest: off.")
    if prefs.quiet_enabled:
        lines.append(f"• **Quiet-member check**: if you've had no check-in, RSVP or buddy news for {prefs.quiet_days} "
                     "days, or a few hard days, one kind message with a small next step.")
    else:
        lines.append("• Quiet-member check: off.")
    lines.append("• **Buddy suggestions**: " + ("a meetup you and your buddy could go to, if you haven't met by "
                                                 "halfway through a round." if prefs.buddy_enabled else "off."))
    lines.append("At most one nudge a week, never in your quiet hours; every message has **Less often** and "
                 "**Stop** buttons. `/nudges off` stops everything.")
    return "\n".join(lines)


def digest_embed(digest: Digest, guild_name: str, names: Mapping[int, str]) -> discord.Embed:
    embed = discord.Embed(title=f"Your week ahead in {guild_name}"[:256], colour=HEARTH_COLOUR)
    where = f"in {digest.area} or online" if digest.area else "in person or online"
    if digest.meetups:
        embed.description = f"Meetups {where} in the next seven days:\n{_lines(digest.meetups, 3800)}"
    else:
        embed.description = (f"No meetups {where} on the calendar this week. Organisers add them all the time; "
                             "`/event list` shows what's further ahead.")
    if digest.buddies:
        who = " and ".join(f"**{plain(names.get(b, 'your buddy'))}**" for b in digest.buddies)
        if digest.met:
            value = f"You and {who} said you met this round. Lovely!"
        else:
            verb = "is" if len(digest.buddies) == 1 else "are"
            value = (f"Your {'buddy' if len(digest.buddies) == 1 else 'buddies'} this round {verb} {who}. A meetup "
                     "above could be an easy first step together.")
    elif digest.in_pool:
        value = "No buddy this round; you're in the pool for the next one."
    else:
        value = "Fancy a buddy to meet? `/buddy join` pairs you with someone nearby."
    embed.add_field(name="Your buddy", value=value, inline=False)
    embed.add_field(name="Being there", value=digest.suggestion, inline=False)
    every = "every week" if digest.every_weeks == 1 else "every other week"
    embed.set_footer(text=f"Your digest, {every}, because you asked for it. Only you get this.")
    return embed


def kind_word_embed(word: KindWord, name: str, guild_name: str, buddy_name: str | None) -> discord.Embed:
    """Never guilt: no counts of days missed, nothing to catch up on, always a way out."""
    if word.kind == "low":
        embed = discord.Embed(title="A gentle hello 💛", colour=HEARTH_COLOUR, description=(
            f"Hi {plain(name)}. Your last few check-ins sounded heavy. Thank you for "
            "telling Hearth how you are: that takes something. You don't have to carry it alone, and there's "
            "nothing you need to do. If one small step would help, here are a few:"))
        support = "\n".join(part for part in (plain(word.support_text), web_link(word.support_url)) if part)
        embed.add_field(name=f"{guild_name}'s support"[:256],
                        value=(support or "Any moderator of the server is there to listen.")[:1024], inline=False)
    else:
        embed = discord.Embed(title="Thinking of you 🌿", colour=HEARTH_COLOUR, description=(
            f"Hi {plain(name)}, just a friendly hello from {guild_name}. No pressure and "
            "nothing to catch up on. Whenever you feel like it, one small step:"))
    if buddy_name:
        embed.add_field(name="Your buddy", value=f"**{plain(buddy_name)}** would probably "
                        "love to hear from you. A short hello is plenty.", inline=False)
    if word.meetup is not None:
        embed.add_field(name="A meetup coming up", value=meetup_line(word.meetup)[:1024], inline=False)
    if word.kind == "low":
        embed.add_field(name="If things feel unsafe", value="Please call your local emergency number or a "
                        "helpline now: `/about` lists the ones for where you are.", inline=False)
    else:
        # With no buddy and no meetup to offer, the check-in is the one small step the hello promised.
        step = "Or just" if buddy_name or word.meetup is not None else "One small step"
        embed.add_field(name=step, value="`/checkin` takes a few seconds, and it's only for you.", inline=False)
    embed.set_footer(text=FOOTER)
    return embed


def buddy_suggestion_text(suggestion: BuddySuggestion, names: Mapping[int, str]) -> str:
    who = " and ".join(f"**{plain(names.get(b, 'your buddy'))}**"
                       for b in suggestion.buddies)
    return (f"Halfway through the buddy round, and no news yet of you and {who} meeting, which is completely "
            "fine. If it would help, here's one meetup you could go to together before the round ends:\n"
            f"{meetup_line(suggestion.meetup)}\n"
            "Going together can make a first meetup a lot easier. No need to reply.")


def server_digest_embed(digest: ServerDigest) -> discord.Embed:
    embed = discord.Embed(title="Meetups this week", colour=HEARTH_COLOUR,
                          description=_lines(digest.meetups, 4000))
    embed.set_footer(text="RSVP on each announcement. Phones away, listen well, and enjoy each other's company.")
    return embed

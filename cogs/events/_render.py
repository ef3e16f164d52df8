"""How meetups look: the announcement with live counts, lists, and the organiser's confirmation."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.domain.events import Event
from bot.domain.safety import MEETUP_TIP
from bot.services.events import EventDraft
from bot.ui.formatting import HEARTH_COLOUR, plain, timestamp, web_link

CANCELLED_COLOUR = discord.Colour.dark_grey()
EMBED_BUDGET = 5800  # Discord refuses embeds over 6000 characters in all (the footer needs the rest)


def _where(mode: str, venue: str | None, area: str | None, link: str | None) -> str:
    if mode == "online":
        # Escaped, a link of brackets and spaces grows up to three times: keep it inside an embed field.
        return f"Online: {web_link(link)}"[:900] if link else "Online"
    return plain(venue) + (f" ({plain(area)})" if area else "")


def _when(start: datetime, end: datetime) -> str:
    return f"{timestamp(start, 'F')} to {timestamp(end, 't')} ({timestamp(start, 'R')})"


def draft_embed(draft: EventDraft) -> discord.Embed:
    embed = discord.Embed(title=f"Check before posting: {draft.title}", colour=HEARTH_COLOUR,
                          description=draft.description)
    embed.add_field(name="When", value=f"{_when(draft.start_at, draft.end_at)}\nRead in {draft.zone}.",
                    inline=False)
    embed.add_field(name="Where", value=_where(draft.mode, draft.venue, draft.area, draft.link), inline=False)
    if draft.repeat is not None:
        dates = "\n".join(f"{timestamp(start, 'F')}" for start in draft.first_dates)
        more = "\n…" if draft.repeat.count is None or draft.repeat.count > len(draft.first_dates) else ""
        embed.add_field(name="Repeats", value=f"{draft.repeat.describe(draft.start_at)} ({draft.zone} time)",
                        inline=False)
        embed.add_field(name="First dates", value=dates + more, inline=False)
    _controls(embed, draft.role_id, draft.rsvp_closes_at, draft.access_notes)
    embed.add_field(name="Places", value=str(draft.capacity) if draft.capacity else "no limit")
    embed.add_field(name="Tag", value=draft.tag)
    footer = "Times show in each reader's own time zone. Is this right?"
    if draft.repeat is not None:
        footer = ("Each date gets its own announcement and answers, posted when the one before it starts (or two "
                  "weeks ahead, if later). " + footer)
    embed.set_footer(text=footer)
    return embed


def _controls(embed: discord.Embed, role_id: int | None, closes_at: datetime | None,
              access_notes: str | None) -> None:
    """Who can join, when answers close, and the access notes (escaped: they never ping or format)."""
    if role_id is not None:  # a role mention shows the name; allowed_mentions none keeps it from pinging
        embed.add_field(name="Who can join", value=f"Open to members with the <@&{role_id}> role", inline=False)
    if closes_at is not None:
        embed.add_field(name="Answers close", value=f"Answers close {timestamp(closes_at, 'R')} "
                        f"({timestamp(closes_at, 'f')})", inline=False)
    if access_notes:
        embed.add_field(name="Access", value=plain(access_notes)[:1024], inline=False)


def announcement_embed(event: Event, answers: dict[str, list[int]]) -> discord.Embed:
    cancelled = event.status == "cancelled"
    embed = discord.Embed(title=("Cancelled: " if cancelled else "") + plain(event.title),
                          description=plain(event.description) or None,
                          colour=CANCELLED_COLOUR if cancelled else HEARTH_COLOUR)
    embed.add_field(name="When", value=_when(event.start_at, event.end_at), inline=False)
    embed.add_field(name="Where", value=_where(event.mode, event.venue, event.area, event.link), inline=False)
    if not cancelled:
        _controls(embed, event.role_id, event.rsvp_closes_at, event.access_notes)
    going, maybe, waiting = len(answers["going"]), len(answers["maybe"]), len(answers["waitlist"])
    places = f"{going} of {event.capacity} places taken" if event.capacity else f"{going} going"
    offered = len(answers.get("offered", []))  # held for someone waiting until they take it or pass: no names
    if offered:
        places += f" · {offered} {'place' if offered == 1 else 'places'} on offer"
    if waiting:
        places += f" · {waiting} on the waitlist"
    embed.add_field(name="Going", value=places)
    embed.add_field(name="Maybe", value=str(maybe))
    embed.add_field(name="Tag", value=event.tag)
    if event.mode == "in_person" and not cancelled:
        embed.add_field(name="Meeting safely", value=MEETUP_TIP, inline=False)
    footer = ("This meetup was cancelled." if cancelled
              else "Times show in your own time zone. Tap a button to answer; you can change it any time.")
    if event.series_id is not None and not cancelled:
        footer = "One date of a repeating meetup: answer for this date only. " + footer
    if event.mode == "in_person" and not cancelled:
        footer += " At the venue, tap “I'm here” (from 30 minutes before the start)."
    embed.set_footer(text=footer)
    return embed


def list_embed(events: list[Event], counts: dict[int, int]) -> discord.Embed:
    embed = discord.Embed(title="Upcoming meetups", colour=HEARTH_COLOUR)
    if not events:
        embed.description = "Nothing planned yet. Organisers announce meetups with `/event-admin create`."
        return embed
    for event in events[:10]:
        seats = f" · {counts.get(event.id, 0)}/{event.capacity} places" if event.capacity else ""
        name = plain(event.title)
        value = (f"{timestamp(event.start_at, 'F')} ({timestamp(event.start_at, 'R')})\n"
                 f"{_where(event.mode, event.venue, event.area, event.link)}{seats}")
        if len(embed) + len(name) + len(value) > EMBED_BUDGET:  # long (escaped) titles and venues: fewer fit
            break
        embed.add_field(name=name, value=value, inline=False)
    embed.set_footer(text="Times show in your own time zone.")
    return embed


def reminder_text(event: Event, label: str, names: list[str], going: int) -> str:
    """A reminder DM: when, where, and who else is going (names only: nobody is pinged)."""
    soon = "tomorrow" if label == "24h" else "in an hour"
    lines = [f"⏰ **{plain(event.title)}** is {soon}: {timestamp(event.start_at, 'F')} "
             f"({timestamp(event.start_at, 'R')}).",
             f"📍 {_where(event.mode, event.venue, event.area, event.link)}"]
    if event.access_notes:
        lines.append(f"♿ Access: {plain(event.access_notes)}")
    if names:
        more = f" and {going - len(names)} more" if going > len(names) else ""
        lines.append(f"👥 Also going: {', '.join(plain(name) for name in names)}{more}.")
    else:
        lines.append("👥 You're the first to say yes. Others often decide on the day.")
    lines.append("When you're there, phones away: enjoy the company. Can't make it? Tap “Can't go” on the "
                 "announcement so someone on the waitlist can have your place.")
    if label == "1h" and event.mode == "in_person":
        lines.append("When you arrive, tap “I'm here” below: it helps the organisers see who made it.")
    return "\n".join(lines)

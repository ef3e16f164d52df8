"""How meetups look: the announcement with live counts, lists, and the organiser's confirmation."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.domain.events import Event
from bot.domain.safety import MEETUP_TIP
from bot.i18n import S_, _, n_, number, p_
from bot.services.events import EventDraft, tag_label
from bot.ui.formatting import HEARTH_COLOUR, plain, timestamp, web_link

CANCELLED_COLOUR = discord.Colour.dark_grey()
EMBED_BUDGET = 5800  # Discord refuses embeds over 6000 characters in all (the footer needs the rest)


def _where(mode: str, venue: str | None, area: str | None, link: str | None) -> str:
    if mode == "online":
        # Escaped, a link of brackets and spaces grows up to three times: keep it inside an embed field.
        # i18n: where an online meetup is: its join link
        return _("Online: {link}", link=web_link(link))[:900] if link else p_("meetup place", "Online")
    if area:
        # i18n: a venue and, in brackets, the town or area it is in
        return _("{venue} ({area})", venue=plain(venue), area=plain(area))
    return plain(venue)


def _when(start: datetime, end: datetime) -> str:
    # i18n: when a meetup is: {start} a date and time, {end} a time, {relative} e.g. "in 3 days"
    return _("{start} to {end} ({relative})", start=timestamp(start, "F"), end=timestamp(end, "t"),
             relative=timestamp(start, "R"))


def draft_embed(draft: EventDraft) -> discord.Embed:
    # i18n: the organiser's private preview before a meetup is posted; {title} is the meetup's title
    embed = discord.Embed(title=_("Check before posting: {title}", title=draft.title), colour=HEARTH_COLOUR,
                          description=draft.description)
    # i18n: {zone} is a time zone name such as Europe/Berlin: the start time was read in it
    embed.add_field(name=p_("meetup field", "When"),
                    value=_("{when}\nRead in {zone}.", when=_when(draft.start_at, draft.end_at), zone=draft.zone),
                    inline=False)
    embed.add_field(name=p_("meetup field", "Where"), value=_where(draft.mode, draft.venue, draft.area, draft.link),
                    inline=False)
    if draft.repeat is not None:
        dates = "\n".join(f"{timestamp(start, 'F')}" for start in draft.first_dates)
        more = "\n…" if draft.repeat.count is None or draft.repeat.count > len(draft.first_dates) else ""
        # i18n: {rule} is how it repeats ("every Tuesday at 19:00, 6 times"); {zone} a time zone name
        embed.add_field(name=p_("meetup field", "Repeats"),
                        value=_("{rule} ({zone} time)", rule=draft.repeat.describe(draft.start_at), zone=draft.zone),
                        inline=False)
        embed.add_field(name=p_("meetup field", "First dates"), value=dates + more, inline=False)
    _controls(embed, draft.role_id, draft.rsvp_closes_at, draft.access_notes)
    embed.add_field(name=p_("meetup field", "Places"),
                    value=number(draft.capacity) if draft.capacity else p_("places", "no limit"))
    embed.add_field(name=p_("meetup field", "Tag"), value=tag_label(draft.tag))
    if draft.repeat is not None:
        footer = _("Each date gets its own announcement and answers, posted when the one before it starts (or two "
                   "weeks ahead, if later). Times show in each reader's own time zone. Is this right?")
    else:
        footer = _("Times show in each reader's own time zone. Is this right?")
    embed.set_footer(text=footer)
    return embed


def _controls(embed: discord.Embed, role_id: int | None, closes_at: datetime | None,
              access_notes: str | None) -> None:
    """Who can join, when answers close, and the access notes (escaped: they never ping or format)."""
    if role_id is not None:  # a role mention shows the name; allowed_mentions none keeps it from pinging
        role = f"<@&{role_id}>"
        # i18n: {role} shows as the role's name
        embed.add_field(name=p_("meetup field", "Who can join"),
                        value=_("Open to members with the {role} role", role=role), inline=False)
    if closes_at is not None:
        # i18n: {relative} e.g. "in 2 days", {moment} a date and time
        embed.add_field(name=p_("meetup field", "Answers close"),
                        value=_("Answers close {relative} ({moment})", relative=timestamp(closes_at, "R"),
                                moment=timestamp(closes_at, "f")), inline=False)
    if access_notes:
        # i18n: a meetup's accessibility notes (step-free access, quiet space, seating)
        embed.add_field(name=p_("meetup field", "Access"), value=plain(access_notes)[:1024], inline=False)


def announcement_embed(event: Event, answers: dict[str, list[int]]) -> discord.Embed:
    """The public announcement: render it in the server's voice (bot.ui.voices.server_voice)."""
    cancelled = event.status == "cancelled"
    # i18n: the title of a cancelled meetup's announcement
    title = _("Cancelled: {title}", title=plain(event.title)) if cancelled else plain(event.title)
    embed = discord.Embed(title=title, description=plain(event.description) or None,
                          colour=CANCELLED_COLOUR if cancelled else HEARTH_COLOUR)
    embed.add_field(name=p_("meetup field", "When"), value=_when(event.start_at, event.end_at), inline=False)
    embed.add_field(name=p_("meetup field", "Where"), value=_where(event.mode, event.venue, event.area, event.link),
                    inline=False)
    if not cancelled:
        _controls(embed, event.role_id, event.rsvp_closes_at, event.access_notes)
    going, maybe, waiting = len(answers["going"]), len(answers["maybe"]), len(answers["waitlist"])
    if event.capacity:
        # i18n: {count} is the number of places; {going} how many of them are taken
        places = n_("{going} of {count} places taken", "{going} of {count} places taken", event.capacity,
                    going=number(going))
    else:
        places = n_("{count} going", "{count} going", going)
    offered = len(answers.get("offered", []))  # held for someone waiting until they take it or pass: no names
    parts = [places]
    if offered:
        # i18n: places held for members from the waitlist until they take or pass them
        parts.append(n_("{count} place on offer", "{count} places on offer", offered))
    if waiting:
        parts.append(n_("{count} on the waitlist", "{count} on the waitlist", waiting))
    embed.add_field(name=p_("meetup field", "Going"), value=" · ".join(parts))
    embed.add_field(name=p_("meetup field", "Maybe"), value=number(maybe))
    embed.add_field(name=p_("meetup field", "Tag"), value=tag_label(event.tag))
    if event.mode == "in_person" and not cancelled:
        # i18n: the heading of the meeting-safety tip on an in-person meetup's announcement
        embed.add_field(name=S_("Meeting safely"), value=S_(MEETUP_TIP), inline=False)
    embed.set_footer(text=_announcement_footer(event, cancelled))
    return embed


def _announcement_footer(event: Event, cancelled: bool) -> str:
    if cancelled:
        return _("This meetup was cancelled.")
    repeating, in_person = event.series_id is not None, event.mode == "in_person"
    if repeating and in_person:
        # i18n: “I'm here” is the button on the announcement (the same word as on the button)
        return _("One date of a repeating meetup: answer for this date only. Times show in your own time zone. Tap "
                 "a button to answer; you can change it any time. At the venue, tap “I'm here” (from 30 minutes "
                 "before the start).")
    if repeating:
        return _("One date of a repeating meetup: answer for this date only. Times show in your own time zone. Tap "
                 "a button to answer; you can change it any time.")
    if in_person:
        # i18n: “I'm here” is the button on the announcement (the same word as on the button)
        return _("Times show in your own time zone. Tap a button to answer; you can change it any time. At the "
                 "venue, tap “I'm here” (from 30 minutes before the start).")
    return _("Times show in your own time zone. Tap a button to answer; you can change it any time.")


def list_embed(events: list[Event], counts: dict[int, int]) -> discord.Embed:
    embed = discord.Embed(title=_("Upcoming meetups"), colour=HEARTH_COLOUR)
    if not events:
        embed.description = _("Nothing planned yet. Organisers announce meetups with `/event-admin create`.")
        return embed
    for event in events[:10]:
        where = _where(event.mode, event.venue, event.area, event.link)
        if event.capacity:
            # i18n: {taken} of {count} places are taken, e.g. "3/10 places"
            where += " · " + n_("{taken}/{count} places", "{taken}/{count} places", event.capacity,
                                taken=number(counts.get(event.id, 0)))
        name = plain(event.title)
        value = f"{timestamp(event.start_at, 'F')} ({timestamp(event.start_at, 'R')})\n{where}"
        if len(embed) + len(name) + len(value) > EMBED_BUDGET:  # long (escaped) titles and venues: fewer fit
            break
        embed.add_field(name=name, value=value, inline=False)
    embed.set_footer(text=_("Times show in your own time zone."))
    return embed


def reminder_text(event: Event, label: str, names: list[str], going: int) -> str:
    """A reminder DM: when, where, and who else is going (names only: nobody is pinged)."""
    when, relative = timestamp(event.start_at, "F"), timestamp(event.start_at, "R")
    title = plain(event.title)
    if label == "24h":
        first = _("⏰ **{title}** is tomorrow: {when} ({relative}).", title=title, when=when, relative=relative)
    else:
        first = _("⏰ **{title}** is in an hour: {when} ({relative}).", title=title, when=when, relative=relative)
    lines = [first, f"📍 {_where(event.mode, event.venue, event.area, event.link)}"]
    if event.access_notes:
        lines.append(_("♿ Access: {notes}", notes=plain(event.access_notes)))
    if names:
        listed = ", ".join(plain(name) for name in names)
        if going > len(names):
            # i18n: {names} is a list of members' names; {count} how many more are going besides them
            lines.append(n_("👥 Also going: {names} and {count} more.", "👥 Also going: {names} and {count} more.",
                            going - len(names), names=listed))
        else:
            lines.append(_("👥 Also going: {names}.", names=listed))
    else:
        lines.append(_("👥 You're the first to say yes. Others often decide on the day."))
    # i18n: “Can't go” is the button on the announcement (the same word as on the button)
    lines.append(_("When you're there, phones away: enjoy the company. Can't make it? Tap “Can't go” on the "
                   "announcement so someone on the waitlist can have your place."))
    if label == "1h" and event.mode == "in_person":
        # i18n: “I'm here” is the button below this message
        lines.append(_("When you arrive, tap “I'm here” below: it helps the organisers see who made it."))
    return "\n".join(lines)

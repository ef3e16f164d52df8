"""How nudges look: the member's status, the digest, the kind words, buddy suggestions, the server digest.

Names are plain text (never mentions), times are Discord timestamps, and organisers' text is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import discord

from bot.domain.events import Event
from bot.domain.moods import weekday_text
from bot.i18n import N_, S_, _, n_, p_
from bot.services.nudge_meetups import BuddySuggestion, ServerDigest
from bot.services.nudges import Digest, KindWord, NudgeStatus
from bot.ui.formatting import HEARTH_COLOUR, plain, timestamp, web_link

# i18n: the footer of every nudge DM
FOOTER = N_("Only you get this. At most one nudge a week, never in your quiet hours.")


def announcement_url(event: Event) -> str | None:
    if event.channel_id and event.message_id:
        return f"https://discord.com/channels/{event.guild_id}/{event.channel_id}/{event.message_id}"
    return None


def meetup_line(event: Event) -> str:
    if event.mode == "online":
        # i18n: where a meetup is, in a one-line list of meetups
        where = p_("meetup place", "online")
    else:
        # i18n: where a meetup is, when it gave no area or venue
        where = plain(event.area or event.venue or p_("meetup place", "in person"))
    line = f"**{plain(event.title)}** · {timestamp(event.start_at, 'f')} ({timestamp(event.start_at, 'R')}) · {where}"
    url = announcement_url(event)
    if url is None:
        return line
    # i18n: a link to a meetup's announcement, at the end of its line in a list
    details = p_("link", "details")
    return f"{line} · [{details}]({url})"


def _lines(events: Sequence[Event], limit: int = 1024) -> str:
    text = ""
    for event in events:
        line = meetup_line(event)
        if len(text) + len(line) + 1 > limit:
            break
        text += line + "\n"
    return text.rstrip()


def _together(names: Sequence[str]) -> str:
    """"**Sam**", "**Sam** and **Alex**": a few buddies' names."""
    text = names[0]
    for name in names[1:]:
        # i18n: two names of people (or a list of names and one more): "**Sam** and **Alex**"
        text = _("{one} and {other}", one=text, other=name)
    return text


def _buddy_names(buddies: Sequence[int], names: Mapping[int, str]) -> str:
    # i18n: in place of a buddy's name, when Hearth can't find it
    unknown = p_("fallback name", "your buddy")
    return _together([f"**{plain(names.get(b) or unknown)}**" for b in buddies])


def status_text(status: NudgeStatus, guild_name: str | None) -> str:
    prefs = status.prefs
    if prefs is None or not prefs.any_enabled:
        return _("Nudges are off. `/nudges on` gets you a weekly digest of meetups near you (or online) and, if you "
                 "like, a kind word when you've gone quiet: by DM, at your local time, at most one nudge a week.")
    if guild_name:
        # i18n: {server} is the server's name
        lines = [_("Nudges are on, for **{server}**'s meetups and buddies:", server=plain(guild_name))]
    else:
        lines = [_("Nudges are on, for the server you chose's meetups and buddies:")]
    if prefs.digest_enabled:
        weekday, at = weekday_text(prefs.digest_weekday), f"{prefs.local_time:%H:%M}"
        if prefs.digest_every_weeks == 1:
            # i18n: {weekday} is a day's name, such as "Friday"; {time} is such as 18:30
            line = _("• **Digest**: every {weekday} at {time} your time: meetups in your area or online that week, "
                     "your buddy, one idea for being present.", weekday=weekday, time=at)
        else:
            # i18n: {weekday} is a day's name, such as "Friday"; {time} is such as 18:30
            line = _("• **Digest**: every other {weekday} at {time} your time: meetups in your area or online that "
                     "week, your buddy, one idea for being present.", weekday=weekday, time=at)
        if status.next_digest_at is not None:
            # i18n: when the next digest comes: {relative} is such as "in 3 days", {moment} a date and time
            line += " " + _("Next: {relative} ({moment}).", relative=timestamp(status.next_digest_at, "R"),
                            moment=timestamp(status.next_digest_at, "f"))
        lines.append(line)
    else:
        lines.append(_("• Digest: off."))
    if prefs.quiet_enabled:
        lines.append(n_("• **Quiet-member check**: if you've had no check-in, RSVP or buddy news for {count} day, "
                        "or a few hard days, one kind message with a small next step.",
                        "• **Quiet-member check**: if you've had no check-in, RSVP or buddy news for {count} days, "
                        "or a few hard days, one kind message with a small next step.", prefs.quiet_days))
    else:
        lines.append(_("• Quiet-member check: off."))
    if prefs.buddy_enabled:
        lines.append(_("• **Buddy suggestions**: a meetup you and your buddy could go to, if you haven't met by "
                       "halfway through a round."))
    else:
        lines.append(_("• **Buddy suggestions**: off."))
    # i18n: **Less often** and **Stop** are the names of the two buttons on every nudge
    lines.append(_("At most one nudge a week, never in your quiet hours; every message has **Less often** and "
                   "**Stop** buttons. `/nudges off` stops everything."))
    return "\n".join(lines)


def digest_embed(digest: Digest, guild_name: str, names: Mapping[int, str]) -> discord.Embed:
    # i18n: the title of the weekly digest DM; {server} is the server's name
    embed = discord.Embed(title=_("Your week ahead in {server}", server=guild_name)[:256], colour=HEARTH_COLOUR)
    if digest.meetups:
        meetups = _lines(digest.meetups, 3800)
        if digest.area:
            # i18n: {area} is the member's area, such as a town; {meetups} is a list, one meetup a line
            embed.description = _("Meetups in {area} or online in the next seven days:\n{meetups}",
                                  area=digest.area, meetups=meetups)
        else:
            embed.description = _("Meetups in person or online in the next seven days:\n{meetups}", meetups=meetups)
    elif digest.area:
        embed.description = _("No meetups in {area} or online on the calendar this week. Organisers add them all "
                              "the time; `/event list` shows what's further ahead.", area=digest.area)
    else:
        embed.description = _("No meetups in person or online on the calendar this week. Organisers add them all "
                              "the time; `/event list` shows what's further ahead.")
    if digest.buddies:
        who = _buddy_names(digest.buddies, names)
        if digest.met:
            # i18n: {who} is the names of the member's buddies
            value = _("You and {who} said you met this round. Lovely!", who=who)
        else:
            # i18n: {who} is the names of the member's buddies, {count} how many there are
            value = n_("Your buddy this round is {who}. A meetup above could be an easy first step together.",
                       "Your buddies this round are {who}. A meetup above could be an easy first step together.",
                       len(digest.buddies), who=who)
    elif digest.in_pool:
        value = _("No buddy this round; you're in the pool for the next one.")
    else:
        value = _("Fancy a buddy to meet? `/buddy join` pairs you with someone nearby.")
    # i18n: a heading in the weekly digest
    embed.add_field(name=_("Your buddy"), value=value, inline=False)
    # i18n: a heading in the weekly digest, above one idea for being present with people
    embed.add_field(name=_("Being there"), value=_(digest.suggestion), inline=False)
    if digest.every_weeks == 1:
        footer = _("Your digest, every week, because you asked for it. Only you get this.")
    else:
        footer = _("Your digest, every other week, because you asked for it. Only you get this.")
    embed.set_footer(text=footer)
    return embed


def kind_word_embed(word: KindWord, name: str, guild_name: str, buddy_name: str | None) -> discord.Embed:
    """Never guilt: no counts of days missed, nothing to catch up on, always a way out. The low-check-ins word
    is a safe-messaging text (S_), like the hard-day answer to a check-in."""
    if word.kind == "low":
        # i18n: a DM after a few low check-ins; {name} is the member's name. Warm, never alarming, no guilt.
        embed = discord.Embed(title=S_("A gentle hello 💛"), colour=HEARTH_COLOUR, description=S_(
            "Hi {name}. Your last few check-ins sounded heavy. Thank you for telling Hearth how you are: that "
            "takes something. You don't have to carry it alone, and there's nothing you need to do. If one small "
            "step would help, here are a few:", name=plain(name)))
        support = "\n".join(part for part in (plain(word.support_text), web_link(word.support_url)) if part)
        # i18n: a heading above the support resources a server's organisers wrote; {server} is its name
        embed.add_field(name=S_("{server}'s support", server=guild_name)[:256],
                        value=(support or S_("Any moderator of the server is there to listen."))[:1024], inline=False)
    else:
        # i18n: a DM when a member has gone quiet for a while; {name} is their name, {server} the server's name
        embed = discord.Embed(title=_("Thinking of you 🌿"), colour=HEARTH_COLOUR, description=_(
            "Hi {name}, just a friendly hello from {server}. No pressure and nothing to catch up on. Whenever you "
            "feel like it, one small step:", name=plain(name), server=guild_name))
    if buddy_name:
        # i18n: {name} is the member's buddy's name
        hello = _("**{name}** would probably love to hear from you. A short hello is plenty.", name=plain(buddy_name))
        embed.add_field(name=_("Your buddy"), value=hello, inline=False)
    if word.meetup is not None:
        embed.add_field(name=_("A meetup coming up"), value=meetup_line(word.meetup)[:1024], inline=False)
    if word.kind == "low":
        embed.add_field(name=S_("If things feel unsafe"), value=S_(
            "Please call your local emergency number or a helpline now: `/about` lists the ones for where you "
            "are."), inline=False)
    else:
        # With no buddy and no meetup to offer, the check-in is the one small step the hello promised.
        # i18n: a heading whose text follows below it: "Or just" / "`/checkin` takes a few seconds, …"
        step = _("Or just") if buddy_name or word.meetup is not None else _("One small step")
        embed.add_field(name=step, value=_("`/checkin` takes a few seconds, and it's only for you."), inline=False)
    embed.set_footer(text=_(FOOTER))
    return embed


def buddy_suggestion_text(suggestion: BuddySuggestion, names: Mapping[int, str]) -> str:
    # i18n: a DM halfway through a buddy round; {who} is the buddies' names, {meetup} one meetup on a line of its
    # own. No pressure.
    return _("Halfway through the buddy round, and no news yet of you and {who} meeting, which is completely fine. "
             "If it would help, here's one meetup you could go to together before the round ends:\n{meetup}\n"
             "Going together can make a first meetup a lot easier. No need to reply.",
             who=_buddy_names(suggestion.buddies, names), meetup=meetup_line(suggestion.meetup))


def server_digest_embed(digest: ServerDigest) -> discord.Embed:
    """Posted in the server's announcements channel: render it in the server's voice."""
    embed = discord.Embed(title=_("Meetups this week"), colour=HEARTH_COLOUR,
                          description=_lines(digest.meetups, 4000))
    embed.set_footer(text=_("RSVP on each announcement. Phones away, listen well, and enjoy each other's company."))
    return embed

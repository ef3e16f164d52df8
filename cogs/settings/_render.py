"""How a member's settings look."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import discord

from bot.domain.members import MemberSettings
from bot.i18n import N_, _, current_voice, p_
from bot.i18n.languages import language_of_code
from bot.services.members import describe_quiet_hours
from bot.ui.formatting import HEARTH_COLOUR, timestamp

MEETUP_REMINDERS = {
    # i18n: when meetup reminders come, in /settings show ("a day and an hour before (`/event reminders` …)")
    "both": N_("a day and an hour before"),
    # i18n: when meetup reminders come, in /settings show
    "day": N_("a day before"),
    # i18n: when meetup reminders come, in /settings show
    "hour": N_("an hour before"),
    # i18n: meetup reminders turned off, in /settings show
    "off": N_("none"),
}


def language_text(settings: MemberSettings) -> str:
    """Which language Hearth speaks with this member, and why (their choice, or their Discord app's)."""
    chosen = language_of_code(settings.language)
    if chosen is not None:
        # i18n: /settings show; {language} is a language's own name ("Deutsch"), never translated
        return _("{language} (chosen)", language=chosen.name)
    # i18n: /settings show, when Hearth follows the member's Discord app; {language} is its own name ("Deutsch")
    # Not the stored locale: this interaction's, which is the one being spoken (and remembered on the next flush).
    return _("{language} (your Discord language)", language=current_voice().language.name)


def settings_embed(settings: MemberSettings, now: datetime, *, headline: str | None = None) -> discord.Embed:
    embed = discord.Embed(title=_("Your Hearth settings"), description=headline, colour=HEARTH_COLOUR)
    # i18n: a field name in /settings show
    zone_field = _("Time zone")
    if settings.timezone:
        local = now.astimezone(ZoneInfo(settings.timezone))
        # i18n: {zone} is a time zone such as Europe/London, {time} the time of day there (24-hour clock)
        embed.add_field(name=zone_field, value=_("{zone} (it's {time} there now)", zone=settings.timezone,
                                                 time=local.strftime("%H:%M")), inline=False)
    else:
        embed.add_field(name=zone_field, value=_("not set: use `/settings timezone`"), inline=False)
    # i18n: a field name in /settings show: hours when Hearth sends the member nothing
    embed.add_field(name=_("Quiet hours"), value=describe_quiet_hours(settings.quiet_start, settings.quiet_end),
                    inline=True)
    # i18n: direct messages from Hearth are allowed
    dms = p_("setting value", "on") if settings.dms_enabled else p_("setting value", "off")
    if settings.dms_enabled and settings.dms_closed_at is not None:
        # i18n: /settings show; {when} is a moment shown by Discord ("2 days ago")
        dms = _("on, but Discord refused my last DM ({when}). Allow DMs from server members, then run "
                "`/settings dms on`.", when=timestamp(settings.dms_closed_at, "R"))
    # i18n: a field name in /settings show
    embed.add_field(name=_("Direct messages"), value=dms, inline=True)
    reminders = MEETUP_REMINDERS.get(settings.event_reminders or "both", MEETUP_REMINDERS["both"])
    # i18n: a field name in /settings show; {reminders} says when they come ("a day before")
    embed.add_field(name=_("Meetup reminders"), value=_("{reminders} (`/event reminders` changes it)",
                                                        reminders=_(reminders)), inline=False)
    # i18n: a field name in /settings show: the language Hearth speaks with the member
    embed.add_field(name=_("Language"), value=_("{language} (`/settings language` changes it)",
                                                language=language_text(settings)), inline=False)
    embed.set_footer(text=_("Only you can see this."))
    return embed

"""How a member's settings look."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import discord

from bot.domain.members import MemberSettings
from bot.services.members import describe_quiet_hours
from bot.ui.formatting import HEARTH_COLOUR, timestamp

MEETUP_REMINDERS = {"both": "a day and an hour before", "day": "a day before", "hour": "an hour before",
                    "off": "none"}


def settings_embed(settings: MemberSettings, now: datetime, *, headline: str | None = None) -> discord.Embed:
    embed = discord.Embed(title="Your Hearth settings", description=headline, colour=HEARTH_COLOUR)
    if settings.timezone:
        local = now.astimezone(ZoneInfo(settings.timezone))
        embed.add_field(name="Time zone", value=f"{settings.timezone} (it's {local:%H:%M} there now)", inline=False)
    else:
        embed.add_field(name="Time zone", value="not set: use `/settings timezone`", inline=False)
    embed.add_field(name="Quiet hours", value=describe_quiet_hours(settings.quiet_start, settings.quiet_end),
                    inline=True)
    dms = "on" if settings.dms_enabled else "off"
    if settings.dms_enabled and settings.dms_closed_at is not None:
        dms = (f"on, but Discord refused my last DM ({timestamp(settings.dms_closed_at, 'R')}). "
               "Allow DMs from server members, then run `/settings dms on`.")
    embed.add_field(name="Direct messages", value=dms, inline=True)
    reminders = MEETUP_REMINDERS.get(settings.event_reminders or "both", MEETUP_REMINDERS["both"])
    embed.add_field(name="Meetup reminders", value=f"{reminders} (`/event reminders` changes it)", inline=False)
    embed.set_footer(text="Only you can see this.")
    return embed

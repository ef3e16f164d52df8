"""How the server's setup looks, and what Hearth cannot do in the chosen channels."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import discord

from bot.domain.guilds import GuildSettings
from bot.ui.formatting import HEARTH_COLOUR, channel_mention, role_mention, timestamp

# What Hearth must be able to do in each configured channel.
_CHANNEL_NEEDS = {
    "announcements_channel_id": ("announcements", ("view_channel", "send_messages", "embed_links")),
    "events_channel_id": ("events", ("view_channel", "send_messages", "embed_links")),
    "buddies_channel_id": ("buddies", ("view_channel", "send_messages", "create_private_threads",
                                       "send_messages_in_threads")),
}


LEAVE_NOTICED_AT_ONCE = "members who leave are noticed at once"
LEAVE_NOTICED_LATER = "members who leave are noticed the next time Hearth tries to reach them"


def leave_mode(members_intent: bool) -> str:
    """How Hearth learns that a member left: the Server Members intent brings it at once; without it, only
    a failed attempt to reach them does."""
    return LEAVE_NOTICED_AT_ONCE if members_intent else LEAVE_NOTICED_LATER


def _days(days: int) -> str:
    return f"{days} day{'s' if days != 1 else ''}"


def privacy_lines(settings: GuildSettings, members_intent: bool) -> list[str]:
    """The server's trust settings as sentences (`/hearth privacy` and `/hearth status`)."""
    default = " (the default)"
    return [
        f"**Check-in notes kept:** {_days(settings.notes_retention)}"
        f"{default if settings.notes_retention_days is None else ''}, then removed",
        f"**A member who leaves:** their data here is removed {_days(settings.leave_grace)} after they leave"
        f"{default if settings.leave_grace_days is None else ''}; {leave_mode(members_intent)}",
        f"**Minimum age** for buddies and in-person meetups: {settings.min_age or 'none'}",
    ]


def status_embed(settings: GuildSettings, guild: discord.Guild, now: datetime, *,
                 members_intent: bool = False, shard_count: int | None = None) -> discord.Embed:
    embed = discord.Embed(title=f"Hearth on {guild.name}", colour=HEARTH_COLOUR)
    if settings.timezone:
        local = now.astimezone(ZoneInfo(settings.timezone))
        zone_text = f"{settings.timezone} (it's {local:%H:%M} there now)"
    else:
        zone_text = "not set: rounds and events need it (`/hearth setup timezone:`)"
    embed.add_field(name="Time zone", value=zone_text, inline=False)
    embed.add_field(name="Announcements", value=channel_mention(settings.announcements_channel_id))
    embed.add_field(name="Buddies", value=channel_mention(settings.buddies_channel_id))
    embed.add_field(name="Events", value=channel_mention(settings.events_channel_id))
    embed.add_field(name="Organiser role", value=role_mention(settings.organiser_role_id), inline=False)
    embed.add_field(name="Privacy", value="\n".join(privacy_lines(settings, members_intent)), inline=False)
    if shard_count and shard_count > 1:  # what the bot's operator asks for when one server has trouble
        embed.add_field(name="Shard", value=f"{guild.shard_id} of {shard_count} (numbered from 0)", inline=False)
    if settings.updated_at is not None:
        embed.set_footer(text="Only you can see this.")
        # No one named once the organiser who changed it deleted their data (`/privacy delete`).
        by = f" by <@{settings.updated_by}>" if settings.updated_by is not None else ""
        embed.add_field(name="Last changed", value=f"{timestamp(settings.updated_at, 'R')}{by}", inline=False)
    else:
        embed.description = "Hearth isn't set up here yet. Start with `/hearth setup`."
    return embed


def channel_warnings(settings: GuildSettings, guild: discord.Guild) -> list[str]:
    """Plain sentences for each configured channel Hearth can't use as it needs to."""
    warnings = []
    me = guild.me
    for field, (label, needed) in _CHANNEL_NEEDS.items():
        channel_id = getattr(settings, field)
        if channel_id is None:
            continue
        channel = guild.get_channel(channel_id)
        if channel is None:
            warnings.append(f"The {label} channel no longer exists; pick another with `/hearth setup`.")
            continue
        granted = channel.permissions_for(me)
        missing = [name.replace("_", " ") for name in needed if not getattr(granted, name)]
        if missing:
            warnings.append(f"In {channel.mention} I'm missing: {', '.join(missing)}.")
    return warnings


def support_text(settings: GuildSettings) -> str:
    """What members see on hard days, as organisers set it."""
    lines = [
        f"**Support resources shown to members:** {settings.support_text or 'not set'}",
        f"**Link:** {settings.support_url or 'not set'}",
        f"**Reach-out requests go to:** {channel_mention(settings.support_channel_id)}",
    ]
    if settings.support_channel_id is None:
        lines.append("Without a support channel, members in crisis see helplines but can't ask a moderator "
                     "to reach out.")
    return "\n".join(lines)

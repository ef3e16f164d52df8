"""How the server's setup looks, and what Hearth cannot do in the chosen channels."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import discord

from bot.domain.guilds import GuildSettings
from bot.i18n import N_, _, n_, number, p_
from bot.ui.formatting import HEARTH_COLOUR, timestamp

# What Hearth must be able to do in each configured channel, and what an organiser reads when it is gone.
_CHANNEL_NEEDS = {
    "announcements_channel_id": (
        # i18n: a warning in /hearth setup and /hearth status
        N_("The announcements channel no longer exists; pick another with `/hearth setup`."),
        ("view_channel", "send_messages", "embed_links")),
    "events_channel_id": (
        # i18n: a warning in /hearth setup and /hearth status
        N_("The events channel no longer exists; pick another with `/hearth setup`."),
        ("view_channel", "send_messages", "embed_links")),
    "buddies_channel_id": (
        # i18n: a warning in /hearth setup and /hearth status
        N_("The buddies channel no longer exists; pick another with `/hearth setup`."),
        ("view_channel", "send_messages", "create_private_threads", "send_messages_in_threads")),
}

# Discord's permissions, as an organiser finds them in the channel's settings (lower case: listed in a sentence).
_PERMISSIONS = {
    # i18n: a Discord permission, in "In #events I'm missing: view channel, send messages." Use Discord's own name
    # for it in your language, in lower case
    "view_channel": N_("view channel"),
    # i18n: a Discord permission, in "In #events I'm missing: view channel, send messages." (Discord's own name)
    "send_messages": N_("send messages"),
    # i18n: a Discord permission, in "In #events I'm missing: embed links." (Discord's own name)
    "embed_links": N_("embed links"),
    # i18n: a Discord permission, in "In #buddies I'm missing: create private threads." (Discord's own name)
    "create_private_threads": N_("create private threads"),
    # i18n: a Discord permission, in "In #buddies I'm missing: send messages in threads." (Discord's own name)
    "send_messages_in_threads": N_("send messages in threads"),
}

# i18n: how Hearth learns a member left, in /hearth privacy ("…removed 30 days after they leave; members who…")
LEAVE_NOTICED_AT_ONCE = N_("members who leave are noticed at once")
# i18n: how Hearth learns a member left, in /hearth privacy ("…removed 30 days after they leave; members who…")
LEAVE_NOTICED_LATER = N_("members who leave are noticed the next time Hearth tries to reach them")


def leave_mode(members_intent: bool) -> str:
    """How Hearth learns that a member left: the Server Members intent brings it at once; without it, only
    a failed attempt to reach them does."""
    mode = LEAVE_NOTICED_AT_ONCE if members_intent else LEAVE_NOTICED_LATER
    return _(mode)


def _not_set() -> str:
    # i18n: a setting nobody chose yet ("**Link:** not set")
    return p_("setting value", "not set")


def _channel(channel_id: int | None) -> str:
    return f"<#{channel_id}>" if channel_id else _not_set()


def _role(role_id: int | None) -> str:
    return f"<@&{role_id}>" if role_id else _not_set()


def _notes_line(settings: GuildSettings) -> str:
    days = settings.notes_retention
    if settings.notes_retention_days is None:
        return n_("**Check-in notes kept:** {count} day (the default), then removed",
                  "**Check-in notes kept:** {count} days (the default), then removed", days)
    return n_("**Check-in notes kept:** {count} day, then removed",
              "**Check-in notes kept:** {count} days, then removed", days)


def _leave_line(settings: GuildSettings, members_intent: bool) -> str:
    days, mode = settings.leave_grace, leave_mode(members_intent)
    if settings.leave_grace_days is None:
        # i18n: {mode} is how Hearth notices a member left, such as "members who leave are noticed at once"
        return n_("**A member who leaves:** their data here is removed {count} day after they leave (the default); "
                  "{mode}",
                  "**A member who leaves:** their data here is removed {count} days after they leave (the default); "
                  "{mode}", days, mode=mode)
    # i18n: {mode} is how Hearth notices a member left, such as "members who leave are noticed at once"
    return n_("**A member who leaves:** their data here is removed {count} day after they leave; {mode}",
              "**A member who leaves:** their data here is removed {count} days after they leave; {mode}",
              days, mode=mode)


def privacy_lines(settings: GuildSettings, members_intent: bool) -> list[str]:
    """The server's trust settings as sentences (`/hearth privacy` and `/hearth status`)."""
    # i18n: the minimum age when the server sets none
    age = number(settings.min_age) if settings.min_age else p_("minimum age", "none")
    return [
        _notes_line(settings),
        _leave_line(settings, members_intent),
        _("**Minimum age** for buddies and in-person meetups: {age}", age=age),
    ]


def status_embed(settings: GuildSettings, guild: discord.Guild, now: datetime, *,
                 members_intent: bool = False, shard_count: int | None = None) -> discord.Embed:
    # i18n: the title of /hearth status; {server} is the server's name
    embed = discord.Embed(title=_("Hearth on {server}", server=guild.name), colour=HEARTH_COLOUR)
    if settings.timezone:
        local = now.astimezone(ZoneInfo(settings.timezone))
        # i18n: {zone} is a time zone such as Europe/London, {time} the time of day there (24-hour clock)
        zone_text = _("{zone} (it's {time} there now)", zone=settings.timezone, time=local.strftime("%H:%M"))
    else:
        zone_text = _("not set: rounds and events need it (`/hearth setup timezone:`)")
    embed.add_field(name=p_("field name", "Time zone"), value=zone_text, inline=False)
    # i18n: the channel where Hearth posts the weekly digest and news
    embed.add_field(name=p_("field name", "Announcements"), value=_channel(settings.announcements_channel_id))
    # i18n: the channel where buddy pairs get their private threads
    embed.add_field(name=p_("field name", "Buddies"), value=_channel(settings.buddies_channel_id))
    # i18n: the channel where meetups are announced
    embed.add_field(name=p_("field name", "Events"), value=_channel(settings.events_channel_id))
    embed.add_field(name=p_("field name", "Organiser role"), value=_role(settings.organiser_role_id), inline=False)
    embed.add_field(name=p_("field name", "Privacy"), value="\n".join(privacy_lines(settings, members_intent)),
                    inline=False)
    if shard_count and shard_count > 1:  # what the bot's operator asks for when one server has trouble
        # i18n: which of the bot's processes (shards) serves this server, for the bot's operator
        embed.add_field(name=p_("field name", "Shard"),
                        value=_("{shard} of {count} (numbered from 0)", shard=number(guild.shard_id),
                                count=number(shard_count)), inline=False)
    if settings.updated_at is not None:
        embed.set_footer(text=_("Only you can see this."))
        # No one named once the organiser who changed it deleted their data (`/privacy delete`).
        when, organiser = timestamp(settings.updated_at, "R"), f"<@{settings.updated_by}>"
        # i18n: when the setup last changed ("3 days ago", shown by Discord in the reader's language) and by whom
        changed = (_("{when} by {organiser}", when=when, organiser=organiser)
                   if settings.updated_by is not None else when)
        embed.add_field(name=p_("field name", "Last changed"), value=changed, inline=False)
    else:
        embed.description = _("Hearth isn't set up here yet. Start with `/hearth setup`.")
    return embed


def channel_warnings(settings: GuildSettings, guild: discord.Guild) -> list[str]:
    """Plain sentences for each configured channel Hearth can't use as it needs to."""
    warnings = []
    me = guild.me
    for field, (gone, needed) in _CHANNEL_NEEDS.items():
        channel_id = getattr(settings, field)
        if channel_id is None:
            continue
        channel = guild.get_channel(channel_id)
        if channel is None:
            warnings.append(_(gone))
            continue
        granted = channel.permissions_for(me)
        missing = [_(_PERMISSIONS[name]) for name in needed if not getattr(granted, name)]
        if missing:
            # i18n: {channel} is a channel, {permissions} a list of Discord permissions ("view channel, embed links")
            warnings.append(_("In {channel} I'm missing: {permissions}.", channel=channel.mention,
                              permissions=", ".join(missing)))
    return warnings


def support_text(settings: GuildSettings) -> str:
    """What members see on hard days, as organisers set it."""
    lines = [
        _("**Support resources shown to members:** {text}", text=settings.support_text or _not_set()),
        _("**Link:** {link}", link=settings.support_url or _not_set()),
        _("**Reach-out requests go to:** {channel}", channel=_channel(settings.support_channel_id)),
    ]
    if settings.support_channel_id is None:
        lines.append(_("Without a support channel, members in crisis see helplines but can't ask a moderator "
                       "to reach out."))
    return "\n".join(lines)

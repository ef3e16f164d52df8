"""Private-thread introductions (buddy groups, going-together groups), safe to run again after a crash."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Literal

import discord

from bot.i18n import _

log = logging.getLogger(__name__)

ArchiveMinutes = Literal[60, 1440, 4320, 10080]  # the durations Discord accepts

# A thread opened by a run that crashed is at most this much older than the run's own start time.
_ADOPT_SLACK = timedelta(minutes=1)


UNKNOWN_MEMBER = 10007  # Discord: the user is not a member of this server


def names_together(names: Sequence[str]) -> str:
    """A group as an intro names it: "@Ann", "@Ann and @Bo", "@Ann, @Bo and @Cy"."""
    if len(names) == 1:
        return names[0]
    # i18n: the people of a group: {names} is all but the last, separated by commas ("@Ann, @Bo"), {last} the last
    return _("{names} and {last}", names=", ".join(names[:-1]), last=names[-1])


async def get_or_fetch_member(guild: discord.Guild | None, user_id: int,
                              gone: list[int] | None = None) -> discord.Member | None:
    """The member from the cache, else from Discord; None when they left (or Discord would not say).

    `gone` collects who Discord said is not in the server (Unknown Member): without the members intent, that
    is how Hearth learns someone left (the caller tells the privacy service)."""
    if guild is None:
        return None
    member = guild.get_member(user_id)
    if member is not None:
        return member
    try:
        return await guild.fetch_member(user_id)
    except discord.HTTPException as error:
        if gone is not None and isinstance(error, discord.NotFound) and error.code == UNKNOWN_MEMBER:
            gone.append(user_id)
        return None


def opened_before(channel: object, name: str, since: datetime) -> discord.Thread | None:
    """A thread called `name` opened since `since`: one a crashed run opened but never recorded."""
    if not isinstance(channel, discord.TextChannel):
        return None
    return next((thread for thread in channel.threads if thread.name == name and thread.created_at is not None
                 and thread.created_at >= since - _ADOPT_SLACK), None)


async def open_intro_thread(channel: object, *, name: str, members: Sequence[discord.Member], text: str,
                            since: datetime | None, archive_minutes: ArchiveMinutes = 10080,
                            view: discord.ui.View | None = None,
                            gone: list[int] | None = None) -> discord.Thread | None:
    """Open a private thread, add `members` and post `text` addressed to them; None when that is impossible
    (no channel, no permission, Discord refused: the caller falls back to DMs). `gone` collects a member
    Discord would not add because they are no longer in the server (see `get_or_fetch_member`).

    With `since` (when the run that introduces them started), a thread of the same name opened since then by
    a run that crashed is adopted and finished instead of a second one: members added again (harmless), and
    the intro posted only when the thread is still empty.
    """
    if not isinstance(channel, discord.TextChannel) or not members:
        return None
    name = name[:100]
    opened = opened_before(channel, name, since) if since is not None else None
    try:
        thread = opened or await channel.create_thread(
            name=name, type=discord.ChannelType.private_thread, invitable=False,
            auto_archive_duration=archive_minutes)
        for member in members:
            try:
                await thread.add_user(member)  # adding someone already there changes nothing
            except discord.NotFound as error:
                if gone is not None and error.code == UNKNOWN_MEMBER:
                    gone.append(member.id)
                raise
        if opened is not None and [message async for message in opened.history(limit=1)]:
            return thread  # the intro went out before the crash
        # This message deliberately addresses the group, so it may mention (and notify) them.
        await thread.send(text, allowed_mentions=discord.AllowedMentions(users=list(members)),
                          view=view or discord.utils.MISSING)
    except discord.HTTPException as error:
        log.warning("could not open the private thread %r in #%s (%s); falling back to DMs", name, channel.name,
                    error)
        return None
    return thread

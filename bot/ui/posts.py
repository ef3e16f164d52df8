"""Posting in a server's channels, with one policy for when it fails.

- The channel is gone, or Hearth may not post there (NotFound, Forbidden): logged with the guild and
  channel, and None returned, so the caller falls back (a DM, a sentence to the organiser) and
  `/hearth status` shows the organiser what to fix. Never retried: it would fail the same way.
- Discord is busy or unwell (429, 5xx): for due work, `SendLater`, so the row is retried with backoff;
  inside an interaction, logged and None (the member is answered; nothing waits on a retry).
- Anything else (a request we built wrong) is a bug and raised, for the runner or the error handler.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.utils import MISSING

from bot.ui.dm import SendLater, nonce_for

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)

Postable = discord.TextChannel | discord.Thread


def postable(bot: HearthBot, channel_id: int | None) -> Postable | None:
    """The channel or thread, if Hearth can still see it."""
    channel = bot.get_channel(channel_id) if channel_id else None
    return channel if isinstance(channel, Postable) else None


async def post(bot: HearthBot, channel: Postable | int | None, content: str | None = None, *,
               embed: discord.Embed | None = None, view: discord.ui.View | None = None,
               mentions: discord.AllowedMentions | None = None, nonce_key: str | None = None,
               retry: bool = False, what: str = "a message") -> discord.Message | None:
    """Post in a channel under the policy above. `retry=True` from due work; `nonce_key` (the due row's key)
    lets Discord drop a repeat; `mentions` only where Hearth deliberately addresses someone."""
    target = postable(bot, channel) if isinstance(channel, int) or channel is None else channel
    if target is None:
        log.warning("could not post %s: channel %s is gone or hidden from Hearth", what, channel)
        return None
    try:
        await bot.rate_limiter.acquire()
        return await target.send(content, embed=embed or MISSING, view=view or MISSING,
                                 allowed_mentions=mentions or discord.AllowedMentions.none(),
                                 nonce=nonce_for(nonce_key) if nonce_key else MISSING)
    except (discord.Forbidden, discord.NotFound) as error:
        log.warning("could not post %s in #%s of guild %s: %s", what, target.name, target.guild.id, error)
        return None
    except discord.HTTPException as error:
        if error.status != 429 and error.status < 500:
            raise
        if error.status == 429:
            bot.rate_limiter.pause(float(getattr(error, "retry_after", 1.0) or 1.0))
        if retry:
            raise SendLater(f"Discord answered {error.status}") from error
        log.warning("could not post %s in #%s of guild %s: Discord answered %s", what, target.name,
                    target.guild.id, error.status)
        return None

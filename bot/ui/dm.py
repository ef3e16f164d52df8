"""Direct messages to members, paced under Discord's global rate limit and safe to retry after a crash."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

import discord
from discord.utils import MISSING

from bot.scheduling import RetryLater

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)

# How far back to look for a message an interrupted claimer may already have sent.
_RECONCILE_HISTORY = 25


class DueItem(Protocol):
    """What sending for a due-work row needs to know of it (the store's `DueItem` has it)."""

    @property
    def id(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def idempotency_key(self) -> str: ...
    @property
    def due_at(self) -> datetime: ...
    @property
    def interrupted(self) -> bool: ...


class SendLater(RetryLater):
    """Discord asked us to slow down or had a hiccup: the due-work row is retried later with backoff."""


def nonce_for(key: str) -> int:
    """A stable nonce per unit of work: Discord drops a second message with the same nonce (enforce_nonce)."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big") >> 1


async def send_dm(bot: HearthBot, user_id: int, content: str | None = None, view: discord.ui.View | None = None,
                  *, embed: discord.Embed | None = None, work: DueItem | None = None) -> bool:
    """DM a member unless they turned DMs off or Discord refused us before. True when it was sent.

    A refusal is remembered (we stop trying, and the member is told on their next command); a member
    whose account is gone is skipped. One member's trouble never stops a fan-out to the others.

    Pass `work` when sending for a due-work row (see `deliver`). Without it, a 429 or a Discord server
    error is logged and the message dropped: prefer due work for anything that must arrive.
    """
    members = bot.services.members
    settings = await members.get(user_id)
    if not settings.reachable_by_dm:
        return False
    try:
        await deliver(bot, user_id, content, view, embed=embed, work=work, dm_channel_id=settings.dm_channel_id)
    except discord.Forbidden:
        await members.dms_refused(user_id)
        return False
    except discord.NotFound:
        return False
    except SendLater:
        if work is not None:
            raise
        log.warning("a direct message to %s was dropped: Discord was busy or unwell", user_id)
        return False
    return True


async def deliver(bot: HearthBot, user_id: int, content: str | None = None, view: discord.ui.View | None = None,
                  *, embed: discord.Embed | None = None, work: DueItem | None = None,
                  dm_channel_id: int | None = None) -> None:
    """Send one DM within the global pace. Forbidden and NotFound are the caller's to handle.

    With `work`, the message carries a nonce derived from the row's key, and a row taken over from a
    claimer that stopped mid-send first checks the conversation, so a crash never sends it twice. A 429
    or a Discord server error raises `SendLater`, and the runner retries the row with backoff.
    """
    try:
        channel = await _dm_channel(bot, user_id, dm_channel_id)
        if work is not None and work.interrupted and await _already_sent(bot, channel, work, content, embed):
            log.info("due work %s (%s) was sent before an interruption; not sending it again", work.id, work.kind)
            return
        await bot.rate_limiter.acquire()
        await channel.send(content, embed=embed or MISSING, view=view or MISSING,
                           nonce=nonce_for(work.idempotency_key) if work is not None else MISSING)
    except discord.RateLimited as exc:  # discord.py gave up waiting: longer than its max_ratelimit_timeout
        bot.rate_limiter.pause(exc.retry_after)
        raise SendLater(f"rate limited for {exc.retry_after:.0f} s") from exc
    except (discord.Forbidden, discord.NotFound):
        raise
    except discord.HTTPException as exc:
        if exc.status == 429:
            bot.rate_limiter.pause(_retry_after(exc))
        elif exc.status < 500:
            raise  # a request we built wrong: a bug, reported by the runner or the error handler
        raise SendLater(f"Discord answered {exc.status}") from exc


async def _dm_channel(bot: HearthBot, user_id: int,
                      known: int | None) -> discord.DMChannel | discord.PartialMessageable:
    """The conversation with a member. Its id is kept after the first DM, so later ones need no lookups: one
    request per message, which matters when a fan-out runs at Discord's global limit."""
    if known is None:
        known = (await bot.services.members.get(user_id)).dm_channel_id
    if known is not None:
        return bot.get_partial_messageable(known, type=discord.ChannelType.private)
    await bot.rate_limiter.acquire()
    channel = await bot.create_dm(discord.Object(id=user_id))
    await bot.services.members.remember_dm_channel(user_id, channel.id)
    return channel


def _retry_after(exc: discord.HTTPException) -> float:
    retry_after = getattr(exc, "retry_after", None)
    if isinstance(retry_after, int | float):
        return float(retry_after)
    return 1.0


async def _already_sent(bot: HearthBot, channel: discord.DMChannel | discord.PartialMessageable, work: DueItem,
                        content: str | None, embed: discord.Embed | None) -> bool:
    """Whether this exact message is already in the conversation since the work fell due."""
    await bot.rate_limiter.acquire()
    since = discord.Object(discord.utils.time_snowflake(work.due_at - timedelta(minutes=1)))
    async for message in channel.history(limit=_RECONCILE_HISTORY, after=since):
        if bot.user is None or message.author.id != bot.user.id:
            continue
        same_embed = embed is None or any(sent.title == embed.title and sent.description == embed.description
                                          for sent in message.embeds)
        if (content or "") == message.content and same_embed:
            return True
    return False

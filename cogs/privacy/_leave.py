"""Members who leave a server: with the members intent (HEARTH_MEMBERS_INTENT) Discord tells Hearth at once;
without it, deliveries that look a member up and hear "Unknown Member" report them (bot.ui.threads). Either
way the privacy service stops their scheduled work for the server and plans the deletion after its grace
period; coming back before then calls it off."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.domain.privacy import PrivacyErase, is_pseudonym
from bot.scheduling import RetryLater
from bot.ui.dm import DueItem
from cogs._common import MEETUP_ANSWERS_CHANGED

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)


class Leaving:
    """Built once, by the privacy cog."""

    def __init__(self, bot: HearthBot) -> None:
        self.bot = bot
        self.privacy = bot.services.privacy

    async def left(self, guild_id: int, user: discord.User | discord.Member) -> None:
        if not user.bot:
            await self.privacy.member_left(guild_id, user.id)

    async def returned(self, member: discord.Member) -> None:
        if not member.bot:
            await self.privacy.member_returned(member.guild.id, member.id)

    async def erase(self, work: PrivacyErase, item: DueItem) -> None:
        """The grace period is over. A member who came back without Hearth hearing of it (no members intent, or
        while it was offline) is still there: then nothing is deleted."""
        if is_pseudonym(work.user_id):
            return  # already done: this row was kept, without their id, so it never runs twice
        guild = self.bot.get_guild(work.guild_id)
        if guild is not None and await _still_member(self.bot, guild, work.user_id):
            log.info("member %s is back in guild %s: their data stays", work.user_id, guild.id)
            return
        deleted = await self.privacy.erase_left(work, item.id)
        if deleted is not None and deleted.meetups:
            self.bot.dispatch(MEETUP_ANSWERS_CHANGED, list(deleted.meetups))


async def _still_member(bot: HearthBot, guild: discord.Guild, user_id: int) -> bool:
    if guild.get_member(user_id) is not None:
        return True
    try:
        await bot.rate_limiter.acquire()
        await guild.fetch_member(user_id)
    except discord.NotFound:
        return False
    except discord.HTTPException as error:
        if error.status == 429 or error.status >= 500:
            raise RetryLater(f"Discord answered {error.status} while checking a member") from error
        return False
    return True

"""Sends queued one-off DMs (see bot/services/notices.py). No commands: the fan-out side of other features."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.services.notices import NOTICE_KIND
from bot.store import DueItem
from bot.ui.dm import send_dm

if TYPE_CHECKING:
    from bot.app import HearthBot


class NoticesCog(commands.Cog):
    bot_permissions = discord.Permissions.none()  # DMs need no server permission

    def __init__(self, bot: HearthBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.due_work.register(NOTICE_KIND, self.send_notice, concurrent=True)

    async def cog_unload(self) -> None:
        self.bot.due_work.unregister(NOTICE_KIND)

    async def send_notice(self, item: DueItem) -> None:
        """Due-work handler: one queued DM. Closed or disabled DMs are skipped (and remembered) by send_dm."""
        await send_dm(self.bot, int(item.payload["user_id"]), str(item.payload["text"]), work=item)


async def setup(bot: HearthBot) -> None:
    await bot.add_cog(NoticesCog(bot))

"""Sends queued one-off DMs (see bot/services/notices.py). No commands: the fan-out side of other features."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.domain.notices import DmNotice
from bot.ui.dm import DueItem, send_dm
from cogs._base import HearthCogBase, due_work

if TYPE_CHECKING:
    from bot.app import HearthBot


class NoticesCog(HearthCogBase):
    bot_permissions = discord.Permissions.none()  # DMs need no server permission

    @due_work(DmNotice, concurrent=True)  # one member each
    async def send_notice(self, work: DmNotice, item: DueItem) -> None:
        """One queued DM, in the member's language (the handler speaks it). Closed or disabled DMs are skipped (and
        remembered) by send_dm."""
        await send_dm(self.bot, work.user_id, work.rendered(), work=item)


async def setup(bot: HearthBot) -> None:
    await bot.add_cog(NoticesCog(bot))

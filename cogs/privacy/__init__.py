"""/privacy: what Hearth keeps about a member, and their control over it. Every answer is private.

One `privacy` group for the whole capability: `notice` (the privacy notice and "I agree") lives in
`_notice.py`; the data commands (export, delete) are added to the same group below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.privacy import PrivacyErase
from bot.ui.dm import DueItem
from cogs._base import HearthCogBase, due_work
from cogs._common import per_member_cooldown
from cogs._consent import GATE_ITEMS
from cogs.privacy._delete import DELETE_ITEMS, SCOPE_CHOICES, ask_to_delete
from cogs.privacy._export import send_export
from cogs.privacy._leave import Leaving
from cogs.privacy._notice import show_notice

if TYPE_CHECKING:
    from bot.app import HearthBot

COG_NAME = "Privacy"


class PrivacyCog(HearthCogBase, name=COG_NAME):
    bot_permissions = discord.Permissions.none()  # answers are interaction responses and DMs
    # The consent and minimum-age buttons every cog's notices carry: registered here so they answer after a
    # restart, whichever cog showed them.
    dynamic_items = (*GATE_ITEMS, *DELETE_ITEMS)

    def __init__(self, bot: HearthBot) -> None:
        super().__init__(bot)
        self.leaving = Leaving(bot)

    privacy = app_commands.Group(name="privacy", description="What Hearth keeps about you, and your control over it")

    @privacy.command(name="notice", description="Read the privacy notice and see whether you agreed")
    @per_member_cooldown()
    async def notice(self, interaction: discord.Interaction) -> None:
        await show_notice(interaction, self.services.consent)

    # --- /privacy export and /privacy delete (the data commands): _export.py, _delete.py ------------------
    @privacy.command(name="export", description="Get everything Hearth holds about you, as a file by DM")
    @per_member_cooldown(rate=2, per=600)
    async def export(self, interaction: discord.Interaction) -> None:
        await send_export(interaction, self.services.privacy)

    @privacy.command(name="delete", description="Delete what Hearth holds about you, here or everywhere")
    @app_commands.describe(scope="This server only, or everywhere (in direct messages: everywhere)")
    @app_commands.choices(scope=SCOPE_CHOICES)
    @per_member_cooldown(rate=3, per=60)
    async def delete(self, interaction: discord.Interaction, scope: app_commands.Choice[str]) -> None:
        await ask_to_delete(interaction, self.services.privacy, scope.value)

    # --- members who leave (_leave.py): at once with the members intent, else when a delivery notices ------
    @commands.Cog.listener()
    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        await self.leaving.left(payload.guild_id, payload.user)

    @commands.Cog.listener()
    async def on_member_join(self, member: discord.Member) -> None:
        await self.leaving.returned(member)

    @due_work(PrivacyErase)
    async def _erase_left(self, work: PrivacyErase, item: DueItem) -> None:
        await self.leaving.erase(work, item)


async def setup(bot: HearthBot) -> None:
    await bot.add_cog(PrivacyCog(bot))

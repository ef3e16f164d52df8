"""/settings: a member's own preferences. Every answer is ephemeral."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.members import DMS_CLOSED_NOTICE
from cogs._base import HearthCogBase
from cogs._common import per_member_cooldown, timezone_choices
from cogs.settings._render import settings_embed

if TYPE_CHECKING:
    from bot.app import HearthBot


class SettingsCog(HearthCogBase):
    bot_permissions = discord.Permissions.none()  # answers are interaction responses: no channel permission

    settings = app_commands.Group(name="settings", description="Your own Hearth preferences (only you see them)")

    def __init__(self, bot: HearthBot) -> None:
        super().__init__(bot)
        self.service = self.services.members

    @settings.command(name="timezone", description="Set your time zone so reminders arrive at your local time")
    @app_commands.describe(zone="A city or region, such as London, New York or Europe/Berlin")
    @per_member_cooldown()
    async def timezone(self, interaction: discord.Interaction, zone: app_commands.Range[str, 1, 64]) -> None:
        saved = await self.service.set_timezone(interaction.user.id, zone)
        await interaction.response.send_message(embed=settings_embed(saved, self.bot.clock.now(),
                                                 headline=f"Your time zone is now **{saved.timezone}**."),
                                                 ephemeral=True)

    @timezone.autocomplete("zone")
    async def _zone_autocomplete(self, interaction: discord.Interaction, current: str
                                 ) -> list[app_commands.Choice[str]]:
        return timezone_choices(current, self.bot.clock.now())

    @settings.command(name="quiet-hours", description="Hours when Hearth sends you nothing (leave both empty for off)")
    @app_commands.describe(start="When quiet starts, such as 22:00 or 10pm", end="When quiet ends, such as 07:30")
    @per_member_cooldown()
    async def quiet_hours(self, interaction: discord.Interaction,
                          start: app_commands.Range[str, 1, 12] | None = None,
                          end: app_commands.Range[str, 1, 12] | None = None) -> None:
        saved = await self.service.set_quiet_hours(interaction.user.id, start, end)
        if saved.quiet_start is None:
            headline = "Quiet hours are off: Hearth may message you at any hour you've allowed."
        else:
            headline = (f"Quiet hours set: nothing from Hearth between **{saved.quiet_start:%H:%M}** and "
                        f"**{saved.quiet_end:%H:%M}** your time.")
        if saved.timezone is None:
            headline += "\nTip: set `/settings timezone` too, so I know when that is for you."
        await interaction.response.send_message(embed=settings_embed(saved, self.bot.clock.now(), headline=headline),
                                                ephemeral=True)

    @settings.command(name="dms", description="Allow or stop direct messages from Hearth")
    @app_commands.describe(enabled="on: reminders and prompts you opt into come by DM; off: none at all")
    @per_member_cooldown()
    async def dms(self, interaction: discord.Interaction, enabled: Literal["on", "off"]) -> None:
        saved = await self.service.set_dms(interaction.user.id, enabled == "on")
        headline = ("Direct messages are **on**. You only get the ones you opt into." if saved.dms_enabled
                    else "Direct messages are **off**. Hearth won't DM you; everything else still works.")
        await interaction.response.send_message(embed=settings_embed(saved, self.bot.clock.now(), headline=headline),
                                                ephemeral=True)

    @settings.command(name="show", description="See your Hearth settings")
    async def show(self, interaction: discord.Interaction) -> None:
        current = await self.service.get(interaction.user.id)
        await interaction.response.send_message(embed=settings_embed(current, self.bot.clock.now()), ephemeral=True)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Learn who has a DM notice waiting (refusals recorded before this start, or by other processes)."""
        await self.service.refresh_dm_notices()

    @commands.Cog.listener()
    async def on_app_command_completion(self, interaction: discord.Interaction,
                                        command: app_commands.Command[Any, Any, Any] | app_commands.ContextMenu
                                        ) -> None:
        """After any command: if a DM to this member was refused since we last spoke, say so once. Costs no
        query unless this member has a notice waiting (see MemberSettingsService)."""
        if await self.service.take_dm_notice(interaction.user.id):
            await interaction.followup.send(DMS_CLOSED_NOTICE, ephemeral=True)


async def setup(bot: HearthBot) -> None:
    await bot.add_cog(SettingsCog(bot))

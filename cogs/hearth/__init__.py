"""/hearth: server setup for organisers (Manage Server)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.guilds import GuildSetupService
from cogs._common import per_member_cooldown, timezone_choices
from cogs.hearth._render import channel_warnings, status_embed, support_text

if TYPE_CHECKING:
    from bot.app import HearthBot

ORGANISER = discord.Permissions(manage_guild=True)


class HearthCog(commands.Cog):
    # Announcements and intros are posted in the channels organisers pick here.
    bot_permissions = discord.Permissions(view_channel=True, send_messages=True, embed_links=True)

    hearth = app_commands.Group(
        name="hearth",
        description="Set Hearth up for this server (organisers)",
        default_permissions=ORGANISER,  # hidden from members by default; checked again at run time below
        guild_only=True,  # older clients read dm_permission
        allowed_contexts=app_commands.AppCommandContext(guild=True),  # current clients read contexts
    )

    def __init__(self, bot: HearthBot) -> None:
        self.bot = bot
        self.service = GuildSetupService(bot.store, bot.clock)

    @hearth.command(name="setup", description="Choose Hearth's channels and the server's time zone")
    @app_commands.describe(
        announcements="Where Hearth posts the weekly digest and news",
        buddies="Where buddy pairs get their private threads",
        events="Where meetups are announced",
        timezone="The server's time zone for rounds and events, such as Europe/London",
        organiser_role="Members with this role may also announce events",
    )
    @app_commands.checks.has_permissions(manage_guild=True)
    @per_member_cooldown()
    async def setup(self, interaction: discord.Interaction,
                    announcements: discord.TextChannel | None = None,
                    buddies: discord.TextChannel | None = None,
                    events: discord.TextChannel | None = None,
                    timezone: app_commands.Range[str, 1, 64] | None = None,
                    organiser_role: discord.Role | None = None) -> None:
        assert interaction.guild is not None
        given = [announcements, buddies, events, timezone, organiser_role]
        if all(value is None for value in given):
            current = await self.service.get(interaction.guild.id)
            await interaction.response.send_message(
                "Pick at least one option to change, for example `/hearth setup events:#meetups "
                "timezone:Europe/London`. Here is the current setup:",
                embed=status_embed(current, interaction.guild, self.bot.clock.now()), ephemeral=True)
            return
        saved = await self.service.update(
            interaction.guild.id, interaction.user.id, timezone=timezone,
            announcements_channel_id=announcements.id if announcements else None,
            buddies_channel_id=buddies.id if buddies else None,
            events_channel_id=events.id if events else None,
            organiser_role_id=organiser_role.id if organiser_role else None,
        )
        warnings = channel_warnings(saved, interaction.guild)
        text = "Saved. Here is Hearth's setup for this server:"
        if warnings:
            text += "\n" + "\n".join(f"⚠️ {warning}" for warning in warnings)
        await interaction.response.send_message(
            text, embed=status_embed(saved, interaction.guild, self.bot.clock.now()), ephemeral=True)

    @setup.autocomplete("timezone")
    async def _zone_autocomplete(self, interaction: discord.Interaction, current: str
                                 ) -> list[app_commands.Choice[str]]:
        return timezone_choices(current, self.bot.clock.now())

    @hearth.command(name="status", description="See how Hearth is set up on this server")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def status(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        current = await self.service.get(interaction.guild.id)
        warnings = channel_warnings(current, interaction.guild)
        text = "\n".join(f"⚠️ {warning}" for warning in warnings) or None
        await interaction.response.send_message(
            text, embed=status_embed(current, interaction.guild, self.bot.clock.now()), ephemeral=True)

    @hearth.command(name="checkins", description="Support resources shown to members on hard days")
    @app_commands.describe(
        resources="Your server's own support text, e.g. who to talk to here and when (max 1000 characters)",
        link="A web page with your server's support resources (https://…); 'none' removes it",
        support_channel="A private channel where moderators get members' requests to reach out",
    )
    @app_commands.checks.has_permissions(manage_guild=True)
    @per_member_cooldown()
    async def checkins(self, interaction: discord.Interaction,
                       resources: app_commands.Range[str, 1, 1000] | None = None,
                       link: app_commands.Range[str, 1, 500] | None = None,
                       support_channel: discord.TextChannel | None = None) -> None:
        assert interaction.guild is not None
        if resources is None and link is None and support_channel is None:
            current = await self.service.get(interaction.guild.id)
            await interaction.response.send_message(support_text(current), ephemeral=True)
            return
        saved = await self.service.update_support(interaction.guild.id, interaction.user.id, text=resources,
                                                  url=link, channel_id=support_channel.id if support_channel else None)
        text = "Saved.\n" + support_text(saved)
        if support_channel is not None and support_channel.permissions_for(interaction.guild.default_role).view_channel:
            text += ("\n⚠️ Everyone can see that channel. Reach-out requests name the member, so a private "
                     "moderators' channel is kinder.")
        await interaction.response.send_message(text, ephemeral=True)


async def setup(bot: HearthBot) -> None:
    await bot.add_cog(HearthCog(bot))

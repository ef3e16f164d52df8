"""/settings: a member's own preferences. Every answer is ephemeral."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.i18n import LANGUAGES, _, choose_language, speaking, voice_for
from bot.services.members import DMS_CLOSED_NOTICE
from bot.ui.voices import interaction_voice
from cogs._base import HearthCogBase
from cogs._common import per_member_cooldown, timezone_choices
from cogs.settings._render import settings_embed

if TYPE_CHECKING:
    from bot.app import HearthBot


AUTOMATIC = "auto"
# Each language by its own name, as the member who reads it would look for it.
LANGUAGE_CHOICES = [app_commands.Choice(name="Automatic (follow my Discord language)", value=AUTOMATIC),
                    *(app_commands.Choice(name=language.name, value=language.code) for language in LANGUAGES)]


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
                                                 headline=_("Your time zone is now **{zone}**.",
                                                            zone=saved.timezone)),
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
        if saved.quiet_start is None or saved.quiet_end is None:
            headline = _("Quiet hours are off: Hearth may message you at any hour you've allowed.")
        else:
            # i18n: {start} and {end} are times of day on a 24-hour clock ("22:00")
            headline = _("Quiet hours set: nothing from Hearth between **{start}** and **{end}** your time.",
                         start=saved.quiet_start.strftime("%H:%M"), end=saved.quiet_end.strftime("%H:%M"))
        if saved.timezone is None:
            headline += "\n" + _("Tip: set `/settings timezone` too, so I know when that is for you.")
        await interaction.response.send_message(embed=settings_embed(saved, self.bot.clock.now(), headline=headline),
                                                ephemeral=True)

    @settings.command(name="dms", description="Allow or stop direct messages from Hearth")
    @app_commands.describe(enabled="on: reminders and prompts you opt into come by DM; off: none at all")
    @per_member_cooldown()
    async def dms(self, interaction: discord.Interaction, enabled: Literal["on", "off"]) -> None:
        saved = await self.service.set_dms(interaction.user.id, enabled == "on")
        headline = (_("Direct messages are **on**. You only get the ones you opt into.") if saved.dms_enabled
                    else _("Direct messages are **off**. Hearth won't DM you; everything else still works."))
        await interaction.response.send_message(embed=settings_embed(saved, self.bot.clock.now(), headline=headline),
                                                ephemeral=True)

    @settings.command(name="language", description="Choose the language Hearth speaks with you")
    @app_commands.describe(language="Automatic follows the language your Discord app is set to")
    @app_commands.choices(language=LANGUAGE_CHOICES)
    @per_member_cooldown()
    async def language(self, interaction: discord.Interaction, language: app_commands.Choice[str]) -> None:
        code = None if language.value == AUTOMATIC else language.value
        await self.services.languages.choose(interaction.user.id, code)
        current = await self.service.get(interaction.user.id)
        locale = str(interaction.locale) if interaction.locale else None
        # The answer is already in the language they picked: that is how they see it worked.
        with speaking(voice_for(self.bot.catalogs, chosen=code, locale=locale)):
            speaks = choose_language(chosen=code, locale=locale).name
            if code is None:
                # i18n: after /settings language Automatic; {language} is the language's own name ("Deutsch")
                headline = _("Done: Hearth follows your Discord language ({language}), in replies and in DMs.",
                             language=speaks)
            else:
                # i18n: after /settings language; {language} is the language's own name ("Deutsch")
                headline = _("Done: Hearth now speaks {language} with you, in replies and in DMs.", language=speaks)
            embed = settings_embed(current, self.bot.clock.now(), headline=headline)
        await interaction.response.send_message(embed=embed, ephemeral=True)

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
            with speaking(interaction_voice(interaction)):  # a listener: say it in their language anyway
                notice = _(DMS_CLOSED_NOTICE)
            await interaction.followup.send(notice, ephemeral=True)


async def setup(bot: HearthBot) -> None:
    await bot.add_cog(SettingsCog(bot))

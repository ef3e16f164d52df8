"""/about: what Hearth is for, how it treats members' data, and plainly what it is not."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot import __version__
from bot.domain.safety import NOT_A_CRISIS_SERVICE
from bot.i18n import N_, S_, SN_, _, command_path
from bot.ui.formatting import HEARTH_COLOUR
from cogs._base import HearthCogBase

if TYPE_CHECKING:
    from bot.app import HearthBot

# i18n: /about: what Hearth is for
ABOUT = N_(
    "Hearth helps this community look after each other by turning online contact into real, "
    "face-to-face connection: private mood check-ins, a buddy you could actually meet, meetups with "
    "one-click RSVPs, and gentle reminders at your own local time."
)
# i18n: /about, under "Your data". Keep the slash command as it is
DATA = N_(
    "• What you tell Hearth about how you feel is **yours**: answers are private (only you see them), "
    "and organisers only ever see anonymous totals for groups of five or more.\n"
    "• Hearth never reads your messages and never pings anyone from what people type.\n"
    "• Everything is opt-in. Choose what you get and when with `/settings`, including quiet hours.\n"
    "• Hearth keeps only what it needs: your settings, and what you choose to record."
)
# i18n: /about, under "Meeting in person": the safety tips and the home check ("Check I got home OK")
MEETING = SN_(
    "Buddy intros and in-person meetups come with a short safety tip. If you like, Hearth can check you got "
    "home OK afterwards: one private message, and nobody else is ever told."
)


class AboutCog(HearthCogBase):
    bot_permissions = discord.Permissions.none()

    @app_commands.command(name="about", description="What Hearth does and how it treats your data")
    async def about(self, interaction: discord.Interaction) -> None:
        helplines = await self.services.safety.helplines_for(interaction.user.id, str(interaction.locale))
        embed = discord.Embed(title=_("About Hearth"), description=_(ABOUT), colour=HEARTH_COLOUR)
        # i18n: a field name in /about
        embed.add_field(name=_("Your data"), value=_(DATA), inline=False)
        # i18n: a field name in /about
        embed.add_field(name=_("Meeting in person"), value=S_(MEETING), inline=False)
        # i18n: a field name in /about, above "Hearth is not a crisis or medical service…"
        embed.add_field(name=S_("Not a crisis service"), value=S_(NOT_A_CRISIS_SERVICE), inline=False)
        # i18n: a field name in /about, above the helplines; {country} is the helplines' country ("United Kingdom")
        embed.add_field(name=S_("If you need someone now ({country})", country=helplines.name),
                        value=helplines.format_text()[:1024], inline=False)
        # i18n: a field name in /about, above the first commands to try (kept as they are)
        embed.add_field(name=_("Start here"), value=" · ".join(
            f"`{command_path(path)}`" for path in ("/settings timezone", "/settings quiet-hours", "/settings show")),
            inline=False)
        # i18n: the footer of /about; {version} is Hearth's version number
        embed.set_footer(text=_("Hearth {version}", version=__version__))
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: HearthBot) -> None:
    await bot.add_cog(AboutCog(bot))

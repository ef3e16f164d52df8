"""`/privacy notice`: the short privacy notice, whether (and when) the member agreed, and "I agree"."""

from __future__ import annotations

import discord

from bot.services.consent import ConsentService
from cogs._consent import AgreeButton, notice_embed


async def show_notice(interaction: discord.Interaction, consent: ConsentService) -> None:
    current = await consent.of(interaction.user.id)
    view = discord.utils.MISSING
    if not current.current:
        view = discord.ui.View(timeout=None)
        view.add_item(AgreeButton(interaction.user.id, "0", "notice"))
    await interaction.response.send_message(embed=notice_embed(current, status=True), view=view, ephemeral=True)

"""Answer an interaction once, whatever state it is in."""

from __future__ import annotations

import discord
from discord.utils import MISSING


async def reply_ephemeral(interaction: discord.Interaction, content: str | None = None, *,
                          embed: discord.Embed | None = None) -> None:
    """Send a private answer: the first response if none was sent yet, a follow-up otherwise.

    Choosing by `response.is_done()` is what keeps the error handler from double-acknowledging.
    """
    none = discord.AllowedMentions.none()
    if interaction.response.is_done():
        await interaction.followup.send(content or MISSING, embed=embed or MISSING, ephemeral=True,
                                        allowed_mentions=none)
    else:
        await interaction.response.send_message(content, embed=embed or MISSING, ephemeral=True,
                                                allowed_mentions=none)

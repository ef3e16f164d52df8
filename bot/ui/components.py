"""Shared pieces for buttons that outlive the process."""

from __future__ import annotations

import discord

from bot.tree import handle_interaction_error


class Guarded:
    """Mixin for DynamicItems: discord.py only logs what a dynamic item's callback raises, so the member
    would see "interaction failed". Subclasses implement `run`; errors get the same sentences as commands."""

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await self.run(interaction)
        except Exception as error:
            await handle_interaction_error(interaction, error)

    async def run(self, interaction: discord.Interaction) -> None:
        raise NotImplementedError

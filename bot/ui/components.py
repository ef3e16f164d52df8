"""Shared pieces for buttons that outlive the process."""

from __future__ import annotations

from typing import Any

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


class HearthView(discord.ui.View):
    """A view whose callbacks' errors get the same sentences as commands (logged when unexpected)."""

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]) -> None:
        await handle_interaction_error(interaction, error)


class HearthModal(discord.ui.Modal):
    """A modal whose submit errors get the same sentences as commands (logged when unexpected)."""

    # discord.py's Modal.on_error drops BaseView's `item` parameter, so any override mismatches the base.
    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:  # type: ignore[override]
        await handle_interaction_error(interaction, error)


def loaded_cog(interaction: discord.Interaction, name: str) -> Any:
    """The cog behind a persistent component: its callback runs outside the cog, so it looks it up."""
    cog = interaction.client.get_cog(name)  # type: ignore[attr-defined]
    if cog is None:
        raise RuntimeError(f"the {name} extension is not loaded")
    return cog

"""Which voice Hearth speaks in: the member's for what only they read (ephemeral answers, DMs), the server's for
what everyone reads (posts in channels and threads, and edits to them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.i18n import ENGLISH_VOICE, Catalogs, Voice, voice_for

if TYPE_CHECKING:
    from bot.app import HearthBot


def _catalogs(client: discord.Client) -> Catalogs | None:
    catalogs = getattr(client, "catalogs", None)
    return catalogs if isinstance(catalogs, Catalogs) else None


def server_voice(client: discord.Client, guild_id: int | None) -> Voice:
    """The server's language: its Discord locale (Server Settings → Community → Server Primary Language) when
    Hearth speaks it, else English."""
    catalogs = _catalogs(client)
    guild = client.get_guild(guild_id) if guild_id is not None else None
    if catalogs is None or guild is None:
        return ENGLISH_VOICE
    return voice_for(catalogs, locale=str(guild.preferred_locale) if guild.preferred_locale else None)


async def member_voice(client: discord.Client, user_id: int) -> Voice:
    """A member's language when they aren't the one interacting: their choice, else the Discord locale their
    last interaction had, else English."""
    catalogs = _catalogs(client)
    if catalogs is None:
        return ENGLISH_VOICE
    bot: HearthBot = client  # type: ignore[assignment]
    chosen, locale = await bot.services.languages.of_member(user_id)
    return voice_for(catalogs, chosen=chosen, locale=locale)


def interaction_voice(interaction: discord.Interaction) -> Voice:
    """The voice for the member interacting: their explicit choice, else this interaction's locale (remembered,
    so what Hearth sends them later is in it too). Costs no statement: see LanguageService."""
    catalogs = _catalogs(interaction.client)
    if catalogs is None:
        return ENGLISH_VOICE
    bot: HearthBot = interaction.client  # type: ignore[assignment]
    locale = str(interaction.locale) if interaction.locale else None
    chosen = bot.services.languages.seen(interaction.user.id, locale)
    return voice_for(catalogs, chosen=chosen, locale=locale)

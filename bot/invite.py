"""The invite link: exactly the permissions the loaded cogs say they use."""

from __future__ import annotations

from collections.abc import Iterable

import discord

SCOPES = ("bot", "applications.commands")


def required_permissions(cogs: Iterable[object]) -> discord.Permissions:
    """Union of each cog's `bot_permissions` (a cog that sends nothing declares none)."""
    permissions = discord.Permissions.none()
    for cog in cogs:
        wanted = getattr(cog, "bot_permissions", None)
        if isinstance(wanted, discord.Permissions):
            permissions |= wanted
    return permissions


def invite_url(application_id: int, permissions: discord.Permissions) -> str:
    return discord.utils.oauth_url(application_id, permissions=permissions, scopes=SCOPES)

"""Slash-command sync: only when the command set changed, to one dev guild or globally."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import discord
from discord import app_commands

from bot.clock import Clock
from bot.store import Store

log = logging.getLogger(__name__)


def command_payload(tree: app_commands.CommandTree[Any], guild: discord.abc.Snowflake | None = None
                    ) -> list[dict[str, Any]]:
    """The commands of this scope as discord.py describes them, without their localisations."""
    return [command.to_dict(tree) for command in tree.get_commands(guild=guild)]


async def translated_payload(tree: app_commands.CommandTree[Any], guild: discord.abc.Snowflake | None = None
                             ) -> list[dict[str, Any]]:
    """The JSON discord.py sends to Discord's bulk-overwrite endpoint for this scope: with every language's
    names and descriptions when the tree has a translator, as `tree.sync` builds it."""
    translator = tree.translator
    if translator is None:
        return command_payload(tree, guild)
    return [await command.get_translated_payload(tree, translator) for command in tree.get_commands(guild=guild)]


def payload_hash(payload: list[dict[str, Any]]) -> str:
    canonical = json.dumps(sorted(payload, key=lambda c: (c.get("type", 1), c["name"])), sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


async def sync_if_changed(tree: app_commands.CommandTree[Any], store: Store, clock: Clock, *,
                          application_id: int, dev_guild: int | None) -> bool:
    """Sync when the hash of the command set (with its translations) differs from the last sync's. True when
    it synced.

    The hash is kept per application and scope, so a new token or a new dev guild syncs once.
    """
    guild = discord.Object(id=dev_guild) if dev_guild else None
    if guild is not None:
        tree.copy_global_to(guild=guild)
    digest = payload_hash(await translated_payload(tree, guild))
    key = f"commands:{application_id}:{dev_guild or 'global'}"
    stored = await store.meta.get(key)
    if stored is not None and stored[0] == digest:
        log.info("slash commands unchanged since the last sync; not syncing")
        return False
    synced = await tree.sync(guild=guild)
    await store.meta.set(key, digest, clock.now())
    where = f"guild {dev_guild}" if dev_guild else "all servers (global commands may take a while to appear)"
    log.info("synced %d slash commands to %s", len(synced), where)
    return True

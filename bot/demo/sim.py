"""A HearthBot wired for a simulated Discord: virtual clock, paused scheduler, given database."""

from __future__ import annotations

from typing import Any

import discord

from bot.app import HearthBot
from bot.clock import CallableClock
from bot.config import Settings
from bot.scheduling import Scheduling
from bot.store import Store


def simulated_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"database_url": database_url, "instance_name": "sim", **overrides}
    # _env_file=None: a developer's .env must not leak into a simulation or a test.
    return Settings(_env_file=None, **values)


def simulated_bot(store: Store, settings: Settings) -> HearthBot:
    """SimCord virtualises discord.py's clock, so the bot's clock reads it; APScheduler reads the wall
    clock instead, so its jobs are registered but paused and the simulation runs sweeps itself."""
    if settings.shard_plan() is None:
        # Without a shard count a real bot asks Discord how many it needs; the simulated server has one.
        settings = settings.model_copy(update={"shard_count": 1})
    return HearthBot(settings=settings, store=store, scheduling=Scheduling(paused=True),
                     clock=CallableClock(discord.utils.utcnow))

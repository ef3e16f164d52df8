"""Every command that writes or sends has a per-member cooldown: a script hammering Hearth meets a wall, and
the member who meets it is told how long to wait (bot/tree.py words CommandOnCooldown).

Reads are free. They are listed here by name, so a new command that writes or sends without a cooldown
fails this test until it gets one (`cogs._common.per_member_cooldown`) or is added below as a read.
"""

from __future__ import annotations

from typing import Any

import pytest
from discord import app_commands

from bot.app import HearthBot, discover_extensions
from bot.config import Settings
from bot.demo.sim import simulated_bot
from bot.store import Store
from tests.behaviour.world import consenting_server

READ_ONLY = {
    "about",
    "buddy status",
    "event list",
    "event ics",
    "event-admin stats",
    "hearth buddies stats",
    "hearth status",
    "nudges show",
    "settings show",
}


def _cooldowns(command: app_commands.Command[Any, Any, Any]) -> list[Any]:
    """discord.py's cooldown checks on a command (`app_commands.checks.cooldown` and its dynamic form)."""
    return [check for check in command.checks if "_create_cooldown_decorator" in getattr(check, "__qualname__", "")]


@pytest.fixture
async def loaded(store: Store, settings: Settings) -> HearthBot:
    bot = simulated_bot(store, settings)
    for extension in discover_extensions():
        await bot.load_extension(extension)
    return bot


def _leaves(bot: HearthBot) -> dict[str, app_commands.Command[Any, Any, Any]]:
    return {command.qualified_name: command for command in bot.tree.walk_commands()
            if isinstance(command, app_commands.Command)}


async def test_every_command_that_writes_or_sends_has_a_per_member_cooldown(loaded):
    leaves = _leaves(loaded)

    missing = sorted(name for name, command in leaves.items() if name not in READ_ONLY and not _cooldowns(command))

    assert missing == [], f"commands that write or send without a cooldown: {missing}"


async def test_the_read_only_list_names_only_commands_that_exist(loaded):
    assert set(_leaves(loaded)) >= READ_ONLY, sorted(READ_ONLY - set(_leaves(loaded)))


def _key_of(check: Any) -> Any:
    """The function discord.py keys a cooldown's buckets by (held by the check's `get_bucket`)."""
    get_bucket = next(cell.cell_contents for cell in check.__closure__ or ()
                      if getattr(cell.cell_contents, "__name__", "") == "get_bucket")
    return get_bucket.__kwdefaults__["key"]


async def test_cooldowns_are_per_member(loaded):
    # Keyed by the member (`interaction.user.id`): one member's cooldown never blocks another.
    for name, command in _leaves(loaded).items():
        for check in _cooldowns(command):
            assert _key_of(check).__code__.co_names == ("user", "id"), f"/{name}'s cooldown is not per member"


async def test_a_member_who_hits_a_cooldown_is_told_how_long_to_wait(simcord_env):
    server = await consenting_server(simcord_env)
    for _ in range(5):
        await server.alice.slash(server.general, "buddy resume")

    refused = await server.alice.slash(server.general, "buddy resume")
    other = await server.bob.slash(server.general, "buddy resume")

    assert refused.ephemeral
    assert refused.response.content.startswith("Let's take a breath: you can use this again in ")
    assert refused.response.content.endswith(" seconds.")
    assert "Let's take a breath" not in other.response.content
    simcord_env.errors  # noqa: B018 (the refusal was a CommandOnCooldown, answered; acknowledged here)

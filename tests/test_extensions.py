"""Smoke test of the extensions under cogs/: each loads, alone and together, and no two clash.

Everything here uses real discord.py objects: a real HearthBot (started by SimCord for the setup_hook
test, never started for the others), real Cogs and real app commands. No mocks.
"""

from __future__ import annotations

import sys
import textwrap
from collections import Counter
from pathlib import Path
from typing import Any

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from bot.app import HearthBot, discover_extensions
from bot.config import Settings
from bot.demo.sim import simulated_bot
from bot.store import Store
from bot.sync import command_payload

EXTENSIONS = discover_extensions()

COMMAND_TYPES = (
    discord.AppCommandType.chat_input,
    discord.AppCommandType.user,
    discord.AppCommandType.message,
)


@pytest.fixture
def fresh_bot(store: Store, settings: Settings) -> HearthBot:
    """A new, never-started HearthBot with nothing loaded: extensions are loaded by the test itself."""
    return simulated_bot(store, settings)


def top_level_names(bot: commands.Bot) -> dict[discord.AppCommandType, list[str]]:
    """Global top-level command names per command type (a slash group counts as one chat-input name)."""
    return {kind: [command.name for command in bot.tree.get_commands(type=kind)] for kind in COMMAND_TYPES}


def command_keys(bot: commands.Bot) -> set[tuple[int, str]]:
    return {(kind.value, name) for kind, names in top_level_names(bot).items() for name in names}


def duplicates(names: list[str]) -> list[str]:
    return sorted(name for name, count in Counter(names).items() if count > 1)


def extension_of(obj: Any) -> str:
    """The extension that defined a cog or command: the module, or the package it lives in."""
    module = obj.__module__ if isinstance(obj, commands.Cog) else obj.module
    return next((ext for ext in EXTENSIONS if module == ext or module.startswith(ext + ".")), module)


def test_there_are_extensions_to_load() -> None:
    assert EXTENSIONS, "discover_extensions() found nothing under cogs/"
    assert len(EXTENSIONS) == len(set(EXTENSIONS))
    assert all(name.startswith("cogs.") for name in EXTENSIONS)


async def test_setup_hook_loads_every_extension(simcord_env: Any) -> None:
    bot: HearthBot = simcord_env.bot

    assert sorted(bot.extensions) == EXTENSIONS
    # Every extension contributes a cog, and every cog and command comes from a discovered extension.
    cog_sources = {extension_of(cog) for cog in bot.cogs.values()}
    assert cog_sources == set(EXTENSIONS)
    for command in bot.tree.walk_commands():
        assert extension_of(command) in EXTENSIONS, f"/{command.qualified_name} comes from {command.module}"
    for kind, names in top_level_names(bot).items():
        assert not duplicates(names), f"{kind.name} commands registered twice: {duplicates(names)}"
    assert bot.synced_commands is True  # a first start always syncs
    assert simcord_env.errors == []


@pytest.mark.parametrize("extension", EXTENSIONS)
async def test_extension_loads_alone_and_unloads_cleanly(fresh_bot: HearthBot, extension: str) -> None:
    await fresh_bot.load_extension(extension)

    assert list(fresh_bot.extensions) == [extension]
    assert fresh_bot.cogs, f"{extension} loaded but added no cog"
    assert {extension_of(cog) for cog in fresh_bot.cogs.values()} == {extension}
    for kind, names in top_level_names(fresh_bot).items():
        assert not duplicates(names), f"{extension} registers {kind.name} commands twice: {duplicates(names)}"

    await fresh_bot.unload_extension(extension)

    assert not fresh_bot.extensions
    assert not fresh_bot.cogs
    assert command_payload(fresh_bot.tree) == [], f"{extension} left commands behind after unloading"


async def test_extensions_register_disjoint_command_names(store: Store, settings: Settings) -> None:
    """Each extension alone in its own bot: no (type, name) may be claimed by two extensions."""
    owners: dict[tuple[int, str], list[str]] = {}
    for extension in EXTENSIONS:
        bot = simulated_bot(store, settings)
        await bot.load_extension(extension)
        for key in command_keys(bot):
            owners.setdefault(key, []).append(extension)
    clashes = {f"{name} (type {kind})": found for (kind, name), found in owners.items() if len(found) > 1}
    assert not clashes, f"command names claimed by more than one extension: {clashes}"


@pytest.mark.parametrize("order", ["sorted", "reversed"])
async def test_all_extensions_load_together(fresh_bot: HearthBot, store: Store, settings: Settings,
                                            order: str) -> None:
    for extension in EXTENSIONS if order == "sorted" else reversed(EXTENSIONS):
        await fresh_bot.load_extension(extension)

    assert sorted(fresh_bot.extensions) == EXTENSIONS
    for kind, names in top_level_names(fresh_bot).items():
        assert not duplicates(names), f"{kind.name} commands registered twice: {duplicates(names)}"

    # Nothing was silently replaced: together they hold exactly what each holds alone.
    expected: set[tuple[int, str]] = set()
    for extension in EXTENSIONS:
        alone = simulated_bot(store, settings)
        await alone.load_extension(extension)
        expected |= command_keys(alone)
    assert command_keys(fresh_bot) == expected


async def test_a_clashing_cog_is_refused(fresh_bot: HearthBot) -> None:
    """The clash check is real: a cog reusing any registered top-level name fails to load."""
    for extension in EXTENSIONS:
        await fresh_bot.load_extension(extension)
    before = command_payload(fresh_bot.tree)
    names = top_level_names(fresh_bot)[discord.AppCommandType.chat_input]
    assert names

    for taken in names:
        class Clashing(commands.Cog):
            @app_commands.command(name=taken, description="Clashes with an existing command")
            async def clash(self, interaction: discord.Interaction) -> None:  # pragma: no cover - never runs
                pass

        with pytest.raises(app_commands.CommandAlreadyRegistered) as raised:
            await fresh_bot.add_cog(Clashing())
        assert raised.value.name == taken
        assert "Clashing" not in fresh_bot.cogs

        clashing_group = app_commands.Group(name=taken, description="Clashes with an existing command")
        with pytest.raises(app_commands.CommandAlreadyRegistered):
            fresh_bot.tree.add_command(clashing_group)

    assert command_payload(fresh_bot.tree) == before, "a refused cog changed the registered commands"


async def test_names_are_unique_per_command_type(fresh_bot: HearthBot) -> None:
    """Discord keys commands by (type, name): a user context menu may share a slash command's name."""
    for extension in EXTENSIONS:
        await fresh_bot.load_extension(extension)
    taken = top_level_names(fresh_bot)[discord.AppCommandType.chat_input][0]

    async def profile(interaction: discord.Interaction, member: discord.Member) -> None:  # pragma: no cover
        pass

    fresh_bot.tree.add_command(app_commands.ContextMenu(name=taken, callback=profile))
    assert taken in top_level_names(fresh_bot)[discord.AppCommandType.user]

    with pytest.raises(app_commands.CommandAlreadyRegistered):
        fresh_bot.tree.add_command(app_commands.ContextMenu(name=taken, callback=profile))


async def test_a_clashing_extension_fails_to_load_and_leaves_nothing_behind(
        fresh_bot: HearthBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading an extension whose command collides raises, and the bot is left as it was."""
    for extension in EXTENSIONS:
        await fresh_bot.load_extension(extension)
    taken = top_level_names(fresh_bot)[discord.AppCommandType.chat_input][0]
    before = command_payload(fresh_bot.tree)
    module = "hearth_clashing_extension_for_tests"
    (tmp_path / f"{module}.py").write_text(textwrap.dedent(f"""
        import discord
        from discord import app_commands
        from discord.ext import commands


        class Clashing(commands.Cog):
            @app_commands.command(name="fresh-name-added-first", description="Would be new")
            async def fresh(self, interaction: discord.Interaction) -> None:
                pass

            @app_commands.command(name={taken!r}, description="Clashes with an existing command")
            async def clash(self, interaction: discord.Interaction) -> None:
                pass


        async def setup(bot):
            await bot.add_cog(Clashing())
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        with pytest.raises(commands.ExtensionFailed) as raised:
            await fresh_bot.load_extension(module)
    finally:
        sys.modules.pop(module, None)

    assert isinstance(raised.value.original, app_commands.CommandAlreadyRegistered)
    assert raised.value.original.name == taken
    assert module not in fresh_bot.extensions
    assert sorted(fresh_bot.extensions) == EXTENSIONS
    assert command_payload(fresh_bot.tree) == before, "the failed extension left commands behind"

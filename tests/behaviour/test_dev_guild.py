"""With HEARTH_DEV_GUILD set, commands go to that one guild at once, never globally."""

from __future__ import annotations

import pytest

from bot.demo.sim import simulated_settings
from tests.behaviour.test_lifecycle import command_puts

DEV_GUILD = 1_300_000_000_000_000_001


@pytest.fixture
def settings(database_url):
    return simulated_settings(database_url, dev_guild=DEV_GUILD)


async def test_dev_guild_syncs_to_that_guild_only(simcord_env):
    guild = simcord_env.create_guild("Dev", id=DEV_GUILD)
    channel = guild.create_text_channel("dev")
    member = guild.add_member(simcord_env.create_user("dev"))

    assert len(command_puts(simcord_env, guild_id=DEV_GUILD)) == 1
    assert command_puts(simcord_env) == []
    assert (await member.slash(channel, "about")).ephemeral

"""Every organiser command, run by a plain member on a server that opened the commands to everyone.

Discord hides commands with default member permissions (/hearth: Manage Server, /event-admin: Manage Events)
from members, but a server can override that under Integrations, by mistake or on purpose. Hearth checks
again when the command runs: the member gets a sentence, and nothing is stored, posted or sent.
The commands are read from what Hearth syncs, so a new organiser command is covered without listing it here.
"""

from __future__ import annotations

import pytest

from tests.behaviour.commands_world import discord_changes, leaves, required_options, snapshot
from tests.behaviour.events_world import create, setup_events
from tests.behaviour.world import answer, consenting_server, expected_errors

REFUSALS = ("Only members with **Manage Server** can use this command.",
            "Only organisers can do that: members with Manage Events, or the organiser role set in `/hearth setup`.")


@pytest.fixture
async def server(simcord_env):
    built = await consenting_server(simcord_env)
    await setup_events(built)
    await create(built)  # a meetup for the commands that need one
    return built


def test_there_are_organiser_commands_to_check(simcord_env):
    names = {leaf.name for leaf in leaves(simcord_env.bot) if leaf.for_organisers}

    assert {"hearth setup", "hearth checkins", "event-admin create", "event-admin cancel"} <= names


async def test_every_organiser_command_refuses_a_member_with_a_sentence_and_changes_nothing(server, simcord_env,
                                                                                          store):
    opened = {command.name for command in await simcord_env.bot.tree.fetch_commands()
              if command.default_member_permissions is not None}
    for command in await simcord_env.bot.tree.fetch_commands():
        if command.name in opened:
            server.guild.set_command_permissions(command, {server.alice: True})  # the server's own override
    event_id = (await store.events.upcoming(server.guild.id, simcord_env.now()))[0].id
    organiser_leaves = [leaf for leaf in leaves(simcord_env.bot) if leaf.for_organisers]
    assert organiser_leaves

    for leaf in organiser_leaves:
        for every in (False, True):  # the bare command, and with every option filled in
            before, requests = await snapshot(store), len(simcord_env.http_requests)
            options = required_options(server, leaf, event_id=event_id, every=every)

            result = await server.alice.slash(server.general, leaf.name, **options)

            said = answer(result)
            assert result.ephemeral and said is not None, f"/{leaf.name} gave no private answer"
            assert said.content in REFUSALS, f"/{leaf.name} {options}: {said.content!r}"
            assert await snapshot(store) == before, f"/{leaf.name} changed what is stored"
            assert discord_changes(simcord_env, requests) == [], f"/{leaf.name} changed something in Discord"
            await simcord_env.advance_time(600)  # past every cooldown: the next refusal is the permission's
    assert set(expected_errors(simcord_env)) <= {"MissingPermissions", "NotOrganiser"}

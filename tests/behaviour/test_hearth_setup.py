"""Organisers' /hearth setup and /hearth status, and the refusals members get."""

from __future__ import annotations

import discord
import pytest
import simcord

from bot.demo.sim import simulated_bot, simulated_settings
from tests.behaviour.world import build_server, embed_text, expected_errors


@pytest.fixture
def server(simcord_env):
    return build_server(simcord_env)


async def test_organiser_sets_channels_and_timezone(server, store):
    result = await server.organiser.slash(
        server.general, "hearth setup", announcements=server.announcements, buddies=server.buddies,
        events=server.events, timezone="london", organiser_role=server.organisers_role,
    )

    assert result.ephemeral
    assert "Saved" in result.response.content
    saved = await store.guilds.get(server.guild.id)
    assert saved.timezone == "Europe/London"
    assert saved.announcements_channel_id == server.announcements.id
    assert saved.buddies_channel_id == server.buddies.id
    assert saved.events_channel_id == server.events.id
    assert saved.organiser_role_id == server.organisers_role.id
    assert saved.updated_by == server.organiser.id
    text = embed_text(result)
    assert server.events.mention in text and "Europe/London" in text


async def test_setup_changes_only_what_is_given(server, store):
    await server.organiser.slash(server.general, "hearth setup", events=server.events, timezone="Europe/Dublin")

    await server.organiser.slash(server.general, "hearth setup", buddies=server.buddies)

    saved = await store.guilds.get(server.guild.id)
    assert (saved.events_channel_id, saved.buddies_channel_id, saved.timezone) == (
        server.events.id, server.buddies.id, "Europe/Dublin")


async def test_setup_with_no_options_explains_and_changes_nothing(server, store):
    result = await server.organiser.slash(server.general, "hearth setup")

    assert result.ephemeral
    assert "Pick at least one option" in result.response.content
    assert not (await store.guilds.get(server.guild.id)).is_configured


async def test_setup_with_unknown_timezone_is_refused_and_nothing_is_saved(server, store):
    result = await server.organiser.slash(server.general, "hearth setup", events=server.events,
                                          timezone="Mars/Olympus")

    assert result.ephemeral
    assert "I don't know the time zone “Mars/Olympus”" in result.response.content
    assert not (await store.guilds.get(server.guild.id)).is_configured
    assert expected_errors(server.env) == ["UnknownTimeZone"]


async def test_setup_warns_when_hearth_cannot_post_in_a_channel(server, store):
    locked = server.guild.create_text_channel(
        "locked", overwrites={server.guild.default_role: discord.PermissionOverwrite(send_messages=False)})

    result = await server.organiser.slash(server.general, "hearth setup", events=locked)

    assert f"In {locked.mention} I'm missing: send messages, embed links." in result.response.content
    assert (await store.guilds.get(server.guild.id)).events_channel_id == locked.id


async def test_status_shows_the_configuration(server):
    await server.organiser.slash(server.general, "hearth setup", announcements=server.announcements,
                                 timezone="America/Toronto")

    result = await server.organiser.slash(server.general, "hearth status")

    assert result.ephemeral
    text = embed_text(result)
    assert "America/Toronto" in text and server.announcements.mention in text
    assert f"<@{server.organiser.id}>" in text
    assert "Buddies: not set" in text


async def test_status_before_setup_says_how_to_start(server):
    result = await server.organiser.slash(server.general, "hearth status")

    assert "Hearth isn't set up here yet" in embed_text(result)


async def test_organiser_commands_are_hidden_from_members_by_default(server):
    assert "hearth setup" not in server.alice.available_commands(server.general)
    assert "hearth setup" in server.organiser.available_commands(server.general)

    with pytest.raises(simcord.SetupError):
        await server.alice.slash(server.general, "hearth setup", timezone="UTC")


async def test_run_time_check_refuses_a_member_allowed_in_by_a_command_override(server, store, simcord_env):
    # A server admin lets the "Helpers" role see /hearth in Integrations settings, but the role lacks
    # Manage Server: Hearth must still refuse, with a sentence.
    helpers = server.guild.create_role("Helpers")
    helper = server.guild.add_member(simcord_env.create_user("hal"), roles=[helpers])
    hearth = next(c for c in await simcord_env.bot.tree.fetch_commands() if c.name == "hearth")
    server.guild.set_command_permissions(hearth, {helpers: True})

    result = await helper.slash(server.general, "hearth setup", timezone="UTC")

    assert result.ephemeral
    assert result.response.content == "Only members with **Manage Server** can use this command."
    assert not (await store.guilds.get(server.guild.id)).is_configured
    assert expected_errors(simcord_env) == ["MissingPermissions"]


async def test_privacy_settings_are_saved_and_shown_in_status(server, store):
    result = await server.organiser.slash(server.general, "hearth privacy", notes_retention_days=90,
                                          leave_grace_days=7, min_age=18)

    assert result.ephemeral and result.response.content.startswith("Saved.")
    saved = await store.guilds.get(server.guild.id)
    assert (saved.notes_retention_days, saved.leave_grace_days, saved.min_age) == (90, 7, 18)
    assert saved.updated_by == server.organiser.id
    text = embed_text(await server.organiser.slash(server.general, "hearth status"))
    assert "Check-in notes kept:** 90 days, then removed" in text
    assert "their data here is removed 7 days after they leave" in text
    assert "members who leave are noticed the next time Hearth tries to reach them" in text
    assert "Minimum age** for buddies and in-person meetups: 18" in text


async def test_privacy_without_options_shows_the_defaults(server, store):
    result = await server.organiser.slash(server.general, "hearth privacy")

    text = result.response.content
    assert "365 days (the default)" in text and "30 days after they leave (the default)" in text
    assert "in-person meetups: none" in text
    assert not (await store.guilds.get(server.guild.id)).is_configured


async def test_a_minimum_age_of_zero_removes_it_and_under_13_is_refused(server, store, simcord_env):
    await server.organiser.slash(server.general, "hearth privacy", min_age=16)

    refused = await server.organiser.slash(server.general, "hearth privacy", min_age=12, leave_grace_days=3)
    assert refused.ephemeral and refused.response.content == "A minimum age is 13 to 99, or 0 to have none."
    assert expected_errors(simcord_env) == ["InvalidInput"]
    saved = await store.guilds.get(server.guild.id)
    assert (saved.min_age, saved.leave_grace_days) == (16, None)  # nothing of the refused change was kept

    await server.organiser.slash(server.general, "hearth privacy", min_age=0, leave_grace_days=0)
    saved = await store.guilds.get(server.guild.id)
    assert (saved.min_age, saved.leave_grace_days, saved.leave_grace) == (None, 0, 0)


async def test_values_outside_the_ranges_cannot_be_sent(server, store):
    for options in ({"notes_retention_days": 29}, {"notes_retention_days": 366}, {"leave_grace_days": 366},
                    {"min_age": 100}):
        with pytest.raises(simcord.OptionError):
            await server.organiser.slash(server.general, "hearth privacy", **options)
    assert not (await store.guilds.get(server.guild.id)).is_configured


async def test_with_the_members_intent_status_says_leavers_are_noticed_at_once(server, store, simcord_env,
                                                                               database_url):
    await simcord_env.restart_bot(simulated_bot(store, simulated_settings(database_url, members_intent=True)))

    text = embed_text(await server.organiser.slash(server.general, "hearth status"))
    assert "members who leave are noticed at once" in text


async def test_a_member_allowed_in_by_an_override_cannot_change_privacy(server, store, simcord_env):
    helpers = server.guild.create_role("Helpers")
    helper = server.guild.add_member(simcord_env.create_user("hal"), roles=[helpers])
    hearth = next(c for c in await simcord_env.bot.tree.fetch_commands() if c.name == "hearth")
    server.guild.set_command_permissions(hearth, {helpers: True})

    result = await helper.slash(server.general, "hearth privacy", min_age=18)

    assert result.response.content == "Only members with **Manage Server** can use this command."
    assert not (await store.guilds.get(server.guild.id)).is_configured
    assert expected_errors(simcord_env) == ["MissingPermissions"]

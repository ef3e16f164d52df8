"""The one error handler: expected errors become sentences, unexpected ones are logged and answered politely."""

from __future__ import annotations

import logging

import discord
import pytest
from discord import app_commands
from sqlalchemy import text

from bot.tree import UNEXPECTED, message_for
from tests.behaviour.forge import forge_slash
from tests.behaviour.world import consenting_server, embed_text, expected_errors


@pytest.fixture
async def server(simcord_env):
    return await consenting_server(simcord_env)


async def test_unexpected_error_is_logged_with_context_and_answered_politely(server, store, caplog):
    async with store.engine.begin() as connection:  # the database loses a table under the bot's feet
        await connection.execute(text("DROP TABLE member_settings"))

    with caplog.at_level(logging.ERROR, logger="bot.tree"):
        result = await server.alice.slash(server.general, "settings show")

    assert result.ephemeral
    assert result.response.content == UNEXPECTED
    assert "Traceback" not in result.response.content and "member_settings" not in result.response.content
    record = next(r for r in caplog.records if r.name == "bot.tree")
    message = record.getMessage()
    assert "command=settings show" in message
    assert f"guild={server.guild.id}" in message and f"user={server.alice.id}" in message
    assert record.exc_info is not None
    assert expected_errors(server.env) == ["OperationalError"]


async def test_cooldown_gets_a_sentence_then_lifts(server, simcord_env):
    for _ in range(5):
        await server.alice.slash(server.general, "settings dms", enabled="on")

    refused = await server.alice.slash(server.general, "settings dms", enabled="off")

    assert refused.ephemeral
    assert refused.response.content.startswith("Let's take a breath: you can use this again in")
    assert expected_errors(simcord_env) == ["CommandOnCooldown"]

    await simcord_env.advance_time(31)
    allowed = await server.alice.slash(server.general, "settings dms", enabled="off")
    assert "Direct messages are **off**" in embed_text(allowed)


async def test_cooldown_is_per_member(server, simcord_env):
    for _ in range(5):
        await server.alice.slash(server.general, "settings dms", enabled="on")

    result = await server.bob.slash(server.general, "settings dms", enabled="on")

    assert "Direct messages are **on**" in embed_text(result)


async def test_no_response_allows_mentions(server, simcord_env):
    await server.alice.slash(server.general, "settings timezone", zone="@everyone")
    await server.organiser.slash(server.general, "hearth setup", timezone="<@&123>")

    callbacks = [r for r in simcord_env.http_requests if r.path.endswith("/callback")]
    assert callbacks
    for request in callbacks:
        data = request.json["data"]
        assert data["allowed_mentions"] == {"parse": []}, data
    simcord_env.errors  # noqa: B018 (both were refused as unknown zones; acknowledged here)


async def test_a_member_option_with_no_data_from_discord_never_shows_python(server, simcord_env, store):
    # A client sending a user id Discord has no data for: discord.py hands the command an `Object`.
    result = await forge_slash(simcord_env, server.alice, server.general, "buddy block",
                               [{"name": "member", "type": 6, "value": "1"}])

    assert result.ephemeral
    text = result.response.content
    assert text == "I couldn't find that person in this server. Please pick a member of this server from the list."
    assert "Object" not in text and "<" not in text and "id=" not in text
    assert expected_errors(simcord_env) == ["TransformerError"]
    assert await store.buddies.blocked_pairs(server.guild.id) == set()


async def test_someone_who_is_not_a_member_is_refused_by_name_not_by_repr(server, simcord_env):
    stranger = simcord_env.create_user("stranger")

    result = await server.alice.slash(server.general, "buddy block", member=stranger)

    assert result.response.content.startswith("I couldn't find that person in this server.")
    assert expected_errors(simcord_env) == ["TransformerError"]


def test_no_transformer_value_reaches_a_member_as_python():
    cases = [(discord.Object(id=1), discord.AppCommandOptionType.string), (None, discord.AppCommandOptionType.string),
             ("x" * 500 + "\x00<@123456789012345678>", discord.AppCommandOptionType.string),
             ("\x00<@123456789012345678> @everyone", discord.AppCommandOptionType.string),
             (discord.Object(id=1), discord.AppCommandOptionType.channel),
             (discord.Object(id=1), discord.AppCommandOptionType.role)]
    for value, kind in cases:
        transformer = app_commands.transformers.IdentityTransformer(kind)
        text = message_for(app_commands.TransformerError(value, kind, transformer))
        assert text is not None and "Object" not in text and "None" not in text and "\x00" not in text, text
        assert "<@1" not in text and "@everyone" not in text and len(text) < 200, text

"""The one error handler: expected errors become sentences, unexpected ones are logged and answered politely."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from bot.tree import UNEXPECTED
from tests.behaviour.world import build_server, embed_text, expected_errors


@pytest.fixture
def server(simcord_env):
    return build_server(simcord_env)


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

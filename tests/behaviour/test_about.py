from __future__ import annotations

from bot.domain.safety import NOT_A_CRISIS_SERVICE
from tests.behaviour.world import build_server, embed_text


async def test_about_explains_hearth_and_data_privately(simcord_env):
    server = build_server(simcord_env)

    result = await server.alice.slash(server.general, "about")

    assert result.ephemeral
    text = embed_text(result)
    assert "face-to-face" in text
    assert "Your data" in text and "private" in text
    assert "not a crisis or medical service" in text


async def test_about_says_plainly_hearth_is_not_a_crisis_service_and_where_help_is(simcord_env):
    server = build_server(simcord_env)
    await server.alice.slash(server.general, "settings timezone", zone="Europe/London")

    result = await server.alice.slash(server.general, "about")

    text = embed_text(result)
    assert NOT_A_CRISIS_SERVICE in text and "can't send help" in text
    assert "999" in text and "116 123" in text  # the emergency number and Samaritans, for a member in the UK
    assert "check you got home OK" in text  # the opt-in check after meeting in person


async def test_about_without_a_time_zone_finds_helplines_by_discord_language(simcord_env):
    server = build_server(simcord_env)  # SimCord members use Discord in en-US

    text = embed_text(await server.bob.slash(server.general, "about"))

    assert "emergency number" in text and "988" in text

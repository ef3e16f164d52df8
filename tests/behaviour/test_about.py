from __future__ import annotations

from tests.behaviour.world import build_server, embed_text


async def test_about_explains_hearth_and_data_privately(simcord_env):
    server = build_server(simcord_env)

    result = await server.alice.slash(server.general, "about")

    assert result.ephemeral
    text = embed_text(result)
    assert "face-to-face" in text
    assert "Your data" in text and "private" in text
    assert "not a crisis or medical service" in text

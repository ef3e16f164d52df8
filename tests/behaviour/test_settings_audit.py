"""Every change to Hearth's server settings is posted in the support channel: who, what, old → new.

Settings only, never member data; channels as mentions, roles by name, organisers' text escaped; nothing
pings. The post comes after the change is saved, and a post that fails changes nothing.
"""

from __future__ import annotations

import logging
from typing import Any

import discord
import pytest

from tests.behaviour.world import Server, build_server


@pytest.fixture
def server(simcord_env: Any) -> Server:
    return build_server(simcord_env)


@pytest.fixture
def mods(server: Server) -> Any:
    """A private moderators' channel (organisers, and Hearth, can see it)."""
    return server.guild.create_text_channel("mods", overwrites={
        server.guild.default_role: discord.PermissionOverwrite(view_channel=False),
        server.organisers_role: discord.PermissionOverwrite(view_channel=True),
        server.guild.me: discord.PermissionOverwrite(view_channel=True)})


def _posts(env: Any) -> list[Any]:
    return [request for request in env.http_requests if request.method == "POST"
            and request.path.startswith("/channels/") and request.path.endswith("/messages")]


def _audits(channel: Any) -> list[str]:
    return [message.content for message in channel.history() if "changed Hearth's settings" in (message.content or "")]


async def _with_support_channel(server: Server, mods: Any) -> None:
    await server.organiser.slash(server.general, "hearth checkins", support_channel=mods)


async def test_without_a_support_channel_nothing_is_posted(server: Server, simcord_env: Any, store: Any) -> None:
    result = await server.organiser.slash(server.general, "hearth setup", timezone="london", events=server.events)

    assert "Saved" in result.response.content
    assert (await store.guilds.get(server.guild.id)).timezone == "Europe/London"
    assert _posts(simcord_env) == []  # not in announcements either: that channel is the members'


async def test_setting_the_support_channel_is_posted_there(server: Server, mods: Any) -> None:
    await _with_support_channel(server, mods)

    assert _audits(mods) == [f"🛠️ <@{server.organiser.id}> changed Hearth's settings with `/hearth checkins`:\n"
                             f"• Support channel: not set → <#{mods.id}>"]


async def test_setup_changes_show_old_and_new_with_role_names_and_never_ping(server: Server, mods: Any,
                                                                              simcord_env: Any) -> None:
    await _with_support_channel(server, mods)
    await server.organiser.slash(server.general, "hearth setup", timezone="UTC")

    await server.organiser.slash(server.general, "hearth setup", timezone="london", events=server.events,
                                 organiser_role=server.organisers_role)

    latest = _audits(mods)[-1]
    assert latest.splitlines() == [
        f"🛠️ <@{server.organiser.id}> changed Hearth's settings with `/hearth setup`:",
        "• Time zone: UTC → Europe/London",
        f"• Events channel: not set → <#{server.events.id}>",
        "• Organiser role: not set → “Organisers”",
    ]
    assert "<@&" not in latest
    assert all(request.json["allowed_mentions"] == {"parse": []} for request in _posts(simcord_env))


async def test_a_change_that_changes_nothing_is_not_posted(server: Server, mods: Any) -> None:
    await _with_support_channel(server, mods)
    await server.organiser.slash(server.general, "hearth setup", timezone="UTC")
    await server.organiser.slash(server.general, "hearth setup", timezone="UTC")

    assert len(_audits(mods)) == 2  # the support channel, then the time zone once


async def test_organisers_text_is_escaped_shortened_and_cannot_ping(server: Server, mods: Any,
                                                                    simcord_env: Any) -> None:
    await _with_support_channel(server, mods)
    text = f"**Call** @everyone or <@{server.alice.id}> _now_\nSecond line " + "x" * 400

    await server.organiser.slash(server.general, "hearth checkins", resources=text, link="https://example.org/help")

    latest = _audits(mods)[-1]
    assert (f"• Support resources: not set → “\\*\\*Call\\*\\* @\u200beveryone or <@\u200b{server.alice.id}> "
            "\\_now\\_ Second line") in latest
    assert "…”" in latest and "x" * 200 not in latest
    assert "• Support link: not set → “https://example.org/help”" in latest
    assert _posts(simcord_env)[-1].json["allowed_mentions"] == {"parse": []}


async def test_moving_the_support_channel_tells_both_channels(server: Server, mods: Any) -> None:
    await _with_support_channel(server, mods)
    elsewhere = server.guild.create_text_channel("mods-two")

    await server.organiser.slash(server.general, "hearth checkins", support_channel=elsewhere)

    moved = f"• Support channel: <#{mods.id}> → <#{elsewhere.id}>"
    assert moved in _audits(mods)[-1] and moved in _audits(elsewhere)[-1]


async def test_buddy_settings_are_audited(server: Server, mods: Any) -> None:
    await _with_support_channel(server, mods)
    await server.organiser.slash(server.general, "hearth setup", buddies=server.buddies, timezone="UTC")

    await server.organiser.slash(server.general, "hearth buddies settings", cadence=1, interests="walks, board games")

    latest = _audits(mods)[-1].splitlines()
    assert latest[0].endswith("with `/hearth buddies settings`:")
    assert "• Buddy rounds: off → on" in latest
    assert "• Rounds: every 2 weeks → every week" in latest
    assert any(line.startswith("• Interests: “") and line.endswith("→ “walks, board games”") for line in latest)


async def test_privacy_settings_are_audited(server: Server, mods: Any) -> None:
    await _with_support_channel(server, mods)

    await server.organiser.slash(server.general, "hearth privacy", notes_retention_days=90, min_age=18)

    assert _audits(mods)[-1].splitlines()[1:] == ["• Check-in notes kept: 365 days → 90 days",
                                                  "• Minimum age: none → 18"]


@pytest.mark.parametrize("status", [403, 400, 503])
async def test_a_failed_post_is_logged_and_the_change_stands(server: Server, mods: Any, simcord_env: Any, store: Any,
                                                             caplog: pytest.LogCaptureFixture, status: int) -> None:
    await _with_support_channel(server, mods)
    simcord_env.inject_error("POST", f"/channels/{mods.id}/messages", status=status)

    with caplog.at_level(logging.WARNING):
        result = await server.organiser.slash(server.general, "hearth setup", timezone="Asia/Tokyo")

    assert result.ephemeral and "Saved" in result.response.content
    assert (await store.guilds.get(server.guild.id)).timezone == "Asia/Tokyo"
    assert any("settings audit" in record.getMessage() for record in caplog.records)
    assert simcord_env.errors == []  # nothing reached the error handler: the organiser saw only "Saved"

""""Post it" while Discord is failing: the click is answered at once, Discord is tried again within reason,
and the organiser is told what happened, with a way to post it later that never posts it twice."""

from __future__ import annotations

import pytest

from tests.behaviour.events_world import WALK, announcements, events_server
from tests.behaviour.forge import forge_click
from tests.behaviour.world import answer


@pytest.fixture
async def server(simcord_env):
    return await events_server(simcord_env)


def _posts_to(env, channel) -> list:
    return [r for r in env.http_requests if r.method == "POST" and r.path == f"/channels/{channel.id}/messages"]


async def _post_it(server):
    shown = await server.organiser.slash(server.general, "event-admin create", **WALK)
    posted = await server.organiser.click(shown.response, custom_id="hearth:ev:confirm")
    await server.env.advance_time(5)  # the pauses between tries (virtual time)
    return shown, posted


async def test_five_server_errors_are_answered_saved_once_and_posted_on_retry(server, simcord_env, store):
    simcord_env.inject_error("POST", f"/channels/{server.events.id}/messages", status=500, times=5)

    shown, posted = await _post_it(server)

    assert posted.deferred  # answered within Discord's three seconds, before any posting
    told = answer(posted).content
    assert told.startswith("Saved, but Discord had a problem and the announcement couldn't be posted")
    assert "Try posting again" in told
    assert len(_posts_to(simcord_env, server.events)) == 3  # tried three times, then stopped
    assert announcements(server) == []
    saved = await store.events.upcoming(server.guild.id, simcord_env.now())
    assert [(event.title, event.message_id) for event in saved] == [("Sunday walk", None)]
    assert simcord_env.errors == []

    again = await server.organiser.click(shown.response, label="Try posting again")
    await simcord_env.advance_time(5)

    assert answer(again).content.startswith(f"Posted in {server.events.mention}")
    assert len(announcements(server)) == 1
    event = (await store.events.upcoming(server.guild.id, simcord_env.now()))[0]
    assert event.message_id == announcements(server)[0].id and event.scheduled_event_id is not None


async def test_a_short_hiccup_is_ridden_out_and_posted_once(server, simcord_env, store):
    simcord_env.inject_error("POST", f"/channels/{server.events.id}/messages", status=503, times=2)

    _shown, posted = await _post_it(server)

    assert answer(posted).content.startswith(f"Posted in {server.events.mention}")
    assert len(announcements(server)) == 1
    assert len(await store.events.upcoming(server.guild.id, simcord_env.now())) == 1


async def test_a_double_click_on_try_again_posts_it_once(server, simcord_env, store):
    simcord_env.inject_error("POST", f"/channels/{server.events.id}/messages", status=500, times=3)
    shown, _posted = await _post_it(server)
    event = (await store.events.upcoming(server.guild.id, simcord_env.now()))[0]

    again = await forge_click(simcord_env, server.organiser, shown.response, f"hearth:ev:repost:{event.id}", times=2)
    await simcord_env.advance_time(5)

    assert answer(again).content.startswith(f"Posted in {server.events.mention}")
    assert len(announcements(server)) == 1
    assert (await store.events.upcoming(server.guild.id, simcord_env.now()))[0].message_id == \
        announcements(server)[0].id


async def test_only_organisers_can_post_it_again(server, simcord_env, store):
    simcord_env.inject_error("POST", f"/channels/{server.events.id}/messages", status=500, times=3)
    shown, _posted = await _post_it(server)
    event = (await store.events.upcoming(server.guild.id, simcord_env.now()))[0]

    refused = await forge_click(simcord_env, server.alice, shown.response, f"hearth:ev:repost:{event.id}")

    assert refused.ephemeral and "someone else's" in answer(refused).content
    assert announcements(server) == []

"""“Don't go alone”: members going to an in-person meetup ask for company and are introduced before it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.demo.sim import simulated_bot
from bot.domain.companions import PairingRound
from bot.services.event_companions import CompanionService
from bot.store import DueItem
from tests.behaviour.events_world import create, dms, rsvp, run_until, setup_events
from tests.behaviour.world import answer, build_server


@pytest.fixture
def server(simcord_env):
    return build_server(simcord_env)


async def _meetup(server, store, env, **options):
    await create(server, start="2026-01-10 14:00", **options)
    return (await store.events.upcoming(server.guild.id, env.now()))[-1]


async def _ask(member, server, event):
    going = await rsvp(member, server, event.id)
    return await member.click(answer(going), custom_id=f"hearth:ev:alone:{event.id}:ask")


def _threads(server):
    return [thread for thread in server.events.threads if thread.name.startswith("Going together")]


def _members_in(thread, people):
    text = thread.history()[0].content
    return {person.id for person in people if f"<@{person.id}>" in text}


async def _requests(store, env, event):
    return await CompanionService(store, env.bot.clock).requests.ungrouped(event.id)


async def test_going_offers_company_and_asking_is_recorded(server, store, simcord_env):
    await setup_events(server)
    event = await _meetup(server, store, simcord_env)

    going = await rsvp(server.alice, server, event.id)
    ids = [button["custom_id"] for row in answer(going).components for button in row["components"]]
    assert "Nervous about walking in alone?" in answer(going).content
    # and "Check I got home OK", bound to Alice (see tests/behaviour/test_safety.py)
    assert ids == [f"hearth:ev:alone:{event.id}:ask", f"hearth:sf:ev:{event.id}:{server.alice.id}:on"]
    asked = await server.alice.click(answer(going), custom_id=f"hearth:ev:alone:{event.id}:ask")

    assert "introduce you to others who asked" in answer(asked).content and answer(asked).ephemeral
    assert await _requests(store, simcord_env, event) == [server.alice.id]
    await rsvp(server.alice, server, event.id, "maybe")
    again = await rsvp(server.alice, server, event.id)
    assert "You asked for someone to go with" not in answer(again).content  # leaving Going withdrew it
    assert await _requests(store, simcord_env, event) == []


async def test_online_meetups_offer_no_company_button(server, store, simcord_env):
    await setup_events(server)
    event = await _meetup(server, store, simcord_env, mode="online", venue=None, link="https://meet.example.org/x")

    going = await rsvp(server.alice, server, event.id)

    assert answer(going).components == []


async def test_requesters_are_paired_two_days_before_never_with_someone_they_blocked(server, store, simcord_env):
    await setup_events(server)
    event = await _meetup(server, store, simcord_env)
    carol, dan, erin = (server.guild.add_member(simcord_env.create_user(name)) for name in ("carol", "dan", "erin"))
    people = [server.alice, server.bob, carol, dan, erin]
    await store.buddies.block(server.guild.id, server.bob.id, server.alice.id, simcord_env.now())
    for member in people:
        await _ask(member, server, event)

    await run_until(simcord_env, event.start_at - timedelta(hours=48))

    threads = _threads(server)
    assert sorted(len(_members_in(thread, people)) for thread in threads) == [2, 3]  # five: a pair and a trio
    for thread in threads:
        assert {server.alice.id, server.bob.id} - _members_in(thread, people)  # never together
        intro = thread.history()[0].content
        assert "Sunday walk by the river" in intro and f"<t:{int(event.start_at.timestamp())}:F>" in intro
        assert "10 minutes early, just outside" in intro
    await run_until(simcord_env, event.start_at - timedelta(hours=6))
    assert len(_threads(server)) == 2  # the later round introduces nobody twice
    assert all("nobody else asked" not in (m.content or "") for p in people for m in dms(p))


async def test_someone_alone_at_the_last_round_is_told_kindly_and_a_late_asker_is_paired(server, store, simcord_env):
    await setup_events(server)
    event = await _meetup(server, store, simcord_env)
    await _ask(server.alice, server, event)

    await run_until(simcord_env, event.start_at - timedelta(hours=48))
    assert _threads(server) == [] and dms(server.alice) == []
    await run_until(simcord_env, event.start_at - timedelta(hours=6))
    told = dms(server.alice)[-1].content
    assert "nobody else asked" in told and f"<@{server.organiser.id}>" in told and "a few minutes early" in told

    await run_until(simcord_env, event.start_at - timedelta(hours=3))
    await _ask(server.bob, server, event)
    await simcord_env.bot.due_work.sweep()
    assert _members_in(_threads(server)[0], [server.alice, server.bob]) == {server.alice.id, server.bob.id}


async def test_withdrawing_takes_a_member_off_the_list(server, store, simcord_env):
    await setup_events(server)
    event = await _meetup(server, store, simcord_env)
    asked = await _ask(server.alice, server, event)
    await _ask(server.bob, server, event)

    withdrawn = await server.alice.click(answer(asked), custom_id=f"hearth:ev:alone:{event.id}:withdraw")
    await run_until(simcord_env, event.start_at - timedelta(hours=6))

    assert "taken you off the list" in answer(withdrawn).content
    assert _threads(server) == []
    assert "nobody else asked" in dms(server.bob)[-1].content


async def test_without_a_thread_each_gets_a_dm_naming_the_other(server, store, simcord_env):
    await setup_events(server)
    event = await _meetup(server, store, simcord_env)
    await _ask(server.alice, server, event)
    await _ask(server.bob, server, event)
    simcord_env.inject_error("POST", "/channels/*/threads", status=403, code=50013, message="Missing Permissions")

    await run_until(simcord_env, event.start_at - timedelta(hours=48))

    assert _threads(server) == []
    to_alice = dms(server.alice)[-1].content
    assert "Sunday walk by the river" in to_alice and f"<@{server.bob.id}>" in to_alice and "bob" in to_alice
    assert f"<@{server.alice.id}>" in dms(server.bob)[-1].content
    groups = await CompanionService(store, simcord_env.bot.clock).requests.groups(event.id)
    assert [(g.members, g.delivered) for g in groups] == [([server.alice.id, server.bob.id], "dm")]


async def test_a_thread_opened_just_before_a_crash_is_adopted_not_opened_twice(server, store, settings, simcord_env):
    await setup_events(server)
    event = await _meetup(server, store, simcord_env)
    await _ask(server.alice, server, event)
    await _ask(server.bob, server, event)
    await run_until(simcord_env, event.start_at - timedelta(hours=48))
    (opened,) = _threads(server)
    # The crash: the thread is open and introduced, but the run died before recording it.
    await store.companions.mark_delivered(event.id, 1, None, None)

    await simcord_env.restart_bot(simulated_bot(store, settings))
    row = await store.due_work.get(PairingRound(event.id, "48h", event.start_at).key())
    assert row is not None
    item = DueItem(id=row["id"], kind=row["kind"], payload=row["payload"], due_at=row["due_at"],
                   idempotency_key=row["idempotency_key"], attempts=row["attempts"], claimed_by=None,
                   claimed_at=None, interrupted=True)
    await simcord_env.bot.due_work.handler(PairingRound.KIND)(item)  # the round runs again

    assert [thread.id for thread in _threads(server)] == [opened.id]
    assert len(opened.history()) == 1  # the intro, posted once
    groups = await store.companions.groups(event.id)
    assert [(g.delivered, g.thread_id) for g in groups] == [("thread", opened.id)]

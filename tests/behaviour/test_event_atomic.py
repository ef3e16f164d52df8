"""Crash injection: an RSVP, an edit and a cancel each commit whole or not at all.

A SQLite trigger makes every insert into `due_work` fail, which is where each of these use cases fails if the
process dies between its steps (after the answer or the change, before its reminders or notices). The member
or organiser gets a sentence and the state is exactly as before; after a restart the same action stores all
of it. No monkeypatching: the real bot, the real store, a real database failure.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import select

from bot.demo.sim import simulated_bot
from bot.store import Store
from bot.store.tables import due_work, event_rsvps, events
from bot.tree import UNEXPECTED
from tests.behaviour.crashes import failing_inserts
from tests.behaviour.events_world import announcement_of, create, rsvp, setup_events
from tests.behaviour.world import answer, build_server, expected_errors


@pytest.fixture
def server(simcord_env):
    return build_server(simcord_env)


async def state(store: Store, event_id: int) -> dict[str, Any]:
    """Everything a meetup use case may change: the meetup, its answers, and open due work."""
    async with store.engine.connect() as connection:
        event = (await connection.execute(select(events).where(events.c.id == event_id))).one()._asdict()
        event.pop("updated_at")
        answers = (await connection.execute(
            select(event_rsvps.c.user_id, event_rsvps.c.status).where(event_rsvps.c.event_id == event_id)
            .order_by(event_rsvps.c.user_id))).all()
        work = (await connection.execute(
            select(due_work.c.idempotency_key, due_work.c.due_at).where(due_work.c.done_at.is_(None))
            .order_by(due_work.c.idempotency_key))).all()
    return {"event": event, "answers": [tuple(row) for row in answers], "work": [tuple(row) for row in work]}


def keys(snapshot: dict[str, Any], prefix: str) -> list[str]:
    return [key for key, _due in snapshot["work"] if key.startswith(prefix)]


async def _meetup(server: Any, store: Store, env: Any, **options: Any) -> Any:
    await setup_events(server)
    await create(server, **options)
    return (await store.events.upcoming(server.guild.id, env.now()))[0]


def _said_sorry(result: Any, env: Any) -> None:
    assert answer(result).ephemeral and answer(result).content == UNEXPECTED  # "…nothing was changed…"
    # Commands report it through the tree's error handler (buttons through their guard): the database's error.
    assert set(expected_errors(env)) <= {"IntegrityError"}


async def test_a_going_click_that_dies_before_its_reminders_leaves_nothing_then_works_after_restart(
        server, store, settings, simcord_env):
    event = await _meetup(server, store, simcord_env)
    before = await state(store, event.id)

    async with failing_inserts(store, "due_work"):
        result = await rsvp(server.alice, server, event.id)

    _said_sorry(result, simcord_env)
    assert await state(store, event.id) == before  # not going without reminders: not going at all
    await simcord_env.restart_bot(simulated_bot(store, settings))
    again = await rsvp(server.alice, server, event.id)
    after = await state(store, event.id)
    assert "You're going!" in answer(again).content
    assert after["answers"] == [(server.alice.id, "going")]
    assert keys(after, f"event-reminder:{event.id}:{server.alice.id}:") == [
        f"event-reminder:{event.id}:{server.alice.id}:{label}:{int(event.start_at.timestamp())}"
        for label in ("1h", "24h")]


async def test_a_dropout_that_dies_before_the_next_members_offer_keeps_both_places_as_they_were(
        server, store, settings, simcord_env):
    event = await _meetup(server, store, simcord_env, capacity=1)
    await rsvp(server.alice, server, event.id)
    await rsvp(server.bob, server, event.id)  # waitlisted
    before = await state(store, event.id)

    async with failing_inserts(store, "due_work"):
        result = await rsvp(server.alice, server, event.id, "no")

    _said_sorry(result, simcord_env)
    assert await state(store, event.id) == before
    await simcord_env.restart_bot(simulated_bot(store, settings))
    await rsvp(server.alice, server, event.id, "no")
    after = await state(store, event.id)
    assert after["answers"] == sorted([(server.alice.id, "no"), (server.bob.id, "offered")])
    assert keys(after, f"event-reminder:{event.id}:{server.alice.id}:") == []
    assert keys(after, f"event-reminder:{event.id}:{server.bob.id}:") == []  # not going until he takes it
    # The offer's DM and its deadline, queued with it.
    assert len(keys(after, f"event.waitlist.offer:{event.id}:{server.bob.id}:")) == 1
    assert len(keys(after, f"event.waitlist.expiry:{event.id}:{server.bob.id}:")) == 1


async def test_an_edit_that_dies_half_way_moves_nothing_then_moves_everything_after_restart(
        server, store, settings, simcord_env):
    event = await _meetup(server, store, simcord_env)
    await rsvp(server.alice, server, event.id)
    await rsvp(server.bob, server, event.id)
    before = await state(store, event.id)
    shown = announcement_of(server, event.id).embeds[0].fields[0].value

    async with failing_inserts(store, "due_work"):
        result = await server.organiser.slash(server.general, "event-admin edit", event=event.id,
                                              start="2026-01-04 15:00")

    _said_sorry(result, simcord_env)
    assert await state(store, event.id) == before  # the old time, with its reminders
    assert announcement_of(server, event.id).embeds[0].fields[0].value == shown
    await simcord_env.restart_bot(simulated_bot(store, settings))
    done = await server.organiser.slash(server.general, "event-admin edit", event=event.id, start="2026-01-04 15:00")
    after = await state(store, event.id)
    moved = int(datetime(2026, 1, 4, 15, tzinfo=UTC).timestamp())
    assert "Updated" in answer(done).content
    assert after["event"]["start_at"] == datetime(2026, 1, 4, 15, tzinfo=UTC)
    assert keys(after, f"event-reminder:{event.id}:") == sorted(
        f"event-reminder:{event.id}:{member.id}:{label}:{moved}"
        for member in (server.alice, server.bob) for label in ("1h", "24h"))


async def test_a_cancel_that_dies_before_its_notices_cancels_nothing_then_cancels_whole_after_restart(
        server, store, settings, simcord_env):
    event = await _meetup(server, store, simcord_env)
    await rsvp(server.alice, server, event.id)
    await rsvp(server.bob, server, event.id, "maybe")
    before = await state(store, event.id)

    async with failing_inserts(store, "due_work"):
        result = await server.organiser.slash(server.general, "event-admin cancel", event=event.id)

    _said_sorry(result, simcord_env)
    assert await state(store, event.id) == before  # still on, reminders kept, nobody told
    assert not announcement_of(server, event.id).embeds[0].title.startswith("Cancelled")
    await simcord_env.restart_bot(simulated_bot(store, settings))
    done = await server.organiser.slash(server.general, "event-admin cancel", event=event.id)
    after = await state(store, event.id)
    assert "letting the 2 people who answered know" in answer(done).content
    assert after["event"]["status"] == "cancelled"
    assert keys(after, f"event-reminder:{event.id}:") == []
    told = [key for key, _due in after["work"] if f"event-cancelled:{event.id}:" in key]
    assert sorted(key.rsplit(":", 1)[1] for key in told) == sorted(str(m.id) for m in (server.alice, server.bob))


async def test_a_going_click_is_one_connection_checkout(server, store, simcord_env):
    event = await _meetup(server, store, simcord_env, capacity=5)
    checkouts: list[object] = []

    def counted(*_args: object) -> None:
        checkouts.append(object())

    sqlalchemy_event.listen(store.engine.sync_engine, "checkout", counted)
    try:
        result = await rsvp(server.alice, server, event.id)
    finally:
        sqlalchemy_event.remove(store.engine.sync_engine, "checkout", counted)

    assert "You're going!" in answer(result).content
    assert len(checkouts) == 1  # the answer, its reminders and the new counts: one transaction

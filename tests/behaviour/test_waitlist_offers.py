"""Waitlist offers: a freed place is offered by DM to the next member waiting, with a deadline; Take, Pass, or
no answer passes it on. The buttons are the member's own, work after a restart, and answer late presses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.demo.sim import simulated_bot
from bot.domain.event_waitlist import CLAIM_WINDOW
from bot.store.tables import due_work
from bot.ui.components import NOT_YOURS
from tests.behaviour.events_world import announcement_of, create, dms, rsvp, run_until, setup_events
from tests.behaviour.forge import forge_click
from tests.behaviour.world import answer, build_server, component_id, custom_ids


@pytest.fixture
def server(simcord_env):
    return build_server(simcord_env)


def _going_field(server, event_id):
    fields = {field.name: field.value for field in announcement_of(server, event_id).embeds[0].fields}
    return fields["Going"]


def _offers(member):
    return [m for m in dms(member) if "hearth:ev:offer:" in " ".join(custom_ids(m))]


def _ts(moment: datetime) -> int:
    return int(moment.timestamp())


async def _full_meetup(server, store, env, *, waiting: int = 1, capacity: int = 1, **options):
    """A meetup with `capacity` places: Alice (and the organiser, for 2) going, then `waiting` on the waitlist."""
    await setup_events(server)
    await create(server, capacity=capacity, **options)
    event = (await store.events.upcoming(server.guild.id, env.now()))[0]
    others = [server.guild.add_member(env.create_user(name)) for name in ("carol", "dave")]
    seated = [server.alice, server.organiser][:capacity]
    for member in [*seated, server.bob, *others][:capacity + waiting]:
        await rsvp(member, server, event.id)
    return event, others


async def _work_keys(store, prefix: str) -> list[str]:
    async with store.engine.connect() as connection:
        return list((await connection.execute(select(due_work.c.idempotency_key).where(
            due_work.c.idempotency_key.startswith(prefix), due_work.c.done_at.is_(None)))).scalars())


async def test_a_freed_place_is_offered_by_dm_with_a_deadline(server, store, simcord_env):
    event, _ = await _full_meetup(server, store, simcord_env)
    freed_at = simcord_env.now()

    await rsvp(server.alice, server, event.id, "no")
    await simcord_env.bot.due_work.sweep()

    assert (await store.events.rsvps(event.id))["offered"] == [server.bob.id]
    offer = _offers(server.bob)[-1]
    deadline = freed_at + CLAIM_WINDOW
    assert f"<t:{_ts(event.start_at)}:F>" in offer.content and f"<t:{_ts(deadline)}:R>" in offer.content
    assert custom_ids(offer) == [f"hearth:ev:offer:{event.id}:take", f"hearth:ev:offer:{event.id}:pass"]
    # The place is held, and the announcement says so without naming anyone.
    assert _going_field(server, event.id) == "0 of 1 places taken · 1 place on offer"
    assert "bob" not in _going_field(server, event.id).lower()


async def test_take_makes_them_going_with_reminders_and_the_announcement_counts_them(server, store, simcord_env):
    event, _ = await _full_meetup(server, store, simcord_env)
    await rsvp(server.alice, server, event.id, "no")
    await simcord_env.bot.due_work.sweep()

    took = await server.bob.user.click(_offers(server.bob)[-1], custom_id=f"hearth:ev:offer:{event.id}:take")

    assert "It's yours" in answer(took).content
    assert (await store.events.rsvps(event.id))["going"] == [server.bob.id]
    assert len(await _work_keys(store, f"event-reminder:{event.id}:{server.bob.id}:")) == 2
    assert _going_field(server, event.id) == "1 of 1 places taken"
    # The deadline comes and goes: nothing moves.
    await run_until(simcord_env, simcord_env.now() + CLAIM_WINDOW + timedelta(minutes=1))
    assert (await store.events.rsvps(event.id))["going"] == [server.bob.id]
    assert not any("ran out" in (m.content or "") for m in dms(server.bob))


async def test_pass_offers_the_place_to_the_next_waiting(server, store, simcord_env):
    event, (carol, _dave) = await _full_meetup(server, store, simcord_env, waiting=2)
    await rsvp(server.alice, server, event.id, "no")
    await simcord_env.bot.due_work.sweep()

    passed = await server.bob.user.click(_offers(server.bob)[-1], custom_id=f"hearth:ev:offer:{event.id}:pass")
    await simcord_env.bot.due_work.sweep()

    assert "goes to the next person waiting" in answer(passed).content
    answers = await store.events.rsvps(event.id)
    assert answers["no"] == [server.alice.id, server.bob.id] and answers["offered"] == [carol.id]
    assert _offers(carol) and _going_field(server, event.id) == "0 of 1 places taken · 1 place on offer"


async def test_no_answer_by_the_deadline_passes_it_on_and_says_so_kindly(server, store, simcord_env):
    event, (carol, _dave) = await _full_meetup(server, store, simcord_env, waiting=2)
    await rsvp(server.alice, server, event.id, "no")
    await simcord_env.bot.due_work.sweep()
    first = _offers(server.bob)[-1]

    await run_until(simcord_env, simcord_env.now() + CLAIM_WINDOW + timedelta(minutes=1))

    answers = await store.events.rsvps(event.id)
    assert answers["offered"] == [carol.id] and all(server.bob.id not in ids for ids in answers.values())
    missed = server.bob.user.dm_channel.last_message.content
    assert "ran out" in missed and "off the waitlist" in missed and "tap “Going”" in missed
    assert _offers(carol)
    assert _going_field(server, event.id) == "0 of 1 places taken · 1 place on offer"
    # His old buttons answer with a sentence and change nothing.
    late = await server.bob.user.click(first, custom_id=f"hearth:ev:offer:{event.id}:take")
    assert answer(late).ephemeral and "has ended" in answer(late).content
    assert (await store.events.rsvps(event.id))["offered"] == [carol.id]


async def test_a_press_after_the_deadline_but_before_the_sweep_gets_a_sentence(server, store, simcord_env):
    event, _ = await _full_meetup(server, store, simcord_env)
    await rsvp(server.alice, server, event.id, "no")
    await simcord_env.bot.due_work.sweep()

    await simcord_env.advance_time((CLAIM_WINDOW + timedelta(minutes=1)).total_seconds())
    late = await server.bob.user.click(_offers(server.bob)[-1], custom_id=f"hearth:ev:offer:{event.id}:take")

    assert answer(late).ephemeral and "ran out" in answer(late).content
    assert (await store.events.rsvps(event.id))["going"] == []


async def test_nobody_else_can_answer_someones_offer(server, store, simcord_env):
    event, (carol, _dave) = await _full_meetup(server, store, simcord_env, waiting=2)
    await rsvp(server.alice, server, event.id, "no")
    await simcord_env.bot.due_work.sweep()

    for choice in ("take", "pass"):
        forged = await forge_click(simcord_env, carol, _offers(server.bob)[-1], f"hearth:ev:offer:{event.id}:{choice}")
        assert answer(forged).ephemeral and answer(forged).content == NOT_YOURS

    answers = await store.events.rsvps(event.id)
    assert answers["offered"] == [server.bob.id] and answers["waitlist"] == [carol.id]


async def test_the_offer_buttons_work_after_a_restart(server, store, settings, simcord_env):
    event, _ = await _full_meetup(server, store, simcord_env)
    await rsvp(server.alice, server, event.id, "no")
    await simcord_env.bot.due_work.sweep()

    await simcord_env.restart_bot(simulated_bot(store, settings))
    took = await server.bob.user.click(_offers(server.bob)[-1], custom_id=f"hearth:ev:offer:{event.id}:take")

    assert "It's yours" in answer(took).content
    assert (await store.events.rsvps(event.id))["going"] == [server.bob.id]


async def test_two_more_places_make_two_offers_at_once(server, store, simcord_env):
    event, (carol, dave) = await _full_meetup(server, store, simcord_env, waiting=3)

    await server.organiser.slash(server.general, "event-admin edit", event=event.id, capacity=3)
    await simcord_env.bot.due_work.sweep()

    answers = await store.events.rsvps(event.id)
    assert answers["offered"] == [server.bob.id, carol.id] and answers["waitlist"] == [dave.id]
    assert _offers(server.bob) and _offers(carol) and not _offers(dave)
    assert _going_field(server, event.id) == "1 of 3 places taken · 2 places on offer · 1 on the waitlist"


async def test_a_cancelled_meetup_voids_its_offers(server, store, simcord_env):
    event, (carol, _dave) = await _full_meetup(server, store, simcord_env, waiting=2)
    await rsvp(server.alice, server, event.id, "no")
    await simcord_env.bot.due_work.sweep()

    await server.organiser.slash(server.general, "event-admin cancel", event=event.id)
    await simcord_env.bot.due_work.sweep()
    took = await server.bob.user.click(_offers(server.bob)[-1], custom_id=f"hearth:ev:offer:{event.id}:take")
    await run_until(simcord_env, simcord_env.now() + CLAIM_WINDOW + timedelta(minutes=1))

    assert "has been cancelled" in server.bob.user.dm_channel.last_message.content
    assert answer(took).ephemeral and "was cancelled" in answer(took).content
    assert (await store.events.rsvps(event.id))["going"] == []
    assert not _offers(carol)  # the deadline found it cancelled: nobody else was offered a place


async def test_an_offer_not_yet_sent_when_cancelled_is_never_sent(server, store, simcord_env):
    event, _ = await _full_meetup(server, store, simcord_env)
    await rsvp(server.alice, server, event.id, "no")

    await server.organiser.slash(server.general, "event-admin cancel", event=event.id)
    await simcord_env.bot.due_work.sweep()

    assert not _offers(server.bob)
    assert "has been cancelled" in server.bob.user.dm_channel.last_message.content


async def test_a_meetup_moved_sooner_clamps_the_offer_and_close_to_the_start_gives_the_place(
        server, store, simcord_env):
    event, (carol, _dave) = await _full_meetup(server, store, simcord_env, waiting=2)
    await rsvp(server.alice, server, event.id, "no")
    await simcord_env.bot.due_work.sweep()

    # Now is 1 January, midnight: the offer ran to noon; the meetup now starts at 10:00 (London is UTC).
    await server.organiser.slash(server.general, "event-admin edit", event=event.id, start="2026-01-01 10:00")
    await simcord_env.bot.due_work.sweep()

    clamped = datetime(2026, 1, 1, 9, tzinfo=UTC)  # an hour before the new start
    assert f"<t:{_ts(clamped)}:R>" in _offers(server.bob)[-1].content
    await run_until(simcord_env, clamped + timedelta(minutes=1))
    # Too close to the start for another offer with a deadline: the next person simply gets the place.
    answers = await store.events.rsvps(event.id)
    assert answers["going"] == [carol.id] and answers["offered"] == []
    assert "it's yours" in carol.user.dm_channel.last_message.content
    assert _going_field(server, event.id) == "1 of 1 places taken"


async def test_a_member_holding_an_offer_who_deletes_their_data_passes_it_on(server, store, simcord_env):
    event, (carol, _dave) = await _full_meetup(server, store, simcord_env, waiting=2)
    await rsvp(server.alice, server, event.id, "no")
    await simcord_env.bot.due_work.sweep()

    asked = answer(await server.bob.slash(server.general, "privacy delete", scope="everywhere"))
    await server.bob.click(asked, custom_id=component_id(asked, "hearth:privacy:delete:"))
    await run_until(simcord_env, simcord_env.now() + timedelta(minutes=1))

    answers = await store.events.rsvps(event.id)
    assert answers["offered"] == [carol.id] and all(server.bob.id not in ids for ids in answers.values())
    assert _offers(carol)
    assert _going_field(server, event.id) == "0 of 1 places taken · 1 place on offer"

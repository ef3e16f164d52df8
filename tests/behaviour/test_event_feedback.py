"""After an in-person meetup: a one-tap DM to those who went, answers that count, and /event-admin stats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from simcord.backend.errors import SetupError
from sqlalchemy import select

from bot.demo.sim import simulated_bot
from bot.services.event_feedback import FeedbackService
from bot.store.tables import due_work
from tests.behaviour.events_world import create, dms, rsvp, run_until, setup_events
from tests.behaviour.world import answer, build_server, embed_text, expected_errors


@pytest.fixture
def server(simcord_env):
    return build_server(simcord_env)


def _asked(member):
    return [m for m in dms(member) if "How was it?" in (m.content or "")]


async def _meetup(server, store, env, **options):
    await create(server, start="2026-01-04 20:00", **options)
    return (await store.events.upcoming(server.guild.id, env.now()))[-1]


async def test_those_who_went_are_asked_an_hour_after_the_end_outside_their_quiet_hours(server, store, simcord_env):
    await setup_events(server)
    event = await _meetup(server, store, simcord_env)
    carol = server.guild.add_member(simcord_env.create_user("carol"))
    await rsvp(server.alice, server, event.id)
    await rsvp(server.bob, server, event.id)
    await rsvp(carol, server, event.id, "maybe")
    await server.bob.slash(server.general, "settings timezone", zone="Europe/London")
    await server.bob.slash(server.general, "settings quiet-hours", start="22:00", end="08:00")

    await run_until(simcord_env, event.end_at + timedelta(minutes=59))
    assert _asked(server.alice) == []
    await run_until(simcord_env, event.end_at + timedelta(hours=1))

    asked = _asked(server.alice)
    assert len(asked) == 1 and "Sunday walk by the river" in asked[0].content
    ids = [c.custom_id for row in asked[0].components for c in row.children]
    assert ids == [f"hearth:ev:fb:{event.id}:how:{a}" for a in ("good", "okay", "not_for_me")] + [
        f"hearth:ev:fb:{event.id}:met:{a}" for a in ("yes", "no")]
    assert _asked(server.bob) == [] and _asked(carol) == []  # Bob is in quiet hours (22:30 in London)
    await run_until(simcord_env, datetime(2026, 1, 5, 8, 0, tzinfo=UTC))
    assert len(_asked(server.bob)) == 1
    await run_until(simcord_env, datetime(2026, 1, 6, 8, 0, tzinfo=UTC))
    assert len(_asked(server.alice)) == 1  # once only


async def test_a_moved_meetup_asks_after_its_new_end_only(server, store, simcord_env):
    await setup_events(server)
    event = await _meetup(server, store, simcord_env)
    await rsvp(server.alice, server, event.id)

    await server.organiser.slash(server.general, "event-admin edit", event=event.id, start="2026-01-05 20:00")

    moved = await store.events.get(event.id)
    assert moved.end_at == event.end_at + timedelta(days=1)
    async with store.engine.connect() as connection:
        planned = list((await connection.execute(select(due_work.c.idempotency_key).where(
            due_work.c.kind == "event.feedback", due_work.c.done_at.is_(None)))).scalars())
    assert planned == [f"event-feedback:{event.id}:{int(moved.end_at.timestamp())}"]
    await run_until(simcord_env, event.end_at + timedelta(hours=2))
    assert _asked(server.alice) == []  # nothing at the old time
    await run_until(simcord_env, moved.end_at + timedelta(hours=1))
    assert len(_asked(server.alice)) == 1


async def test_online_and_cancelled_meetups_ask_nobody(server, store, simcord_env):
    await setup_events(server)
    online = await _meetup(server, store, simcord_env, title="Online chat", mode="online", venue=None,
                           link="https://meet.example.org/hearth")
    walk = await _meetup(server, store, simcord_env, title="Walk")
    await rsvp(server.alice, server, online.id)
    await rsvp(server.alice, server, walk.id)
    await server.organiser.slash(server.general, "event-admin cancel", event=walk.id)

    await run_until(simcord_env, walk.end_at + timedelta(hours=2))

    assert _asked(server.alice) == []


async def test_answers_are_stored_changeable_and_the_buttons_survive_a_restart(server, store, settings, simcord_env):
    await setup_events(server)
    event = await _meetup(server, store, simcord_env)
    await rsvp(server.alice, server, event.id)
    await run_until(simcord_env, event.end_at + timedelta(hours=1))
    asked = _asked(server.alice)[0]

    good = await server.alice.user.click(asked, custom_id=f"hearth:ev:fb:{event.id}:how:good")
    await simcord_env.restart_bot(simulated_bot(store, settings))
    await server.alice.user.click(asked, custom_id=f"hearth:ev:fb:{event.id}:met:yes")
    changed = await server.alice.user.click(asked, custom_id=f"hearth:ev:fb:{event.id}:how:okay")

    assert "So glad" in answer(good).content and answer(good).ephemeral
    assert "change your answer" in answer(changed).content
    answers = FeedbackService(store, simcord_env.bot.clock).answers
    assert await answers.get(event.id, server.alice.id) == ("okay", True)


async def _answer_all(members, message_of, event, how, met):
    for member, how_answer, met_answer in zip(members, how, met, strict=True):
        message = message_of(member)
        if how_answer:
            await member.user.click(message, custom_id=f"hearth:ev:fb:{event.id}:how:{how_answer}")
        if met_answer:
            await member.user.click(message, custom_id=f"hearth:ev:fb:{event.id}:met:{met_answer}")


async def test_stats_show_totals_and_hide_breakdowns_under_five_answers(server, store, simcord_env):
    await setup_events(server)
    event = await _meetup(server, store, simcord_env)
    people = [server.alice, server.bob] + [server.guild.add_member(simcord_env.create_user(f"m{i}")) for i in range(4)]
    for member in people:
        await rsvp(member, server, event.id)
    await run_until(simcord_env, event.end_at + timedelta(hours=1))
    await _answer_all(people[:4], lambda m: _asked(m)[0], event, ["good", "good", "okay", None],
                      ["yes", "no", "yes", "yes"])

    few = await server.organiser.slash(server.general, "event-admin stats")
    text = embed_text(few)
    assert few.ephemeral and "Meetups held: 1" in text and "Going: 6 (6 different members)" in text
    assert "Answers afterwards: 4" in text
    assert "Met someone new: fewer than 5 answers, so not shown" in text
    assert "How it went: fewer than 5 answers, so not shown" in text

    await _answer_all(people[4:], lambda m: _asked(m)[0], event, ["not_for_me", "good"], ["no", "yes"])
    enough = embed_text(await server.organiser.slash(server.general, "event-admin stats", period="90"))
    assert "Met someone new: 67% of 6 who answered" in enough
    assert "How it went: Good 60% · Okay 20% · Not for me 20%" in enough
    met = await FeedbackService(store, simcord_env.bot.clock).met_someone_new(server.guild.id, days=30)
    assert met == 4

    with pytest.raises(SetupError, match="default-member-permissions"):  # hidden from members by Discord
        await server.alice.slash(server.general, "event-admin stats")
    admin = next(c for c in await simcord_env.bot.tree.fetch_commands() if c.name == "event-admin")
    server.guild.set_command_permissions(admin, {server.alice: True})
    refused = await server.alice.slash(server.general, "event-admin stats")  # and checked again at run time
    assert refused.response.content.startswith("Only organisers can do that")
    assert expected_errors(simcord_env) == ["NotOrganiser"]

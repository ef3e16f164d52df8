"""Due-work rows planned before payloads were typed still run after an upgrade: rounds, DMs with their buttons,
and members' daily nudge checks."""

from __future__ import annotations

from sqlalchemy import update

from bot.store.tables import due_work
from tests.behaviour.buddies_world import configure, join, threads_of
from tests.behaviour.nudges_world import button_ids, opt_in, run_next
from tests.behaviour.world import consenting_server


async def _as_legacy(store, key: str, payload: dict) -> None:
    async with store.engine.begin() as connection:
        await connection.execute(update(due_work).where(due_work.c.idempotency_key == key).values(payload=payload))


async def test_a_round_planned_with_only_its_server_still_runs_and_plans_the_next(simcord_env, store):
    server = await consenting_server(simcord_env)
    await configure(server, cadence=1)
    await join(server.alice, server.general)
    await join(server.bob, server.general)
    key = (await store.buddies.config(server.guild.id)).next_round_key
    await _as_legacy(store, key, {"guild_id": server.guild.id})

    await run_next(simcord_env, store, key)

    (round_,) = await store.buddies.recent_rounds(server.guild.id, 1)
    assert round_.round_key == key and len(threads_of(server.buddies)) == 1
    assert (await store.buddies.config(server.guild.id)).next_round_key not in (None, key)


async def test_a_queued_dm_with_its_buttons_as_a_dict_still_gets_them(simcord_env, store):
    server = await consenting_server(simcord_env)
    await configure(server, cadence=1)
    await join(server.alice, server.general)
    start = "20300107T1800"
    queued = await store.due_work.schedule("buddy.dm", {"user_id": server.alice.id, "text": "Round tomorrow",
                                                        "view": {"skip": [server.guild.id, start]}},
                                           simcord_env.now(), f"buddy.dm:heads-up:old:{server.alice.id}",
                                           now=simcord_env.now())
    assert queued

    await simcord_env.bot.due_work.sweep()

    message = server.alice.user.dm_channel.last_message
    assert message.content == "Round tomorrow"
    assert button_ids(message) == [f"hearth:bd:skip:{server.guild.id}:{start}"]
    skipped = await server.alice.user.click(message, custom_id=button_ids(message)[0])
    assert "sit this round out" in skipped.response.content
    profile = await store.buddies.profile(server.guild.id, server.alice.id)
    assert profile.skip_round_key == f"buddy-round:{server.guild.id}:{start}"


async def test_a_daily_check_planned_with_only_the_member_keeps_the_chain_going(simcord_env, store):
    server = await consenting_server(simcord_env)
    await opt_in(server.alice, server, time="09:00")
    key = (await store.nudges.get(server.alice.id)).next_check_key
    await _as_legacy(store, key, {"user_id": server.alice.id})

    await run_next(simcord_env, store, key)

    following = (await store.nudges.get(server.alice.id)).next_check_key
    assert following != key and (await store.due_work.get(following))["done_at"] is None

"""A buddy round commits whole or not at all: a failure half-way leaves nothing of it, and a restart runs it whole.

The failure is real: a SQLite trigger on the test's own database makes one statement of the round's
transaction fail (as a full disk or a killed connection would), no monkeypatching.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.demo.sim import simulated_bot
from bot.domain.buddy_work import BuddyDm, FollowUpDue, HeadsUpDue
from bot.store import Store
from bot.store.tables import buddy_group_members, buddy_groups, buddy_rounds, due_work
from tests.behaviour.buddies_world import configure, join, threads_of
from tests.behaviour.crashes import failing_inserts
from tests.behaviour.world import answer, consenting_server, expected_errors, newcomer


@pytest.fixture
async def server(simcord_env):
    return await consenting_server(simcord_env)


async def count(store: Store, table, *where) -> int:
    async with store.engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(table).where(*where))).scalar_one())


async def kinds(store: Store) -> list[str]:
    async with store.engine.connect() as connection:
        return sorted((await connection.execute(select(due_work.c.kind).where(due_work.c.done_at.is_(None))))
                      .scalars())


async def pool_of_three(server):
    """Alice and Bob can be paired; Carol blocked Alice, so she is left unmatched (and told so)."""
    await configure(server, cadence=1)
    carol = await newcomer(server, "carol")
    for member in (server.alice, server.bob, carol):
        await join(member, server.general)
    await carol.slash(server.general, "buddy block", member=server.alice)
    await carol.slash(server.general, "buddy block", member=server.bob)
    return carol


async def test_a_scheduled_round_that_fails_half_way_leaves_nothing_and_runs_whole_after_a_restart(
        server, store, settings, simcord_env):
    carol = await pool_of_three(server)
    first_key = (await store.buddies.config(server.guild.id)).next_round_key
    due = (await store.due_work.get(first_key))["due_at"]
    await simcord_env.advance_time((due - timedelta(days=1) - simcord_env.now()).total_seconds())
    await simcord_env.bot.due_work.sweep()  # the heads-up, and the DMs it queued, out of the way
    await simcord_env.bot.due_work.sweep()
    await simcord_env.advance_time((due - simcord_env.now()).total_seconds())
    before = await kinds(store)

    # The round, its groups and the members' bookkeeping are written; then its due work fails.
    async with failing_inserts(store, "due_work"):
        report = await simcord_env.bot.due_work.sweep()

    assert report.retried == 1
    assert await count(store, buddy_rounds) == 0
    assert await count(store, buddy_groups) == 0
    assert await count(store, buddy_group_members) == 0
    assert await kinds(store) == before  # no follow-up, no DMs, no next round: only the round's own row, to retry
    assert (await store.buddies.config(server.guild.id)).next_round_key == first_key
    assert (await store.buddies.profile(server.guild.id, server.alice.id)).rounds_paired == 0
    assert threads_of(server.buddies) == []

    await simcord_env.restart_bot(simulated_bot(store, settings))
    await simcord_env.advance_time(timedelta(minutes=2).total_seconds())  # past the retry's backoff
    await simcord_env.bot.due_work.sweep()  # the round, whole…
    await simcord_env.bot.due_work.sweep()  # …and the DM it queued

    (round_,) = await store.buddies.recent_rounds(server.guild.id, 1)
    assert round_.round_key == first_key and round_.unmatched == (carol.id,)
    (group,) = await store.buddies.groups(round_.id)
    assert set(group.members) == {server.alice.id, server.bob.id} and group.delivered == "thread"
    assert (await store.due_work.get(FollowUpDue(round_.id).key()))["due_at"] == round_.followup_at
    unmatched = BuddyDm(f"unmatched:{first_key}", carol.id).key()
    assert (await store.due_work.get(unmatched))["done_at"] is not None
    assert "couldn't find you a buddy in Riverside Support" in carol.user.dm_channel.last_message.content
    next_key = (await store.buddies.config(server.guild.id)).next_round_key
    assert next_key != first_key
    assert await store.due_work.get(next_key) is not None
    assert await store.due_work.get(HeadsUpDue(server.guild.id, next_key).key()) is not None
    assert len(threads_of(server.buddies)) == 1


async def test_pair_now_failing_between_groups_stores_no_round(server, store, simcord_env):
    await configure(server)
    members = [server.alice, server.bob] + [await newcomer(server, name) for name in ("carol", "dan")]
    for member in members:
        await join(member, server.general)
    before = await kinds(store)

    async with failing_inserts(store, "buddy_group_members"):
        failed = await server.organiser.slash(server.general, "hearth buddies pair-now")

    assert "Round done" not in (answer(failed).content or "")
    assert expected_errors(server.env) == ["IntegrityError"]  # answered politely, and logged
    assert await count(store, buddy_rounds) == 0
    assert await count(store, buddy_groups) == 0
    assert await kinds(store) == before
    assert [(await store.buddies.profile(server.guild.id, m.id)).rounds_paired for m in members] == [0] * 4

    await simcord_env.advance_time(301)  # the command's cooldown
    again = await server.organiser.slash(server.general, "hearth buddies pair-now")

    assert "4 in the pool, 2 pairs" in answer(again).content
    (round_,) = await store.buddies.recent_rounds(server.guild.id, 1)
    assert len(await store.buddies.groups(round_.id)) == 2
    assert await store.due_work.get(FollowUpDue(round_.id).key()) is not None
    assert len(threads_of(server.buddies)) == 2

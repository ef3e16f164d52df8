"""Leases, shard-filtered claims and the shared request budget, on SQLite and PostgreSQL where they apply."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.sharding import ShardPlan, shard_of
from bot.store import Store
from bot.store.tables import due_work

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
TTL = timedelta(seconds=90)
LEASE = timedelta(minutes=5)


def guild_on(shard: int, count: int, n: int = 0) -> int:
    """A guild id Discord puts on `shard` of `count`."""
    snowflake = ((1000 + n * count + shard) << 22) | 12345
    assert shard_of(snowflake, count) == shard
    return snowflake


async def test_a_lease_has_one_holder_until_it_expires(any_store: Store) -> None:
    leases = any_store.leases
    assert await leases.take("maintenance", "a", T0, TTL)
    assert not await leases.take("maintenance", "b", T0 + timedelta(seconds=30), TTL)
    assert await leases.take("maintenance", "a", T0 + timedelta(seconds=60), TTL)  # renewed by its holder
    assert not await leases.take("maintenance", "b", T0 + timedelta(seconds=120), TTL)  # renewal moved the expiry
    held = await leases.get("maintenance")
    assert held is not None and held.holder == "a" and held.expires_at == T0 + timedelta(seconds=150)

    assert await leases.take("maintenance", "b", T0 + timedelta(seconds=151), TTL)  # a stopped renewing
    assert not await leases.take("maintenance", "a", T0 + timedelta(seconds=152), TTL)
    held = await leases.get("maintenance")
    assert held is not None and held.holder == "b"


async def test_released_leases_are_free_at_once_and_only_the_holders_go(any_store: Store) -> None:
    leases = any_store.leases
    assert await leases.take("maintenance", "a", T0, TTL)
    assert await leases.take("other", "b", T0, TTL)
    assert await leases.release("a") == 1
    assert await leases.take("maintenance", "b", T0 + timedelta(seconds=1), TTL)
    assert await leases.release("nobody") == 0
    held = await leases.get("other")
    assert held is not None and held.holder == "b"


async def test_concurrent_takers_get_one_holder(any_store: Store, any_url: str) -> None:
    async def take(name: str) -> bool:
        async with Store.open(any_url) as store:
            return await store.leases.take("maintenance", name, T0, TTL)

    results = await asyncio.gather(*(take(f"p{n}") for n in range(6)))
    assert sum(results) == 1


async def test_planned_work_names_its_server(any_store: Store) -> None:
    await any_store.due_work.schedule("buddy.round", {"guild_id": 5}, T0, "a", now=T0)
    await any_store.due_work.schedule("checkin.prompt", {"user_id": 99}, T0, "b", now=T0)
    await any_store.due_work.schedule("odd", {"guild_id": "5"}, T0, "c", now=T0)
    async with any_store.engine.connect() as connection:
        rows = dict((await connection.execute(select(due_work.c.idempotency_key, due_work.c.guild_id))).all())
    assert rows == {"a": 5, "b": None, "c": None}


async def test_a_process_claims_its_shards_servers_and_member_level_work(any_store: Store) -> None:
    count = 4
    items = [("server", {"guild_id": guild_on(shard, count, n)}, T0, f"g-{shard}-{n}")
             for shard in range(count) for n in range(3)]
    items += [("member", {"user_id": 1000 + n}, T0, f"m-{n}") for n in range(8)]
    await any_store.due_work.schedule_many(items, now=T0)

    mine = ShardPlan(count, (1, 3))
    claimed = await any_store.due_work.claim_due(T0, 100, "p1", lease=LEASE, shards=mine)
    servers = {item.payload["guild_id"] for item in claimed if "guild_id" in item.payload}
    assert servers == {guild_on(shard, count, n) for shard in (1, 3) for n in range(3)}
    assert sum("user_id" in item.payload for item in claimed) == 8

    other = await any_store.due_work.claim_due(T0, 100, "p0", lease=LEASE, shards=ShardPlan(count, (0, 2)))
    assert {shard_of(item.payload["guild_id"], count) for item in other} == {0, 2}
    assert len(other) == 6  # the member-level rows were claimed already: never twice


async def test_every_shard_or_none_claims_everything(any_store: Store) -> None:
    await any_store.due_work.schedule_many(
        [("server", {"guild_id": guild_on(shard, 2)}, T0, f"g-{shard}") for shard in range(2)], now=T0)
    assert len(await any_store.due_work.claim_due(T0, 10, "p", lease=LEASE, shards=ShardPlan(2, (0, 1)))) == 2


async def test_an_expired_claim_is_taken_over_only_by_a_process_on_that_shard(any_store: Store) -> None:
    guild = guild_on(1, 2)
    await any_store.due_work.schedule("server", {"guild_id": guild}, T0, "g", now=T0)
    assert len(await any_store.due_work.claim_due(T0, 10, "dead", lease=LEASE, shards=ShardPlan(2, (1,)))) == 1
    later = T0 + LEASE + timedelta(seconds=1)
    assert await any_store.due_work.claim_due(later, 10, "p0", lease=LEASE, shards=ShardPlan(2, (0,))) == []
    [taken] = await any_store.due_work.claim_due(later, 10, "p1", lease=LEASE, shards=ShardPlan(2, (1,)))
    assert taken.interrupted and taken.claimed_by == "p1"


async def test_exclusive_runs_one_block_at_a_time_across_stores(any_store: Store, any_url: str) -> None:
    inside: list[str] = []
    overlaps: list[tuple[str, ...]] = []

    async def hold(name: str) -> None:
        async with Store.open(any_url) as store:
            store = any_store if any_store.dialect == "sqlite" else store  # one SQLite database, one process
            async with store.exclusive("command-sync"):
                inside.append(name)
                overlaps.append(tuple(inside))
                await asyncio.sleep(0.05)
                inside.remove(name)

    await asyncio.gather(*(hold(f"p{n}") for n in range(3)))
    assert all(len(seen) == 1 for seen in overlaps) and len(overlaps) == 3


# The shared request budget is for several processes, so PostgreSQL only (one SQLite database, one process).
postgres_only = pytest.mark.parametrize("backend", ["postgresql"])


@postgres_only
async def test_the_budget_grants_at_most_its_burst_then_refills_by_the_database_clock(any_store: Store) -> None:
    budget = any_store.rate_budget
    await budget.ensure("discord", burst=3)
    await budget.ensure("discord", burst=3)  # every process ensures it: the second changes nothing
    first = await budget.take("discord", 10, rate=1.0, burst=3)
    assert first.tokens == 3
    empty = await budget.take("discord", 10, rate=1.0, burst=3)
    assert empty.tokens == 0 and 0 < empty.wait_seconds <= 1.0
    await asyncio.sleep(empty.wait_seconds + 0.05)
    assert (await budget.take("discord", 10, rate=1.0, burst=3)).tokens == 1


@postgres_only
async def test_concurrent_takers_never_share_tokens(any_store: Store, any_url: str) -> None:
    await any_store.rate_budget.ensure("discord", burst=20)

    async def drain() -> int:
        async with Store.open(any_url) as store:
            return sum([(await store.rate_budget.take("discord", 3, rate=0.001, burst=20)).tokens
                        for _ in range(5)])

    assert sum(await asyncio.gather(*(drain() for _ in range(4)))) == 20


@postgres_only
async def test_a_pause_stops_every_grant_until_it_ends(any_store: Store) -> None:
    budget = any_store.rate_budget
    await budget.ensure("discord", burst=5)
    await budget.pause("discord", 30.0)
    grant = await budget.take("discord", 1, rate=50.0, burst=5)
    assert grant.tokens == 0 and 29.0 < grant.wait_seconds <= 30.0


@postgres_only
async def test_taking_an_unknown_budget_says_so(any_store: Store) -> None:
    with pytest.raises(LookupError, match="ensure"):
        await any_store.rate_budget.take("nothing", 1, rate=1.0, burst=1)

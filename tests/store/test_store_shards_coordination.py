"""Several Hearth processes on one PostgreSQL keep one pace for Discord, and one of them runs the maintenance.

Each "process" is a `Store.open(url)` of its own with its own `SharedRateLimiter` or `Coordination`, as each
shard process builds them in `HearthBot.__init__`.
"""

from __future__ import annotations

import asyncio
import time
from bisect import bisect_right
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.clock import ManualClock
from bot.coordination import MAINTENANCE, Coordination
from bot.ratelimit import SharedRateLimiter
from bot.store import Store
from bot.store.tables import rate_budget

postgres_only = pytest.mark.parametrize("backend", ["postgresql"])
LIMIT = 20  # requests a second, for the whole bot
EACH = 20  # requests each process sends at once


class GrantTimes:
    """A RequestObserver: when each request was let go, read at the moment the limiter lets it go."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def request_sent(self) -> None:
        self.times.append(time.monotonic())

    def rate_limited(self, retry_after: float) -> None:
        pass


def busiest_second(times: list[float]) -> int:
    """The most grants in any window of one second."""
    ordered = sorted(times)
    return max(bisect_right(ordered, start + 1.0) - index for index, start in enumerate(ordered))


@postgres_only
async def test_three_processes_together_never_exceed_the_bots_limit_in_any_second(any_url: str,
                                                                                   any_store: Store) -> None:
    observers = [GrantTimes() for _ in range(3)]
    async with Store.open(any_url) as s0, Store.open(any_url) as s1, Store.open(any_url) as s2:
        limiters = [SharedRateLimiter(LIMIT, store.rate_budget, observer=observer)
                    for store, observer in zip((s0, s1, s2), observers, strict=True)]
        for limiter, store in zip(limiters, (s0, s1, s2), strict=True):
            await store.rate_budget.ensure(limiter.name, limiter.burst)  # as every process's setup_hook does
        async with asyncio.timeout(60):
            await asyncio.gather(*(limiter.acquire() for limiter in limiters for _ in range(EACH)))

    every = [moment for observer in observers for moment in observer.times]
    assert [len(observer.times) for observer in observers] == [EACH] * 3
    assert [limiter.acquired for limiter in limiters] == [EACH] * 3
    # An upper bound only: a slow machine spreads the grants out. One process alone takes up to 17 a second
    # (85% of the limit), so three that did not share the budget would let about 45 through in a second.
    assert busiest_second(every) <= LIMIT


@postgres_only
async def test_a_429_seen_by_one_process_holds_every_process_back(any_url: str, any_store: Store) -> None:
    observers = [GrantTimes() for _ in range(3)]
    async with Store.open(any_url) as s0, Store.open(any_url) as s1, Store.open(any_url) as s2:
        limiters = [SharedRateLimiter(LIMIT, store.rate_budget, observer=observer)
                    for store, observer in zip((s0, s1, s2), observers, strict=True)]
        await s0.rate_budget.ensure(limiters[0].name, limiters[0].burst)
        paused_at = time.monotonic()
        limiters[0].pause(1.0)  # Discord answered this process 429 with retry_after 1 s
        async with asyncio.timeout(10):
            for _ in range(500):  # the pause is written by a task of its own: let it land
                if await _paused_until(s1) > 0.0:
                    break
                await asyncio.sleep(0.01)
            await asyncio.gather(limiters[1].acquire(), limiters[2].acquire(), limiters[0].acquire())

    # The other two never saw the 429, and still waited for it to end (a lower bound: never flaky when slow).
    for observer in observers:
        assert len(observer.times) == 1 and observer.times[0] - paused_at >= 0.95


async def _paused_until(store: Store) -> float:
    async with store.engine.connect() as connection:
        return float((await connection.execute(select(rate_budget.c.paused_until))).scalar_one())


T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
TTL = timedelta(seconds=90)


@postgres_only
async def test_one_process_leads_the_maintenance_and_another_takes_over_when_it_stops(any_url: str,
                                                                                       any_store: Store) -> None:
    clock = ManualClock(T0)
    ran: list[str] = []

    def purge(owner: str) -> Callable[[], Awaitable[str]]:
        async def job() -> str:
            ran.append(owner)
            return owner
        return job

    async with Store.open(any_url) as s0, Store.open(any_url) as s1, Store.open(any_url) as s2:
        first, second, third = (Coordination(store, clock, owner=owner, ttl=TTL)
                                for store, owner in ((s0, "p0"), (s1, "p1"), (s2, "p2")))
        leaders = await asyncio.gather(first.lead(), second.lead(), third.lead())  # three start together
        assert sum(leaders) == 1
        leader, *others = sorted((first, second, third), key=lambda c: not c.leading)
        jobs = {c.owner: c.singleton("due-work-purge", purge(c.owner)) for c in (first, second, third)}
        assert [await jobs[c.owner]() for c in (first, second, third)].count(None) == 2
        assert ran == [leader.owner]

        # A clean stop hands the lease back: the next process to look leads at once.
        await leader.release()
        assert not leader.leading
        ran.clear()
        assert await jobs[others[0].owner]() == others[0].owner
        assert await jobs[others[1].owner]() is None
        assert ran == [others[0].owner]
        held = await s0.leases.get(MAINTENANCE)
        assert held is not None and held.holder == others[0].owner

        # Killed: it just stops renewing. Nobody else leads until the lease it last renewed has expired.
        killed, survivor = others
        clock.set(T0 + timedelta(seconds=30))
        assert await killed.lead()  # its last heartbeat
        ran.clear()
        clock.set(T0 + timedelta(seconds=30) + TTL - timedelta(seconds=1))
        assert await jobs[survivor.owner]() is None and not survivor.leading
        clock.set(T0 + timedelta(seconds=30) + TTL)
        assert await jobs[survivor.owner]() == survivor.owner
        assert ran == [survivor.owner]
        clock.set(T0 + timedelta(seconds=31) + TTL)
        assert await survivor.lead()  # renewed by its holder
        assert not await leader.lead()  # a process that comes back does not take it from the new leader
        held = await s0.leases.get(MAINTENANCE)
        assert held is not None and held.holder == survivor.owner

"""Several Hearth processes on one PostgreSQL: every due row is handled once, by a process that may handle it,
and a crashed process's rows are taken over once its claims expire.

A "process" here is what a shard process has of its own: a `Store.open(url)` (its engine and connections) and a
`DueWorkRunner` with its `ShardPlan`. The rows are real kinds, planned through their payload classes as the
services plan them, so `guild_id` is filled from the payload exactly as in production. The last test kills a real
OS process with SIGKILL.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.clock import ManualClock
from bot.domain.buddy_work import BuddyDm, FollowUpDue, HeadsUpDue, RoundDue
from bot.domain.checkin_schedule import CheckinPrompt
from bot.domain.companions import PairingRound
from bot.domain.event_feedback import FeedbackAsk, FeedbackFanOut
from bot.domain.event_reminders import EventReminder
from bot.domain.event_series import SeriesAnnouncement
from bot.domain.notices import DmNotice
from bot.domain.nudge_work import CheckDue, DigestDue, ServerDigestDue
from bot.domain.privacy import PrivacyErase
from bot.domain.safety import HomeCheck
from bot.domain.work import Planned, Work
from bot.scheduling import DueWorkRunner
from bot.sharding import ShardPlan, shard_of
from bot.store import DueItem, Store
from bot.store.tables import due_work

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)
PROJECT_ROOT = Path(__file__).resolve().parents[2]
postgres_only = pytest.mark.parametrize("backend", ["postgresql"])
SERVERS_PER_SHARD = 40


def guild_on(shard: int, count: int, n: int) -> int:
    """The `n`th guild id Discord puts on `shard` of `count`."""
    snowflake = ((5000 + n * count + shard) << 22) | 777
    assert shard_of(snowflake, count) == shard
    return snowflake


def server_work(guild: int, n: int) -> list[Work]:
    """Work whose handler needs its server's gateway: each payload names the server."""
    return [
        RoundDue(guild, f"buddy-round:{guild}:{n}"),
        HeadsUpDue(guild, f"buddy-round:{guild}:{n}"),
        SeriesAnnouncement(n, 2, guild_id=guild),
        ServerDigestDue(guild, f"2026-W{n % 50 + 1:02d}"),
        PairingRound(n, "48h", T0 + timedelta(days=2), guild_id=guild),
        HomeCheck(user_id=n, ref=f"event:{n}", stage="ask", guild_id=guild, ends_at=T0),
        PrivacyErase(guild, 10_000 + n, T0 - timedelta(days=3)),
    ]


def member_work(user: int, n: int) -> list[Work]:
    """Work that only needs Discord's HTTP API: no server in the payload, so any process may run it."""
    return [
        CheckinPrompt(user, T0 - timedelta(minutes=n % 60)),
        EventReminder(n, user, "1h", T0 + timedelta(hours=1)),
        DigestDue(user, "2026-W19"),
        DmNotice(occasion=f"event-cancelled:{n}", user_id=user, text="The walk is cancelled."),
        BuddyDm(f"met:{n}", user, "Did you meet?"),
        FeedbackAsk(n, user),
        CheckDue(user, T0),
        FollowUpDue(n),
        FeedbackFanOut(n, T0 - timedelta(hours=1)),
    ]


KINDS = sorted({work.KIND for work in server_work(1, 1) + member_work(1, 1)})
SERVER_KINDS = {work.KIND for work in server_work(1, 1)}


async def plan(store: Store, works: list[Work]) -> dict[int, int | None]:
    """Plan the works, due over the past hour in the order given. Row id → the server its row is routed to."""
    planned = [Planned(work, T0 - timedelta(seconds=len(works) - i)) for i, work in enumerate(works)]
    assert await store.due_work.plan(planned, now=T0 - timedelta(hours=1)) == len(works)
    async with store.engine.connect() as connection:
        return dict((await connection.execute(select(due_work.c.id, due_work.c.guild_id))).all())


async def row_states(store: Store) -> dict[int, tuple[int, bool, bool]]:
    """Row id → (attempts, interrupted, done)."""
    async with store.engine.connect() as connection:
        rows = (await connection.execute(select(due_work.c.id, due_work.c.attempts, due_work.c.interrupted,
                                                due_work.c.done_at.is_not(None)))).all()
    return {row_id: (attempts, interrupted, done) for row_id, attempts, interrupted, done in rows}


@dataclass
class Handled:
    """Every call of every process's handlers: (process, row id, interrupted), in call order."""

    calls: list[tuple[str, int, bool]] = field(default_factory=list)

    def by(self, process: str) -> set[int]:
        return {row for name, row, _ in self.calls if name == process}

    def counts(self) -> Counter[int]:
        return Counter(row for _, row, _ in self.calls)


def runner(store: Store, clock: ManualClock, owner: str, shards: ShardPlan, handled: Handled, *,
           batch: int = 50, concurrency: int = 4, serial_servers: bool = True,
           hang: Callable[[DueItem], bool] = lambda item: False) -> DueWorkRunner:
    """A process's runner: every kind registered, each call recorded; a row `hang` picks never returns.

    `serial_servers`: server kinds one row at a time, as their cogs register them (DMs side by side). The crash
    tests run every kind side by side, so that two handlers really are stuck at once when the process dies."""
    work = DueWorkRunner(store, clock, owner=owner, shards=shards, batch=batch, lease=LEASE, max_attempts=3,
                         concurrency=concurrency)

    async def handle(item: DueItem) -> None:
        handled.calls.append((owner, item.id, item.interrupted))
        if hang(item):
            await asyncio.Future()  # a handler stuck on Discord when the process is killed
        await asyncio.sleep(0)  # let the other processes' sweeps in between rows

    for kind in KINDS:
        work.register(kind, handle, concurrent=not (serial_servers and kind in SERVER_KINDS))
    return work


async def drain(work: DueWorkRunner) -> None:
    """Sweep until a sweep finds nothing it may claim."""
    while (await work.sweep()).claimed:
        pass


@postgres_only
@pytest.mark.parametrize(("processes", "shard_count"), [(2, 4), (3, 4)])
async def test_processes_sweeping_together_handle_every_row_once_and_servers_only_on_their_shard(
        any_store: Store, any_url: str, processes: int, shard_count: int) -> None:
    works: list[Work] = []
    for n in range(SERVERS_PER_SHARD * shard_count):  # interleaved with members' work
        works += server_work(guild_on(n % shard_count, shard_count, n), n)
        works += member_work(20_000 + n, n)
    routes = await plan(any_store, works)
    assert len(routes) == len(works) > 2000
    plans = {f"p{index}": ShardPlan.split(shard_count, index, processes) for index in range(processes)}
    clock = ManualClock(T0)
    handled = Handled()

    async with Store.open(any_url) as s0, Store.open(any_url) as s1, Store.open(any_url) as s2:
        stores = [s0, s1, s2][:processes]
        for store in stores:
            await store.ping()  # connected before the race starts, as running processes are
        runners = [runner(store, clock, name, shards, handled)
                   for store, (name, shards) in zip(stores, plans.items(), strict=True)]
        async with asyncio.timeout(120):
            await asyncio.gather(*(drain(work) for work in runners))

    assert [row for row, seen in handled.counts().items() if seen > 1] == []
    assert set(handled.counts()) == set(routes)
    for name, row, interrupted in handled.calls:
        guild = routes[row]
        assert guild is None or plans[name].owns(guild), f"{name} ran row {row} of a server on another shard"
        assert not interrupted
    member_rows = {row for row, guild in routes.items() if guild is None}
    assert len(member_rows) == len(member_work(1, 1)) * SERVERS_PER_SHARD * shard_count
    assert all(handled.by(name) - member_rows for name in plans)  # every process ran its own servers' rows
    assert sum(1 for name in plans if handled.by(name) & member_rows) >= 2  # member-level work was shared out
    assert await any_store.due_work.counts() == {"open": 0, "done": len(works), "gave_up": 0}
    assert {attempts for attempts, _, _ in (await row_states(any_store)).values()} == {1}


def crash_seed() -> list[Work]:
    """Due in this order: a server on shard 0, one on shard 1, a member's row; and again, 15 times."""
    works: list[Work] = []
    for n in range(15):
        works.append(RoundDue(guild_on(0, 2, n), f"buddy-round:a:{n}"))
        works.append(SeriesAnnouncement(n, 2, guild_id=guild_on(1, 2, n)))
        works.append(CheckinPrompt(30_000 + n, T0))
    return works


def assert_on_their_shards(handled: Handled, routes: dict[int, int | None]) -> None:
    """B runs shard 1, every other process shard 0 (the killed one, and it restarted)."""
    for name, row, _ in handled.calls:
        guild = routes[row]
        assert guild is None or shard_of(guild, 2) == (1 if name == "b" else 0), f"{name} ran row {row}"


KILLED_AFTER = 6  # rows the first process finishes before its next two handlers hang and it is killed


@postgres_only
async def test_a_killed_process_rows_wait_for_the_lease_then_go_to_a_process_that_may_run_them(
        any_store: Store, any_url: str) -> None:
    routes = await plan(any_store, crash_seed())
    clock = ManualClock(T0)
    handled = Handled()
    stuck: list[int] = []
    both_stuck = asyncio.Event()

    def hang(item: DueItem) -> bool:
        if len(handled.by("a")) <= KILLED_AFTER:
            return False
        stuck.append(item.id)
        if len(stuck) == 2:
            both_stuck.set()
        return True

    async with Store.open(any_url) as a_store, Store.open(any_url) as b_store, Store.open(any_url) as a2_store:
        a = runner(a_store, clock, "a", ShardPlan(2, (0,)), handled, batch=20, concurrency=2,
                   serial_servers=False, hang=hang)
        a_sweep = asyncio.create_task(a.sweep())
        async with asyncio.timeout(30):
            await both_stuck.wait()
        b = runner(b_store, clock, "b", ShardPlan(2, (1,)), handled)
        await drain(b)  # while A hangs: B takes its own servers and the members' rows A did not claim
        clock.set(T0 + LEASE - timedelta(seconds=1))
        await drain(b)

        # Killed: no stop(), no release, its connections gone. (The rows it finished before are marked, as the
        # sweep's flush on its way out marks them; the SIGKILL test below has no such flush.)
        a_sweep.cancel()
        with pytest.raises(asyncio.CancelledError):
            await a_sweep
        await a_store.engine.dispose()
        async with any_store.engine.connect() as connection:
            held = set((await connection.execute(select(due_work.c.id).where(
                due_work.c.claimed_by == "a", due_work.c.done_at.is_(None)))).scalars())
        assert set(stuck) <= held and len(held) == 20 - KILLED_AFTER
        assert not (handled.by("b") & held)  # nothing of A's was taken while its claims were fresh

        a2 = runner(a2_store, clock, "a2", ShardPlan(2, (0,)), handled)  # A restarted, claims not yet expired
        await drain(a2)
        assert not (handled.by("a2") & held)

        clock.set(T0 + LEASE + timedelta(seconds=1))
        before = len(handled.calls)
        await drain(b)  # B takes A's member-level rows…
        await drain(a2)  # …and A's servers wait for a process on shard 0
        taken_over = handled.calls[before:]

    assert {row for _, row, _ in taken_over} == held
    for name, row, interrupted in taken_over:
        assert interrupted, f"row {row} was A's but came back to {name} as if new"
        assert name == ("b" if routes[row] is None else "a2")
    assert all(not interrupted for _, _, interrupted in handled.calls[:before])
    assert {row for row, seen in handled.counts().items() if seen > 1} == set(stuck)  # only the two in flight
    assert set(handled.counts()) == set(routes)
    assert_on_their_shards(handled, routes)
    assert await any_store.due_work.counts() == {"open": 0, "done": len(routes), "gave_up": 0}
    states = await row_states(any_store)
    assert {row for row, (attempts, _, _) in states.items() if attempts == 2} == held


# A shard-0 process in its own interpreter, on a clock fixed at T0: it says "ready", then sweeps once, printing
# each row it starts; after KILLED_AFTER rows its handlers hang (awaiting Discord, say) until it is killed.
SWEEPER = """
import asyncio, json, sys
from datetime import datetime, timedelta

from bot.clock import ManualClock
from bot.scheduling import DueWorkRunner
from bot.sharding import ShardPlan
from bot.store import Store


async def main(url, now, kinds, killed_after):
    async with Store.open(url) as store:
        await store.ping()
        started = 0

        async def handle(item):
            nonlocal started
            started += 1
            print("handled", item.id, flush=True)
            if started > killed_after:
                await asyncio.Future()

        runner = DueWorkRunner(store, ManualClock(now), owner="killed", shards=ShardPlan(2, (0,)), batch=20,
                               lease=timedelta(minutes=5), max_attempts=3, concurrency=2)
        for kind in kinds:
            runner.register(kind, handle, concurrent=True)
        print("ready", flush=True)
        await runner.sweep()


asyncio.run(main(sys.argv[1], datetime.fromisoformat(sys.argv[2]), json.loads(sys.argv[3]), int(sys.argv[4])))
"""


def _child_env() -> dict[str, str]:
    paths = [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in paths if path)}


@postgres_only
async def test_rows_of_a_process_killed_with_sigkill_mid_sweep_come_back_interrupted_once(
        any_store: Store, any_url: str) -> None:
    routes = await plan(any_store, crash_seed())
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", SWEEPER, any_url, T0.isoformat(), json.dumps(KINDS), str(KILLED_AFTER),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, cwd=PROJECT_ROOT, env=_child_env())
    started: list[int] = []
    try:
        assert process.stdout is not None
        async with asyncio.timeout(60):
            while len(started) < KILLED_AFTER + 2:  # two handlers are now stuck
                line = (await process.stdout.readline()).decode().split()
                if not line:
                    _, err = await process.communicate()
                    raise AssertionError(f"the sweeper stopped: {err.decode()[-2000:]}")
                if line[0] == "handled":
                    started.append(int(line[1]))
        process.send_signal(signal.SIGKILL)
        await process.wait()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == -signal.SIGKILL

    states = await row_states(any_store)
    marked = {row for row, (_, _, done) in states.items() if done}
    async with any_store.engine.connect() as connection:
        held = set((await connection.execute(select(due_work.c.id).where(
            due_work.c.claimed_by == "killed", due_work.c.done_at.is_(None)))).scalars())
    assert marked <= set(started) and len(marked | held) == 20  # its batch: finished, marked or not, or waiting
    assert set(started[-2:]) <= held

    clock = ManualClock(T0 + timedelta(minutes=1))
    handled = Handled()
    async with Store.open(any_url) as b_store, Store.open(any_url) as a2_store:
        b = runner(b_store, clock, "b", ShardPlan(2, (1,)), handled)
        a2 = runner(a2_store, clock, "a2", ShardPlan(2, (0,)), handled)
        await asyncio.gather(drain(b), drain(a2))
        assert not ((handled.by("b") | handled.by("a2")) & held)  # its claims are still fresh
        clock.set(T0 + LEASE + timedelta(seconds=1))
        before = len(handled.calls)
        await asyncio.gather(drain(b), drain(a2))
        taken_over = handled.calls[before:]

    assert {row for _, row, _ in taken_over} == held
    assert all(interrupted for _, _, interrupted in taken_over)
    assert_on_their_shards(handled, routes)
    assert [row for row, seen in handled.counts().items() if seen > 1] == []  # the live ones ran each row once
    assert not (set(handled.counts()) & marked)  # what the killed process marked done never ran again
    assert set(handled.counts()) | marked == set(routes)
    assert await any_store.due_work.counts() == {"open": 0, "done": len(routes), "gave_up": 0}


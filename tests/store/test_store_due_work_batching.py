"""Bulk due-work operations (plan, cancel_many, complete_many) and the runner's batched completion, on both backends."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import ClassVar

import pytest

from bot.clock import ManualClock
from bot.domain.work import Planned, Work, key_part
from bot.scheduling import DueWorkRunner
from bot.store import DueItem, Store

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)
MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class Greeting(Work):
    KIND: ClassVar[str] = "test.greeting"
    user_id: int = key_part()
    due: datetime = key_part()
    text: str = ""


class ProcessDied(BaseException):
    """A process killed mid-sweep: not an Exception, so nothing in the runner catches it."""


async def _schedule(store: Store, key: str, due_at: datetime = T0 - MINUTE, kind: str = "greet") -> None:
    assert await store.due_work.schedule(kind, {"key": key}, due_at, key, now=T0 - timedelta(hours=1))


def _counting_completes(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """Record each complete_many call's ids, still calling the real one."""
    calls: list[list[int]] = []
    real = store.due_work.complete_many

    async def complete_many(item_ids: Sequence[int], owner: str, now: datetime) -> set[int]:
        calls.append(list(item_ids))
        return await real(item_ids, owner, now)

    monkeypatch.setattr(store.due_work, "complete_many", complete_many)
    return calls


async def _done(store: Store, key: str) -> bool:
    row = await store.due_work.get(key)
    assert row is not None, key
    return row["done_at"] is not None


# --- plan -----------------------------------------------------------------------------------------


async def test_plan_adds_typed_work_once_per_key(any_store: Store) -> None:
    first = Greeting(user_id=7, due=T0, text="hello")
    second = Greeting(user_id=8, due=T0, text="hi")
    again = Greeting(user_id=7, due=T0, text="changed")  # same key: the first one stays

    added = await any_store.due_work.plan([Planned(first, T0), Planned(second, T0 + MINUTE), Planned(again, T0)],
                                          now=T0 - MINUTE)

    assert added == 2
    assert await any_store.due_work.plan([Planned(again, T0)], now=T0) == 0
    row = await any_store.due_work.get(first.key())
    assert row is not None
    assert first.key() == "test.greeting:7:20260301T120000"
    assert row["kind"] == Greeting.KIND and row["due_at"] == T0 and row["created_at"] == T0 - MINUTE
    assert Greeting.decode(row["payload"]) == first
    claimed = await any_store.due_work.claim_due(T0 + MINUTE, 10, "o", lease=LEASE, kinds=[Greeting.KIND])
    assert [Greeting.decode(item.payload) for item in claimed] == [first, second]


async def test_plan_in_a_rolled_back_unit_of_work_leaves_nothing(any_store: Store) -> None:
    with pytest.raises(RuntimeError):
        async with any_store.transaction() as tx:
            assert await tx.due_work.plan([Planned(Greeting(user_id=1, due=T0), T0)], now=T0) == 1
            raise RuntimeError("the use case failed after planning")

    assert await any_store.due_work.counts() == {"open": 0, "done": 0, "gave_up": 0}


async def test_plan_many_rows_in_chunks(any_store: Store) -> None:
    planned = [Planned(Greeting(user_id=n, due=T0), T0) for n in range(2300)]
    assert await any_store.due_work.plan(planned, now=T0) == 2300
    assert await any_store.due_work.plan(planned[1500:], now=T0) == 0
    assert (await any_store.due_work.counts())["open"] == 2300


# --- cancel_many ----------------------------------------------------------------------------------


async def test_cancel_many_removes_only_open_unclaimed_work(any_store: Store) -> None:
    for key in ("open", "claimed", "done"):
        await _schedule(any_store, key)
    await _schedule(any_store, "future", T0 + timedelta(days=1))
    work = any_store.due_work
    items = {item.idempotency_key: item for item in await work.claim_due(T0, 10, "o", lease=LEASE)}
    assert await work.release([items["open"].id], "o") == 1
    assert await work.complete(items["done"].id, "o", T0)

    removed = await work.cancel_many(["open", "claimed", "done", "future", "missing", "open"])

    assert removed == 2
    assert await work.get("open") is None and await work.get("future") is None
    assert await work.get("claimed") is not None and await _done(any_store, "done")
    assert await work.cancel_many([]) == 0
    assert await work.schedule("greet", {}, T0, "open", now=T0)  # a cancelled key can be planned again


async def test_cancel_many_in_chunks(any_store: Store) -> None:
    await any_store.due_work.schedule_many([("greet", {}, T0, f"k{n}") for n in range(2100)], now=T0)
    assert await any_store.due_work.cancel_many([f"k{n}" for n in range(2050)] + ["missing"]) == 2050
    assert (await any_store.due_work.counts())["open"] == 50


# --- complete_many --------------------------------------------------------------------------------


async def test_complete_many_marks_only_rows_still_claimed_by_the_owner(any_store: Store) -> None:
    for key in ("mine-1", "mine-2", "lost", "done", "unclaimed"):
        await _schedule(any_store, key, T0 - timedelta(minutes=10) if key != "unclaimed" else T0 + MINUTE)
    work = any_store.due_work
    items = {item.idempotency_key: item for item in await work.claim_due(T0, 10, "o", lease=LEASE)}
    assert await work.complete(items["done"].id, "o", T0)
    await work.release([items["lost"].id], "o")
    (taken,) = await work.claim_due(T0, 10, "other", lease=LEASE)
    unclaimed = await work.get("unclaimed")
    assert unclaimed is not None

    ids = [items["mine-1"].id, items["mine-2"].id, taken.id, items["done"].id, unclaimed["id"], items["mine-1"].id]
    marked = await work.complete_many(ids, "o", T0 + MINUTE)

    assert marked == {items["mine-1"].id, items["mine-2"].id}
    for key in ("mine-1", "mine-2"):
        row = await work.get(key)
        assert row is not None and row["done_at"] == T0 + MINUTE and row["claimed_by"] is None
    assert (await work.get("lost") or {})["claimed_by"] == "other"
    assert (await work.get("done") or {})["done_at"] == T0  # not marked twice
    assert await work.complete_many([], "o", T0) == set()
    assert await work.counts() == {"open": 2, "done": 3, "gave_up": 0}


async def test_complete_many_in_chunks(any_store: Store) -> None:
    await any_store.due_work.schedule_many([("greet", {}, T0, f"k{n}") for n in range(2200)], now=T0)
    claimed = await any_store.due_work.claim_due(T0, 3000, "o", lease=LEASE)
    assert len(await any_store.due_work.complete_many([item.id for item in claimed], "o", T0)) == 2200
    assert await any_store.due_work.counts() == {"open": 0, "done": 2200, "gave_up": 0}


# --- the runner marks finished rows in batches ------------------------------------------------------


def _runner(store: Store, *, complete_batch: int = 100, complete_seconds: float = 60.0, owner: str = "runner-1",
            clock: ManualClock | None = None, concurrency: int = 1) -> DueWorkRunner:
    return DueWorkRunner(store, clock or ManualClock(T0), owner=owner, batch=50, lease=LEASE, max_attempts=3,
                         concurrency=concurrency, complete_batch=complete_batch, complete_seconds=complete_seconds)


async def test_finished_rows_are_marked_a_batch_at_a_time(any_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(7):
        await _schedule(any_store, f"k{n}", T0 - timedelta(minutes=10 - n))
    calls = _counting_completes(any_store, monkeypatch)
    runner = _runner(any_store, complete_batch=3)
    seen_done: dict[str, list[bool]] = {}

    async def handler(item: DueItem) -> None:
        seen_done[item.idempotency_key] = [await _done(any_store, f"k{n}") for n in range(7)]

    runner.register("greet", handler)
    report = await runner.sweep()

    assert (report.claimed, report.done) == (7, 7)
    assert [len(ids) for ids in calls] == [3, 3, 1]  # the last one at the end of the sweep
    assert seen_done["k3"] == [True] * 3 + [False] * 4  # marked before the next row started
    assert seen_done["k2"] == [False] * 7
    assert await any_store.due_work.counts() == {"open": 0, "done": 7, "gave_up": 0}


async def test_rows_wait_at_most_the_interval_to_be_marked(any_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    for n, key in enumerate(("quick", "slow", "after")):
        await _schedule(any_store, key, T0 - timedelta(minutes=10 - n))
    calls = _counting_completes(any_store, monkeypatch)
    runner = _runner(any_store, complete_batch=100, complete_seconds=0.05)
    seen: list[bool] = []

    async def handler(item: DueItem) -> None:
        if item.idempotency_key == "slow":
            await asyncio.sleep(0.06)  # waiting on Discord longer than the interval
        if item.idempotency_key == "after":
            seen.extend([await _done(any_store, "quick"), await _done(any_store, "slow")])

    runner.register("greet", handler)
    report = await runner.sweep()

    assert report.done == 3 and seen == [True, True]
    assert sum(len(ids) for ids in calls) == 3 and len(calls) >= 2


async def test_a_handler_that_breaks_the_sweep_leaves_rows_before_it_marked(any_store: Store) -> None:
    for n in range(3):
        await _schedule(any_store, f"k{n}", T0 - timedelta(minutes=10 - n))
    clock = ManualClock(T0)
    runner = _runner(any_store, clock=clock)

    async def dies_on_the_third(item: DueItem) -> None:
        if item.idempotency_key == "k2":
            raise ProcessDied

    runner.register("greet", dies_on_the_third)
    with pytest.raises(ProcessDied):
        await runner.sweep()

    assert [await _done(any_store, f"k{n}") for n in range(3)] == [True, True, False]
    clock.set(T0 + LEASE + timedelta(seconds=1))
    (again,) = await any_store.due_work.claim_due(clock.now(), 10, "next", lease=LEASE)
    assert (again.idempotency_key, again.interrupted, again.attempts) == ("k2", True, 2)


async def test_a_killed_process_loses_no_row_and_flags_every_unmarked_one_interrupted(
    any_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(4):
        await _schedule(any_store, f"k{n}", T0 - timedelta(minutes=10 - n))
    real = any_store.due_work.complete_many
    killed = False

    async def nothing_runs_after_the_kill(item_ids: Sequence[int], owner: str, now: datetime) -> set[int]:
        if killed:
            raise ProcessDied  # SIGKILL: not even the sweep's own clean-up reaches the database
        return await real(item_ids, owner, now)

    monkeypatch.setattr(any_store.due_work, "complete_many", nothing_runs_after_the_kill)
    runner = _runner(any_store, complete_batch=100)

    async def killed_on_the_third(item: DueItem) -> None:
        nonlocal killed
        if item.idempotency_key == "k2":
            killed = True
            raise ProcessDied

    runner.register("greet", killed_on_the_third)
    with pytest.raises(ProcessDied):
        await runner.sweep()
    assert await any_store.due_work.counts() == {"open": 4, "done": 0, "gave_up": 0}

    monkeypatch.setattr(any_store.due_work, "complete_many", real)
    assert await any_store.due_work.claim_due(T0 + LEASE, 10, "next", lease=LEASE) == []  # the claims still hold
    retaken = await any_store.due_work.claim_due(T0 + LEASE + timedelta(seconds=1), 10, "next", lease=LEASE)
    # The two rows handled but not yet marked and the one in flight come back flagged, so their handlers
    # check what they already did (a DM is looked for in the conversation) before doing it again; k3 was
    # claimed but never started, is flagged too, and its handler finds nothing done.
    assert [(item.idempotency_key, item.interrupted) for item in retaken] == [
        ("k0", True), ("k1", True), ("k2", True), ("k3", True)]


async def test_stop_marks_what_finished_even_when_a_handler_hangs(any_store: Store) -> None:
    for key in ("hangs", "q1", "q2", "q3"):
        await _schedule(any_store, key, T0 - timedelta(minutes=10 if key == "hangs" else 5))
    runner = _runner(any_store, concurrency=2)
    release = asyncio.Event()
    handled: list[str] = []
    quick_ones_handled = asyncio.Event()

    async def handler(item: DueItem) -> None:
        if item.idempotency_key == "hangs":
            await release.wait()
        handled.append(item.idempotency_key)
        if len(handled) == 3:
            quick_ones_handled.set()

    runner.register("greet", handler, concurrent=True)
    sweeping = asyncio.create_task(runner.sweep())
    await asyncio.wait_for(quick_ones_handled.wait(), timeout=10)
    await asyncio.sleep(0)  # the runner notes the last one as finished once its handler returns
    assert [await _done(any_store, key) for key in ("q1", "q2", "q3")] == [False] * 3  # waiting to be marked

    await runner.stop(grace_seconds=0.05)

    assert [await _done(any_store, key) for key in ("hangs", "q1", "q2", "q3")] == [False, True, True, True]
    release.set()
    report = await sweeping
    assert (report.claimed, report.done) == (4, 4)
    assert await _done(any_store, "hangs")


async def test_a_claim_lost_before_marking_is_not_counted(any_store: Store, caplog: pytest.LogCaptureFixture) -> None:
    await _schedule(any_store, "slow")
    clock = ManualClock(T0)
    runner = _runner(any_store, clock=clock)
    other: list[DueItem] = []

    async def handler(item: DueItem) -> None:
        clock.set(T0 + LEASE + timedelta(seconds=1))  # stuck long enough for another process to take over
        other.extend(await any_store.due_work.claim_due(clock.now(), 10, "runner-2", lease=LEASE))

    runner.register("greet", handler)
    report = await runner.sweep()

    assert (report.claimed, report.done) == (1, 0) and len(other) == 1
    assert any("claim was taken over" in record.getMessage() for record in caplog.records)
    assert (await any_store.due_work.get("slow") or {})["claimed_by"] == "runner-2"


"""DueWorkRunner end to end on SQLite and PostgreSQL, with a hand-moved clock."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import ManualClock
from bot.domain.due_work import retry_delay
from bot.scheduling import DueWorkRunner, SweepReport
from bot.store import DueItem, Store

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)


def _runner(store: Store, clock: ManualClock, *, owner: str = "runner-1", batch: int = 10,
            max_attempts: int = 3) -> DueWorkRunner:
    return DueWorkRunner(store, clock, owner=owner, batch=batch, lease=LEASE, max_attempts=max_attempts)


class Recorder:
    """A handler that remembers what it was given and can be told to fail."""

    def __init__(self, failures: int = 0) -> None:
        self.calls: list[DueItem] = []
        self.failures = failures

    async def __call__(self, item: DueItem) -> None:
        self.calls.append(item)
        if len(self.calls) <= self.failures:
            raise RuntimeError("discord is down")

    @property
    def keys(self) -> list[str]:
        return [item.idempotency_key for item in self.calls]


async def _schedule(store: Store, key: str, due_at: datetime, kind: str = "greet") -> None:
    assert await store.due_work.schedule(kind, {"key": key}, due_at, key, now=T0 - timedelta(hours=1))


async def _sweep_until_idle(runner: DueWorkRunner) -> list[SweepReport]:
    reports = []
    while (report := await runner.sweep()).claimed:
        reports.append(report)
    return reports


async def test_handler_is_called_once_per_due_row(any_store: Store) -> None:
    for n in range(5):
        await _schedule(any_store, f"due-{n}", T0 - timedelta(minutes=5 - n))
    await _schedule(any_store, "later", T0 + timedelta(minutes=10))
    clock = ManualClock(T0)
    runner = _runner(any_store, clock, batch=2)
    greet = Recorder()
    runner.register("greet", greet)

    reports = await _sweep_until_idle(runner)

    assert [report.claimed for report in reports] == [2, 2, 1]
    assert sum(report.done for report in reports) == 5
    assert greet.keys == [f"due-{n}" for n in range(5)]  # in due order
    assert all(item.claimed_by == "runner-1" and item.attempts == 1 for item in greet.calls)
    assert (await runner.sweep()).claimed == 0

    clock.set(T0 + timedelta(minutes=10))
    assert (await runner.sweep()).done == 1
    assert greet.keys[-1] == "later"
    assert len(greet.calls) == 6
    assert await any_store.due_work.counts() == {"open": 0, "done": 6, "gave_up": 0}
    row = await any_store.due_work.get("later")
    assert row is not None and row["done_at"] == T0 + timedelta(minutes=10)


async def test_a_failing_handler_is_retried_then_succeeds(any_store: Store) -> None:
    await _schedule(any_store, "flaky", T0)
    clock = ManualClock(T0)
    runner = _runner(any_store, clock)
    handler = Recorder(failures=1)
    runner.register("greet", handler)

    assert (await runner.sweep()).retried == 1
    clock.set(T0 + retry_delay(1))
    assert (await runner.sweep()).done == 1

    assert [item.attempts for item in handler.calls] == [1, 2]
    assert await any_store.due_work.counts() == {"open": 0, "done": 1, "gave_up": 0}


async def test_a_raising_handler_is_retried_then_gives_up_with_an_error_log(
    any_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.scheduling")
    await _schedule(any_store, "doomed", T0)
    clock = ManualClock(T0)
    runner = _runner(any_store, clock, max_attempts=3)
    handler = Recorder(failures=1000)
    runner.register("greet", handler)

    first = await runner.sweep()
    assert (first.claimed, first.retried, first.gave_up) == (1, 1, 0)
    assert (await runner.sweep()).claimed == 0  # backing off
    clock.set(T0 + retry_delay(1) - timedelta(seconds=1))
    assert (await runner.sweep()).claimed == 0
    clock.set(T0 + retry_delay(1))
    assert (await runner.sweep()).retried == 1
    clock.set(T0 + retry_delay(1) + retry_delay(2))
    last = await runner.sweep()
    assert (last.claimed, last.retried, last.gave_up) == (1, 0, 1)

    clock.set(T0 + timedelta(days=7))
    assert (await runner.sweep()).claimed == 0
    assert [item.attempts for item in handler.calls] == [1, 2, 3]

    errors = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert len(errors) == 1
    assert errors[0].name == "bot.scheduling"
    assert "gave up after 3 attempts" in errors[0].getMessage()
    assert "doomed" in errors[0].getMessage()
    assert errors[0].exc_info is not None and isinstance(errors[0].exc_info[1], RuntimeError)
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 2

    row = await any_store.due_work.get("doomed")
    assert row is not None
    assert row["gave_up_at"] == T0 + retry_delay(1) + retry_delay(2)
    assert row["last_error"] == "RuntimeError: discord is down"
    assert row["done_at"] is None and row["claimed_by"] is None
    assert await any_store.due_work.counts() == {"open": 0, "done": 0, "gave_up": 1}


async def test_rows_of_kinds_without_a_handler_are_not_claimed(any_store: Store) -> None:
    await _schedule(any_store, "orphan", T0 - timedelta(minutes=2), kind="orphan")
    await _schedule(any_store, "greeting", T0 - timedelta(minutes=1))
    clock = ManualClock(T0)
    runner = _runner(any_store, clock)

    assert await runner.sweep() == SweepReport()  # nothing registered: nothing claimed at all
    assert (await any_store.due_work.get("greeting") or {})["claimed_by"] is None

    greet = Recorder()
    runner.register("greet", greet)
    report = await runner.sweep()

    assert (report.claimed, report.done, report.gave_up) == (1, 1, 0)
    assert greet.keys == ["greeting"]
    orphan = await any_store.due_work.get("orphan")
    assert orphan is not None
    assert orphan["claimed_by"] is None and orphan["attempts"] == 0
    assert orphan["done_at"] is None and orphan["gave_up_at"] is None
    with pytest.raises(ValueError, match="already registered"):
        runner.register("greet", greet)


async def test_a_crashed_claim_is_picked_up_after_its_lease(any_store: Store) -> None:
    await _schedule(any_store, "job", T0)
    (lost,) = await any_store.due_work.claim_due(T0, 10, "crashed", lease=LEASE)
    clock = ManualClock(T0 + LEASE)
    runner = _runner(any_store, clock)
    handler = Recorder()
    runner.register("greet", handler)

    assert (await runner.sweep()).claimed == 0
    clock.set(T0 + LEASE + timedelta(seconds=1))
    assert (await runner.sweep()).done == 1

    assert [(item.id, item.attempts) for item in handler.calls] == [(lost.id, 2)]
    assert await any_store.due_work.complete(lost.id, "crashed", clock.now()) is False


async def test_a_row_claimed_too_often_is_given_up_without_running(
    any_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    await _schedule(any_store, "poison", T0)
    await any_store.due_work.claim_due(T0, 10, "crashed-1", lease=LEASE)
    await any_store.due_work.claim_due(T0 + 2 * LEASE, 10, "crashed-2", lease=LEASE)
    clock = ManualClock(T0 + 4 * LEASE)
    runner = _runner(any_store, clock, max_attempts=2)
    handler = Recorder()
    runner.register("greet", handler)

    report = await runner.sweep()

    assert (report.claimed, report.gave_up, report.done) == (1, 1, 0)
    assert handler.calls == []
    assert any("claimed too many times" in record.getMessage() for record in caplog.records
               if record.levelno == logging.ERROR)
    assert await any_store.due_work.counts() == {"open": 0, "done": 0, "gave_up": 1}


async def test_stop_releases_claims_not_yet_worked_on(any_store: Store) -> None:
    for n in range(4):
        await _schedule(any_store, f"k{n}", T0 - timedelta(minutes=4 - n))
    clock = ManualClock(T0)
    runner = _runner(any_store, clock)
    stopping: list[asyncio.Task[None]] = []

    async def handler(item: DueItem) -> None:
        if not stopping:
            stopping.append(asyncio.create_task(runner.stop()))
            await asyncio.sleep(0)  # the shutdown begins while this row is being handled

    runner.register("greet", handler)
    report = await runner.sweep()
    await stopping[0]

    assert (report.claimed, report.done, report.released) == (4, 1, 3)
    assert (await runner.sweep()).claimed == 0  # a stopped runner claims nothing more
    other = _runner(any_store, clock, owner="runner-2")
    taken = Recorder()
    other.register("greet", taken)
    assert (await other.sweep()).done == 3
    assert taken.keys == ["k1", "k2", "k3"]
    assert all(item.attempts == 1 for item in taken.calls)  # released claims did not count


async def test_two_runners_on_one_database_share_the_work(any_store: Store, any_url: str) -> None:
    await any_store.due_work.schedule_many(
        [("greet", {"n": n}, T0 - timedelta(seconds=n), f"k{n}") for n in range(60)], now=T0
    )
    clock = ManualClock(T0)
    handled: list[tuple[str, int]] = []

    async def sweep_all(store: Store, owner: str) -> None:
        runner = _runner(store, clock, owner=owner, batch=4)

        async def handler(item: DueItem) -> None:
            handled.append((owner, item.id))
            await asyncio.sleep(0)

        runner.register("greet", handler)
        await _sweep_until_idle(runner)

    async with Store.open(any_url) as second:
        await asyncio.gather(sweep_all(any_store, "a"), sweep_all(second, "b"))

    ids = [item_id for _, item_id in handled]
    assert len(ids) == len(set(ids)) == 60
    assert await any_store.due_work.counts() == {"open": 0, "done": 60, "gave_up": 0}


async def test_a_slow_batch_hands_back_its_rest_before_the_claim_could_expire(any_store: Store) -> None:
    for n in range(4):
        await _schedule(any_store, f"slow-{n}", T0 - timedelta(minutes=1))
    clock = ManualClock(T0)
    runner = _runner(any_store, clock)
    seen: list[str] = []

    async def slow(item: DueItem) -> None:  # e.g. stuck behind Discord rate limits
        seen.append(item.idempotency_key)
        clock.set(clock.now() + LEASE * 0.45)

    runner.register("greet", slow)
    report = await runner.sweep()

    assert (report.claimed, report.done, report.released) == (4, 2, 2)
    assert seen == ["slow-0", "slow-1"]
    released = await any_store.due_work.get("slow-2")
    assert released["claimed_by"] is None and released["attempts"] == 0
    assert (await runner.sweep()).done == 2


async def test_several_rows_are_worked_on_at_once_up_to_the_concurrency(any_store: Store) -> None:
    for n in range(10):
        await _schedule(any_store, f"due-{n}", T0 - timedelta(minutes=10 - n))
    runner = DueWorkRunner(any_store, ManualClock(T0), owner="runner-1", batch=10, lease=LEASE, max_attempts=3,
                           concurrency=4)
    running = 0
    most = 0
    started: list[str] = []

    async def slow(item: DueItem) -> None:
        nonlocal running, most
        started.append(item.idempotency_key)
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.01)  # waiting on Discord
        running -= 1

    runner.register("greet", slow, concurrent=True)
    report = await runner.sweep()

    assert (report.claimed, report.done, most) == (10, 10, 4)
    assert started == [f"due-{n}" for n in range(10)]  # still in due order


async def test_a_concurrent_sweep_stopped_mid_batch_hands_back_what_nobody_started(any_store: Store) -> None:
    for n in range(10):
        await _schedule(any_store, f"due-{n}", T0 - timedelta(minutes=10 - n))
    runner = DueWorkRunner(any_store, ManualClock(T0), owner="runner-1", batch=10, lease=LEASE, max_attempts=3,
                           concurrency=3)
    done: list[str] = []

    async def stop_after_three(item: DueItem) -> None:
        done.append(item.idempotency_key)
        if len(done) == 3:
            runner._stopping = True  # as stop() does, without waiting for the lock
        await asyncio.sleep(0)

    runner.register("greet", stop_after_three, concurrent=True)
    report = await runner.sweep()

    assert report.done == len(done) and report.released == 10 - len(done)
    assert (await any_store.due_work.counts())["open"] == 10 - len(done)


async def test_rows_of_a_kind_not_marked_concurrent_run_one_at_a_time(any_store: Store) -> None:
    for n in range(6):
        await _schedule(any_store, f"due-{n}", T0 - timedelta(minutes=10 - n))
    runner = DueWorkRunner(any_store, ManualClock(T0), owner="runner-1", batch=10, lease=LEASE, max_attempts=3,
                           concurrency=4)
    running = 0
    most = 0

    async def read_then_write(item: DueItem) -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.01)
        running -= 1

    runner.register("greet", read_then_write)
    report = await runner.sweep()

    assert (report.done, most) == (6, 1)

"""When to look for due work. The store says *what* is due; APScheduler only decides when to look."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol, TypeVar

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import Clock
from bot.domain.work import Work
from bot.observability.logs import log_context
from bot.sharding import ShardPlan
from bot.store import DueItem, Store

log = logging.getLogger(__name__)

DueHandler = Callable[[DueItem], Awaitable[None]]
W = TypeVar("W", bound=Work)
WorkHandler = Callable[[W, DueItem], Awaitable[None]]


class Scheduling:
    """APScheduler wiring. `paused=True` registers jobs without firing them (tests call jobs directly,
    because APScheduler reads the wall clock while tests run on a virtual one)."""

    def __init__(self, *, paused: bool = False) -> None:
        self.scheduler = AsyncIOScheduler(timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1})
        self.paused = paused

    def start(self) -> None:
        if not self.scheduler.running:
            self.scheduler.start(paused=self.paused)

    def every(self, job_id: str, seconds: float, func: Callable[[], Awaitable[Any]]) -> None:
        """Run `func` every `seconds`; replaces a job with the same id (a cog reloaded)."""
        self.scheduler.add_job(func, "interval", seconds=seconds, id=job_id, replace_existing=True,
                               misfire_grace_time=None)

    def cron(self, job_id: str, func: Callable[[], Awaitable[Any]], *, timezone: str, **fields: Any) -> None:
        self.scheduler.add_job(func, "cron", id=job_id, replace_existing=True, timezone=timezone,
                               misfire_grace_time=None, **fields)

    def remove(self, job_id: str) -> None:
        if self.scheduler.get_job(job_id) is not None:
            self.scheduler.remove_job(job_id)

    def job_ids(self) -> list[str]:
        return sorted(job.id for job in self.scheduler.get_jobs())

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)


class DueWorkObserver(Protocol):
    """What counts due work (bot.observability.metrics.Metrics)."""

    def due_work_claimed(self, kind: str, count: int) -> None: ...

    def due_work_finished(self, kind: str, outcome: str, late_seconds: float) -> None: ...


class RetryLater(Exception):
    """Raised by a handler when the row should simply be tried again later (Discord was busy): no traceback."""


@dataclass
class SweepReport:
    claimed: int = 0
    done: int = 0
    retried: int = 0
    gave_up: int = 0
    released: int = 0
    claim_seconds: float = 0.0  # time spent in the claiming statement, for logs and benchmarks/fanout.py
    unknown_kinds: list[str] = field(default_factory=list)


class DueWorkRunner:
    """Claims due rows and hands each to the handler a cog registered for its kind.

    Rows a handler finished are marked done together (`complete_many`): when `complete_batch` of them
    are waiting, when the oldest has waited `complete_seconds`, at the end of every sweep, and before
    `stop` returns. One statement and one pool checkout for many rows, where a statement per row made the
    store the sweep's cost. Handlers must be idempotent: a crash after a handler finished and before its
    row was marked means the row is claimed again once its lease expires, with `interrupted=True`, and the
    handler checks what it already did (`bot.ui.dm.deliver` reads the conversation before resending).
    Batching widens that window from the rows in flight to at most `complete_batch` rows or
    `complete_seconds` of work; it does not change what a handler must do.
    """

    def __init__(self, store: Store, clock: Clock, *, owner: str, batch: int, lease: timedelta,
                 max_attempts: int, shards: ShardPlan | None = None, concurrency: int = 1, complete_batch: int = 100,
                 complete_seconds: float = 1.0, retention: timedelta = timedelta(days=30),
                 observer: DueWorkObserver | None = None) -> None:
        self._store = store
        self._clock = clock
        self.owner = owner
        self.shards = shards  # a process running some shards claims their servers' work and member-level work
        self.batch = batch
        self.lease = lease
        self.max_attempts = max_attempts
        self.concurrency = concurrency
        self.complete_batch = complete_batch
        self.complete_seconds = complete_seconds
        self.retention = retention
        self._observer = observer
        self._finished: list[DueItem] = []  # handled, not yet marked done
        self._finished_since = 0.0  # perf_counter() when the oldest of them finished
        self._report: SweepReport | None = None  # the sweep in flight, which `stop` may have to finish marking
        # One marking statement at a time: concurrent workers would otherwise queue on SQLite's write lock.
        self._marking = asyncio.Lock()
        self._handlers: dict[str, DueHandler] = {}
        self._one_at_a_time: dict[str, asyncio.Lock] = {}
        self._lock = asyncio.Lock()
        self._stopping = False
        # Called with each claimed batch before its handlers run: what they all need, read in one go.
        self.before_batch: Callable[[list[DueItem]], Awaitable[None]] | None = None

    def register(self, kind: str, handler: DueHandler, *, concurrent: bool = False) -> None:
        """`concurrent=True` lets several rows of this kind run at once: only for handlers whose rows are
        independent (one DM to one member). Others run one row at a time, since a handler that reads and
        then writes shared state (a buddy round, a pause offer) would race with itself."""
        if kind in self._handlers:
            raise ValueError(f"a handler for due-work kind {kind!r} is already registered")
        self._handlers[kind] = handler
        if not concurrent:
            self._one_at_a_time[kind] = asyncio.Lock()

    def register_work(self, payload: type[W], handler: WorkHandler[W], *, concurrent: bool = False) -> None:
        """Register a handler for one typed payload: the runner decodes each row's payload before the call."""

        async def decoded(item: DueItem) -> None:
            await handler(payload.decode(item.payload), item)

        self.register(payload.KIND, decoded, concurrent=concurrent)

    def handler(self, kind: str) -> DueHandler:
        return self._handlers[kind]

    def unregister(self, kind: str) -> None:
        self._handlers.pop(kind, None)
        self._one_at_a_time.pop(kind, None)

    @property
    def kinds(self) -> Sequence[str]:
        return sorted(self._handlers)

    async def sweep(self) -> SweepReport:
        """One pass: claim what is due now (per the injected clock) and run it, one row at a time."""
        report = SweepReport()
        if self._stopping or not self._handlers:
            return report
        async with self._lock:  # one sweep at a time per process; other processes are kept apart by claims
            now = self._clock.now()
            started = time.perf_counter()
            items = await self._store.due_work.claim_due(now, self.batch, self.owner, lease=self.lease,
                                                         kinds=self.kinds, shards=self.shards)
            report.claim_seconds = time.perf_counter() - started
            report.claimed = len(items)
            if self._observer is not None:
                for kind, count in Counter(item.kind for item in items).items():
                    self._observer.due_work_claimed(kind, count)
            self._report = report
            if items and self.before_batch is not None:
                try:
                    await self.before_batch(items)
                except Exception:  # only a shortcut: each handler still reads what it needs
                    log.warning("could not read ahead for a batch of due work", exc_info=True)
            pending = iter(items)
            left: list[DueItem] = []

            async def worker() -> None:
                # Several rows at once (each handler waits on Discord), in claim order; the global rate
                # limiter keeps the total pace. A worker that finds it is time to stop hands the rest back.
                for item in pending:
                    async with self._one_at_a_time.get(item.kind) or contextlib.nullcontext():
                        # Stop at shutdown, and before our claim gets old enough for another process to take
                        # it (a slow batch behind Discord rate limits): what is left goes back for the next sweep.
                        if self._stopping or self._clock.now() - now > self.lease * 0.8:
                            left.append(item)
                            left.extend(pending)
                            return
                        if self._finished and time.perf_counter() - self._finished_since >= self.complete_seconds:
                            await self._mark_done(report, wait=False)  # before a handler that may wait long
                        await self._run_one(item, report)

            workers = min(self.concurrency, len(items))
            try:
                if workers == 1:
                    await worker()
                elif workers > 1:
                    await asyncio.gather(*(worker() for _ in range(workers)))
            except BaseException:
                # A handler or the store broke the sweep, or the task was cancelled: rows already handled
                # are still marked, so only the one in flight runs again. (A killed process marks nothing
                # more: its rows come back interrupted after the lease.)
                try:
                    await self._mark_done(report)
                except Exception:
                    log.exception("could not mark finished due work done; it runs again after the claim lease")
                raise
            await self._mark_done(report)
            if left:
                report.released += await self._store.due_work.release([item.id for item in left], self.owner)
        return report

    async def _run_one(self, item: DueItem, report: SweepReport) -> None:
        late = max(0.0, (self._clock.now() - item.due_at).total_seconds())  # how late its handler starts
        guild_id = item.payload.get("guild_id")
        with log_context(kind=item.kind, due_work_id=item.id,
                         **({"guild_id": guild_id} if isinstance(guild_id, int) else {})):
            outcome = await self._handle(item, report)
        if self._observer is not None:
            self._observer.due_work_finished(item.kind, outcome, late)

    async def _handle(self, item: DueItem, report: SweepReport) -> str:
        """Run the row's handler and record how it went: "done", "retried" or "gave_up"."""
        handler = self._handlers.get(item.kind)
        if handler is None or item.attempts > self.max_attempts:
            # A row whose handler vanished mid-sweep, or one that crashed the process on every try.
            error = "no handler registered" if handler is None else "claimed too many times without finishing"
            await self._store.due_work.fail(item, self.owner, self._clock.now(), error, max_attempts=0)
            log.error("due work %s (%s, key %s) given up: %s", item.id, item.kind, item.idempotency_key, error)
            report.gave_up += 1
            return "gave_up"
        try:
            await handler(item)
        except Exception as exc:  # a handler's failure must never stop the sweep
            outcome = await self._store.due_work.fail(
                item, self.owner, self._clock.now(), f"{type(exc).__name__}: {exc}", max_attempts=self.max_attempts
            )
            if outcome.gave_up:
                report.gave_up += 1
                log.error("due work %s (%s, key %s) gave up after %s attempts", item.id, item.kind,
                          item.idempotency_key, item.attempts, exc_info=exc)
                return "gave_up"
            report.retried += 1
            log.warning("due work %s (%s) failed on attempt %s; retrying at %s", item.id, item.kind,
                        item.attempts, outcome.retry_at, exc_info=None if isinstance(exc, RetryLater) else exc)
            return "retried"
        if not self._finished:
            self._finished_since = time.perf_counter()
        self._finished.append(item)
        if (len(self._finished) >= self.complete_batch
                or time.perf_counter() - self._finished_since >= self.complete_seconds):
            await self._mark_done(report, wait=False)
        return "done"

    async def _mark_done(self, report: SweepReport, *, wait: bool = True) -> None:
        """Mark every finished row done in one go; `report.done` counts rows once they are marked.

        `wait=False` (a batch filled up mid-sweep) leaves the rows for the next flush when one is already
        being written, rather than queueing a second write behind it.
        """
        if not wait and self._marking.locked():
            return
        async with self._marking:
            finished, self._finished = self._finished, []
            if not finished:
                return
            try:
                marked = await self._store.due_work.complete_many([item.id for item in finished], self.owner,
                                                                  self._clock.now())
            except BaseException:
                self._finished[:0] = finished  # still handled and unmarked: the next flush tries again
                raise
        report.done += len(marked)
        for item in finished:
            if item.id not in marked:
                log.warning("due work %s (%s) finished after its claim was taken over; it may run twice",
                            item.id, item.kind)

    async def purge(self) -> int:
        """Delete rows finished longer ago than the retention, in short transactions (a scheduled job).

        A finished row is what makes planning its key again a no-op, so the retention must outlast every
        moment that key could be planned again: `bot.config.MIN_DUE_WORK_RETENTION_DAYS` says why 29 days do.
        """
        purged = await self._store.due_work.purge_finished(self._clock.now() - self.retention)
        if purged:
            log.info("purged %d due-work rows finished more than %s ago", purged, self.retention)
        return purged

    async def stop(self, grace_seconds: float = 10.0) -> None:
        """Let the sweep in flight finish its current row, then release the rest of its claims."""
        self._stopping = True
        try:
            async with asyncio.timeout(grace_seconds):
                async with self._lock:
                    pass
        except TimeoutError:
            log.warning("a due-work handler was still running at shutdown; its row will be retried "
                        "after the claim lease expires")
        # Normally the sweep marked its rows on its way out; after a timeout, mark what its other workers finished.
        try:
            await self._mark_done(self._report or SweepReport())
        except Exception:
            log.exception("could not mark finished due work done at shutdown; it runs again after the claim lease")

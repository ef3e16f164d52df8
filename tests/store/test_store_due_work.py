"""DueWorkStore semantics on SQLite and PostgreSQL: schedule, claim, complete, fail, release, cancel, purge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.due_work import retry_delay
from bot.store import DueItem, Store

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)
MINUTE = timedelta(minutes=1)


async def _schedule(store: Store, key: str, due_at: datetime, kind: str = "greet") -> None:
    assert await store.due_work.schedule(kind, {"key": key}, due_at, key, now=T0 - timedelta(hours=1))


def _keys(items: list[DueItem]) -> list[str]:
    return [item.idempotency_key for item in items]


# --- schedule -------------------------------------------------------------------------------------


async def test_schedule_is_idempotent_by_key(any_store: Store) -> None:
    work = any_store.due_work
    assert await work.schedule("greet", {"n": 1}, T0, "k", now=T0) is True
    assert await work.schedule("greet", {"n": 2}, T0 + MINUTE, "k", now=T0) is False

    assert await work.counts() == {"open": 1, "done": 0, "gave_up": 0}
    row = await work.get("k")
    assert row is not None
    assert row["payload"] == {"n": 1} and row["due_at"] == T0 and row["attempts"] == 0
    assert row["created_at"] == T0 and row["claimed_by"] is None


async def test_schedule_many_counts_only_new_rows(any_store: Store) -> None:
    work = any_store.due_work
    await _schedule(any_store, "existing", T0)
    added = await work.schedule_many(
        [("greet", {}, T0, "a"), ("greet", {}, T0, "existing"), ("greet", {}, T0, "a"), ("greet", {}, T0, "b")],
        now=T0,
    )
    assert added == 2
    assert await work.counts() == {"open": 3, "done": 0, "gave_up": 0}
    assert await work.schedule_many([], now=T0) == 0


async def test_schedule_many_in_chunks(any_store: Store) -> None:
    work = any_store.due_work
    items = [("bulk", {"i": i}, T0 + timedelta(seconds=i), f"bulk-{i}") for i in range(2500)]
    assert await work.schedule_many(items, now=T0) == 2500
    assert await work.schedule_many(items[1000:], now=T0) == 0  # crosses chunk boundaries, all duplicates
    assert (await work.counts())["open"] == 2500
    row = await work.get("bulk-2499")
    assert row is not None and row["payload"] == {"i": 2499}


# --- claim_due ------------------------------------------------------------------------------------


async def test_claim_returns_only_due_rows_in_due_order(any_store: Store) -> None:
    # Scheduled out of order; two share a due time (then the older id comes first).
    await _schedule(any_store, "c", T0 - 1 * MINUTE)
    await _schedule(any_store, "future", T0 + timedelta(seconds=1))
    await _schedule(any_store, "a", T0 - 3 * MINUTE)
    await _schedule(any_store, "exactly-now", T0)
    await _schedule(any_store, "b1", T0 - 2 * MINUTE)
    await _schedule(any_store, "b2", T0 - 2 * MINUTE)

    claimed = await any_store.due_work.claim_due(T0, 100, "owner-1", lease=LEASE)

    assert _keys(claimed) == ["a", "b1", "b2", "c", "exactly-now"]
    assert [item.due_at for item in claimed] == sorted(item.due_at for item in claimed)
    for item in claimed:
        assert item.claimed_by == "owner-1"
        assert item.claimed_at == T0
        assert item.attempts == 1
        assert item.payload == {"key": item.idempotency_key}
    # Claimed rows are not claimable again while their lease runs; the future one is not due yet.
    assert await any_store.due_work.claim_due(T0, 100, "owner-2", lease=LEASE) == []
    later = await any_store.due_work.claim_due(T0 + timedelta(seconds=1), 100, "owner-2", lease=LEASE)
    assert _keys(later) == ["future"]


async def test_claim_respects_limit(any_store: Store) -> None:
    for minute in range(7):
        await _schedule(any_store, f"k{minute}", T0 - timedelta(minutes=10 - minute))

    first = await any_store.due_work.claim_due(T0, 3, "o", lease=LEASE)
    second = await any_store.due_work.claim_due(T0, 3, "o", lease=LEASE)
    third = await any_store.due_work.claim_due(T0, 3, "o", lease=LEASE)
    fourth = await any_store.due_work.claim_due(T0, 3, "o", lease=LEASE)

    assert _keys(first) == ["k0", "k1", "k2"]
    assert _keys(second) == ["k3", "k4", "k5"]
    assert _keys(third) == ["k6"]
    assert fourth == []


async def test_claim_filters_by_kind(any_store: Store) -> None:
    await _schedule(any_store, "r1", T0 - MINUTE, kind="reminder")
    await _schedule(any_store, "n1", T0 - MINUTE, kind="nudge")
    await _schedule(any_store, "p1", T0 - MINUTE, kind="prompt")
    work = any_store.due_work

    assert await work.claim_due(T0, 10, "o", lease=LEASE, kinds=[]) == []
    assert _keys(await work.claim_due(T0, 10, "o", lease=LEASE, kinds=["reminder", "prompt"])) == ["r1", "p1"]
    assert await work.claim_due(T0, 10, "o", lease=LEASE, kinds=["reminder"]) == []
    assert _keys(await work.claim_due(T0, 10, "o", lease=LEASE, kinds=None)) == ["n1"]


async def test_claim_skips_done_and_given_up_rows(any_store: Store) -> None:
    await _schedule(any_store, "done", T0 - MINUTE)
    await _schedule(any_store, "given-up", T0 - MINUTE)
    work = any_store.due_work
    items = {item.idempotency_key: item for item in await work.claim_due(T0, 10, "o", lease=LEASE)}
    assert await work.complete(items["done"].id, "o", T0)
    assert (await work.fail(items["given-up"], "o", T0, "boom", max_attempts=1)).gave_up

    # Even far in the future, after any lease, neither comes back.
    assert await work.claim_due(T0 + timedelta(days=30), 10, "o2", lease=LEASE) == []
    assert await work.counts() == {"open": 0, "done": 1, "gave_up": 1}


# --- leases, complete -----------------------------------------------------------------------------


async def test_crashed_claim_is_reclaimable_only_after_the_lease(any_store: Store) -> None:
    await _schedule(any_store, "job", T0 - MINUTE)
    work = any_store.due_work
    (crashed,) = await work.claim_due(T0, 10, "crashed-process", lease=LEASE)
    # "crashed-process" never completes. Before the lease has expired, nobody else may take the row.
    assert await work.claim_due(T0 + LEASE - timedelta(seconds=1), 10, "survivor", lease=LEASE) == []
    assert await work.claim_due(T0 + LEASE, 10, "survivor", lease=LEASE) == []

    (retaken,) = await work.claim_due(T0 + LEASE + timedelta(seconds=1), 10, "survivor", lease=LEASE)

    assert retaken.id == crashed.id and crashed.interrupted is False
    assert retaken.interrupted is True  # the handler must check before repeating a send
    assert retaken.claimed_by == "survivor"
    assert retaken.claimed_at == T0 + LEASE + timedelta(seconds=1)
    assert retaken.attempts == 2
    # The late first claimer has lost the row: its complete is refused; the new owner's succeeds, once.
    assert await work.complete(crashed.id, "crashed-process", T0 + LEASE + timedelta(seconds=2)) is False
    assert await work.complete(retaken.id, "survivor", T0 + LEASE + timedelta(seconds=3)) is True
    assert await work.complete(retaken.id, "survivor", T0 + LEASE + timedelta(seconds=4)) is False
    row = await work.get("job")
    assert row is not None
    assert row["done_at"] == T0 + LEASE + timedelta(seconds=3)
    assert row["claimed_by"] is None and row["claimed_at"] is None


async def test_a_row_failed_or_released_cleanly_is_not_interrupted(any_store: Store) -> None:
    await _schedule(any_store, "failed", T0 - MINUTE)
    await _schedule(any_store, "released", T0 - MINUTE)
    work = any_store.due_work
    failed, released = await work.claim_due(T0, 10, "one", lease=LEASE)
    await work.fail(failed, "one", T0, "boom", max_attempts=5)
    await work.release([released.id], "one")

    again = await work.claim_due(T0 + timedelta(hours=1), 10, "two", lease=LEASE)

    assert sorted(_keys(again)) == ["failed", "released"]
    assert [item.interrupted for item in again] == [False, False]


async def test_complete_by_the_wrong_owner_is_refused(any_store: Store) -> None:
    await _schedule(any_store, "job", T0 - MINUTE)
    work = any_store.due_work
    (item,) = await work.claim_due(T0, 10, "right", lease=LEASE)

    assert await work.complete(item.id, "wrong", T0) is False
    assert await work.complete(item.id + 1000, "right", T0) is False
    row = await work.get("job")
    assert row is not None and row["done_at"] is None and row["claimed_by"] == "right"

    assert await work.complete(item.id, "right", T0) is True
    assert await work.counts() == {"open": 0, "done": 1, "gave_up": 0}


# --- fail: retry with backoff, then give up -------------------------------------------------------


async def test_fail_retries_with_backoff_then_gives_up(any_store: Store) -> None:
    await _schedule(any_store, "flaky", T0)
    work = any_store.due_work
    now = T0

    for attempt in (1, 2):
        (item,) = await work.claim_due(now, 10, "o", lease=LEASE)
        assert item.attempts == attempt
        outcome = await work.fail(item, "o", now, f"boom {attempt}", max_attempts=3)
        assert outcome.gave_up is False
        assert outcome.retry_at == now + retry_delay(attempt)
        row = await work.get("flaky")
        assert row is not None
        assert row["due_at"] == outcome.retry_at
        assert row["last_error"] == f"boom {attempt}"
        assert row["claimed_by"] is None and row["claimed_at"] is None and row["gave_up_at"] is None
        # Not due again until the backoff has passed.
        assert await work.claim_due(outcome.retry_at - timedelta(seconds=1), 10, "o", lease=LEASE) == []
        now = outcome.retry_at

    assert retry_delay(2) > retry_delay(1)  # the backoff grows
    (last,) = await work.claim_due(now, 10, "o", lease=LEASE)
    assert last.attempts == 3
    outcome = await work.fail(last, "o", now, "x" * 5000, max_attempts=3)

    assert outcome.gave_up is True and outcome.retry_at is None
    row = await work.get("flaky")
    assert row is not None
    assert row["gave_up_at"] == now and row["done_at"] is None
    assert row["last_error"] == "x" * 2000  # truncated
    assert await work.claim_due(now + timedelta(days=365), 10, "o", lease=LEASE) == []
    assert await work.counts() == {"open": 0, "done": 0, "gave_up": 1}


async def test_fail_by_the_wrong_owner_changes_nothing(any_store: Store) -> None:
    await _schedule(any_store, "job", T0)
    work = any_store.due_work
    (item,) = await work.claim_due(T0, 10, "right", lease=LEASE)

    await work.fail(item, "wrong", T0, "not mine", max_attempts=1)

    row = await work.get("job")
    assert row is not None
    assert row["claimed_by"] == "right" and row["gave_up_at"] is None and row["last_error"] is None


# --- release, cancel ------------------------------------------------------------------------------


async def test_release_returns_rows_without_counting_the_attempt(any_store: Store) -> None:
    for key in ("a", "b", "c"):
        await _schedule(any_store, key, T0 - MINUTE)
    work = any_store.due_work
    a, b, c = await work.claim_due(T0, 10, "stopping", lease=LEASE)

    assert await work.release([], "stopping") == 0
    assert await work.release([b.id, c.id], "someone-else") == 0
    assert await work.complete(a.id, "stopping", T0)
    assert await work.release([a.id, b.id, c.id], "stopping") == 2  # the done row is not released

    retaken = await work.claim_due(T0, 10, "next", lease=LEASE)
    assert _keys(retaken) == ["b", "c"]
    assert [item.attempts for item in retaken] == [1, 1]  # the released claim did not count
    assert (await work.get("a") or {})["done_at"] == T0


async def test_cancel_removes_only_open_unclaimed_work(any_store: Store) -> None:
    for key in ("open", "claimed", "done"):
        await _schedule(any_store, key, T0 - MINUTE)
    await _schedule(any_store, "future", T0 + timedelta(days=1))
    work = any_store.due_work
    items = {item.idempotency_key: item for item in await work.claim_due(T0, 10, "o", lease=LEASE)}
    assert set(items) == {"open", "claimed", "done"}
    assert await work.release([items["open"].id], "o") == 1
    assert await work.complete(items["done"].id, "o", T0)

    assert await work.cancel("open") is True
    assert await work.cancel("future") is True
    assert await work.cancel("claimed") is False
    assert await work.cancel("done") is False
    assert await work.cancel("missing") is False
    assert await work.get("open") is None
    assert await work.get("claimed") is not None
    # A cancelled key can be scheduled again.
    assert await work.schedule("greet", {}, T0, "open", now=T0)


# --- purge ----------------------------------------------------------------------------------------


async def test_purge_finished_deletes_only_old_finished_rows(any_store: Store) -> None:
    work = any_store.due_work
    for key in ("old-done", "new-done", "old-gave-up", "new-gave-up", "open", "claimed"):
        await _schedule(any_store, key, T0 - timedelta(days=60))
    items = {item.idempotency_key: item for item in await work.claim_due(T0 - timedelta(days=40), 10, "o", lease=LEASE)}
    old, new = T0 - timedelta(days=31), T0 - timedelta(days=1)
    assert await work.complete(items["old-done"].id, "o", old)
    assert await work.complete(items["new-done"].id, "o", new)
    await work.fail(items["old-gave-up"], "o", old, "e", max_attempts=1)
    await work.fail(items["new-gave-up"], "o", new, "e", max_attempts=1)
    await work.release([items["open"].id], "o")

    assert await work.purge_finished(T0 - timedelta(days=30)) == 2

    assert await work.get("old-done") is None and await work.get("old-gave-up") is None
    for key in ("new-done", "new-gave-up", "open", "claimed"):
        assert await work.get(key) is not None, key
    assert await work.counts() == {"open": 2, "done": 1, "gave_up": 1}
    assert await work.purge_finished(T0 - timedelta(days=30)) == 0
    assert await work.purge_finished(T0) == 2
    assert await work.counts() == {"open": 2, "done": 0, "gave_up": 0}

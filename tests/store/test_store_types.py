"""UTCDateTime: naive datetimes are refused, values come back aware UTC, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import StatementError

from bot.store import Store
from bot.store.tables import due_work, meta
from bot.store.types import UTCDateTime

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


async def test_naive_due_time_is_refused(any_store: Store) -> None:
    naive = datetime(2026, 3, 1, 12, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises((ValueError, StatementError), match="naive datetime"):
        await any_store.due_work.schedule("greet", {}, naive, "naive", now=T0)
    with pytest.raises((ValueError, StatementError), match="naive datetime"):
        await any_store.due_work.schedule("greet", {}, T0, "naive-now", now=naive)
    with pytest.raises((ValueError, StatementError), match="naive datetime"):
        await any_store.due_work.claim_due(naive, 10, "a", lease=timedelta(minutes=5))
    with pytest.raises((ValueError, StatementError), match="naive datetime"):
        await any_store.meta.set("k", "v", naive)
    assert await any_store.due_work.counts() == {"open": 0, "done": 0, "gave_up": 0}
    assert await any_store.meta.get("k") is None


async def test_values_come_back_aware_utc(any_store: Store) -> None:
    berlin = datetime(2026, 7, 1, 14, 30, 15, 123456, tzinfo=ZoneInfo("Europe/Berlin"))  # 12:30:15.123456 UTC
    created = datetime(2026, 7, 1, 5, 0, tzinfo=timezone(timedelta(hours=-7)))  # 12:00 UTC
    assert await any_store.due_work.schedule("greet", {"x": 1}, berlin, "tz", now=created)

    row = await any_store.due_work.get("tz")
    assert row is not None
    assert row["due_at"] == datetime(2026, 7, 1, 12, 30, 15, 123456, tzinfo=UTC)
    assert row["due_at"].tzinfo is UTC
    assert row["created_at"] == datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert row["created_at"].tzinfo is UTC
    assert row["claimed_at"] is None

    await any_store.meta.set("k", "v", berlin)
    stored = await any_store.meta.get("k")
    assert stored == ("v", berlin)
    assert stored[1].tzinfo is UTC

    # Raw SQL typed with UTCDateTime reads back the same, whatever the driver hands over.
    statement = text("SELECT due_at FROM due_work").columns(due_at=UTCDateTime)
    async with any_store.engine.connect() as connection:
        raw = (await connection.execute(statement)).scalar_one()
    assert raw == berlin
    assert raw.tzinfo is UTC


async def test_comparisons_are_in_utc_whatever_the_offset_given(any_store: Store) -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    # 20:30 in Tokyo is 11:30 UTC: earlier than 11:45 UTC although its wall time is later.
    await any_store.due_work.schedule("greet", {}, datetime(2026, 3, 1, 20, 30, tzinfo=tokyo), "tokyo", now=T0)
    await any_store.due_work.schedule("greet", {}, datetime(2026, 3, 1, 11, 45, tzinfo=UTC), "utc", now=T0)
    await any_store.due_work.schedule("greet", {}, datetime(2026, 3, 1, 12, 1, tzinfo=UTC), "later", now=T0)

    now_in_tokyo = datetime(2026, 3, 1, 21, 0, tzinfo=tokyo)  # 12:00 UTC
    claimed = await any_store.due_work.claim_due(now_in_tokyo, 10, "a", lease=timedelta(minutes=5))

    assert [item.idempotency_key for item in claimed] == ["tokyo", "utc"]
    assert all(item.due_at.tzinfo is UTC and item.claimed_at == T0 for item in claimed)
    async with any_store.engine.connect() as connection:
        order = (await connection.execute(select(due_work.c.idempotency_key).order_by(due_work.c.due_at))).scalars()
        assert list(order) == ["tokyo", "utc", "later"]
        assert (await connection.execute(select(meta.c.key))).first() is None

"""MetaStore on SQLite and PostgreSQL: a key-value upsert, inside and outside a unit of work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.store import Store

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class Boom(Exception):
    pass


async def test_set_then_overwrite(any_store: Store) -> None:
    assert await any_store.meta.get("commands") is None
    await any_store.meta.set("commands", "abc", T0)
    await any_store.meta.set("heartbeat", "x" * 5000, T0)
    await any_store.meta.set("commands", "def", T0 + timedelta(minutes=1))
    assert await any_store.meta.get("commands") == ("def", T0 + timedelta(minutes=1))
    assert await any_store.meta.get("heartbeat") == ("x" * 5000, T0)


async def test_a_unit_of_work_sees_its_write_and_a_failure_undoes_it(any_store: Store) -> None:
    async with any_store.transaction() as tx:
        await tx.meta.set("k", "one", T0)
        assert await tx.meta.get("k") == ("one", T0)
    with pytest.raises(Boom):
        async with any_store.transaction() as tx:
            await tx.meta.set("k", "two", T0)
            await tx.meta.set("other", "two", T0)
            raise Boom
    assert await any_store.meta.get("k") == ("one", T0)
    assert await any_store.meta.get("other") is None


async def test_reading_gives_one_connection_for_several_reads(any_store: Store) -> None:
    await any_store.meta.set("a", "1", T0)
    await any_store.meta.set("b", "2", T0)
    async with any_store.reading() as reads:
        assert [await reads.meta.get("a"), await reads.meta.get("b")] == [("1", T0), ("2", T0)]


async def test_a_unit_of_work_refuses_a_second_transaction_or_a_lone_write_from_inside(any_store: Store) -> None:
    async with any_store.transaction() as tx:
        await tx.meta.set("k", "kept", T0)
        with pytest.raises(RuntimeError, match="inside another"):
            async with any_store.transaction():
                pass
        with pytest.raises(RuntimeError, match="outside the open transaction"):
            await any_store.meta.set("k", "lost", T0)
    assert await any_store.meta.get("k") == ("kept", T0)
    async with any_store.transaction() as tx:  # the refusal did not outlive the block
        await tx.meta.set("k", "again", T0)
    assert await any_store.meta.get("k") == ("again", T0)


async def test_reading_is_one_snapshot_while_others_commit(any_store: Store) -> None:
    """Two figures read in one `reading()` never straddle another connection's commit (PostgreSQL's default
    READ COMMITTED would give each statement its own snapshot)."""
    await any_store.meta.set("a", "1", T0)
    async with any_store.reading() as reads:
        assert await reads.meta.get("a") == ("1", T0)
        await any_store.meta.set("a", "2", T0)  # committed on another connection meanwhile
        assert await reads.meta.get("a") == ("1", T0)
    assert await any_store.meta.get("a") == ("2", T0)

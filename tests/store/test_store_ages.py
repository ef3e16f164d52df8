"""AgeStore on SQLite and PostgreSQL: a member's own "I am N or older" per server; a lower age never replaces a
higher one, and a unit of work that fails records nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.store import Store
from bot.store.tables import member_ages

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class Boom(Exception):
    pass


async def _rows(store: Store) -> list[tuple[int, int, int, datetime]]:
    async with store.engine.connect() as connection:
        rows = (await connection.execute(member_ages.select().order_by(member_ages.c.guild_id))).all()
    return [(row.guild_id, row.user_id, row.min_age, row.confirmed_at) for row in rows]


async def test_nothing_stated_until_confirmed_per_server(any_store: Store) -> None:
    assert await any_store.ages.stated(10, 2**60) is None

    await any_store.ages.confirm(10, 2**60, 18, T0)

    assert await any_store.ages.stated(10, 2**60) == 18
    assert await any_store.ages.stated(11, 2**60) is None
    assert await _rows(any_store) == [(10, 2**60, 18, T0)]


async def test_a_higher_age_replaces_a_lower_one_and_never_the_other_way(any_store: Store) -> None:
    later = T0 + timedelta(days=1)
    await any_store.ages.confirm(10, 7, 16, T0)
    await any_store.ages.confirm(10, 7, 18, later)
    await any_store.ages.confirm(10, 7, 16, later + timedelta(days=1))

    assert await _rows(any_store) == [(10, 7, 18, later)]


async def test_a_failed_unit_of_work_records_no_statement(any_store: Store) -> None:
    with pytest.raises(Boom):
        async with any_store.transaction() as tx:
            await tx.ages.confirm(10, 7, 18, T0)
            assert await tx.ages.stated(10, 7) == 18
            raise Boom

    assert await any_store.ages.stated(10, 7) is None

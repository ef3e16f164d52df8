"""GuildStore.get(for_update=True): a settings change reads "before" and writes "after" in one transaction."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.guilds import GuildSettings
from bot.store import Store

T0 = datetime(2026, 1, 5, 12, tzinfo=UTC)


async def test_before_and_after_in_one_unit_of_work(any_store: Store) -> None:
    async with any_store.transaction() as tx:
        assert await tx.guilds.get(10, for_update=True) == GuildSettings(guild_id=10)  # no row yet: nothing to lock
        await tx.guilds.update(10, T0, 7, timezone="UTC", min_age=16)
    async with any_store.transaction() as tx:
        before = await tx.guilds.get(10, for_update=True)
        after = await tx.guilds.update(10, T0, 8, timezone="Asia/Tokyo", min_age=None)
    assert (before.timezone, before.min_age, before.updated_by) == ("UTC", 16, 7)
    assert (after.timezone, after.min_age, after.updated_by) == ("Asia/Tokyo", None, 8)


class Boom(Exception):
    pass


async def test_a_locked_read_rolls_back_with_the_change(any_store: Store) -> None:
    await any_store.guilds.update(10, T0, 7, leave_grace_days=30)
    with pytest.raises(Boom):
        async with any_store.transaction() as tx:
            await tx.guilds.get(10, for_update=True)
            await tx.guilds.update(10, T0, 8, leave_grace_days=0)
            raise Boom
    assert (await any_store.guilds.get(10)).leave_grace_days == 30

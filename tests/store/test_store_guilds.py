"""GuildStore on SQLite and PostgreSQL: server settings upserts, inside and outside a unit of work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.store import GuildSettings, Store

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class Boom(Exception):
    pass


async def test_unknown_server_is_not_configured(any_store: Store) -> None:
    settings = await any_store.guilds.get(10)
    assert settings == GuildSettings(guild_id=10)
    assert not settings.is_configured


async def test_update_keeps_what_it_is_not_given_and_records_who(any_store: Store) -> None:
    first = await any_store.guilds.update(10, T0, 7, timezone="Europe/Berlin", events_channel_id=2**61,
                                          support_text="Call someone you trust.")
    assert first.is_configured
    assert (first.timezone, first.events_channel_id, first.updated_by, first.updated_at) == (
        "Europe/Berlin", 2**61, 7, T0)
    later = T0 + timedelta(hours=1)
    second = await any_store.guilds.update(10, later, 8, organiser_role_id=5, timezone=None)
    assert second == GuildSettings(guild_id=10, timezone=None, events_channel_id=2**61, organiser_role_id=5,
                                   support_text="Call someone you trust.", updated_by=8, updated_at=later)
    assert await any_store.guilds.get(11) == GuildSettings(guild_id=11)


async def test_a_unit_of_work_sees_its_write_and_a_failure_undoes_it(any_store: Store) -> None:
    async with any_store.transaction() as tx:
        await tx.guilds.update(10, T0, 7, timezone="UTC")
        assert (await tx.guilds.get(10)).timezone == "UTC"
    with pytest.raises(Boom):
        async with any_store.transaction() as tx:
            await tx.guilds.update(10, T0, 8, timezone="Asia/Tokyo")
            await tx.guilds.update(11, T0, 8, timezone="Asia/Tokyo")
            assert (await tx.guilds.get(10)).timezone == "Asia/Tokyo"
            raise Boom
    assert (await any_store.guilds.get(10)).timezone == "UTC"
    assert (await any_store.guilds.get(10)).updated_by == 7
    assert not (await any_store.guilds.get(11)).is_configured

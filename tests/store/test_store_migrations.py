"""Migrations from an empty database, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import insert, inspect, text
from sqlalchemy.engine import Connection

from bot.store import Store, migrate
from bot.store.tables import due_work, metadata

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrate.MIGRATIONS))
    config.attributes["connection"] = connection
    return config


async def _downgrade(store: Store, target: str) -> None:
    async with store.engine.begin() as connection:
        await connection.run_sync(lambda sync: command.downgrade(_config(sync), target))


async def _tables(store: Store) -> set[str]:
    async with store.engine.connect() as connection:
        return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))


async def _indexes(store: Store, table: str) -> set[str]:
    async with store.engine.connect() as connection:
        found = await connection.run_sync(lambda sync: inspect(sync).get_indexes(table))
    return {index["name"] for index in found if index["name"] is not None}


async def _drift(store: Store) -> list[Any]:
    """What autogenerate would change to make the database match bot/store/tables/."""
    async with store.engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}), metadata)
        )


async def test_head_revision_exists() -> None:
    assert migrate.head_revision() is not None


async def test_upgrade_from_empty_creates_every_table(any_url: str) -> None:
    async with Store.open(any_url) as store:
        assert await _tables(store) == set()
        assert await store.revision() is None

        await store.upgrade()

        assert await _tables(store) == set(metadata.tables) | {"alembic_version"}
        assert await store.revision() == migrate.head_revision()
        assert "ix_due_work_open_due" in await _indexes(store, "due_work")
        assert await _drift(store) == []
        await store.ping()


async def test_upgrade_twice_is_a_no_op(any_url: str) -> None:
    async with Store.open(any_url) as store:
        await store.upgrade()
        await store.due_work.schedule("greet", {"n": 1}, T0, "keep-me", now=T0)

        await store.upgrade()

        assert await store.revision() == migrate.head_revision()
        assert await _tables(store) == set(metadata.tables) | {"alembic_version"}
        assert (await store.due_work.get("keep-me")) is not None


async def test_downgrade_to_base_and_up_again(any_url: str) -> None:
    async with Store.open(any_url) as store:
        await store.upgrade()
        await store.due_work.schedule("greet", {"n": 1}, T0, "gone", now=T0)

        await _downgrade(store, "base")

        assert await store.revision() is None
        assert await _tables(store) <= {"alembic_version"}

        await store.upgrade()

        assert await store.revision() == migrate.head_revision()
        assert await _tables(store) == set(metadata.tables) | {"alembic_version"}
        assert await _drift(store) == []
        assert await store.due_work.get("gone") is None
        assert await store.due_work.schedule("greet", {"n": 2}, T0, "fresh", now=T0)


async def test_a_second_store_sees_the_migrated_schema(any_url: str) -> None:
    async with Store.open(any_url) as first:
        await first.upgrade()
    async with Store.open(any_url) as second:
        assert await second.revision() == migrate.head_revision()
        await second.upgrade()
        assert await second.due_work.counts() == {"open": 0, "done": 0, "gave_up": 0}


async def test_0009_names_the_member_of_work_planned_before_it(any_url: str) -> None:
    """Rows planned before due_work.user_id existed get it from their payload, so deletion finds them."""
    async with Store.open(any_url) as store:
        await store.upgrade()
        await _downgrade(store, "0008")
        async with store.engine.begin() as connection:
            # Only the columns revision 0008 has: the table object's user_id is left out of the INSERT.
            await connection.execute(insert(due_work), [
                {"kind": "checkin.prompt", "payload": {"user_id": 4242, "guild_id": 7}, "due_at": T0,
                 "idempotency_key": "member", "created_at": T0},
                {"kind": "buddy.round", "payload": {"guild_id": 7}, "due_at": T0, "idempotency_key": "server",
                 "created_at": T0}])

        await store.upgrade()

        async with store.engine.connect() as connection:
            rows = dict((await connection.execute(text("SELECT idempotency_key, user_id FROM due_work"))).all())
        assert rows == {"member": 4242, "server": None}


async def test_planned_work_names_its_member(any_url: str) -> None:
    async with Store.open(any_url) as store:
        await store.upgrade()
        await store.due_work.schedule("checkin.prompt", {"user_id": 99}, T0, "a", now=T0)
        await store.due_work.schedule("buddy.round", {"guild_id": 5}, T0, "b", now=T0)
        await store.due_work.schedule("odd", {"user_id": True}, T0, "c", now=T0)

        async with store.engine.connect() as connection:
            rows = dict((await connection.execute(text("SELECT idempotency_key, user_id FROM due_work"))).all())
        assert rows == {"a": 99, "b": None, "c": None}


async def test_0010_names_the_server_of_work_planned_before_it(any_url: str, add_event: Any) -> None:
    """Rows planned before due_work.guild_id existed get it from their payload or their meetup, so that the
    process running the server's shard is the one that claims them."""
    async with Store.open(any_url) as store:
        await store.upgrade()
        event = await add_event(store, guild_id=77 << 22)
        await _downgrade(store, "0009")
        async with store.engine.begin() as connection:
            await connection.execute(insert(due_work), [
                {"kind": "buddy.round", "payload": {"guild_id": 5 << 22}, "due_at": T0, "idempotency_key": "round",
                 "created_at": T0},
                {"kind": "event.companions", "payload": {"event_id": event.id, "label": "6h", "start": "x"},
                 "due_at": T0, "idempotency_key": "pairing", "created_at": T0},
                {"kind": "event.reminder", "payload": {"event_id": event.id, "user_id": 3}, "due_at": T0,
                 "idempotency_key": "reminder", "created_at": T0}])

        await store.upgrade()

        async with store.engine.connect() as connection:
            rows = dict((await connection.execute(text("SELECT idempotency_key, guild_id FROM due_work"))).all())
        # A reminder is a DM: member-level work, which any process may send.
        assert rows == {"round": 5 << 22, "pairing": 77 << 22, "reminder": None}

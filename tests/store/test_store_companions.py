"""CompanionStore on SQLite and PostgreSQL: "don't go alone" requests, groups and deliveries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.store import Store
from bot.store.event_companions import CompanionGroup
from tests.store.conftest import AddEvent

T0 = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)


class Boom(Exception):
    pass


def _at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


async def test_request_once_withdraw_once(any_store: Store, add_event: AddEvent) -> None:
    event = await add_event(any_store)
    assert await any_store.companions.request(event.id, 1, _at(0))
    assert not await any_store.companions.request(event.id, 1, _at(1))
    assert await any_store.companions.has_requested(event.id, 1)
    assert not await any_store.companions.has_requested(event.id, 2)
    assert await any_store.companions.withdraw(event.id, 1)
    assert not await any_store.companions.withdraw(event.id, 1)
    assert not await any_store.companions.has_requested(event.id, 1)


async def test_groups_are_numbered_after_earlier_ones_and_delivered(any_store: Store, add_event: AddEvent) -> None:
    event = await add_event(any_store)
    for minute, user in enumerate([5, 4, 3, 2, 1]):
        await any_store.companions.request(event.id, user, _at(minute))
    assert await any_store.companions.ungrouped(event.id) == [5, 4, 3, 2, 1]
    await any_store.companions.assign(event.id, [[5, 4], [3, 2]])
    await any_store.companions.assign(event.id, [[1, 5]])  # 5 is grouped already and stays where it is
    assert await any_store.companions.ungrouped(event.id) == []
    assert await any_store.companions.groups(event.id) == [
        CompanionGroup(1, [5, 4], None, None), CompanionGroup(2, [3, 2], None, None),
        CompanionGroup(3, [1], None, None)]
    await any_store.companions.mark_delivered(event.id, 2, "thread", 2**62)
    assert await any_store.companions.group_of(event.id, 2) == CompanionGroup(2, [3, 2], "thread", 2**62)
    assert await any_store.companions.group_of(event.id, 9) is None


async def test_take_alone_tells_each_ungrouped_member_once(any_store: Store, add_event: AddEvent) -> None:
    event = await add_event(any_store)
    for minute, user in enumerate([1, 2, 3]):
        await any_store.companions.request(event.id, user, _at(minute))
    await any_store.companions.assign(event.id, [[1, 2]])
    assert await any_store.companions.take_alone(event.id, _at(10)) == [3]
    assert await any_store.companions.take_alone(event.id, _at(11)) == []


async def test_grouping_commits_whole_or_not_at_all(any_store: Store, add_event: AddEvent) -> None:
    event = await add_event(any_store)
    for minute, user in enumerate([1, 2, 3, 4]):
        await any_store.companions.request(event.id, user, _at(minute))
    async with any_store.transaction() as tx:
        await tx.companions.assign(event.id, [[1, 2]])
        assert await tx.companions.ungrouped(event.id) == [3, 4]
        assert await tx.companions.group_of(event.id, 1) == CompanionGroup(1, [1, 2], None, None)
    with pytest.raises(Boom):
        async with any_store.transaction() as tx:
            await tx.companions.assign(event.id, [[3, 4]])
            await tx.companions.mark_delivered(event.id, 1, "dm", None)
            assert await tx.companions.take_alone(event.id, _at(10)) == []
            assert await tx.companions.request(event.id, 5, _at(10))
            assert await tx.companions.withdraw(event.id, 1)
            raise Boom
    assert await any_store.companions.groups(event.id) == [CompanionGroup(1, [1, 2], None, None)]
    assert await any_store.companions.ungrouped(event.id) == [3, 4]
    assert not await any_store.companions.has_requested(event.id, 5)

"""CheckinStore and ReminderStore on SQLite and PostgreSQL, inside and outside a unit of work."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from bot.domain.checkins import CheckinStats
from bot.store import Reminder, Store

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
DAY = date(2026, 3, 1)


class Boom(Exception):
    pass


def _reminder(user_id: int = 1, **changes: Any) -> Reminder:
    daily = Reminder(user_id=user_id, guild_id=10, cadence="daily", weekday=None, local_time=time(9, 30),
                     enabled=True, stopped_reason=None, next_key="checkin.prompt:1:20260302T093000")
    return replace(daily, **changes)


async def test_add_then_get_only_for_the_owner(any_store: Store) -> None:
    added = await any_store.checkins.add(user_id=1, guild_id=2**62, mood=4, note="ok", local_date=DAY,
                                         source="command", now=T0)
    assert added.id > 0
    assert await any_store.checkins.get(added.id, 1) == added
    assert await any_store.checkins.get(added.id, 2) is None
    dm = await any_store.checkins.add(user_id=1, guild_id=None, mood=2, note=None, local_date=DAY,
                                      source="prompt", now=T0 + timedelta(minutes=1))
    assert dm.id != added.id
    assert (await any_store.checkins.get(dm.id, 1)) == dm


async def test_note_is_set_only_on_the_members_own_checkin(any_store: Store) -> None:
    added = await any_store.checkins.add(user_id=1, guild_id=None, mood=3, note=None, local_date=DAY,
                                         source="prompt", now=T0)
    assert not await any_store.checkins.set_note(added.id, 2, "not mine")
    assert await any_store.checkins.set_note(added.id, 1, "slept well")
    assert not await any_store.checkins.set_note(added.id + 100, 1, "no such check-in")
    found = await any_store.checkins.get(added.id, 1)
    assert found is not None and found.note == "slept well"


async def test_history_moods_dates_and_count(any_store: Store) -> None:
    for offset, mood in [(0, 3), (1, 4), (1, 5), (3, 1)]:  # two check-ins on the second day
        await any_store.checkins.add(user_id=1, guild_id=None, mood=mood, note=None,
                                     local_date=DAY + timedelta(days=offset), source="command",
                                     now=T0 + timedelta(days=offset, minutes=mood))
    await any_store.checkins.add(user_id=2, guild_id=None, mood=2, note=None, local_date=DAY, source="command",
                                 now=T0)
    assert await any_store.checkins.count(1) == 4
    assert await any_store.checkins.count(3) == 0
    assert await any_store.checkins.recent_dates(1) == [DAY + timedelta(days=3), DAY + timedelta(days=1), DAY]
    assert await any_store.checkins.recent_dates(1, limit=1) == [DAY + timedelta(days=3)]
    assert await any_store.checkins.moods_since(1, DAY + timedelta(days=1)) == [
        (DAY + timedelta(days=1), 4), (DAY + timedelta(days=1), 5), (DAY + timedelta(days=3), 1)]


async def test_a_checkin_is_visible_inside_its_unit_of_work_and_rolls_back_whole(any_store: Store) -> None:
    async with any_store.transaction() as tx:
        first = await tx.checkins.add(user_id=1, guild_id=None, mood=4, note=None, local_date=DAY,
                                      source="command", now=T0)
        assert await tx.checkins.count(1) == 1
        assert await tx.checkins.recent_dates(1) == [DAY]
        assert await tx.checkins.get(first.id, 1) == first
    with pytest.raises(Boom):
        async with any_store.transaction() as tx:
            await tx.checkins.add(user_id=1, guild_id=None, mood=1, note=None, local_date=DAY + timedelta(days=1),
                                  source="command", now=T0 + timedelta(days=1))
            assert await tx.checkins.set_note(first.id, 1, "changed")
            await tx.reminders.save(_reminder(), T0)
            assert await tx.checkins.count(1) == 2
            raise Boom
    assert await any_store.checkins.count(1) == 1
    assert await any_store.checkins.get(first.id, 1) == first
    assert await any_store.reminders.get(1) is None


async def test_reminder_save_replaces_and_delete_forgets(any_store: Store) -> None:
    assert await any_store.reminders.get(1) is None
    await any_store.reminders.save(_reminder(), T0)
    assert await any_store.reminders.get(1) == _reminder()
    weekly = _reminder(cadence="weekly", weekday=6, local_time=time(23, 59), guild_id=None, next_key=None)
    await any_store.reminders.save(weekly, T0 + timedelta(minutes=1))
    assert await any_store.reminders.get(1) == weekly
    stopped = _reminder(enabled=False, stopped_reason="dms_closed")
    await any_store.reminders.save(stopped, T0)
    assert await any_store.reminders.get(1) == stopped
    await any_store.reminders.save(_reminder(2), T0)
    await any_store.reminders.delete(1)
    assert await any_store.reminders.get(1) is None
    assert await any_store.reminders.get(2) == _reminder(2)


async def test_next_key_moves_on_only_from_the_expected_key(any_store: Store) -> None:
    current = _reminder().next_key
    assert not await any_store.reminders.set_next_key(1, current, "k2", T0)  # no reminder yet
    await any_store.reminders.save(_reminder(), T0)
    assert await any_store.reminders.set_next_key(1, current, "k2", T0)
    assert not await any_store.reminders.set_next_key(1, current, "k3", T0)  # the other sweep lost
    assert await any_store.reminders.set_next_key(1, "k2", None, T0)
    assert await any_store.reminders.set_next_key(1, None, "k4", T0)
    found = await any_store.reminders.get(1)
    assert found is not None and found.next_key == "k4"


async def test_reminder_and_its_prompt_row_commit_together_or_not_at_all(any_store: Store) -> None:
    due = T0 + timedelta(days=1)
    async with any_store.transaction() as tx:
        await tx.reminders.save(_reminder(), T0)
        assert await tx.due_work.schedule("checkin.prompt", {"user_id": 1}, due, "prompt-1", now=T0)
        assert (await tx.reminders.get(1)) == _reminder()
        assert await tx.reminders.set_next_key(1, _reminder().next_key, "prompt-1", T0)
    with pytest.raises(Boom):
        async with any_store.transaction() as tx:
            assert await tx.reminders.set_next_key(1, "prompt-1", "prompt-2", T0)
            assert await tx.due_work.schedule("checkin.prompt", {"user_id": 1}, due, "prompt-2", now=T0)
            await tx.reminders.delete(1)
            raise Boom
    found = await any_store.reminders.get(1)
    assert found is not None and found.next_key == "prompt-1"
    assert await any_store.due_work.get("prompt-1") is not None
    assert await any_store.due_work.get("prompt-2") is None


async def test_stats_give_distinct_days_newest_first_and_the_total_in_one_read(any_store: Store) -> None:
    assert await any_store.checkins.stats(1) == CheckinStats(recent_dates=(), count=0)
    for offset in (0, 2, 2, 5):
        await any_store.checkins.add(user_id=1, guild_id=None, mood=3, note=None,
                                     local_date=DAY + timedelta(days=offset), source="command",
                                     now=T0 + timedelta(days=offset))
    await any_store.checkins.add(user_id=2, guild_id=None, mood=3, note=None, local_date=DAY, source="command",
                                 now=T0)
    days = (DAY + timedelta(days=5), DAY + timedelta(days=2), DAY)
    assert await any_store.checkins.stats(1) == CheckinStats(recent_dates=days, count=4)
    assert await any_store.checkins.stats(1, limit=2) == CheckinStats(recent_dates=days[:2], count=4)
    async with any_store.transaction() as tx:
        await tx.checkins.add(user_id=1, guild_id=None, mood=3, note=None, local_date=DAY + timedelta(days=6),
                              source="command", now=T0)
        assert (await tx.checkins.stats(1)).count == 5


async def test_set_note_returning_gives_the_changed_checkin_only_to_its_owner(any_store: Store) -> None:
    added = await any_store.checkins.add(user_id=1, guild_id=None, mood=3, note=None, local_date=DAY,
                                         source="prompt", now=T0)
    assert await any_store.checkins.set_note_returning(added.id, 2, "not mine") is None
    assert await any_store.checkins.set_note_returning(added.id, 1, "better now") == replace(added, note="better now")
    with pytest.raises(Boom):
        async with any_store.transaction() as tx:
            assert await tx.checkins.set_note_returning(added.id, 1, "rolled back") is not None
            raise Boom
    assert await any_store.checkins.get(added.id, 1) == replace(added, note="better now")

"""NudgeStore on SQLite and PostgreSQL: the opt-in, sends recorded once, and the read-only looks."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from bot.store import Store
from bot.store.buddies import RoundPlan
from bot.store.nudges import NudgePrefs
from tests.store.conftest import EVENT_START, AddEvent

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Boom(Exception):
    pass


def _prefs(user_id: int = 1, **changes: Any) -> NudgePrefs:
    plain = NudgePrefs(user_id=user_id, guild_id=10, digest_enabled=True, digest_weekday=0, local_time=time(8, 15),
                       digest_every_weeks=1, quiet_enabled=False, quiet_days=14, buddy_enabled=True,
                       next_digest_key="digest-1")
    return replace(plain, **changes)


async def test_save_keeps_the_first_opt_in_time(any_store: Store) -> None:
    assert await any_store.nudges.get(1) is None
    saved = await any_store.nudges.save(_prefs(), T0)
    assert saved == _prefs(opted_in_at=T0)
    assert saved.any_enabled
    later = await any_store.nudges.save(replace(saved, digest_enabled=False, buddy_enabled=False),
                                        T0 + timedelta(days=3))
    assert later == _prefs(opted_in_at=T0, digest_enabled=False, buddy_enabled=False)
    assert not later.any_enabled
    assert await any_store.nudges.get(1) == later


async def test_set_key_moves_on_only_from_the_expected_key(any_store: Store) -> None:
    await any_store.nudges.save(_prefs(), T0)
    assert await any_store.nudges.set_key(1, "next_digest_key", "digest-1", "digest-2", T0)
    assert not await any_store.nudges.set_key(1, "next_digest_key", "digest-1", "digest-3", T0)
    assert await any_store.nudges.set_key(1, "next_check_key", None, "check-1", T0)
    assert not await any_store.nudges.set_key(2, "next_check_key", None, "check-1", T0)
    with pytest.raises(ValueError):
        await any_store.nudges.set_key(1, "guild_id", None, "x", T0)
    found = await any_store.nudges.get(1)
    assert found is not None and (found.next_digest_key, found.next_check_key) == ("digest-2", "check-1")


async def test_a_send_is_recorded_once_per_due_row(any_store: Store) -> None:
    assert await any_store.nudges.record_send(1, "digest", "digest-1", T0)
    assert not await any_store.nudges.record_send(1, "digest", "digest-1", T0 + timedelta(minutes=1))
    assert await any_store.nudges.record_send(1, "quiet", "quiet-1", T0 + timedelta(days=1))
    assert await any_store.nudges.record_send(2, "digest", "digest-2", T0 + timedelta(days=2))
    assert await any_store.nudges.was_sent("digest-1")
    assert not await any_store.nudges.was_sent("digest-9")
    assert await any_store.nudges.sends_since(1, T0) == [("digest", T0), ("quiet", T0 + timedelta(days=1))]
    assert await any_store.nudges.sends_since(1, T0 + timedelta(hours=1)) == [("quiet", T0 + timedelta(days=1))]
    assert await any_store.nudges.last_send(1, "digest") == T0
    assert await any_store.nudges.last_send(1, "low") is None


async def test_delete_forgets_the_choice_and_the_sends(any_store: Store) -> None:
    await any_store.nudges.save(_prefs(), T0)
    await any_store.nudges.save(_prefs(2), T0)
    await any_store.nudges.record_send(1, "digest", "digest-1", T0)
    await any_store.nudges.delete(1)
    assert await any_store.nudges.get(1) is None
    assert not await any_store.nudges.was_sent("digest-1")
    assert await any_store.nudges.get(2) is not None


async def test_last_activity_and_recent_moods(any_store: Store, add_event: AddEvent) -> None:
    assert await any_store.nudges.last_activity(1) is None
    await any_store.checkins.add(user_id=1, guild_id=None, mood=2, note=None, local_date=date(2026, 3, 1),
                                 source="command", now=T0 - timedelta(days=3))
    await any_store.checkins.add(user_id=1, guild_id=None, mood=4, note=None, local_date=date(2026, 3, 2),
                                 source="command", now=T0)
    assert await any_store.nudges.last_activity(1) == T0
    assert await any_store.nudges.recent_moods(1, T0 - timedelta(days=1)) == [(T0, 4)]
    event = await add_event(any_store)
    await any_store.events.rsvp(event.id, 1, "going", T0 + timedelta(hours=1))
    assert await any_store.nudges.last_activity(1) == T0 + timedelta(hours=1)
    started = T0 + timedelta(days=1)
    plan = RoundPlan(guild_id=10, round_key="r", started_at=started, followup_at=started, ends_at=started,
                     pool=[1, 2], groups=[((1, 2), {})], unmatched=[], sat_out=[])
    stored, _ = await any_store.buddies.create_round(plan)
    assert await any_store.nudges.last_activity(2) == started
    (group,) = await any_store.buddies.groups(stored.id)
    await any_store.buddies.record_answer(group.id, 2, "online", started + timedelta(days=2))
    assert await any_store.nudges.last_activity(2) == started + timedelta(days=2)


async def test_meetups_between_and_announcement_guilds(any_store: Store, add_event: AddEvent) -> None:
    first = await add_event(any_store)
    second = await add_event(any_store, start_at=EVENT_START + timedelta(days=1),
                             end_at=EVENT_START + timedelta(days=1, hours=1))
    cancelled = await add_event(any_store)
    await any_store.events.update(cancelled.id, T0, status="cancelled")
    await add_event(any_store, guild_id=2)
    window = await any_store.nudges.meetups_between(1, EVENT_START, EVENT_START + timedelta(days=1))
    assert [e.id for e in window] == [first.id]
    wider = await any_store.nudges.meetups_between(1, EVENT_START - timedelta(days=1), EVENT_START + timedelta(days=2))
    assert [e.id for e in wider] == [first.id, second.id]
    await any_store.guilds.update(1, T0, 7, announcements_channel_id=5)
    await any_store.guilds.update(2, T0, 7, timezone="UTC")
    assert await any_store.nudges.announcement_guilds() == [1]


async def test_a_send_and_the_next_key_commit_together_or_not_at_all(any_store: Store) -> None:
    await any_store.nudges.save(_prefs(), T0)
    async with any_store.transaction() as tx:
        assert await tx.nudges.record_send(1, "digest", "digest-1", T0)
        assert await tx.nudges.was_sent("digest-1")
        assert await tx.nudges.set_key(1, "next_digest_key", "digest-1", "digest-2", T0)
    with pytest.raises(Boom):
        async with any_store.transaction() as tx:
            assert await tx.nudges.record_send(1, "digest", "digest-2", T0 + timedelta(days=7))
            assert await tx.nudges.set_key(1, "next_digest_key", "digest-2", "digest-3", T0)
            await tx.nudges.save(_prefs(2), T0)
            raise Boom
    assert not await any_store.nudges.was_sent("digest-2")
    assert await any_store.nudges.get(2) is None
    found = await any_store.nudges.get(1)
    assert found is not None and found.next_digest_key == "digest-2"


async def test_buddy_opted_in_picks_the_members_who_want_buddy_suggestions(any_store: Store) -> None:
    await any_store.nudges.save(_prefs(1), T0)
    await any_store.nudges.save(_prefs(2, buddy_enabled=False), T0)
    assert await any_store.nudges.buddy_opted_in([1, 2, 3]) == {1}
    assert await any_store.nudges.buddy_opted_in([]) == set()

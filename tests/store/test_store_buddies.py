"""BuddyStore on SQLite and PostgreSQL: settings, profiles, blocks, rounds with their groups, answers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.store import Store
from bot.store.buddies import BuddyConfig, BuddyProfile, RoundPlan

T0 = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
GUILD = 10


class Boom(Exception):
    pass


def _profile(user_id: int, **changes: Any) -> BuddyProfile:
    plain = BuddyProfile(guild_id=GUILD, user_id=user_id, interests=("walks", "books"), area="Leeds",
                         preference="either", frequency="every")
    return replace(plain, **changes)


def _plan(key: str, started: datetime, groups: list[tuple[int, ...]], unmatched: tuple[int, ...] = (),
          sat_out: tuple[int, ...] = ()) -> RoundPlan:
    pool = [user for group in groups for user in group] + list(unmatched)
    return RoundPlan(guild_id=GUILD, round_key=key, started_at=started, followup_at=started + timedelta(days=5),
                     ends_at=started + timedelta(days=14), pool=pool,
                     groups=[(members, {"shared": ["walks"]}) for members in groups], unmatched=unmatched,
                     sat_out=sat_out)


async def _profiles(store: Store, *user_ids: int) -> None:
    for user_id in user_ids:
        await store.buddies.save_profile(_profile(user_id), T0 - timedelta(days=1))


async def test_config_defaults_save_and_next_round_key(any_store: Store) -> None:
    assert await any_store.buddies.config(GUILD) == BuddyConfig(guild_id=GUILD)
    config = BuddyConfig(guild_id=GUILD, cadence_weeks=1, weekday=4, hour=9, interests=("tea", "chess"),
                         repeat_rounds=3, enabled=True, next_round_key="r1")
    await any_store.buddies.save_config(config, 7, T0)
    await any_store.buddies.save_config(BuddyConfig(guild_id=GUILD + 1), None, T0)
    assert await any_store.buddies.config(GUILD) == config
    assert await any_store.buddies.enabled_guilds() == [GUILD]
    assert not await any_store.buddies.set_next_round_key(GUILD, "other", "r2", T0)
    assert await any_store.buddies.set_next_round_key(GUILD, "r1", "r2", T0)
    assert (await any_store.buddies.config(GUILD)).next_round_key == "r2"


async def test_profiles_save_update_and_count(any_store: Store) -> None:
    assert await any_store.buddies.profile(GUILD, 1) is None
    await _profiles(any_store, 3, 1, 2)
    assert await any_store.buddies.profile(GUILD, 1) == _profile(1)
    await any_store.buddies.save_profile(_profile(1, area=None, preference="online"), T0)
    assert await any_store.buddies.profile(GUILD, 1) == _profile(1, area=None, preference="online")
    assert await any_store.buddies.update_profile(GUILD, 2, T0, active=False)
    assert not await any_store.buddies.update_profile(GUILD, 9, T0, active=False)
    assert await any_store.buddies.update_profile(GUILD, 3, T0, paused_until=T0 + timedelta(days=7))
    assert [p.user_id for p in await any_store.buddies.active_profiles(GUILD)] == [1, 3]
    assert await any_store.buddies.count_active(GUILD, T0) == 1  # 3 is paused
    assert await any_store.buddies.count_active(GUILD, T0 + timedelta(days=7)) == 2
    assert await any_store.buddies.profile(GUILD + 1, 1) is None


async def test_blocks_are_pairs_and_blocking_twice_is_harmless(any_store: Store) -> None:
    await any_store.buddies.block(GUILD, 1, 2, T0)
    await any_store.buddies.block(GUILD, 1, 2, T0)
    await any_store.buddies.block(GUILD, 3, 1, T0)
    await any_store.buddies.block(GUILD + 1, 4, 5, T0)
    assert await any_store.buddies.blocked_pairs(GUILD) == {frozenset((1, 2)), frozenset((1, 3))}


async def test_a_round_is_stored_once_with_its_groups_and_bookkeeping(any_store: Store) -> None:
    await _profiles(any_store, 1, 2, 3, 4, 5, 6)
    stored, created = await any_store.buddies.create_round(_plan("round-1", T0, [(1, 2), (3, 4, 5)],
                                                                 unmatched=(6,)))
    assert created and (stored.round_key, stored.pool_size, stored.unmatched) == ("round-1", 6, (6,))
    again, created_again = await any_store.buddies.create_round(_plan("round-1", T0, [(1, 3)]))
    assert (again, created_again) == (stored, False)
    assert await any_store.buddies.round_by_key("round-1") == stored
    assert await any_store.buddies.round(stored.id) == stored
    assert await any_store.buddies.round_by_key("round-2") is None
    groups = await any_store.buddies.groups(stored.id)
    assert [(g.position, g.members, g.reasons) for g in groups] == [(0, (1, 2), {"shared": ["walks"]}),
                                                                    (1, (3, 4, 5), {"shared": ["walks"]})]
    assert await any_store.buddies.group(groups[1].id) == groups[1]
    assert await any_store.buddies.group(groups[1].id + 100) is None
    paired = await any_store.buddies.profile(GUILD, 1)
    assert paired is not None and (paired.rounds_paired, paired.last_paired_at, paired.missed_last_round) == (
        1, T0, False)
    missed = await any_store.buddies.profile(GUILD, 6)
    assert missed is not None and missed.missed_last_round and missed.rounds_paired == 0
    assert await any_store.buddies.pairs_in_rounds([stored.id]) == {
        frozenset((1, 2)), frozenset((3, 4)), frozenset((3, 5)), frozenset((4, 5))}
    assert await any_store.buddies.pairs_in_rounds([]) == set()


async def test_answers_counts_and_the_running_group(any_store: Store) -> None:
    await _profiles(any_store, 1, 2, 3, 4, 5, 6)
    first, _ = await any_store.buddies.create_round(_plan("round-1", T0, [(1, 2), (3, 4), (5, 6)]))
    one, two, three = await any_store.buddies.groups(first.id)
    assert await any_store.buddies.record_answer(one.id, 1, "in_person", T0 + timedelta(days=5))
    assert await any_store.buddies.record_answer(one.id, 2, "online", T0 + timedelta(days=5))
    assert await any_store.buddies.record_answer(two.id, 3, "not_yet", T0 + timedelta(days=5))
    assert not await any_store.buddies.record_answer(two.id, 1, "online", T0)  # not in that group
    await any_store.buddies.mark_delivered(three.id, "thread", 2**62)
    assert (await any_store.buddies.group(three.id)) == replace(three, delivered="thread", thread_id=2**62)
    answered = await any_store.buddies.group(one.id)
    assert answered is not None and answered.answers == {1: "in_person", 2: "online"}
    assert await any_store.buddies.answer_counts([first.id]) == {
        "groups": 3, "in_person": 1, "online": 0, "not_yet": 1, "skip": 0, "no_answer": 1}
    assert await any_store.buddies.answer_counts([]) == {}

    found = await any_store.buddies.group_of(GUILD, 3, T0 + timedelta(days=1))
    assert found is not None and found[0] == first and found[1].id == two.id
    assert await any_store.buddies.group_of(GUILD, 9, T0) is None
    assert await any_store.buddies.group_of(GUILD, 3, first.ends_at) is None  # the round is over

    # The next round counts who never answered the last one's follow-up and resets who did.
    second, _ = await any_store.buddies.create_round(_plan("round-2", T0 + timedelta(days=14), [(1, 3)],
                                                           unmatched=(2,), sat_out=(5,)))
    assert [r.id for r in await any_store.buddies.recent_rounds(GUILD, 5)] == [second.id, first.id]
    assert [r.id for r in await any_store.buddies.recent_rounds(GUILD, 1)] == [second.id]
    unanswered = {p.user_id: p.unanswered_followups for p in await any_store.buddies.active_profiles(GUILD)}
    assert unanswered == {1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 1}
    sat_out = await any_store.buddies.profile(GUILD, 5)
    assert sat_out is not None and sat_out.sat_out_last_round


async def test_a_round_and_its_deliveries_commit_whole_or_not_at_all(any_store: Store) -> None:
    await _profiles(any_store, 1, 2, 3, 4)
    async with any_store.transaction() as tx:
        stored, created = await tx.buddies.create_round(_plan("round-1", T0, [(1, 2)]))
        assert created and [g.members for g in await tx.buddies.groups(stored.id)] == [(1, 2)]
        await tx.due_work.schedule("buddies.intro", {"round_id": stored.id}, T0, "intro-1", now=T0)
    with pytest.raises(Boom):
        async with any_store.transaction() as tx:
            failed, _ = await tx.buddies.create_round(_plan("round-2", T0 + timedelta(days=14), [(3, 4)],
                                                            unmatched=(1,)))
            await tx.due_work.schedule("buddies.intro", {"round_id": failed.id}, T0, "intro-2", now=T0)
            group = (await tx.buddies.groups(stored.id))[0]
            await tx.buddies.mark_delivered(group.id, "dm", None)
            await tx.buddies.record_answer(group.id, 1, "skip", T0)
            await tx.buddies.update_profile(GUILD, 2, T0, active=False)
            await tx.buddies.block(GUILD, 1, 2, T0)
            raise Boom
    assert await any_store.buddies.round_by_key("round-2") is None
    assert await any_store.due_work.get("intro-2") is None
    assert await any_store.due_work.get("intro-1") is not None
    (group,) = await any_store.buddies.groups(stored.id)
    assert (group.delivered, group.answers) == (None, {1: None, 2: None})
    assert [p.user_id for p in await any_store.buddies.active_profiles(GUILD)] == [1, 2, 3, 4]
    assert await any_store.buddies.blocked_pairs(GUILD) == set()
    unmatched = await any_store.buddies.profile(GUILD, 1)
    assert unmatched is not None and not unmatched.missed_last_round and unmatched.rounds_paired == 1


async def test_reset_unanswered_and_time_zones_in_one_statement_each(any_store: Store) -> None:
    await _profiles(any_store, 1, 2, 3)
    for user_id in (1, 2):
        assert await any_store.buddies.update_profile(GUILD, user_id, T0, unanswered_followups=2)
    await any_store.buddies.reset_unanswered(GUILD, [1, 3], T0)
    await any_store.buddies.reset_unanswered(GUILD, [], T0)
    assert {p.user_id: p.unanswered_followups for p in await any_store.buddies.active_profiles(GUILD)} == {
        1: 0, 2: 2, 3: 0}
    await any_store.members.update(1, T0, timezone="Asia/Tokyo")
    await any_store.members.update(2, T0, dms_enabled=False)
    assert await any_store.buddies.time_zones([1, 2, 9]) == {1: "Asia/Tokyo", 2: None, 9: None}
    assert await any_store.buddies.time_zones([]) == {}

"""MemberStore on SQLite and PostgreSQL: settings upserts, the DM-refused notice claim, deletion."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.store import MemberSettings, Store

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class Boom(Exception):
    pass


async def test_unknown_member_has_the_defaults(any_store: Store) -> None:
    assert await any_store.members.get(1) == MemberSettings(user_id=1)


async def test_update_changes_only_the_given_fields(any_store: Store) -> None:
    first = await any_store.members.update(1, T0, timezone="Europe/London", quiet_start=time(22, 0),
                                           quiet_end=time(7, 30))
    assert (first.timezone, first.quiet_start, first.quiet_end, first.dms_enabled) == (
        "Europe/London", time(22, 0), time(7, 30), True)
    second = await any_store.members.update(1, T0 + timedelta(minutes=1), dms_enabled=False, dm_channel_id=2**62)
    assert second == MemberSettings(user_id=1, timezone="Europe/London", quiet_start=time(22, 0),
                                    quiet_end=time(7, 30), dms_enabled=False, dm_channel_id=2**62)
    assert await any_store.members.get(2) == MemberSettings(user_id=2)


async def test_dm_notice_is_claimed_once_and_only_after_a_refusal(any_store: Store) -> None:
    assert not await any_store.members.claim_dm_notice(1, T0)  # nothing refused yet, no row
    await any_store.members.update(1, T0, timezone="UTC")
    assert not await any_store.members.claim_dm_notice(1, T0)  # a row, but DMs were never refused
    await any_store.members.update(1, T0, dms_closed_at=T0)
    assert await any_store.members.claim_dm_notice(1, T0 + timedelta(seconds=1))
    assert not await any_store.members.claim_dm_notice(1, T0 + timedelta(seconds=2))
    settings = await any_store.members.get(1)
    assert settings.dms_closed_at == T0
    assert settings.dms_closed_notified_at == T0 + timedelta(seconds=1)


async def test_delete_forgets_the_member(any_store: Store) -> None:
    await any_store.members.update(1, T0, timezone="Asia/Tokyo")
    await any_store.members.update(2, T0, timezone="UTC")
    await any_store.members.delete(1)
    await any_store.members.delete(3)  # nothing there: no error
    assert await any_store.members.get(1) == MemberSettings(user_id=1)
    assert (await any_store.members.get(2)).timezone == "UTC"


async def test_a_unit_of_work_reads_its_own_writes_and_commits_them(any_store: Store) -> None:
    async with any_store.transaction() as tx:
        await tx.members.update(1, T0, timezone="Europe/Paris", dms_closed_at=T0)
        assert (await tx.members.get(1)).timezone == "Europe/Paris"
        assert await tx.members.claim_dm_notice(1, T0)
        assert not await tx.members.claim_dm_notice(1, T0)
    assert (await any_store.members.get(1)).dms_closed_notified_at == T0


async def test_a_unit_of_work_that_raises_leaves_nothing(any_store: Store) -> None:
    await any_store.members.update(2, T0, timezone="UTC")
    with pytest.raises(Boom):
        async with any_store.transaction() as tx:
            await tx.members.update(1, T0, timezone="Europe/Paris")
            await tx.members.update(2, T0, timezone="Asia/Tokyo")
            await tx.members.delete(2)
            raise Boom
    assert await any_store.members.get(1) == MemberSettings(user_id=1)
    assert (await any_store.members.get(2)).timezone == "UTC"


async def test_pending_dm_notices_lists_only_refused_members_not_yet_told(any_store: Store) -> None:
    assert await any_store.members.pending_dm_notices() == []
    await any_store.members.update(1, T0, dms_closed_at=T0)
    await any_store.members.update(2, T0, dms_closed_at=T0)
    await any_store.members.update(3, T0, timezone="UTC")
    assert sorted(await any_store.members.pending_dm_notices()) == [1, 2]
    assert await any_store.members.claim_dm_notice(1, T0)
    assert await any_store.members.pending_dm_notices() == [2]


async def test_locales_are_remembered_only_for_members_hearth_keeps_and_only_when_they_change(
        any_store: Store) -> None:
    await any_store.members.update(1, T0, timezone="UTC")
    await any_store.members.update(2, T0, timezone="UTC")
    await any_store.members.update(3, T0, timezone="UTC", discord_locale="de")

    await any_store.members.remember_locales({1: "es-419", 2: "en-US", 3: "en-US", 99: "de"}, default="en-US")

    found = await any_store.members.locales_of([1, 2, 3, 99])
    # 2: Discord's default over nothing stored changes nothing; 3: it replaces German; 99 gets no row.
    assert found == {1: "es-419", 2: None, 3: "en-US"}
    await any_store.members.remember_locales({1: "es-419"}, default="en-US")  # unchanged: still one row each
    assert await any_store.members.locales_of([1]) == {1: "es-419"}


async def test_chosen_languages_lists_only_members_who_chose(any_store: Store) -> None:
    await any_store.members.update(1, T0, language="de")
    await any_store.members.update(2, T0, timezone="UTC")
    await any_store.members.update(3, T0, language="es")
    await any_store.members.update(3, T0, language=None)
    assert await any_store.members.chosen_languages() == {1: "de"}

"""Find a time in the store, on SQLite and PostgreSQL: answers stay per member, a poll moves on once, and the
buddy figure counts pairs that found a time and, of those, the ones that said they met."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import ManualClock
from bot.domain.buddies import RoundPlan
from bot.domain.helplines import load_helplines
from bot.domain.meeting_times import Interval
from bot.services import Services
from bot.store import Store

T0 = datetime(2026, 12, 2, 9, tzinfo=UTC)
GUILD = 4_242


async def _groups(store: Store, count: int) -> list[int]:
    pairs = [(1000 + 2 * n, 1001 + 2 * n) for n in range(count)]
    round_, _ = await store.buddies.create_round(RoundPlan(
        guild_id=GUILD, round_key="r1", started_at=T0, followup_at=T0 + timedelta(days=7),
        ends_at=T0 + timedelta(days=14), pool=[m for pair in pairs for m in pair],
        groups=[(pair, {}) for pair in pairs], unmatched=[], sat_out=[]))
    return [group.id for group in await store.buddies.groups(round_.id)]


async def _confirmed(store: Store, group_id: int, members: tuple[int, ...]) -> int:
    poll = await store.meetings.create(guild_id=GUILD, kind="buddy", ref=group_id, event_id=None, channel_id=None,
                                       members=members, window_start=T0, window_end=T0 + timedelta(days=7),
                                       duration=timedelta(hours=1), created_by=members[0], now=T0)
    assert await store.meetings.set_status(poll, "offered", T0, expected=("open",),
                                           options=[{"start": T0.isoformat(), "free": 2}])
    assert not await store.meetings.set_status(poll, "offered", T0, expected=("open",))  # only once
    assert await store.meetings.set_status(poll, "confirmed", T0, expected=("offered",), chosen_start=T0)
    return poll


async def test_answers_are_kept_per_member_and_read_back_in_utc(any_store: Store) -> None:
    (group_id,) = await _groups(any_store, 1)
    poll = await any_store.meetings.create(guild_id=GUILD, kind="buddy", ref=group_id, event_id=None,
                                           channel_id=None, members=[1000, 1001], window_start=T0,
                                           window_end=T0 + timedelta(days=7), duration=timedelta(hours=1),
                                           created_by=1000, now=T0)
    slot = Interval(T0 + timedelta(days=1), T0 + timedelta(days=1, hours=3))
    await any_store.meetings.answer(poll, 1000, [slot], T0)

    assert await any_store.meetings.free_times(poll) == {1000: [slot]}
    stored = await any_store.meetings.get(poll)
    assert stored is not None and stored.answered == {1000} and stored.members == (1000, 1001)
    assert (await any_store.meetings.latest("buddy", group_id, None)) == stored


async def test_the_buddy_figure_counts_pairs_that_found_a_time_and_met_with_the_under_five_rule(
        any_store: Store) -> None:
    services = Services(any_store, ManualClock(T0), load_helplines())
    groups = await _groups(any_store, 6)
    for number, group_id in enumerate(groups[:4]):
        await _confirmed(any_store, group_id, (1000 + 2 * number, 1001 + 2 * number))
    assert await services.meetings.buddy_outcomes(GUILD) == (None, None)

    for number, group_id in enumerate(groups[4:], 4):
        await _confirmed(any_store, group_id, (1000 + 2 * number, 1001 + 2 * number))
    for number, group_id in enumerate(groups[:5]):
        await any_store.buddies.record_answer(group_id, 1000 + 2 * number, "in_person", T0)
        await any_store.buddies.record_answer(group_id, 1001 + 2 * number, "online", T0)  # one group, once

    assert await any_store.meetings.buddy_outcomes(GUILD) == (6, 5)
    assert await services.meetings.buddy_outcomes(GUILD) == (6, 5)
    assert await any_store.meetings.buddy_outcomes(GUILD + 1) == (0, 0)


async def test_two_members_answering_at_once_still_get_their_times(any_store: Store) -> None:
    """Both answers land, and whichever commits last works out the times (never neither)."""
    import asyncio

    services = Services(any_store, ManualClock(T0), load_helplines())
    (group_id,) = await _groups(any_store, 1)
    asking = await services.meetings.start("buddy", group_id, None, 1000)
    value = asking.choices[-1].value  # UTC for both: nobody set a zone, nor the server

    await asyncio.gather(services.meetings.answer_parts(asking.poll.id, 1000, [value]),
                         services.meetings.answer_parts(asking.poll.id, 1001, [value]))

    poll = await any_store.meetings.get(asking.poll.id)
    assert poll is not None and poll.answered == {1000, 1001} and poll.status == "offered"

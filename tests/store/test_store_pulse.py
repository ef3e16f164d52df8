"""PulseStore on SQLite and PostgreSQL: per-week aggregates (count and different members) and nothing more;
weeks frozen once counted (first write wins, concurrent writers both succeed) and the service reading them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta

from bot.clock import ManualClock
from bot.domain.buddies import RoundPlan
from bot.domain.helplines import load_helplines
from bot.domain.nudges import NudgePrefs
from bot.domain.privacy import Scope
from bot.domain.pulse import FIGURES_VERSION, PAIR_OUTCOMES, Cell, PulseWeek, period_weeks
from bot.services import Services
from bot.services.pulse import PulseService
from bot.store import Store
from tests.store.conftest import AddEvent

GUILD = 1
NOW = datetime(2026, 3, 4, 12, tzinfo=UTC)  # a Wednesday: the week of 2 March is the current, partial week
PERIOD = period_weeks(NOW, 4)  # the weeks of 2, 9, 16 and 23 February (index 0 to 3)
FEB = {day: datetime(2026, 2, day, 10, tzinfo=UTC) for day in range(1, 29)}


async def _checkin(store: Store, user_id: int, mood: int, at: datetime, guild_id: int | None = GUILD) -> None:
    await store.checkins.add(user_id=user_id, guild_id=guild_id, mood=mood, note="private", local_date=at.date(),
                             source="command", now=at)


async def test_checkins_and_moods_per_complete_week(any_store: Store) -> None:
    for user in (1, 2, 3):
        await _checkin(any_store, user, 4, FEB[3])  # week 0
    await _checkin(any_store, 1, 1, FEB[4])  # the same member again, a hard day
    await _checkin(any_store, 4, 3, FEB[17])  # week 2
    await _checkin(any_store, 5, 5, datetime(2026, 3, 1, 23, 59, tzinfo=UTC))  # Sunday night: week 3
    # Not counted: before the period, in the current week, another server, a DM check-in with no server.
    await _checkin(any_store, 6, 2, datetime(2026, 2, 1, 23, 59, tzinfo=UTC))
    await _checkin(any_store, 6, 2, datetime(2026, 3, 2, 0, 0, tzinfo=UTC))
    await _checkin(any_store, 6, 2, FEB[10], guild_id=2)
    await _checkin(any_store, 6, 2, FEB[10], guild_id=None)

    assert await any_store.pulse.checkins(GUILD, PERIOD) == {0: Cell(4, 3), 2: Cell(1, 1), 3: Cell(1, 1)}
    assert await any_store.pulse.moods(GUILD, PERIOD) == {
        (0, "good"): Cell(3, 3), (0, "hard"): Cell(1, 1), (2, "okay"): Cell(1, 1), (3, "good"): Cell(1, 1)}


def _plan(key: str, ends: datetime, groups: list[tuple[int, ...]]) -> RoundPlan:
    started = ends - timedelta(days=14)
    return RoundPlan(guild_id=GUILD, round_key=key, started_at=started, followup_at=started + timedelta(days=7),
                     ends_at=ends, pool=[member for group in groups for member in group],
                     groups=[(group, {}) for group in groups], unmatched=[], sat_out=[])


async def test_pairs_of_rounds_that_ended_by_week_and_whether_they_met(any_store: Store) -> None:
    first, _ = await any_store.buddies.create_round(_plan("r1", FEB[10], [(1, 2), (3, 4), (5, 6, 7), (8, 9)]))
    await any_store.buddies.create_round(_plan("r2", FEB[24], [(1, 3)]))
    await any_store.buddies.create_round(_plan("running", NOW + timedelta(days=3), [(2, 4)]))  # not over yet
    groups = {group.members: group.id for group in await any_store.buddies.groups(first.id)}
    await any_store.buddies.record_answer(groups[(1, 2)], 1, "in_person", FEB[8])
    await any_store.buddies.record_answer(groups[(1, 2)], 2, "online", FEB[8])  # in person wins for the pair
    await any_store.buddies.record_answer(groups[(3, 4)], 4, "online", FEB[8])
    await any_store.buddies.record_answer(groups[(5, 6, 7)], 6, "not_yet", FEB[8])

    assert await any_store.pulse.pairs(GUILD, PERIOD) == {1: Cell(4, 9), 3: Cell(1, 2)}
    assert await any_store.pulse.pair_outcomes(GUILD, PERIOD) == {
        (1, "in_person"): Cell(1, 2), (1, "online"): Cell(1, 2), (1, "not_met"): Cell(2, 5),
        (3, "not_met"): Cell(1, 2)}


async def test_going_to_meetups_held_and_meetups_held(any_store: Store, add_event: AddEvent) -> None:
    held = await add_event(any_store, guild_id=GUILD, start_at=FEB[3], end_at=FEB[3] + timedelta(hours=2))
    online = await add_event(any_store, guild_id=GUILD, start_at=FEB[5], end_at=FEB[5] + timedelta(hours=1),
                             mode="online")
    cancelled = await add_event(any_store, guild_id=GUILD, start_at=FEB[17], end_at=FEB[17] + timedelta(hours=1))
    await any_store.events.update(cancelled.id, FEB[1], status="cancelled")
    upcoming = await add_event(any_store, guild_id=GUILD, start_at=NOW + timedelta(days=1),
                               end_at=NOW + timedelta(days=1, hours=1))
    elsewhere = await add_event(any_store, guild_id=2, start_at=FEB[3], end_at=FEB[3] + timedelta(hours=1))
    for event in (held, online, cancelled, upcoming, elsewhere):
        for user in (1, 2):
            await any_store.events.rsvp(event.id, user, "going", FEB[1])
    await any_store.events.rsvp(held.id, 3, "going", FEB[1])
    await any_store.events.rsvp(held.id, 4, "maybe", FEB[1])
    await any_store.events.rsvp(held.id, 5, "no", FEB[1])

    assert await any_store.pulse.going(GUILD, PERIOD) == {0: Cell(5, 3)}  # members 1 and 2 went twice
    assert await any_store.pulse.meetups_held(GUILD, PERIOD) == {0: 2}


async def test_first_nudge_opt_ins_per_week(any_store: Store) -> None:
    def prefs(user_id: int, guild_id: int = GUILD) -> NudgePrefs:
        return NudgePrefs(user_id=user_id, guild_id=guild_id, digest_enabled=True, digest_weekday=0,
                          local_time=time(9), digest_every_weeks=1, quiet_enabled=False, quiet_days=14,
                          buddy_enabled=False)

    await any_store.nudges.save(prefs(1), FEB[3])
    await any_store.nudges.save(prefs(2), FEB[4])
    await any_store.nudges.save(prefs(1), FEB[20])  # a later change keeps the first opt-in
    await any_store.nudges.save(prefs(3), FEB[20])
    await any_store.nudges.save(prefs(4, guild_id=2), FEB[20])
    await any_store.nudges.save(prefs(5), NOW)  # this week: not yet

    assert await any_store.pulse.nudge_opt_ins(GUILD, PERIOD) == {0: Cell(2, 2), 2: Cell(1, 1)}


async def test_a_whole_year_of_weeks_and_an_empty_server(any_store: Store) -> None:
    year = period_weeks(NOW, 52)
    await _checkin(any_store, 1, 3, year.starts[0])  # the first instant of the oldest week
    await _checkin(any_store, 1, 3, year.end - timedelta(microseconds=1))  # the last instant of the newest
    assert await any_store.pulse.checkins(GUILD, year) == {0: Cell(1, 1), 51: Cell(1, 1)}
    assert await any_store.pulse.checkins(GUILD + 5, year) == {}
    assert await any_store.pulse.pairs(GUILD, year) == {}
    assert await any_store.pulse.going(GUILD, year) == {}


async def test_counts_inside_one_reading_snapshot(any_store: Store) -> None:
    await _checkin(any_store, 1, 4, FEB[3])
    async with any_store.reading() as tx:
        assert await tx.pulse.checkins(GUILD, PERIOD) == {0: Cell(1, 1)}
        assert await tx.pulse.moods(GUILD, PERIOD) == {(0, "good"): Cell(1, 1)}


# frozen weeks (rule 6) -------------------------------------------------------------------------------------------

def _week(checkins: int | None, held: int = 0) -> PulseWeek:
    return PulseWeek(checkins=checkins, members=5 if checkins is not None else None,
                     moods={"hard": None, "okay": None, "good": checkins}, pairs=None,
                     pair_outcomes=dict.fromkeys(PAIR_OUTCOMES), going=None, meetups_held=held, nudge_opt_ins=None)


async def test_a_frozen_week_keeps_its_first_figures(any_store: Store) -> None:
    first, second = PERIOD.starts[:2]
    async with any_store.transaction() as tx:
        await tx.pulse.freeze(GUILD, {first: _week(7, held=2), second: _week(None)}, NOW)
    async with any_store.transaction() as tx:  # freezing again, with other figures: nothing changes
        await tx.pulse.freeze(GUILD, {first: _week(5), PERIOD.starts[2]: _week(9)}, NOW)

    assert await any_store.pulse.frozen(GUILD, PERIOD) == {
        first: _week(7, held=2), second: _week(None), PERIOD.starts[2]: _week(9)}
    assert await any_store.pulse.frozen(GUILD + 1, PERIOD) == {}  # per server
    assert await any_store.pulse.frozen(GUILD, PERIOD, version=FIGURES_VERSION + 1) == {}  # per figure version
    assert await any_store.pulse.frozen(GUILD, period_weeks(NOW - timedelta(weeks=8), 4)) == {}  # per period


async def test_other_servers_and_versions_freeze_apart(any_store: Store) -> None:
    start = PERIOD.starts[0]
    async with any_store.transaction() as tx:
        await tx.pulse.freeze(GUILD, {start: _week(7)}, NOW)
        await tx.pulse.freeze(GUILD + 1, {start: _week(8)}, NOW)
        await tx.pulse.freeze(GUILD, {start: _week(9)}, NOW, version=FIGURES_VERSION + 1)
        await tx.pulse.freeze(GUILD, {}, NOW)  # nothing to freeze: no statement at all

    assert await any_store.pulse.frozen(GUILD, PERIOD) == {start: _week(7)}
    assert await any_store.pulse.frozen(GUILD + 1, PERIOD) == {start: _week(8)}
    assert await any_store.pulse.frozen(GUILD, PERIOD, version=FIGURES_VERSION + 1) == {start: _week(9)}


async def test_two_transactions_freezing_the_same_week_both_succeed_and_the_first_wins(any_store: Store) -> None:
    start = PERIOD.starts[0]
    first_inserted = asyncio.Event()

    async def first() -> dict[datetime, PulseWeek]:
        async with any_store.transaction() as tx:
            await tx.pulse.freeze(GUILD, {start: _week(7)}, NOW)
            first_inserted.set()
            await asyncio.sleep(0)  # let the second one start its insert while this is uncommitted
        return await any_store.pulse.frozen(GUILD, PERIOD)

    async def second() -> dict[datetime, PulseWeek]:
        await first_inserted.wait()
        async with any_store.transaction() as tx:  # PostgreSQL: waits on the first's row, then does nothing
            await tx.pulse.freeze(GUILD, {start: _week(5)}, NOW)
            return await tx.pulse.frozen(GUILD, PERIOD)

    assert await asyncio.gather(first(), second()) == [{start: _week(7)}, {start: _week(7)}]


async def test_the_pulse_freezes_weeks_so_a_deletion_changes_no_week_already_counted(any_store: Store) -> None:
    january = datetime(2026, 1, 13, 10, tzinfo=UTC)  # in the 12 weeks, not in the 4
    for user in range(1, 7):  # six members in the week of 16 February, five in the week of 23 February
        await _checkin(any_store, user, 4, FEB[17])
        if user < 6:
            await _checkin(any_store, user, 4, FEB[24])
            await _checkin(any_store, user, 2, january)  # and five in a week of January
    everything = Services(any_store, ManualClock(NOW), load_helplines())

    short = await everything.pulse.pulse(GUILD, 4)
    assert short.checkins.weekly == (None, None, 6, 5)
    assert set(await any_store.pulse.frozen(GUILD, PERIOD)) == set(PERIOD.starts)  # all four, empty ones too

    await everything.privacy.delete(1, Scope())  # member 1 deletes their data
    assert await any_store.checkins.count(1) == 0

    assert await everything.pulse.pulse(GUILD, 4) == short  # the same, to the last figure
    long = await everything.pulse.pulse(GUILD, 12)
    assert long.checkins.weekly[-4:] == short.checkins.weekly
    # January was never counted before: it counts what is there now, four members, so it is withheld.
    assert long.checkins.weekly[:-4] == (None,) * 8 and long.moods.of("hard").total is None


async def test_organisers_asking_at_once_see_the_same_and_nothing_fails(any_store: Store) -> None:
    for user in range(1, 7):
        await _checkin(any_store, user, 4, FEB[17])
    services = [PulseService(any_store, ManualClock(NOW)) for _ in range(4)]

    shown = await asyncio.gather(*(service.pulse(GUILD, weeks) for service, weeks in zip(services, (4, 4, 12, 52),
                                                                                          strict=True)))

    assert [figures.checkins.total for figures in shown] == [6, 6, 6, 6]
    assert len(await any_store.pulse.frozen(GUILD, period_weeks(NOW, 52))) == 52

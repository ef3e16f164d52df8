"""The pulse's rules: complete UTC weeks, five or more per cell, periods as sums of weeks, no subtraction."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.pulse import (
    MIN_MEMBERS,
    MOOD_BANDS,
    WEEK,
    Cell,
    PulseCounts,
    Weeks,
    mood_band,
    period_weeks,
    pulse,
    split_week,
    week_start,
    weekly_figure,
)

moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1),  # noqa: DTZ001
                       timezones=st.just(UTC))


# weeks --------------------------------------------------------------------------------------------------------

def test_weeks_start_on_monday_midnight_utc() -> None:
    thursday = datetime(2026, 1, 1, 15, 30, tzinfo=UTC)
    assert week_start(thursday) == datetime(2025, 12, 29, tzinfo=UTC)
    assert week_start(datetime(2026, 1, 5, tzinfo=UTC)) == datetime(2026, 1, 5, tzinfo=UTC)


def test_a_moment_in_another_zone_is_bucketed_by_its_utc_week() -> None:
    from zoneinfo import ZoneInfo

    # Monday 01:00 in Auckland is still Sunday in UTC: that belongs to the week before.
    auckland = datetime(2026, 1, 5, 1, 0, tzinfo=ZoneInfo("Pacific/Auckland"))
    assert week_start(auckland) == datetime(2025, 12, 29, tzinfo=UTC)


@given(moments)
def test_week_start_is_the_monday_at_or_before(moment: datetime) -> None:
    start = week_start(moment)
    assert start.weekday() == 0 and (start.hour, start.minute, start.second, start.microsecond) == (0, 0, 0, 0)
    assert start <= moment < start + WEEK


@given(moments, st.sampled_from([4, 12, 26, 52]))
def test_a_period_is_whole_weeks_ending_before_the_current_one(now: datetime, weeks: int) -> None:
    period = period_weeks(now, weeks)
    assert len(period) == weeks
    assert period.end == week_start(now) <= now  # the current, partial week is never in it
    bounds = period.boundaries
    assert all(later - earlier == WEEK for earlier, later in pairwise(bounds))


@given(moments, st.sampled_from([4, 12, 26]), st.sampled_from([12, 26, 52]))
def test_two_periods_differ_by_whole_weeks(now: datetime, short: int, long: int) -> None:
    """The shorter period's weeks are the last weeks of the longer: comparing them isolates whole weeks only."""
    if short >= long:
        return
    assert period_weeks(now, long).starts[-short:] == period_weeks(now, short).starts


def test_a_period_has_at_least_a_week() -> None:
    with pytest.raises(ValueError, match="at least one week"):
        period_weeks(datetime(2026, 1, 1, tzinfo=UTC), 0)


def test_mood_bands() -> None:
    assert [mood_band(mood) for mood in range(1, 6)] == ["hard", "hard", "okay", "good", "good"]


# cells --------------------------------------------------------------------------------------------------------

def test_a_week_is_shown_only_with_five_or_more_members() -> None:
    figure = weekly_figure(3, {0: Cell(40, 4), 1: Cell(7, 5)})
    assert figure.weekly == (None, 7, None)  # four members: hidden however many check-ins; empty: hidden too
    assert figure.total == 7 and figure.weeks_shown == 1


def test_a_figure_with_no_week_shown_has_no_total() -> None:
    figure = weekly_figure(2, {0: Cell(9, 4), 1: Cell(3, 3)})
    assert figure.total is None and not figure.shown


def test_categories_need_five_members_and_the_week_too() -> None:
    parent = Cell(30, 12)
    cells = {"hard": Cell(2, 1), "okay": Cell(8, 6), "good": Cell(20, 9)}
    # "hard" (one member) is hidden, so subtracting okay and good from 30 would give it: okay goes too.
    assert split_week(parent, cells, MOOD_BANDS) == {"hard": None, "okay": None, "good": 20}
    assert split_week(Cell(30, 4), cells, MOOD_BANDS) == dict.fromkeys(MOOD_BANDS)


def test_an_empty_category_is_hidden_like_a_small_one() -> None:
    parent = Cell(30, 12)
    cells = {"okay": Cell(10, 6), "good": Cell(20, 9)}
    # Telling "nobody had a hard day" from "one or two did" would itself say something: both look the same.
    assert split_week(parent, cells, MOOD_BANDS) == {"hard": None, "okay": None, "good": 20}


def test_every_category_big_enough_is_all_shown() -> None:
    cells = {"hard": Cell(5, 5), "okay": Cell(8, 6), "good": Cell(20, 9)}
    assert split_week(Cell(33, 12), cells, MOOD_BANDS) == {"hard": 5, "okay": 8, "good": 20}


def test_ties_withhold_the_first_category_in_order() -> None:
    cells = {"hard": Cell(1, 1), "okay": Cell(8, 6), "good": Cell(8, 7)}
    assert split_week(Cell(17, 12), cells, MOOD_BANDS) == {"hard": None, "okay": None, "good": 8}


cell_values = st.builds(lambda members, extra: Cell(members + extra, members), st.integers(0, 12), st.integers(0, 20))


@given(cell_values, st.dictionaries(st.sampled_from(MOOD_BANDS), cell_values))
def test_subtraction_never_yields_a_group_under_five(parent: Cell, cells: dict[str, Cell]) -> None:
    """What can be had as (week total - shown categories) always includes five or more members' data."""
    shown = split_week(parent, cells, MOOD_BANDS)
    withheld = [band for band, value in shown.items() if value is None]
    for band, value in shown.items():
        if value is not None:
            assert cells[band].members >= MIN_MEMBERS and value == cells[band].count
    if parent.members >= MIN_MEMBERS and withheld and len(withheld) < len(MOOD_BANDS):
        assert max(cells[band].members if band in cells else 0 for band in withheld) >= MIN_MEMBERS


# the attack: a member singled out by comparing periods ----------------------------------------------------------

NOW = datetime(2026, 4, 1, 12, tzinfo=UTC)
Activity = dict[int, dict[int, list[int]]]  # member -> weeks ago (1 = last complete week) -> moods


def _counts(activity: Activity, period: Weeks) -> PulseCounts:
    """What the store would count (built in Python here from made-up check-ins)."""
    n = len(period)
    weekly: dict[int, Counter[str]] = defaultdict(Counter)
    members: dict[int, set[int]] = defaultdict(set)
    band_members: dict[tuple[int, str], set[int]] = defaultdict(set)
    band_counts: Counter[tuple[int, str]] = Counter()
    for member, weeks in activity.items():
        for ago, moods in weeks.items():
            if not moods or not 1 <= ago <= n:
                continue
            index = n - ago
            weekly[index]["all"] += len(moods)
            members[index].add(member)
            for mood in moods:
                band_counts[(index, mood_band(mood))] += 1
                band_members[(index, mood_band(mood))].add(member)
    return PulseCounts(
        checkins={week: Cell(weekly[week]["all"], len(members[week])) for week in members},
        moods={key: Cell(band_counts[key], len(band_members[key])) for key in band_counts},
        pairs={}, pair_outcomes={}, going={}, meetups_held={}, nudge_opt_ins={})


def _figures(activity: Activity, weeks: int) -> tuple[object, ...]:
    shown = pulse(period_weeks(NOW, weeks), _counts(activity, period_weeks(NOW, weeks)))
    return (shown.checkins.weekly, shown.members_per_week.weekly, shown.moods.weekly)


activities = st.dictionaries(
    st.integers(1, 9), st.dictionaries(st.integers(1, 12), st.lists(st.integers(1, 5), max_size=3), max_size=12),
    max_size=9)


@given(activities, st.sampled_from([4, 12]))
def test_a_member_only_in_small_weeks_changes_nothing(activity: Activity, weeks: int) -> None:
    """Take out any member whose weeks all had fewer than five members: every figure stays exactly the same."""
    per_week = Counter(ago for member_weeks in activity.values() for ago, moods in member_weeks.items() if moods)
    for member, member_weeks in activity.items():
        if all(per_week[ago] < MIN_MEMBERS for ago, moods in member_weeks.items() if moods):
            without = {other: value for other, value in activity.items() if other != member}
            assert _figures(activity, weeks) == _figures(without, weeks)


def test_comparing_4_and_12_weeks_reveals_nothing_about_a_member_of_weeks_5_to_12() -> None:
    # Five members check in every week of the last four; in weeks 5-12 only three of them did, and member 9,
    # the one someone wants to learn about (two hard days a week).
    activity: Activity = {member: {ago: [4] for ago in range(1, 5)} for member in range(1, 6)}
    for member in (1, 2, 3):
        activity[member].update({ago: [3] for ago in range(5, 13)})
    activity[9] = {ago: [1, 1] for ago in range(5, 13)}
    short = pulse(period_weeks(NOW, 4), _counts(activity, period_weeks(NOW, 4)))
    long = pulse(period_weeks(NOW, 12), _counts(activity, period_weeks(NOW, 12)))
    assert short.checkins.total == long.checkins.total == 20
    assert [long.moods.of(band).total for band in MOOD_BANDS] == [short.moods.of(band).total for band in MOOD_BANDS]
    assert long.average_members == short.average_members == 5.0
    assert long.checkins.weekly[:8] == (None,) * 8


def test_meetups_held_counts_only_the_period() -> None:
    period = period_weeks(NOW, 4)
    counts = PulseCounts(checkins={}, moods={}, pairs={}, pair_outcomes={}, going={0: Cell(6, 4)},
                         meetups_held={0: 2, 3: 1}, nudge_opt_ins={2: Cell(5, 5)})
    shown = pulse(period, counts)
    assert shown.meetups_held == 3
    assert shown.going.total is None  # four members going: hidden
    assert shown.nudge_opt_ins.total == 5
    assert shown.anything_shown


def test_period_starts_are_mondays_before_now() -> None:
    period = period_weeks(NOW, 4)
    assert period.starts == tuple(datetime(2026, 3, 30, tzinfo=UTC) - timedelta(weeks=k) for k in (4, 3, 2, 1))
    assert period.end == datetime(2026, 3, 30, tzinfo=UTC)

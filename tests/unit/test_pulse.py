"""The pulse's rules: complete UTC weeks, five or more per cell, periods as sums of weeks, no subtraction,
and weeks frozen once counted."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import replace
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
    PulseWeek,
    Weeks,
    consistent,
    counted_figures,
    mood_band,
    period_weeks,
    pulse,
    pulse_of,
    split_week,
    to_count,
    week_figures,
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
    weekly: dict[int, Counter[str]] = defaultdict(Counter)
    members: dict[int, set[int]] = defaultdict(set)
    band_members: dict[tuple[int, str], set[int]] = defaultdict(set)
    band_counts: Counter[tuple[int, str]] = Counter()
    for member, weeks in activity.items():
        for ago, moods in weeks.items():
            start = week_start(NOW) - WEEK * ago
            if not moods or start not in period.starts:
                continue
            index = period.starts.index(start)
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


# frozen weeks (rule 6) ------------------------------------------------------------------------------------------

def test_a_week_is_frozen_as_what_may_be_shown_and_reads_back_the_same() -> None:
    counts = PulseCounts(checkins={0: Cell(30, 12), 1: Cell(9, 4)},
                         moods={(0, "hard"): Cell(2, 1), (0, "okay"): Cell(8, 6), (0, "good"): Cell(20, 9)},
                         pairs={0: Cell(6, 12)}, pair_outcomes={(0, "not_met"): Cell(6, 12)}, going={1: Cell(8, 6)},
                         meetups_held={1: 3}, nudge_opt_ins={0: Cell(4, 4)})
    week = week_figures(counts, 0)
    assert week == PulseWeek(checkins=30, members=12, moods={"hard": None, "okay": None, "good": 20}, pairs=6,
                             pair_outcomes={"in_person": None, "online": None, "not_met": None}, going=None,
                             meetups_held=0, nudge_opt_ins=None)
    small = week_figures(counts, 1)  # four members checked in: neither the check-ins nor how many are shown
    assert (small.checkins, small.members, small.going, small.meetups_held) == (None, None, 8, 3)
    for frozen in (week, small, week_figures(counts, 7)):
        assert PulseWeek.from_json(json.loads(json.dumps(frozen.to_json()))) == frozen
    assert set(week.to_json()) == {"checkins", "members", "moods", "pairs", "pair_outcomes", "going",
                                   "meetups_held", "nudge_opt_ins", "arrived"}  # totals only: nothing names a member


@pytest.mark.parametrize("bad", ["7", 7.0, True])
def test_a_frozen_figure_that_is_not_a_whole_number_is_refused(bad: object) -> None:
    data = week_figures(PulseCounts({}, {}, {}, {}, {}, {}, {}), 0).to_json()
    with pytest.raises(ValueError, match="whole number or null"):
        PulseWeek.from_json({**data, "going": bad})


def test_only_the_weeks_not_frozen_are_counted() -> None:
    period = period_weeks(NOW, 12)
    assert to_count(period, set(period.starts)) is None
    assert to_count(period, set(period.starts[:-1])) == Weeks(starts=period.starts[-1:], end=period.end)
    assert to_count(period, set()) == period
    # The oldest and the newest are missing: the run between them is counted (the middle's counts unused).
    middle = to_count(period, set(period.starts[1:-1]))
    assert middle == period
    early = to_count(period, set(period.starts[4:]))
    assert early is not None and early.starts == period.starts[:4] and early.end == period.starts[4]


@given(activities, st.sets(st.integers(0, 11)))
def test_frozen_weeks_and_weeks_counted_later_make_the_same_pulse(activity: Activity, frozen_weeks: set[int]) -> None:
    """Whatever was frozen before, a period made of frozen and newly counted weeks equals one counted whole
    (when nothing changed in between): each counted week lands on its own start."""
    period = period_weeks(NOW, 12)
    assert consistent(_counts(activity, period))  # what a store counts in one snapshot always adds up
    whole = counted_figures(period, _counts(activity, period))
    frozen = {period.starts[index]: whole[period.starts[index]] for index in frozen_weeks}
    span = to_count(period, frozen)
    counted = {} if span is None else counted_figures(span, _counts(activity, span))
    assert pulse_of(period, {**counted, **frozen}) == pulse(period, _counts(activity, period))


def test_a_member_who_deletes_after_a_week_was_frozen_changes_nothing_there() -> None:
    # Six members check in the last complete week; member 6 has two hard days as well.
    activity: Activity = {member: {1: [4]} for member in range(1, 7)}
    activity[6][1] += [1, 1]
    activity[6][2] = [1]  # and the week before, when nobody else checked in
    period = period_weeks(NOW, 4)
    shown = counted_figures(period, _counts(activity, period))  # frozen as first shown
    without = {member: weeks for member, weeks in activity.items() if member != 6}
    assert pulse_of(period, shown) != pulse(period, _counts(without, period))  # counting again would show it
    assert pulse_of(period, shown).checkins.weekly == (None, None, None, 8)
    assert pulse_of(period, shown).moods.of("hard").weekly == (None,) * 4  # one member's hard days: withheld



def test_counts_whose_totals_and_categories_disagree_are_not_frozen() -> None:
    """A total from before a deletion beside categories from after it would give the deleted member's part."""
    agreeing = PulseCounts(checkins={0: Cell(7, 6)}, moods={(0, "good"): Cell(5, 5), (0, "hard"): Cell(2, 1)},
                           pairs={2: Cell(3, 6)}, pair_outcomes={(2, "online"): Cell(1, 2), (2, "not_met"): Cell(2, 4)},
                           going={}, meetups_held={}, nudge_opt_ins={})
    assert consistent(agreeing)
    assert consistent(PulseCounts({}, {}, {}, {}, {}, {}, {}))
    assert not consistent(replace(agreeing, moods={(0, "good"): Cell(5, 5)}))  # one member's check-ins gone
    assert not consistent(replace(agreeing, checkins={}))  # bands with no week total
    assert not consistent(replace(agreeing, pairs={2: Cell(4, 8)}))


def test_arrivals_split_going_and_show_only_when_both_sides_have_five_members() -> None:
    def arrived(arrived_members: int, not_arrived_members: int) -> int | None:
        attendance = {(0, "arrived"): Cell(arrived_members, arrived_members),
                      (0, "not_arrived"): Cell(not_arrived_members, not_arrived_members)}
        total = arrived_members + not_arrived_members
        counts = PulseCounts({}, {}, {}, {}, {0: Cell(total, total)}, {}, {}, attendance)
        assert consistent(counts)
        return week_figures(counts, 0).arrived

    assert arrived(6, 5) == 6
    assert arrived(6, 4) is None  # else going minus arrived would give the four who didn't tap
    assert arrived(4, 9) is None
    # A week frozen before arrivals were counted reads them as withheld, without being counted again.
    old = {key: value for key, value in week_figures(PulseCounts({}, {}, {}, {}, {}, {}, {}), 0).to_json().items()
           if key != "arrived"}
    assert PulseWeek.from_json(old).arrived is None

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.domain.errors import InvalidInput
from bot.domain.recurrence import (
    LAST,
    RecurrenceRule,
    describe,
    is_last_weekday,
    iter_occurrences,
    next_occurrence,
    nth_weekday,
    nth_weekday_in_month,
    occurrences,
)

LONDON = "Europe/London"
NEW_YORK = "America/New_York"
SYDNEY = "Australia/Sydney"


def at(zone: str, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def test_weekly_keeps_the_local_time_across_the_spring_change() -> None:
    first = at(LONDON, 2026, 3, 17, 19, 0)
    starts = occurrences("weekly", first, LONDON, count=4)
    assert [local(s, LONDON) for s in starts] == [datetime(2026, 3, d, 19, 0) for d in (17, 24, 31)] + [  # noqa: DTZ001
        datetime(2026, 4, 7, 19, 0)]  # noqa: DTZ001
    assert [s.hour for s in starts] == [19, 19, 18, 18]  # UTC moves by an hour when the clocks go forward
    assert all(s.tzinfo is UTC for s in starts)


@pytest.mark.parametrize(("zone", "first", "utc_hours"), [
    (NEW_YORK, (2026, 3, 1, 19, 0), [0, 23, 23, 23]),  # EST -5, then EDT -4 from 8 March
    (NEW_YORK, (2026, 10, 25, 19, 0), [23, 0, 0, 0]),  # EDT, then EST from 1 November
    (SYDNEY, (2026, 3, 29, 19, 0), [8, 9, 9, 9]),  # AEDT +11, then AEST +10 from 5 April
    (SYDNEY, (2026, 9, 27, 19, 0), [9, 8, 8, 8]),  # AEST, then AEDT from 4 October
])
def test_weekly_in_other_zones_across_their_changes(zone: str, first: tuple[int, ...], utc_hours: list[int]) -> None:
    starts = occurrences("weekly", at(zone, *first), zone, count=4)
    assert [local(s, zone).time() for s in starts] == [time(19, 0)] * 4
    assert [s.hour for s in starts] == utc_hours


def test_every_other_week() -> None:
    starts = occurrences("every_other_week", at(LONDON, 2026, 3, 21, 10, 30), LONDON, count=3)
    assert [local(s, LONDON) for s in starts] == [datetime(2026, 3, 21, 10, 30), datetime(2026, 4, 4, 10, 30),  # noqa: DTZ001
                                                  datetime(2026, 4, 18, 10, 30)]  # noqa: DTZ001


def test_monthly_nth_weekday_is_worked_out_from_the_first_start() -> None:
    first = at(LONDON, 2026, 3, 10, 19, 0)  # the 2nd Tuesday of March 2026
    starts = occurrences("monthly_nth_weekday", first, LONDON, count=4)
    assert [local(s, LONDON).date() for s in starts] == [date(2026, 3, 10), date(2026, 4, 14), date(2026, 5, 12),
                                                         date(2026, 6, 9)]
    assert {local(s, LONDON).time() for s in starts} == {time(19, 0)}
    assert describe("monthly_nth_weekday", first, LONDON) == "the 2nd Tuesday of each month at 19:00"


def test_a_fifth_weekday_skips_months_that_have_none() -> None:
    first = at(LONDON, 2026, 3, 31, 19, 0)  # the 5th (and last) Tuesday of March 2026
    starts = occurrences("monthly_nth_weekday", first, LONDON, until=at(LONDON, 2027, 1, 1, 0, 0))
    assert [local(s, LONDON).date() for s in starts] == [date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 29),
                                                         date(2026, 12, 29)]


def test_the_last_weekday_of_each_month() -> None:
    rule = RecurrenceRule("monthly_nth_weekday", nth=LAST)
    first = at(LONDON, 2026, 3, 31, 19, 0)
    starts = occurrences(rule, first, LONDON, count=4)
    assert [local(s, LONDON).date() for s in starts] == [date(2026, 3, 31), date(2026, 4, 28), date(2026, 5, 26),
                                                         date(2026, 6, 30)]
    assert describe(rule, first, LONDON) == "the last Tuesday of each month at 19:00"


def test_a_given_nth_must_match_the_first_start() -> None:
    with pytest.raises(InvalidInput) as refused:
        occurrences(RecurrenceRule("monthly_nth_weekday", nth=LAST), at(LONDON, 2026, 3, 10, 19, 0), LONDON, count=2)
    assert refused.value.message == (
        "The first date, Tue, March 10, isn't the last Tuesday of its month. Start the series on one that is.")
    assert len(occurrences(RecurrenceRule("monthly_nth_weekday", nth=2), at(LONDON, 2026, 3, 10, 19), LONDON,
                           count=2)) == 2


def test_rules_are_checked() -> None:
    with pytest.raises(InvalidInput):
        RecurrenceRule("daily")  # type: ignore[arg-type]  # a value from outside
    with pytest.raises(InvalidInput):
        RecurrenceRule("weekly", nth=2)
    with pytest.raises(InvalidInput):
        RecurrenceRule("monthly_nth_weekday", nth=6)
    with pytest.raises(InvalidInput):
        RecurrenceRule("monthly_nth_weekday", nth=0)


def test_a_wall_time_the_clocks_skip_moves_forward_by_the_gap() -> None:
    starts = occurrences("weekly", at(LONDON, 2026, 3, 22, 1, 30), LONDON, count=3)
    assert [local(s, LONDON) for s in starts] == [datetime(2026, 3, 22, 1, 30), datetime(2026, 3, 29, 2, 30),  # noqa: DTZ001
                                                  datetime(2026, 4, 5, 1, 30)]  # noqa: DTZ001


def test_a_wall_time_that_happens_twice_is_the_first() -> None:
    starts = occurrences("weekly", at(LONDON, 2026, 10, 18, 1, 30), LONDON, count=2)
    assert starts[1] == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 01:30 BST, not 01:30 GMT


def test_count_and_until() -> None:
    first = at(LONDON, 2026, 3, 17, 19, 0)
    assert occurrences("weekly", first, LONDON, count=0) == []
    assert occurrences("weekly", first, LONDON, until=first) == [first]
    assert occurrences("weekly", first, LONDON, until=first - timedelta(minutes=1)) == []
    assert len(occurrences("weekly", first, LONDON, until=at(LONDON, 2026, 3, 31, 19, 0))) == 3  # inclusive
    assert len(occurrences("weekly", first, LONDON, count=2, until=at(LONDON, 2027, 1, 1, 0, 0))) == 2
    assert len(occurrences("weekly", first, LONDON, count=10, until=at(LONDON, 2026, 3, 25, 0, 0))) == 2
    with pytest.raises(ValueError):
        occurrences("weekly", first, LONDON)
    with pytest.raises(ValueError):
        occurrences("weekly", first, LONDON, count=-1)
    with pytest.raises(ValueError):
        occurrences("weekly", datetime(2026, 3, 17, 19), LONDON, count=1)  # noqa: DTZ001


def test_next_occurrence() -> None:
    first = at(LONDON, 2026, 3, 17, 19, 0)
    assert next_occurrence("weekly", first, LONDON, first - timedelta(days=30)) == first
    assert next_occurrence("weekly", first, LONDON, first) == at(LONDON, 2026, 3, 24, 19, 0)
    assert next_occurrence("weekly", first, LONDON, at(LONDON, 2026, 3, 31, 19, 0)) == at(LONDON, 2026, 4, 7, 19, 0)
    assert next_occurrence("weekly", first, LONDON, at(LONDON, 2036, 3, 31, 19, 0)) == at(LONDON, 2036, 4, 1, 19, 0)
    assert next_occurrence("weekly", first, LONDON, first, count=1) is None
    assert next_occurrence("weekly", first, LONDON, first, count=2) == at(LONDON, 2026, 3, 24, 19, 0)
    assert next_occurrence("weekly", first, LONDON, first, until=at(LONDON, 2026, 3, 24, 18, 0)) is None
    fifth = at(LONDON, 2026, 3, 31, 19, 0)
    assert next_occurrence("monthly_nth_weekday", fifth, LONDON, fifth) == at(LONDON, 2026, 6, 30, 19, 0)


def test_describe() -> None:
    first = at(SYDNEY, 2026, 3, 17, 18, 30)
    assert describe("weekly", first, SYDNEY) == "every Tuesday at 18:30"
    assert describe("every_other_week", first, SYDNEY) == "every other Tuesday at 18:30"
    assert describe("monthly_nth_weekday", first, SYDNEY) == "the 3rd Tuesday of each month at 18:30"


def test_calendar_helpers() -> None:
    assert nth_weekday(date(2026, 3, 10)) == 2
    assert nth_weekday(date(2026, 3, 31)) == 5
    assert is_last_weekday(date(2026, 3, 31)) and is_last_weekday(date(2026, 2, 24))
    assert not is_last_weekday(date(2026, 3, 24))
    assert nth_weekday_in_month(2026, 4, 1, 5) is None
    assert nth_weekday_in_month(2026, 2, 6, LAST) == date(2026, 2, 22)


def test_the_series_stops_at_the_end_of_the_calendar() -> None:
    first = datetime(9999, 12, 1, 12, tzinfo=UTC)
    assert len(list(iter_occurrences("weekly", first, "UTC"))) == 5


zones = st.sampled_from([LONDON, NEW_YORK, SYDNEY, "Asia/Kolkata", "Pacific/Chatham", "America/Santiago", "UTC"])


@st.composite
def series(draw: st.DrawFn) -> tuple[RecurrenceRule, datetime, str, int]:
    """A rule and a first start whose local date fits it (a last weekday for nth = -1, and so on)."""
    zone = draw(zones)
    kind = draw(st.sampled_from(["weekly", "every_other_week", "monthly", "monthly_given", "monthly_last"]))
    year, month = draw(st.integers(2020, 2035)), draw(st.integers(1, 12))
    weekday = draw(st.integers(0, 6))
    nth = LAST if kind == "monthly_last" else draw(st.integers(1, 5))
    day = nth_weekday_in_month(year, month, weekday, nth)
    assume(day is not None)
    assert day is not None
    wall = draw(st.times()).replace(second=0, microsecond=0)
    first = datetime.combine(day, wall, tzinfo=ZoneInfo(zone)).astimezone(UTC)
    assume(local(first, zone) == datetime.combine(day, wall))  # the first start is a real local time
    rule = {"weekly": RecurrenceRule("weekly"), "every_other_week": RecurrenceRule("every_other_week"),
            "monthly": RecurrenceRule("monthly_nth_weekday"),
            "monthly_given": RecurrenceRule("monthly_nth_weekday", nth),
            "monthly_last": RecurrenceRule("monthly_nth_weekday", LAST)}[kind]
    return rule, first, zone, nth


@settings(max_examples=150, deadline=None)
@given(series(), st.integers(1, 30))
def test_occurrences_keep_weekday_and_local_time_and_increase(case: tuple[RecurrenceRule, datetime, str, int],
                                                              count: int) -> None:
    rule, first, zone, nth = case
    tz = ZoneInfo(zone)
    starts = occurrences(rule, first, zone, count=count)
    assert len(starts) == count
    assert starts[0] == first
    assert all(earlier < later for earlier, later in pairwise(starts))
    wall = first.astimezone(tz).time()
    for start in starts:
        assert start.tzinfo is UTC
        day = start.astimezone(tz).date()
        # Same local wall time; where the clocks skip it that day, the instant zoneinfo gives it (just after).
        assert start == datetime.combine(day, wall, tzinfo=tz).astimezone(UTC)
        assert day.weekday() == first.astimezone(tz).weekday()
    days = [start.astimezone(tz).date() for start in starts]
    if rule.frequency != "monthly_nth_weekday":
        step = 7 if rule.frequency == "weekly" else 14
        assert all((later - earlier).days == step for earlier, later in pairwise(days))
        return
    for day in days:
        assert is_last_weekday(day) if nth == LAST else nth_weekday(day) == nth
    months = [d.year * 12 + d.month for d in days]
    for earlier, later in pairwise(months):
        assert later > earlier
        # Only months with no such weekday are skipped (possible only for a 5th).
        for skipped in range(earlier + 1, later):
            year, month = divmod(skipped - 1, 12)
            assert nth == 5 and nth_weekday_in_month(year, month + 1, days[0].weekday(), 5) is None


@settings(max_examples=100, deadline=None)
@given(series(), st.integers(-40, 800), st.integers(0, 24 * 60))
def test_next_occurrence_is_the_first_start_after(case: tuple[RecurrenceRule, datetime, str, int], days: int,
                                                 minutes: int) -> None:
    rule, first, zone, _ = case
    after = first + timedelta(days=days, minutes=minutes)
    until = after + timedelta(days=100)
    expected = [start for start in occurrences(rule, first, zone, until=until) if start > after]
    assert next_occurrence(rule, first, zone, after) == (expected[0] if expected else next_occurrence(
        rule, first, zone, until))
    if expected:
        assert next_occurrence(rule, first, zone, after, until=until) == expected[0]


@settings(max_examples=60, deadline=None)
@given(series(), st.integers(0, 400))
def test_until_is_inclusive_and_nothing_is_left_out(case: tuple[RecurrenceRule, datetime, str, int],
                                                    days: int) -> None:
    rule, first, zone, _ = case
    until = first + timedelta(days=days)
    starts = occurrences(rule, first, zone, until=until)
    assert starts and all(start <= until for start in starts)
    following = next_occurrence(rule, first, zone, starts[-1])
    assert following is not None and following > until

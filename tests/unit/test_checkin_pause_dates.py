"""The day a check-in pause ends, read in the member's zone; the first prompt after it, across clock changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.domain.checkin_schedule import PromptPlan, first_prompt_from, parse_pause_end, pause_end_at
from bot.domain.errors import InvalidInput
from bot.domain.quiet_hours import QuietHours

LONDON = ZoneInfo("Europe/London")
AUCKLAND = ZoneInfo("Pacific/Auckland")
NOW = datetime(2026, 12, 2, 4, 0, tzinfo=UTC)  # Wednesday 2 December in London, already Wednesday evening in Auckland


@pytest.mark.parametrize(("typed", "day"), [
    ("2026-12-24", date(2026, 12, 24)), ("24 Dec", date(2026, 12, 24)), ("next monday", date(2026, 12, 7)),
    ("in 2 weeks", date(2026, 12, 16)), ("tomorrow", date(2026, 12, 3)), ("1 jan", date(2027, 1, 1)),
    ("25/12", date(2026, 12, 25)),
])
def test_days_people_type(typed: str, day: date) -> None:
    assert parse_pause_end(typed, zone=LONDON, now=NOW) == day


def test_tomorrow_is_the_members_tomorrow() -> None:
    late = datetime(2026, 12, 2, 20, 0, tzinfo=UTC)  # already Thursday 3 December in Auckland
    assert parse_pause_end("tomorrow", zone=AUCKLAND, now=late) == date(2026, 12, 4)
    assert parse_pause_end("tomorrow", zone=LONDON, now=late) == date(2026, 12, 3)


@pytest.mark.parametrize("typed", ["", "   ", "soonish", "2026-12-02", "2026-06-01", "2027-07-01", "03/04",
                                   "x" * 41])
def test_refused_with_a_sentence(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_pause_end(typed, zone=LONDON, now=NOW)
    assert refused.value.message.endswith((".", "”.")) and "Traceback" not in refused.value.message


def test_a_pause_ends_at_local_midnight_on_either_side_of_a_clock_change() -> None:
    assert pause_end_at(date(2026, 3, 28), LONDON) == datetime(2026, 3, 28, 0, tzinfo=UTC)
    assert pause_end_at(date(2026, 3, 30), LONDON) == datetime(2026, 3, 29, 23, tzinfo=UTC)


def test_the_first_prompt_is_on_the_pauses_last_day_even_at_midnight() -> None:
    plan = PromptPlan(cadence="daily", local_time=time(0, 0), weekday=None)
    ends = pause_end_at(date(2026, 3, 30), LONDON)
    assert first_prompt_from(plan, LONDON, ends) == ends


def test_the_first_weekly_prompt_after_a_pause_keeps_out_of_quiet_hours() -> None:
    plan = PromptPlan(cadence="weekly", local_time=time(9, 0), weekday=0)
    quiet = QuietHours(start=time(8, 0), end=time(10, 0))
    first = first_prompt_from(plan, LONDON, pause_end_at(date(2026, 3, 25), LONDON), quiet)
    assert first.astimezone(LONDON) == datetime(2026, 3, 30, 10, 0, tzinfo=LONDON)

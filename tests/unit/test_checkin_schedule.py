from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.checkin_schedule import PromptPlan, is_too_late, next_prompt_at
from bot.domain.errors import InvalidInput
from bot.domain.quiet_hours import QuietHours

zones = st.sampled_from(["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "America/Santiago",
                         "Pacific/Auckland", "UTC", "Europe/Berlin"])
moments = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 1, 1),  # noqa: DTZ001
                       timezones=st.just(UTC))
times = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@given(zones, moments, times)
def test_daily_prompt_is_within_a_day_at_the_chosen_local_time(zone_name, after, at):
    zone = ZoneInfo(zone_name)
    due = next_prompt_at(PromptPlan("daily", at, None), zone, after)
    assert after < due <= after + timedelta(days=1, hours=2)
    local = due.astimezone(zone)
    if (local.hour, local.minute) != (at.hour, at.minute):
        # Only allowed on the night `at` does not exist (the spring gap): it lands just after the gap.
        wall = datetime.combine(local.date(), at, tzinfo=zone)
        assert wall.astimezone(UTC).astimezone(zone).time() != at


@given(zones, moments, times, st.integers(0, 6))
def test_weekly_prompt_is_on_the_chosen_weekday_within_a_week(zone_name, after, at, weekday):
    zone = ZoneInfo(zone_name)
    due = next_prompt_at(PromptPlan("weekly", at, weekday), zone, after)
    assert after < due <= after + timedelta(days=7, hours=2)
    assert due.astimezone(zone).weekday() == weekday


@given(zones, moments, times, times, times)
def test_prompts_never_land_in_quiet_hours(zone_name, after, at, start, end):
    if start == end:
        return
    zone, quiet = ZoneInfo(zone_name), QuietHours(start, end)
    due = next_prompt_at(PromptPlan("daily", at, None), zone, after, quiet)
    assert due > after
    assert not quiet.is_quiet(due, zone)


def test_nine_am_stays_nine_am_across_both_dst_changes():
    london = ZoneInfo("Europe/London")
    plan = PromptPlan("daily", time(9), None)
    due = datetime(2026, 3, 27, 12, tzinfo=UTC)
    seen = []
    for _ in range(4):
        due = next_prompt_at(plan, london, due)
        seen.append(due)
    assert [d.astimezone(london).hour for d in seen] == [9, 9, 9, 9]
    assert [d.hour for d in seen] == [9, 8, 8, 8]
    autumn = next_prompt_at(plan, london, datetime(2026, 10, 23, 12, tzinfo=UTC))
    after_change = next_prompt_at(plan, london, autumn)
    assert (autumn.hour, after_change.hour) == (8, 9)


def test_a_time_in_the_spring_gap_lands_just_after_it():
    new_york = ZoneInfo("America/New_York")
    due = next_prompt_at(PromptPlan("daily", time(2, 30), None), new_york, datetime(2026, 3, 8, 5, tzinfo=UTC))
    assert due.astimezone(new_york).strftime("%H:%M") == "03:30"


def test_weekly_without_a_day_is_refused():
    with pytest.raises(InvalidInput):
        PromptPlan("weekly", time(9), None)


def test_lateness_limit():
    due = datetime(2026, 1, 1, 9, tzinfo=UTC)
    assert not is_too_late(due, due + timedelta(hours=2, minutes=59))
    assert is_too_late(due, due + timedelta(hours=3, minutes=1))

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import InvalidInput
from bot.domain.quiet_hours import QuietHours, parse_time_of_day

times = st.times().map(lambda t: t.replace(second=0, microsecond=0))
moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),  # noqa: DTZ001
                       timezones=st.just(UTC))
zones = st.sampled_from(["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata",
                         "Pacific/Chatham", "UTC", "America/Santiago"])


@pytest.mark.parametrize(("text", "expected"), [
    ("22:00", time(22)), ("7:30", time(7, 30)), ("07.30", time(7, 30)), ("22h15", time(22, 15)),
    ("7", time(7)), ("10pm", time(22)), ("12am", time(0)), ("12pm", time(12)), ("7:30 am", time(7, 30)),
    ("11 P.M.", time(23)), (" 0:00 ", time(0)), ("23:59", time(23, 59)),
])
def test_parse_time_of_day_accepts_what_people_type(text, expected):
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize("text", ["25:00", "24:00", "7:60", "13pm", "0am", "noonish", "", "-1", "7:5", "1234"])
def test_parse_time_of_day_refuses_nonsense_with_a_sentence(text):
    with pytest.raises(InvalidInput) as refused:
        parse_time_of_day(text)
    assert "isn't a time of day" in refused.value.message


@given(st.text(max_size=12))
def test_parse_time_of_day_never_fails_other_than_clearly(text):
    try:
        parsed = parse_time_of_day(text)
    except InvalidInput as refused:
        assert refused.message
    else:
        assert isinstance(parsed, time)


def test_start_equal_to_end_is_refused():
    with pytest.raises(InvalidInput):
        QuietHours(time(22), time(22))


@given(times, times, times)
def test_contains_matches_the_definition(start, end, local):
    if start == end:
        return
    hours = QuietHours(start, end)
    if start < end:
        assert hours.contains(local) == (start <= local < end)
    else:
        assert hours.contains(local) == (local >= start or local < end)


@given(times, times, times)
def test_a_time_is_quiet_in_exactly_one_of_a_window_and_its_complement(start, end, local):
    if start == end:
        return
    assert QuietHours(start, end).contains(local) != QuietHours(end, start).contains(local)


@given(times, times, moments, zones)
def test_next_allowed_is_never_quiet_and_never_earlier(start, end, moment, zone_name):
    if start == end:
        return
    hours, zone = QuietHours(start, end), ZoneInfo(zone_name)
    allowed = hours.next_allowed(moment, zone)
    assert allowed >= moment
    assert allowed - moment <= timedelta(days=1, hours=2)
    assert not hours.is_quiet(allowed, zone)


def test_quiet_hours_follow_local_time_across_a_dst_change():
    london = ZoneInfo("Europe/London")
    hours = QuietHours(time(22), time(7))
    # 06:30 UTC is 06:30 local in winter (quiet) but 07:30 local in summer (not quiet).
    assert hours.is_quiet(datetime(2026, 3, 28, 6, 30, tzinfo=UTC), london)
    assert not hours.is_quiet(datetime(2026, 3, 30, 6, 30, tzinfo=UTC), london)
    assert hours.next_allowed(datetime(2026, 3, 29, 0, 30, tzinfo=UTC), london) == datetime(
        2026, 3, 29, 6, 0, tzinfo=UTC)

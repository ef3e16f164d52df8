from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from bot.domain.ics import PRODID, IcsRepeat, event_ics
from bot.domain.recurrence import LAST, RecurrenceRule, nth_weekday_in_month, occurrences

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
START = datetime(2026, 3, 10, 19, 0, tzinfo=UTC)
END = START + timedelta(hours=2)


def parse(data: bytes) -> tuple[Calendar, Any]:
    calendar = Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def test_one_meetup_reads_back_with_every_field() -> None:
    data = event_ics("event-42@hearth", "Sunday walk", START, END, description="Meet by the gate.",
                     location="Victoria Park", url="https://example.org/walk", now=NOW)
    assert isinstance(data, bytes)
    calendar, event = parse(data)
    assert str(calendar["PRODID"]) == PRODID == "-//Hearth//Hearth Discord bot//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(event["UID"]) == "event-42@hearth"
    assert event["DTSTAMP"].dt == NOW
    assert event["DTSTART"].dt == START
    assert event["DTEND"].dt == END
    assert str(event["SUMMARY"]) == "Sunday walk"
    assert str(event["DESCRIPTION"]) == "Meet by the gate."
    assert str(event["LOCATION"]) == "Victoria Park"
    assert str(event["URL"]) == "https://example.org/walk"
    assert int(event["SEQUENCE"]) == 0
    assert "RRULE" not in event
    text = data.decode()
    assert "DTSTART:20260310T190000Z\r\n" in text and "DTEND:20260310T210000Z\r\n" in text
    assert "DTSTAMP:20260301T090000Z\r\n" in text
    assert "VTIMEZONE" not in text
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")


def test_times_in_other_zones_are_written_in_utc() -> None:
    start = datetime(2026, 7, 4, 19, 0, tzinfo=ZoneInfo("America/New_York"))
    _, event = parse(event_ics("e@h", "BBQ", start, start + timedelta(hours=3), now=NOW))
    assert event["DTSTART"].dt == datetime(2026, 7, 4, 23, 0, tzinfo=UTC)
    assert event["DTSTART"].dt.utcoffset() == timedelta(0)


def test_missing_optional_fields_are_left_out() -> None:
    _, event = parse(event_ics("e@h", "Tea", START, END, now=NOW))
    for name in ("DESCRIPTION", "LOCATION", "URL"):
        assert name not in event
    _, event = parse(event_ics("e@h", "Tea", START, END, description="", location=None, url="", now=NOW))
    assert "DESCRIPTION" not in event


def test_user_text_with_commas_semicolons_and_newlines_round_trips() -> None:
    title = 'Walk, talk; tea \\ "biscuits"'
    description = "Bring: water, snacks; a coat.\nWe meet at 10:00.\n\nAll welcome — 🌿 ça va?"
    location = "Café Nero, 12 High St; 2nd floor"
    data = event_ics("e@h", title, START, END, description=description, location=location, now=NOW)
    _, event = parse(data)
    assert str(event["SUMMARY"]) == title
    assert str(event["DESCRIPTION"]) == description
    assert str(event["LOCATION"]) == location
    assert b"SUMMARY:Walk\\, talk\\; tea \\\\ \"biscuits\"\r\n" in data


def test_carriage_returns_become_newlines_and_control_characters_are_dropped() -> None:
    _, event = parse(event_ics("e@h", "Tea\x00\x1b", START, END, description="a\r\nb\rc\td\x07", now=NOW))
    assert str(event["SUMMARY"]) == "Tea"
    assert str(event["DESCRIPTION"]) == "a\nb\nc\td"


def test_long_lines_are_folded_at_75_octets() -> None:
    description = "Let's meet for a long walk by the river, with tea after. 🌿☕ " * 12
    data = event_ics("e@h", "Walk", START, END, description=description, now=NOW)
    lines = data.split(b"\r\n")
    assert lines[-1] == b""
    assert all(len(line) <= 75 for line in lines)
    assert sum(line.startswith(b" ") for line in lines) > 5  # continuation lines
    assert b"\n" not in data.replace(b"\r\n", b"")
    _, event = parse(data)
    assert str(event["DESCRIPTION"]) == description


def test_sequence_is_written() -> None:
    _, event = parse(event_ics("e@h", "Tea", START, END, now=NOW, sequence=3))
    assert int(event["SEQUENCE"]) == 3


def test_bad_arguments_are_programming_errors() -> None:
    with pytest.raises(ValueError):
        event_ics("e@h", "Tea", START, START, now=NOW)
    with pytest.raises(ValueError):
        event_ics("e@h", "Tea", datetime(2026, 3, 10, 19), END, now=NOW)  # noqa: DTZ001
    with pytest.raises(ValueError):
        event_ics(" ", "Tea", START, END, now=NOW)
    with pytest.raises(ValueError):
        IcsRepeat("weekly", "Europe/London", count=0)


printable = st.text(st.characters(exclude_categories=["Cc", "Cs"]) | st.sampled_from(",;:\\\n\t\""), min_size=1,
                    max_size=300)


@settings(max_examples=100, deadline=None)
@given(printable, printable, printable)
def test_any_member_text_round_trips(title: str, description: str, location: str) -> None:
    data = event_ics("e@h", title, START, END, description=description, location=location, now=NOW)
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    _, event = parse(data)
    assert str(event["SUMMARY"]) == title
    assert str(event["DESCRIPTION"]) == description
    assert str(event["LOCATION"]) == location


def test_a_series_is_written_in_the_organisers_zone_with_a_timezone() -> None:
    zone = "Europe/London"
    until = datetime(2026, 12, 31, 23, 59, tzinfo=UTC)
    data = event_ics("s@h", "Walk", START, END, now=NOW,
                     rrule=IcsRepeat(RecurrenceRule("monthly_nth_weekday"), zone, until=until))
    calendar, event = parse(data)
    text = data.decode()
    assert "DTSTART;TZID=Europe/London:20260310T190000\r\n" in text
    assert "DTEND;TZID=Europe/London:20260310T210000\r\n" in text
    assert "RRULE:FREQ=MONTHLY;UNTIL=20261231T235900Z;BYDAY=2TU\r\n" in text
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == [zone]
    assert event["DTSTART"].dt == START


@pytest.mark.parametrize(("rule", "expected"), [
    ("weekly", "FREQ=WEEKLY;COUNT=3"),
    ("every_other_week", "FREQ=WEEKLY;COUNT=3;INTERVAL=2"),
    (RecurrenceRule("monthly_nth_weekday", nth=LAST), "FREQ=MONTHLY;COUNT=3;BYDAY=-1TU"),
])
def test_rrule_values(rule: RecurrenceRule | str, expected: str) -> None:
    start = datetime(2026, 3, 31, 18, 0, tzinfo=UTC)  # a Tuesday, the last of March, 19:00 BST
    data = event_ics("s@h", "Walk", start, start + timedelta(hours=1), now=NOW,
                     rrule=IcsRepeat(rule, "Europe/London", count=3))
    assert f"RRULE:{expected}\r\n" in data.decode()


zones = st.sampled_from(["Europe/London", "America/New_York", "Australia/Sydney", "Pacific/Chatham"])


@settings(max_examples=40, deadline=None)
@given(zones, st.sampled_from(["weekly", "every_other_week", "monthly", "monthly_last"]), st.integers(2024, 2030),
       st.integers(1, 12), st.integers(0, 6), st.integers(1, 5), st.times(), st.integers(1, 25))
def test_a_calendar_app_expands_the_series_to_our_occurrences(zone: str, kind: str, year: int, month: int,
                                                               weekday: int, nth: int, wall: time,
                                                               count: int) -> None:
    """Expanding the RRULE the way a calendar app does (dateutil, local wall time) gives recurrence.occurrences."""
    nth = LAST if kind == "monthly_last" else nth
    day = nth_weekday_in_month(year, month, weekday, nth)
    assume(day is not None)
    assert day is not None
    tz = ZoneInfo(zone)
    local_start = datetime.combine(day, wall.replace(second=0, microsecond=0), tzinfo=tz)
    start = local_start.astimezone(UTC)
    assume(start.astimezone(tz).replace(tzinfo=None) == local_start.replace(tzinfo=None))
    rule = {"weekly": RecurrenceRule("weekly"), "every_other_week": RecurrenceRule("every_other_week"),
            "monthly": RecurrenceRule("monthly_nth_weekday"),
            "monthly_last": RecurrenceRule("monthly_nth_weekday", LAST)}[kind]
    data = event_ics("s@h", "Walk", start, start + timedelta(hours=1), now=NOW, rrule=IcsRepeat(rule, zone, count))
    _, event = parse(data)
    rrule_line = event["RRULE"].to_ical().decode()
    dtstart = event["DTSTART"].dt.replace(tzinfo=None)
    expanded = [wall_time.replace(tzinfo=tz).astimezone(UTC) for wall_time in rrulestr(rrule_line, dtstart=dtstart)]
    assert expanded == occurrences(rule, start, zone, count=count)

"""An .ics file for one meetup (or a series), for members to add to their own calendar.

One VCALENDAR (PRODID "-//Hearth//Hearth Discord bot//EN", VERSION 2.0) holding one VEVENT. icalendar
escapes text (commas, semicolons, backslashes, line breaks) and folds lines at 75 octets. Control
characters other than tab and line breaks are dropped from member text, since iCalendar forbids them.

A single meetup's DTSTART/DTEND are in UTC. A series (`rrule`) is written in the organiser's time
zone instead: DTSTART;TZID=… with a VTIMEZONE and an RRULE, because a UTC start repeated weekly would
drift by an hour at each clock change. The RRULE matches `bot.domain.recurrence`: FREQ=WEEKLY
(INTERVAL=2 for every other week) or FREQ=MONTHLY;BYDAY=2TU / -1TU (months without a 5th weekday
are skipped in both), and calendar apps treat a wall time in the spring gap the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from bot.domain import recurrence
from bot.domain.recurrence import RuleLike

PRODID = "-//Hearth//Hearth Discord bot//EN"

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_TIMEZONE_WINDOW_WITHOUT_END = timedelta(days=10 * 366)


@dataclass(frozen=True)
class IcsRepeat:
    """How a meetup repeats, for its .ics file: the rule, the organiser's zone, and an optional end."""

    rule: RuleLike
    zone: str
    count: int | None = None
    until: datetime | None = None

    def __post_init__(self) -> None:
        if self.count is not None and self.count < 1:
            raise ValueError("count must be at least 1")
        if self.until is not None and self.until.tzinfo is None:
            raise ValueError("until must be an aware datetime")


def event_ics(
    uid: str,
    title: str,
    start: datetime,
    end: datetime,
    *,
    description: str | None = None,
    location: str | None = None,
    url: str | None = None,
    now: datetime,
    rrule: IcsRepeat | None = None,
    sequence: int = 0,
) -> bytes:
    """The .ics file for a meetup from `start` to `end` (aware). `uid` stays the same for the same meetup,
    and `sequence` goes up each time it changes, so calendar apps update their copy instead of adding one.
    `now` is the DTSTAMP."""
    for name, moment in (("start", start), ("end", end), ("now", now)):
        if moment.tzinfo is None:
            raise ValueError(f"{name} must be an aware datetime")
    if not uid.strip():
        raise ValueError("uid must not be empty")
    if end <= start:
        raise ValueError("end must be after start")

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("sequence", sequence)
    event.add("summary", _clean(title))
    if rrule is None:
        event.add("dtstart", start.astimezone(UTC))
        event.add("dtend", end.astimezone(UTC))
    else:
        tz = ZoneInfo(rrule.zone)
        event.add("dtstart", start.astimezone(tz))
        event.add("dtend", end.astimezone(tz))
        event.add("rrule", rrule_of(rrule, start))
    if description:
        event.add("description", _clean(description))
    if location:
        event.add("location", _clean(location))
    if url:
        event.add("url", _clean(url))

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add_component(event)
    if rrule is not None:
        first_day, last_day = _timezone_window(rrule, start)
        calendar.add_missing_timezones(first_date=first_day, last_date=last_day)
    ical: bytes = calendar.to_ical()
    return ical


def rrule_of(repeat: IcsRepeat, first_start: datetime) -> dict[str, Any]:
    """The RRULE value (for icalendar) of a series starting at `first_start`."""
    rule = recurrence.as_rule(repeat.rule)
    value: dict[str, Any]
    if rule.frequency == "weekly":
        value = {"freq": "WEEKLY"}
    elif rule.frequency == "every_other_week":
        value = {"freq": "WEEKLY", "interval": 2}
    else:
        nth = recurrence.monthly_position(rule, first_start, repeat.zone)
        weekday = first_start.astimezone(ZoneInfo(repeat.zone)).weekday()
        value = {"freq": "MONTHLY", "byday": f"{nth}{_WEEKDAY_CODES[weekday]}"}
    if repeat.count is not None:
        value["count"] = repeat.count
    if repeat.until is not None:
        value["until"] = repeat.until.astimezone(UTC)
    return value


def _timezone_window(repeat: IcsRepeat, first_start: datetime) -> tuple[date, date]:
    """Dates the VTIMEZONE must cover: the series, or ten years of it when it has no end."""
    first_day = first_start.astimezone(UTC).date() - timedelta(days=2)
    if repeat.count is None and repeat.until is None:
        return first_day, first_day + _TIMEZONE_WINDOW_WITHOUT_END
    starts = recurrence.occurrences(repeat.rule, first_start, repeat.zone, count=repeat.count, until=repeat.until)
    last = starts[-1] if starts else first_start
    return first_day, last.astimezone(UTC).date() + timedelta(days=2)


def _clean(text: str) -> str:
    """Line breaks as \\n, and no control characters (iCalendar allows none in text but tab)."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))

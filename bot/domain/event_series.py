"""Recurring meetups as organisers type them: how often, how it ends, and when each date is announced.

The dates themselves come from `bot.domain.recurrence` (local wall-clock time kept across clock changes).
This module adds what the commands need around them:

- `parse_repeat` reads the `repeat` choice and the optional end (`times`, 2 to 52, or `until`, a date),
  refusing contradictory or impossible ends with a sentence.
- Announcing: every occurrence is its own meetup, but only one lies ahead in the events channel at a
  time. Occurrence n is announced when occurrence n-1 starts, or two weeks before its own start if that
  is later (`announce_at`). A weekly series therefore always shows the next date (a week ahead); a
  monthly one shows each date two weeks ahead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

import dateparser

from bot.domain.errors import InvalidInput
from bot.domain.recurrence import FREQUENCIES, RecurrenceRule, describe, iter_occurrences, occurrences
from bot.domain.work import Work, key_part
from bot.i18n import _, date_text, n_

ANNOUNCE_AHEAD = timedelta(days=14)
MIN_TIMES, MAX_TIMES = 2, 52
MAX_SERIES_SPAN = timedelta(days=2 * 366)
PREVIEW_DATES = 4

REPEAT_LABELS = {"weekly": "Every week", "every_other_week": "Every other week",
                 "monthly_nth_weekday": "Monthly, same weekday (e.g. 2nd Tuesday)"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_AMBIGUOUS = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})(?:[/.\-]\d{2,4})?\s*$")


@dataclass(frozen=True)
class SeriesSpec:
    """How a new meetup repeats: the rule, the organiser's zone, and at most one end."""

    rule: RecurrenceRule
    zone: str
    count: int | None = None
    until: datetime | None = None  # inclusive, aware UTC: the end of the chosen local day

    def starts(self, first_start: datetime, limit: int) -> list[datetime]:
        """Up to `limit` starts from the first (for previews and materialising)."""
        count = limit if self.count is None else min(limit, self.count)
        return occurrences(self.rule, first_start, self.zone, count=count, until=self.until)

    def start_of(self, first_start: datetime, number: int) -> datetime | None:
        """The start of occurrence `number` (1 = the first), or None when the series has ended before it."""
        if number < 1 or (self.count is not None and number > self.count):
            return None
        for index, start in enumerate(iter_occurrences(self.rule, first_start, self.zone), start=1):
            if self.until is not None and start > self.until:
                return None
            if index == number:
                return start
        return None

    def describe(self, first_start: datetime) -> str:
        """ "every Tuesday at 19:00, 6 times" / "…, until Tuesday 30 June 2026" / "…, until cancelled"."""
        text = describe(self.rule, first_start, self.zone)
        if self.count is not None:
            # i18n: {rule} is how it repeats, e.g. "every Tuesday at 19:00"
            return n_("{rule}, {count} time", "{rule}, {count} times", self.count, rule=text)
        if self.until is not None:
            day = self.until.astimezone(ZoneInfo(self.zone)).date()
            # i18n: {rule} is how it repeats, e.g. "every Tuesday at 19:00"; {date} the last day, with its weekday
            return _("{rule}, until {date}", rule=text, date=date_text(day, "full"))
        # i18n: {rule} is how it repeats, e.g. "every Tuesday at 19:00"
        return _("{rule}, until cancelled", rule=text)


def parse_repeat(frequency: str, *, zone: str, first_start: datetime, times: int | None = None,
                 until: str | None = None) -> SeriesSpec:
    """The organiser's choice, checked: a known frequency, and `times` or `until` (not both)."""
    if frequency not in FREQUENCIES:
        raise InvalidInput(_("A meetup can repeat every week, every other week, or once a month."))
    rule = RecurrenceRule(frequency)
    if times is not None and until is not None:
        raise InvalidInput(_("Choose one end for the series: a number of times, or an end date, not both."))
    if times is not None and not MIN_TIMES <= times <= MAX_TIMES:
        raise InvalidInput(_("A series happens {min} to {max} times. For more, leave `times` empty and it carries "
                             "on until you cancel it.", min=MIN_TIMES, max=MAX_TIMES))
    end: datetime | None = None
    if until is not None:
        end = _end_of_day(parse_until(until, zone=zone, first_start=first_start), zone)
        if len(occurrences(rule, first_start, zone, count=2, until=end)) < 2:
            raise InvalidInput(_("That end date leaves only the first meetup. Pick a later date, or don't repeat it."))
    return SeriesSpec(rule=rule, zone=zone, count=times, until=end)


def parse_until(text: str, *, zone: str, first_start: datetime) -> date:
    """A last date such as "2026-06-30", "30 June" or "end of june"; after the first start, within two years."""
    cleaned = " ".join(text.strip().lower().split())
    if not cleaned:
        raise InvalidInput(_("Type the series' last date, such as “2026-06-30” or “30 June”."))
    ambiguous = _AMBIGUOUS.match(cleaned)
    if ambiguous and 1 <= int(ambiguous.group(1)) <= 12 and 1 <= int(ambiguous.group(2)) <= 12 \
            and ambiguous.group(1) != ambiguous.group(2):
        raise InvalidInput(_("“{typed}” could be read two ways. Write the month as a word, such as “30 June”, or "
                             "use the form 2026-06-30.", typed=text.strip()))
    first_local = first_start.astimezone(ZoneInfo(zone))
    if _ISO_DATE.match(cleaned):
        try:
            day = date.fromisoformat(cleaned)
        except ValueError:
            raise InvalidInput(_("“{typed}” isn't a real date.", typed=text.strip())) from None
    else:
        settings = {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": first_local.replace(tzinfo=None),
                    "PREFER_DAY_OF_MONTH": "last"}
        try:
            parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
        except (ValueError, OverflowError, ArithmeticError):
            parsed = None
        if parsed is None:
            raise InvalidInput(_("I couldn't read “{typed}” as a date. Try “2026-06-30” or “30 June”.",
                                 typed=text.strip()))
        day = parsed.date()
    if day <= first_local.date():
        raise InvalidInput(_("The series' last date must come after its first meetup."))
    if day - first_local.date() > MAX_SERIES_SPAN:
        raise InvalidInput(_("A series can run for up to two years. Pick an earlier last date."))
    return day


def _end_of_day(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def announce_at(previous_start: datetime | None, start: datetime) -> datetime:
    """When an occurrence is announced: when the one before it starts, or two weeks ahead if that is later."""
    two_weeks = start - ANNOUNCE_AHEAD
    return two_weeks if previous_start is None else max(previous_start, two_weeks)


@dataclass(frozen=True)
class SeriesAnnouncement(Work):
    """Announce occurrence `number` of a series: one row per occurrence, ever."""

    KIND: ClassVar[str] = "event.series"
    series_id: int = key_part()
    number: int = key_part()
    # The server, so that the process running its shard does it (it reads the server from its gateway cache).
    guild_id: int | None = None

    def key(self) -> str:
        # Kept from before typed payloads ("event-series:" prefix): a stored row must not be planned twice.
        return f"event-series:{self.series_id}:{self.number}"

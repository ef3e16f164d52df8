"""Recurring meetups: every week, every other week, or the nth weekday of each month.

A series is its rule, the first start (aware UTC) and the organiser's time zone. Every occurrence
keeps the first start's local wall-clock time, so a 19:00 meetup in Europe/London is at 19:00 local
on either side of a clock change (the UTC instant moves by an hour).

- "weekly": the same weekday every 7 days; "every_other_week": every 14 days.
- "monthly_nth_weekday": the nth weekday of each month, such as the 2nd Tuesday (nth = 2) or the
  last Friday (nth = -1). Without an nth, it is worked out from the first start's date: the 10th
  of March 2026 is the 2nd Tuesday. A first start on a 5th weekday (the 29th to the 31st) gives
  nth = 5, and months with no 5th such weekday are skipped, as in iCalendar's BYDAY=5TU; choose
  nth = -1 for "the last one of every month" instead.

Wall times a clock change makes awkward follow zoneinfo (and RFC 5545): a time that does not exist
on that day (inside the spring gap, e.g. 01:30 on the last Sunday of March in London) moves
forward by the gap (to 02:30 BST); a time that happens twice (the autumn overlap) is the first.
The first occurrence is always `first_start` itself.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal, get_args
from zoneinfo import ZoneInfo

from bot.domain.errors import InvalidInput
from bot.i18n import N_, _, day_and_month, p_, weekday_name

Frequency = Literal["weekly", "every_other_week", "monthly_nth_weekday"]
FREQUENCIES: tuple[Frequency, ...] = get_args(Frequency)
LAST = -1

_ORDINALS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 5: "5th", LAST: "last"}
# How a monthly series reads, one whole sentence part per position (translated where shown).
_MONTHLY = {
    1: N_("the 1st {weekday} of each month at {time}"),
    2: N_("the 2nd {weekday} of each month at {time}"),
    3: N_("the 3rd {weekday} of each month at {time}"),
    4: N_("the 4th {weekday} of each month at {time}"),
    5: N_("the 5th {weekday} of each month at {time}"),
    LAST: N_("the last {weekday} of each month at {time}"),
}


def _ordinal(nth: int) -> str:
    # i18n: which weekday of the month, as in "isn't the 2nd Tuesday of its month"
    return {1: p_("weekday of the month", "1st"), 2: p_("weekday of the month", "2nd"),
            3: p_("weekday of the month", "3rd"), 4: p_("weekday of the month", "4th"),
            5: p_("weekday of the month", "5th"), LAST: p_("weekday of the month", "last")}[nth]


@dataclass(frozen=True)
class RecurrenceRule:
    frequency: Frequency
    nth: int | None = None
    """monthly_nth_weekday only: 1 to 5, or -1 (LAST) for the last; None = from the first start's date."""

    def __post_init__(self) -> None:
        if self.frequency not in FREQUENCIES:
            raise InvalidInput(_("A meetup can repeat every week, every other week, or once a month."))
        if self.nth is not None:
            if self.frequency != "monthly_nth_weekday":
                raise InvalidInput(_("Only monthly meetups can pick which weekday of the month they fall on."))
            if self.nth not in _ORDINALS:
                raise InvalidInput(_("Pick the 1st, 2nd, 3rd, 4th, 5th or last weekday of the month."))


RuleLike = RecurrenceRule | Frequency


def as_rule(rule: RuleLike) -> RecurrenceRule:
    return rule if isinstance(rule, RecurrenceRule) else RecurrenceRule(rule)


def nth_weekday(day: date) -> int:
    """Which of its month's same weekdays `day` is: 1 for the first Tuesday, up to 5."""
    return (day.day - 1) // 7 + 1


def is_last_weekday(day: date) -> bool:
    """Whether `day` is the last of its weekday in its month."""
    return day.day + 7 > calendar.monthrange(day.year, day.month)[1]


def nth_weekday_in_month(year: int, month: int, weekday: int, nth: int) -> date | None:
    """The nth (1–5, or -1 for last) `weekday` (0 = Monday) of the month, or None if it has no such day."""
    first_weekday, days_in_month = calendar.monthrange(year, month)
    if nth == LAST:
        last_weekday = (first_weekday + days_in_month - 1) % 7
        return date(year, month, days_in_month - (last_weekday - weekday) % 7)
    day = 1 + (weekday - first_weekday) % 7 + 7 * (nth - 1)
    return date(year, month, day) if day <= days_in_month else None


def monthly_position(rule: RuleLike, first_start: datetime, zone: str) -> int:
    """The nth (1–5, or -1) a monthly series uses; checks that the first start is that weekday."""
    rule = as_rule(rule)
    first_day = _local(first_start, zone).date()
    if rule.nth is None:
        return nth_weekday(first_day)
    matches = is_last_weekday(first_day) if rule.nth == LAST else nth_weekday(first_day) == rule.nth
    if not matches:
        raise InvalidInput(_(
            "The first date, {date}, isn't the {ordinal} {weekday} of its month. Start the series on one that is.",
            date=day_and_month(first_day, short=False), ordinal=_ordinal(rule.nth), weekday=weekday_name(first_day)))
    return rule.nth


def iter_occurrences(rule: RuleLike, first_start: datetime, zone: str) -> Iterator[datetime]:
    """Every start of the series in order, as aware UTC (endless; stops only at the calendar's end)."""
    yield from _iter_from(as_rule(rule), first_start, zone, 0)


def occurrences(
    rule: RuleLike, first_start: datetime, zone: str, count: int | None = None, until: datetime | None = None
) -> list[datetime]:
    """The series' starts (aware UTC), the first being `first_start`: at most `count`, none after `until`.

    At least one of `count` and `until` is needed; `until` is inclusive.
    """
    if count is None and until is None:
        raise ValueError("give count or until, or the series never ends")
    if count is not None and count < 0:
        raise ValueError("count must not be negative")
    _require_aware(until, "until")
    starts: list[datetime] = []
    if count == 0:
        return starts
    for start in iter_occurrences(rule, first_start, zone):
        if until is not None and start > until:
            break
        starts.append(start)
        if count is not None and len(starts) >= count:
            break
    return starts


def next_occurrence(
    rule: RuleLike,
    first_start: datetime,
    zone: str,
    after: datetime,
    *,
    count: int | None = None,
    until: datetime | None = None,
) -> datetime | None:
    """The first start strictly after `after` (aware UTC), or None once the series (count/until) has ended."""
    _require_aware(after, "after")
    if count is not None:
        return next((start for start in occurrences(rule, first_start, zone, count, until) if start > after), None)
    _require_aware(until, "until")
    rule = as_rule(rule)
    for start in _iter_from(rule, first_start, zone, _index_before(rule, first_start, zone, after)):
        if start > after:
            return start if until is None or start <= until else None
    return None


def describe(rule: RuleLike, first_start: datetime, zone: str) -> str:
    """For people: "every Tuesday at 19:00", "every other Tuesday at 19:00",
    "the 2nd Tuesday of each month at 19:00", "the last Friday of each month at 18:30"."""
    rule = as_rule(rule)
    local = _local(first_start, zone)
    weekday, at = weekday_name(local), f"{local:%H:%M}"
    if rule.frequency == "weekly":
        # i18n: how a weekly meetup repeats; {weekday} is a day's name ("Tuesday"), {time} "19:00"
        return _("every {weekday} at {time}", weekday=weekday, time=at)
    if rule.frequency == "every_other_week":
        return _("every other {weekday} at {time}", weekday=weekday, time=at)
    nth = monthly_position(rule, first_start, zone)
    return _(_MONTHLY[nth], weekday=weekday, time=at)


def _iter_from(rule: RecurrenceRule, first_start: datetime, zone: str, index: int) -> Iterator[datetime]:
    """Starts from the `index`-th week step or month step of the series (skipped months yield nothing)."""
    _require_aware(first_start, "first_start")
    tz = ZoneInfo(zone)
    first_local = first_start.astimezone(tz)
    wall = first_local.time().replace(fold=0)
    first_day = first_local.date()
    weekday = first_day.weekday()
    nth = monthly_position(rule, first_start, zone) if rule.frequency == "monthly_nth_weekday" else 0
    step = 0
    while True:
        position = index + step
        step += 1
        if position == 0:
            yield first_start.astimezone(UTC)
            continue
        try:
            if rule.frequency == "monthly_nth_weekday":
                year, month = divmod(first_day.year * 12 + first_day.month - 1 + position, 12)
                day = nth_weekday_in_month(year, month + 1, weekday, nth)
                if day is None:
                    continue
            else:
                day = first_day + timedelta(days=position * (7 if rule.frequency == "weekly" else 14))
            instant = _at_local(day, wall, tz)
        except (OverflowError, ValueError):
            return
        yield instant


def _index_before(rule: RecurrenceRule, first_start: datetime, zone: str, after: datetime) -> int:
    """A step index whose start is certainly not after `after` (0 if `after` precedes the series)."""
    _require_aware(first_start, "first_start")
    if after < first_start:
        return 0
    tz = ZoneInfo(zone)
    first_day = first_start.astimezone(tz).date()
    after_day = after.astimezone(tz).date()
    if rule.frequency == "monthly_nth_weekday":
        months = (after_day.year - first_day.year) * 12 + after_day.month - first_day.month
        return max(0, months - 1)
    days_per_step = 7 if rule.frequency == "weekly" else 14
    return max(0, (after_day - first_day).days // days_per_step - 1)


def _at_local(day: date, wall: time, tz: ZoneInfo) -> datetime:
    """`wall` on `day` in `tz` as UTC: fold=0, so a time in the spring gap moves forward by the gap."""
    return datetime.combine(day, wall, tzinfo=tz).astimezone(UTC)


def _local(moment: datetime, zone: str) -> datetime:
    _require_aware(moment, "first_start")
    return moment.astimezone(ZoneInfo(zone))


def _require_aware(moment: datetime | None, name: str) -> None:
    if moment is not None and moment.tzinfo is None:
        raise ValueError(f"{name} must be an aware datetime")

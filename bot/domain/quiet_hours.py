"""Quiet hours: a daily window, in the member's local time, when Hearth sends nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.errors import InvalidInput
from bot.i18n import _

_CLOCK = re.compile(r"^\s*(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?\s*$", re.IGNORECASE)


def parse_time_of_day(text: str) -> time:
    """Accepts 22:00, 7:30, 07.30, 22h00, 7, 10pm, 7:30 am. Anything else is a clear error."""
    match = _CLOCK.match(text)
    if not match:
        raise InvalidInput(
            _("“{typed}” isn't a time of day I understand. Use 24-hour time like 22:00 or 07:30, or 10pm.",
              typed=text)
        )
    hour = int(match.group(1))
    minute = int(match.group(2) or 0)
    meridiem = (match.group(3) or "").lower().replace(".", "")
    if meridiem:
        if not 1 <= hour <= 12:
            raise InvalidInput(_("“{typed}” isn't a time of day: with am/pm the hour goes from 1 to 12.", typed=text))
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59:
        raise InvalidInput(
            _("“{typed}” isn't a time of day: hours go from 00 to 23 and minutes from 00 to 59 "
              "(for example 22:00 or 07:30).", typed=text)
        )
    return time(hour, minute)


@dataclass(frozen=True)
class QuietHours:
    """From `start` up to (not including) `end`, wrapping past midnight when end <= start."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start == self.end:
            raise InvalidInput(_("Quiet hours need different start and end times, such as 22:00 to 07:00."))

    @classmethod
    def parse(cls, start: str, end: str) -> QuietHours:
        return cls(parse_time_of_day(start), parse_time_of_day(end))

    def contains(self, local: time) -> bool:
        local = local.replace(tzinfo=None)
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def is_quiet(self, moment: datetime, zone: ZoneInfo) -> bool:
        return self.contains(moment.astimezone(zone).time())

    def next_allowed(self, moment: datetime, zone: ZoneInfo) -> datetime:
        """`moment` if it is outside quiet hours, else the first instant after they end (aware UTC in)."""
        if not self.is_quiet(moment, zone):
            return moment
        local = moment.astimezone(zone)
        end_today = local.replace(hour=self.end.hour, minute=self.end.minute, second=0, microsecond=0)
        candidate = end_today if end_today > local else end_today + timedelta(days=1)
        # Wall-clock arithmetic across a DST change can land on a non-existent time; fold to real UTC.
        return candidate.replace(tzinfo=zone).astimezone(moment.tzinfo)

    def describe(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"

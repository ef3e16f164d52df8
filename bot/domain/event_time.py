"""When a meetup starts, typed the way people say it, in the organiser's time zone.

`parse_event_start` turns "friday 7pm", "tomorrow at noon", "5 dec 19:30", "2026-12-05 18:30" or
"in 2 hours" into an aware UTC instant, or refuses with a sentence saying what would work.

How it reads the text (English only):

- "in 2 hours", "in 90 minutes", "in 1 hour 30 minutes", "in half an hour": that much real time
  from `now` (exact, even across a clock change), rounded down to the minute.
- A bare time of day ("7pm", "19:00", "noon") means today. If that time has already gone, it is
  refused with a hint to add a day; it is never silently moved to tomorrow.
- Anything else goes to dateparser, reading dates in the future relative to `now` in the zone. It
  must name a time of day (7pm, 19:00, 19h30, noon): "tomorrow", "next week" or "5 dec" alone are
  refused, so no meetup starts at midnight or at this very minute by accident. "Midnight" is
  refused too, because people use it for both the start and the end of a day.
- A weekday that is today ("friday 7pm" on a Friday) means today while that time is still ahead,
  not the same day next week. "next friday" keeps dateparser's reading.
- Numeric dates where day and month could be swapped (05/12, 05.12.2026) are refused with a hint
  to write the month as a word or use 2026-12-05; unambiguous ones (25/12) are read as written.
  A dotted time that can't be a date (19.30) is read as 19:30; one that could (10.05) is refused.
- A time zone written in the text ("7pm UTC", "18:00 +05:00", "7pm est") is honoured as written.

Local wall-clock times are attached to the zone with zoneinfo, not by dateparser (whose pytz-based
localising gives a non-existent spring-gap time a wrong offset). So 19:00 in Europe/London is 19:00
local on either side of a clock change. A wall time that does not exist (inside the spring gap,
e.g. 01:30 on the last Sunday of March in London) is refused with a sentence naming a time that
does; a wall time that happens twice (the autumn overlap) is read as the first of the two.

Starts are whole minutes; anything at or before `now`, or more than about two years ahead, is refused.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import dateparser  # measured: ~0.15 s to import, so importing it here is fine

from bot.domain.errors import InvalidInput
from bot.domain.quiet_hours import parse_time_of_day
from bot.i18n import _, date_text, p_, weekday_name

MAX_AHEAD = timedelta(days=2 * 366)
"""How far ahead a meetup may start: about two years."""

MAX_DURATION_MINUTES = 24 * 60
MAX_TITLE_LENGTH = 100
_MAX_TEXT_LENGTH = 100


def _examples() -> str:
    """Start times the parser reads (English only): in every language the examples themselves stay English."""
    # i18n: examples of start times as the organiser types them: Hearth reads English only, so keep the quoted
    # i18n: examples exactly as they are (translate only “or” and the quotation marks)
    return _("“friday 7pm”, “tomorrow at noon”, “5 Dec 19:30”, “2026-12-05 18:30” or “in 2 hours”")


_WEEKDAY_WORDS: dict[str, int] = {
    "mon": 0, "monday": 0,
    "tue": 1, "tues": 1, "tuesday": 1,
    "wed": 2, "weds": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3,
    "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5,
    "sun": 6, "sunday": 6,
}
_FULL_WEEKDAY = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WORD = re.compile(r"[a-z]+")

_MERIDIEM = r"(?:am|pm|a\.m\.|p\.m\.)"
# A time of day somewhere in the text: 7pm, 7:30 pm, 19:00, T18:30, 19h30, noon.
_CLOCK_IN_TEXT = re.compile(
    rf"(?<![\d.])\d{{1,2}}(?:[:.]\d{{2}})?\s*{_MERIDIEM}(?![a-z])"
    r"|(?<![\d.:])\d{1,2}:\d{2}(?!\d)"
    r"|(?<![\d.])\d{1,2}h\d{2}(?!\d)"
    r"|\bnoon\b",
    re.IGNORECASE,
)
# The whole text is just a time of day: "7pm", "at 19:00", "today 7:30 pm", "noon".
_BARE_CLOCK = re.compile(
    rf"^(?:today\s+)?(?:at\s+)?(?P<clock>\d{{1,2}}(?:[:.h]\d{{2}})?\s*{_MERIDIEM}|\d{{1,2}}[:h]\d{{2}}|noon)$",
    re.IGNORECASE,
)
# Day and month that could be either way round: 05/12, 5-12-2026, 05.12.26 (not 2026-12-05).
_NUMERIC_DATE = re.compile(
    rf"(?<![\d/.\-:])(\d{{1,2}})([/.\-])(\d{{1,2}})(\2\d{{2,4}})?(?![\d/.\-:]|\s*{_MERIDIEM})", re.IGNORECASE
)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")

_UNIT_MINUTES = {"m": 1, "min": 1, "mins": 1, "minute": 1, "minutes": 1,
                 "h": 60, "hr": 60, "hrs": 60, "hour": 60, "hours": 60}
_AMOUNT = r"\d{1,6}(?:\.\d+)?|an?|half\s+an?"
_UNIT = r"minutes?|mins?|m|hours?|hrs?|h"
_RELATIVE = re.compile(r"^(?:in\s+(?P<ahead>.+)|(?P<from_now>.+?)\s+from\s+now)$", re.IGNORECASE)
_RELATIVE_PART = re.compile(rf"\s*(?:and\s+|,\s*)?(?P<amount>{_AMOUNT})\s*(?P<unit>{_UNIT})\b", re.IGNORECASE)
_HOURS_MINUTES = re.compile(r"^\s*(?P<hours>\d{1,4})\s*h\s*(?P<minutes>\d{1,2})\s*$", re.IGNORECASE)


def parse_event_start(text: str, *, zone: str, now: datetime) -> datetime:
    """The start of a meetup typed by an organiser in time zone `zone` (an IANA key), as aware UTC."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    tz = ZoneInfo(zone)
    cleaned = _normalise(text)
    if not cleaned:
        # i18n: {examples} are start times typed in English (Hearth reads English only), such as “friday 7pm”
        raise InvalidInput(_("Type when the meetup starts, such as {examples}.", examples=_examples()))
    if len(cleaned) > _MAX_TEXT_LENGTH:
        # i18n: {examples} are start times typed in English (Hearth reads English only), such as “friday 7pm”
        raise InvalidInput(_("That's too long for a start time. Try something short, such as {examples}.",
                             examples=_examples()))

    start = _relative_start(cleaned, now)
    if start is None:
        start = _bare_time_today(cleaned, tz, zone, now)
    if start is None:
        start = _natural_start(cleaned, tz, zone, now)
    start = start.astimezone(UTC).replace(second=0, microsecond=0)

    if start <= now:
        # i18n: {moment} is a day and time such as “Friday 27 March 2026 at 19:00 (Europe/London time)”;
        # i18n: {examples} are start times typed in English (Hearth reads English only)
        raise InvalidInput(_("That's in the past: {moment}. Pick a time that's still ahead, such as {examples}.",
                             moment=_describe(start, tz, zone), examples=_examples()))
    if start - now > MAX_AHEAD:
        limit = (now + MAX_AHEAD).astimezone(tz)
        # i18n: {moment} is a day and time such as “Friday 27 March 2026 at 19:00 (Europe/London time)”; {day} a date
        raise InvalidInput(_("That's more than two years away: {moment}. Pick a start before {day}.",
                             moment=_describe(start, tz, zone), day=_describe_day(limit.date())))
    return start


def validate_duration(minutes: int) -> int:
    """A meetup's length in minutes: more than zero and at most a day."""
    if minutes <= 0:
        raise InvalidInput(_("A meetup needs to last at least a minute. Give its length in minutes, such as 90."))
    if minutes > MAX_DURATION_MINUTES:
        raise InvalidInput(
            _("A meetup can last at most 24 hours (1440 minutes). For longer ones, announce one meetup per day.")
        )
    return minutes


def validate_title(text: str) -> str:
    """A meetup's title, trimmed: 1 to 100 characters on one line."""
    title = text.strip()
    if not title:
        # i18n: the example title may be translated
        raise InvalidInput(_("Give the meetup a title, such as “Sunday walk in the park”."))
    if "\n" in title or "\r" in title or "\u2028" in title or "\u2029" in title:
        raise InvalidInput(_("Keep the title on one line; put the details in the description."))
    if len(title) > MAX_TITLE_LENGTH:
        # i18n: {limit} is the most characters a title may have (100), {length} how many this one has
        raise InvalidInput(_("Keep the title to {limit} characters or fewer (this one has {length}); put the "
                             "details in the description.", limit=MAX_TITLE_LENGTH, length=len(title)))
    return title


def _normalise(text: str) -> str:
    """Lower case, single spaces, full weekday names (dateparser misses "next sat"), "midday" as "noon"."""
    collapsed = " ".join(text.lower().split())

    def full_name(match: re.Match[str]) -> str:
        word = match.group(0)
        if word == "midday":
            return "noon"
        weekday = _WEEKDAY_WORDS.get(word)
        return _FULL_WEEKDAY[weekday] if weekday is not None else word

    return _WORD.sub(full_name, collapsed)


def _relative_start(text: str, now: datetime) -> datetime | None:
    """ "in 2 hours", "in 1 hour 30 minutes", "in 1h30", "45 minutes from now": exact real time from now."""
    match = _RELATIVE.match(text)
    if match is None:
        return None
    body = match.group("ahead") or match.group("from_now")
    minutes = _duration_minutes(body)
    if minutes is None:
        return None
    if minutes > MAX_AHEAD / timedelta(minutes=1):
        # i18n: {examples} are start times typed in English (Hearth reads English only)
        raise InvalidInput(_("That's more than two years away. Pick a start sooner, such as {examples}.",
                             examples=_examples()))
    return now.astimezone(UTC) + timedelta(minutes=minutes)


def _duration_minutes(body: str) -> float | None:
    hours_minutes = _HOURS_MINUTES.match(body)
    if hours_minutes is not None:
        return int(hours_minutes.group("hours")) * 60 + int(hours_minutes.group("minutes"))
    total = 0.0
    position = 0
    while position < len(body):
        part = _RELATIVE_PART.match(body, position)
        if part is None:
            return None
        amount = part.group("amount").lower()
        value = 0.5 if amount.startswith("half") else 1.0 if amount in ("a", "an") else float(amount)
        total += value * _UNIT_MINUTES[part.group("unit").lower()]
        position = part.end()
    return total if position else None


def _bare_time_today(text: str, tz: ZoneInfo, zone: str, now: datetime) -> datetime | None:
    """ "7pm", "19:00", "at noon": today in the zone, refused once it has gone (never moved to tomorrow)."""
    match = _BARE_CLOCK.match(text)
    if match is None:
        return None
    clock = match.group("clock")
    hint = f"tomorrow {'at ' if text.startswith('at ') else ''}{clock}"
    try:
        at = parse_time_of_day("12pm" if clock == "noon" else clock)
    except InvalidInput:
        # i18n: {clock} is what the organiser typed; 19:00 and 7pm are ways to type a time Hearth reads
        raise InvalidInput(_("“{clock}” isn't a time of day I understand. Use 24-hour time like 19:00, or 7pm.",
                             clock=clock)) from None
    today = now.astimezone(tz).date()
    start = _localise(datetime(today.year, today.month, today.day, at.hour, at.minute), tz, zone)  # noqa: DTZ001
    if start <= now:
        # i18n: {hint} is a start time typed in English (Hearth reads English only), such as “tomorrow 7pm”
        raise InvalidInput(_("That time has already passed today; add a day, like “{hint}”.", hint=hint))
    return start


def _natural_start(text: str, tz: ZoneInfo, zone: str, now: datetime) -> datetime:
    if "midnight" in text:
        # i18n: “saturday 00:00” is typed in English (Hearth reads English only): keep it as it is
        raise InvalidInput(_("“Midnight” can mean the start or the end of a day. Write 23:59, or the day and 00:00, "
                             "such as “saturday 00:00”."))
    text = _dotted_times_and_ambiguous_dates(text)
    local_now = now.astimezone(tz)
    settings: dict[str, Any] = {
        "PREFER_DATES_FROM": "future",
        # A naive local wall time: dates count from the organiser's today. Text without a zone comes
        # back naive (their wall clock, localised below); text with a zone comes back aware.
        "RELATIVE_BASE": local_now.replace(tzinfo=None),
        # Plain arithmetic on that naive base (no machine time zone, no DST); a zone typed in the text
        # ("7pm +05:00") is honoured and converted to UTC.
        "TIMEZONE": "UTC",
    }
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
    except (ValueError, OverflowError, ArithmeticError):
        parsed = None
    if not isinstance(parsed, datetime):
        # i18n: {text} is what the organiser typed; {examples} are start times typed in English
        raise InvalidInput(_("I couldn't read “{text}” as a day and time. Try something like {examples}.",
                             text=text, examples=_examples()))
    if _CLOCK_IN_TEXT.search(text) is None:
        # i18n: the quoted examples are typed in English (Hearth reads English only): keep them as they are
        raise InvalidInput(_("Add a time of day too, such as “friday 7pm”, “tomorrow 19:00” or “5 Dec at noon”."))
    if parsed.tzinfo is not None:
        return parsed.astimezone(UTC)
    parsed = _today_not_next_week(text, parsed, local_now)
    start = _localise(parsed, tz, zone)
    if start <= now and parsed.date() == local_now.date():
        # i18n: {hint} is a start time typed in English (Hearth reads English only), such as “tomorrow 7pm”
        hint = "tomorrow " + _clock_hint(text)
        raise InvalidInput(_("That time has already passed today; add a day, like “{hint}”.", hint=hint))
    return start


def _today_not_next_week(text: str, parsed: datetime, local_now: datetime) -> datetime:
    """ "friday 7pm" typed on a Friday morning means tonight; dateparser reads it as a week later."""
    today = local_now.date()
    if parsed.date() - today != timedelta(days=7):
        return parsed
    # Only for just a weekday and a time ("friday 7pm", "7pm on fri"), never with a date or "next".
    rest = _WORD.findall(_CLOCK_IN_TEXT.sub(" ", text))
    if _FULL_WEEKDAY[today.weekday()] not in rest or not set(rest) <= {*_FULL_WEEKDAY, "at", "on"}:
        return parsed
    if re.search(r"\d", _CLOCK_IN_TEXT.sub(" ", text)):
        return parsed
    same_day = parsed - timedelta(days=7)
    return same_day if same_day > local_now.replace(tzinfo=None) else parsed


def _dotted_times_and_ambiguous_dates(text: str) -> str:
    """Refuse day/month that could be either way round; read an unambiguous 19.30 as the time 19:30."""

    def check(match: re.Match[str]) -> str:
        first, separator, second, year = int(match.group(1)), match.group(2), int(match.group(3)), match.group(4)
        both_could_be_months = 1 <= first <= 12 and 1 <= second <= 12
        if both_could_be_months:  # the suggestions, typed the way the parser reads them
            clock, short = f"{first}:{second:02d}", f"{first} {_MONTHS[second - 1][:3]}"
        if separator == "." and year is None:
            if both_could_be_months:
                # i18n: {typed} is what the organiser typed, such as 10.05; {time} a time (10:05); {date} a date
                # i18n: typed in English (Hearth reads English only), such as “10 May”: keep it as it is
                raise InvalidInput(_("“{typed}” could be a date or a time. Write times with a colon, such as {time}, "
                                     "and dates with the month as a word, such as “{date}”.", typed=match.group(0),
                                     time=clock, date=short))
            if first <= 23 and second <= 59:
                return f"{first}:{second:02d}"
        elif both_could_be_months and first != second:
            # i18n: {typed} is what the organiser typed (05/12); {one} and {other} the two days it could be
            # i18n: (5 December, 12 May); {date} is typed in English (Hearth reads English only), such as “5 Dec”
            raise InvalidInput(_("“{typed}” could be {one} or {other}. Write the month as a word, such as “{date}”, "
                                 "or use the form 2026-12-05.", typed=match.group(0), one=_day_month(first, second),
                                 other=_day_month(second, first), date=short))
        return match.group(0)

    return _NUMERIC_DATE.sub(check, text)


def _localise(wall: datetime, tz: ZoneInfo, zone: str) -> datetime:
    """A naive wall-clock time in `tz` as aware UTC; the first of two in the autumn overlap."""
    wall = wall.replace(tzinfo=None)
    instant = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    actual = instant.astimezone(tz)
    if actual.replace(tzinfo=None) != wall:
        # i18n: {zone} is a time zone (Europe/London); {time} and {suggestion} are times (01:30); {day} a date
        raise InvalidInput(_("The clocks in {zone} go forward then, so {time} on {day} doesn't happen there. Pick "
                             "another time, such as {suggestion}.", zone=zone, time=wall.strftime("%H:%M"),
                             day=_describe_day(wall.date()), suggestion=actual.strftime("%H:%M")))
    return instant


def _clock_hint(text: str) -> str:
    match = _CLOCK_IN_TEXT.search(text)
    return match.group(0).strip() if match else "7pm"


def _describe_day(day: date) -> str:
    """ "Friday 27 March 2026", in the reader's language."""
    # i18n: a calendar day: {weekday} (Friday), {day} (27), {month} (March) and {year} (2026) in your language
    return p_("date", "{weekday} {day} {month} {year}", weekday=weekday_name(day), day=day.day,
              month=date_text(day, "MMMM"), year=day.year)


def _day_month(day: int, month: int) -> str:
    """ "5 December", in the reader's language (a day that could be meant: no year)."""
    # i18n: a day of the year: {day} (5) and {month} (December) in your language
    return p_("date", "{day} {month}", day=day, month=date_text(date(2000, month, 1), "MMMM"))


def _describe(moment: datetime, tz: ZoneInfo, zone: str) -> str:
    local = moment.astimezone(tz)
    # i18n: a meetup's start: {day} a date (Friday 27 March 2026), {time} (19:00), {zone} a time zone (Europe/London)
    return _("{day} at {time} ({zone} time)", day=_describe_day(local.date()), time=local.strftime("%H:%M"), zone=zone)

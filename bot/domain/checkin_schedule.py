"""When a member's check-in prompt is next due, in their own time zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, ClassVar, Literal
from zoneinfo import ZoneInfo

import dateparser

from bot.domain.errors import InvalidInput
from bot.domain.quiet_hours import QuietHours
from bot.domain.work import Work, key_part
from bot.i18n import _, current_voice, date_text, p_

Cadence = Literal["daily", "weekly"]

# A prompt this late is no longer "your 9 o'clock check-in": skip it and schedule the next one.
LATE_LIMIT = timedelta(hours=3)


@dataclass(frozen=True)
class CheckinPrompt(Work):
    """One check-in prompt DM to one member, due at `due`. The member's reminder points at the key of the
    prompt that is current (`Reminder.next_key`): any other prompt row is stale and skipped, so keys written
    before typed payloads ("checkin-prompt:…", minutes only) keep working until they have been sent."""

    KIND: ClassVar[str] = "checkin.prompt"
    user_id: int = key_part()
    due: datetime | None = key_part(default=None)  # None only in rows written before typed payloads


@dataclass(frozen=True)
class PromptPlan:
    cadence: Cadence
    local_time: time
    weekday: int | None  # 0 = Monday; weekly only

    def __post_init__(self) -> None:
        if self.cadence == "weekly" and self.weekday is None:
            raise InvalidInput(_("For weekly reminders, pick the day of the week too."))


def _at_local(day: datetime, at: time, zone: ZoneInfo) -> datetime:
    """`at` on the local calendar day of `day`, as UTC: the wall-clock time is kept across DST changes.

    zoneinfo reads a wall time that happens twice (autumn) as the first one, and one that does not
    exist (the spring gap) with the offset from before the gap, so it lands just after the gap.
    """
    return datetime(day.year, day.month, day.day, at.hour, at.minute, tzinfo=zone).astimezone(UTC)


def next_prompt_at(plan: PromptPlan, zone: ZoneInfo, after: datetime, quiet: QuietHours | None = None) -> datetime:
    """The first prompt time strictly after `after` (aware UTC), moved out of quiet hours if needed."""
    local_after = after.astimezone(zone)
    for offset in range(0, 15):
        day = local_after + timedelta(days=offset)
        if plan.cadence == "weekly" and day.weekday() != plan.weekday:
            continue
        candidate = _at_local(day, plan.local_time, zone)
        if quiet is not None:
            candidate = quiet.next_allowed(candidate, zone)
        if candidate > after:
            return candidate
    raise AssertionError("a daily or weekly time always recurs within 15 days")


def is_too_late(due_at: datetime, now: datetime) -> bool:
    return now - due_at > LATE_LIMIT


# Pausing prompts (a holiday) -------------------------------------------------------------------------------
# A pause is "until DATE": prompts resume on that day, from the member's local midnight, so the first prompt
# is the first regular one on or after it. Stored as that midnight in UTC; it ends by itself.
PAUSE_LIMIT = timedelta(days=183)
"""How far ahead a pause may end: about six months, so a forgotten pause doesn't silence prompts for good."""

_MAX_PAUSE_TEXT = 40
_AMBIGUOUS_DATE = re.compile(r"(?<![\d/.\-])(\d{1,2})([/.\-])(\d{1,2})(?:\2\d{2,4})?(?![\d/.\-])")


def pause_examples() -> str:
    # i18n: examples of days a member can type to pause check-in prompts, read by a date parser that knows
    # English and your language: keep them short and simple in your language (no "next monday" phrases: a
    # weekday's name alone, a day with a short month, "in 2 weeks").
    return _("“2026-12-24”, “24 Dec”, “next monday” or “in 2 weeks”")


def describe_day(day: date) -> str:
    # i18n: how a whole calendar day is written, in CLDR date-pattern letters: EEEE weekday, d day, MMMM month,
    # y year, text in 'single quotes'. Such as "EEEE, d. MMMM y" (Mittwoch, 24. Dezember 2025).
    return date_text(day, p_("date pattern", "EEEE d MMMM y"))


def _day_in_month(day: int, month: int, pattern: str) -> str:
    return date_text(date(2000, month, day), pattern)  # a leap year: every day of every month exists


def _languages() -> list[str]:
    """English, and the reader's language: a member may write "24 Dez." as well as "24 Dec"."""
    code = current_voice().code
    return ["en"] if code == "en" else ["en", code]


def parse_pause_end(text: str, *, zone: ZoneInfo, now: datetime) -> date:
    """The local day prompts resume on, typed by the member ("24 dec", "next monday", "2026-12-24"): read in
    their zone, after today and at most about six months ahead; anything else is a sentence."""
    cleaned = " ".join(text.lower().split())
    if not cleaned:
        raise InvalidInput(_("Tell me the day prompts should start again, such as {examples}.",
                             examples=pause_examples()))
    if len(cleaned) > _MAX_PAUSE_TEXT:
        raise InvalidInput(_("That's too long for a date. Try something short, such as {examples}.",
                             examples=pause_examples()))
    ambiguous = _AMBIGUOUS_DATE.search(cleaned)
    if ambiguous is not None:
        first, second = int(ambiguous.group(1)), int(ambiguous.group(3))
        if 1 <= first <= 12 and 1 <= second <= 12 and first != second:
            # i18n: a day and its month, in CLDR date-pattern letters: d day, MMMM month ("3 April", "3. April")
            long_pattern = p_("date pattern", "d MMMM")
            # i18n: a day and its short month, in CLDR date-pattern letters: d day, MMM short month ("3 Apr")
            short_pattern = p_("date pattern", "d MMM")
            # i18n: a member typed a date such as 3/4 that can be read two ways; {typed} is what they typed
            raise InvalidInput(_("“{typed}” could be {one} or {other}. Write the month as a word, such as "
                                 "“{example}”, or use the form 2026-12-24.", typed=ambiguous.group(0),
                                 one=_day_in_month(first, second, long_pattern),
                                 other=_day_in_month(second, first, long_pattern),
                                 example=_day_in_month(first, second, short_pattern)))
    today = now.astimezone(zone).date()
    # A naive local base: "next monday" counts from the member's today, not the server's.
    settings: dict[str, Any] = {"PREFER_DATES_FROM": "future", "TIMEZONE": "UTC",
                                "RELATIVE_BASE": now.astimezone(zone).replace(tzinfo=None)}
    try:
        parsed = dateparser.parse(cleaned, languages=_languages(), settings=settings)
    except (ValueError, OverflowError, ArithmeticError):
        parsed = None
    if not isinstance(parsed, datetime):
        raise InvalidInput(_("I couldn't read “{typed}” as a day. Try something like {examples}.", typed=cleaned,
                             examples=pause_examples()))
    day = parsed.date()
    if day <= today:
        raise InvalidInput(_("{day} isn't after today, so there would be nothing to pause. Pick the day prompts "
                             "should start again, such as {examples}.", day=describe_day(day),
                             examples=pause_examples()))
    if day - today > PAUSE_LIMIT:
        raise InvalidInput(_("{day} is more than six months away. Pick a day before {limit}, or turn reminders "
                             "off with `/mood reminders cadence:off`.", day=describe_day(day),
                             limit=describe_day(today + PAUSE_LIMIT)))
    return day


def pause_end_at(day: date, zone: ZoneInfo) -> datetime:
    """The start of `day` in the member's zone, as UTC (the first instant of the day a clock change starts)."""
    return _at_local(datetime(day.year, day.month, day.day, tzinfo=zone), time(0, 0), zone)


def first_prompt_from(plan: PromptPlan, zone: ZoneInfo, start: datetime, quiet: QuietHours | None = None) -> datetime:
    """The first prompt time at or after `start`: the first one after a pause ends."""
    return next_prompt_at(plan, zone, start - timedelta(microseconds=1), quiet)

"""When a member's check-in prompt is next due, in their own time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import ClassVar, Literal
from zoneinfo import ZoneInfo

from bot.domain.errors import InvalidInput
from bot.domain.quiet_hours import QuietHours
from bot.domain.work import Work, key_part

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
            raise InvalidInput("For weekly reminders, pick the day of the week too.")


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

"""Check-ins and check-in prompt opt-ins, as stored and passed around."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal

from bot.domain.checkin_schedule import Cadence, PromptPlan
from bot.domain.moods import Mood

CheckinSource = Literal["command", "prompt"]
StopReason = Literal["member", "dms_closed"]


@dataclass(frozen=True)
class Checkin:
    id: int
    user_id: int
    guild_id: int | None  # the server it was made in or prompted from
    mood: Mood
    note: str | None
    local_date: date  # the member's calendar day when they checked in
    source: CheckinSource
    created_at: datetime


@dataclass(frozen=True)
class Reminder:
    """A member's opt-in to check-in prompts by DM; the next prompt itself is a due-work row (`next_key`)."""

    user_id: int
    guild_id: int | None
    cadence: Cadence
    weekday: int | None  # 0 = Monday, weekly only
    local_time: time
    enabled: bool
    stopped_reason: StopReason | None
    next_key: str | None  # idempotency key of the scheduled prompt; any other prompt row is stale

    @property
    def plan(self) -> PromptPlan:
        return PromptPlan(cadence=self.cadence, local_time=self.local_time, weekday=self.weekday)


@dataclass(frozen=True)
class CheckinStats:
    """What the answer to a check-in needs besides the check-in: read in one statement."""

    recent_dates: tuple[date, ...]  # distinct check-in days, newest first
    count: int

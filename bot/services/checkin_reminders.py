"""Check-in prompts by DM: opting in and out, and deciding what each due prompt should do."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.checkin_schedule import Cadence, PromptPlan, is_too_late, next_prompt_at
from bot.domain.errors import InvalidInput, NotConfigured
from bot.domain.quiet_hours import parse_time_of_day
from bot.services.members import quiet_hours_of
from bot.store import DueItem, Reminder, Store

log = logging.getLogger(__name__)

PROMPT_KIND = "checkin.prompt"


def prompt_key(user_id: int, due: datetime) -> str:
    return f"checkin-prompt:{user_id}:{due:%Y%m%dT%H%M}"


@dataclass(frozen=True)
class PromptDecision:
    send: bool
    guild_id: int | None
    reason: Literal["send", "stale", "late", "quiet", "dms_off"]


class ReminderService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def configure(self, *, user_id: int, guild_id: int | None, cadence: Cadence, at: str,
                        weekday: int | None, reachable: Callable[[], Awaitable[bool]]) -> tuple[Reminder, datetime]:
        """Opt in (or change the time); returns the reminder and when the first prompt comes.

        `reachable` tries a DM once everything else is valid, so closed DMs are found now, not at 9 am.
        """
        settings = await self._store.members.get(user_id)
        if settings.timezone is None:
            raise NotConfigured("First tell me your time zone with `/settings timezone`, so prompts arrive at "
                                "your local time.")
        if not settings.dms_enabled:
            raise NotConfigured("Direct messages from Hearth are off. Turn them on with `/settings dms on`, "
                                "then set your reminder.")
        plan = PromptPlan(cadence=cadence, local_time=parse_time_of_day(at), weekday=weekday)
        quiet = quiet_hours_of(settings)
        if quiet is not None and quiet.contains(plan.local_time):
            raise InvalidInput(f"{plan.local_time:%H:%M} is inside your quiet hours ({quiet.describe()}). Pick a "
                               "time outside them, or change them with `/settings quiet-hours`.")
        if not await reachable():
            raise InvalidInput("I couldn't send you a direct message, so I haven't turned reminders on. Allow "
                               "direct messages from this server's members (server menu → Privacy Settings), "
                               "then try again.")
        now = self._clock.now()
        previous = await self._store.reminders.get(user_id)
        if previous is not None and previous.next_key:
            await self._store.due_work.cancel(previous.next_key)
        due = next_prompt_at(plan, ZoneInfo(settings.timezone), now, quiet)
        key = prompt_key(user_id, due)
        reminder = Reminder(user_id=user_id, guild_id=guild_id, cadence=cadence, weekday=weekday,
                            local_time=plan.local_time, enabled=True, stopped_reason=None, next_key=key)
        await self._store.due_work.schedule(PROMPT_KIND, {"user_id": user_id}, due, key, now=now)
        await self._store.reminders.save(reminder, now)
        return reminder, due

    async def stop(self, user_id: int, reason: Literal["member", "dms_closed"] = "member") -> bool:
        """Turn prompts off. False when they were not on."""
        reminder = await self._store.reminders.get(user_id)
        if reminder is None or not reminder.enabled:
            return False
        if reminder.next_key:
            await self._store.due_work.cancel(reminder.next_key)
        await self._store.reminders.save(replace(reminder, enabled=False, stopped_reason=reason, next_key=None),
                                         self._clock.now())
        return True

    async def current(self, user_id: int) -> tuple[Reminder | None, datetime | None]:
        reminder = await self._store.reminders.get(user_id)
        if reminder is None or not reminder.enabled or not reminder.next_key:
            return reminder, None
        row = await self._store.due_work.get(reminder.next_key)
        return reminder, row["due_at"] if row else None

    async def decide(self, item: DueItem) -> PromptDecision:
        """Should this due prompt be sent now? Anything but "send" has already been dealt with."""
        user_id = int(item.payload["user_id"])
        reminder = await self._store.reminders.get(user_id)
        if reminder is None or not reminder.enabled or reminder.next_key != item.idempotency_key:
            return PromptDecision(False, None, "stale")  # changed or stopped since this row was scheduled
        settings = await self._store.members.get(user_id)
        if not settings.dms_enabled or settings.dms_closed_at is not None:
            await self.stop(user_id, "dms_closed" if settings.dms_closed_at else "member")
            return PromptDecision(False, reminder.guild_id, "dms_off")
        now = self._clock.now()
        if is_too_late(item.due_at, now):
            log.info("check-in prompt %s is %s late; skipping to the next", item.idempotency_key, now - item.due_at)
            await self.advance(item)
            return PromptDecision(False, reminder.guild_id, "late")
        quiet = quiet_hours_of(settings)
        zone = ZoneInfo(settings.timezone or "UTC")
        if quiet is not None and quiet.is_quiet(now, zone):
            # Quiet hours changed after this prompt was planned: send it when they end instead.
            await self._move_to(reminder, item, quiet.next_allowed(now, zone))
            return PromptDecision(False, reminder.guild_id, "quiet")
        return PromptDecision(True, reminder.guild_id, "send")

    async def advance(self, item: DueItem) -> datetime | None:
        """Schedule the prompt after this one. Safe to call twice: only the first moves the reminder on."""
        user_id = int(item.payload["user_id"])
        reminder = await self._store.reminders.get(user_id)
        settings = await self._store.members.get(user_id)
        if reminder is None or not reminder.enabled or settings.timezone is None:
            return None
        plan = PromptPlan(cadence=reminder.cadence, local_time=reminder.local_time,  # type: ignore[arg-type]
                          weekday=reminder.weekday)
        now = self._clock.now()
        due = next_prompt_at(plan, ZoneInfo(settings.timezone), max(now, item.due_at), quiet_hours_of(settings))
        await self._move_to(reminder, item, due)
        return due

    async def _move_to(self, reminder: Reminder, item: DueItem, due: datetime) -> None:
        key = prompt_key(reminder.user_id, due)
        now = self._clock.now()
        # Row first, then the pointer: a crash in between leaves a stale row (skipped), never no next prompt.
        await self._store.due_work.schedule(PROMPT_KIND, {"user_id": reminder.user_id}, due, key, now=now)
        await self._store.reminders.set_next_key(reminder.user_id, item.idempotency_key, key, now)

    async def dms_refused(self, user_id: int) -> None:
        """Discord would not deliver a DM: stop trying, and remember to tell the member."""
        await self._store.members.update(user_id, self._clock.now(), dms_closed_at=self._clock.now(),
                                         dms_closed_notified_at=None)
        await self.stop(user_id, "dms_closed")

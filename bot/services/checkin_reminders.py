"""Check-in prompts by DM: opting in and out, and deciding what each due prompt should do.

Every use case here is one transaction: the reminder, its prompt row (the outbox) and the pointer between
them commit together. Nothing waits on Discord inside one.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.checkin_schedule import (
    Cadence,
    CheckinPrompt,
    PromptPlan,
    first_prompt_from,
    is_too_late,
    next_prompt_at,
    parse_pause_end,
    pause_end_at,
)
from bot.domain.checkins import Reminder, StopReason
from bot.domain.errors import InvalidInput, NotConfigured
from bot.domain.members import MemberSettings
from bot.domain.quiet_hours import parse_time_of_day
from bot.domain.work import Planned
from bot.i18n import N_, _
from bot.services.consent import check_consent, require_consent
from bot.services.members import MemberSettingsService
from bot.store import Repositories, Store

log = logging.getLogger(__name__)

PROMPT_KIND = CheckinPrompt.KIND


def prompt_key(user_id: int, due: datetime) -> str:
    return CheckinPrompt(user_id, due).key()


@dataclass(frozen=True)
class PromptDecision:
    send: bool
    guild_id: int | None
    reason: Literal["send", "stale", "late", "quiet", "dms_off", "paused"]
    dm_channel_id: int | None = None  # known conversation, so sending needs no lookup


@dataclass(frozen=True)
class ReminderStatus:
    reminder: Reminder | None
    next_due: datetime | None
    paused_until: datetime | None = None  # only while the pause is still ahead


NOT_ON = N_("Check-in reminders are off, so there's nothing to pause. Turn them on with "
            "`/mood reminders cadence:daily time:09:00`.")


class ReminderService:
    def __init__(self, store: Store, clock: Clock, members: MemberSettingsService) -> None:
        self._store = store
        self._clock = clock
        self._members = members

    async def configure(self, *, user_id: int, guild_id: int | None, cadence: Cadence, at: str,
                        weekday: int | None, reachable: Callable[[], Awaitable[bool]]) -> tuple[Reminder, datetime]:
        """Opt in (or change the time); returns the reminder and when the first prompt comes.

        `reachable` tries a DM once everything else is valid, so closed DMs are found now, not at 9 am. It
        waits on Discord, so it runs between the read that validates and the transaction that saves.
        """
        settings = await self._store.members.get(user_id)
        if settings.timezone is None:
            raise NotConfigured(_("First tell me your time zone with `/settings timezone`, so prompts arrive at "
                                  "your local time."))
        if not settings.dms_enabled:
            raise NotConfigured(_("Direct messages from Hearth are off. Turn them on with `/settings dms on`, "
                                  "then set your reminder."))
        plan = PromptPlan(cadence=cadence, local_time=parse_time_of_day(at), weekday=weekday)
        quiet = settings.quiet_hours
        if quiet is not None and quiet.contains(plan.local_time):
            raise InvalidInput(_("{time} is inside your quiet hours ({quiet_hours}). Pick a time outside them, or "
                                 "change them with `/settings quiet-hours`.", time=plan.local_time.strftime("%H:%M"),
                                 quiet_hours=quiet.describe()))
        check_consent(settings)  # before the test DM: prompts carry check-ins, so they wait for the notice too
        if not await reachable():
            # i18n: "server menu → Privacy Settings" are Discord's own words: use your language's Discord names
            raise InvalidInput(_("I couldn't send you a direct message, so I haven't turned reminders on. Allow "
                                 "direct messages from this server's members (server menu → Privacy Settings), "
                                 "then try again."))
        now = self._clock.now()
        zone = ZoneInfo(settings.timezone)
        async with self._store.transaction() as tx:
            await require_consent(tx, user_id)
            found = await tx.reminders.get_with_pause(user_id)
            previous, paused_until = found if found else (None, None)
            if previous is not None and previous.next_key:
                await tx.due_work.cancel(previous.next_key)
            # A new time during a holiday keeps the holiday: the first prompt at the new time after it.
            if _active(paused_until, now):
                assert paused_until is not None
                due = first_prompt_from(plan, zone, paused_until, quiet)
            else:
                due = next_prompt_at(plan, zone, now, quiet)
            prompt = CheckinPrompt(user_id, due)
            reminder = Reminder(user_id=user_id, guild_id=guild_id, cadence=cadence, weekday=weekday,
                                local_time=plan.local_time, enabled=True, stopped_reason=None, next_key=prompt.key())
            await tx.due_work.plan([Planned(prompt, due)], now=now)
            await tx.reminders.save(reminder, now)
        return reminder, due

    async def stop(self, user_id: int, reason: StopReason = "member") -> bool:
        """Turn prompts off. False when they were not on."""
        async with self._store.transaction() as tx:
            return await self._stop_in(tx, user_id, reason)

    async def _stop_in(self, tx: Repositories, user_id: int, reason: StopReason, *,
                       expected_key: str | None = None) -> bool:
        """`expected_key`: only if the reminder still points at that prompt (it was read outside `tx`)."""
        reminder = await tx.reminders.get(user_id)
        if reminder is None or not reminder.enabled:
            return False
        if expected_key is not None and reminder.next_key != expected_key:
            return False
        if reminder.next_key:
            await tx.due_work.cancel(reminder.next_key)
        now = self._clock.now()
        await tx.reminders.save(replace(reminder, enabled=False, stopped_reason=reason, next_key=None), now)
        await tx.reminders.set_pause(user_id, None, expected=None, key=None, now=now)  # off ends any pause too
        return True

    async def pause(self, user_id: int, until: str) -> tuple[datetime, datetime]:
        """Pause prompts until the day typed (in the member's zone); returns when the pause ends and when the
        first prompt after it comes."""
        settings = await self._store.members.get(user_id)
        zone = ZoneInfo(settings.timezone or "UTC")
        day = parse_pause_end(until, zone=zone, now=self._clock.now())
        return await self._pause_to(user_id, day)

    async def pause_for(self, user_id: int, days: int) -> tuple[datetime, datetime]:
        """Pause for whole days from today (the prompt's quick choices): prompts resume on that local day."""
        settings = await self._store.members.get(user_id)
        zone = ZoneInfo(settings.timezone or "UTC")
        return await self._pause_to(user_id, self._clock.now().astimezone(zone).date() + timedelta(days=days))

    async def _pause_to(self, user_id: int, day: date) -> tuple[datetime, datetime]:
        now = self._clock.now()
        async with self._store.transaction() as tx:
            reminder = await tx.reminders.get(user_id)
            settings = await tx.members.get(user_id)
            if reminder is None or not reminder.enabled or settings.timezone is None:
                raise NotConfigured(_(NOT_ON))
            zone = ZoneInfo(settings.timezone)
            ends = pause_end_at(day, zone)
            due = first_prompt_from(reminder.plan, zone, ends, settings.quiet_hours)
            await self._replan_in(tx, reminder, due, paused_until=ends, now=now)
        return ends, due

    async def resume(self, user_id: int) -> datetime | None:
        """End a pause early; returns when the next prompt comes, or None when prompts weren't paused."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            found = await tx.reminders.get_with_pause(user_id)
            settings = await tx.members.get(user_id)
            if found is None or not found[0].enabled or settings.timezone is None:
                raise NotConfigured(_(NOT_ON))
            reminder, paused_until = found
            if not _active(paused_until, now):
                return None
            due = next_prompt_at(reminder.plan, ZoneInfo(settings.timezone), now, settings.quiet_hours)
            await self._replan_in(tx, reminder, due, paused_until=None, now=now)
        return due

    async def _replan_in(self, tx: Repositories, reminder: Reminder, due: datetime, *,
                         paused_until: datetime | None, now: datetime) -> None:
        """Swap the planned prompt for one at `due` and set the pause, with the pointer, in `tx`."""
        prompt = CheckinPrompt(reminder.user_id, due)
        if reminder.next_key:
            await tx.due_work.cancel(reminder.next_key)
        if not await tx.reminders.set_pause(reminder.user_id, paused_until, expected=reminder.next_key,
                                            key=prompt.key(), now=now):
            # A prompt was being handled at this very moment and moved the pointer: roll back, ask again.
            raise InvalidInput(_("Your check-in reminder changed just as you asked. Please try once more."))
        await tx.due_work.plan([Planned(prompt, due)], now=now)

    async def current(self, user_id: int) -> ReminderStatus:
        now = self._clock.now()
        async with self._store.reading() as db:
            found = await db.reminders.get_with_pause(user_id)
            if found is None:
                return ReminderStatus(None, None)
            reminder, paused_until = found
            if not reminder.enabled or not reminder.next_key:
                return ReminderStatus(reminder, None)
            row = await db.due_work.get(reminder.next_key)
        return ReminderStatus(reminder, row["due_at"] if row else None,
                              paused_until if _active(paused_until, now) else None)

    async def decide(self, work: CheckinPrompt, *, key: str, due_at: datetime) -> PromptDecision:
        """Should this due prompt (its row's key and due time) be sent now? Anything but "send" has already
        been dealt with.

        Reads first, without the write lock, since nearly every prompt is simply sent; the rare prompt that
        must be stopped, skipped or moved is changed in a transaction whose writes only apply if the
        reminder still points at this prompt.
        """
        async with self._store.reading() as db:
            found = await db.reminders.get_with_pause(work.user_id)
            reminder, paused_until = found if found else (None, None)
            if reminder is None or not reminder.enabled or reminder.next_key != key:
                return PromptDecision(False, None, "stale")  # changed or stopped since this row was scheduled
            settings = await db.members.get(work.user_id)
        now = self._clock.now()
        zone = ZoneInfo(settings.timezone or "UTC")
        quiet = settings.quiet_hours
        if paused_until is not None and due_at < paused_until:
            # Planned before the pause began (or its end moved): no prompt, just the first one after it.
            async with self._store.transaction() as tx:
                await self._move_to(tx, reminder, key, first_prompt_from(reminder.plan, zone, paused_until, quiet))
            return PromptDecision(False, reminder.guild_id, "paused")
        if settings.reachable_by_dm and not is_too_late(due_at, now) and not (quiet and quiet.is_quiet(now, zone)):
            return PromptDecision(True, reminder.guild_id, "send", settings.dm_channel_id)
        async with self._store.transaction() as tx:
            if not settings.reachable_by_dm:
                await self._stop_in(tx, work.user_id, "dms_closed" if settings.dms_closed_at else "member",
                                    expected_key=key)
                return PromptDecision(False, reminder.guild_id, "dms_off")
            if is_too_late(due_at, now):
                log.info("check-in prompt %s is %s late; skipping to the next", key, now - due_at)
                await self._advance_in(tx, reminder, settings, key, due_at)
                return PromptDecision(False, reminder.guild_id, "late")
            assert quiet is not None
            # Quiet hours changed after this prompt was planned: send it when they end instead.
            await self._move_to(tx, reminder, key, quiet.next_allowed(now, zone))
            return PromptDecision(False, reminder.guild_id, "quiet")

    async def advance(self, work: CheckinPrompt, *, key: str, due_at: datetime) -> datetime | None:
        """Schedule the prompt after this one. Safe to call twice: only the first moves the reminder on."""
        async with self._store.transaction() as tx:
            reminder = await tx.reminders.get(work.user_id)
            if reminder is None:
                return None
            return await self._advance_in(tx, reminder, await tx.members.get(work.user_id), key, due_at)

    async def _advance_in(self, tx: Repositories, reminder: Reminder, settings: MemberSettings, key: str,
                          due_at: datetime) -> datetime | None:
        if not reminder.enabled or settings.timezone is None:
            return None
        now = self._clock.now()
        due = next_prompt_at(reminder.plan, ZoneInfo(settings.timezone), max(now, due_at), settings.quiet_hours)
        paused_until = await tx.reminders.paused_until(reminder.user_id)
        if paused_until is not None and due < paused_until:  # paused while this prompt was on its way
            due = first_prompt_from(reminder.plan, ZoneInfo(settings.timezone), paused_until, settings.quiet_hours)
        await self._move_to(tx, reminder, key, due)
        return due

    async def _move_to(self, tx: Repositories, reminder: Reminder, key: str, due: datetime) -> None:
        prompt = CheckinPrompt(reminder.user_id, due)
        now = self._clock.now()
        # The pointer only moves from the prompt being handled, and the row is written with it: a second
        # sweep (or a retry) that got here too finds the pointer moved and adds nothing.
        if await tx.reminders.set_next_key(reminder.user_id, key, prompt.key(), now):
            await tx.due_work.plan([Planned(prompt, due)], now=now)

    async def dms_refused(self, user_id: int) -> None:
        """Discord would not deliver a DM: stop trying, and remember to tell the member."""
        async with self._store.transaction() as tx:
            await self._members.dms_refused_in(tx, user_id)
            await self._stop_in(tx, user_id, "dms_closed")


def _active(paused_until: datetime | None, now: datetime) -> bool:
    return paused_until is not None and paused_until > now

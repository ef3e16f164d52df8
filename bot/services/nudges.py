"""Nudges for members: opting in and out, the weekly digest and the daily quiet-member check.

Every message is a due-work row, scheduled at the member's local time and moved out of their quiet hours:

- `nudge.digest` (`DigestDue`, key `nudge.digest:{user}:{iso-week}`): the digest they asked for. One per
  ISO week of their local calendar; a row moved out of quiet hours at send time is planned again with its
  new time, and the send is recorded under the week's key, so a week never has two digests.
- `nudge.check` (`CheckDue`, key `nudge.check:{user}:{due}`): once a day at their chosen time, look whether
  they have gone quiet or had a low stretch of check-ins, and if so (and the cap allows, see
  `bot.domain.nudges`) send one kind word. Then schedule the next day's check.

Each use case (and each step of a due row: deciding before the DM, recording after it) is one transaction.

`/nudges on` sets every choice afresh; `/nudges off` and the DM "Stop" button turn them off; "Less
often" makes the digest every other week, or doubles the quiet-member window.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal, cast
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.errors import InvalidInput, NotConfigured
from bot.domain.nudge_work import CheckDue, DigestDue, DueRow
from bot.domain.nudges import (
    DEFAULT_QUIET_DAYS,
    DIGEST_AHEAD,
    LOW_WINDOW,
    NUDGE_GAP,
    CapVerdict,
    NudgeKind,
    NudgePrefs,
    SendKind,
    Sent,
    cap_verdict,
    check_quiet_days,
    choose_nudge,
    is_low_stretch,
    is_quiet,
    iso_week,
    less_often_days,
    meetups_for_member,
    mindful_suggestion,
    next_check_at,
    next_digest_at,
)
from bot.domain.quiet_hours import QuietHours, parse_time_of_day
from bot.domain.work import Planned
from bot.i18n import _
from bot.services.consent import check_consent, require_consent
from bot.store import Repositories, Store
from bot.store.events import Event

log = logging.getLogger(__name__)

DIGEST_LATE_LIMIT = timedelta(days=1)  # after downtime, a digest more than a day late waits for next week
Scope = Literal["all", "digest", "nudges"]


@dataclass(frozen=True)
class NudgeStatus:
    prefs: NudgePrefs | None
    next_digest_at: datetime | None
    next_check_at: datetime | None


@dataclass(frozen=True)
class Digest:
    user_id: int
    guild_id: int
    meetups: list[Event]
    area: str | None  # from the member's buddy profile, when they gave one
    buddies: tuple[int, ...]  # this round's buddies; empty when none
    met: bool | None  # whether the buddy group said they met; None without a buddy
    in_pool: bool
    suggestion: str
    every_weeks: int


@dataclass(frozen=True)
class KindWord:
    """A quiet-member or low-check-ins message, with one low-pressure next step or three."""

    user_id: int
    kind: NudgeKind
    guild_id: int
    meetup: Event | None
    buddy_id: int | None
    support_text: str | None
    support_url: str | None


class NudgeService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    # opting in and out -------------------------------------------------------------------------------
    async def configure(self, *, user_id: int, guild_id: int, weekday: int, at: str, digest: bool, quiet: bool,
                        days: int = DEFAULT_QUIET_DAYS, buddy: bool = True, every_weeks: int = 1,
                        reachable: Callable[[], Awaitable[bool]]) -> NudgeStatus:
        """Opt in (or change every choice). `reachable` tries a test DM once everything else is valid; what
        changes is then written in one transaction (never while waiting on Discord)."""
        settings = await self._store.members.get(user_id)
        if settings.timezone is None:
            raise NotConfigured(_("First tell me your time zone with `/settings timezone`, so nudges arrive at "
                                  "your local time."))
        if not settings.dms_enabled:
            raise NotConfigured(_("Direct messages from Hearth are off. Turn them on with `/settings dms on`, "
                                  "then try again."))
        if not (digest or quiet or buddy):
            raise InvalidInput(_("With the digest, the quiet-member check and buddy suggestions all off there's "
                                 "nothing to turn on. To stop everything, use `/nudges off`."))
        if not 0 <= weekday <= 6 or every_weeks not in (1, 2):
            raise InvalidInput(_("Pick a day of the week, and every week or every other week."))
        local_time = parse_time_of_day(at)
        check_quiet_days(days)
        hours = settings.quiet_hours
        if hours is not None and hours.contains(local_time):
            raise InvalidInput(_("{time} is inside your quiet hours ({quiet_hours}). Pick a time outside them, or "
                                 "change them with `/settings quiet-hours`.", time=local_time.strftime("%H:%M"),
                                 quiet_hours=hours.describe()))
        check_consent(settings)  # before the test DM: nothing is sent or kept for an opt-in that can't be stored
        if not await reachable():
            # i18n: "server menu → Privacy Settings" are Discord's own words: use your language's Discord names
            raise InvalidInput(_("I couldn't send you a direct message, so I haven't turned nudges on. Allow "
                                 "direct messages from this server's members (server menu → Privacy Settings), "
                                 "then try again."))
        now = self._clock.now()
        async with self._store.transaction() as tx:
            await require_consent(tx, user_id)
            if settings.dms_closed_at is not None:  # the test DM just went through: they opened their DMs again
                await tx.members.update(user_id, now, dms_closed_at=None, dms_closed_notified_at=None)
            previous = await tx.nudges.get(user_id)
            await self._cancel_in(tx, previous)
            prefs = NudgePrefs(user_id=user_id, guild_id=guild_id, digest_enabled=digest, digest_weekday=weekday,
                               local_time=local_time, digest_every_weeks=every_weeks, quiet_enabled=quiet,
                               quiet_days=days, buddy_enabled=buddy,
                               opted_in_at=previous.opted_in_at if previous and previous.any_enabled else None)
            prefs = await tx.nudges.save(prefs, now)
            zone = ZoneInfo(settings.timezone)
            if digest:
                await self._schedule_digest_in(tx, prefs, zone, hours, after=now, skip_week=False)
            if quiet:
                await self._schedule_check_in(tx, prefs, zone, hours, after=now)
            return await self._status_in(tx, user_id)

    async def _cancel_in(self, tx: Repositories, prefs: NudgePrefs | None, scope: Scope = "all") -> None:
        if prefs is None:
            return
        keys = []
        if prefs.next_digest_key and scope in ("all", "digest"):
            keys.append(prefs.next_digest_key)
        if prefs.next_check_key and scope in ("all", "nudges"):
            keys.append(prefs.next_check_key)
        await tx.due_work.cancel_many(keys)

    async def stop(self, user_id: int, scope: Scope = "all") -> bool:
        """Turn the digest, the other nudges, or all off. False when they were already off."""
        async with self._store.transaction() as tx:
            return await self._stop_in(tx, user_id, scope)

    async def _stop_in(self, tx: Repositories, user_id: int, scope: Scope = "all") -> bool:
        prefs = await tx.nudges.get(user_id)
        if prefs is None:
            return False
        was_on = {"all": prefs.any_enabled, "digest": prefs.digest_enabled,
                  "nudges": prefs.quiet_enabled or prefs.buddy_enabled}[scope]
        await self._cancel_in(tx, prefs, scope)
        if scope in ("all", "digest"):
            prefs = replace(prefs, digest_enabled=False, next_digest_key=None)
        if scope in ("all", "nudges"):
            prefs = replace(prefs, quiet_enabled=False, buddy_enabled=False, next_check_key=None)
        await tx.nudges.save(prefs, self._clock.now())
        return was_on

    async def less_often(self, user_id: int, scope: Literal["digest", "nudges"]) -> tuple[NudgePrefs | None, bool]:
        """The digest every other week, or the quiet-member window doubled. (prefs, whether it changed)."""
        async with self._store.transaction() as tx:
            prefs = await tx.nudges.get(user_id)
            if prefs is None or not prefs.any_enabled:
                return prefs, False
            if (scope == "digest" and not prefs.digest_enabled) or (scope == "nudges" and not prefs.quiet_enabled):
                return prefs, False
            if scope == "digest":
                changed = replace(prefs, digest_every_weeks=2)
            else:
                changed = replace(prefs, quiet_days=less_often_days(prefs.quiet_days))
            if changed == prefs:
                return prefs, False
            return await tx.nudges.save(changed, self._clock.now()), True

    async def status(self, user_id: int) -> NudgeStatus:
        async with self._store.reading() as tx:
            return await self._status_in(tx, user_id)

    async def _status_in(self, tx: Repositories, user_id: int) -> NudgeStatus:
        prefs = await tx.nudges.get(user_id)
        if prefs is None:
            return NudgeStatus(None, None, None)
        return NudgeStatus(prefs, await _open_due(tx, prefs.next_digest_key if prefs.digest_enabled else None),
                           await _open_due(tx, prefs.next_check_key if prefs.quiet_enabled else None))

    # scheduling --------------------------------------------------------------------------------------
    async def _schedule_digest_in(self, tx: Repositories, prefs: NudgePrefs, zone: ZoneInfo,
                                  hours: QuietHours | None, *, after: datetime, skip_week: bool,
                                  expected: str | None = None) -> datetime:
        due = next_digest_at(weekday=prefs.digest_weekday, local_time=prefs.local_time, zone=zone, after=after,
                             quiet=hours, skip_week=skip_week)
        now = self._clock.now()
        for _unused in range(4):  # a week that already has its digest (changed choices) moves on to the next week
            work = DigestDue(prefs.user_id, iso_week(due, zone), guild_id=prefs.guild_id)
            if await tx.due_work.plan([Planned(work, due)], now=now):
                break
            due = next_digest_at(weekday=prefs.digest_weekday, local_time=prefs.local_time, zone=zone, after=due,
                                 quiet=hours)
        await tx.nudges.set_key(prefs.user_id, "next_digest_key", expected or prefs.next_digest_key, work.key(), now)
        return due

    async def _schedule_check_in(self, tx: Repositories, prefs: NudgePrefs, zone: ZoneInfo,
                                 hours: QuietHours | None, *, after: datetime, expected: str | None = None) -> datetime:
        due = next_check_at(local_time=prefs.local_time, zone=zone, after=after, quiet=hours)
        work = CheckDue(prefs.user_id, due, guild_id=prefs.guild_id)
        now = self._clock.now()
        await tx.due_work.plan([Planned(work, due)], now=now)
        await tx.nudges.set_key(prefs.user_id, "next_check_key", expected or prefs.next_check_key, work.key(), now)
        return due

    async def _still_due(self, tx: Repositories, work: DigestDue | CheckDue, item: DueRow
                         ) -> tuple[NudgePrefs, datetime] | None:
        """The member's choices and now, when this planned row should still go now. None when it was replaced
        or turned off since it was planned, when Discord refuses the member's DMs (nudges stop), or when it
        falls in quiet hours (the row is planned again at their end)."""
        column = "next_digest_key" if isinstance(work, DigestDue) else "next_check_key"
        prefs = await tx.nudges.get(work.user_id)
        # The row's own key says which row it is (rows planned before typed payloads have the older format).
        if prefs is None or getattr(prefs, column) != item.idempotency_key:
            return None
        if not (prefs.digest_enabled if isinstance(work, DigestDue) else prefs.quiet_enabled):
            return None
        zone, hours, reachable = await _member_zone(tx, work.user_id)
        now = self._clock.now()
        if not reachable:
            await self._stop_in(tx, work.user_id)
            return None
        if hours is not None and hours.is_quiet(now, zone):
            to = hours.next_allowed(now, zone)
            moved = work.moved(to)
            await tx.due_work.plan([Planned(moved, to)], now=now)
            await tx.nudges.set_key(work.user_id, column, item.idempotency_key, moved.key(), now)
            return None
        return prefs, now

    # the digest --------------------------------------------------------------------------------------
    async def digest_due(self, work: DigestDue, item: DueRow) -> Digest | None:
        """What this due digest should say, or None when it should not go (already dealt with)."""
        async with self._store.transaction() as tx:
            ready = await self._still_due(tx, work, item)
            if ready is None:
                return None
            prefs, now = ready
            if now - item.due_at > DIGEST_LATE_LIMIT or await tx.nudges.was_sent(work.week_key()):
                await self._digest_done_in(tx, work, item, sent=False)
                return None
            return await self._digest(tx, prefs, now)

    async def _digest(self, tx: Repositories, prefs: NudgePrefs, now: datetime) -> Digest:
        profile = await tx.buddies.profile(prefs.guild_id, prefs.user_id)
        in_pool = profile is not None and profile.active
        area = profile.area if profile else None
        preference = profile.preference if in_pool and profile else None
        meetups = await tx.nudges.meetups_between(prefs.guild_id, now, now + DIGEST_AHEAD)
        current = await tx.buddies.group_of(prefs.guild_id, prefs.user_id, now)
        buddies: tuple[int, ...] = ()
        met: bool | None = None
        if current is not None:
            group = current[1]
            buddies = tuple(member for member in group.members if member != prefs.user_id)
            met = group.met()
        return Digest(user_id=prefs.user_id, guild_id=prefs.guild_id,
                      meetups=meetups_for_member(meetups, area=area, preference=preference)[:10], area=area,
                      buddies=buddies, met=met, in_pool=in_pool, suggestion=mindful_suggestion(now),
                      every_weeks=prefs.digest_every_weeks)

    async def digest_done(self, work: DigestDue, item: DueRow, *, sent: bool) -> datetime | None:
        """Record the digest (when it went) and schedule the next one. Safe to call twice."""
        async with self._store.transaction() as tx:
            return await self._digest_done_in(tx, work, item, sent=sent)

    async def _digest_done_in(self, tx: Repositories, work: DigestDue, item: DueRow, *,
                              sent: bool) -> datetime | None:
        now = self._clock.now()
        if sent:
            await tx.nudges.record_send(work.user_id, "digest", work.week_key(), now)
        prefs = await tx.nudges.get(work.user_id)
        if prefs is None or not prefs.digest_enabled or prefs.next_digest_key != item.idempotency_key:
            return None
        zone, hours, _reachable = await _member_zone(tx, work.user_id)
        return await self._schedule_digest_in(tx, prefs, zone, hours, after=max(now, item.due_at),
                                              skip_week=sent and prefs.digest_every_weeks == 2,
                                              expected=item.idempotency_key)

    # the daily check ---------------------------------------------------------------------------------
    async def check_due(self, work: CheckDue, item: DueRow) -> KindWord | None:
        """Has this member gone quiet, or had a hard few days? A kind word if so and the cap allows."""
        async with self._store.transaction() as tx:
            ready = await self._still_due(tx, work, item)
            if ready is None:
                return None
            prefs, now = ready
            kind = await self._which_nudge(tx, prefs, now)
            if kind is None or not (await self.cap_in(tx, prefs.user_id, now)).allowed:
                await self._check_done_in(tx, work, item, sent=None)
                return None
            return await self._kind_word(tx, prefs, kind, now)

    async def _which_nudge(self, tx: Repositories, prefs: NudgePrefs, now: datetime) -> NudgeKind | None:
        last_low = await tx.nudges.last_send(prefs.user_id, "low")
        moods = await tx.nudges.recent_moods(prefs.user_id, now - LOW_WINDOW)
        last_activity = await tx.nudges.last_activity(prefs.user_id)
        assert prefs.opted_in_at is not None
        baseline = max(last_activity or prefs.opted_in_at, prefs.opted_in_at)
        quiet = is_quiet(baseline, now, prefs.quiet_days, await tx.nudges.last_send(prefs.user_id, "quiet"))
        return choose_nudge(low=is_low_stretch(moods, now, since=last_low), quiet=quiet)

    async def cap_in(self, tx: Repositories, user_id: int, now: datetime) -> CapVerdict:
        """The shared weekly cap (see `bot.domain.nudges.cap_verdict`) for this member now."""
        prefs = await tx.nudges.get(user_id)
        history = [Sent(cast(SendKind, kind), at) for kind, at in await tx.nudges.sends_since(user_id, now - NUDGE_GAP)]
        upcoming = await _open_due(tx, prefs.next_digest_key) if prefs and prefs.digest_enabled else None
        return cap_verdict(now, history, upcoming)

    async def _kind_word(self, tx: Repositories, prefs: NudgePrefs, kind: NudgeKind, now: datetime) -> KindWord:
        profile = await tx.buddies.profile(prefs.guild_id, prefs.user_id)
        area = profile.area if profile else None
        preference = profile.preference if profile and profile.active else None
        meetups = meetups_for_member(await tx.nudges.meetups_between(prefs.guild_id, now, now + 2 * NUDGE_GAP),
                                     area=area, preference=preference)
        current = await tx.buddies.group_of(prefs.guild_id, prefs.user_id, now)
        buddy = next((m for m in current[1].members if m != prefs.user_id), None) if current else None
        guild = await tx.guilds.get(prefs.guild_id)
        return KindWord(user_id=prefs.user_id, kind=kind, guild_id=prefs.guild_id,
                        meetup=meetups[0] if meetups else None, buddy_id=buddy,
                        support_text=guild.support_text, support_url=guild.support_url)

    async def check_done(self, work: CheckDue, item: DueRow, *, sent: NudgeKind | None) -> datetime | None:
        """Record a kind word that went out, and schedule tomorrow's check. Safe to call twice."""
        async with self._store.transaction() as tx:
            return await self._check_done_in(tx, work, item, sent=sent)

    async def _check_done_in(self, tx: Repositories, work: CheckDue, item: DueRow, *,
                             sent: NudgeKind | None) -> datetime | None:
        now = self._clock.now()
        if sent is not None:
            await tx.nudges.record_send(work.user_id, sent, item.idempotency_key, now)
        prefs = await tx.nudges.get(work.user_id)
        if prefs is None or not prefs.quiet_enabled or prefs.next_check_key != item.idempotency_key:
            return None
        zone, hours, _reachable = await _member_zone(tx, work.user_id)
        return await self._schedule_check_in(tx, prefs, zone, hours, after=max(now, item.due_at),
                                             expected=item.idempotency_key)


async def _open_due(tx: Repositories, key: str | None) -> datetime | None:
    row = await tx.due_work.get(key) if key else None
    return row["due_at"] if row and row["done_at"] is None and row["gave_up_at"] is None else None


async def _member_zone(tx: Repositories, user_id: int) -> tuple[ZoneInfo, QuietHours | None, bool]:
    """Time zone, quiet hours, and whether DMs may be sent at all."""
    settings = await tx.members.get(user_id)
    reachable = settings.dms_enabled and settings.dms_closed_at is None
    return ZoneInfo(settings.timezone or "UTC"), settings.quiet_hours, reachable

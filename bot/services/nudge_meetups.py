"""Nudges toward meetups: a suggestion for buddy pairs who haven't met yet, and the weekly server digest.

- `nudge.buddy` (`BuddyNudgeDue`, key `nudge.buddy:{group}:{user}`): when a round's "Did you meet?" goes
  out, each buddy who opted in to buddy suggestions gets a row a day later (moved out of their quiet
  hours; none when that is after the round ends), planned in the follow-up's transaction. At run time:
  nothing if the group said they met (or skipped the round), if the round is over, if the weekly cap is
  used up (the suggestion is not worth a second message in a week), or if no meetup suits them both
  before the round ends. Otherwise one meetup, naming the buddy.
- `nudge.server` (`ServerDigestDue`, key `nudge.server:{guild}:{iso-week}`): Monday 09:00 in the server's
  time zone, for servers with an announcements channel. Lists the meetups starting in the next 7 days; in
  a week with none, nothing is posted (an empty announcement is noise). Planned at start, by
  `/hearth setup` in its own transaction, and after each run for the week after.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.buddies import BuddyGroup, BuddyRound
from bot.domain.guilds import GuildSettings
from bot.domain.nudge_work import BuddyNudgeDue, DueRow, ServerDigestDue
from bot.domain.nudges import (
    BUDDY_SUGGESTION_AFTER,
    DIGEST_AHEAD,
    PairMember,
    iso_week,
    pick_event_for_pair,
    server_digest_at,
)
from bot.domain.work import Planned
from bot.services.nudges import NudgeService
from bot.store import Repositories, Store
from bot.store.events import Event


@dataclass(frozen=True)
class BuddySuggestion:
    user_id: int
    guild_id: int
    buddies: tuple[int, ...]
    meetup: Event


@dataclass(frozen=True)
class ServerDigest:
    guild_id: int
    channel_id: int
    meetups: list[Event]
    week_of: datetime


class MeetupNudgeService:
    def __init__(self, store: Store, clock: Clock, *, nudges: NudgeService) -> None:
        self._store = store
        self._clock = clock
        self._nudges = nudges

    # buddy pairs -------------------------------------------------------------------------------------
    async def plan_buddy_suggestions_in(self, tx: Repositories, round_: BuddyRound,
                                        groups: Sequence[BuddyGroup]) -> int:
        """In the follow-up's transaction: a suggestion a day later for each buddy who opted in. How many."""
        now = self._clock.now()
        members = [(group, user_id) for group in groups for user_id in group.members]
        opted_in = await tx.nudges.buddy_opted_in([user_id for _, user_id in members])
        planned = []
        for group, user_id in members:
            if user_id not in opted_in:
                continue
            settings = await tx.members.get(user_id)
            zone, hours = ZoneInfo(settings.timezone or "UTC"), settings.quiet_hours
            due = now + BUDDY_SUGGESTION_AFTER
            if hours is not None:
                due = hours.next_allowed(due, zone)
            if due < round_.ends_at:
                work = BuddyNudgeDue(group.id, user_id, round_id=round_.id, guild_id=round_.guild_id)
                planned.append(Planned(work, due))
        return await tx.due_work.plan(planned, now=now)

    async def buddy_suggestion_due(self, work: BuddyNudgeDue) -> BuddySuggestion | None:
        async with self._store.transaction() as tx:
            return await self._buddy_suggestion_in(tx, work)

    async def _buddy_suggestion_in(self, tx: Repositories, work: BuddyNudgeDue) -> BuddySuggestion | None:
        prefs = await tx.nudges.get(work.user_id)
        group = await tx.buddies.group(work.group_id)
        round_ = await tx.buddies.round(work.round_id)
        now = self._clock.now()
        if prefs is None or not prefs.buddy_enabled or group is None or round_ is None or round_.ends_at <= now:
            return None
        if any(answer in ("in_person", "online", "skip") for answer in group.answers.values()):
            return None  # they met (or chose to sit this round out): nothing to suggest
        settings = await tx.members.get(work.user_id)
        zone, hours = ZoneInfo(settings.timezone or "UTC"), settings.quiet_hours
        if not settings.dms_enabled or settings.dms_closed_at is not None:
            return None
        if hours is not None and hours.is_quiet(now, zone):
            moved = hours.next_allowed(now, zone)
            if moved < round_.ends_at:
                await tx.due_work.plan([Planned(work.moved(moved), moved)], now=now)
            return None
        if not (await self._nudges.cap_in(tx, work.user_id, now)).allowed:
            return None
        profiles = [await tx.buddies.profile(round_.guild_id, member) for member in group.members]
        pair = [PairMember(area=p.area, preference=p.preference) if p else PairMember(None, "either")
                for p in profiles]
        meetups = await tx.nudges.meetups_between(round_.guild_id, now, round_.ends_at)
        chosen = pick_event_for_pair(meetups, pair[0], pair[1], now=now, until=round_.ends_at) if len(pair) > 1 \
            else None
        if chosen is None:
            return None
        return BuddySuggestion(user_id=work.user_id, guild_id=round_.guild_id,
                               buddies=tuple(m for m in group.members if m != work.user_id), meetup=chosen)

    async def buddy_suggestion_sent(self, work: BuddyNudgeDue, item: DueRow) -> None:
        async with self._store.transaction() as tx:
            await tx.nudges.record_send(work.user_id, "buddy_event", item.idempotency_key, self._clock.now())

    # the server's weekly digest ----------------------------------------------------------------------
    async def plan_server_digest_in(self, tx: Repositories, settings: GuildSettings,
                                    after: datetime | None = None) -> datetime | None:
        """Plan the server's next weekly meetup digest (idempotent by week) in the caller's transaction. None
        without an announcements channel."""
        planned = self._server_digest(settings, after)
        if planned is None:
            return None
        await tx.due_work.plan([planned], now=self._clock.now())
        return planned.due_at

    def _server_digest(self, settings: GuildSettings, after: datetime | None = None) -> Planned | None:
        if settings.announcements_channel_id is None:
            return None
        zone = ZoneInfo(settings.timezone or "UTC")
        due = server_digest_at(zone, after or self._clock.now())
        return Planned(ServerDigestDue(settings.guild_id, iso_week(due, zone)), due)

    async def ensure_server_digest(self, guild_id: int, after: datetime | None = None) -> datetime | None:
        async with self._store.transaction() as tx:
            return await self.plan_server_digest_in(tx, await tx.guilds.get(guild_id), after)

    async def ensure_all_server_digests(self) -> int:
        """At start: every server with an announcements channel has its next digest planned (one INSERT)."""
        async with self._store.transaction() as tx:
            guilds = await tx.nudges.announcement_guilds()
            planned = [self._server_digest(await tx.guilds.get(guild_id)) for guild_id in guilds]
            await tx.due_work.plan([item for item in planned if item is not None], now=self._clock.now())
        return len(guilds)

    async def server_digest_due(self, work: ServerDigestDue, item: DueRow) -> ServerDigest | None:
        """This week's meetups for the announcements channel (plans next week's first)."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            settings = await tx.guilds.get(work.guild_id)
            if settings.announcements_channel_id is None:
                return None  # the channel was unset: no more digests until it is set again
            await self.plan_server_digest_in(tx, settings, after=max(now, item.due_at))
            meetups = await tx.nudges.meetups_between(work.guild_id, now, now + DIGEST_AHEAD)
        return ServerDigest(guild_id=work.guild_id, channel_id=settings.announcements_channel_id, meetups=meetups,
                            week_of=now)

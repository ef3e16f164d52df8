"""Nudges toward meetups: a suggestion for buddy pairs who haven't met yet, and the weekly server digest.

- `nudge.buddy` (key `nudge.buddy:{group}:{user}`): when a round's "Did you meet?" goes out, each buddy who
  opted in to buddy suggestions gets a row a day later (moved out of their quiet hours; none when that
  is after the round ends). At run time: nothing if the group said they met (or skipped the round), if
  the round is over, if the weekly cap is used up (the suggestion is not worth a second message in a
  week), or if no meetup suits them both before the round ends. Otherwise one meetup, naming the buddy.
- `nudge.server` (key `nudge.server:{guild}:{iso-week}`): Monday 09:00 in the server's time zone, for
  servers with an announcements channel. Lists the meetups starting in the next 7 days; in a week with
  none, nothing is posted (an empty announcement is noise). Scheduled at start, after `/hearth setup`,
  and after each run for the week after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.nudges import (
    BUDDY_SUGGESTION_AFTER,
    DIGEST_AHEAD,
    PairMember,
    iso_week,
    pick_event_for_pair,
    server_digest_at,
)
from bot.services.members import quiet_hours_of
from bot.services.nudges import NudgeService
from bot.store import DueItem, Store
from bot.store.events import Event

BUDDY_KIND = "nudge.buddy"
SERVER_KIND = "nudge.server"


def buddy_key(group_id: int, user_id: int) -> str:
    return f"nudge.buddy:{group_id}:{user_id}"


def server_key(guild_id: int, week: str) -> str:
    return f"nudge.server:{guild_id}:{week}"


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
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self._nudges = NudgeService(store, clock)

    # buddy pairs -------------------------------------------------------------------------------------
    async def schedule_buddy_suggestions(self, round_id: int) -> int:
        """Called when a round's halfway follow-up goes out. Returns how many suggestions were planned."""
        round_ = await self._store.buddies.round(round_id)
        if round_ is None:
            return 0
        now = self._clock.now()
        planned = 0
        for group in await self._store.buddies.groups(round_id):
            for user_id in group.members:
                prefs = await self._store.nudges.get(user_id)
                if prefs is None or not prefs.buddy_enabled:
                    continue
                settings = await self._store.members.get(user_id)
                zone, hours = ZoneInfo(settings.timezone or "UTC"), quiet_hours_of(settings)
                due = now + BUDDY_SUGGESTION_AFTER
                if hours is not None:
                    due = hours.next_allowed(due, zone)
                if due >= round_.ends_at:
                    continue
                payload = {"user_id": user_id, "group_id": group.id, "round_id": round_id}
                planned += await self._store.due_work.schedule(BUDDY_KIND, payload, due, buddy_key(group.id, user_id),
                                                               now=now)
        return planned

    async def buddy_suggestion_due(self, item: DueItem) -> BuddySuggestion | None:
        user_id, group_id = int(item.payload["user_id"]), int(item.payload["group_id"])
        prefs = await self._store.nudges.get(user_id)
        group = await self._store.buddies.group(group_id)
        round_ = await self._store.buddies.round(int(item.payload["round_id"]))
        now = self._clock.now()
        if prefs is None or not prefs.buddy_enabled or group is None or round_ is None or round_.ends_at <= now:
            return None
        if any(answer in ("in_person", "online", "skip") for answer in group.answers.values()):
            return None  # they met (or chose to sit this round out): nothing to suggest
        settings = await self._store.members.get(user_id)
        zone, hours = ZoneInfo(settings.timezone or "UTC"), quiet_hours_of(settings)
        if not settings.dms_enabled or settings.dms_closed_at is not None:
            return None
        if hours is not None and hours.is_quiet(now, zone):
            moved = hours.next_allowed(now, zone)
            if moved < round_.ends_at:
                await self._store.due_work.schedule(BUDDY_KIND, item.payload, moved,
                                                    f"{buddy_key(group_id, user_id)}:m{moved:%Y%m%dT%H%M}", now=now)
            return None
        if not (await self._nudges.cap(user_id, now)).allowed:
            return None
        profiles = [await self._store.buddies.profile(round_.guild_id, member) for member in group.members]
        pair = [PairMember(area=p.area, preference=p.preference) if p else PairMember(None, "either")
                for p in profiles]
        meetups = await self._store.nudges.meetups_between(round_.guild_id, now, round_.ends_at)
        chosen = pick_event_for_pair(meetups, pair[0], pair[1], now=now, until=round_.ends_at) if len(pair) > 1 \
            else None
        if chosen is None:
            return None
        return BuddySuggestion(user_id=user_id, guild_id=round_.guild_id,
                               buddies=tuple(m for m in group.members if m != user_id), meetup=chosen)

    async def buddy_suggestion_sent(self, item: DueItem) -> None:
        await self._store.nudges.record_send(int(item.payload["user_id"]), "buddy_event", item.idempotency_key,
                                             self._clock.now())

    # the server's weekly digest ----------------------------------------------------------------------
    async def ensure_server_digest(self, guild_id: int, after: datetime | None = None) -> datetime | None:
        """Plan the server's next weekly meetup digest (idempotent by week). None without an announcements
        channel."""
        settings = await self._store.guilds.get(guild_id)
        if settings.announcements_channel_id is None:
            return None
        zone = ZoneInfo(settings.timezone or "UTC")
        now = self._clock.now()
        due = server_digest_at(zone, after or now)
        await self._store.due_work.schedule(SERVER_KIND, {"guild_id": guild_id}, due,
                                            server_key(guild_id, iso_week(due, zone)), now=now)
        return due

    async def ensure_all_server_digests(self) -> int:
        guilds = await self._store.nudges.announcement_guilds()
        for guild_id in guilds:
            await self.ensure_server_digest(guild_id)
        return len(guilds)

    async def server_digest_due(self, item: DueItem) -> ServerDigest | None:
        """This week's meetups for the announcements channel (plans next week's first)."""
        guild_id = int(item.payload["guild_id"])
        settings = await self._store.guilds.get(guild_id)
        if settings.announcements_channel_id is None:
            return None  # the channel was unset: no more digests until it is set again
        now = self._clock.now()
        await self.ensure_server_digest(guild_id, after=max(now, item.due_at))
        meetups = await self._store.nudges.meetups_between(guild_id, now, now + DIGEST_AHEAD)
        return ServerDigest(guild_id=guild_id, channel_id=settings.announcements_channel_id, meetups=meetups,
                            week_of=now)

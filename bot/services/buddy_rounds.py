"""Buddy rounds for a server: scheduling, forming groups, follow-ups and the aggregate figures."""

from __future__ import annotations

import asyncio
import logging
import zlib
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.buddy_rounds import (
    HEADS_UP_BEFORE,
    area_key,
    is_paused,
    next_round_start,
    round_key,
    round_times,
    sits_out,
)
from bot.domain.errors import InvalidInput, NotConfigured
from bot.domain.matching import GroupReasons, PoolMember, match_pool
from bot.store import Store
from bot.store.buddies import BuddyConfig, BuddyGroup, BuddyRound, RoundPlan

log = logging.getLogger(__name__)

ROUND_KIND = "buddy.round"
HEADS_UP_KIND = "buddy.headsup"
FOLLOWUP_KIND = "buddy.followup"
MIN_GROUP_FOR_FIGURES = 5  # below this, shares could point at individuals


@dataclass(frozen=True)
class RoundOutcome:
    round: BuddyRound
    groups: list[BuddyGroup]
    created: bool  # False when the round already existed (a retry): nothing new was decided


@dataclass(frozen=True)
class BuddyStats:
    pool_size: int
    rounds: int
    groups_per_round: float
    answered_groups: int
    met_in_person: float | None  # shares of answered groups; None below the minimum group size
    met_online: float | None


class BuddyRoundService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def _zone(self, guild_id: int) -> ZoneInfo:
        guild = await self._store.guilds.get(guild_id)
        return ZoneInfo(guild.timezone or "UTC")

    async def configure(self, guild_id: int, updated_by: int, **changes: object) -> tuple[BuddyConfig, datetime]:
        """Organisers change the cadence, day, hour, interests or repeat window; rounds are (re)scheduled."""
        guild = await self._store.guilds.get(guild_id)
        if guild.buddies_channel_id is None:
            raise NotConfigured("First choose a buddies channel with `/hearth setup buddies:#channel`: intros "
                                "go there as private threads.")
        config = replace(await self._store.buddies.config(guild_id), enabled=True, **changes)  # type: ignore[arg-type]
        if not 1 <= config.repeat_rounds <= 52:
            raise InvalidInput("The repeat window is 1 to 52 rounds.")
        if not 0 <= config.hour <= 23 or not 0 <= config.weekday <= 6:
            raise InvalidInput("Pick an hour from 0 to 23 and a day of the week.")
        if config.next_round_key:
            await self._store.due_work.cancel(config.next_round_key)
            await self._store.due_work.cancel(_heads_up_key(config.next_round_key))
        await self._store.buddies.save_config(replace(config, next_round_key=None), updated_by, self._clock.now())
        start = await self.schedule_next(guild_id, expected_key=None)
        return await self._store.buddies.config(guild_id), start

    async def schedule_next(self, guild_id: int, *, expected_key: str | None) -> datetime:
        """Put the next round (and its heads-up a day before) in the due-work table."""
        config = await self._store.buddies.config(guild_id)
        now = self._clock.now()
        recent = await self._store.buddies.recent_rounds(guild_id, 1)
        start = next_round_start(cadence_weeks=config.cadence_weeks, weekday=config.weekday, hour=config.hour,
                                 zone=await self._zone(guild_id), after=now,
                                 last_started=recent[0].started_at if recent else None)
        key = round_key(guild_id, start)
        await self._store.due_work.schedule(ROUND_KIND, {"guild_id": guild_id}, start, key, now=now)
        if start - HEADS_UP_BEFORE > now:
            await self._store.due_work.schedule(HEADS_UP_KIND, {"guild_id": guild_id, "round_key": key},
                                                start - HEADS_UP_BEFORE, _heads_up_key(key), now=now)
        await self._store.buddies.set_next_round_key(guild_id, expected_key, key, now)
        return start

    async def pool_for_heads_up(self, guild_id: int, key: str) -> list[int]:
        """Members who will be in this round unless they skip it."""
        if (await self._store.buddies.config(guild_id)).next_round_key != key:
            return []
        now = self._clock.now()
        return [profile.user_id for profile in await self._store.buddies.active_profiles(guild_id)
                if not is_paused(profile.paused_until, now)]

    async def run_round(self, guild_id: int, key: str | None = None) -> RoundOutcome:
        """Form this round's groups. Idempotent by round key: running it twice decides once."""
        now = self._clock.now()
        key = key or round_key(guild_id, now)
        existing = await self._store.buddies.round_by_key(key)
        if existing is not None:
            return RoundOutcome(existing, await self._store.buddies.groups(existing.id), created=False)
        config = await self._store.buddies.config(guild_id)
        recent = await self._store.buddies.recent_rounds(guild_id, config.repeat_rounds)
        paired_last = {user for group in (await self._store.buddies.groups(recent[0].id) if recent else [])
                       for user in group.members}
        pool, sat_out = [], []
        zone_of = {}
        for profile in await self._store.buddies.active_profiles(guild_id):
            if is_paused(profile.paused_until, now) or profile.skip_round_key == key:
                continue
            if sits_out(frequency=profile.frequency, paired_last_round=profile.user_id in paired_last,
                        sat_out_last_round=profile.sat_out_last_round):
                sat_out.append(profile.user_id)
                continue
            settings = await self._store.members.get(profile.user_id)
            zone_of[profile.user_id] = settings.timezone
            pool.append(PoolMember(id=profile.user_id, area=area_key(profile.area),
                                   preference=profile.preference,  # type: ignore[arg-type]
                                   interests=frozenset(profile.interests), time_zone=settings.timezone,
                                   last_paired_at=profile.last_paired_at, missed_last_round=profile.missed_last_round))
        recent_pairs = await self._store.buddies.pairs_in_rounds([r.id for r in recent])
        blocks = await self._store.buddies.blocked_pairs(guild_id)
        # Seeded by the round key: a retry of the same round decides the same groups. A big pool takes
        # about a second of CPU, so it runs off the event loop.
        result = await asyncio.to_thread(match_pool, pool, now=now, recent_pairs=recent_pairs, blocks=blocks,
                                         seed=zlib.crc32(key.encode()))
        areas = {profile.user_id: profile.area for profile in await self._store.buddies.active_profiles(guild_id)}
        times = round_times(now, config.cadence_weeks)
        plan = RoundPlan(
            guild_id=guild_id, round_key=key, started_at=times.start, followup_at=times.followup, ends_at=times.end,
            pool=[member.id for member in pool],
            groups=[(group, _reasons(reasons, areas)) for group, reasons in zip(result.groups, result.reasons,
                                                                                 strict=True)],
            unmatched=list(result.unmatched), sat_out=sat_out,
        )
        stored, created = await self._store.buddies.create_round(plan)
        if created:
            await self._store.due_work.schedule(FOLLOWUP_KIND, {"round_id": stored.id}, stored.followup_at,
                                                f"buddy-followup:{stored.id}", now=now)
            log.info("buddy round %s in guild %s: %d in the pool, %d groups, %d unmatched", key, guild_id,
                     len(pool), len(result.groups), len(result.unmatched))
        return RoundOutcome(stored, await self._store.buddies.groups(stored.id), created=created)

    async def mark_delivered(self, group_id: int, how: str, thread_id: int | None) -> None:
        await self._store.buddies.mark_delivered(group_id, how, thread_id)

    async def followup_groups(self, round_id: int) -> list[BuddyGroup]:
        """Groups to ask "did you meet?", unless the round is already over."""
        round_ = await self._store.buddies.round(round_id)
        if round_ is None or round_.ends_at <= self._clock.now():
            return []
        return [group for group in await self._store.buddies.groups(round_id) if group.delivered]

    async def quiet_members(self, guild_id: int, threshold: int) -> list[int]:
        """Members who left this many follow-ups in a row unanswered, to ask once if they'd like a pause."""
        now = self._clock.now()
        return [profile.user_id for profile in await self._store.buddies.active_profiles(guild_id)
                if profile.unanswered_followups >= threshold and not is_paused(profile.paused_until, now)]

    async def asked_about_pause(self, guild_id: int, user_ids: list[int]) -> None:
        """Their count starts again, so the question comes at most once per `threshold` silent rounds."""
        now = self._clock.now()
        for user_id in user_ids:
            await self._store.buddies.update_profile(guild_id, user_id, now, unanswered_followups=0)

    async def stats(self, guild_id: int, rounds: int = 6) -> BuddyStats:
        recent = await self._store.buddies.recent_rounds(guild_id, rounds)
        counts = await self._store.buddies.answer_counts([r.id for r in recent])
        groups = counts.get("groups", 0)
        answered = groups - counts.get("no_answer", 0)
        enough = answered >= MIN_GROUP_FOR_FIGURES
        return BuddyStats(
            pool_size=await self._store.buddies.count_active(guild_id, self._clock.now()),
            rounds=len(recent),
            groups_per_round=groups / len(recent) if recent else 0.0,
            answered_groups=answered,
            met_in_person=counts["in_person"] / answered if enough else None,
            met_online=counts["online"] / answered if enough else None,
        )


def _heads_up_key(round_key_: str) -> str:
    return f"{round_key_}:headsup"


def _reasons(reasons: GroupReasons, areas: dict[int, str | None]) -> dict[str, object]:
    area = next((areas.get(member) for member in reasons.members if areas.get(member)), None)
    return {"area": area if reasons.area else None, "in_person": reasons.in_person,
            "interests": list(reasons.shared_interests), "time_zones_overlap": reasons.time_zones_overlap}

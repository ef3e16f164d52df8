"""Buddy rounds for a server: scheduling, forming groups, heads-ups, follow-ups and the aggregate figures.

A round commits whole or not at all: the round, its groups, the members' bookkeeping, its follow-up, the
next round and its heads-up, and the DMs it queues are written in one transaction. Matching itself (up to
about a second of CPU for a big pool) runs before it, off the event loop, on one consistent read.
"""

from __future__ import annotations

import asyncio
import logging
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.buddies import BuddyConfig, BuddyGroup, BuddyRound, BuddySettingsChange, BuddyStats, RoundPlan
from bot.domain.buddy_rounds import (
    HEADS_UP_BEFORE,
    PAUSE_ASK_AFTER,
    area_key,
    is_paused,
    next_round_start,
    round_key,
    round_times,
    sits_out,
)
from bot.domain.buddy_work import BuddyDm, FollowUpDue, HeadsUpDue, RoundDue
from bot.domain.errors import InvalidInput, NotConfigured
from bot.domain.matching import GroupReasons, MatchResult, PoolMember, match_pool
from bot.domain.work import Planned
from bot.i18n import N_, _
from bot.services.nudge_meetups import MeetupNudgeService
from bot.store import Repositories, Store

log = logging.getLogger(__name__)

__all__ = ["BuddyRoundService", "BuddyStats", "FollowUp", "RoundOutcome"]

MIN_GROUP_FOR_FIGURES = 5  # below this, shares could point at individuals

# The DMs' texts are queued in English and translated when sent, into the member's language (BuddyDm).
# i18n: asked halfway through a buddy round, in the buddies' thread or by DM, above buttons: In person, Online,
# Not yet, Skip this round
FOLLOW_UP_QUESTION = N_("Halfway through the round! Did you meet? (Your answer is private.)")
# i18n: a DM a day before a buddy round, above a button “Skip this round”
HEADS_UP_TEXT = N_("A new buddy round starts tomorrow. Busy week? You can sit this one out.")
# i18n: a DM to a member who didn't answer "did you meet?" twice, above buttons: Pause 2 weeks, 4 weeks, 8 weeks
PAUSE_OFFER_TEXT = N_("I haven't heard back about your last couple of buddy rounds, which is completely fine. Would "
                      "a break help? You can pause and come back any time.")
# i18n: a DM to a member whose buddy left the Discord server before they were introduced
BUDDY_LEFT_TEXT = N_("Your buddy for this round has left the server, sorry. You're first in line next round.")
# i18n: a DM to a member no buddy could be found for this round; {server} is the Discord server's name
UNMATCHED_TEXT = N_("I couldn't find you a buddy in {server} this round, sorry: it wasn't anything about you, the "
                    "numbers just didn't work out. You're first in line next round.")


@dataclass(frozen=True)
class RoundOutcome:
    round: BuddyRound
    groups: list[BuddyGroup]
    created: bool  # False when the round already existed (a retry): nothing new was decided


@dataclass(frozen=True)
class DeliveryPlan:
    """What introducing a round's groups needs: where threads go and how long the round runs."""

    channel_id: int | None
    cadence_weeks: int


@dataclass(frozen=True)
class FollowUp:
    """The groups whose thread gets "did you meet?" (the others were asked by DM already)."""

    round: BuddyRound
    in_threads: list[BuddyGroup]


@dataclass(frozen=True)
class _Inputs:
    config: BuddyConfig
    pool: list[PoolMember]
    sat_out: list[int]
    areas: dict[int, str | None]
    recent_pairs: set[frozenset[int]]
    blocks: set[frozenset[int]]


class BuddyRoundService:
    def __init__(self, store: Store, clock: Clock, *, meetup_nudges: MeetupNudgeService) -> None:
        self._store = store
        self._clock = clock
        self._meetup_nudges = meetup_nudges

    # settings and schedule -----------------------------------------------------------------------------
    async def configure(self, guild_id: int, updated_by: int,
                        change: BuddySettingsChange) -> tuple[BuddyConfig, datetime]:
        """Organisers change the cadence, day, hour, interests or repeat window; rounds are (re)scheduled."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            guild = await tx.guilds.get(guild_id)
            if guild.buddies_channel_id is None:
                # i18n: to an organiser; keep the command `/hearth setup buddies:#channel` as it is
                raise NotConfigured(_("First choose a buddies channel with `/hearth setup buddies:#channel`: "
                                      "intros go there as private threads."))
            current = await tx.buddies.config(guild_id)
            config = replace(
                current, enabled=True,
                cadence_weeks=current.cadence_weeks if change.cadence_weeks is None else change.cadence_weeks,
                weekday=current.weekday if change.weekday is None else change.weekday,
                hour=current.hour if change.hour is None else change.hour,
                interests=current.interests if change.interests is None else change.interests,
                repeat_rounds=current.repeat_rounds if change.repeat_rounds is None else change.repeat_rounds)
            if not 1 <= config.repeat_rounds <= 52:
                # i18n: to an organiser: how many rounds must pass before two members may be paired again
                raise InvalidInput(_("The repeat window is 1 to 52 rounds."))
            if not 0 <= config.hour <= 23 or not 0 <= config.weekday <= 6:
                raise InvalidInput(_("Pick an hour from 0 to 23 and a day of the week."))
            if config.next_round_key:
                planned = RoundDue(guild_id, config.next_round_key)
                await tx.due_work.cancel_many([planned.key(), HeadsUpDue(guild_id, planned.round_key).key()])
            await tx.buddies.save_config(replace(config, next_round_key=None), updated_by, now)
            start = await self._schedule_next_in(tx, guild_id, expected_key=None)
            return await tx.buddies.config(guild_id), start

    async def _schedule_next_in(self, tx: Repositories, guild_id: int, *, expected_key: str | None) -> datetime:
        """Put the next round (and its heads-up a day before) in the due-work table."""
        config = await tx.buddies.config(guild_id)
        now = self._clock.now()
        recent = await tx.buddies.recent_rounds(guild_id, 1)
        guild = await tx.guilds.get(guild_id)
        start = next_round_start(cadence_weeks=config.cadence_weeks, weekday=config.weekday, hour=config.hour,
                                 zone=ZoneInfo(guild.timezone or "UTC"), after=now,
                                 last_started=recent[0].started_at if recent else None)
        due = RoundDue(guild_id, round_key(guild_id, start))
        planned = [Planned(due, start)]
        if start - HEADS_UP_BEFORE > now:
            planned.append(Planned(HeadsUpDue(guild_id, due.round_key), start - HEADS_UP_BEFORE))
        await tx.due_work.plan(planned, now=now)
        await tx.buddies.set_next_round_key(guild_id, expected_key, due.round_key, now)
        return start

    # rounds ----------------------------------------------------------------------------------------------
    async def pair_now(self, guild_id: int, server_name: str) -> RoundOutcome:
        """An organiser's extra round now; the regular schedule carries on."""
        if (await self._store.guilds.get(guild_id)).buddies_channel_id is None:
            # i18n: to an organiser; keep the command `/hearth setup buddies:#channel` as it is
            raise NotConfigured(_("First choose a buddies channel with `/hearth setup buddies:#channel`."))
        outcome = await self._run(guild_id, round_key(guild_id, self._clock.now()), server_name, scheduled=False)
        assert outcome is not None
        return outcome

    async def run_round(self, guild_id: int, key: str | None = None, *, server_name: str = "this server"
                        ) -> RoundOutcome:
        """Form a round's groups outside the schedule. Idempotent by round key: running it twice decides once."""
        outcome = await self._run(guild_id, key or round_key(guild_id, self._clock.now()), server_name,
                                  scheduled=False)
        assert outcome is not None
        return outcome

    async def run_scheduled(self, guild_id: int, key: str, server_name: str) -> RoundOutcome | None:
        """The scheduled round `key`: formed with the next one planned, or as stored when a run before this
        one stopped half-way through the introductions. None when the schedule changed since it was planned."""
        return await self._run(guild_id, key, server_name, scheduled=True)

    async def _run(self, guild_id: int, key: str, server_name: str, *, scheduled: bool) -> RoundOutcome | None:
        now = self._clock.now()
        async with self._store.reading() as snapshot:
            existing = await snapshot.buddies.round_by_key(key)
            if existing is not None:
                return RoundOutcome(existing, await snapshot.buddies.groups(existing.id), created=False)
            inputs = await self._inputs(snapshot, guild_id, key, now)
        if scheduled and inputs.config.next_round_key != key:
            return None  # the schedule changed since this row was written
        # Seeded by the round key: a retry of the same round decides the same groups.
        result = await asyncio.to_thread(match_pool, inputs.pool, now=now, recent_pairs=inputs.recent_pairs,
                                         blocks=inputs.blocks, seed=zlib.crc32(key.encode()))
        plan = _plan(guild_id, key, now, inputs, result)
        async with self._store.transaction() as tx:
            stored, created = await tx.buddies.create_round(plan)
            if created:
                # The scheduled round (whoever runs it) plans the next; an extra round leaves the schedule be.
                await self._after_round_in(tx, stored, server_name,
                                           schedule_next=(await tx.buddies.config(guild_id)).next_round_key == key)
            groups = await tx.buddies.groups(stored.id)
        if created:
            log.info("buddy round %s in guild %s: %d in the pool, %d groups, %d unmatched", key, guild_id,
                     len(inputs.pool), len(result.groups), len(result.unmatched))
        return RoundOutcome(stored, groups, created=created)

    async def _inputs(self, tx: Repositories, guild_id: int, key: str, now: datetime) -> _Inputs:
        config = await tx.buddies.config(guild_id)
        recent = await tx.buddies.recent_rounds(guild_id, config.repeat_rounds)
        paired_last = {user for group in (await tx.buddies.groups(recent[0].id) if recent else [])
                       for user in group.members}
        profiles = await tx.buddies.active_profiles(guild_id)
        taking_part, sat_out = [], []
        for profile in profiles:
            if is_paused(profile.paused_until, now) or profile.skip_round_key == key:
                continue
            if sits_out(frequency=profile.frequency, paired_last_round=profile.user_id in paired_last,
                        sat_out_last_round=profile.sat_out_last_round):
                sat_out.append(profile.user_id)
            else:
                taking_part.append(profile)
        zones = await tx.buddies.time_zones([profile.user_id for profile in taking_part])
        pool = [PoolMember(id=profile.user_id, area=area_key(profile.area), preference=profile.preference,
                           interests=frozenset(profile.interests), time_zone=zones[profile.user_id],
                           last_paired_at=profile.last_paired_at, missed_last_round=profile.missed_last_round)
                for profile in taking_part]
        return _Inputs(config=config, pool=pool, sat_out=sat_out,
                       areas={profile.user_id: profile.area for profile in profiles},
                       # A member who deleted their data and came back is still kept from these pairs.
                       recent_pairs=await tx.buddies.pairs_in_rounds([r.id for r in recent], [m.id for m in pool]),
                       blocks=await tx.buddies.blocked_pairs(guild_id, [m.id for m in pool]))

    async def _after_round_in(self, tx: Repositories, round_: BuddyRound, server_name: str, *,
                              schedule_next: bool) -> None:
        """The due work a new round creates, in its transaction: its follow-up, the note to whoever could not
        be matched, and (for a scheduled round) the next round."""
        now = self._clock.now()
        planned = [Planned(FollowUpDue(round_.id, guild_id=round_.guild_id), round_.followup_at)]
        planned += _dms(round_.unmatched, f"unmatched:{round_.round_key}", UNMATCHED_TEXT, now,
                        params={"server": server_name})
        await tx.due_work.plan(planned, now=now)
        if schedule_next:
            await self._schedule_next_in(tx, round_.guild_id, expected_key=round_.round_key)

    # introductions -----------------------------------------------------------------------------------------
    async def delivery_plan(self, guild_id: int) -> DeliveryPlan:
        async with self._store.reading() as tx:
            settings = await tx.guilds.get(guild_id)
            config = await tx.buddies.config(guild_id)
        return DeliveryPlan(channel_id=settings.buddies_channel_id, cadence_weeks=config.cadence_weeks)

    async def introduced(self, group: BuddyGroup, how: str, *, thread_id: int | None = None,
                         dms: Sequence[tuple[int, str]] = (), in_person: bool | None = None) -> None:
        """Record how a group was introduced, with the DMs that introduce it (user, text), in one transaction.
        `in_person`: an intro by DM of a group that might meet in person (its DMs offer "check on me after")."""
        now = self._clock.now()
        occasion = f"left:{group.id}" if how == "gone" else f"intro:{group.id}"
        async with self._store.transaction() as tx:
            await tx.buddies.mark_delivered(group.id, how, thread_id)
            await tx.due_work.plan([Planned(BuddyDm(occasion, user_id, text, in_person=in_person), now)
                                    for user_id, text in dms], now=now)

    async def ask_by_dm(self, group: BuddyGroup) -> None:
        """"Did you meet?" by DM, when the group's thread could not take it."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            await tx.due_work.plan(_dms(group.members, f"met:{group.id}", FOLLOW_UP_QUESTION, now,
                                        met_group_id=group.id), now=now)

    # heads-up and follow-up --------------------------------------------------------------------------------
    async def heads_up(self, guild_id: int, key: str) -> int:
        """Tell the pool a day ahead, with a button to sit the round out. How many were told (once each)."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            if (await tx.buddies.config(guild_id)).next_round_key != key:
                return 0
            pool = [profile.user_id for profile in await tx.buddies.active_profiles(guild_id)
                    if not is_paused(profile.paused_until, now)]
            return await tx.due_work.plan(_dms(pool, f"heads-up:{key}", HEADS_UP_TEXT, now, skip_guild_id=guild_id,
                                               skip_round_key=key), now=now)

    async def follow_up(self, round_id: int) -> FollowUp | None:
        """Halfway through: "did you meet?" by DM to groups introduced by DM (the cog asks in threads), meetup
        suggestions a day later for those who opted in, and a gentle pause offer to the quiet, all in one
        transaction. None when the round is over (after downtime it would only confuse)."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            round_ = await tx.buddies.round(round_id)
            if round_ is None or round_.ends_at <= now:
                return None
            groups = [group for group in await tx.buddies.groups(round_id) if group.delivered]
            # A group that agreed a time is asked just after it (planned when they confirmed), not halfway.
            timed = await tx.meetings.buddy_groups_with_time([group.id for group in groups])
            asking = [group for group in groups if group.id not in timed]
            in_threads = [group for group in asking if group.delivered == "thread" and group.thread_id]
            planned = [dm for group in asking if group not in in_threads
                       for dm in _dms(group.members, f"met:{group.id}", FOLLOW_UP_QUESTION, now,
                                      met_group_id=group.id)]
            quiet = [profile.user_id for profile in await tx.buddies.active_profiles(round_.guild_id)
                     if profile.unanswered_followups >= PAUSE_ASK_AFTER and not is_paused(profile.paused_until, now)]
            # Their count restarts in the same transaction, so the question comes once per quiet stretch.
            planned += _dms(quiet, f"pause:{round_id}", PAUSE_OFFER_TEXT, now, pause_guild_id=round_.guild_id)
            await tx.due_work.plan(planned, now=now)
            await tx.buddies.reset_unanswered(round_.guild_id, quiet, now)
            await self._meetup_nudges.plan_buddy_suggestions_in(tx, round_, groups)
        return FollowUp(round_, in_threads)

    # figures -----------------------------------------------------------------------------------------------
    async def overview(self, guild_id: int, rounds: int = 6) -> tuple[BuddyConfig, BuddyStats]:
        async with self._store.reading() as tx:
            config = await tx.buddies.config(guild_id)
            recent = await tx.buddies.recent_rounds(guild_id, rounds)
            counts = await tx.buddies.answer_counts([r.id for r in recent])
            pool_size = await tx.buddies.count_active(guild_id, self._clock.now())
        groups = counts.get("groups", 0)
        answered = groups - counts.get("no_answer", 0)
        enough = answered >= MIN_GROUP_FOR_FIGURES
        return config, BuddyStats(
            pool_size=pool_size,
            rounds=len(recent),
            groups_per_round=groups / len(recent) if recent else 0.0,
            answered_groups=answered,
            met_in_person=counts["in_person"] / answered if enough else None,
            met_online=counts["online"] / answered if enough else None,
        )

    async def stats(self, guild_id: int, rounds: int = 6) -> BuddyStats:
        return (await self.overview(guild_id, rounds))[1]


def _dms(user_ids: Iterable[int], occasion: str, text: str, now: datetime, *, met_group_id: int | None = None,
         pause_guild_id: int | None = None, skip_guild_id: int | None = None,
         skip_round_key: str | None = None, params: dict[str, str] | None = None) -> list[Planned]:
    """One due DM per member, sent by the fan-out at the global pace, retried on Discord's hiccups, never twice.
    `text` is an English message (N_), translated for each member when sent."""
    return [Planned(BuddyDm(occasion, user_id, text, params=params, met_group_id=met_group_id,
                            pause_guild_id=pause_guild_id, skip_guild_id=skip_guild_id,
                            skip_round_key=skip_round_key), now)
            for user_id in dict.fromkeys(user_ids)]


def _plan(guild_id: int, key: str, now: datetime, inputs: _Inputs, result: MatchResult) -> RoundPlan:
    times = round_times(now, inputs.config.cadence_weeks)
    return RoundPlan(
        guild_id=guild_id, round_key=key, started_at=times.start, followup_at=times.followup, ends_at=times.end,
        pool=[member.id for member in inputs.pool],
        groups=[(group, _reasons(reasons, inputs.areas))
                for group, reasons in zip(result.groups, result.reasons, strict=True)],
        unmatched=list(result.unmatched), sat_out=inputs.sat_out,
    )


def _reasons(reasons: GroupReasons, areas: dict[int, str | None]) -> dict[str, object]:
    area = next((areas.get(member) for member in reasons.members if areas.get(member)), None)
    return {"area": area if reasons.area else None, "in_person": reasons.in_person,
            "interests": list(reasons.shared_interests), "time_zones_overlap": reasons.time_zones_overlap}

"""“Don't go alone”: members going to an in-person meetup ask for company; rounds before it group them."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from bot.domain.companions import LAST_ROUND, ROUNDS, CompanionNote, PairingRound, pair_up, round_times
from bot.domain.errors import InvalidInput
from bot.domain.events import CompanionGroup, Event
from bot.domain.meetup_controls import check_role
from bot.domain.work import Planned
from bot.i18n import _
from bot.store import Repositories, Store

COMPANIONS_KIND = PairingRound.KIND  # a pairing round for one meetup
NOTE_KIND = CompanionNote.KIND  # one DM: an introduction without a thread, or "nobody else asked"


@dataclass(frozen=True)
class PairingOutcome:
    event: Event
    to_introduce: list[CompanionGroup]  # groups not introduced yet (safe to deliver again after a crash)
    alone: list[int]  # told kindly, once, at the last round
    round_at: datetime  # when this round was due to run: a thread opened since then by a crashed run is adopted


@dataclass(frozen=True)
class NoteToSend:
    event: Event
    user_id: int
    group: CompanionGroup | None  # None: nobody else asked
    names: dict[int, str]  # the group's display names, as they answered


class CompanionService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self.requests = store.companions

    async def _going_in_person(self, tx: Repositories, event_id: int, user_id: int) -> Event:
        event = await tx.events.get(event_id)
        if event is None or event.status != "scheduled":
            raise InvalidInput(_("That meetup isn't on any more."))
        if event.mode != "in_person":
            raise InvalidInput(_("Going together is for in-person meetups."))
        if event.start_at <= self._clock.now():
            raise InvalidInput(_("That meetup has already started."))
        if user_id not in (await tx.events.rsvps(event.id))["going"]:
            raise InvalidInput(_("Say you're going first (the Going button on the announcement), then ask again."))
        return event

    async def request(self, event_id: int, user_id: int,
                      role_ids: Collection[int] | None = None) -> tuple[Event, bool]:
        """Record the wish; True if new. Pairing rounds are planned (48 h and 6 h before, or now if later).
        A meetup limited to a role (set after the member said Going) is refused without it."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            event = await self._going_in_person(tx, event_id, user_id)
            check_role(event, role_ids)
            added = await tx.companions.request(event.id, user_id, now)
            planned = self._rounds(event)
            if not planned:  # the last round has passed: a late round now, for whoever has asked since
                late = PairingRound(event.id, LAST_ROUND, event.start_at, late_at=now, guild_id=event.guild_id)
                planned = [Planned(late, now)]
            await tx.due_work.plan(planned, now=now)
        return event, added

    def _rounds(self, event: Event) -> list[Planned]:
        return [Planned(PairingRound(event.id, label, event.start_at, guild_id=event.guild_id), due)
                for label, due in round_times(event.start_at, self._clock.now())]

    async def has_requested(self, event_id: int, user_id: int) -> bool:
        return await self.requests.has_requested(event_id, user_id)

    async def withdraw(self, event_id: int, user_id: int) -> bool:
        """Remove the wish (an introduction already made stays); False if they hadn't asked."""
        return await self.requests.withdraw(event_id, user_id)

    async def withdraw_in(self, tx: Repositories, event_id: int, user_id: int) -> bool:
        return await tx.companions.withdraw(event_id, user_id)

    async def pair(self, work: PairingRound) -> PairingOutcome | None:
        """Due work: group everyone who asked and isn't in a group yet; at the last round, tell who's alone."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            event = await tx.events.get(work.event_id)
            if event is None or event.status != "scheduled" or event.start_at <= now:
                return None
            if event.start_at != work.start:
                return None  # moved: rounds for the new time are planned on the move and on the next request
            going = set((await tx.events.rsvps(event.id))["going"])
            waiting = []
            for user_id in await tx.companions.ungrouped(event.id):
                if user_id in going:
                    waiting.append(user_id)
                else:
                    await tx.companions.withdraw(event.id, user_id)
            groups, _alone = pair_up(waiting, await tx.buddies.blocked_pairs(event.guild_id, waiting))
            await tx.companions.assign(event.id, groups)
            to_introduce = [group for group in await tx.companions.groups(event.id) if group.delivered is None]
            alone = await tx.companions.take_alone(event.id, now) if work.label == LAST_ROUND else []
        # The round's own time, not this run's: the same after a crash, a retry or downtime.
        round_at = work.late_at or work.start - ROUNDS[work.label]
        return PairingOutcome(event=event, to_introduce=to_introduce, alone=alone, round_at=round_at)

    async def introduced(self, event: Event, group: CompanionGroup, thread_id: int | None) -> None:
        """Record how a group was introduced: in a thread, or (None) by one DM each, planned in the same
        transaction so neither happens without the other."""
        async with self._store.transaction() as tx:
            if thread_id is None:
                await self._plan_notes(tx, event, group.members, f"intro-{group.number}")
            await tx.companions.mark_delivered(event.id, group.number, "thread" if thread_id else "dm", thread_id)

    async def tell_alone(self, event: Event, user_ids: list[int]) -> None:
        async with self._store.transaction() as tx:
            await self._plan_notes(tx, event, user_ids, "alone")

    async def reschedule_in(self, tx: Repositories, event: Event) -> None:
        """After a meetup moves: rounds for the new start, if anyone is still waiting for a group."""
        if await tx.companions.ungrouped(event.id):
            await tx.due_work.plan(self._rounds(event), now=self._clock.now())

    async def _plan_notes(self, tx: Repositories, event: Event, user_ids: list[int], what: str) -> None:
        """One DM row per member (`what`: "alone" or "intro-<group>"), due now; never twice."""
        now = self._clock.now()
        await tx.due_work.plan([Planned(CompanionNote(event.id, user_id, what, guild_id=event.guild_id), now)
                                for user_id in user_ids], now=now)

    async def note(self, work: CompanionNote) -> NoteToSend | None:
        """What a note row should say now, or None when it no longer makes sense (cancelled, started, or they
        withdrew)."""
        async with self._store.reading() as reads:
            event = await reads.events.get(work.event_id)
            if event is None or event.status != "scheduled" or event.start_at <= self._clock.now():
                return None
            group = await reads.companions.group_of(event.id, work.user_id)
            if work.what == "alone":
                if group is None and await reads.companions.has_requested(event.id, work.user_id):
                    return NoteToSend(event, work.user_id, None, {})
                return None
            if group is None:
                return None
            return NoteToSend(event, work.user_id, group, await reads.events.names(event.id, group.members))

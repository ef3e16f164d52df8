"""“Don't go alone”: members going to an in-person meetup ask for company; rounds before it group them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.domain.companions import LAST_ROUND, pair_up, round_key, round_times
from bot.domain.errors import InvalidInput
from bot.store import DueItem, Store
from bot.store.event_companions import CompanionGroup
from bot.store.events import Event

COMPANIONS_KIND = "event.companions"  # a pairing round for one meetup
NOTE_KIND = "event.companions.note"  # one DM: an introduction without a thread, or "nobody else asked"


@dataclass(frozen=True)
class PairingOutcome:
    event: Event
    to_introduce: list[CompanionGroup]  # groups not introduced yet (safe to deliver again after a crash)
    alone: list[int]  # told kindly, once, at the last round


class CompanionService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self.requests = store.companions

    async def _going_in_person(self, event_id: int, user_id: int) -> Event:
        event = await self._store.events.get(event_id)
        if event is None or event.status != "scheduled":
            raise InvalidInput("That meetup isn't on any more.")
        if event.mode != "in_person":
            raise InvalidInput("Going together is for in-person meetups.")
        if event.start_at <= self._clock.now():
            raise InvalidInput("That meetup has already started.")
        if user_id not in (await self._store.events.rsvps(event.id))["going"]:
            raise InvalidInput("Say you're going first (the Going button on the announcement), then ask again.")
        return event

    async def request(self, event_id: int, user_id: int) -> tuple[Event, bool]:
        """Record the wish; True if new. Pairing rounds are scheduled (48 h and 6 h before, or now if later)."""
        event = await self._going_in_person(event_id, user_id)
        added = await self.requests.request(event.id, user_id, self._clock.now())
        now = self._clock.now()
        rounds = round_times(event.start_at, now)
        rows = [(COMPANIONS_KIND, {"event_id": event.id, "label": label, "start": event.start_at.isoformat()}, due,
                 round_key(event.id, label, event.start_at)) for label, due in rounds]
        if not rounds:  # the last round has passed: a late round now, for whoever has asked since
            rows = [(COMPANIONS_KIND, {"event_id": event.id, "label": LAST_ROUND, "start": event.start_at.isoformat()},
                     now, round_key(event.id, f"late-{int(now.timestamp())}", event.start_at))]
        await self._store.due_work.schedule_many(rows, now=now)
        return event, added

    async def has_requested(self, event_id: int, user_id: int) -> bool:
        return await self.requests.has_requested(event_id, user_id)

    async def withdraw(self, event_id: int, user_id: int) -> bool:
        """Remove the wish (an introduction already made stays); False if they hadn't asked."""
        return await self.requests.withdraw(event_id, user_id)

    async def pair(self, item: DueItem) -> PairingOutcome | None:
        """Due work: group everyone who asked and isn't in a group yet; at the last round, tell who's alone."""
        event = await self._store.events.get(int(item.payload["event_id"]))
        now = self._clock.now()
        if event is None or event.status != "scheduled" or event.start_at <= now:
            return None
        if event.start_at.isoformat() != item.payload["start"]:
            return None  # moved: rounds for the new time are scheduled on the next request
        going = set((await self._store.events.rsvps(event.id))["going"])
        waiting = []
        for user_id in await self.requests.ungrouped(event.id):
            if user_id in going:
                waiting.append(user_id)
            else:
                await self.requests.withdraw(event.id, user_id)
        groups, _ = pair_up(waiting, await self._store.buddies.blocked_pairs(event.guild_id))
        await self.requests.assign(event.id, groups)
        to_introduce = [group for group in await self.requests.groups(event.id) if group.delivered is None]
        alone = await self.requests.take_alone(event.id, now) if item.payload["label"] == LAST_ROUND else []
        return PairingOutcome(event=event, to_introduce=to_introduce, alone=alone)

    async def mark_delivered(self, event: Event, group: CompanionGroup, how: str, thread_id: int | None) -> None:
        await self.requests.mark_delivered(event.id, group.number, how, thread_id)

    async def reschedule(self, event: Event) -> None:
        """After a meetup moves: rounds for the new start, if anyone is still waiting for a group."""
        if not await self.requests.ungrouped(event.id):
            return
        now = self._clock.now()
        await self._store.due_work.schedule_many(
            [(COMPANIONS_KIND, {"event_id": event.id, "label": label, "start": event.start_at.isoformat()}, due,
              round_key(event.id, label, event.start_at)) for label, due in round_times(event.start_at, now)], now=now)

    async def schedule_notes(self, event: Event, user_ids: list[int], what: str) -> None:
        """One DM row per member (`what`: "alone" or "intro-<group>"), due now; never twice."""
        now = self._clock.now()
        await self._store.due_work.schedule_many(
            [(NOTE_KIND, {"event_id": event.id, "user_id": user_id, "what": what}, now,
              f"event-companions-note:{event.id}:{user_id}:{what}") for user_id in user_ids], now=now)

    async def note(self, item: DueItem) -> tuple[Event, int, CompanionGroup | None] | None:
        """What a note row should say now: the meetup, the member, and their group (None: they're alone).
        None when it no longer makes sense (cancelled, started, or they withdrew)."""
        event = await self._store.events.get(int(item.payload["event_id"]))
        user_id = int(item.payload["user_id"])
        if event is None or event.status != "scheduled" or event.start_at <= self._clock.now():
            return None
        group = await self.requests.group_of(event.id, user_id)
        if str(item.payload["what"]) == "alone":
            return (event, user_id, None) if group is None and await self.has_requested(event.id, user_id) else None
        return (event, user_id, group) if group is not None else None

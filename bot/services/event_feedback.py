"""After an in-person meetup: ask those who went how it was and whether they met someone new; count it."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.errors import InvalidInput
from bot.domain.event_feedback import (
    ASK_AFTER_END,
    HOW_ANSWERS,
    MET_ANSWERS,
    TOO_LATE_AFTER_END,
    FeedbackFigures,
    ask_key,
    feedback_key,
    figures,
)
from bot.domain.quiet_hours import QuietHours
from bot.store import DueItem, Store
from bot.store.events import Event

FEEDBACK_KIND = "event.feedback"  # one per meetup, at its end + 1 h: fans out to the members who went
ASK_KIND = "event.feedback.ask"  # one per member: the DM, outside their quiet hours


class FeedbackService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self.answers = store.feedback

    async def schedule(self, event: Event) -> None:
        """Idempotent: called whenever someone says Going, and again when the meetup moves."""
        if event.mode != "in_person" or event.status != "scheduled":
            return
        await self._store.due_work.schedule(FEEDBACK_KIND, {"event_id": event.id, "end": event.end_at.isoformat()},
                                            event.end_at + ASK_AFTER_END, feedback_key(event.id, event.end_at),
                                            now=self._clock.now())

    async def _still_relevant(self, event_id: int) -> Event | None:
        event = await self._store.events.get(event_id)
        now = self._clock.now()
        if event is None or event.status != "scheduled" or event.mode != "in_person":
            return None
        if not event.end_at <= now < event.end_at + TOO_LATE_AFTER_END:
            return None
        return event

    async def fan_out(self, item: DueItem) -> int:
        """Due work: one question row per member who was going, outside their quiet hours. Returns how many."""
        event = await self._still_relevant(int(item.payload["event_id"]))
        if event is None or event.end_at.isoformat() != item.payload["end"]:
            return 0  # cancelled, moved (the new end has its own row), or long past
        now = self._clock.now()
        rows = []
        for user_id in (await self._store.events.rsvps(event.id))["going"]:
            rows.append((ASK_KIND, {"event_id": event.id, "user_id": user_id}, await self._when(user_id, now),
                         ask_key(event.id, user_id)))
        return await self._store.due_work.schedule_many(rows, now=now)

    async def _when(self, user_id: int, now: datetime) -> datetime:
        member = await self._store.members.get(user_id)
        if member.timezone and member.quiet_start is not None and member.quiet_end is not None \
                and member.quiet_start != member.quiet_end:
            return QuietHours(member.quiet_start, member.quiet_end).next_allowed(now, ZoneInfo(member.timezone))
        return now

    async def decide_ask(self, item: DueItem) -> Event | None:
        """The meetup to ask this member about now, or None (cancelled, long past, or already answered)."""
        event = await self._still_relevant(int(item.payload["event_id"]))
        user_id = int(item.payload["user_id"])
        if event is None or user_id not in (await self._store.events.rsvps(event.id))["going"]:
            return None
        if await self.answers.get(event.id, user_id) is not None:
            return None
        return event

    async def record(self, event_id: int, user_id: int, question: str, answer: str) -> Event:
        event = await self._store.events.get(event_id)
        if event is None:
            raise InvalidInput("That meetup no longer exists, so there's nothing to answer.")
        if event.start_at > self._clock.now():
            raise InvalidInput("That meetup hasn't happened yet. Ask me again after it!")
        if user_id not in (await self._store.events.rsvps(event.id))["going"]:
            raise InvalidInput("Only people who were going to this meetup can answer.")
        if question == "how" and answer in HOW_ANSWERS:
            await self.answers.record(event.id, user_id, self._clock.now(), how=answer)
        elif question == "met" and answer in MET_ANSWERS:
            await self.answers.record(event.id, user_id, self._clock.now(), met_new=MET_ANSWERS[answer])
        else:
            raise InvalidInput("I didn't understand that answer. Tap one of the buttons.")
        return event

    async def stats(self, guild_id: int, days: int) -> FeedbackFigures:
        now = self._clock.now()
        return figures(await self.answers.counts(guild_id, now - timedelta(days=days), now))

    async def met_someone_new(self, guild_id: int, days: int) -> int:
        """Members who said they met someone new at an in-person meetup that ended in the last `days` days
        (for other features, such as nudges; a count only, never who)."""
        now = self._clock.now()
        return await self.answers.met_someone_new(guild_id, now - timedelta(days=days), now)

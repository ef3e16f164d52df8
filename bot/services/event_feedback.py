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
    FeedbackAsk,
    FeedbackFanOut,
    FeedbackFigures,
    figures,
)
from bot.domain.events import Event
from bot.domain.quiet_hours import QuietHours
from bot.domain.work import Planned
from bot.i18n import _
from bot.store import Repositories, Store

FEEDBACK_KIND = FeedbackFanOut.KIND  # one per meetup, at its end + 1 h: fans out to the members who went
ASK_KIND = FeedbackAsk.KIND  # one per member: the DM, outside their quiet hours


class FeedbackService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self.answers = store.feedback

    async def schedule_in(self, tx: Repositories, event: Event) -> None:
        """Idempotent: planned whenever someone says Going, and again when the meetup moves."""
        if event.mode != "in_person" or event.status != "scheduled":
            return
        await tx.due_work.plan([Planned(FeedbackFanOut(event.id, event.end_at), event.end_at + ASK_AFTER_END)],
                               now=self._clock.now())

    async def move_in(self, tx: Repositories, before: Event, after: Event, *, anyone_going: bool) -> None:
        """The meetup's end moved: the old end's row goes, and one for the new end comes if anyone is going."""
        await tx.due_work.cancel_many([FeedbackFanOut(before.id, before.end_at).key()])
        if anyone_going:
            await self.schedule_in(tx, after)

    async def _still_relevant(self, tx: Repositories, event_id: int) -> Event | None:
        event = await tx.events.get(event_id)
        now = self._clock.now()
        if event is None or event.status != "scheduled" or event.mode != "in_person":
            return None
        if not event.end_at <= now < event.end_at + TOO_LATE_AFTER_END:
            return None
        return event

    async def fan_out(self, work: FeedbackFanOut) -> int:
        """Due work: one question row per member who was going, outside their quiet hours. Returns how many."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            event = await self._still_relevant(tx, work.event_id)
            if event is None or event.end_at != work.end:
                return 0  # cancelled, moved (the new end has its own row), or long past
            planned = [Planned(FeedbackAsk(event.id, user_id), await self._when(tx, user_id, now))
                       for user_id in (await tx.events.rsvps(event.id))["going"]]
            return await tx.due_work.plan(planned, now=now)

    async def _when(self, tx: Repositories, user_id: int, now: datetime) -> datetime:
        member = await tx.members.get(user_id)
        if member.timezone and member.quiet_start is not None and member.quiet_end is not None \
                and member.quiet_start != member.quiet_end:
            return QuietHours(member.quiet_start, member.quiet_end).next_allowed(now, ZoneInfo(member.timezone))
        return now

    async def decide_ask(self, work: FeedbackAsk) -> Event | None:
        """The meetup to ask this member about now, or None (cancelled, long past, or already answered)."""
        async with self._store.reading() as reads:
            event = await self._still_relevant(reads, work.event_id)
            if event is None or work.user_id not in (await reads.events.rsvps(event.id))["going"]:
                return None
            if await reads.feedback.get(event.id, work.user_id) is not None:
                return None
        return event

    async def record(self, event_id: int, user_id: int, question: str, answer: str) -> Event:
        if not ((question == "how" and answer in HOW_ANSWERS) or (question == "met" and answer in MET_ANSWERS)):
            raise InvalidInput(_("I didn't understand that answer. Tap one of the buttons."))
        now = self._clock.now()
        async with self._store.transaction() as tx:
            event = await tx.events.get(event_id)
            if event is None:
                raise InvalidInput(_("That meetup no longer exists, so there's nothing to answer."))
            if event.start_at > now:
                raise InvalidInput(_("That meetup hasn't happened yet. Ask me again after it!"))
            if user_id not in (await tx.events.rsvps(event.id))["going"]:
                raise InvalidInput(_("Only people who were going to this meetup can answer."))
            if question == "how":
                await tx.feedback.record(event.id, user_id, now, how=answer)
            else:
                await tx.feedback.record(event.id, user_id, now, met_new=MET_ANSWERS[answer])
        return event

    async def stats(self, guild_id: int, days: int) -> FeedbackFigures:
        now = self._clock.now()
        return figures(await self.answers.counts(guild_id, now - timedelta(days=days), now))

    async def met_someone_new(self, guild_id: int, days: int) -> int:
        """Members who said they met someone new at an in-person meetup that ended in the last `days` days
        (for other features, such as nudges; a count only, never who)."""
        now = self._clock.now()
        return await self.answers.met_someone_new(guild_id, now - timedelta(days=days), now)

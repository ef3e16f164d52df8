"""Waitlist offers: a freed place held for the next member waiting, taken or passed by DM, or passed on at the
deadline (bot/domain/event_waitlist.py says how long).

Every step is one transaction: the offer's answer, the next offer it makes (its DM and its deadline are due
work planned with it), a taker's reminders. The cog refreshes the announcement after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from bot.domain.errors import InvalidInput
from bot.domain.event_waitlist import OfferExpiry, WaitlistOffer, moved_deadline, offer_deadline
from bot.domain.events import Event, RsvpChange
from bot.domain.notices import NoticeText, notice_text
from bot.domain.text import plain
from bot.domain.work import Planned
from bot.i18n import N_, _
from bot.services.event_feedback import FeedbackService
from bot.services.event_reminders import EventReminderService
from bot.services.notices import NoticeService
from bot.store import Repositories, Store


@dataclass(frozen=True)
class OfferAnswered:
    """A Take, a Pass or a deadline that changed something: what the announcement needs, without a second read."""

    event: Event
    answers: dict[str, list[int]]


def _when(moment: datetime) -> str:
    # Discord renders it in each reader's own zone (the default long date and short time).
    return f"<t:{int(moment.timestamp())}>"


def promoted_text(event: Event) -> NoticeText:
    """A place given outright: the meetup is too close for an offer with a deadline. Rendered for each member in
    their own language when their DM is sent."""
    return notice_text(N_("Good news: a place opened up for **{title}** on {when}, and it's yours. You're going! If "
                          "you can't make it after all, tap “Can't go” on the announcement."),
                       title=plain(event.title), when=_when(event.start_at))


def missed_text(event: Event) -> NoticeText:
    return notice_text(N_("The place at **{title}** on {when} has gone to the next person waiting: the time to take "
                          "it ran out. No worries, and you're off the waitlist for it now. If you'd still like to go, "
                          "tap “Going” on the announcement and you'll join the waitlist again."),
                       title=plain(event.title), when=_when(event.start_at))


class WaitlistService:
    def __init__(self, store: Store, clock: Clock, *, notices: NoticeService, reminders: EventReminderService,
                 feedback: FeedbackService) -> None:
        self._store = store
        self._clock = clock
        self._notices = notices
        self._reminders = reminders
        self._feedback = feedback

    def deadline(self, event: Event) -> datetime | None:
        """Until when a place freed now is held (None: too close to the start, so given outright)."""
        return offer_deadline(self._clock.now(), event.start_at)

    async def offer_in(self, tx: Repositories, event: Event, change: RsvpChange) -> None:
        """For each member a place was just offered to: the DM (now) and the deadline (due work), in bulk."""
        if not change.offered or change.offer_until is None:
            return
        await self._plan_offers(tx, event, change.offered, change.offer_until)

    async def _plan_offers(self, tx: Repositories, event: Event, user_ids: list[int], ends: datetime) -> None:
        now = self._clock.now()
        await tx.due_work.plan([Planned(WaitlistOffer(event_id=event.id, user_id=user_id, expires_at=ends), now)
                                for user_id in user_ids]
                               + [Planned(OfferExpiry(event_id=event.id, user_id=user_id, expires_at=ends,
                                                      guild_id=event.guild_id), ends) for user_id in user_ids],
                               now=now)

    async def settle_in(self, tx: Repositories, event: Event, change: RsvpChange) -> None:
        """Whoever a freed place went to: seated outright (reminders, "it's yours"), or offered it."""
        if change.promoted:
            await self._reminders.schedule_in(tx, event, await tx.events.going_with_choices(event.id,
                                                                                           change.promoted))
            await self._feedback.schedule_in(tx, event)
            await self.tell_promoted_in(tx, event, change.promoted)
        await self.offer_in(tx, event, change)

    async def tell_promoted_in(self, tx: Repositories, event: Event, user_ids: list[int]) -> None:
        # Queued: the member who freed the place gets their answer now, not after a DM to someone else.
        if user_ids:
            await self._notices.queue_in(tx, user_ids, promoted_text(event),
                                         f"event-promoted:{event.id}:{int(self._clock.now().timestamp())}")

    async def move_in(self, tx: Repositories, event: Event) -> None:
        """The meetup moved: open offers keep going, clamped to end an hour before the new start (never with less
        than the minimum window left). A changed deadline gets a fresh DM and due work; the old rows go stale."""
        now = self._clock.now()
        by_end: dict[datetime, list[int]] = {}
        for user_id, current in (await tx.events.open_offers(event.id)).items():
            if current is None:
                continue
            ends = moved_deadline(now, current, event.start_at)
            if ends != current:
                by_end.setdefault(ends, []).append(user_id)
        for ends, user_ids in by_end.items():
            await tx.events.set_offer_ends(event.id, ends, user_ids)
            await self._plan_offers(tx, event, user_ids, ends)

    async def decide_offer(self, work: WaitlistOffer) -> Event | None:
        """The meetup to offer, if that same offer is still open now (not taken, passed, moved or cancelled)."""
        async with self._store.reading() as reads:
            event = await reads.events.get(work.event_id)
            status, ends = await reads.events.offer(work.event_id, work.user_id)
        now = self._clock.now()
        if (event is None or event.status != "scheduled" or event.start_at <= now or status != "offered"
                or ends != work.expires_at or ends <= now):
            return None
        return event

    async def take(self, event_id: int, user_id: int) -> OfferAnswered:
        """"Take the place": going, with reminders as any Going, in one transaction."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            event = await self._open_event(tx, event_id)
            if not await tx.events.take_offer(event_id, user_id, now):
                raise InvalidInput(await self._ended(tx, event, user_id))
            await self._reminders.schedule_in(tx, event, await tx.events.going_with_choices(event.id, [user_id]))
            await self._feedback.schedule_in(tx, event)
            return OfferAnswered(event, await tx.events.rsvps(event_id))

    async def pass_on(self, event_id: int, user_id: int) -> OfferAnswered:
        """"Pass": the member can't go, and the place is offered to the next waiting, in one transaction."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            event = await self._open_event(tx, event_id)
            status, ends = await tx.events.offer(event_id, user_id)
            change = None
            if status == "offered" and ends is not None and ends > now:
                change = await tx.events.release_offer(event_id, user_id, now, expires_at=None, passed=True,
                                                       offer_until=self.deadline(event))
            if change is None:
                raise InvalidInput(await self._ended(tx, event, user_id))
            await self.settle_in(tx, event, change)
            return OfferAnswered(event, await tx.events.rsvps(event_id))

    async def expire(self, work: OfferExpiry) -> OfferAnswered | None:
        """The deadline: if that same offer is still open, the member drops off the waitlist (told kindly) and the
        place goes to the next waiting. Nothing when it was taken, passed, moved or the meetup cancelled or over;
        so running twice changes nothing."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            event = await tx.events.get(work.event_id)
            if event is None or event.status != "scheduled" or event.start_at <= now:
                return None
            change = await tx.events.release_offer(work.event_id, work.user_id, now, expires_at=work.expires_at,
                                                   passed=False, offer_until=self.deadline(event))
            if change is None:
                return None
            await self._notices.queue_in(tx, [work.user_id], missed_text(event),
                                         f"event-missed:{event.id}:{int(work.expires_at.timestamp())}")
            await self.settle_in(tx, event, change)
            return OfferAnswered(event, await tx.events.rsvps(event.id))

    async def _open_event(self, tx: Repositories, event_id: int) -> Event:
        event = await tx.events.get(event_id)
        if event is None:
            raise InvalidInput(_("That meetup no longer exists, so there's no place to take."))
        if event.status == "cancelled":
            raise InvalidInput(_("**{title}** was cancelled, so this offer doesn't stand any more. Sorry!",
                                 title=plain(event.title)))
        if event.start_at <= self._clock.now():
            raise InvalidInput(_("**{title}** has already started, so this offer has ended.",
                                 title=plain(event.title)))
        return event

    async def _ended(self, tx: Repositories, event: Event, user_id: int) -> str:
        """Why an offer can't be answered any more, in one sentence."""
        status, ends = await tx.events.offer(event.id, user_id)
        if status == "going":
            return _("You've already taken this place: you're going. 🎉")
        if status == "offered" and ends is not None:
            return _("The time to take this place ran out at {ends}, so it's going to the next person waiting. If "
                     "you'd still like to go, tap “Going” on the announcement.", ends=_when(ends))
        return _("This offer has already been answered or has ended, so nothing was changed. If you'd like to go, tap "
                 "“Going” on the announcement.")

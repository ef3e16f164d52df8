"""Reminders to members going to a meetup: planned as due work in the use case's own transaction, checked
again when due."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.clock import Clock
from bot.domain.errors import InvalidInput
from bot.domain.event_reminders import CHOICES, OFFSETS, EventReminder, ReminderLabel, reminder_times
from bot.domain.events import Event
from bot.domain.work import Planned
from bot.i18n import _
from bot.store import Repositories, Store

REMINDER_KIND = EventReminder.KIND


@dataclass(frozen=True)
class ReminderToSend:
    event: Event
    user_id: int
    label: ReminderLabel
    others_going: list[str]  # display names, as they answered
    others_count: int


class EventReminderService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    def planned(self, event: Event, choices: Mapping[int, str | None]) -> list[Planned]:
        """The reminders still ahead for each member (`choices`: member id to their reminder choice)."""
        now = self._clock.now()
        return [Planned(EventReminder(event.id, user_id, label, event.start_at), due)
                for user_id, choice in choices.items() for label, due in reminder_times(event.start_at, choice, now)]

    async def schedule_in(self, tx: Repositories, event: Event, choices: Mapping[int, str | None]) -> int:
        """One multi-row insert for everyone in `choices`; those already planned are left as they are."""
        return await tx.due_work.plan(self.planned(event, choices), now=self._clock.now())

    async def cancel_in(self, tx: Repositories, event: Event, user_ids: Iterable[int]) -> int:
        """Remove the open reminders of `event` (at its start as given) for these members, in bulk."""
        return await tx.due_work.cancel_many(EventReminder(event.id, user_id, label, event.start_at).key()
                                             for user_id in user_ids for label in OFFSETS)

    async def set_choice(self, user_id: int, choice: str) -> int:
        """Change when this member is reminded; meetups they're already going to follow. Returns how many."""
        if choice not in CHOICES:
            raise InvalidInput(_("Choose both, a day before, an hour before, or off."))
        now = self._clock.now()
        async with self._store.transaction() as tx:
            await tx.members.update(user_id, now, event_reminders=choice)
            going = await tx.events.going_to(user_id, now)
            await tx.due_work.cancel_many(EventReminder(event.id, user_id, label, event.start_at).key()
                                          for event in going for label in OFFSETS)
            await tx.due_work.plan([planned for event in going for planned in self.planned(event, {user_id: choice})],
                                   now=now)
        return len(going)

    async def decide(self, work: EventReminder) -> ReminderToSend | None:
        """The reminder to send now, or None: the meetup was cancelled, moved or has started, or the member
        is no longer going."""
        now = self._clock.now()
        async with self._store.reading() as reads:
            event = await reads.events.get(work.event_id)
            if event is None or event.status != "scheduled" or event.start_at <= now:
                return None
            if event.start_at != work.start:
                return None  # moved: the reminders for the new time were planned when it moved
            going = (await reads.events.rsvps(event.id))["going"]
            if work.user_id not in going:
                return None
            others = [other for other in going if other != work.user_id]
            names = await reads.events.names(event.id, others[:10])
        return ReminderToSend(event=event, user_id=work.user_id, label=work.label,
                              others_going=[names[other] for other in others[:10] if other in names],
                              others_count=len(others))

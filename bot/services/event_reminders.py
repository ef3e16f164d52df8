"""Reminders to members going to a meetup: scheduled as due work, checked again when due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from bot.domain.errors import InvalidInput
from bot.domain.event_reminders import CHOICES, OFFSETS, reminder_key, reminder_times
from bot.store import DueItem, Store
from bot.store.events import Event

REMINDER_KIND = "event.reminder"


@dataclass(frozen=True)
class ReminderToSend:
    event: Event
    user_id: int
    label: str
    others_going: list[str]  # display names, as they answered
    others_count: int


class EventReminderService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def schedule_for(self, event: Event, user_id: int) -> None:
        choice = (await self._store.members.get(user_id)).event_reminders
        now = self._clock.now()
        rows = [(REMINDER_KIND, {"event_id": event.id, "user_id": user_id, "label": label,
                                 "start": event.start_at.isoformat()}, due,
                 reminder_key(event.id, user_id, label, event.start_at))
                for label, due in reminder_times(event.start_at, choice, now)]
        await self._store.due_work.schedule_many(rows, now=now)

    async def cancel_for(self, event: Event, user_id: int, start: datetime | None = None) -> None:
        for label in OFFSETS:
            await self._store.due_work.cancel(reminder_key(event.id, user_id, label, start or event.start_at))

    async def set_choice(self, user_id: int, choice: str) -> int:
        """Change when this member is reminded; meetups they're already going to follow. Returns how many."""
        if choice not in CHOICES:
            raise InvalidInput("Choose both, a day before, an hour before, or off.")
        await self._store.members.update(user_id, self._clock.now(), event_reminders=choice)
        going = await self._store.events.going_to(user_id, self._clock.now())
        for event in going:
            await self.cancel_for(event, user_id)
            await self.schedule_for(event, user_id)
        return len(going)

    async def decide(self, item: DueItem) -> ReminderToSend | None:
        """The reminder to send now, or None: the meetup was cancelled, moved or has started, or the member
        is no longer going."""
        event = await self._store.events.get(int(item.payload["event_id"]))
        user_id = int(item.payload["user_id"])
        now = self._clock.now()
        if event is None or event.status != "scheduled" or event.start_at <= now:
            return None
        if event.start_at.isoformat() != item.payload["start"]:
            return None  # moved: the reminders for the new time were scheduled when it moved
        going = (await self._store.events.rsvps(event.id))["going"]
        if user_id not in going:
            return None
        others = [other for other in going if other != user_id]
        names = await self._store.events.names(event.id, others[:10])
        return ReminderToSend(event=event, user_id=user_id, label=str(item.payload["label"]),
                              others_going=[names[other] for other in others[:10] if other in names],
                              others_count=len(others))

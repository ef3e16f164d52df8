"""“I'm here”: members going to an in-person meetup say they arrived, by button or with the organiser's code.

Attendance (event_rsvps.arrived_at, set once) is what `/event-admin stats` and the pulse count besides the
answers. The window and refusals are `bot.domain.meetup_controls`.
"""

from __future__ import annotations

from enum import Enum

from bot.clock import Clock
from bot.domain.errors import InvalidInput
from bot.domain.events import Event
from bot.domain.meetup_controls import check_arrival_time, new_code, normalise_code
from bot.i18n import _
from bot.store import Repositories, Store

CODE_TRIES = 5  # a fresh code that another meetup here still uses is drawn again


class Arrival(Enum):
    MARKED = "marked"
    ALREADY = "already"


class AttendanceService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def arrive(self, event_id: int, user_id: int) -> tuple[Event, Arrival]:
        """The "I'm here" button: one transaction, the window and the answer checked inside it."""
        async with self._store.transaction() as tx:
            event = await tx.events.get(event_id)
            if event is None:
                raise InvalidInput(_("That meetup no longer exists."))
            return event, await self._arrive_in(tx, event, user_id)

    async def arrive_by_code(self, guild_id: int, user_id: int, typed: str) -> tuple[Event, Arrival]:
        """`/event here code:`: the meetup whose code this is (here, not ended), then as the button."""
        code = normalise_code(typed)
        now = self._clock.now()
        async with self._store.transaction() as tx:
            found = await tx.events.with_code(guild_id, code, now) if code else []
            if not found:
                raise InvalidInput(_("That code doesn't match a meetup here. Check it with the organiser (it's "
                                     "letters and numbers, such as “K7QX2M”)."))
            return found[0], await self._arrive_in(tx, found[0], user_id)

    async def _arrive_in(self, tx: Repositories, event: Event, user_id: int) -> Arrival:
        check_arrival_time(event, self._clock.now())
        answer = await tx.events.answer_of(event.id, user_id)
        if answer is None or answer[0] != "going":
            raise InvalidInput(_("“I'm here” is for people going to this meetup, and you haven't said you're "
                                 "going."))
        if answer[1] is not None:
            return Arrival.ALREADY
        await tx.events.mark_arrived(event.id, user_id, self._clock.now())
        return Arrival.MARKED

    async def code(self, event_id: int, guild_id: int) -> Event:
        """The organiser's code for a meetup in person: made once, the same every time after."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            event = await tx.events.get(event_id)
            if event is None or event.guild_id != guild_id:
                raise InvalidInput(_("I can't find that meetup here. Pick one from the list as you type."))
            if event.mode != "in_person":
                raise InvalidInput(_("Arrival codes are for meetups in person; this one is online."))
            if event.status == "cancelled":
                raise InvalidInput(_("That meetup was cancelled."))
            if event.arrival_code is not None:
                return event
            for _try in range(CODE_TRIES):
                code = new_code()
                if not await tx.events.with_code(guild_id, code, now):
                    break
            return await tx.events.update(event.id, now, arrival_code=code)

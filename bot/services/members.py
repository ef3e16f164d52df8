"""A member's own preferences."""

from __future__ import annotations

from datetime import time

from bot.clock import Clock
from bot.domain.errors import InvalidInput
from bot.domain.quiet_hours import QuietHours
from bot.domain.timezones import resolve_zone
from bot.store import MemberSettings, Store


class MemberSettingsService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def get(self, user_id: int) -> MemberSettings:
        return await self._store.members.get(user_id)

    async def set_timezone(self, user_id: int, typed: str) -> MemberSettings:
        return await self._store.members.update(user_id, self._clock.now(), timezone=resolve_zone(typed))

    async def set_quiet_hours(self, user_id: int, start: str | None, end: str | None) -> MemberSettings:
        """Both given: set them. Neither: turn quiet hours off. One alone: a clear error."""
        if start is None and end is None:
            return await self._store.members.update(user_id, self._clock.now(), quiet_start=None, quiet_end=None)
        if start is None or end is None:
            raise InvalidInput("Give both a start and an end, such as start 22:00 and end 07:00 "
                               "(or neither, to turn quiet hours off).")
        hours = QuietHours.parse(start, end)
        return await self._store.members.update(user_id, self._clock.now(), quiet_start=hours.start,
                                                quiet_end=hours.end)

    async def set_dms(self, user_id: int, enabled: bool) -> MemberSettings:
        # Turning DMs back on is the member telling us they opened them again: forget the refusal.
        return await self._store.members.update(user_id, self._clock.now(), dms_enabled=enabled,
                                                dms_closed_at=None, dms_closed_notified_at=None)

    async def take_dm_notice(self, user_id: int) -> bool:
        return await self._store.members.claim_dm_notice(user_id, self._clock.now())


DMS_CLOSED_NOTICE = (
    "Heads up: Discord wouldn't let me send you a direct message, so I've stopped trying (check-in reminders "
    "are paused). To get them again, allow direct messages from this server's members (server menu → Privacy "
    "Settings), then run `/settings dms on` and `/mood reminders`."
)


def quiet_hours_of(settings: MemberSettings) -> QuietHours | None:
    if settings.quiet_start is None or settings.quiet_end is None:
        return None
    return QuietHours(settings.quiet_start, settings.quiet_end)


def describe_quiet_hours(start: time | None, end: time | None) -> str:
    if start is None or end is None:
        return "off"
    return QuietHours(start, end).describe()

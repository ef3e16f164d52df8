"""A member's own preferences, and what Hearth remembers about reaching them by DM."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.clock import Clock
from bot.domain.errors import InvalidInput
from bot.domain.members import MemberSettings
from bot.domain.quiet_hours import QuietHours
from bot.domain.timezones import resolve_zone
from bot.i18n import N_, _, p_
from bot.store import Repositories, Store

# How stale this process's view of other processes' DM refusals may get (the due-work sweep interval).
NOTICE_REFRESH = timedelta(seconds=15)


class MemberSettingsService:
    """Settings use cases, one statement each. Also the one place a DM refusal is recorded.

    The "your DMs were closed" notice is checked after every command, so it must cost nothing when there is
    nothing to tell: members with a notice waiting are kept in memory (`_pending`), filled when this process
    records a refusal and topped up from the store at most every `notice_refresh` (refusals recorded by
    other processes). Only a member in that set costs a claim; a stale entry (told by another process,
    or DMs turned back on) costs one claim that finds nothing, and is dropped.
    """

    def __init__(self, store: Store, clock: Clock, *, notice_refresh: timedelta = NOTICE_REFRESH) -> None:
        self._store = store
        self._clock = clock
        self._notice_refresh = notice_refresh
        self._pending: set[int] = set()
        self._refreshed_at: datetime | None = None

    async def get(self, user_id: int) -> MemberSettings:
        return await self._store.members.get(user_id)

    async def set_timezone(self, user_id: int, typed: str) -> MemberSettings:
        return await self._store.members.update(user_id, self._clock.now(), timezone=resolve_zone(typed))

    async def set_quiet_hours(self, user_id: int, start: str | None, end: str | None) -> MemberSettings:
        """Both given: set them. Neither: turn quiet hours off. One alone: a clear error."""
        if start is None and end is None:
            return await self._store.members.update(user_id, self._clock.now(), quiet_start=None, quiet_end=None)
        if start is None or end is None:
            # i18n: /settings quiet-hours with only one of its two options
            raise InvalidInput(_("Give both a start and an end, such as start 22:00 and end 07:00 "
                                 "(or neither, to turn quiet hours off)."))
        hours = QuietHours.parse(start, end)
        return await self._store.members.update(user_id, self._clock.now(), quiet_start=hours.start,
                                                quiet_end=hours.end)

    async def set_dms(self, user_id: int, enabled: bool) -> MemberSettings:
        # Turning DMs back on is the member telling us they opened them again: forget the refusal.
        self._pending.discard(user_id)
        return await self._store.members.update(user_id, self._clock.now(), dms_enabled=enabled,
                                                dms_closed_at=None, dms_closed_notified_at=None)

    async def remember_dm_channel(self, user_id: int, channel_id: int) -> None:
        await self._store.members.update(user_id, self._clock.now(), dm_channel_id=channel_id)

    async def dms_refused(self, user_id: int) -> None:
        """Discord would not deliver a DM: stop trying, and tell the member on their next command."""
        await self.dms_refused_in(self._store, user_id)

    async def dms_refused_in(self, tx: Repositories, user_id: int) -> None:
        now = self._clock.now()
        await tx.members.update(user_id, now, dms_closed_at=now, dms_closed_notified_at=None)
        # Before the commit: if it rolls back, the entry is stale and costs one empty claim.
        self._pending.add(user_id)

    async def take_dm_notice(self, user_id: int) -> bool:
        """True once after a refusal: the caller tells the member, and they are not told twice."""
        now = self._clock.now()
        if self._refreshed_at is None or now - self._refreshed_at >= self._notice_refresh:
            await self.refresh_dm_notices()
        if user_id not in self._pending:
            return False
        self._pending.discard(user_id)
        return await self._store.members.claim_dm_notice(user_id, now)

    async def refresh_dm_notices(self) -> None:
        """Learn the refusals other processes recorded. Adds only: claims remove, so nothing is lost to a race."""
        self._refreshed_at = self._clock.now()
        self._pending.update(await self._store.members.pending_dm_notices())


# i18n: told once, after a member's next command, when Discord refused a DM to them. Show it with `_()`
DMS_CLOSED_NOTICE = N_(
    "Heads up: Discord wouldn't let me send you a direct message, so I've stopped trying (check-in reminders "
    "are paused). To get them again, allow direct messages from this server's members (server menu → Privacy "
    "Settings), then run `/settings dms on` and `/mood reminders`."
)


def describe_quiet_hours(start: time | None, end: time | None) -> str:
    if start is None or end is None:
        # i18n: the quiet hours setting when there are none
        return p_("setting value", "off")
    return QuietHours(start, end).describe()

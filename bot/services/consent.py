"""Consent: has a member agreed to the current privacy notice, and recording that they did."""

from __future__ import annotations

from bot.clock import Clock
from bot.domain.consent import NOTICE_VERSION, Consent, ConsentRequired
from bot.domain.members import MemberSettings
from bot.store import Repositories, Store


class ConsentService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def of(self, user_id: int) -> Consent:
        settings = await self._store.members.get(user_id)
        return Consent(settings.consent_version, settings.consent_at)

    async def agree(self, user_id: int) -> MemberSettings:
        """Record agreement to the current notice, with its time and version."""
        now = self._clock.now()
        return await self._store.members.update(user_id, now, consent_version=NOTICE_VERSION, consent_at=now)


async def require_consent(repos: Repositories, user_id: int) -> None:
    """Inside a use case's transaction, before it stores a member's data: refuse without current consent."""
    check_consent(await repos.members.get(user_id))


def check_consent(settings: MemberSettings) -> None:
    """The same check on settings the use case has read already (in its transaction): no second query."""
    if not Consent(settings.consent_version).current:
        raise ConsentRequired(settings.user_id)

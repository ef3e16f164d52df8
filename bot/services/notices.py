"""One-off DMs that must arrive (a cancelled meetup, a waitlist place): queued as due work, sent by the fan-out."""

from __future__ import annotations

from collections.abc import Iterable

from bot.clock import Clock
from bot.domain.notices import DmNotice, NoticeText
from bot.domain.work import Planned
from bot.store import Repositories, Store

NOTICE_KIND = DmNotice.KIND


class NoticeService:
    """Queue a message for members now; the due-work sweep sends it within the global rate, retries on
    Discord's 429 and 5xx answers, and never repeats it after a crash. The interaction that caused it
    answers at once instead of waiting on one DM per member.

    `text` is either ready-made (in the voice speaking now) or a `NoticeText` (`notice_text(N_("…"), …)`): then each
    member reads it in their own language."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def queue(self, user_ids: Iterable[int], text: str | NoticeText, key: str) -> int:
        """`key` names the occasion (e.g. `event-cancelled:42`); each member gets it at most once. Returns
        how many were queued."""
        return await self.queue_in(self._store, user_ids, text, key)

    async def queue_in(self, tx: Repositories, user_ids: Iterable[int], text: str | NoticeText, key: str) -> int:
        """As `queue`, inside the caller's unit of work: the notice commits (or not) with the change it tells of."""
        now = self._clock.now()
        words = text if isinstance(text, NoticeText) else NoticeText("")
        rendered = text.render() if isinstance(text, NoticeText) else text
        return await tx.due_work.plan((Planned(DmNotice(occasion=key, user_id=user_id, text=rendered,
                                                        message=words.message, params=words.params), now)
                                       for user_id in dict.fromkeys(user_ids)), now=now)

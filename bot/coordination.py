"""This process among others on one database: which one does the work that belongs to no shard.

Hourly maintenance (purging finished due work, clearing check-in notes past retention) must run in one
process at a time, and go on when that process dies. One lease, "maintenance", decides: its holder renews it
with every heartbeat and runs the jobs; when it stops (cleanly it hands the lease back; killed, the lease
expires) the next process to look takes it over. With SQLite there is one process, and it always holds it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from bot.clock import Clock
from bot.store import Store

log = logging.getLogger(__name__)

MAINTENANCE = "maintenance"


class Coordination:
    def __init__(self, store: Store, clock: Clock, *, owner: str, ttl: timedelta) -> None:
        self._store = store
        self._clock = clock
        self.owner = owner
        self.ttl = ttl
        self.leading = False
        self._asked = False  # whether this process ever asked for a lease (and so may hold one)

    async def lead(self) -> bool:
        """Take or renew the maintenance lease. True while this process holds it."""
        was = self.leading
        self._asked = True
        self.leading = await self._store.leases.take(MAINTENANCE, self.owner, self._clock.now(), self.ttl)
        if self.leading and not was:
            log.info("this process runs the hourly maintenance (lease %r)", MAINTENANCE)
        elif was and not self.leading:
            log.info("another process took over the hourly maintenance")
        return self.leading

    def singleton(self, name: str, job: Callable[[], Awaitable[Any]]) -> Callable[[], Awaitable[Any]]:
        """`job`, run only while this process holds the maintenance lease (else skipped until its next turn)."""
        async def only_in_the_leader() -> Any:
            if not await self.lead():
                log.debug("%s skipped: another process holds the maintenance lease", name)
                return None
            return await job()
        return only_in_the_leader

    async def release(self) -> None:
        """At shutdown: hand every lease back, so another process takes over at once rather than after expiry."""
        if not self._asked:
            return
        released = await self._store.leases.release(self.owner)
        self.leading = False
        if released:
            log.info("handed back %d lease(s)", released)

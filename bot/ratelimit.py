"""One process-wide pace for Discord requests that fan out to many members (DMs, reminders, nudges)."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable

# A second as we count it, a little longer than Discord's: a request granted at the edge of a window reaches
# the network a moment later than the one granted a second before it (measured: 51 in some second without).
WINDOW = 1.01


class GlobalRateLimiter:
    """At most `rate` requests in any one-second window, Discord's global limit, and never a wait below it.

    A sliding log of the last `rate` slots: a small fan-out (a handful of reminders) goes at once, a large
    one settles at exactly `rate` a second. Each `acquire` reserves its slot before it awaits, so
    concurrent senders queue in arrival order without a lock. `pause` holds every sender back after
    Discord answers 429.

    `monotonic` and `sleep` are passed in so the pace can be tested without real waiting.
    """

    def __init__(self, rate: int, *, monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep) -> None:
        if rate < 1:
            raise ValueError("rate must be at least one request a second")
        self.rate = rate
        self._slots: deque[float] = deque(maxlen=rate)  # reserved, so concurrent senders queue in order
        self._granted: deque[float] = deque(maxlen=rate)  # when the last `rate` requests really went
        self._paused_until = 0.0
        self._monotonic = monotonic
        self._sleep = sleep
        self.waited_seconds = 0.0  # total time senders were held back, for the benchmark and logs
        self.acquired = 0

    def reserve(self) -> float:
        """Take the next free slot; how many seconds to wait before using it."""
        now = self._monotonic()
        slot = max(now, self._paused_until)
        if len(self._slots) == self.rate:
            slot = max(slot, self._slots[0] + WINDOW)  # the request `rate` back must be a second old
        self._slots.append(slot)
        self.acquired += 1
        return slot - now

    async def acquire(self) -> None:
        wait = self.reserve()
        if wait > 1e-6:
            await self._wait(wait)
        # A sender that woke late holds an early slot, so the slots alone could let `rate` + a few through in
        # some second. The last `rate` grants, as they happened, are the guarantee.
        while True:
            now = self._monotonic()
            ready = self._paused_until
            if len(self._granted) == self.rate:
                ready = max(ready, self._granted[0] + WINDOW)
            if now >= ready:
                break
            await self._wait(ready - now)
        self._granted.append(now)

    async def _wait(self, seconds: float) -> None:
        self.waited_seconds += seconds
        await self._sleep(seconds)

    def pause(self, seconds: float) -> None:
        """Discord said slow down: nothing new starts for `seconds`."""
        self._paused_until = max(self._paused_until, self._monotonic() + max(0.0, seconds))

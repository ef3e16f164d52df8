"""One process-wide pace for Discord requests that fan out to many members (DMs, reminders, nudges)."""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from bot.store import Grant

log = logging.getLogger(__name__)

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

    def __init__(self, rate: int, *, observer: RequestObserver | None = None,
                 monotonic: Callable[[], float] = time.monotonic,
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
        self._observer = observer
        self._pausing: set[asyncio.Task[Any]] = set()

    def reserve(self) -> float:
        """Take the next free slot; how many seconds to wait before using it."""
        now = self._monotonic()
        slot = max(now, self._paused_until)
        if len(self._slots) == self.rate:
            slot = max(slot, self._slots[0] + WINDOW)  # the request `rate` back must be a second old
        self._slots.append(slot)
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
        self._sent()

    def _sent(self) -> None:
        self.acquired += 1
        if self._observer is not None:
            self._observer.request_sent()

    async def _wait(self, seconds: float) -> None:
        self.waited_seconds += seconds
        await self._sleep(seconds)

    def pause(self, seconds: float) -> None:
        """Discord said slow down: nothing new starts for `seconds`."""
        self._paused_until = max(self._paused_until, self._monotonic() + max(0.0, seconds))
        if self._observer is not None:
            self._observer.rate_limited(seconds)


class RequestObserver(Protocol):
    """What counts the requests paced here and Discord's 429s (bot.observability.metrics.Metrics)."""

    def request_sent(self) -> None: ...

    def rate_limited(self, retry_after: float) -> None: ...


class RateBudget(Protocol):
    """One token bucket every process draws from (bot.store.coordination.RateBudgetStore)."""

    async def take(self, name: str, want: int, *, rate: float, burst: float) -> Grant: ...

    async def pause(self, name: str, seconds: float) -> None: ...


# The shared bucket refills at this share of the limit, holds `BURST_SHARE` of it, and a process spends a grant
# within `TOKEN_LIFE` seconds or lets it go. Requests reaching Discord in any second were then granted within
# 1 + TOKEN_LIFE seconds, so they number at most BURST + REFILL·(1 + TOKEN_LIFE) = (0.05 + 0.85·1.1)·limit ≈
# 0.99·limit, however many processes draw, while one busy process still gets 85% of the limit.
REFILL_SHARE = 0.85
BURST_SHARE = 0.05
TOKEN_LIFE = 0.1


class SharedRateLimiter(GlobalRateLimiter):
    """Discord's global limit is per bot, not per process: every request takes a token from the shared budget.

    A process asks for as many tokens as it has requests waiting, or as it spent in the last `TOKEN_LIFE` if more
    (a busy process keeps asking for its pace, one round trip a tenth of a second, not one per few requests),
    never more than the bucket holds, and lets a grant it could not spend within `TOKEN_LIFE` lapse. A 429 pauses
    every process.
    """

    def __init__(self, rate: int, budget: RateBudget, *, name: str = "discord",
                 observer: RequestObserver | None = None, monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep) -> None:
        super().__init__(rate, observer=observer, monotonic=monotonic, sleep=sleep)
        self._budget = budget
        self.name = name
        self.refill = rate * REFILL_SHARE
        self.burst = max(1.0, rate * BURST_SHARE)
        self._tokens = 0
        self._granted_at = 0.0
        self._waiting = 0
        self._recent: deque[float] = deque()  # when this process's last requests went, within TOKEN_LIFE
        self._asking = asyncio.Lock()  # one round trip at a time; the others wait for its grant
        self.round_trips = 0

    async def acquire(self) -> None:
        self._waiting += 1
        try:
            while True:
                await self._wait_out_pause()
                if self._tokens and self._monotonic() - self._granted_at <= TOKEN_LIFE:
                    self._tokens -= 1
                    break
                async with self._asking:
                    if self._tokens and self._monotonic() - self._granted_at <= TOKEN_LIFE:
                        continue  # another waiter's round trip brought tokens
                    want = max(1, min(max(self._waiting, self._spent_lately()), math.ceil(self.burst)))
                    grant = await self._budget.take(self.name, want, rate=self.refill, burst=self.burst)
                    self.round_trips += 1
                    self._tokens, self._granted_at = grant.tokens, self._monotonic()
                    if not grant.tokens:
                        await self._wait(max(grant.wait_seconds, 0.001))
        finally:
            self._waiting -= 1
        self._recent.append(self._monotonic())
        self._sent()

    def _spent_lately(self) -> int:
        horizon = self._monotonic() - TOKEN_LIFE
        while self._recent and self._recent[0] < horizon:
            self._recent.popleft()
        return len(self._recent)

    def pause(self, seconds: float) -> None:
        super().pause(seconds)
        self._tokens = 0
        task = asyncio.get_running_loop().create_task(self._budget.pause(self.name, seconds))
        self._pausing.add(task)
        task.add_done_callback(self._pausing.discard)

    async def _wait_out_pause(self) -> None:
        now = self._monotonic()
        if self._paused_until > now:
            await self._wait(self._paused_until - now)

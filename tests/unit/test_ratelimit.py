"""The global pace, on a fake clock: bursts, the steady rate, and pauses after a 429."""

from __future__ import annotations

import pytest

from bot.ratelimit import WINDOW, GlobalRateLimiter


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def limiter(rate: float) -> tuple[GlobalRateLimiter, FakeTime]:
    fake = FakeTime()
    return GlobalRateLimiter(rate, monotonic=fake.monotonic, sleep=fake.sleep), fake


async def test_a_burst_of_one_seconds_worth_goes_without_waiting() -> None:
    pace, fake = limiter(50)
    for _ in range(50):
        await pace.acquire()
    assert fake.slept == []
    await pace.acquire()
    assert fake.slept == [pytest.approx(WINDOW)]  # the 51st waits until the first is a second old


async def test_the_steady_rate_never_exceeds_the_limit_in_any_second() -> None:
    pace, fake = limiter(50)
    times = []
    for _ in range(1000):
        await pace.acquire()
        times.append(fake.now)
    right = 0
    for left, start in enumerate(times):  # every sliding one-second window
        while right < len(times) and times[right] < start + 1.0 - 1e-9:
            right += 1
        assert right - left <= 50
    assert times[-1] - times[0] == pytest.approx((1000 / 50 - 1) * WINDOW, rel=0.01)


async def test_idle_time_does_not_bank_more_than_one_burst() -> None:
    pace, fake = limiter(10)
    fake.now += 3600
    for _ in range(10):
        await pace.acquire()
    assert fake.slept == []
    await pace.acquire()
    assert fake.slept == [pytest.approx(WINDOW)]


async def test_pause_holds_everyone_back_then_resumes_at_the_plain_rate() -> None:
    pace, fake = limiter(10)
    pace.pause(2.0)
    await pace.acquire()
    assert fake.slept == [pytest.approx(2.0)]
    for _ in range(9):
        await pace.acquire()
    assert len(fake.slept) == 1  # then a normal second's worth


async def test_concurrent_senders_are_served_in_arrival_order() -> None:
    pace, _ = limiter(5)
    for _ in range(5):
        pace.reserve()
    waits = [pace.reserve() for _ in range(6)]
    assert waits == [pytest.approx(WINDOW)] * 5 + [pytest.approx(2 * WINDOW)]


def test_rate_must_be_positive() -> None:
    with pytest.raises(ValueError):
        GlobalRateLimiter(0)


async def test_a_sender_that_wakes_late_cannot_push_a_second_past_the_limit() -> None:
    fake = FakeTime()
    late = {"first": True}

    async def oversleep(seconds: float) -> None:
        fake.slept.append(seconds)
        fake.now += seconds + (0.5 if late.pop("first", False) else 0.0)  # the first sleeper wakes 0.5 s late

    pace = GlobalRateLimiter(2, monotonic=fake.monotonic, sleep=oversleep)
    granted = []
    for _ in range(6):
        await pace.acquire()
        granted.append(fake.now)

    assert all(later - earlier >= WINDOW - 1e-9 for earlier, later in zip(granted, granted[2:], strict=False))

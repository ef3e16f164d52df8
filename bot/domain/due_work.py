"""Rules for work that must happen later: retry delays and what counts as too late."""

from __future__ import annotations

from datetime import timedelta

BASE_RETRY = timedelta(seconds=30)
MAX_RETRY = timedelta(hours=1)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after `attempts` failed tries: 30 s, 1 min, 2 min, … capped at one hour."""
    if attempts < 1:
        return BASE_RETRY
    delay: timedelta = BASE_RETRY * (2 ** min(attempts - 1, 16))
    return min(delay, MAX_RETRY)

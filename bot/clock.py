"""The one source of "now". Production reads the system clock; tests and the demo read SimCord's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """An aware UTC datetime."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class CallableClock:
    """Wraps any function that returns the current time, such as a simulator's virtual clock."""

    def __init__(self, source: Callable[[], datetime]) -> None:
        self._source = source

    def now(self) -> datetime:
        value = self._source()
        # discord.utils.utcnow() under SimCord can be naive UTC; make it aware, never shift it.
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class ManualClock:
    """A clock a test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, value: datetime) -> None:
        self._now = value.astimezone(UTC)

"""Due-work payloads of nudges: a member's digest and daily check, a buddy pair's meetup suggestion, and a
server's weekly meetup digest.

A row that quiet hours caught after it was planned is planned again at their end with `moved_to` set: the
same unit of work (the same week, the same buddy group), a new row.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import ClassVar, Protocol

from bot.domain.work import Work, key_part


class DueRow(Protocol):
    """What a nudge's decision needs of its due-work row: which row it is (its key says whether it is still
    the member's planned one, whatever format it was planned with) and when it fell due."""

    @property
    def idempotency_key(self) -> str: ...
    @property
    def due_at(self) -> datetime: ...


def _moved(key: str, moved_to: datetime | None) -> str:
    return key if moved_to is None else f"{key}:m{moved_to:%Y%m%dT%H%M}"


@dataclass(frozen=True)
class DigestDue(Work):
    """The member's digest for one ISO week of their calendar."""

    KIND: ClassVar[str] = "nudge.digest"
    user_id: int = key_part()
    week: str = key_part()  # such as 2026-W48
    moved_to: datetime | None = None
    # The server, so that the process running its shard does it (its names come from that server's cache).
    guild_id: int | None = None

    def key(self) -> str:
        # `nudge.digest:{user}:{week}` is the once-a-week guard (the row's key, and the key a send is recorded
        # under in nudge_sends): its format is kept, and a moved row adds its new time, as it always did.
        return _moved(self.week_key(), self.moved_to)

    def week_key(self) -> str:
        """The week's key whichever row sends it: what a sent digest is recorded under."""
        return super(DigestDue, replace(self, moved_to=None)).key()

    def moved(self, to: datetime) -> DigestDue:
        return replace(self, moved_to=to)


@dataclass(frozen=True)
class CheckDue(Work):
    """The daily look at whether the member went quiet or had a few hard days."""

    KIND: ClassVar[str] = "nudge.check"
    user_id: int = key_part()
    # None only in rows planned before payloads were typed (the time was only in their key).
    due: datetime | None = key_part(default=None)
    # The server, so that the process running its shard does it (its names come from that server's cache).
    guild_id: int | None = None

    def moved(self, to: datetime) -> CheckDue:
        return replace(self, due=to)


@dataclass(frozen=True)
class BuddyNudgeDue(Work):
    """A meetup suggestion for one buddy whose group has not met yet."""

    KIND: ClassVar[str] = "nudge.buddy"
    group_id: int = key_part()
    user_id: int = key_part()
    round_id: int = 0
    moved_to: datetime | None = None
    # The server, so that the process running its shard does it (its names come from that server's cache).
    guild_id: int | None = None

    def key(self) -> str:
        # Planned again whenever the follow-up runs again (after a crash): the key must not hold the time, so
        # `nudge.buddy:{group}:{user}` is kept, and a moved row adds its new time, as it always did.
        return _moved(super(BuddyNudgeDue, replace(self, moved_to=None)).key(), self.moved_to)

    def moved(self, to: datetime) -> BuddyNudgeDue:
        return replace(self, moved_to=to)


@dataclass(frozen=True)
class ServerDigestDue(Work):
    """A server's weekly meetup digest in its announcements channel. Planned again at every start and setup
    change: one row per server and ISO week."""

    KIND: ClassVar[str] = "nudge.server"
    guild_id: int = key_part()
    week: str = key_part(default="")  # empty only in rows planned before payloads were typed

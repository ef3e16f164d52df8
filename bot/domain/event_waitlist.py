"""Waitlist offers: a freed place is held for the next member waiting, who takes it or passes, for a while.

Nobody is put down as going without saying yes again: a place that opens days after someone joined the
waitlist may no longer suit them, and a seat held by someone who can't come is a seat nobody uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar

from bot.domain.work import Work, key_part

# Long enough that a member who is at work or asleep sees the DM and answers; short enough that the place can
# still go round a few people before the day.
CLAIM_WINDOW = timedelta(hours=12)
# Offers end an hour before the start at the latest: whoever takes the place needs time to get there, and the
# next person waiting needs the chance too.
CLOSE_BEFORE_START = timedelta(hours=1)
# Below this a member can't reasonably see and answer a DM; a meetup that leaves no such window (it starts in
# under 1 h 15 min) seats the next person directly, as a waitlist always did.
MIN_WINDOW = timedelta(minutes=15)


def offer_deadline(now: datetime, start_at: datetime) -> datetime | None:
    """Until when a place freed now is held for the next member waiting; None: too close to the start for an
    offer, so the place is given outright."""
    deadline = min(now + CLAIM_WINDOW, start_at - CLOSE_BEFORE_START)
    return deadline if deadline - now >= MIN_WINDOW else None


def moved_deadline(now: datetime, current: datetime, start_at: datetime) -> datetime:
    """An open offer when its meetup moves: kept, but ending no later than an hour before the new start, and
    always leaving at least `MIN_WINDOW` to answer (the member was promised a chance, and gets it)."""
    return max(min(current, start_at - CLOSE_BEFORE_START), now + MIN_WINDOW)


@dataclass(frozen=True, kw_only=True)
class WaitlistOffer(Work):
    """The DM offering one member a place, with Take / Pass. Sent only while that same offer is open."""

    KIND: ClassVar[str] = "event.waitlist.offer"
    event_id: int = key_part()
    user_id: int = key_part()
    expires_at: datetime = key_part()


@dataclass(frozen=True, kw_only=True)
class OfferExpiry(Work):
    """At the deadline: if that same offer is still open, it passes to the next member waiting. `guild_id`: the
    announcement's count is refreshed afterwards, by the process holding the server's shard."""

    KIND: ClassVar[str] = "event.waitlist.expiry"
    event_id: int = key_part()
    user_id: int = key_part()
    expires_at: datetime = key_part()
    guild_id: int | None = None

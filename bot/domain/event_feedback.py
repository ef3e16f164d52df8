"""After a meetup: “How was it?” and “Did you meet someone new?”, and the figures organisers see.

Answers are private; organisers see totals only, and a breakdown only when at least five members
answered that question (below that, shares could point at individuals).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar

from bot.domain.work import Work, key_part

HOW_ANSWERS = {"good": "Good", "okay": "Okay", "not_for_me": "Not for me"}
MET_ANSWERS = {"yes": True, "no": False}
ASK_AFTER_END = timedelta(hours=1)
TOO_LATE_AFTER_END = timedelta(days=3)  # after downtime, don't ask about a meetup long past
MIN_ANSWERS_FOR_BREAKDOWN = 5
PERIODS = {"30": 30, "90": 90, "365": 365}


@dataclass(frozen=True)
class FeedbackFanOut(Work):
    """The per-meetup row at its end + 1 h that fans out to the members who went; carries the end so a moved
    meetup's old row goes stale."""

    KIND: ClassVar[str] = "event.feedback"
    event_id: int = key_part()
    end: datetime = key_part()

    def key(self) -> str:
        # Kept from before typed payloads (epoch seconds): a stored row must not be planned twice.
        return f"event-feedback:{self.event_id}:{int(self.end.timestamp())}"


@dataclass(frozen=True)
class FeedbackAsk(Work):
    """One question DM per member per meetup, ever."""

    KIND: ClassVar[str] = "event.feedback.ask"
    event_id: int = key_part()
    user_id: int = key_part()

    def key(self) -> str:
        # Kept from before typed payloads: one question per member per meetup, across the change too.
        return f"event-feedback-ask:{self.event_id}:{self.user_id}"


@dataclass(frozen=True)
class FeedbackCounts:
    """Raw totals for one server and period, as the store counts them."""

    events_held: int
    attendees: int  # Going answers across those meetups (a member at two meetups counts twice)
    distinct_attendees: int
    answered: int  # members who answered at least one question, per meetup
    how: dict[str, int]  # good / okay / not_for_me
    met_yes: int
    met_no: int
    arrived: int = 0  # of the Going answers, those who tapped "I'm here" (or used the code)


@dataclass(frozen=True)
class FeedbackFigures:
    counts: FeedbackCounts
    met_share: float | None  # None below the minimum number of answers
    how_shares: dict[str, float] | None
    arrived_shown: bool = False  # arrivals are a breakdown of Going: shown from five Going answers


def figures(counts: FeedbackCounts) -> FeedbackFigures:
    """Shares only where enough members answered that question."""
    met_total = counts.met_yes + counts.met_no
    how_total = sum(counts.how.values())
    met_share = counts.met_yes / met_total if met_total >= MIN_ANSWERS_FOR_BREAKDOWN else None
    how_shares = ({answer: counts.how.get(answer, 0) / how_total for answer in HOW_ANSWERS}
                  if how_total >= MIN_ANSWERS_FOR_BREAKDOWN else None)
    return FeedbackFigures(counts=counts, met_share=met_share, how_shares=how_shares,
                           arrived_shown=counts.attendees >= MIN_ANSWERS_FOR_BREAKDOWN)

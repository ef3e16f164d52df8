"""Meetups as the rest of the bot sees them: a meetup, a series of them, an answer, a going-together group."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, get_args

from bot.domain.recurrence import Frequency

EventMode = Literal["in_person", "online"]
EventStatus = Literal["scheduled", "cancelled"]
SeriesStatus = Literal["active", "cancelled"]
RsvpStatus = Literal["going", "maybe", "no", "waitlist"]
Answer = Literal["going", "maybe", "no"]  # what a member can click; "waitlist" is what "going" may become

MODES: tuple[EventMode, ...] = get_args(EventMode)
RSVP_STATUSES: tuple[RsvpStatus, ...] = get_args(RsvpStatus)
ANSWERS: tuple[Answer, ...] = get_args(Answer)


@dataclass(frozen=True)
class Event:
    id: int
    guild_id: int
    title: str
    description: str | None
    start_at: datetime
    end_at: datetime
    mode: EventMode
    venue: str | None
    area: str | None
    link: str | None
    capacity: int | None
    tag: str
    status: EventStatus
    creator_id: int
    channel_id: int | None
    message_id: int | None
    scheduled_event_id: int | None
    series_id: int | None = None
    occurrence: int | None = None  # 1 = the series' first date


@dataclass(frozen=True)
class Series:
    id: int
    guild_id: int
    frequency: Frequency
    zone: str
    first_start: datetime
    count: int | None
    until: datetime | None
    stopped_after: int | None
    status: SeriesStatus
    title: str
    description: str | None
    duration_minutes: int
    mode: EventMode
    venue: str | None
    area: str | None
    link: str | None
    capacity: int | None
    tag: str
    creator_id: int


@dataclass(frozen=True)
class RsvpChange:
    status: RsvpStatus  # what the member ended up with
    promoted: list[int] = field(default_factory=list)  # waitlisted members who got a seat because of it


@dataclass(frozen=True)
class CompanionGroup:
    number: int
    members: list[int]  # in request order
    delivered: str | None
    thread_id: int | None


def empty_answers() -> dict[str, list[int]]:
    """Member ids by answer, as `EventStore.rsvps` gives them."""
    return {status: [] for status in RSVP_STATUSES}

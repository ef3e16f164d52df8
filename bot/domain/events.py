"""Meetups as the rest of the bot sees them: a meetup, a series of them, an answer, a going-together group."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, get_args

from bot.domain.recurrence import Frequency

EventMode = Literal["in_person", "online"]
EventStatus = Literal["scheduled", "cancelled"]
SeriesStatus = Literal["active", "cancelled"]
RsvpStatus = Literal["going", "maybe", "no", "waitlist", "offered"]
# What a member can click; "waitlist" is what "going" may become, and "offered" a waitlisted member holding a
# freed place until they take it or pass (bot/domain/event_waitlist.py).
Answer = Literal["going", "maybe", "no"]

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
    rsvp_closes_at: datetime | None = None  # None: answers are taken until it starts
    role_id: int | None = None  # None: open to everyone; else only members with this role may answer
    access_notes: str | None = None  # step-free access, quiet space, seating, what to expect
    arrival_code: str | None = None  # shared at the venue, for "I'm here"


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
    rsvp_close_minutes: int | None = None  # each occurrence's answers close this long before it starts
    role_id: int | None = None
    access_notes: str | None = None


@dataclass(frozen=True)
class RsvpChange:
    status: RsvpStatus  # what the member ended up with
    promoted: list[int] = field(default_factory=list)  # waitlisted members who got a seat because of it
    offered: list[int] = field(default_factory=list)  # waitlisted members now holding a freed place on offer
    offer_until: datetime | None = None  # when those offers end


@dataclass(frozen=True)
class CompanionGroup:
    number: int
    members: list[int]  # in request order
    delivered: str | None
    thread_id: int | None


def empty_answers() -> dict[str, list[int]]:
    """Member ids by answer, as `EventStore.rsvps` gives them."""
    return {status: [] for status in RSVP_STATUSES}

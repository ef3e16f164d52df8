"""Buddy pairing's entities: a server's settings, a member's profile, rounds, groups and the figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Preference = Literal["in_person", "online", "either"]
Frequency = Literal["every", "every_other"]
Answer = Literal["in_person", "online", "not_yet", "skip"]
Delivered = Literal["thread", "dm", "gone"]

PREFERENCES: dict[Preference, str] = {"in_person": "in person", "online": "online", "either": "in person or online"}
FREQUENCIES: dict[Frequency, str] = {"every": "every round", "every_other": "every other round"}
ANSWERS: dict[Answer, str] = {"in_person": "In person", "online": "Online", "not_yet": "Not yet",
                              "skip": "Skip this round"}

DEFAULT_INTERESTS = ("walks", "coffee", "board games", "books", "cooking", "music", "art and crafts", "gardening",
                     "sport", "volunteering", "films", "gaming")


def preference_of(value: str) -> Preference | None:
    return next((known for known in PREFERENCES if known == value), None)


def frequency_of(value: str) -> Frequency | None:
    return next((known for known in FREQUENCIES if known == value), None)


def answer_of(value: str) -> Answer | None:
    return next((known for known in ANSWERS if known == value), None)


@dataclass(frozen=True)
class BuddyConfig:
    guild_id: int
    cadence_weeks: int = 2
    weekday: int = 0
    hour: int = 18
    interests: tuple[str, ...] = DEFAULT_INTERESTS
    repeat_rounds: int = 6
    enabled: bool = False
    next_round_key: str | None = None


@dataclass(frozen=True)
class BuddySettingsChange:
    """What an organiser changed in `/hearth buddies settings`; None keeps the current value."""

    cadence_weeks: int | None = None
    weekday: int | None = None
    hour: int | None = None
    interests: tuple[str, ...] | None = None
    repeat_rounds: int | None = None


@dataclass(frozen=True)
class BuddyProfile:
    guild_id: int
    user_id: int
    interests: tuple[str, ...]
    area: str | None
    preference: Preference
    frequency: Frequency
    active: bool = True
    paused_until: datetime | None = None
    skip_round_key: str | None = None
    missed_last_round: bool = False
    sat_out_last_round: bool = False
    unanswered_followups: int = 0
    last_paired_at: datetime | None = None
    rounds_paired: int = 0


@dataclass(frozen=True)
class BuddyRound:
    id: int
    guild_id: int
    round_key: str
    started_at: datetime
    followup_at: datetime
    ends_at: datetime
    pool_size: int
    unmatched: tuple[int, ...]


@dataclass(frozen=True)
class BuddyGroup:
    id: int
    round_id: int
    position: int
    members: tuple[int, ...]
    reasons: dict[str, Any]
    thread_id: int | None
    delivered: str | None
    answers: dict[int, str | None] = field(default_factory=dict)

    def met(self) -> bool:
        return any(answer in ("in_person", "online") for answer in self.answers.values())


@dataclass(frozen=True)
class RoundPlan:
    """What a round decided, to be stored at once."""

    guild_id: int
    round_key: str
    started_at: datetime
    followup_at: datetime
    ends_at: datetime
    pool: Sequence[int]
    groups: Sequence[tuple[tuple[int, ...], dict[str, Any]]]
    unmatched: Sequence[int]
    sat_out: Sequence[int]


@dataclass(frozen=True)
class BuddyStats:
    pool_size: int
    rounds: int
    groups_per_round: float
    answered_groups: int
    met_in_person: float | None  # shares of answered groups; None below the minimum group size
    met_online: float | None

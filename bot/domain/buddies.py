"""Buddy pairing's entities: a server's settings, a member's profile, rounds, groups and the figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from bot.i18n import N_, _

Preference = Literal["in_person", "online", "either"]
Frequency = Literal["every", "every_other"]
Answer = Literal["in_person", "online", "not_yet", "skip"]
Delivered = Literal["thread", "dm", "gone"]

# Shown with `_()`, after "Meeting:" in a member's buddy profile and status.
PREFERENCES: dict[Preference, str] = {
    # i18n: how a member would like to meet their buddy, shown after "Meeting:"
    "in_person": N_("in person"),
    # i18n: how a member would like to meet their buddy, shown after "Meeting:"
    "online": N_("online"),
    # i18n: how a member would like to meet their buddy, shown after "Meeting:"
    "either": N_("in person or online"),
}
# Shown with `_()`, after "How often:".
FREQUENCIES: dict[Frequency, str] = {
    # i18n: how often a member is paired with a buddy, shown after "How often:"
    "every": N_("every round"),
    # i18n: how often a member is paired with a buddy, shown after "How often:"
    "every_other": N_("every other round"),
}
# The English names of the answers to "did you meet?" (their buttons' labels are in cogs/buddies/_components.py).
ANSWERS: dict[Answer, str] = {"in_person": "In person", "online": "Online", "not_yet": "Not yet",
                              "skip": "Skip this round"}

# A new server's interests to pick from (organisers may change them). Stored and compared in English; shown to
# members with `interest_name`.
DEFAULT_INTERESTS = (
    # i18n: interests members can pick for buddy pairing (lower case, as in a list: "walks, coffee, books")
    N_("walks"), N_("coffee"), N_("board games"), N_("books"), N_("cooking"), N_("music"), N_("art and crafts"),
    # i18n: interests members can pick for buddy pairing (lower case, as in a list: "walks, coffee, books")
    N_("gardening"), N_("sport"), N_("volunteering"), N_("films"), N_("gaming"),
)


def interest_name(interest: str) -> str:
    """An interest as the reader sees it: one of Hearth's defaults in their language, else as the server or the
    member wrote it."""
    return _(interest) if interest in DEFAULT_INTERESTS else interest


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

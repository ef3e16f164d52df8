"""The inputs and outputs of a pairing round, and the weights that score a pair."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Preference = Literal["in_person", "online", "either"]
PREFERENCES: frozenset[str] = frozenset({"in_person", "online", "either"})


@dataclass(frozen=True, slots=True)
class PoolMember:
    """One opted-in member, as the pairing round sees them.

    ``area`` is a coarse, already normalised city or region (``None`` when not given);
    ``time_zone`` is an IANA key (``None`` or an unknown key counts as "time zone unknown");
    ``last_paired_at`` is an aware datetime (``None``: never had a buddy);
    ``missed_last_round`` is true when the previous round could not place them.
    """

    id: int
    area: str | None = None
    preference: Preference = "either"
    interests: frozenset[str] = frozenset()
    time_zone: str | None = None
    last_paired_at: datetime | None = None
    missed_last_round: bool = False


@dataclass(frozen=True, slots=True)
class MatchWeights:
    """How much each thing a pair shares is worth. Every valid pair scores more than zero.

    A pair scores ``base`` plus: ``in_person`` when both are in the same area and open to meeting
    (``"either"`` counts as open); ``same_area`` when they share an area at all; ``interests`` ×
    (1 − ½ⁿ) for n shared interests (diminishing returns); ``time_zone`` × how close their UTC
    offsets are at ``now`` (full at 0 h, nothing from ``zone_gap_hours`` apart, measured round the
    clock; half when either time zone is unknown);
    ``waiting`` × (1 − e^(−days/``waiting_days``)) for each member (never paired counts as
    fully waited); ``missed_round`` for each member the last round could not place. It loses
    ``mode_mismatch`` for each in-person-only member who could not meet this partner in person.
    """

    base: float = 2.0
    in_person: float = 3.0
    same_area: float = 0.5
    interests: float = 2.0
    time_zone: float = 1.0
    zone_gap_hours: float = 9.0
    waiting: float = 0.5
    waiting_days: float = 28.0
    missed_round: float = 1.5
    mode_mismatch: float = 0.75

    def __post_init__(self) -> None:
        if self.base - 2 * self.mode_mismatch <= 0:
            raise ValueError("base must exceed twice mode_mismatch, so that every valid pair scores above zero")
        if min(self.in_person, self.same_area, self.interests, self.time_zone, self.waiting,
               self.missed_round, self.mode_mismatch) < 0:
            raise ValueError("weights must not be negative")
        if self.zone_gap_hours <= 0 or self.waiting_days <= 0:
            raise ValueError("zone_gap_hours and waiting_days must be positive")


DEFAULT_WEIGHTS = MatchWeights()

# Members whose UTC offsets are at most this far apart are told their time zones overlap.
OVERLAP_HOURS = 3.0


@dataclass(frozen=True, slots=True)
class GroupReasons:
    """What a group has in common, for the intro message.

    ``area`` is set when every member gave the same area; ``in_person`` when, in addition, all
    are open to meeting in person. ``shared_interests`` are the interests at least two members
    hold (for a pair: both), most widely shared first, then by name. ``offset_gap_hours`` is the
    largest gap between members' UTC offsets (``None`` if any time zone is unknown) and
    ``time_zones_overlap`` says it is at most three hours.
    """

    members: tuple[int, ...]
    score: float
    area: str | None
    in_person: bool
    shared_interests: tuple[str, ...]
    time_zones_overlap: bool
    offset_gap_hours: float | None


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The outcome of one round.

    ``groups`` are pairs and trios, each sorted by id, and sorted among themselves;
    ``reasons[i]`` describes ``groups[i]``. ``unmatched`` (sorted) are members no valid group
    could take: tell them, and mark them ``missed_last_round`` next time.
    """

    groups: tuple[tuple[int, ...], ...]
    unmatched: tuple[int, ...]
    total_score: float
    reasons: tuple[GroupReasons, ...]

    def pairs_to_remember(self) -> frozenset[frozenset[int]]:
        """Every two-member pair inside a group (three per trio), for the repeat window."""
        return frozenset(
            frozenset((a, b)) for group in self.groups for i, a in enumerate(group) for b in group[i + 1:]
        )

"""The members of one round in flat, index-addressed form, and the score of a pair.

Members are addressed by index: their position when sorted by area, time zone, preference and
interests, then id. Likely partners thus sit close in memory, and nothing depends on the order
the caller listed them in or on how Python iterates a set.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Iterable, Sequence, Set
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.matching.model import PREFERENCES, MatchWeights, PoolMember

UNKNOWN_OFFSET = -1_000_000  # minutes; never a real UTC offset


def utc_offset_minutes(zone: str | None, now: datetime) -> int:
    """The zone's UTC offset at ``now`` in minutes, or UNKNOWN_OFFSET for a missing or unknown zone."""
    if not zone:
        return UNKNOWN_OFFSET
    try:
        offset = ZoneInfo(zone).utcoffset(now)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # unknown, malformed, or a folder such as "Europe"
        return UNKNOWN_OFFSET
    return UNKNOWN_OFFSET if offset is None else int(offset.total_seconds() // 60)


def offset_gap_minutes(a: int, b: int) -> int:
    """How far apart two UTC offsets are in clock time: +13 h and −11 h are the same time of day."""
    gap = abs(a - b) % 1440
    return min(gap, 1440 - gap)


class Pool:
    """Everything the engine needs about one round, in lists indexed by member."""

    def __init__(self, members: Sequence[PoolMember], *, now: datetime, weights: MatchWeights,
                 forbidden_pairs: Iterable[Set[int]], seed: int) -> None:
        if now.tzinfo is None or now.utcoffset() is None:
            raise ValueError("now must be an aware datetime")
        by_id = sorted(members, key=lambda m: m.id)
        for earlier, later in itertools.pairwise(by_id):
            if earlier.id == later.id:
                raise ValueError(f"member {later.id} is in the pool twice")
        # Index members so that likely partners sit close together: it keeps the large loops
        # cache-friendly. The key is total (it ends with the id), so input order never matters.
        ordered = sorted(by_id, key=_locality_key)
        self.members = ordered
        self.weights = weights
        self.n = n = len(ordered)
        self.ids = [m.id for m in ordered]
        self.index = {member_id: i for i, member_id in enumerate(self.ids)}

        areas = sorted({m.area for m in ordered if m.area})
        area_codes = {area: code for code, area in enumerate(areas)}
        # Interest bits run from the rarest tag (bit 0) to the most common: sorting members by their
        # bit mask then clusters them by the popular interests they are most likely to share.
        frequency: dict[str, int] = {}
        for m in ordered:
            for tag in m.interests:
                frequency[tag] = frequency.get(tag, 0) + 1
        tags = sorted(frequency, key=lambda tag: (frequency[tag], tag))
        tag_bits = {tag: 1 << bit for bit, tag in enumerate(tags)}
        self.tag_names = tags
        zone_offsets: dict[str | None, int] = {}

        self.area_code: list[int] = []
        self.open_in_person: list[bool] = []
        self.in_person_code: list[int] = []  # area code when open to meeting in person, else −1
        self.penalty: list[float] = []  # lost when this member cannot meet the partner in person
        self.mask: list[int] = []
        self.offset: list[int] = []
        self.vertex: list[float] = []  # waiting and missed-round bonus, added to each of their pairs
        self.missed: list[bool] = []
        self.waited_days: list[float] = []
        for m in ordered:
            if m.preference not in PREFERENCES:
                expected = ", ".join(sorted(PREFERENCES))
                raise ValueError(f"member {m.id} has preference {m.preference!r}; expected one of {expected}")
            code = area_codes[m.area] if m.area else -1
            is_open = m.preference != "online"
            self.area_code.append(code)
            self.open_in_person.append(is_open)
            self.in_person_code.append(code if is_open else -1)
            self.penalty.append(weights.mode_mismatch if m.preference == "in_person" else 0.0)
            mask = 0
            for tag in m.interests:
                mask |= tag_bits[tag]
            self.mask.append(mask)
            if m.time_zone not in zone_offsets:
                zone_offsets[m.time_zone] = utc_offset_minutes(m.time_zone, now)
            self.offset.append(zone_offsets[m.time_zone])
            days = _days_waited(m, now)
            self.waited_days.append(days)
            waited = 1.0 if math.isinf(days) else 1.0 - math.exp(-days / weights.waiting_days)
            self.vertex.append(weights.waiting * waited + (weights.missed_round if m.missed_last_round else 0.0))
            self.missed.append(m.missed_last_round)

        self.forbidden: list[set[int]] = [set() for _ in range(n)]
        index = self.index
        for pair in forbidden_pairs:
            if len(pair) == 2:
                a, b = pair
                i, j = index.get(a), index.get(b)
                if i is not None and j is not None:
                    self.forbidden[i].add(j)
                    self.forbidden[j].add(i)

        shuffled = list(range(n))
        random.Random(seed).shuffle(shuffled)
        self.rank = [0] * n  # a seeded tie-breaker: lower goes first
        for position, i in enumerate(shuffled):
            self.rank[i] = position

        # Lookup tables for the parts of a score that depend on a count or a gap.
        self.interest_table = [weights.interests * (1.0 - 0.5 ** k) for k in range(len(tags) + 1)]
        offsets = sorted(set(self.offset))
        zone_number = {offset: k for k, offset in enumerate(offsets)}
        self.zone = [zone_number[offset] for offset in self.offset]
        self.zone_fit = [[_zone_fit(a, b, weights) for b in offsets] for a in offsets]
        self.lift = [weights.base / 2 + v for v in self.vertex]  # each member's half of the base, plus bonus

        self.score = self._scorer()
        """``score(i, j)``: the score of pairing members i and j (by index), forbidden or not."""

    def _scorer(self) -> Callable[[int, int], float]:
        same_area, in_person = self.weights.same_area, self.weights.in_person
        lift, area_code, ip_code, penalty = self.lift, self.area_code, self.in_person_code, self.penalty
        mask, zone, zone_fit, interest_table = self.mask, self.zone, self.zone_fit, self.interest_table

        def score(i: int, j: int) -> float:
            s = lift[i] + lift[j] + interest_table[(mask[i] & mask[j]).bit_count()] + zone_fit[zone[i]][zone[j]]
            code = area_code[i]
            if code >= 0 and code == area_code[j]:
                s += same_area
            code = ip_code[i]
            if code >= 0 and code == ip_code[j]:
                return s + in_person
            return s - penalty[i] - penalty[j]

        return score

    def scorer(self) -> Callable[[int, int], float | None]:
        """``score_if_valid(i, j)``: the score, or None for a forbidden pair."""
        score, forbidden = self.score, self.forbidden

        def score_if_valid(i: int, j: int) -> float | None:
            return None if i == j or j in forbidden[i] else score(i, j)

        return score_if_valid

    def score_keys(self, keys: Iterable[int]) -> list[tuple[float, int, int]]:
        """(score, i, j) for each valid pair given as the key i·n + j (i < j): ``score``, inlined for speed."""
        n, forbidden = self.n, self.forbidden
        same_area, in_person = self.weights.same_area, self.weights.in_person
        lift, area_code, ip_code, penalty = self.lift, self.area_code, self.in_person_code, self.penalty
        mask, zone, zone_fit, interest_table = self.mask, self.zone, self.zone_fit, self.interest_table
        scored = []
        for key in keys:
            i, j = divmod(key, n)
            if j in forbidden[i]:
                continue
            s = lift[i] + lift[j] + interest_table[(mask[i] & mask[j]).bit_count()] + zone_fit[zone[i]][zone[j]]
            code = area_code[i]
            if code >= 0 and code == area_code[j]:
                s += same_area
            code = ip_code[i]
            if code >= 0 and code == ip_code[j]:
                s += in_person
            else:
                s -= penalty[i] + penalty[j]
            scored.append((s, i, j))
        return scored

    def valid(self, i: int, j: int) -> bool:
        return i != j and j not in self.forbidden[i]

    def priority(self, i: int) -> tuple[bool, float, int]:
        """Sort key: who should be placed first when not everyone can be (missed, then longest wait)."""
        return (not self.missed[i], -self.waited_days[i], self.rank[i])


def _zone_fit(a: int, b: int, weights: MatchWeights) -> float:
    """How well two UTC offsets (minutes) suit each other: half marks when either is unknown."""
    if a == UNKNOWN_OFFSET or b == UNKNOWN_OFFSET:
        return weights.time_zone * 0.5
    return weights.time_zone * max(0.0, 1.0 - offset_gap_minutes(a, b) / (weights.zone_gap_hours * 60.0))


def _locality_key(member: PoolMember) -> tuple[str, str, bool, tuple[str, ...], int]:
    return (member.area or "", member.time_zone or "", member.preference == "online",
            tuple(sorted(member.interests)), member.id)


def _days_waited(member: PoolMember, now: datetime) -> float:
    last = member.last_paired_at
    if last is None:
        return math.inf
    if last.tzinfo is None or last.utcoffset() is None:
        raise ValueError(f"member {member.id}: last_paired_at must be an aware datetime")
    return max(now - last, timedelta(0)) / timedelta(days=1)

"""One pairing round: the best pairs, then trios for whoever is left, then the reasons."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence, Set
from datetime import datetime

from bot.domain.matching.graph import DEFAULT_GRAPH, Edge, GraphSettings, candidate_edges
from bot.domain.matching.model import (
    DEFAULT_WEIGHTS,
    OVERLAP_HOURS,
    GroupReasons,
    MatchResult,
    MatchWeights,
    PoolMember,
)
from bot.domain.matching.scoring import UNKNOWN_OFFSET, Pool, offset_gap_minutes
from bot.domain.matching.solver import FREE, max_weight_matching

# Leftover placement scans every group only while it stays this cheap (score evaluations).
_FULL_SCAN_BUDGET = 400_000
# How many partners a leftover tries to swap in with (the best-suited first).
_SWAP_TRIES = 8


def match_pool(
    members: Sequence[PoolMember],
    *,
    now: datetime,
    recent_pairs: Iterable[Set[int]] = (),
    blocks: Iterable[Set[int]] = (),
    seed: int = 0,
    weights: MatchWeights = DEFAULT_WEIGHTS,
    graph: GraphSettings = DEFAULT_GRAPH,
) -> MatchResult:
    """Pair the pool for one round, maximising the total score.

    ``recent_pairs`` (pairs that met within the caller's repeat window) and ``blocks`` (either
    way round) are never put in the same group, trios included. The result depends only on the
    members, pairs, ``now`` and ``seed``: not on the order anything is given in.
    """
    pool = Pool(members, now=now, weights=weights, forbidden_pairs=itertools.chain(recent_pairs, blocks), seed=seed)
    if pool.n == 0:
        return MatchResult(groups=(), unmatched=(), total_score=0.0, reasons=())
    round_ = _Round(pool, graph)
    round_.pair_up()
    round_.place_leftovers()
    return round_.result()


class _Round:
    def __init__(self, pool: Pool, graph: GraphSettings) -> None:
        self.pool = pool
        self.graph = graph
        self.neighbours: list[list[int]] = [[] for _ in range(pool.n)]  # leftovers' first-graph neighbours
        self.groups: list[list[int]] = []
        self.group_of: list[int] = [FREE] * pool.n
        self.unmatched: list[int] = []
        self.scan_budget = _FULL_SCAN_BUDGET

    # Pairs -------------------------------------------------------------------------------

    def pair_up(self) -> None:
        """Match the pool; then match whoever the sparse graph left over among themselves."""
        pool = self.pool
        remaining = list(range(pool.n))
        first_edges: list[Edge] = []
        for attempt in range(3):
            if len(remaining) < 2:
                break
            edges = candidate_edges(pool, remaining, self.graph)
            if attempt == 0:
                first_edges = edges
            sparse = len(remaining) > self.graph.dense_limit
            mate = max_weight_matching(pool.n, edges, pool.rank, extra=pool.scorer() if sparse else None)
            for i in remaining:
                j = mate[i]
                if i < j:
                    self._add_group([i, j])
            left = [i for i in remaining if self.group_of[i] == FREE]
            if len(left) == len(remaining):
                break
            remaining = left
        self.unmatched = [i for i in range(pool.n) if self.group_of[i] == FREE]
        # Leftovers look for a trio among their neighbours in the first graph first.
        left_over = set(self.unmatched)
        if left_over:
            for _, i, j in first_edges:
                if i in left_over:
                    self.neighbours[i].append(j)
                if j in left_over:
                    self.neighbours[j].append(i)

    def _add_group(self, members: list[int]) -> None:
        self.groups.append(members)
        for i in members:
            self.group_of[i] = len(self.groups) - 1

    # Leftovers ---------------------------------------------------------------------------

    def place_leftovers(self) -> None:
        """Place each leftover, most deserving first: in a trio, or in a pair whose other member
        can go to a trio. Someone who missed the last round may, as a last resort, take the place
        of someone who did not. Whoever is still left pairs up among themselves where allowed."""
        stranded: list[int] = []
        for x in sorted(self.unmatched, key=self.pool.priority):
            if self._join_trio(x) or self._split_trio(x) or self._swap_in(x, strand=False) is not None:
                continue
            left_out = self._swap_in(x, strand=True) if self.pool.missed[x] else None
            stranded.append(x if left_out is None else left_out)
        # A trio may have formed after x had its turn (a later leftover joined a pair x could not): try again.
        still = [x for x in stranded if self.group_of[x] == FREE and not (self._join_trio(x) or self._split_trio(x))]
        self.unmatched = self._pair_among(still)

    def _pair_among(self, stranded: list[int]) -> list[int]:
        """Pair up, best first, those still left who may meet each other; return who is left after that."""
        pool = self.pool
        if len(stranded) < 2 or len(stranded) ** 2 > self.scan_budget:
            return stranded
        options = sorted((-pool.score(x, y), min(pool.rank[x], pool.rank[y]), x, y)
                         for k, x in enumerate(stranded) for y in stranded[k + 1:] if pool.valid(x, y))
        for _, _, x, y in options:
            if self.group_of[x] == FREE and self.group_of[y] == FREE:
                self._add_group([x, y])
        return [x for x in stranded if self.group_of[x] == FREE]

    def _candidate_groups(self, x: int, size: int) -> list[int]:
        """Groups of the given size worth trying for x: its graph neighbours' first, else all (if cheap)."""
        groups, near = self.groups, set()
        for j in self.neighbours[x]:
            g = self.group_of[j]
            if g != FREE and len(groups[g]) == size:
                near.add(g)
        found = sorted(near)
        if found and any(self._fits(x, groups[g]) for g in found):
            return found
        cost = len(groups) * size
        if cost > self.scan_budget:
            return found
        self.scan_budget -= cost
        return [g for g, members in enumerate(groups) if len(members) == size]

    def _fits(self, x: int, members: Sequence[int]) -> bool:
        return all(self.pool.valid(x, m) for m in members)

    def _best_trio(self, x: int, skip: int = FREE) -> int:
        """The pair (group index) x fits best as a third member, or FREE."""
        pool = self.pool
        best: tuple[float, int, int] | None = None  # (−fit, tie-break, group)
        for g in self._candidate_groups(x, 2):
            if g == skip:
                continue
            a, b = self.groups[g]
            if pool.valid(x, a) and pool.valid(x, b):
                key = (-(pool.score(x, a) + pool.score(x, b)), min(pool.rank[a], pool.rank[b]), g)
                if best is None or key < best:
                    best = key
        return FREE if best is None else best[2]

    def _join_trio(self, x: int) -> bool:
        g = self._best_trio(x)
        if g == FREE:
            return False
        self.groups[g].append(x)
        self.group_of[x] = g
        return True

    def _split_trio(self, x: int) -> bool:
        """Take a trio member who suits x into a new pair with x; the trio's other two stay a pair."""
        pool = self.pool
        best: tuple[float, int, int] | None = None  # (−score, rank, member)
        for g in self._candidate_groups(x, 3):
            for v in self.groups[g]:
                if pool.valid(x, v):
                    key = (-pool.score(x, v), pool.rank[v], v)
                    if best is None or key < best:
                        best = key
        if best is None:
            return False
        v = best[2]
        self.groups[self.group_of[v]].remove(v)
        self._add_group([x, v])
        return True

    def _swap_in(self, x: int, *, strand: bool) -> int | None:
        """Pair x with a member v of a pair (v, w), moving w to a trio elsewhere; None if no such v.

        With ``strand``, when w fits no trio, w (who did not miss the last round) is left
        unmatched instead and returned: only for an x who missed the last round. Else FREE.
        """
        pool = self.pool
        options = []
        everyone = pool.n <= self.scan_budget
        if everyone:
            self.scan_budget -= pool.n
        for v in range(pool.n) if everyone else sorted(set(self.neighbours[x])):
            g = self.group_of[v]
            if g == FREE or len(self.groups[g]) != 2 or not pool.valid(x, v):
                continue
            w = self.groups[g][0] if self.groups[g][1] == v else self.groups[g][1]
            if not (strand and pool.missed[w]):
                options.append((-pool.score(x, v), pool.rank[v], v, w))
        options.sort()
        for _, _, v, w in options[:_SWAP_TRIES]:
            g = self.group_of[v]
            new_home = self._best_trio(w, skip=g)
            if new_home != FREE or strand:
                self.groups[g] = [x, v]
                self.group_of[x] = g
                self.group_of[w] = new_home
                if new_home == FREE:
                    return w
                self.groups[new_home].append(w)
                return FREE
        return None

    # Result ------------------------------------------------------------------------------

    def result(self) -> MatchResult:
        pool = self.pool
        described = sorted(
            (tuple(sorted(pool.ids[i] for i in members)), sorted(members)) for members in self.groups if members
        )
        reasons = tuple(_reasons(pool, members, ids) for ids, members in described)
        return MatchResult(
            groups=tuple(ids for ids, _ in described),
            unmatched=tuple(sorted(pool.ids[i] for i in self.unmatched)),
            total_score=sum(r.score for r in reasons),
            reasons=reasons,
        )


def group_score(pool: Pool, members: Sequence[int]) -> float:
    """A pair's score; for a trio, half the sum of its three pairs (so each member counts once)."""
    if len(members) == 2:
        return pool.score(members[0], members[1])
    return sum(pool.score(i, j) for i, j in itertools.combinations(members, 2)) / (len(members) - 1)


def _reasons(pool: Pool, members: Sequence[int], ids: tuple[int, ...]) -> GroupReasons:
    people = [pool.members[i] for i in members]
    area = people[0].area if all(m.area == people[0].area for m in people) else None
    in_person = area is not None and all(pool.open_in_person[i] for i in members)
    if len(people) == 2:
        shared = tuple(sorted(people[0].interests & people[1].interests))
    else:
        counts: dict[str, int] = {}
        for m in people:
            for tag in m.interests:
                counts[tag] = counts.get(tag, 0) + 1
        shared = tuple(tag for tag, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if count >= 2)
    offsets = [pool.offset[i] for i in members]
    gap: float | None = None
    if UNKNOWN_OFFSET not in offsets:
        gap = max(offset_gap_minutes(a, b) for a, b in itertools.combinations(offsets, 2)) / 60
    return GroupReasons(
        members=ids,
        score=group_score(pool, members),
        area=area,
        in_person=in_person,
        shared_interests=shared,
        time_zones_overlap=gap is not None and gap <= OVERLAP_HOURS,
        offset_gap_hours=gap,
    )

"""Maximum-weight matching, approximately: greedy by weight, then local improvement.

Greedy (heaviest edge first, ties by the seeded rank) is at least half of the optimum and in
practice far closer. Local improvement then applies, while any helps, the best short change
centred on each member ``a`` (partner ``b``):

* take an edge a–c and drop a–b and c–d; then rejoin b with d (a swap of partners between two
  pairs) or each of b and d with a free neighbour, or leave them free. That covers augmenting
  paths of up to five edges and alternating 4-cycles;
* failing that, rotate partners among three pairs: a–c, d–e, f–b replace a–b, c–d, e–f
  (alternating 6-cycles), trying each member's few heaviest edges.

These are the "short augmentations" of Drake and Hougardy and of Pettie and Sanders; on our
graphs they bring a greedy matching to within about one percent of the exact optimum (measured
against networkx's blossom algorithm in tests/unit/test_matching.py and benchmarks/matching.py).
Every change strictly raises the total, so the process ends; no time budget is used, so results
never depend on the machine.

A sparse candidate graph can leave out the pair that closes a swap or a rotation; ``extra(i, j)``
then scores it on the spot (and the pair joins the graph), so changes are not limited to the
candidate edges. To skip hopeless changes, a member's heaviest candidate edge is taken as the
most any of its pairs could score: a heuristic bound when ``extra`` is given.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from bot.domain.matching.graph import Edge

ExtraEdge = Callable[[int, int], float | None]
EPSILON = 1e-9
FREE = -1
# Rotations try each member's few heaviest edges: as many as keeps the work near ROTATION_WORK
# edge pairs per sweep (so 10,000 members stay fast), between MIN_FAN and MAX_FAN.
ROTATION_WORK = 160_000
MIN_FAN, MAX_FAN = 4, 16


def rotation_fan(members: int) -> int:
    return max(MIN_FAN, min(MAX_FAN, math.isqrt(ROTATION_WORK // max(1, members))))


def max_weight_matching(n: int, edges: Sequence[Edge], rank: Sequence[int], *, max_passes: int = 12,
                        extra: ExtraEdge | None = None, fan: int | None = None) -> list[int]:
    """``mate[i]`` for members 0..n−1 (FREE when unmatched), for edges (score, i, j) with i < j.

    ``extra(i, j)``, when given, scores a pair the edge list left out (``None``: not allowed).
    ``fan`` overrides how many of each member's heaviest edges rotations try.
    """
    ordered = heaviest_first(edges, rank)
    adjacency: list[dict[int, float]] = [{} for _ in range(n)]
    neighbours: list[list[tuple[float, int]]] = [[] for _ in range(n)]  # heaviest first, as ordered
    for weight, i, j in ordered:
        adjacency[i][j] = weight
        adjacency[j][i] = weight
        neighbours[i].append((weight, j))
        neighbours[j].append((weight, i))
    mate = greedy(n, ordered)
    if fan is None:
        fan = rotation_fan(sum(1 for row in neighbours if row))
    improve(adjacency, neighbours, mate, rank, max_passes=max_passes, extra=extra, fan=fan)
    return mate


def heaviest_first(edges: Sequence[Edge], rank: Sequence[int]) -> list[Edge]:
    """The edges, heaviest first; ties go to the pair whose members rank first (the seeded tie-break)."""
    keyed = [(-w, ri, rj, i, j) if (ri := rank[i]) < (rj := rank[j]) else (-w, rj, ri, i, j) for w, i, j in edges]
    keyed.sort()  # cheap when the edges come (nearly) in this order already
    return [(-negative, i, j) for negative, _, _, i, j in keyed]


def greedy(n: int, ordered: Sequence[Edge]) -> list[int]:
    """Take edges in the given order whenever both ends are still free."""
    mate = [FREE] * n
    for _, i, j in ordered:
        if mate[i] == FREE and mate[j] == FREE:
            mate[i] = j
            mate[j] = i
    return mate


def improve(adjacency: Sequence[dict[int, float]], neighbours: Sequence[Sequence[tuple[float, int]]],
            mate: list[int], rank: Sequence[int], *, max_passes: int, extra: ExtraEdge | None = None,
            fan: int = MAX_FAN) -> None:
    """Apply improving short changes in place until none is left (or max_passes sweeps).

    ``neighbours[v]`` lists v's edges (weight, other end), heaviest first. The first sweep visits
    every member; later sweeps only those whose partner changed.
    """
    state = _State(adjacency, neighbours, mate, rank, extra, fan)
    todo = [v for v in range(len(adjacency)) if adjacency[v]]
    for _ in range(max_passes):
        todo.sort()
        touched: set[int] = set()
        for a in todo:
            changed = state.improve_at(a)
            touched.update(changed)
        if not touched:
            return
        todo = list(touched)


class _State:
    """The matching being improved, and bounds that let most candidate changes be skipped unseen.

    ``held[v]`` is the weight of v's matched edge (0 when free); ``reach[v]`` v's heaviest edge;
    ``near_free[v]`` bounds v's heaviest edge to a free member (tightened whenever looked up).
    """

    def __init__(self, adjacency: Sequence[dict[int, float]], neighbours: Sequence[Sequence[tuple[float, int]]],
                 mate: list[int], rank: Sequence[int], extra: ExtraEdge | None, fan: int) -> None:
        self.adjacency = adjacency
        self.mate = mate
        self.rank = rank
        self.extra = extra
        self.size = len(adjacency)
        self.scored: dict[int, float | None] = {}  # pairs scored on the spot so far
        n = len(adjacency)
        self.neighbours = neighbours
        self.fan = [row[:fan] for row in self.neighbours]
        self.reach = [row[0][0] if row else 0.0 for row in self.neighbours]
        self.held = [adjacency[v][mate[v]] if mate[v] != FREE else 0.0 for v in range(n)]
        self.free = {v for v in range(n) if mate[v] == FREE and adjacency[v]}
        self.near_free = [0.0] * n
        for x in self.free:
            self._freed(x)

    def _freed(self, x: int) -> None:
        near_free = self.near_free
        for v, weight in self.adjacency[x].items():
            if weight > near_free[v]:
                near_free[v] = weight

    def _weight(self, i: int, j: int) -> float | None:
        """w(i, j) from the graph, else scored on the spot (None: not allowed)."""
        weight = self.adjacency[i].get(j)
        if weight is None and self.extra is not None:
            key = i * self.size + j if i < j else j * self.size + i
            if key in self.scored:
                return self.scored[key]
            weight = self.scored[key] = self.extra(i, j)
        return weight

    def best_free(self, v: int, exclude: tuple[int, ...]) -> tuple[float, int]:
        """v's heaviest edge to a free member not in ``exclude`` (ties: lower rank), or (0, FREE)."""
        around, free, rank = self.adjacency[v], self.free, self.rank
        if len(free) < len(around):
            candidates = [(w, x) for x in free if (w := around.get(x)) is not None]
        else:
            candidates = [(w, x) for x, w in around.items() if x in free]
        best_weight, best, bound = 0.0, FREE, 0.0
        for weight, x in candidates:
            if weight > bound:
                bound = weight
            if x not in exclude and (weight > best_weight or (weight == best_weight and best != FREE
                                                              and rank[x] < rank[best])):
                best_weight, best = weight, x
        self.near_free[v] = bound
        return best_weight, best

    def improve_at(self, a: int) -> tuple[int, ...]:
        """Apply the best improving change centred on a; return the members whose partner changed."""
        mate, near_free, reach, held = self.mate, self.near_free, self.reach, self.held
        b = mate[a]
        w_ab = held[a]
        bound_b = near_free[b] if b != FREE else 0.0
        best_gain = EPSILON
        best: tuple[int, int, int] | None = None  # (c, new partner for b, new partner for d)
        for w_ac, c in self.neighbours[a]:
            if c == b:
                continue
            d = mate[c]
            base = w_ac - w_ab - held[c]
            bound_d = near_free[d] if d != FREE else 0.0
            if b != FREE and d != FREE and base + reach[b] > best_gain and base + reach[d] > best_gain:
                w_bd = self._weight(b, d)
                if w_bd is not None and base + w_bd > best_gain:
                    best_gain, best = base + w_bd, (c, d, b)
            if base + bound_b + bound_d <= best_gain:
                continue
            # Leave b and d free, or rejoin each to a free neighbour.
            w_bx, x = self.best_free(b, (a, c, d)) if bound_b > 0.0 else (0.0, FREE)
            w_dy, y = self.best_free(d, (a, b, c, x)) if bound_d > 0.0 else (0.0, FREE)
            bound_b = near_free[b] if b != FREE else 0.0
            if base + w_bx + w_dy > best_gain:
                best_gain, best = base + w_bx + w_dy, (c, x, y)
        if best is not None:
            return self._apply(a, *best)
        if b != FREE:
            return self._rotate_at(a)
        return ()

    def _rotate_at(self, a: int) -> tuple[int, ...]:
        """The best rotation among three pairs a–b, c–d, e–f into a–c, d–e, f–b, if one gains."""
        mate, reach, held, fan = self.mate, self.reach, self.held, self.fan
        b = mate[a]
        w_ab, reach_b = held[a], reach[b]
        best_gain = EPSILON
        best: tuple[int, int] | None = None
        for w_ac, c in fan[a]:
            if w_ac - w_ab + reach_b <= best_gain:
                break  # lighter edges from a cannot gain either
            d = mate[c]
            if c == b or d == FREE:
                continue
            partial = w_ac - w_ab - held[c]
            for w_de, e in fan[d]:
                if partial + w_de + reach_b <= best_gain:
                    break
                f = mate[e]
                if f == FREE or e in (a, b, c):
                    continue
                gain = partial + w_de - held[e]
                if gain + reach_b <= best_gain or gain + reach[f] <= best_gain:
                    continue
                w_fb = self._weight(f, b)
                if w_fb is not None and gain + w_fb > best_gain:
                    best_gain, best = gain + w_fb, (c, e)
        if best is None:
            return ()
        c, e = best
        d, f = mate[c], mate[e]
        self._pair(a, c)
        self._pair(d, e)
        self._pair(f, b)
        return (a, b, c, d, e, f)

    def _pair(self, i: int, j: int) -> None:
        weight = self.adjacency[i].get(j)
        if weight is None:  # scored on the spot: add it to the graph
            weight = self._weight(i, j)
            assert weight is not None
            self.adjacency[i][j] = self.adjacency[j][i] = weight
            self.reach[i] = max(self.reach[i], weight)
            self.reach[j] = max(self.reach[j], weight)
        self.mate[i], self.mate[j] = j, i
        self.held[i] = self.held[j] = weight

    def _unpair(self, v: int) -> None:
        self.mate[v] = FREE
        self.held[v] = 0.0

    def _apply(self, a: int, c: int, x: int, y: int) -> tuple[int, ...]:
        mate = self.mate
        b, d = mate[a], mate[c]
        changed = [a, c]
        for v in (b, d):
            if v != FREE:
                self._unpair(v)
                changed.append(v)
        self._pair(a, c)
        if b != FREE and x != FREE:
            self._pair(b, x)
            changed.append(x)
        if d != FREE and y != FREE and mate[d] == FREE:
            self._pair(d, y)
            changed.append(y)
        for v in changed:
            if mate[v] == FREE:
                self.free.add(v)
                self._freed(v)
            else:
                self.free.discard(v)
        return tuple(changed)

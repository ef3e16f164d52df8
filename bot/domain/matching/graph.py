"""The candidate graph: which pairs are worth considering, with their scores.

Small pools (up to ``dense_limit``) get every valid pair. Larger pools get a sparse graph built
from four orderings of the members, in which neighbours are likely good partners: open to
meeting in person in the same area and sharing an interest; open to meeting in the same area;
sharing an interest anywhere (then by UTC offset); and, for members with few interests, UTC
offset alone. Within an ordering, members sort by interest set (the most common interests
weigh most), then by the seeded rank, so similar members sit together and the input order
never leaks in. Each member is joined to the next ``window`` members of its group in each
ordering; the candidates are scored, and an edge is kept while either end has fewer than
``top_k`` heavier ones. The result comes heaviest first, the order the solver wants.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.matching.scoring import Pool

Edge = tuple[float, int, int]  # (score, i, j) with i < j, member indices


@dataclass(frozen=True, slots=True)
class GraphSettings:
    dense_limit: int = 200  # pools up to this size consider every valid pair
    window: int = 3  # neighbours joined in each ordering among members who share an area
    wide_window: int = 3  # neighbours joined in the pool-wide orderings (by interest, by offset)
    top_k: int = 10  # an edge is kept while either end has fewer than this many heavier ones
    crowd: int = 12  # members of an in-person group this big sort last in the pool-wide orderings


DEFAULT_GRAPH = GraphSettings()


def candidate_edges(pool: Pool, subset: Sequence[int], settings: GraphSettings = DEFAULT_GRAPH) -> list[Edge]:
    """Scored valid edges among ``subset`` (member indices, sorted), dense or sparse by size."""
    if len(subset) <= settings.dense_limit:
        return dense_edges(pool, subset)
    return sparse_edges(pool, subset, settings)


def dense_edges(pool: Pool, subset: Sequence[int]) -> list[Edge]:
    """Every valid pair among ``subset``."""
    score, forbidden = pool.score, pool.forbidden
    edges: list[Edge] = []
    for position, i in enumerate(subset):
        blocked = forbidden[i]
        edges.extend((score(i, j), i, j) for j in subset[position + 1:] if j not in blocked)
    return edges


def _orderings(pool: Pool, subset: Sequence[int], crowd: int) -> list[list[tuple[int, ...]]]:
    """Each ordering is a sorted list of tuples (group, ..., member); neighbours share the group.

    In the pool-wide orderings, members of an in-person group of ``crowd`` or more (who will
    nearly all pair in person) sort last, so that the others' neighbours are mostly members who
    will pair online too.
    """
    by_area_interest: list[tuple[int, ...]] = []
    by_area: list[tuple[int, ...]] = []
    by_interest: list[tuple[int, ...]] = []
    by_offset: list[tuple[int, ...]] = []
    n_tags = len(pool.tag_names)
    group_size: dict[int, int] = {}
    for i in subset:
        code = pool.in_person_code[i]
        group_size[code] = group_size.get(code, 0) + 1
    for i in subset:
        mask, rank, offset, code = pool.mask[i], pool.rank[i], pool.offset[i], pool.in_person_code[i]
        bits = [bit for bit in range(n_tags) if mask >> bit & 1] if mask else []
        if code >= 0:
            by_area.append((code, offset, mask, rank, i))
            by_area_interest.extend((code * (n_tags + 1) + bit, mask, rank, i) for bit in bits)
        crowded = 1 if code >= 0 and group_size[code] >= crowd else 0
        by_interest.extend((bit, crowded, offset, mask, rank, i) for bit in bits)
        if len(bits) < 2:  # few interests to go by: neighbours by time zone instead
            by_offset.append((0, crowded, offset, mask, rank, i))
    orderings = [by_area_interest, by_area, by_interest, by_offset]
    for ordering in orderings:
        ordering.sort()
    return orderings


def sparse_edges(pool: Pool, subset: Sequence[int], settings: GraphSettings = DEFAULT_GRAPH) -> list[Edge]:
    """A few of the best-looking valid pairs for each member of ``subset``, heaviest first."""
    n = pool.n
    candidates: set[int] = set()
    for k, ordering in enumerate(_orderings(pool, subset, settings.crowd)):
        groups = [entry[0] for entry in ordering]
        members = [entry[-1] for entry in ordering]
        for step in range(1, (settings.window if k < 2 else settings.wide_window) + 1):
            candidates.update(
                i * n + j if i < j else j * n + i
                for g, h, i, j in zip(groups, groups[step:], members, members[step:], strict=False)
                if g == h and i != j
            )

    rank = pool.rank
    scored = [(-w, ri, rj, i, j) if (ri := rank[i]) < (rj := rank[j]) else (-w, rj, ri, i, j)
              for w, i, j in pool.score_keys(candidates)]

    # Keep an edge while either end has fewer than top_k heavier ones: the heaviest first.
    scored.sort()
    top_k = settings.top_k
    kept_at = [0] * n
    edges: list[Edge] = []
    for negative, _, _, i, j in scored:
        if kept_at[i] < top_k or kept_at[j] < top_k:
            kept_at[i] += 1
            kept_at[j] += 1
            edges.append((-negative, i, j))
    return edges

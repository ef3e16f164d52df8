"""Buddy-pairing benchmark: speed on 10,000 members, quality against the exact optimum.

Run: .venv/bin/python benchmarks/matching.py [--quick]

Synthetic communities look like real servers: a few large cities and many small towns
(Zipf-like sizes), some members with no area, 2–6 interests each drawn Zipf-like from 40 tags,
a mix of in-person / online / either, time zones mostly from two or three related zones, and
some history (recent pairs within the repeat window, blocks, members who missed last round).
Needs networkx for the exact optimum (`pip install networkx`).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.domain.matching import GraphSettings, MatchResult, PoolMember, match_pool
from bot.domain.matching.graph import dense_edges, sparse_edges
from bot.domain.matching.model import DEFAULT_WEIGHTS
from bot.domain.matching.scoring import Pool
from bot.domain.matching.solver import max_weight_matching

NOW = datetime(2025, 3, 14, 18, 0, tzinfo=UTC)
TAGS = [f"tag{k:02d}" for k in range(40)]
REGIONS = [  # (weight, zones with their shares): mostly two or three related zones
    (0.55, [("Europe/London", 0.6), ("Europe/Dublin", 0.15), ("Europe/Paris", 0.25)]),
    (0.35, [("America/New_York", 0.55), ("America/Chicago", 0.25), ("America/Los_Angeles", 0.2)]),
    (0.10, [("Australia/Sydney", 0.5), ("Asia/Kolkata", 0.3), ("Asia/Tokyo", 0.2)]),
]


def zipf_weights(count: int, exponent: float) -> list[float]:
    return [1.0 / (k + 1) ** exponent for k in range(count)]


class Community:
    def __init__(self, members: list[PoolMember], recent: set[frozenset[int]], blocks: set[frozenset[int]]) -> None:
        self.members = members
        self.recent = recent
        self.blocks = blocks


def community(n: int, seed: int) -> Community:
    rng = random.Random(seed)
    n_areas = max(3, n // 12)
    area_weights = zipf_weights(n_areas, 1.1)  # a few big cities, a long tail of small towns
    area_zone = []
    for _ in range(n_areas):
        region = rng.choices(REGIONS, weights=[w for w, _ in REGIONS])[0][1]
        area_zone.append(rng.choices([z for z, _ in region], weights=[s for _, s in region])[0])
    tag_weights = zipf_weights(len(TAGS), 1.0)
    members = []
    for member_id in range(1, n + 1):
        if rng.random() < 0.15:
            area = None
            region = rng.choices(REGIONS, weights=[w for w, _ in REGIONS])[0][1]
            zone = rng.choices([z for z, _ in region], weights=[s for _, s in region])[0]
        else:
            code = rng.choices(range(n_areas), weights=area_weights)[0]
            area, zone = f"area{code:04d}", area_zone[code]
        interests: set[str] = set()
        wanted = rng.randint(2, 6)
        while len(interests) < wanted:
            interests.add(rng.choices(TAGS, weights=tag_weights)[0])
        roll = rng.random()
        preference = "in_person" if roll < 0.25 else "online" if roll < 0.5 else "either"
        last = None if rng.random() < 0.2 else NOW - timedelta(days=rng.uniform(7, 60))
        members.append(PoolMember(id=member_id, area=area, preference=preference,  # type: ignore[arg-type]
                                  interests=frozenset(interests), time_zone=zone, last_paired_at=last,
                                  missed_last_round=rng.random() < 0.03))
    by_area: dict[str | None, list[int]] = {}
    for m in members:
        by_area.setdefault(m.area, []).append(m.id)
    recent: set[frozenset[int]] = set()
    for m in members:  # about three recent partners each, half of them from the same area
        for _ in range(rng.randint(0, 3)):
            near = by_area[m.area]
            other = rng.choice(near) if m.area and rng.random() < 0.5 else rng.randint(1, n)
            if other != m.id:
                recent.add(frozenset((m.id, other)))
    blocks = {frozenset(rng.sample(range(1, n + 1), 2)) for _ in range(n // 50)}
    return Community(members, recent, blocks)


def run(c: Community, seed: int = 0, graph: GraphSettings | None = None) -> MatchResult:
    extra = {"graph": graph} if graph else {}
    return match_pool(c.members, now=NOW, recent_pairs=c.recent, blocks=c.blocks, seed=seed, **extra)


def in_person_share(c: Community, groups: list[tuple[int, ...]]) -> float:
    by_id = {m.id: m for m in c.members}
    def can_meet(group: tuple[int, ...]) -> bool:
        people = [by_id[i] for i in group]
        return (people[0].area is not None and all(p.area == people[0].area for p in people)
                and all(p.preference != "online" for p in people))
    return sum(can_meet(g) for g in groups) / max(1, len(groups))


def in_person_ceiling(c: Community) -> float:
    """The share of groups that could meet in person if every area's open members paired among themselves."""
    open_by_area: dict[str, int] = {}
    for m in c.members:
        if m.area and m.preference != "online":
            open_by_area[m.area] = open_by_area.get(m.area, 0) + 1
    return sum(k // 2 for k in open_by_area.values()) / (len(c.members) // 2)


def random_pairing(c: Community, seed: int) -> list[tuple[int, ...]]:
    """What Donut does: shuffle, pair each with the next member they have not met recently."""
    rng = random.Random(seed)
    ids = [m.id for m in c.members]
    rng.shuffle(ids)
    free = ids[:]
    pairs = []
    while len(free) >= 2:
        a = free.pop(0)
        for k, b in enumerate(free):
            if frozenset((a, b)) not in c.recent and frozenset((a, b)) not in c.blocks:
                pairs.append((a, b))
                free.pop(k)
                break
    return pairs


def pool_for(c: Community) -> Pool:
    return Pool(c.members, now=NOW, weights=DEFAULT_WEIGHTS, forbidden_pairs=[*c.recent, *c.blocks], seed=0)


def exact(edges: list[tuple[float, int, int]]) -> float:
    """networkx's exact maximum-weight matching (Edmonds' blossom algorithm): its total score."""
    import networkx as nx

    g = nx.Graph()
    g.add_weighted_edges_from((i, j, w) for w, i, j in edges)
    return float(sum(g[i][j]["weight"] for i, j in nx.max_weight_matching(g)))


def ours(pool: Pool, edges: list[tuple[float, int, int]], *, off_graph: bool) -> float:
    """Our matching's total score; with off_graph, swaps may use pairs outside the graph (as match_pool does)."""
    mate = max_weight_matching(pool.n, edges, pool.rank, extra=pool.scorer() if off_graph else None)
    return sum(pool.score(i, j) for i, j in enumerate(mate) if j > i)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and instances")
    args = parser.parse_args()
    runs, instances, dense_instances = (3, 1, 1) if args.quick else (7, 3, 2)

    big = community(10_000, seed=1)
    timings = []
    for k in range(runs):
        started = time.perf_counter()
        result = run(big, seed=k)
        timings.append(time.perf_counter() - started)
    grouped = sum(len(g) for g in result.groups)
    trios = sum(len(g) == 3 for g in result.groups)
    print(f"10,000 members: median {statistics.median(timings):.2f} s over {runs} runs "
          f"(min {min(timings):.2f}, max {max(timings):.2f}); {len(result.groups)} groups ({trios} trios), "
          f"{grouped} grouped, {len(result.unmatched)} unmatched")

    ours_ip, random_ip, ceiling = [], [], []
    for k in range(5):
        c = community(1_000, seed=100 + k)
        ours_ip.append(in_person_share(c, list(run(c, seed=k).groups)))
        random_ip.append(in_person_share(c, random_pairing(c, seed=k)))
        ceiling.append(in_person_ceiling(c))
    print(f"1,000 members, 5 communities: groups that can meet in person (same area, both open to it): "
          f"ours {statistics.mean(ours_ip):.1%}, "
          f"random pairing that only avoids repeats {statistics.mean(random_ip):.1%} "
          f"(at most {statistics.mean(ceiling):.1%} could, even ignoring repeats and blocks)")

    try:
        import networkx  # noqa: F401
    except ImportError:
        print("networkx is not installed: skipping the comparison with the exact optimum")
        return
    on_graph, as_used = [], []
    for k in range(instances):
        c = community(1_000, seed=100 + k)
        pool = pool_for(c)
        edges = sparse_edges(pool, list(range(pool.n)))
        best = exact(edges)
        on_graph.append(ours(pool, edges, off_graph=False) / best)
        as_used.append(ours(pool, edges, off_graph=True) / best)
    print(f"1,000 members, {instances} communities, total score as a share of the exact optimum on the same sparse "
          f"graph ({len(edges)} edges): graph only mean {statistics.mean(on_graph):.4f} (min {min(on_graph):.4f}); "
          f"as match_pool runs it (swaps may use pairs off the graph) mean {statistics.mean(as_used):.4f}")

    dense_shares = []
    for k in range(dense_instances):
        c = community(400, seed=200 + k)
        pool = pool_for(c)
        everyone = list(range(pool.n))
        best = exact(dense_edges(pool, everyone))
        dense_shares.append(ours(pool, sparse_edges(pool, everyone), off_graph=True) / best)
    print(f"400 members, {dense_instances} communities: our sparse-graph matching as a share of the exact optimum "
          f"on the full graph (every valid pair): mean {statistics.mean(dense_shares):.4f}, "
          f"min {min(dense_shares):.4f}")


if __name__ == "__main__":
    main()

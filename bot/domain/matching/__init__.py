"""Buddy pairing: the pure matching engine (no discord, no I/O, ``now`` passed in).

Call :func:`match_pool` with the round's pool; see :class:`MatchResult` for what comes back::

    result = match_pool(members, now=now, recent_pairs=recent, blocks=blocks, seed=round_id)
    for group, why in zip(result.groups, result.reasons):
        ...  # intro thread for `group`, mentioning why.area / why.shared_interests / ...
    remember(result.pairs_to_remember())  # every pair inside a group, trios included
    next_round_first_in_line(result.unmatched)  # -> missed_last_round=True next time

How it works: every valid pair gets a score (:class:`MatchWeights`); pools up to
``GraphSettings.dense_limit`` members consider every valid pair, larger pools a sparse candidate
graph (``graph``); a near-optimal maximum-weight matching is found (``solver``: greedy, then
short improving swaps, augmentations and rotations); leftovers join the pair they fit best as a
third member, or swap in where the displaced member can join a trio (``engine``). Blocked and
recent pairs are never grouped, trios included.
"""

from bot.domain.matching.engine import match_pool
from bot.domain.matching.graph import DEFAULT_GRAPH, GraphSettings
from bot.domain.matching.model import (
    DEFAULT_WEIGHTS,
    GroupReasons,
    MatchResult,
    MatchWeights,
    PoolMember,
    Preference,
)

__all__ = [
    "DEFAULT_GRAPH",
    "DEFAULT_WEIGHTS",
    "GraphSettings",
    "GroupReasons",
    "MatchResult",
    "MatchWeights",
    "PoolMember",
    "Preference",
    "match_pool",
]

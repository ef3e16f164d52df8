"""“Don't go alone”: grouping members who asked for someone to go to a meetup with.

Pairs, with one trio when the number is odd; never two people where one blocked the other. Within
those rules as many people as possible get a group; earlier requests are preferred when there is a
choice. Small sets (the usual case) are searched exhaustively; large ones greedily.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import ClassVar

from bot.domain.work import Work, key_part

ROUNDS = {"48h": timedelta(hours=48), "6h": timedelta(hours=6)}
LAST_ROUND = "6h"
_EXHAUSTIVE_UP_TO = 14


def round_times(start: datetime, now: datetime) -> list[tuple[str, datetime]]:
    """(label, due) of each pairing round still ahead of `now`."""
    return [(label, start - before) for label, before in ROUNDS.items() if start - before > now]


@dataclass(frozen=True)
class PairingRound(Work):
    """A pairing round for one meetup (`label` 48h or 6h; the last also tells who is left alone). Carries the
    start, so moving a meetup makes its old rounds stale rather than early. `late_at`: a round run at once for
    a request made after the last round had passed."""

    KIND: ClassVar[str] = "event.companions"
    event_id: int = key_part()
    label: str = key_part()
    start: datetime = key_part()
    late_at: datetime | None = None
    # The server, so that the process running its shard does it (it reads the server from its gateway cache).
    guild_id: int | None = None

    def key(self) -> str:
        # Kept from before typed payloads (epoch seconds, late rounds named by their time): stored rounds must
        # not be planned twice.
        name = self.label if self.late_at is None else f"late-{int(self.late_at.timestamp())}"
        return f"event-companions:{self.event_id}:{name}:{int(self.start.timestamp())}"


@dataclass(frozen=True)
class CompanionNote(Work):
    """One DM: an introduction without a thread (`what` = "intro-<group>"), or "nobody else asked" ("alone")."""

    KIND: ClassVar[str] = "event.companions.note"
    event_id: int = key_part()
    user_id: int = key_part()
    what: str = key_part()  # "alone", or "intro-<group number>"
    # The server, so that the process running its shard does it (it reads the server from its gateway cache).
    guild_id: int | None = None

    def key(self) -> str:
        # Kept from before typed payloads: a note is sent once, across the change too.
        return f"event-companions-note:{self.event_id}:{self.user_id}:{self.what}"


def _compatible(group: Sequence[int], other: int, blocked: set[frozenset[int]]) -> bool:
    return all(frozenset((member, other)) not in blocked for member in group)


def pair_up(requesters: Sequence[int], blocked: set[frozenset[int]]) -> tuple[list[list[int]], list[int]]:
    """Groups of two (one of three if odd) and whoever is left alone, in request order."""
    people = list(dict.fromkeys(requesters))
    if len(people) < 2:
        return [], people
    pairs = _best_pairs(people, blocked) if len(people) <= _EXHAUSTIVE_UP_TO else _greedy_pairs(people, blocked)
    paired = {member for pair in pairs for member in pair}
    left = [person for person in people if person not in paired]
    groups = [list(pair) for pair in pairs]
    for person in list(left):  # an odd one out joins a pair to make a trio, where nobody blocked anyone
        target = next((group for group in groups if len(group) == 2 and _compatible(group, person, blocked)), None)
        if target is not None:
            target.append(person)
            left.remove(person)
    return groups, left


def _greedy_pairs(people: list[int], blocked: set[frozenset[int]]) -> list[tuple[int, int]]:
    pairs: list[tuple[int, int]] = []
    free = list(people)
    while free:
        first = free.pop(0)
        partner = next((other for other in free if frozenset((first, other)) not in blocked), None)
        if partner is not None:
            free.remove(partner)
            pairs.append((first, partner))
    return pairs


def _best_pairs(people: list[int], blocked: set[frozenset[int]]) -> list[tuple[int, int]]:
    """A maximum set of allowed pairs; among equals, the one pairing earlier requesters first."""

    @cache
    def best(remaining: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
        if len(remaining) < 2:
            return ()
        first, rest = remaining[0], remaining[1:]
        chosen: tuple[tuple[int, int], ...] = ()
        for index, other in enumerate(rest):
            if frozenset((first, other)) in blocked:
                continue
            option = ((first, other), *best(rest[:index] + rest[index + 1:]))
            if len(option) > len(chosen):
                chosen = option
                if 2 * len(chosen) >= len(remaining) - 1:
                    return chosen  # nobody (or only one) left out: can't do better
        without_first = best(rest)  # the first person sits out, only if that pairs more people
        return without_first if len(without_first) > len(chosen) else chosen

    return list(best(tuple(people)))

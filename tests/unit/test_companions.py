from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.companions import PairingRound, pair_up, round_times


def test_pairs_in_request_order() -> None:
    assert pair_up([1, 2, 3, 4], set()) == ([[1, 2], [3, 4]], [])


def test_an_odd_one_out_makes_a_trio() -> None:
    assert pair_up([1, 2, 3], set()) == ([[1, 2, 3]], [])
    assert pair_up([1, 2, 3, 4, 5], set()) == ([[1, 2, 5], [3, 4]], [])


def test_one_person_is_left_alone() -> None:
    assert pair_up([1], set()) == ([], [1])
    assert pair_up([], set()) == ([], [])


def test_blocked_people_are_never_together() -> None:
    groups, alone = pair_up([1, 2, 3, 4], {frozenset((1, 2)), frozenset((3, 4))})
    assert sorted(sorted(group) for group in groups) == [[1, 3], [2, 4]] and alone == []


def test_a_trio_is_never_made_with_someone_blocked() -> None:
    groups, alone = pair_up([1, 2, 3], {frozenset((3, 1))})
    assert groups == [[1, 2]] and alone == [3]


def test_two_who_blocked_each_other_stay_apart() -> None:
    assert pair_up([1, 2], {frozenset((1, 2))}) == ([], [1, 2])


@given(st.lists(st.integers(1, 30), max_size=20, unique=True),
       st.sets(st.frozensets(st.integers(1, 30), min_size=2, max_size=2), max_size=40))
def test_groups_are_pairs_or_trios_without_blocks_and_everyone_is_somewhere(people: list[int],
                                                                             blocked: set[frozenset[int]]) -> None:
    groups, alone = pair_up(people, blocked)
    placed = [member for group in groups for member in group] + alone
    assert sorted(placed) == sorted(people)
    assert all(len(group) in (2, 3) for group in groups)
    assert sum(len(group) == 3 for group in groups) <= max(1, len(groups))
    for group in groups:
        assert all(frozenset((a, b)) not in blocked for a in group for b in group if a != b)


def test_rounds_ahead_and_keys() -> None:
    start = datetime(2026, 1, 10, 18, tzinfo=UTC)
    assert [label for label, _ in round_times(start, start - timedelta(hours=50))] == ["48h", "6h"]
    assert [label for label, _ in round_times(start, start - timedelta(hours=10))] == ["6h"]
    assert round_times(start, start - timedelta(hours=1)) == []
    assert PairingRound(3, "6h", start).key() == f"event-companions:3:6h:{int(start.timestamp())}"
    late = start - timedelta(hours=1)
    assert PairingRound(3, "6h", start, late_at=late).key() == (
        f"event-companions:3:late-{int(late.timestamp())}:{int(start.timestamp())}")

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.moods import Entry, Mood, streak, suggestion_for, summarise

TODAY = date(2026, 11, 26)
day_sets = st.sets(st.integers(min_value=0, max_value=60)).map(
    lambda offsets: {TODAY - timedelta(days=o) for o in offsets})


def test_moods_have_words_and_emoji():
    assert [m.label for m in Mood] == ["😣 awful", "😔 low", "😐 okay", "🙂 good", "😄 great"]
    assert [m.is_low for m in Mood] == [True, True, False, False, False]


@pytest.mark.parametrize(("offsets", "expected"), [
    ([], 0), ([0], 1), ([1], 1), ([0, 1, 2], 3), ([1, 2, 3], 3), ([0, 2, 3], 1), ([2, 3], 0), ([0, 0, 1], 2),
])
def test_streak_examples(offsets, expected):
    assert streak([TODAY - timedelta(days=o) for o in offsets], TODAY) == expected


@given(day_sets)
def test_streak_is_the_run_of_consecutive_days_ending_today_or_yesterday(days):
    result = streak(days, TODAY)
    end = TODAY if TODAY in days else TODAY - timedelta(days=1)
    assert all(end - timedelta(days=i) in days for i in range(result))
    assert end - timedelta(days=result) not in days


@given(day_sets)
def test_checking_in_today_never_lowers_the_streak_and_adds_at_most_one(days):
    before = streak(days, TODAY)
    after = streak(days | {TODAY}, TODAY)
    assert after >= max(before, 1)
    assert after <= before + 1 or TODAY in days


@given(st.lists(st.tuples(st.integers(0, 120), st.integers(1, 5)), max_size=80), st.sampled_from([7, 30, 90]))
def test_summary_figures_only_count_the_window(raw, days):
    entries = [Entry(TODAY - timedelta(days=offset), Mood(mood)) for offset, mood in raw]
    summary = summarise(entries, TODAY, days)
    inside = [e for e in entries if TODAY - timedelta(days=days - 1) <= e.local_date <= TODAY]
    if not inside:
        assert summary is None
        return
    assert summary is not None
    assert summary.count == len(inside)
    assert 1 <= summary.average <= 5
    assert summary.average == pytest.approx(sum(int(e.mood) for e in inside) / len(inside))
    assert [d for d, _ in summary.daily] == sorted({e.local_date for e in inside})
    assert summary.most_common in {e.mood for e in inside}


def test_best_weekday_needs_two_weekdays_and_picks_the_happiest():
    monday = date(2026, 11, 23)
    one_day = [Entry(monday, Mood.GOOD)]
    assert summarise(one_day, TODAY, 7).best_weekday is None
    two_days = [Entry(monday, Mood.LOW), Entry(monday + timedelta(days=2), Mood.GREAT)]
    assert summarise(two_days, TODAY, 7).best_weekday == 2


def test_suggestions_vary_without_randomness():
    assert suggestion_for(Mood.LOW, 0) == suggestion_for(Mood.LOW, 2)
    assert suggestion_for(Mood.LOW, 0) != suggestion_for(Mood.LOW, 1)

from __future__ import annotations

from bot.domain.event_feedback import FeedbackCounts, figures


def _counts(how: dict[str, int], yes: int, no: int) -> FeedbackCounts:
    return FeedbackCounts(events_held=2, attendees=12, distinct_attendees=9, answered=max(sum(how.values()), yes + no),
                          how=how, met_yes=yes, met_no=no)


def test_breakdowns_hidden_under_five_answers() -> None:
    shown = figures(_counts({"good": 3, "okay": 1}, yes=2, no=2))
    assert shown.met_share is None and shown.how_shares is None


def test_breakdowns_at_five_or_more() -> None:
    shown = figures(_counts({"good": 3, "okay": 1, "not_for_me": 1}, yes=4, no=1))
    assert shown.met_share == 0.8
    assert shown.how_shares == {"good": 0.6, "okay": 0.2, "not_for_me": 0.2}


def test_each_question_has_its_own_threshold() -> None:
    shown = figures(_counts({"good": 5}, yes=1, no=0))
    assert shown.how_shares is not None and shown.met_share is None

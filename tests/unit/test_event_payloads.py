"""Meetup due-work payloads: keys keep the format of rows already stored; rows written before typed payloads
decode."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.companions import CompanionNote, PairingRound
from bot.domain.event_feedback import FeedbackAsk, FeedbackFanOut
from bot.domain.event_reminders import EventReminder
from bot.domain.event_series import SeriesAnnouncement

START = datetime(2026, 1, 4, 10, 30, tzinfo=UTC)
EPOCH = int(START.timestamp())


def test_keys_are_the_ones_already_in_databases() -> None:
    assert EventReminder(1, 2, "24h", START).key() == f"event-reminder:1:2:24h:{EPOCH}"
    assert SeriesAnnouncement(3, 4).key() == "event-series:3:4"
    assert PairingRound(5, "48h", START).key() == f"event-companions:5:48h:{EPOCH}"
    assert CompanionNote(5, 6, "intro-2").key() == "event-companions-note:5:6:intro-2"
    assert FeedbackFanOut(7, START).key() == f"event-feedback:7:{EPOCH}"
    assert FeedbackAsk(7, 8).key() == "event-feedback-ask:7:8"


def test_old_rows_decode_to_typed_payloads() -> None:
    reminder = EventReminder.decode({"event_id": 1, "user_id": 2, "label": "1h", "start": START.isoformat()})
    assert reminder == EventReminder(1, 2, "1h", START)
    assert PairingRound.decode({"event_id": 5, "label": "6h", "start": START.isoformat()}) == PairingRound(
        5, "6h", START)
    assert FeedbackFanOut.decode({"event_id": 7, "end": START.isoformat()}) == FeedbackFanOut(7, START)
    assert SeriesAnnouncement.decode({"series_id": "3", "number": 4}) == SeriesAnnouncement(3, 4)


def test_payloads_round_trip() -> None:
    for work in (EventReminder(1, 2, "24h", START), PairingRound(5, "6h", START, late_at=START),
                 CompanionNote(5, 6, "alone"), FeedbackAsk(7, 8)):
        assert type(work).decode(work.encode()) == work

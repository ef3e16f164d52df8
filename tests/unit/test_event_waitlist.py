"""How long a freed place is held for the next member waiting, and where its due work belongs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.event_waitlist import (
    CLAIM_WINDOW,
    MIN_WINDOW,
    OfferExpiry,
    WaitlistOffer,
    moved_deadline,
    offer_deadline,
)
from bot.domain.privacy import WorkPlace, work_place
from bot.domain.privacy_export import WORK_WORDS

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_a_meetup_days_away_holds_the_place_for_the_whole_window() -> None:
    assert offer_deadline(NOW, NOW + timedelta(days=3)) == NOW + CLAIM_WINDOW


def test_a_meetup_later_today_ends_the_offer_an_hour_before_it_starts() -> None:
    assert offer_deadline(NOW, NOW + timedelta(hours=5)) == NOW + timedelta(hours=4)
    assert offer_deadline(NOW, NOW + timedelta(hours=1) + MIN_WINDOW) == NOW + MIN_WINDOW


def test_too_close_to_the_start_for_any_window_gives_the_place_outright() -> None:
    assert offer_deadline(NOW, NOW + timedelta(hours=1, minutes=14)) is None
    assert offer_deadline(NOW, NOW + timedelta(minutes=30)) is None


def test_a_moved_meetup_clamps_an_open_offer_but_always_leaves_time_to_answer() -> None:
    current = NOW + timedelta(hours=12)
    assert moved_deadline(NOW, current, NOW + timedelta(days=5)) == current  # later: unchanged
    assert moved_deadline(NOW, current, NOW + timedelta(hours=6)) == NOW + timedelta(hours=5)
    assert moved_deadline(NOW, current, NOW + timedelta(minutes=30)) == NOW + MIN_WINDOW


def test_offer_work_belongs_to_its_meetup_and_has_words_for_the_export() -> None:
    for work in (WaitlistOffer(event_id=4, user_id=1, expires_at=NOW),
                 OfferExpiry(event_id=4, user_id=1, expires_at=NOW, guild_id=9)):
        assert work_place(work.KIND, work.encode()) == WorkPlace(event_id=4)
        assert work.KIND in WORK_WORDS
        assert type(work).decode(work.encode()) == work

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.errors import InvalidInput
from bot.domain.event_series import (
    ANNOUNCE_AHEAD,
    SeriesAnnouncement,
    announce_at,
    parse_repeat,
    parse_until,
)

LONDON = "Europe/London"
FIRST = datetime(2026, 3, 17, 19, 0, tzinfo=ZoneInfo(LONDON)).astimezone(UTC)  # a Tuesday, GMT


def test_times_counts_every_date_including_the_first() -> None:
    spec = parse_repeat("weekly", zone=LONDON, first_start=FIRST, times=3)
    assert spec.starts(FIRST, 10) == [FIRST, FIRST + timedelta(days=7), FIRST + timedelta(days=14) - timedelta(hours=1)]
    assert spec.start_of(FIRST, 3) is not None and spec.start_of(FIRST, 4) is None
    assert spec.describe(FIRST) == "every Tuesday at 19:00, 3 times"


def test_until_is_the_whole_local_day_and_inclusive() -> None:
    spec = parse_repeat("weekly", zone=LONDON, first_start=FIRST, until="2026-03-31")
    assert len(spec.starts(FIRST, 52)) == 3  # 17, 24 and 31 March: 31 March 19:00 is before its end
    assert spec.describe(FIRST) == "every Tuesday at 19:00, until Tuesday, March 31, 2026"


def test_no_end_carries_on() -> None:
    spec = parse_repeat("every_other_week", zone=LONDON, first_start=FIRST)
    assert spec.start_of(FIRST, 30) is not None
    assert spec.describe(FIRST).endswith("until cancelled")


@pytest.mark.parametrize(("kwargs", "says"), [
    ({"times": 1}, "2 to 52"), ({"times": 53}, "2 to 52"), ({"times": 2, "until": "2026-05-01"}, "not both"),
    ({"until": "2026-03-20"}, "leaves only the first"), ({"until": "2026-03-01"}, "after its first meetup"),
    ({"until": "2029-01-01"}, "two years"), ({"until": "04/05/2026"}, "two ways"),
    ({"until": "2026-02-30"}, "real date"),
    ({"until": "whenever"}, "couldn't read"),
])
def test_bad_ends_are_refused_with_a_sentence(kwargs: dict[str, object], says: str) -> None:
    with pytest.raises(InvalidInput, match=says):
        parse_repeat("weekly", zone=LONDON, first_start=FIRST, **kwargs)  # type: ignore[arg-type]


def test_unknown_frequency_is_refused() -> None:
    with pytest.raises(InvalidInput):
        parse_repeat("daily", zone=LONDON, first_start=FIRST)


def test_until_in_words() -> None:
    assert parse_until("30 June", zone=LONDON, first_start=FIRST).isoformat() == "2026-06-30"


def test_announced_when_the_previous_starts_or_two_weeks_ahead() -> None:
    weekly_next = FIRST + timedelta(days=7)
    assert announce_at(FIRST, weekly_next) == FIRST
    monthly_next = FIRST + timedelta(days=28)
    assert announce_at(FIRST, monthly_next) == monthly_next - ANNOUNCE_AHEAD
    assert announce_at(None, weekly_next) == weekly_next - ANNOUNCE_AHEAD
    assert SeriesAnnouncement(7, 3).key() == "event-series:7:3"

"""When a home check asks and follows up (never in quiet hours), and how its due-work rows are named."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.quiet_hours import QuietHours
from bot.domain.safety import (
    ASK_AFTER_END,
    EARLIEST_AFTER_END,
    FOLLOW_UP_AFTER,
    HomeCheck,
    ask_at,
    check_key,
    check_keys,
    event_of_ref,
    event_ref,
    follow_up_at,
    is_ref,
    time_ref,
)

LONDON = ZoneInfo("Europe/London")
NIGHT = QuietHours(time(22, 0), time(7, 0))


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_without_quiet_hours_it_asks_three_hours_after_the_end() -> None:
    assert ask_at(_utc(2026, 1, 4, 19, 30), None, LONDON) == _utc(2026, 1, 4, 22, 30)


def test_outside_quiet_hours_nothing_moves() -> None:
    assert ask_at(_utc(2026, 1, 4, 14, 0), NIGHT, LONDON) == _utc(2026, 1, 4, 17, 0)


def test_in_quiet_hours_it_asks_just_before_they_begin_when_that_is_not_too_soon() -> None:
    assert ask_at(_utc(2026, 1, 4, 19, 30), NIGHT, LONDON) == _utc(2026, 1, 4, 21, 45)


def test_when_quiet_hours_begin_too_soon_after_the_end_it_waits_until_they_end() -> None:
    assert ask_at(_utc(2026, 1, 4, 21, 0), NIGHT, LONDON) == _utc(2026, 1, 5, 7, 0)


def test_quiet_hours_are_read_in_the_members_own_zone() -> None:
    # 19:30 UTC ends at 14:30 in New York; 17:30 there is outside its quiet hours.
    assert ask_at(_utc(2026, 1, 4, 19, 30), NIGHT, ZoneInfo("America/New_York")) == _utc(2026, 1, 4, 22, 30)


def test_the_follow_up_comes_two_hours_later_out_of_quiet_hours() -> None:
    assert follow_up_at(_utc(2026, 1, 4, 18, 0), NIGHT, LONDON) == _utc(2026, 1, 4, 20, 0)
    assert follow_up_at(_utc(2026, 1, 4, 21, 45), NIGHT, LONDON) == _utc(2026, 1, 5, 7, 0)
    assert follow_up_at(_utc(2026, 1, 4, 21, 45), None, LONDON) == _utc(2026, 1, 4, 23, 45)


@given(end=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31)),  # noqa: DTZ001
       start=st.integers(0, 23 * 60 + 59), length=st.integers(1, 23 * 60),
       zone=st.sampled_from(["Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "UTC"]))
def test_never_inside_quiet_hours_and_never_sooner_than_an_hour_after_the_end(
        end: datetime, start: int, length: int, zone: str) -> None:
    quiet = QuietHours(time(start // 60, start % 60), time(((start + length) // 60) % 24, (start + length) % 60))
    tz, ends = ZoneInfo(zone), end.replace(tzinfo=UTC)
    asked = ask_at(ends, quiet, tz)
    assert not quiet.is_quiet(asked, tz)
    assert asked >= ends + EARLIEST_AFTER_END
    if not quiet.is_quiet(ends + ASK_AFTER_END, tz):
        assert asked == ends + ASK_AFTER_END
    followed = follow_up_at(asked, quiet, tz)
    assert not quiet.is_quiet(followed, tz) and followed >= asked + FOLLOW_UP_AFTER


def test_a_check_names_its_member_its_occasion_and_its_stage() -> None:
    check = HomeCheck(user_id=42, ref=event_ref(7), stage="ask", guild_id=1, ends_at=_utc(2026, 1, 4, 19, 30))

    assert check.key() == "safety.home:42:e7:ask"
    assert check.follow_up().key() == "safety.home:42:e7:follow_up"
    assert check.moved().key() == "safety.home:42:e7:ask:later"
    assert check.encode()["user_id"] == 42  # so due_work.user_id is filled
    assert HomeCheck.decode(check.moved().encode()) == check.moved()
    assert check.event_id == 7
    assert set(check_keys(42, "e7")) == {check.key(), check.moved().key(), check.follow_up().key(),
                                         check.follow_up().moved().key()}
    assert check_keys(42, "e7", ("follow_up",)) == [check_key(42, "e7", "follow_up"),
                                                    check_key(42, "e7", "follow_up", later=True)]


def test_references_say_what_a_check_is_about() -> None:
    moment = _utc(2026, 1, 3, 14, 0)
    assert time_ref(moment) == f"t{int(moment.timestamp())}" and event_of_ref(time_ref(moment)) is None
    assert event_of_ref(event_ref(12)) == 12
    assert is_ref("e12") and is_ref(time_ref(moment))
    assert not is_ref("x12") and not is_ref("e") and not is_ref("e1x")

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.domain.errors import InvalidInput
from bot.domain.event_time import MAX_AHEAD, parse_event_start, validate_duration, validate_title

LONDON = "Europe/London"
NEW_YORK = "America/New_York"
SYDNEY = "Australia/Sydney"
# Friday 27 March 2026, 12:03:27 in London (GMT); the clocks go forward on Sunday 29 March.
FRIDAY_NOON = datetime(2026, 3, 27, 12, 3, 27, 500_000, tzinfo=UTC)


def at(zone: str, *parts: int, fold: int = 0) -> datetime:
    return datetime(*parts, tzinfo=ZoneInfo(zone), fold=fold).astimezone(UTC)


def refusal(text: str, *, zone: str = LONDON, now: datetime = FRIDAY_NOON) -> str:
    with pytest.raises(InvalidInput) as refused:
        parse_event_start(text, zone=zone, now=now)
    return refused.value.message


@pytest.mark.parametrize(("text", "expected"), [
    ("friday 7pm", at(LONDON, 2026, 3, 27, 19, 0)),  # today is Friday and 7pm is still ahead
    ("Fri 19:00", at(LONDON, 2026, 3, 27, 19, 0)),
    ("next friday 7pm", at(LONDON, 2026, 4, 3, 19, 0)),
    ("Friday 3 April 2026 7pm", at(LONDON, 2026, 4, 3, 19, 0)),  # a date given: not today
    ("friday 11am", at(LONDON, 2026, 4, 3, 11, 0)),  # today's 11am has gone: next Friday
    ("2026-12-05 18:30", at(LONDON, 2026, 12, 5, 18, 30)),
    ("2026-12-05T18:30", at(LONDON, 2026, 12, 5, 18, 30)),
    ("tomorrow at noon", at(LONDON, 2026, 3, 28, 12, 0)),
    ("tomorrow midday", at(LONDON, 2026, 3, 28, 12, 0)),
    ("next tuesday 18:00", at(LONDON, 2026, 3, 31, 18, 0)),
    ("next sat 7pm", at(LONDON, 2026, 3, 28, 19, 0)),
    ("5 dec 7pm", at(LONDON, 2026, 12, 5, 19, 0)),
    ("December 5th at 7:30 p.m.", at(LONDON, 2026, 12, 5, 19, 30)),
    ("7pm", at(LONDON, 2026, 3, 27, 19, 0)),
    ("at 19:00", at(LONDON, 2026, 3, 27, 19, 0)),
    ("today 7.30pm", at(LONDON, 2026, 3, 27, 19, 30)),
    ("friday 19.30", at(LONDON, 2026, 3, 27, 19, 30)),
    ("saturday 19h30", at(LONDON, 2026, 3, 28, 19, 30)),
    ("25/12 7pm", at(LONDON, 2026, 12, 25, 19, 0)),
    ("25.12.2026 19:00", at(LONDON, 2026, 12, 25, 19, 0)),
    ("in 3 days at 7pm", at(LONDON, 2026, 3, 30, 19, 0)),
    ("  Sunday   2:30PM ", at(LONDON, 2026, 3, 29, 14, 30)),
])
def test_reads_what_organisers_type(text: str, expected: datetime) -> None:
    assert parse_event_start(text, zone=LONDON, now=FRIDAY_NOON) == expected


@pytest.mark.parametrize(("text", "minutes"), [
    ("in 2 hours", 120), ("in 90 minutes", 90), ("in 1 hour 30 minutes", 90), ("in an hour", 60),
    ("in half an hour", 30), ("in 1h30", 90), ("in 45 min", 45), ("in 2h", 120), ("in 1.5 hours", 90),
    ("20 minutes from now", 20), ("in 1 hour and 15 minutes", 75),
])
def test_durations_from_now_are_exact_and_on_the_minute(text: str, minutes: int) -> None:
    expected = (FRIDAY_NOON + timedelta(minutes=minutes)).replace(second=0, microsecond=0)
    assert parse_event_start(text, zone=LONDON, now=FRIDAY_NOON) == expected


def test_in_two_hours_is_two_real_hours_across_the_spring_change() -> None:
    now = at(LONDON, 2026, 3, 29, 0, 30)  # 00:30 GMT; at 01:00 GMT the clocks jump to 02:00 BST
    start = parse_event_start("in 2 hours", zone=LONDON, now=now)
    assert start - now == timedelta(hours=2)
    assert start.astimezone(ZoneInfo(LONDON)).hour == 3


@pytest.mark.parametrize(("zone", "now", "text", "expected_local"), [
    # The clocks change between now and the meetup: the wall-clock time typed is the one kept.
    (LONDON, FRIDAY_NOON, "next tuesday 19:00", datetime(2026, 3, 31, 19, 0)),  # noqa: DTZ001
    (LONDON, at(LONDON, 2026, 10, 23, 9, 0), "monday 19:00", datetime(2026, 10, 26, 19, 0)),  # noqa: DTZ001
    (NEW_YORK, at(NEW_YORK, 2026, 3, 6, 9, 0), "monday 7pm", datetime(2026, 3, 9, 19, 0)),  # noqa: DTZ001
    (NEW_YORK, at(NEW_YORK, 2026, 10, 30, 9, 0), "monday 7pm", datetime(2026, 11, 2, 19, 0)),  # noqa: DTZ001
    (SYDNEY, at(SYDNEY, 2026, 4, 3, 9, 0), "monday 7pm", datetime(2026, 4, 6, 19, 0)),  # noqa: DTZ001
    (SYDNEY, at(SYDNEY, 2026, 10, 2, 9, 0), "monday 7pm", datetime(2026, 10, 5, 19, 0)),  # noqa: DTZ001
])
def test_local_time_is_kept_across_a_clock_change(zone: str, now: datetime, text: str,
                                                  expected_local: datetime) -> None:
    start = parse_event_start(text, zone=zone, now=now)
    assert start.tzinfo is UTC
    assert start.astimezone(ZoneInfo(zone)).replace(tzinfo=None) == expected_local
    before_change = now.astimezone(ZoneInfo(zone)).utcoffset()
    assert start.astimezone(ZoneInfo(zone)).utcoffset() != before_change


@pytest.mark.parametrize(("zone", "now", "text", "suggestion"), [
    (LONDON, FRIDAY_NOON, "sunday 1:30am", "02:30"),
    (NEW_YORK, at(NEW_YORK, 2026, 3, 6, 9, 0), "2026-03-08 02:15", "03:15"),
    (SYDNEY, at(SYDNEY, 2026, 10, 2, 9, 0), "sunday 2:30am", "03:30"),
])
def test_a_time_the_clocks_skip_is_refused_with_one_that_exists(zone: str, now: datetime, text: str,
                                                                  suggestion: str) -> None:
    message = refusal(text, zone=zone, now=now)
    assert f"The clocks in {zone} go forward then" in message
    assert f"such as {suggestion}" in message


def test_a_time_that_happens_twice_is_the_first_one() -> None:
    now = at(LONDON, 2026, 10, 23, 9, 0)
    assert parse_event_start("2026-10-25 01:30", zone=LONDON, now=now) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    now = at(SYDNEY, 2026, 4, 3, 9, 0)
    assert parse_event_start("sunday 2:30am", zone=SYDNEY, now=now) == at(SYDNEY, 2026, 4, 5, 2, 30, fold=0)


@pytest.mark.parametrize(("text", "hint"), [
    ("11am", "tomorrow 11am"), ("at 9:15", "tomorrow at 9:15"), ("today 11am", "tomorrow 11am"),
    ("this friday 11am", "tomorrow 11am"),
])
def test_a_bare_time_already_gone_today_asks_for_a_day(text: str, hint: str) -> None:
    assert refusal(text) == f"That time has already passed today; add a day, like “{hint}”."


@pytest.mark.parametrize("text", ["2025-01-01 10:00", "friday the 13th 7pm", "in 0 minutes"])
def test_the_past_is_refused(text: str) -> None:
    assert refusal(text).startswith("That's in the past")


@pytest.mark.parametrize("text", ["2029-01-01 10:00", "in 100000 hours", "5 dec 2030 7pm"])
def test_more_than_two_years_ahead_is_refused(text: str) -> None:
    assert refusal(text).startswith("That's more than two years away")


def test_just_under_two_years_is_fine() -> None:
    limit = (FRIDAY_NOON + MAX_AHEAD - timedelta(days=1)).astimezone(ZoneInfo(LONDON))
    assert parse_event_start(f"{limit:%Y-%m-%d} 12:00", zone=LONDON, now=FRIDAY_NOON) > FRIDAY_NOON


@pytest.mark.parametrize("text", ["tomorrow", "dec 5", "next week", "friday 7", "7", "in 3 days", "now", "tonight"])
def test_a_day_without_a_time_is_refused(text: str) -> None:
    assert refusal(text).startswith("Add a time of day too")


@pytest.mark.parametrize("text", ["garbage", "when everyone is free", "soon-ish"])
def test_unreadable_text_gets_examples(text: str) -> None:
    message = refusal(text)
    assert message.startswith("I couldn't read")
    assert "friday 7pm" in message and "2026-12-05 18:30" in message


def test_empty_and_huge_text_are_refused() -> None:
    assert refusal("   ").startswith("Type when the meetup starts")
    assert refusal("friday 7pm " * 20).startswith("That's too long")


def test_midnight_is_refused_as_ambiguous() -> None:
    assert "can mean the start or the end of a day" in refusal("friday midnight")


@pytest.mark.parametrize(("text", "quoted"), [("05/12/2026 7pm", "05/12/2026"), ("5-12 7pm", "5-12"),
                                              ("05.12.2026 19:00", "05.12.2026")])
def test_day_and_month_that_could_be_swapped_are_refused(text: str, quoted: str) -> None:
    message = refusal(text)
    assert message.startswith(f"“{quoted}” could be 5 December or 12 May")


def test_a_dotted_time_that_could_be_a_date_is_refused() -> None:
    assert "could be a date or a time" in refusal("friday 10.05")


def test_a_zone_typed_in_the_text_wins() -> None:
    assert parse_event_start("saturday 7pm UTC", zone=NEW_YORK, now=FRIDAY_NOON) == datetime(
        2026, 3, 28, 19, 0, tzinfo=UTC)
    assert parse_event_start("2026-12-05T18:30:00+05:00", zone=LONDON, now=FRIDAY_NOON) == datetime(
        2026, 12, 5, 13, 30, tzinfo=UTC)


def test_the_same_words_mean_the_organisers_local_time() -> None:
    in_london = parse_event_start("5 dec 7pm", zone=LONDON, now=FRIDAY_NOON)
    in_new_york = parse_event_start("5 dec 7pm", zone=NEW_YORK, now=FRIDAY_NOON)
    in_sydney = parse_event_start("5 dec 7pm", zone=SYDNEY, now=FRIDAY_NOON)
    assert in_new_york - in_london == timedelta(hours=5)
    assert in_london - in_sydney == timedelta(hours=11)


def test_today_and_tomorrow_follow_the_organisers_calendar() -> None:
    # 23:30 on Friday in London is already Saturday morning in Sydney.
    now = at(LONDON, 2026, 3, 27, 23, 30)
    assert parse_event_start("tomorrow 10am", zone=SYDNEY, now=now) == at(SYDNEY, 2026, 3, 29, 10, 0)
    assert parse_event_start("tomorrow 10am", zone=LONDON, now=now) == at(LONDON, 2026, 3, 28, 10, 0)


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError):
        parse_event_start("friday 7pm", zone=LONDON, now=datetime(2026, 3, 27, 12))  # noqa: DTZ001


zones = st.sampled_from([LONDON, NEW_YORK, SYDNEY, "Asia/Kolkata", "Pacific/Chatham", "UTC"])
nows = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2032, 1, 1),  # noqa: DTZ001
                    timezones=st.just(UTC))


@settings(max_examples=150, deadline=None)
@given(zones, nows, st.integers(min_value=2, max_value=700 * 24 * 60),
       st.sampled_from(["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d %B %Y %H:%M", "%d %b %Y at %H:%M",
                       "%A %d %B %Y %I:%M%p"]))
def test_a_formatted_future_local_time_reads_back_as_that_instant(zone: str, now: datetime, minutes_ahead: int,
                                                                  layout: str) -> None:
    tz = ZoneInfo(zone)
    # fold=0: a wall time that happens twice (the clocks go back) is read as its first occurrence, as typed text
    # can't say which one; the instant it came from may have been the second.
    wall = (now + timedelta(minutes=minutes_ahead)).astimezone(tz).replace(tzinfo=None, second=0, microsecond=0,
                                                                           fold=0)
    expected = wall.replace(tzinfo=tz).astimezone(UTC)
    assume(expected.astimezone(tz).replace(tzinfo=None) == wall)  # a wall time in the spring gap is refused
    assume(expected > now)
    assert parse_event_start(wall.strftime(layout), zone=zone, now=now) == expected


@settings(max_examples=100, deadline=None)
@given(zones, nows, st.integers(min_value=1, max_value=600))
def test_minutes_from_now_are_exact(zone: str, now: datetime, minutes: int) -> None:
    start = parse_event_start(f"in {minutes} minutes", zone=zone, now=now)
    assert start == (now + timedelta(minutes=minutes)).replace(second=0, microsecond=0)


def instant_ahead_or_sentence(text: str) -> None:
    try:
        start = parse_event_start(text, zone=LONDON, now=FRIDAY_NOON)
    except InvalidInput as refused:
        assert refused.message.endswith((".", "”."))
    else:
        assert start.tzinfo is UTC
        assert FRIDAY_NOON < start <= FRIDAY_NOON + MAX_AHEAD
        assert start.second == 0 and start.microsecond == 0


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
def test_any_text_is_an_instant_ahead_or_a_sentence(text: str) -> None:
    instant_ahead_or_sentence(text)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(["in", "at", "next", "friday", "sat", "7pm", "19:00", "5", "dec", "2026", "-", "/",
                                 "12", ".", "30", "hours", "minutes", "noon", "tomorrow", "from", "now", "utc",
                                 "+05:00", "h", "am", "the", "13th", "and", "half", "an"]), max_size=6))
def test_word_salad_is_an_instant_ahead_or_a_sentence(words: list[str]) -> None:
    instant_ahead_or_sentence(" ".join(words))


@pytest.mark.parametrize(("minutes", "ok"), [(1, True), (90, True), (1440, True), (0, False), (-5, False),
                                              (1441, False)])
def test_validate_duration(minutes: int, ok: bool) -> None:
    if ok:
        assert validate_duration(minutes) == minutes
    else:
        with pytest.raises(InvalidInput) as refused:
            validate_duration(minutes)
        assert refused.value.message.startswith("A meetup")


def test_validate_title() -> None:
    assert validate_title("  Sunday walk, tea after  ") == "Sunday walk, tea after"
    assert validate_title("x" * 100) == "x" * 100
    for bad, start in [("", "Give the meetup a title"), ("   ", "Give the meetup a title"),
                       ("x" * 101, "Keep the title to 100 characters or fewer (this one has 101)"),
                       ("Walk\nand talk", "Keep the title on one line"),
                       ("Walk\r\ntalk", "Keep the title on one line")]:
        with pytest.raises(InvalidInput) as refused:
            validate_title(bad)
        assert refused.value.message.startswith(start)


@given(st.text(max_size=120))
def test_validate_title_keeps_or_refuses_clearly(text: str) -> None:
    try:
        title = validate_title(text)
    except InvalidInput as refused:
        assert refused.message
    else:
        assert title == text.strip() and 1 <= len(title) <= 100 and "\n" not in title

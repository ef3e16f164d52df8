"""Finding a time: every proposed time is inside every counted member's availability and outside their quiet
hours, whatever their zones (clock changes included), quiet hours and day-part choices."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.errors import InvalidInput
from bot.domain.meeting_times import (
    DAY_PARTS,
    DURATION,
    DayPartChoice,
    Interval,
    Member,
    find_times,
    free_from_parts,
    free_from_text,
    part_choices,
    part_interval,
)
from bot.domain.quiet_hours import QuietHours

ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "Asia/Kathmandu", "UTC",
         "America/Los_Angeles", "Pacific/Auckland"]
# Windows that hold a clock change for London (25 Oct 2026), New York (1 Nov 2026), and a plain week.
STARTS = [datetime(2026, 10, 21, 8, tzinfo=UTC), datetime(2026, 10, 29, 13, tzinfo=UTC),
          datetime(2026, 3, 26, 10, 17, tzinfo=UTC), datetime(2026, 6, 1, 0, tzinfo=UTC)]


# Quiet hours on the quarter hour, any start and end (wrapping past midnight or not), or none.
quiet_hours = st.one_of(
    st.none(),
    st.tuples(st.integers(0, 95), st.integers(0, 95)).filter(lambda p: p[0] != p[1]).map(
        lambda p: QuietHours(time(p[0] // 4, 15 * (p[0] % 4)), time(p[1] // 4, 15 * (p[1] % 4)))))


@st.composite
def members(draw: st.DrawFn, window_start: datetime, window_end: datetime) -> Member:
    zone = ZoneInfo(draw(st.sampled_from(ZONES)))
    quiet = draw(quiet_hours)
    offered = part_choices(window_start, window_end, zone, quiet)
    if not offered:
        return Member(draw(st.integers(1, 10**6)), (), zone, quiet)
    picked = draw(st.lists(st.sampled_from(offered), min_size=1, max_size=len(offered), unique=True))
    free = free_from_parts(picked, zone=zone, quiet=quiet, window_start=window_start, window_end=window_end)
    return Member(draw(st.integers(1, 10**6)), tuple(free), zone, quiet)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), window_start=st.sampled_from(STARTS))
def test_every_proposal_is_inside_everyone_counted_and_outside_their_quiet_hours(
        data: st.DataObject, window_start: datetime) -> None:
    window_end = window_start + timedelta(days=7)
    group = data.draw(st.lists(members(window_start, window_end), min_size=2, max_size=4,
                               unique_by=lambda m: m.user_id))
    proposals = find_times(group, window_start=window_start, window_end=window_end)
    assert len(proposals) <= 3
    for proposal in proposals:
        assert proposal.end - proposal.start == DURATION
        assert proposal.start.minute in (0, 30) and window_start <= proposal.start and proposal.end <= window_end
        assert len(proposal.free) >= 2
        for member in group:
            if member.user_id not in proposal.free:
                continue
            assert any(i.contains(proposal.start, proposal.end) for i in member.free)
            minute = proposal.start
            while minute < proposal.end:
                assert member.quiet is None or not member.quiet.is_quiet(minute, member.zone)
                local = minute.astimezone(member.zone).time()
                assert time(9) <= local < time(21), "outside the day parts they chose"
                minute += timedelta(minutes=1)
    for first, second in itertools.pairwise(proposals):
        assert not Interval(first.start, first.end).overlaps(Interval(second.start, second.end))


@settings(max_examples=40, deadline=None)
@given(zone=st.sampled_from(ZONES), window_start=st.sampled_from(STARTS), quiet=quiet_hours)
def test_offered_day_parts_leave_room_outside_quiet_hours(zone: str, window_start: datetime,
                                                           quiet: QuietHours | None) -> None:
    tz = ZoneInfo(zone)
    for choice in part_choices(window_start, window_start + timedelta(days=7), tz, quiet):
        free = free_from_parts([choice], zone=tz, quiet=quiet, window_start=window_start,
                               window_end=window_start + timedelta(days=7))
        assert any(i.end - i.start >= DURATION for i in free)


def test_a_day_part_is_local_wall_clock_across_the_clock_change() -> None:
    london = ZoneInfo("Europe/London")
    before = part_interval(DayPartChoice(date(2026, 10, 24), "morning"), london)
    after = part_interval(DayPartChoice(date(2026, 10, 25), "morning"), london)
    assert before.start == datetime(2026, 10, 24, 8, tzinfo=UTC)  # BST
    assert after.start == datetime(2026, 10, 25, 9, tzinfo=UTC)  # GMT
    new_york = ZoneInfo("America/New_York")
    sunday = part_interval(DayPartChoice(date(2026, 11, 1), "evening"), new_york)
    assert (sunday.start, sunday.end) == (datetime(2026, 11, 1, 22, tzinfo=UTC), datetime(2026, 11, 2, 2, tzinfo=UTC))


def test_a_pair_in_two_zones_gets_the_overlap_earliest_first() -> None:
    start = datetime(2026, 12, 2, 6, tzinfo=UTC)  # a Wednesday
    end = start + timedelta(days=7)
    london, new_york = ZoneInfo("Europe/London"), ZoneInfo("America/New_York")
    saturday = date(2026, 12, 5)
    alice = Member(1, tuple(free_from_parts([DayPartChoice(saturday, "afternoon")], zone=london, quiet=None,
                                            window_start=start, window_end=end)), london)
    bob = Member(2, tuple(free_from_parts([DayPartChoice(saturday, "morning")], zone=new_york, quiet=None,
                                          window_start=start, window_end=end)), new_york)
    proposals = find_times([alice, bob], window_start=start, window_end=end)
    # London afternoon 12–17 UTC; New York morning 14–17 UTC: three hours, so three meetings of an hour.
    assert [p.start.hour for p in proposals] == [14, 15, 16]
    assert all(p.free == (1, 2) for p in proposals)


def test_further_from_quiet_hours_wins_within_a_day() -> None:
    start = datetime(2026, 12, 2, 0, tzinfo=UTC)
    end = start + timedelta(days=7)
    utc = ZoneInfo("UTC")
    day = date(2026, 12, 3)
    quiet = QuietHours(time(21, 0), time(9, 0))
    free = tuple(free_from_parts([DayPartChoice(day, "morning"), DayPartChoice(day, "afternoon"),
                                  DayPartChoice(day, "evening")], zone=utc, quiet=quiet, window_start=start,
                                 window_end=end))
    best = find_times([Member(1, free, utc, quiet), Member(2, free, utc, quiet)], window_start=start,
                      window_end=end, limit=1)
    assert best[0].start.hour in (14, 15)  # the middle of 09–21


def test_no_overlap_offers_nothing() -> None:
    start = datetime(2026, 12, 2, 0, tzinfo=UTC)
    end = start + timedelta(days=7)
    utc = ZoneInfo("UTC")
    mornings = free_from_parts([DayPartChoice(date(2026, 12, 3), "morning")], zone=utc, quiet=None,
                               window_start=start, window_end=end)
    evenings = free_from_parts([DayPartChoice(date(2026, 12, 3), "evening")], zone=utc, quiet=None,
                               window_start=start, window_end=end)
    assert find_times([Member(1, tuple(mornings), utc), Member(2, tuple(evenings), utc)], window_start=start,
                      window_end=end) == []
    assert find_times([Member(1, tuple(mornings), utc)], window_start=start, window_end=end) == []


def test_typed_times_are_read_like_event_times_and_quiet_hours_refused() -> None:
    now = datetime(2026, 12, 2, 9, tzinfo=UTC)  # Wednesday
    end = now + timedelta(days=7)
    free = free_from_text("saturday 11:00, sunday 3pm", zone="Europe/London", quiet=None, now=now,
                          window_start=now, window_end=end)
    assert free == [Interval(datetime(2026, 12, 5, 11, tzinfo=UTC), datetime(2026, 12, 5, 12, tzinfo=UTC)),
                    Interval(datetime(2026, 12, 6, 15, tzinfo=UTC), datetime(2026, 12, 6, 16, tzinfo=UTC))]
    with pytest.raises(InvalidInput, match="quiet hours"):
        free_from_text("saturday 23:00", zone="Europe/London", quiet=QuietHours(time(22), time(7)), now=now,
                       window_start=now, window_end=end)
    with pytest.raises(InvalidInput, match="outside the days"):
        free_from_text("20 dec 11:00", zone="Europe/London", quiet=None, now=now, window_start=now, window_end=end)


def test_a_day_part_choice_round_trips_and_refuses_forgeries() -> None:
    choice = DayPartChoice(date(2026, 12, 5), "evening")
    assert DayPartChoice.parse(choice.value) == choice
    assert set(DAY_PARTS) == {"morning", "afternoon", "evening"}
    with pytest.raises(InvalidInput):
        DayPartChoice.parse("2026-12-05:night")
    with pytest.raises(InvalidInput):
        DayPartChoice.parse("yesterday:morning")

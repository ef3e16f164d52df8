"""The nudge rules: the weekly cap shared by every nudge, quiet and low stretches, which meetups, when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import InvalidInput
from bot.domain.nudges import (
    PairMember,
    Sent,
    cap_verdict,
    check_quiet_days,
    choose_nudge,
    is_low_stretch,
    is_quiet,
    iso_week,
    less_often_days,
    meetups_for_member,
    mindful_suggestion,
    next_check_at,
    next_digest_at,
    pick_event_for_pair,
    server_digest_at,
)
from bot.domain.quiet_hours import QuietHours

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)  # a Wednesday
LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class Meetup:
    name: str
    start_at: datetime
    mode: str
    area: str | None


# the cap ---------------------------------------------------------------------------------------------------

def test_nothing_sent_allows_a_nudge():
    assert cap_verdict(NOW, [], None).allowed


def test_one_nudge_in_seven_days_across_kinds():
    verdict = cap_verdict(NOW, [Sent("quiet", NOW - timedelta(days=3))], None)
    assert (verdict.allowed, verdict.reason) == (False, "weekly_cap")
    assert verdict.not_before == NOW + timedelta(days=4)
    assert not cap_verdict(NOW, [Sent("buddy_event", NOW - timedelta(days=6, hours=23))], None).allowed
    assert cap_verdict(NOW, [Sent("low", NOW - timedelta(days=7))], None).allowed


def test_no_nudge_on_the_day_after_a_digest():
    verdict = cap_verdict(NOW, [Sent("digest", NOW - timedelta(hours=5))], None)
    assert (verdict.allowed, verdict.reason, verdict.not_before) == (False, "near_digest", NOW + timedelta(hours=15))
    assert cap_verdict(NOW, [Sent("digest", NOW - timedelta(hours=23, minutes=59))], None).allowed


def test_no_nudge_on_the_day_before_a_digest():
    upcoming = NOW + timedelta(hours=3)
    verdict = cap_verdict(NOW, [], upcoming)
    assert (verdict.allowed, verdict.reason, verdict.not_before) == (False, "near_digest",
                                                                     upcoming + timedelta(hours=20))
    assert cap_verdict(NOW, [], NOW + timedelta(days=2)).allowed


def test_a_digest_alone_does_not_use_up_the_weekly_nudge():
    assert cap_verdict(NOW, [Sent("digest", NOW - timedelta(days=2))], NOW + timedelta(days=5)).allowed


@given(st.lists(st.tuples(st.sampled_from(["digest", "quiet", "low", "buddy_event"]),
                          st.integers(min_value=0, max_value=14 * 24)), max_size=8))
def test_allowed_means_no_nudge_in_the_last_week_and_no_digest_in_the_last_20_hours(history):
    sent = [Sent(kind, NOW - timedelta(hours=hours)) for kind, hours in history]
    verdict = cap_verdict(NOW, sent, None)
    recent_nudge = any(s.kind != "digest" and NOW - s.at < timedelta(days=7) for s in sent)
    recent_digest = any(s.kind == "digest" and NOW - s.at < timedelta(hours=20) for s in sent)
    assert verdict.allowed == (not recent_nudge and not recent_digest)
    if not verdict.allowed:
        assert verdict.not_before is not None and verdict.not_before > NOW


# quiet and low -------------------------------------------------------------------------------------------

def test_quiet_after_n_days_and_only_once_per_quiet_spell():
    last = NOW - timedelta(days=14)
    assert is_quiet(last, NOW, 14, None)
    assert not is_quiet(last, NOW, 15, None)
    assert not is_quiet(last, NOW, 14, last + timedelta(days=14))  # already nudged since it went quiet
    assert is_quiet(last, NOW, 14, last - timedelta(days=3))  # nudged in an earlier quiet spell


def test_low_is_three_of_the_last_five_in_seven_days():
    def days_ago(*moods: int) -> list[tuple[datetime, int]]:
        return [(NOW - timedelta(days=len(moods) - i), mood) for i, mood in enumerate(moods)]

    assert is_low_stretch(days_ago(2, 1, 2), NOW)
    assert is_low_stretch(days_ago(4, 2, 3, 1, 2), NOW)
    assert not is_low_stretch(days_ago(2, 2), NOW)
    assert not is_low_stretch(days_ago(2, 2, 4, 4, 4), NOW)
    assert not is_low_stretch(days_ago(1, 1, 1, 5, 5, 5, 4), NOW)  # only the last five count
    old = [(NOW - timedelta(days=9 + i), 1) for i in range(3)]
    assert not is_low_stretch(old, NOW)  # older than a week


def test_a_low_nudge_restarts_the_count():
    moods = [(NOW - timedelta(days=3), 1), (NOW - timedelta(days=2), 2), (NOW - timedelta(days=1), 2)]
    assert not is_low_stretch(moods, NOW, since=NOW - timedelta(days=2, hours=12))
    assert is_low_stretch(moods, NOW, since=NOW - timedelta(days=4))


def test_low_comes_before_quiet():
    assert choose_nudge(low=True, quiet=True) == "low"
    assert choose_nudge(low=False, quiet=True) == "quiet"
    assert choose_nudge(low=False, quiet=False) is None


def test_quiet_days_and_less_often():
    assert check_quiet_days(7) == 7 and check_quiet_days(60) == 60
    with pytest.raises(InvalidInput, match="7 to 60 days"):
        check_quiet_days(6)
    assert less_often_days(14) == 28
    assert less_often_days(60) == 120 and less_often_days(120) == 120


# which meetups -------------------------------------------------------------------------------------------

LEEDS = Meetup("leeds", NOW + timedelta(days=2), "in_person", "Leeds")
YORK = Meetup("york", NOW + timedelta(days=1), "in_person", "York")
ONLINE = Meetup("online", NOW + timedelta(days=3), "online", None)


def test_digest_meetups_in_the_area_or_online_soonest_first():
    assert [m.name for m in meetups_for_member([ONLINE, YORK, LEEDS], area="leeds ", preference="either")] == [
        "leeds", "online"]
    assert [m.name for m in meetups_for_member([ONLINE, YORK, LEEDS], area=None, preference=None)] == [
        "york", "leeds", "online"]
    assert [m.name for m in meetups_for_member([ONLINE, YORK, LEEDS], area="Leeds", preference="online")] == [
        "online"]


def test_pair_in_the_same_area_open_to_meeting_gets_an_in_person_meetup():
    a, b = PairMember("Leeds", "in_person"), PairMember("leeds", "either")
    assert pick_event_for_pair([ONLINE, YORK, LEEDS], a, b, now=NOW, until=NOW + timedelta(days=7)) == LEEDS


def test_otherwise_online_and_only_before_the_round_ends():
    apart = PairMember("Leeds", "in_person"), PairMember("York", "in_person")
    assert pick_event_for_pair([ONLINE, YORK, LEEDS], *apart, now=NOW, until=NOW + timedelta(days=7)) == ONLINE
    one_online = PairMember("Leeds", "online"), PairMember("Leeds", "either")
    assert pick_event_for_pair([LEEDS, ONLINE], *one_online, now=NOW, until=NOW + timedelta(days=7)) == ONLINE
    together = PairMember("Leeds", "either"), PairMember("Leeds", "either")
    assert pick_event_for_pair([LEEDS, ONLINE], *together, now=NOW, until=NOW + timedelta(days=1)) is None
    assert pick_event_for_pair([ONLINE], *together, now=NOW + timedelta(days=4), until=NOW + timedelta(days=7)) \
        is None


# when ------------------------------------------------------------------------------------------------------

def test_digest_on_the_chosen_weekday_at_local_time_across_dst():
    before_dst = datetime(2026, 3, 26, 12, 0, tzinfo=UTC)  # Thursday; clocks go forward on Sunday 29 March
    due = next_digest_at(weekday=0, local_time=time(9, 0), zone=LONDON, after=before_dst, quiet=None)
    assert due == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)  # Monday 09:00 BST
    every_other = next_digest_at(weekday=0, local_time=time(9, 0), zone=LONDON, after=before_dst, quiet=None,
                                 skip_week=True)
    assert every_other == due + timedelta(days=7)


def test_digest_and_check_moved_out_of_quiet_hours():
    quiet = QuietHours(time(22, 0), time(9, 30))
    due = next_digest_at(weekday=2, local_time=time(9, 0), zone=LONDON, after=NOW, quiet=quiet)
    assert due.astimezone(LONDON).time() == time(9, 30)
    check = next_check_at(local_time=time(9, 0), zone=LONDON, after=NOW, quiet=quiet)
    assert check == datetime(2026, 3, 5, 9, 30, tzinfo=UTC)


def test_server_digest_is_monday_morning_in_the_servers_zone():
    due = server_digest_at(ZoneInfo("America/New_York"), NOW)
    local = due.astimezone(ZoneInfo("America/New_York"))
    assert (local.weekday(), local.hour, local.minute) == (0, 9, 0) and due > NOW


def test_iso_week_is_the_members_local_week():
    sunday_night_utc = datetime(2026, 3, 8, 23, 30, tzinfo=UTC)
    assert iso_week(sunday_night_utc, LONDON) == "2026-W10"
    assert iso_week(sunday_night_utc, ZoneInfo("Asia/Tokyo")) == "2026-W11"


def test_mindful_suggestion_changes_weekly():
    assert mindful_suggestion(NOW) != mindful_suggestion(NOW + timedelta(days=7))
    assert mindful_suggestion(NOW) == mindful_suggestion(NOW + timedelta(days=1))

"""Nudges: the rules for when a member gets a digest or a kind word, with `now` always passed in.

What counts as what:

- The **digest** is the weekly (or every-other-week) DM the member asked for, at their chosen day and
  local time. It is sent on its own schedule: it *is* their weekly message.
- A **nudge** is anything Hearth sends on its own initiative: the quiet-member word ("quiet"), the
  softer low-check-ins word ("low"), and the buddy-pair meetup suggestion ("buddy_event").

The cap (`cap_verdict`), shared across every kind of nudge:

1. At most one nudge in any 7 days (rolling, across all nudge kinds).
2. Never within 20 hours of a digest, before or after it, so a member never gets two messages from
   Hearth on the same day. A nudge that would land in that window waits until 20 hours after the digest
   (20, not 24: the daily check at the same time the next day goes ahead, even across a DST change or
   when the digest went out a few seconds late).

So a member with a weekly digest gets at most two messages in a week, and only when something
warrants the second; a member without a digest gets at most one. Quiet hours are not part of the cap:
every send time is moved out of them with `QuietHours.next_allowed`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Literal, Protocol, TypeVar
from zoneinfo import ZoneInfo

from bot.domain.checkin_schedule import PromptPlan, next_prompt_at
from bot.domain.errors import InvalidInput
from bot.domain.quiet_hours import QuietHours
from bot.i18n import N_, _

NudgeKind = Literal["quiet", "low", "buddy_event"]
SendKind = Literal["digest", "quiet", "low", "buddy_event"]
NUDGE_KINDS: tuple[NudgeKind, ...] = ("quiet", "low", "buddy_event")

NUDGE_GAP = timedelta(days=7)  # one nudge a week, at most
DIGEST_GAP = timedelta(hours=20)  # no nudge on the same day as a digest (see the module docstring)
DEFAULT_QUIET_DAYS = 14
MIN_QUIET_DAYS, MAX_QUIET_DAYS = 7, 60
LESS_OFTEN_MAX_DAYS = 120  # "less often" doubles the window, up to this
LOW_MOOD = 2  # a check-in at or below this mood is a low one
LOW_WINDOW = timedelta(days=7)
LOW_LOOK_AT = 5  # the last five check-ins in the window…
LOW_NEEDED = 3  # …of which three or more are low
DIGEST_AHEAD = timedelta(days=7)  # the digest covers meetups in the coming week
BUDDY_SUGGESTION_AFTER = timedelta(days=1)  # after the halfway "did you meet?"
SERVER_DIGEST_WEEKDAY, SERVER_DIGEST_TIME = 0, time(9, 0)  # Monday morning, server time

MINDFUL_SUGGESTIONS = (  # English: shown with `_(suggestion)`
    N_("When you meet someone this week, try leaving your phone in your bag: the conversation gets your full "
       "attention, and so do they."),
    N_("Listen to understand, not to answer: let a pause sit for a moment before you reply."),
    N_("Ask one question you really want to know the answer to, then follow where it goes."),
    N_("Notice three things about the place you're in when you arrive: it helps you be there, not elsewhere."),
    N_("Put your phone face down, or away, for the first half hour of a meetup. Messages can wait."),
    N_("If a conversation feels hard, it's fine to say so. Being honest is a kind of being present."),
)


@dataclass(frozen=True)
class NudgePrefs:
    """A member's opt-in: which nudges, when, and the due-work rows that come next."""

    user_id: int
    guild_id: int
    digest_enabled: bool
    digest_weekday: int  # 0 = Monday
    local_time: time
    digest_every_weeks: int
    quiet_enabled: bool
    quiet_days: int
    buddy_enabled: bool
    next_digest_key: str | None = None
    next_check_key: str | None = None
    opted_in_at: datetime | None = None

    @property
    def any_enabled(self) -> bool:
        return self.digest_enabled or self.quiet_enabled or self.buddy_enabled


@dataclass(frozen=True)
class Sent:
    """Something Hearth sent a member: a digest or a nudge, and when."""

    kind: SendKind
    at: datetime


@dataclass(frozen=True)
class CapVerdict:
    allowed: bool
    not_before: datetime | None  # when blocked: the earliest moment a nudge could go
    reason: Literal["ok", "weekly_cap", "near_digest"]


def cap_verdict(now: datetime, sent: Iterable[Sent], next_digest_at: datetime | None) -> CapVerdict:
    """May a nudge (not a digest) go to this member now? See the module docstring for the rule."""
    history = list(sent)
    last_nudge = max((s.at for s in history if s.kind != "digest"), default=None)
    if last_nudge is not None and now - last_nudge < NUDGE_GAP:
        return CapVerdict(False, last_nudge + NUDGE_GAP, "weekly_cap")
    last_digest = max((s.at for s in history if s.kind == "digest"), default=None)
    if last_digest is not None and now - last_digest < DIGEST_GAP:
        return CapVerdict(False, last_digest + DIGEST_GAP, "near_digest")
    if next_digest_at is not None and timedelta(0) <= next_digest_at - now < DIGEST_GAP:
        return CapVerdict(False, next_digest_at + DIGEST_GAP, "near_digest")
    return CapVerdict(True, None, "ok")


def is_low_stretch(moods: Sequence[tuple[datetime, int]], now: datetime, since: datetime | None = None) -> bool:
    """3+ of the last 5 check-ins in the last 7 days at mood 2 or lower.

    `since` (the last low nudge) restarts the count: only check-ins after it are looked at, so one low
    stretch brings one kind word, not one a week for as long as it lasts.
    """
    start = now - LOW_WINDOW
    if since is not None:
        start = max(start, since)
    window = sorted((at, mood) for at, mood in moods if start < at <= now)[-LOW_LOOK_AT:]
    return sum(1 for _at, mood in window if mood <= LOW_MOOD) >= LOW_NEEDED


def is_quiet(last_activity: datetime, now: datetime, days: int, last_quiet_nudge: datetime | None) -> bool:
    """No check-in, RSVP or buddy activity for `days` days, and not already nudged since it stopped."""
    if now - last_activity < timedelta(days=days):
        return False
    return last_quiet_nudge is None or last_quiet_nudge < last_activity


def choose_nudge(*, low: bool, quiet: bool) -> NudgeKind | None:
    """A low stretch matters more than a quiet one: it gets the message with support resources."""
    if low:
        return "low"
    if quiet:
        return "quiet"
    return None


def check_quiet_days(days: int) -> int:
    if not MIN_QUIET_DAYS <= days <= MAX_QUIET_DAYS:
        raise InvalidInput(_("Choose {low} to {high} days for the quiet-member check.", low=MIN_QUIET_DAYS,
                             high=MAX_QUIET_DAYS))
    return days


def less_often_days(quiet_days: int) -> int:
    """"Less often" on a nudge doubles the quiet-member window (up to 120 days); on a digest it makes the
    digest every other week (`every_weeks` 2)."""
    return min(quiet_days * 2, LESS_OFTEN_MAX_DAYS)


# --- when -------------------------------------------------------------------------------------------------

def next_digest_at(*, weekday: int, local_time: time, zone: ZoneInfo, after: datetime,
                   quiet: QuietHours | None, skip_week: bool = False) -> datetime:
    """The next digest strictly after `after`, at the member's wall-clock time (DST-safe), out of quiet hours.

    `skip_week` (every-other-week digests, after one was sent) takes the occurrence after that one.
    """
    plan = PromptPlan(cadence="weekly", local_time=local_time, weekday=weekday)
    due = next_prompt_at(plan, zone, after, quiet)
    if skip_week:
        due = next_prompt_at(plan, zone, due, quiet)
    return due


def next_check_at(*, local_time: time, zone: ZoneInfo, after: datetime, quiet: QuietHours | None) -> datetime:
    """The quiet-member check runs once a day at the member's chosen time."""
    return next_prompt_at(PromptPlan(cadence="daily", local_time=local_time, weekday=None), zone, after, quiet)


def server_digest_at(zone: ZoneInfo, after: datetime) -> datetime:
    """Monday 09:00 in the server's time zone, strictly after `after`."""
    plan = PromptPlan(cadence="weekly", local_time=SERVER_DIGEST_TIME, weekday=SERVER_DIGEST_WEEKDAY)
    return next_prompt_at(plan, zone, after)


def iso_week(moment: datetime, zone: ZoneInfo) -> str:
    """The ISO week of `moment` in `zone`, such as 2026-W48: one digest per member per week."""
    year, week, _day = moment.astimezone(zone).isocalendar()
    return f"{year}-W{week:02d}"


def mindful_suggestion(moment: datetime) -> str:
    """One suggestion for being present, changing week by week (English: show it with `_(suggestion)`)."""
    _year, week, _day = moment.astimezone(UTC).isocalendar()
    return MINDFUL_SUGGESTIONS[week % len(MINDFUL_SUGGESTIONS)]


# --- which meetups ------------------------------------------------------------------------------------


class MeetupLike(Protocol):
    @property
    def start_at(self) -> datetime: ...

    @property
    def mode(self) -> str: ...

    @property
    def area(self) -> str | None: ...


M = TypeVar("M", bound=MeetupLike)


def same_area(a: str | None, b: str | None) -> bool:
    return bool(a and b and a.strip().casefold() == b.strip().casefold())


def meetups_for_member(meetups: Iterable[M], *, area: str | None, preference: str | None) -> list[M]:
    """The digest's list: online meetups, and in-person ones in the member's area.

    Without a known area (not in the buddy pool, or no area given), every in-person meetup is shown: the
    member can judge the distance better than we can. A member who only wants online sees only online.
    """
    def fits(meetup: M) -> bool:
        if meetup.mode == "online":
            return True
        return preference != "online" and (area is None or same_area(meetup.area, area))

    return sorted((meetup for meetup in meetups if fits(meetup)), key=lambda m: m.start_at)


@dataclass(frozen=True)
class PairMember:
    area: str | None
    preference: str  # in_person | online | either


def pick_event_for_pair(meetups: Iterable[M], a: PairMember, b: PairMember, *, now: datetime,
                        until: datetime) -> M | None:
    """One meetup a buddy pair could go to together before `until` (the round's end), soonest first.

    In person, in their shared area, when both are open to meeting in person and they share an area;
    otherwise (or when no such meetup exists) online.
    """
    ahead = sorted((m for m in meetups if now < m.start_at < until), key=lambda m: m.start_at)
    if a.preference != "online" and b.preference != "online" and same_area(a.area, b.area):
        for meetup in ahead:
            if meetup.mode == "in_person" and same_area(meetup.area, a.area):
                return meetup
    return next((m for m in ahead if m.mode == "online"), None)

"""Finding a time to meet: each member's free times in their own zone, and the best overlaps in UTC.

A member says when they could meet either by day parts (morning 09–12, afternoon 12–17, evening 17–21,
local wall-clock time on each local day of the window) or by typing times the way event starts are typed
("saturday 11:00": a meeting starting then). Day parts are converted to UTC day by day, so a clock change
inside the window moves them in UTC and not on the member's clock. Quiet hours are cut out minute by
minute with `QuietHours.is_quiet`, the same rule the senders use, so a quiet hour that begins or ends in a
clock change is judged exactly as it will be lived.

The overlap search walks UTC starts on the half hour: more people free is better, then an earlier day,
then further from anyone's quiet hours. The best few that don't overlap each other are offered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import ClassVar, Literal
from zoneinfo import ZoneInfo

from bot.domain.errors import InvalidInput
from bot.domain.event_time import parse_event_start
from bot.domain.quiet_hours import QuietHours
from bot.domain.work import Work, key_part
from bot.i18n import N_, _, day_and_month, p_, weekday_name

DayPart = Literal["morning", "afternoon", "evening"]
DAY_PARTS: dict[DayPart, tuple[time, time]] = {
    "morning": (time(9), time(12)),
    "afternoon": (time(12), time(17)),
    "evening": (time(17), time(21)),
}
# Shown with `_()` in the day-part menu of Find a time, after the day ("Saturday 5 December · Morning (9–12)").
PART_NAMES: dict[DayPart, str] = {
    # i18n: a time of day a member could meet, in the Find a time menu (hours in the member's own time zone)
    "morning": N_("Morning (9–12)"),
    # i18n: a time of day a member could meet, in the Find a time menu (hours in the member's own time zone)
    "afternoon": N_("Afternoon (12–17)"),
    # i18n: a time of day a member could meet, in the Find a time menu (hours in the member's own time zone)
    "evening": N_("Evening (17–21)"),
}
WINDOW = timedelta(days=7)
DURATION = timedelta(minutes=60)
STEP = timedelta(minutes=30)
OFFERED = 3
ANSWER_WITHIN = timedelta(days=2)  # after this, times are worked out from whoever answered
MET_ASK_AFTER = timedelta(minutes=30)  # "did you meet?" this long after the meeting's end
MAX_TYPED = 6  # typed times per answer
_MINUTE = timedelta(minutes=1)
_DISTANCE_CAP = timedelta(hours=8)
_SPLIT = re.compile(r"[;,\n]+|\s+and\s+|\s+or\s+", re.IGNORECASE)

GroupKind = Literal["buddy", "companions"]
PollStatus = Literal["open", "offered", "confirmed", "no_overlap", "closed"]


@dataclass(frozen=True, order=True)
class Interval:
    """[start, end) in aware UTC."""

    start: datetime
    end: datetime

    def contains(self, start: datetime, end: datetime) -> bool:
        return self.start <= start and end <= self.end

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class DayPartChoice:
    day: date  # the member's local date
    part: DayPart

    @property
    def value(self) -> str:
        return f"{self.day.isoformat()}:{self.part}"

    @classmethod
    def parse(cls, value: str) -> DayPartChoice:
        day, _colon, part = value.partition(":")
        # i18n: “Find a time” is the name of the button on a buddy intro
        refused = _("That choice isn't one I offered. Tap Find a time again for fresh choices.")
        if part not in DAY_PARTS:
            raise InvalidInput(refused)
        try:
            return cls(date.fromisoformat(day), part)
        except ValueError:
            raise InvalidInput(refused) from None

    def label(self) -> str:
        # i18n: an option of the Find a time menu: {weekday} is a day of the week ("Saturday"), {day} a date
        # ("Dec 5"), {part} a time of day ("Morning (9–12)"); at most 100 characters
        return p_("select option", "{weekday}, {day} · {part}", weekday=weekday_name(self.day),
                  day=day_and_month(self.day, weekday=False), part=_(PART_NAMES[self.part]))


@dataclass(frozen=True)
class Member:
    """What the search knows of one member who answered: their free UTC intervals, zone and quiet hours."""

    user_id: int
    free: tuple[Interval, ...]
    zone: ZoneInfo
    quiet: QuietHours | None = None


@dataclass(frozen=True)
class Proposal:
    start: datetime
    end: datetime
    free: tuple[int, ...]  # who is free then (never shown: only how many)


def _wall_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def part_interval(choice: DayPartChoice, zone: ZoneInfo) -> Interval:
    """The day part in UTC on that local day (an end of 24:00 is never used: evening ends at 21:00)."""
    start, end = DAY_PARTS[choice.part]
    return Interval(_wall_to_utc(choice.day, start, zone), _wall_to_utc(choice.day, end, zone))


def without_quiet(interval: Interval, zone: ZoneInfo, quiet: QuietHours | None) -> list[Interval]:
    """The minutes of `interval` outside quiet hours, as intervals (boundaries on whole minutes)."""
    start = _floor_minute(interval.start)
    if quiet is None:
        return [Interval(start, interval.end)] if start < interval.end else []
    found: list[Interval] = []
    run: datetime | None = None
    moment = start
    while moment < interval.end:
        if quiet.is_quiet(moment, zone):
            if run is not None:
                found.append(Interval(run, moment))
                run = None
        elif run is None:
            run = moment
        moment += _MINUTE
    if run is not None:
        found.append(Interval(run, interval.end))
    return found


def _floor_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def window_days(window_start: datetime, window_end: datetime, zone: ZoneInfo) -> list[date]:
    first = window_start.astimezone(zone).date()
    last = window_end.astimezone(zone).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def clip(intervals: Iterable[Interval], lower: datetime, upper: datetime) -> list[Interval]:
    clipped = [Interval(max(i.start, lower), min(i.end, upper)) for i in intervals]
    return [i for i in clipped if i.start < i.end]


def part_choices(window_start: datetime, window_end: datetime, zone: ZoneInfo, quiet: QuietHours | None,
                 duration: timedelta = DURATION) -> list[DayPartChoice]:
    """The day parts worth offering: inside the window, with room for a meeting outside quiet hours."""
    found = []
    for day in window_days(window_start, window_end, zone):
        for part in DAY_PARTS:
            choice = DayPartChoice(day, part)
            free = clip(without_quiet(part_interval(choice, zone), zone, quiet), window_start, window_end)
            if any(i.end - i.start >= duration for i in free):
                found.append(choice)
    return found


def free_from_parts(choices: Sequence[DayPartChoice], *, zone: ZoneInfo, quiet: QuietHours | None,
                    window_start: datetime, window_end: datetime) -> list[Interval]:
    if not choices:
        raise InvalidInput(_("Pick at least one time of day you could meet."))
    free: list[Interval] = []
    for choice in dict.fromkeys(choices):
        free += clip(without_quiet(part_interval(choice, zone), zone, quiet), window_start, window_end)
    return merged(free)


def free_from_text(text: str, *, zone: str, quiet: QuietHours | None, now: datetime, window_start: datetime,
                   window_end: datetime, duration: timedelta = DURATION) -> list[Interval]:
    """Typed times ("saturday 11:00, sunday 3pm"): each a meeting starting then. A time in quiet hours or
    outside the window is refused with a sentence naming it."""
    parts = [part.strip() for part in _SPLIT.split(text) if part.strip()]
    if not parts:
        # i18n: the example times are typed in English: Hearth reads English day names ("saturday", "tomorrow")
        raise InvalidInput(_("Type one or more times you could meet, such as “saturday 11:00, sunday 3pm”."))
    if len(parts) > MAX_TYPED:
        # i18n: {most} is a number (6)
        raise InvalidInput(_("That's a lot of times: give me up to {most}, separated by commas.", most=MAX_TYPED))
    tz = ZoneInfo(zone)
    free: list[Interval] = []
    for part in parts:
        start = parse_event_start(part, zone=zone, now=now)
        slot = Interval(start, start + duration)
        if start < window_start or slot.end > window_end:
            until = window_end.astimezone(tz)
            # i18n: {time} is what the member typed; {day} a day ("Saturday, December 5"), {clock} a time (18:30)
            raise InvalidInput(_("“{time}” is outside the days I'm looking at (until {day} {clock}). Pick a time "
                                 "before then.", time=part, day=day_and_month(until, short=False),
                                 clock=f"{until:%H:%M}"))
        if without_quiet(slot, tz, quiet) != [slot]:
            # i18n: {time} is what the member typed
            raise InvalidInput(_("“{time}” falls in your quiet hours, so I won't suggest it. Pick another time.",
                                 time=part))
        free.append(slot)
    return merged(free)


def merged(intervals: Iterable[Interval]) -> list[Interval]:
    result: list[Interval] = []
    for interval in sorted(intervals):
        if result and interval.start <= result[-1].end:
            last = result[-1]
            result[-1] = Interval(last.start, max(last.end, interval.end))
        else:
            result.append(interval)
    return result


def _quiet_distance(member: Member, start: datetime, end: datetime) -> timedelta:
    """How far [start, end) is from the member's quiet hours (capped), checked every half hour outwards."""
    if member.quiet is None:
        return _DISTANCE_CAP
    distance = STEP
    while distance <= _DISTANCE_CAP:
        if (member.quiet.is_quiet(start - distance, member.zone)
                or member.quiet.is_quiet(end - _MINUTE + distance, member.zone)):
            return distance
        distance += STEP
    return _DISTANCE_CAP


def find_times(members: Sequence[Member], *, window_start: datetime, window_end: datetime,
               duration: timedelta = DURATION, limit: int = OFFERED) -> list[Proposal]:
    """The best `limit` non-overlapping meetings of `duration`, starting on the half hour in UTC, with at
    least two people free (so nothing, when only one answered)."""
    needed = 2  # a time only one person can make is no meeting
    first = _on_grid(window_start)
    scored: list[tuple[tuple[int, int, float, datetime], Proposal]] = []
    start = first
    while start + duration <= window_end:
        end = start + duration
        free = tuple(m.user_id for m in members if any(i.contains(start, end) for i in m.free))
        if len(free) >= needed:
            distance = min(_quiet_distance(m, start, end) for m in members if m.user_id in free)
            day = (start - window_start) // timedelta(days=1)
            scored.append(((-len(free), day, -distance.total_seconds(), start), Proposal(start, end, free)))
        start += STEP
    chosen: list[Proposal] = []
    for _key, proposal in sorted(scored, key=lambda pair: pair[0]):
        span = Interval(proposal.start, proposal.end)
        if all(not span.overlaps(Interval(c.start, c.end)) for c in chosen):
            chosen.append(proposal)
            if len(chosen) == limit:
                break
    return sorted(chosen, key=lambda p: (-len(p.free), p.start))


def _on_grid(moment: datetime) -> datetime:
    """The first UTC instant at or after `moment` on :00 or :30."""
    moment = moment.astimezone(UTC)
    base = moment.replace(minute=0, second=0, microsecond=0)
    while base < moment:
        base += STEP
    return base


# -- due work --------------------------------------------------------------------------------------------

MeetingStep = Literal["deadline", "expiry"]
PostStage = Literal["offered", "confirmed", "no_overlap", "closed", "reopened"]


@dataclass(frozen=True)
class PollDue(Work):
    """A poll's answer deadline (work out times from whoever answered) or its end (close it kindly).
    Keyed by the window, so a widened poll gets fresh rows."""

    KIND: ClassVar[str] = "meeting.due"
    poll_id: int = key_part()
    step: MeetingStep = key_part()
    window_start: datetime = key_part()
    guild_id: int | None = None


@dataclass(frozen=True)
class PollPost(Work):
    """Post a poll's news in the group's thread (offered times, the confirmation, no overlap, closed, the week
    after)."""

    KIND: ClassVar[str] = "meeting.post"
    poll_id: int = key_part()
    stage: PostStage = key_part()
    window_start: datetime = key_part()
    guild_id: int | None = None


@dataclass(frozen=True)
class PollDm(Work):
    """The same news by DM to one member, when the group talks by DM (or the thread is gone)."""

    KIND: ClassVar[str] = "meeting.dm"
    poll_id: int = key_part()
    stage: PostStage = key_part()
    window_start: datetime = key_part()
    user_id: int = key_part()
    guild_id: int | None = None  # the server the group is in: a deletion for that server takes it


@dataclass(frozen=True)
class MeetingReminder(Work):
    """A reminder to one member before a confirmed meeting; carries the start, so a changed time makes it stale."""

    KIND: ClassVar[str] = "meeting.reminder"
    poll_id: int = key_part()
    user_id: int = key_part()
    label: str = key_part()
    start: datetime = key_part()
    guild_id: int | None = None  # the server the group is in: a deletion for that server takes it


@dataclass(frozen=True)
class PollView:
    """A poll as the service hands it out. `answered`/`picks` say who, never what they are free."""

    id: int
    guild_id: int
    kind: GroupKind
    ref: int
    event_id: int | None
    channel_id: int | None
    window_start: datetime
    window_end: datetime
    duration: timedelta
    status: PollStatus
    options: tuple[tuple[datetime, int], ...]  # (start, how many free), best first
    chosen_start: datetime | None
    members: tuple[int, ...]
    answered: frozenset[int] = field(default_factory=frozenset)
    picks: Mapping[int, int] = field(default_factory=dict)

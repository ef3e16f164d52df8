"""The community pulse: figures organisers may see about their server, built so that none singles anyone out.

The rules, in the order they apply:

1. **Complete, fixed weeks.** Figures are counted per week, Monday 00:00 to Monday 00:00 **UTC**, and
   only for weeks that have ended: the current, partial week is never counted. The boundaries are UTC
   and not the server's time zone on purpose: a time-zone change would move every boundary by some
   hours, and comparing figures from before and after the change would isolate those few hours.
2. **Five or more per cell.** A cell is one figure for one week (and one category, such as a mood band).
   It is released only when at least `MIN_MEMBERS` different members contribute to it; a withheld cell
   and an empty one look the same.
3. **A period is a sum of released weeks.** A figure for the last N weeks is the sum of its released
   weekly cells, never a count across the whole period (such as "different members"). Two periods then
   differ by whole weeks that each had five or more contributors, so comparing 4 and 12 weeks says nothing
   about a member who only took part in weeks 5 to 12 unless those weeks had five or more members too.
4. **No subtraction.** Where a week's total is released together with its categories (check-ins and
   their mood bands, pairs and whether they met), a withheld category could be had by subtracting the
   released ones from the total. So when any category of a week is withheld, the smallest released one
   is withheld with it: what subtraction yields then always includes a category of five or more members.
5. **Five or more per figure.** A figure none of whose cells is released is not shown at all; the
   organiser reads `NOT_ENOUGH` instead. (A figure with a released cell has five or more contributors.)
6. **A week, once shown, never changes.** The first time a complete week is counted, its released cells
   (`PulseWeek`, after rules 2 and 4) are frozen, and every later request shows those. Counting again
   after a member deleted their data, changed an answer or turned nudges off would change the week by
   exactly their part, which an organiser who knows who left could read off by comparing before and
   after. A week first counted after such a change shows the figures without them: there is no "before"
   to compare with. Frozen weeks are totals of five or more members and identify nobody, so they are kept
   when a member deletes their data. Each is stored under `FIGURES_VERSION`: a change to what the figures
   mean bumps it, and weeks frozen under another version are ignored, so every past week is counted once
   more (bump it only with a real change of meaning, never to refresh figures). A figure added later (such
   as `arrived`) is not a change of meaning of the others: a week frozen before it reads it as withheld,
   and is not counted again.

Arrivals ("I'm here") split the week's Going answers into arrived and not arrived, so rule 4 applies to
them as to mood bands: shown only when both sides have five or more members, never by subtraction.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeGuard

from bot.i18n import N_

MIN_MEMBERS = 5
# What the frozen weeks' figures mean (rule 6): bump it when a figure's definition changes.
FIGURES_VERSION = 1
WEEK = timedelta(weeks=1)
PERIOD_WEEKS = (4, 12, 26, 52)
# i18n: shown in /hearth pulse instead of a figure that is withheld ("Met online: not enough members to show…")
NOT_ENOUGH = N_("not enough members to show this without identifying anyone")

# Mood bands: five moods are too fine for groups of five, so the distribution is in three.
MOOD_BANDS = ("hard", "okay", "good")
BAND_LABELS = {
    # i18n: a group of moods in /hearth pulse ("Hard days (awful or low): 12 check-ins")
    "hard": N_("Hard days (awful or low)"),
    # i18n: a group of moods in /hearth pulse ("Okay: 20 check-ins"): the middle mood
    "okay": N_("Okay"),
    # i18n: a group of moods in /hearth pulse ("Good days (good or great): 30 check-ins")
    "good": N_("Good days (good or great)"),
}
# Whether a buddy pair met, one outcome per pair: in person if anyone in it said so, else online if anyone
# said so, else not (yet), which includes pairs nobody answered for.
PAIR_OUTCOMES = ("in_person", "online", "not_met")
# Of the Going answers to a week's meetups: who said "I'm here", and who didn't.
ARRIVALS = ("arrived", "not_arrived")


def mood_band(mood: int) -> str:
    """The band a mood (1-5) falls in. (The store computes the same in SQL.)"""
    return "hard" if mood <= 2 else "okay" if mood == 3 else "good"


@dataclass(frozen=True)
class Cell:
    """What the store counted for one week (and category): how many, and from how many different members."""

    count: int
    members: int


def released(cell: Cell | None) -> TypeGuard[Cell]:
    return cell is not None and cell.members >= MIN_MEMBERS


def _one(cells: Mapping[int, Cell], week: int) -> int | None:
    cell = cells.get(week)
    return cell.count if released(cell) else None


@dataclass(frozen=True)
class Weeks:
    """The complete weeks of a period, oldest first, and where the current week begins."""

    starts: tuple[datetime, ...]
    end: datetime  # the current week's start: nothing at or after it is counted

    @property
    def boundaries(self) -> tuple[datetime, ...]:
        """Each week's start and, last, the end: week i is [boundaries[i], boundaries[i + 1])."""
        return (*self.starts, self.end)

    def __len__(self) -> int:
        return len(self.starts)


def week_start(moment: datetime) -> datetime:
    """Monday 00:00 UTC of the week `moment` falls in."""
    utc = moment.astimezone(UTC)
    midnight = utc.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight - timedelta(days=midnight.weekday())


def period_weeks(now: datetime, weeks: int) -> Weeks:
    """The last `weeks` complete weeks before the one `now` is in."""
    if weeks < 1:
        raise ValueError("a period has at least one week")
    end = week_start(now)
    return Weeks(starts=tuple(end - WEEK * (weeks - index) for index in range(weeks)), end=end)


@dataclass(frozen=True)
class WeeklyFigure:
    """One figure over a period: its value in each week, None where the week's cell was withheld."""

    weekly: tuple[int | None, ...]

    @property
    def shown(self) -> bool:
        return any(value is not None for value in self.weekly)

    @property
    def total(self) -> int | None:
        """The sum of the released weeks; None when there is none (show `NOT_ENOUGH`)."""
        return sum(value for value in self.weekly if value is not None) if self.shown else None

    @property
    def weeks_shown(self) -> int:
        return sum(1 for value in self.weekly if value is not None)


def weekly_figure(weeks: int, cells: Mapping[int, Cell]) -> WeeklyFigure:
    """Release each week's cell that has five or more members (rule 2)."""
    return WeeklyFigure(tuple(_one(cells, week) for week in range(weeks)))


@dataclass(frozen=True)
class SplitFigure:
    """A figure split into categories (mood bands, pair outcomes): per week, per category, None where withheld."""

    categories: tuple[str, ...]
    weekly: tuple[Mapping[str, int | None], ...]

    def of(self, category: str) -> WeeklyFigure:
        return WeeklyFigure(tuple(week[category] for week in self.weekly))

    @property
    def shown(self) -> bool:
        return any(self.of(category).shown for category in self.categories)


def split_week(parent: Cell | None, cells: Mapping[str, Cell], categories: Sequence[str]) -> dict[str, int | None]:
    """One week's categories: each needs five or more members, the week itself too, and a withheld
    category takes the smallest released one with it (rule 4)."""
    if not released(parent):
        return dict.fromkeys(categories)
    shown = {category: cells[category].count for category in categories if released(cells.get(category))}
    if len(shown) < len(categories) and shown:
        smallest = min(shown, key=lambda category: (shown[category], categories.index(category)))
        del shown[smallest]
    return {category: shown.get(category) for category in categories}


@dataclass(frozen=True)
class PulseCounts:
    """Everything the store counted for one server and period (aggregates only, keyed by week index)."""

    checkins: Mapping[int, Cell]
    moods: Mapping[tuple[int, str], Cell]  # (week, band)
    pairs: Mapping[int, Cell]  # pairs (groups) of rounds that ended that week; members in them
    pair_outcomes: Mapping[tuple[int, str], Cell]  # (week, outcome): pairs, and the members in them
    going: Mapping[int, Cell]  # Going answers to meetups held that week, and the members who gave them
    meetups_held: Mapping[int, int]  # organisers' meetups that started that week (not member data)
    nudge_opt_ins: Mapping[int, Cell]  # members who first turned nudges on that week
    attendance: Mapping[tuple[int, str], Cell] = field(default_factory=dict)  # (week, ARRIVALS): Going answers


@dataclass(frozen=True)
class Pulse:
    """What an organiser may see for a period: every member figure already suppressed by the rules above."""

    weeks: Weeks
    checkins: WeeklyFigure
    members_per_week: WeeklyFigure  # the different members behind each released week of check-ins
    moods: SplitFigure
    pairs: WeeklyFigure
    pair_outcomes: SplitFigure
    going: WeeklyFigure
    meetups_held: int
    nudge_opt_ins: WeeklyFigure
    arrived: WeeklyFigure = WeeklyFigure(())  # Going answers whose member said "I'm here" (rule 4 with going)

    @property
    def anything_shown(self) -> bool:
        return any(figure.shown for figure in (self.checkins, self.moods, self.pairs, self.going,
                                               self.nudge_opt_ins))

    @property
    def average_members(self) -> float | None:
        """Members checking in, on average, in the weeks that were shown."""
        total = self.members_per_week.total
        return total / self.members_per_week.weeks_shown if total is not None else None


def _value(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise ValueError(f"a frozen pulse figure is a whole number or null, not {type(value).__name__}")


@dataclass(frozen=True)
class PulseWeek:
    """One complete week's figures as an organiser may see them (rules 2 and 4 applied), None where withheld.

    What is frozen for the week (rule 6): totals only, never a member.
    """

    checkins: int | None
    members: int | None  # the different members behind the check-ins
    moods: Mapping[str, int | None]  # by MOOD_BANDS
    pairs: int | None
    pair_outcomes: Mapping[str, int | None]  # by PAIR_OUTCOMES
    going: int | None
    meetups_held: int
    nudge_opt_ins: int | None
    arrived: int | None = None  # absent from weeks frozen before "I'm here": withheld

    def to_json(self) -> dict[str, Any]:
        return {"checkins": self.checkins, "members": self.members, "moods": dict(self.moods),
                "pairs": self.pairs, "pair_outcomes": dict(self.pair_outcomes), "going": self.going,
                "meetups_held": self.meetups_held, "nudge_opt_ins": self.nudge_opt_ins, "arrived": self.arrived}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PulseWeek:
        return cls(checkins=_value(data["checkins"]), members=_value(data["members"]),
                   moods={band: _value(data["moods"][band]) for band in MOOD_BANDS},
                   pairs=_value(data["pairs"]),
                   pair_outcomes={outcome: _value(data["pair_outcomes"][outcome]) for outcome in PAIR_OUTCOMES},
                   going=_value(data["going"]), meetups_held=_value(data["meetups_held"]) or 0,
                   nudge_opt_ins=_value(data["nudge_opt_ins"]), arrived=_value(data.get("arrived")))


def _categories(counts: Mapping[tuple[int, str], Cell], week: int) -> dict[str, Cell]:
    return {category: cell for (index, category), cell in counts.items() if index == week}


def _adds_up(totals: Mapping[int, Cell], parts: Mapping[tuple[int, str], Cell]) -> bool:
    summed: dict[int, int] = {}
    for (week, _category), cell in parts.items():
        summed[week] = summed.get(week, 0) + cell.count
    return summed == {week: cell.count for week, cell in totals.items()}


def consistent(counts: PulseCounts) -> bool:
    """Each week's check-ins are the sum of its mood bands, and its pairs the sum of their outcomes.

    Totals and categories are counted by separate statements; where those see different moments (PostgreSQL
    reads each statement afresh), a deletion in between would freeze a total from before it beside categories
    from after it, and the difference would be the deleted member's part. Such counts are counted again."""
    return (_adds_up(counts.checkins, counts.moods) and _adds_up(counts.pairs, counts.pair_outcomes)
            and (not counts.attendance or _adds_up(counts.going, counts.attendance)))


def week_figures(counts: PulseCounts, week: int) -> PulseWeek:
    """What may be shown of week `week` (an index into the counted weeks): rules 2 and 4, one week at a time."""
    checkins = counts.checkins.get(week)
    return PulseWeek(
        checkins=_one(counts.checkins, week),
        members=checkins.members if released(checkins) else None,
        moods=split_week(checkins, _categories(counts.moods, week), MOOD_BANDS),
        pairs=_one(counts.pairs, week),
        pair_outcomes=split_week(counts.pairs.get(week), _categories(counts.pair_outcomes, week), PAIR_OUTCOMES),
        going=_one(counts.going, week),
        meetups_held=counts.meetups_held.get(week, 0),
        nudge_opt_ins=_one(counts.nudge_opt_ins, week),
        arrived=split_week(counts.going.get(week), _categories(counts.attendance, week), ARRIVALS)["arrived"],
    )


def counted_figures(weeks: Weeks, counts: PulseCounts) -> dict[datetime, PulseWeek]:
    """Every week of `weeks` (counted as `counts`), by its start."""
    return {start: week_figures(counts, index) for index, start in enumerate(weeks.starts)}


def to_count(period: Weeks, frozen: Collection[datetime]) -> Weeks | None:
    """The run of weeks to count for `period`: from its oldest week not yet frozen to its newest. None when
    every week is frozen. (Frozen weeks inside the run are counted too, and their counts thrown away.)"""
    missing = [start for start in period.starts if start not in frozen]
    if not missing:
        return None
    run = int((missing[-1] - missing[0]) / WEEK) + 1
    return Weeks(starts=tuple(missing[0] + WEEK * index for index in range(run)), end=missing[-1] + WEEK)


def pulse_of(weeks: Weeks, figures: Mapping[datetime, PulseWeek]) -> Pulse:
    """The period from each of its weeks' figures (frozen or just counted): periods are sums of weeks (rule 3)."""
    each = [figures[start] for start in weeks.starts]
    return Pulse(
        weeks=weeks,
        checkins=WeeklyFigure(tuple(week.checkins for week in each)),
        members_per_week=WeeklyFigure(tuple(week.members for week in each)),
        moods=SplitFigure(MOOD_BANDS, tuple(week.moods for week in each)),
        pairs=WeeklyFigure(tuple(week.pairs for week in each)),
        pair_outcomes=SplitFigure(PAIR_OUTCOMES, tuple(week.pair_outcomes for week in each)),
        going=WeeklyFigure(tuple(week.going for week in each)),
        meetups_held=sum(week.meetups_held for week in each),
        nudge_opt_ins=WeeklyFigure(tuple(week.nudge_opt_ins for week in each)),
        arrived=WeeklyFigure(tuple(week.arrived for week in each)),
    )


def pulse(weeks: Weeks, counts: PulseCounts) -> Pulse:
    """The period straight from its counts, every week counted now (nothing frozen)."""
    return pulse_of(weeks, counted_figures(weeks, counts))

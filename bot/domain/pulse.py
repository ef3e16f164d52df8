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
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

MIN_MEMBERS = 5
WEEK = timedelta(weeks=1)
PERIOD_WEEKS = (4, 12, 26, 52)
NOT_ENOUGH = "not enough members to show this without identifying anyone"

# Mood bands: five moods are too fine for groups of five, so the distribution is in three.
MOOD_BANDS = ("hard", "okay", "good")
BAND_LABELS = {"hard": "Hard days (awful or low)", "okay": "Okay", "good": "Good days (good or great)"}
# Whether a buddy pair met, one outcome per pair: in person if anyone in it said so, else online if anyone
# said so, else not (yet), which includes pairs nobody answered for.
PAIR_OUTCOMES = ("in_person", "online", "not_met")


def mood_band(mood: int) -> str:
    """The band a mood (1-5) falls in. (The store computes the same in SQL.)"""
    return "hard" if mood <= 2 else "okay" if mood == 3 else "good"


@dataclass(frozen=True)
class Cell:
    """What the store counted for one week (and category): how many, and from how many different members."""

    count: int
    members: int


def released(cell: Cell | None) -> bool:
    return cell is not None and cell.members >= MIN_MEMBERS


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
    return WeeklyFigure(tuple(cells[week].count if released(cells.get(week)) else None for week in range(weeks)))


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


def split_figure(weeks: int, parents: Mapping[int, Cell], cells: Mapping[tuple[int, str], Cell],
                 categories: Sequence[str]) -> SplitFigure:
    weekly = tuple(split_week(parents.get(week), {category: cell for (index, category), cell in cells.items()
                                                  if index == week}, categories)
                   for week in range(weeks))
    return SplitFigure(tuple(categories), weekly)


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

    @property
    def anything_shown(self) -> bool:
        return any(figure.shown for figure in (self.checkins, self.moods, self.pairs, self.going,
                                               self.nudge_opt_ins))

    @property
    def average_members(self) -> float | None:
        """Members checking in, on average, in the weeks that were shown."""
        total = self.members_per_week.total
        return total / self.members_per_week.weeks_shown if total is not None else None


def pulse(weeks: Weeks, counts: PulseCounts) -> Pulse:
    n = len(weeks)
    return Pulse(
        weeks=weeks,
        checkins=weekly_figure(n, counts.checkins),
        members_per_week=weekly_figure(n, {week: Cell(cell.members, cell.members)
                                           for week, cell in counts.checkins.items()}),
        moods=split_figure(n, counts.checkins, counts.moods, MOOD_BANDS),
        pairs=weekly_figure(n, counts.pairs),
        pair_outcomes=split_figure(n, counts.pairs, counts.pair_outcomes, PAIR_OUTCOMES),
        going=weekly_figure(n, counts.going),
        meetups_held=sum(held for week, held in counts.meetups_held.items() if 0 <= week < n),
        nudge_opt_ins=weekly_figure(n, counts.nudge_opt_ins),
    )

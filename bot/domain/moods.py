"""Moods, streaks and the gentle words that go with them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import IntEnum

from bot.i18n import N_, p_, weekday_name


class Mood(IntEnum):
    AWFUL = 1
    LOW = 2
    OKAY = 3
    GOOD = 4
    GREAT = 5

    @property
    def word(self) -> str:
        """The English word, as stored and exported; members read `text`."""
        return _WORDS[self]

    @property
    def text(self) -> str:
        """The word in the reader's language ("awful", "mies", "fatal")."""
        return _mood_text(self)

    @property
    def button(self) -> str:
        """The word on a one-tap mood button ("Awful")."""
        return _mood_button(self)

    @property
    def emoji(self) -> str:
        return _EMOJI[self]

    @property
    def label(self) -> str:
        """English, for the slash command's choices (the command tree has its own translations)."""
        return f"{self.emoji} {self.word}"

    @property
    def shown(self) -> str:
        """The label a member reads, in their language: "😣 awful"."""
        return f"{self.emoji} {self.text}"

    @property
    def is_low(self) -> bool:
        return self <= Mood.LOW


_WORDS = {Mood.AWFUL: "awful", Mood.LOW: "low", Mood.OKAY: "okay", Mood.GOOD: "good", Mood.GREAT: "great"}
_EMOJI = {Mood.AWFUL: "😣", Mood.LOW: "😔", Mood.OKAY: "😐", Mood.GOOD: "🙂", Mood.GREAT: "😄"}


def _mood_text(mood: Mood) -> str:
    # i18n: how a member feels, on a 1-5 scale: awful, low, okay, good, great. Shown after an emoji and inside
    # sentences ("Thanks for checking in: 😣 awful"), so in lower case where your language allows.
    words = {Mood.AWFUL: p_("mood", "awful"), Mood.LOW: p_("mood", "low"), Mood.OKAY: p_("mood", "okay"),
             Mood.GOOD: p_("mood", "good"), Mood.GREAT: p_("mood", "great")}
    return words[mood]


def _mood_button(mood: Mood) -> str:
    # i18n: the five one-tap mood buttons of a check-in (awful, low, okay, good, great), at most 80 characters
    labels = {Mood.AWFUL: p_("button", "Awful"), Mood.LOW: p_("button", "Low"), Mood.OKAY: p_("button", "Okay"),
              Mood.GOOD: p_("button", "Good"), Mood.GREAT: p_("button", "Great")}
    return labels[mood]


# One gentle, concrete next step per mood; each points a little toward other people.
_SUGGESTIONS: dict[Mood, tuple[str, ...]] = {
    Mood.AWFUL: (
        N_("Be gentle with yourself today. If you can, let one person know how you're doing."),
        N_("A glass of water, a few slow breaths, and one message to someone you trust. That's plenty."),
    ),
    Mood.LOW: (
        N_("A short walk or a few minutes outside can take the edge off. Ask someone along if you can."),
        N_("Low days pass. Is there someone you could sit with, even quietly, today?"),
    ),
    Mood.OKAY: (
        N_("Okay is okay. Maybe reach out to someone you haven't talked to in a while."),
        N_("A small plan with someone for later this week gives you something to look forward to."),
    ),
    Mood.GOOD: (
        N_("Nice. Good days are great for a call or a coffee with someone. Pass it on."),
        N_("Glad to hear it. Is there a meetup or club you've been meaning to try?"),
    ),
    Mood.GREAT: (
        N_("Wonderful! Share a bit of it: tell someone about your day, face to face if you can."),
        N_("Lovely to hear. When you're with people today, put the phone away and enjoy it."),
    ),
}


def suggestion_for(mood: Mood, seed: int) -> str:
    """A suggestion for this mood; `seed` (e.g. the check-in count) varies it without randomness. English: show
    it with `_(suggestion)`."""
    options = _SUGGESTIONS[mood]
    return options[seed % len(options)]


def streak(local_dates: Iterable[date], today: date) -> int:
    """Days in a row with a check-in, ending today, or yesterday when today has none yet."""
    days = set(local_dates)
    cursor = today if today in days else today - timedelta(days=1)
    count = 0
    while cursor in days:
        count += 1
        cursor -= timedelta(days=1)
    return count


@dataclass(frozen=True)
class Entry:
    local_date: date
    mood: Mood


@dataclass(frozen=True)
class MoodSummary:
    days: int
    count: int
    average: float
    most_common: Mood
    best_weekday: int | None  # 0 = Monday; None until at least two weekdays have check-ins
    streak: int
    daily: tuple[tuple[date, float], ...]  # average mood per local date, oldest first
    today: date  # the member's local date the window ends on


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
"""English, for slash command choices and logs; members read `weekday_text(index)`."""

_A_MONDAY = date(2024, 1, 1)


def weekday_text(index: int) -> str:
    """The name of a day of the week (0 = Monday) in the reader's language: "Monday", "Montag", "lunes"."""
    return weekday_name(_A_MONDAY + timedelta(days=index))


def summarise(entries: Sequence[Entry], today: date, days: int, *,
              all_dates: Iterable[date] = ()) -> MoodSummary | None:
    """Figures for the last `days` local days (today included). None when there is nothing to show.

    `all_dates` (every check-in date, not only the window) lets the streak run past the window.
    """
    start = today - timedelta(days=days - 1)
    window = [entry for entry in entries if start <= entry.local_date <= today]
    if not window:
        return None
    moods = [int(entry.mood) for entry in window]
    counts = Counter(moods)
    # Ties go to the better mood: a kinder reading of an even split.
    most_common = Mood(max(counts, key=lambda mood: (counts[mood], mood)))
    by_date: dict[date, list[int]] = {}
    by_weekday: dict[int, list[int]] = {}
    for entry in window:
        by_date.setdefault(entry.local_date, []).append(int(entry.mood))
        by_weekday.setdefault(entry.local_date.weekday(), []).append(int(entry.mood))
    best_weekday = None
    if len(by_weekday) >= 2:
        best_weekday = max(by_weekday, key=lambda day: (sum(by_weekday[day]) / len(by_weekday[day]), -day))
    return MoodSummary(
        days=days,
        count=len(window),
        average=sum(moods) / len(moods),
        most_common=most_common,
        best_weekday=best_weekday,
        streak=streak(list(all_dates) or [entry.local_date for entry in entries], today),
        daily=tuple((day, sum(values) / len(values)) for day, values in sorted(by_date.items())),
        today=today,
    )

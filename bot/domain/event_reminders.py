"""When members going to a meetup are reminded: by default a day and an hour before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar, Literal

from bot.domain.work import Work, key_part

ReminderLabel = Literal["24h", "1h"]
ReminderChoice = Literal["both", "day", "hour", "off"]
OFFSETS: dict[ReminderLabel, timedelta] = {"24h": timedelta(hours=24), "1h": timedelta(hours=1)}
CHOICES: dict[str, tuple[ReminderLabel, ...]] = {"both": ("24h", "1h"), "day": ("24h",), "hour": ("1h",),
                                                 "off": ()}
DEFAULT_CHOICE: ReminderChoice = "both"


@dataclass(frozen=True)
class EventReminder(Work):
    """One reminder DM to one member going to a meetup. Carries the start, so moving the meetup makes earlier
    reminders stale rather than wrong."""

    KIND: ClassVar[str] = "event.reminder"
    event_id: int = key_part()
    user_id: int = key_part()
    label: ReminderLabel = key_part()
    start: datetime = key_part()

    def key(self) -> str:
        # Kept from before typed payloads (epoch seconds, "event-reminder:" prefix): rows already stored must
        # be found by re-planning and by cancelling, never duplicated.
        return f"event-reminder:{self.event_id}:{self.user_id}:{self.label}:{int(self.start.timestamp())}"


def reminder_times(start: datetime, choice: str | None, now: datetime) -> list[tuple[ReminderLabel, datetime]]:
    """(label, due) for each reminder still ahead; one whose moment has passed is never sent late."""
    labels = CHOICES.get(choice or DEFAULT_CHOICE, CHOICES[DEFAULT_CHOICE])
    return [(label, start - OFFSETS[label]) for label in labels if start - OFFSETS[label] > now]


def reminder_key(event_id: int, user_id: int, label: ReminderLabel, start: datetime) -> str:
    """`EventReminder`'s key, for callers that seed rows by hand (the fan-out benchmark and test)."""
    return EventReminder(event_id, user_id, label, start).key()

"""When members going to a meetup are reminded: by default a day and an hour before."""

from __future__ import annotations

from datetime import datetime, timedelta

OFFSETS = {"24h": timedelta(hours=24), "1h": timedelta(hours=1)}
CHOICES: dict[str, tuple[str, ...]] = {"both": ("24h", "1h"), "day": ("24h",), "hour": ("1h",), "off": ()}
DEFAULT_CHOICE = "both"


def reminder_times(start: datetime, choice: str | None, now: datetime) -> list[tuple[str, datetime]]:
    """(label, due) for each reminder still ahead; one whose moment has passed is never sent late."""
    labels = CHOICES.get(choice or DEFAULT_CHOICE, CHOICES[DEFAULT_CHOICE])
    return [(label, start - OFFSETS[label]) for label in labels if start - OFFSETS[label] > now]


def reminder_key(event_id: int, user_id: int, label: str, start: datetime) -> str:
    """Includes the start, so moving the meetup makes earlier reminders stale rather than wrong."""
    return f"event-reminder:{event_id}:{user_id}:{label}:{int(start.timestamp())}"

"""The closing summary: what the month added up to, counted from what the members saw and what is stored."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.demo.narration import button_labels
from bot.demo.stage import Stage

RSVP_LABELS = ("Going", "Maybe", "Can't go")


def _text(message: Any) -> str:
    return (message.content or "") + "".join((embed.title or "") for embed in message.embeds)


async def summarise(stage: Stage) -> dict[str, int]:
    cast, store = stage.cast, stage.store
    people = [cast.olive, cast.alice, cast.bob, cast.hal, *cast.others.values()]  # the community is in others
    dms = [message for person in people for message in stage.dms(person)]
    pairs = [thread for thread in cast.buddies.threads if thread.name.startswith("Buddies:")]
    return {
        "members": len(people),
        "check-ins stored": sum([await store.checkins.count(person.id) for person in people]),
        "buddy groups introduced": len(pairs),
        "buddy groups who met in person": stage.tally["met in person"],
        "meetups announced": len([m for m in cast.meetups.history() if m.embeds and "Going" in button_labels(m)]),
        "RSVPs": sum(stage.tally[label] for label in RSVP_LABELS),
        "reminders sent": len([m for m in dms if (m.content or "").startswith("⏰")
                               or "How are you today?" in _text(m)]),
        "nudges and digests sent": len([m for m in dms if "Less often" in button_labels(m)]),
        "going-together threads": len([t for t in cast.meetups.threads if t.name.startswith("Going together")]),
    }


def play_summary(stage: Stage, figures: dict[str, int], seconds: float, started: datetime) -> None:
    narrator = stage.narrator
    weeks = round((stage.env.now() - started).days / 7)
    narrator.scene("The story in figures")
    for name, value in figures.items():
        narrator.note(f"{name}: {value}")
    narrator.note(f"commands run: {len(set(narrator.commands_run))} different ones, {len(narrator.commands_run)} "
                  f"in all, narrated; {weeks} weeks of community life took {seconds:.0f} seconds to play")


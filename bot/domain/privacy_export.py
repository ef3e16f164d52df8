"""The member's export: everything Hearth holds about them, in every server, as one JSON document.

The format is documented in docs/export-format.md; change both together, and bump `EXPORT_VERSION` when a
field changes meaning or goes away (adding a field or a section keeps the version).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from bot.domain.moods import Mood
from bot.domain.privacy import MENTION_REPLACEMENT, is_pseudonym
from bot.i18n import N_, _

EXPORT_FORMAT = "hearth-export"
EXPORT_VERSION = 1

Row = Mapping[str, Any]

# What a scheduled row is, in words a member understands (in their language: the only words in the export that
# are not the format's own).
WORK_WORDS: dict[str, str] = {
    # i18n: in a member's data export: what a scheduled message is (as are the ones after it)
    "checkin.prompt": N_("a check-in prompt"),
    "event.reminder": N_("a meetup reminder"),
    "event.companions.note": N_("a going-together introduction"),
    "event.feedback.ask": N_("an after-meetup question"),
    "event.waitlist.offer": N_("a meetup place offered to you from the waitlist"),
    "event.waitlist.expiry": N_("the end of a meetup place held for you"),
    "nudge.digest": N_("your meetup digest"),
    "nudge.check": N_("a daily look at whether a kind word would help"),
    "nudge.buddy": N_("a meetup suggestion for you and your buddy"),
    "buddy.dm": N_("a buddy-pairing message"),
    "meeting.reminder": N_("a reminder before a meeting you agreed with your buddy or group"),
    "meeting.dm": N_("a message about finding a time to meet"),
    "dm.notice": N_("a message about a meetup"),
    "privacy.erase": N_("deleting your data for a server you left"),
}


def _work_words(kind: str) -> str:
    words = WORK_WORDS.get(kind)
    return _(words) if words is not None else kind


@dataclass(frozen=True)
class ScheduledItem:
    kind: str
    due_at: datetime
    guild_id: int | None


@dataclass(frozen=True)
class MemberRecords:
    """The member's rows, as the store read them in one snapshot (columns by name)."""

    settings: Row | None = None
    checkins: Sequence[Row] = ()
    checkin_reminder: Row | None = None
    minimum_age: Sequence[Row] = ()
    buddy_profiles: Sequence[Row] = ()
    buddy_blocks: Sequence[Row] = ()
    buddy_groups: Sequence[Row] = ()  # guild_id, started_at, ends_at, size, reasons, delivered, answer, answered_at
    buddy_unmatched: Sequence[Row] = ()  # guild_id, started_at
    rsvps: Sequence[Row] = ()  # with the meetup's guild_id, title, start_at
    companions: Sequence[Row] = ()
    feedback: Sequence[Row] = ()
    organised: Sequence[Row] = ()  # meetups they created
    series_organised: Sequence[Row] = ()
    server_settings_changed: Sequence[Row] = ()  # guild_id, updated_at, what
    nudge_prefs: Row | None = None
    nudge_sends: Sequence[Row] = ()
    meeting_polls: Sequence[Row] = ()  # with the poll's guild_id, status, window, chosen_start
    scheduled: Sequence[ScheduledItem] = field(default_factory=tuple)


def export_document(records: MemberRecords, user_id: int, now: datetime) -> dict[str, Any]:
    """The export as a JSON-ready dict: ids as strings, times in UTC ISO 8601."""
    sections: dict[str, Any] = {
        "settings": _settings(records.settings),
        "checkins": [_checkin(row) for row in records.checkins],
        "checkin_reminder": _reminder(records.checkin_reminder),
        "minimum_age": [_pick(row, "guild_id", "min_age", "confirmed_at") for row in records.minimum_age],
        "buddy_profiles": [_profile(row) for row in records.buddy_profiles],
        # A member who since deleted their data is no longer named: null.
        "buddy_blocks": [{"server_id": row["guild_id"],
                          "blocked_member_id": None if is_pseudonym(row["blocked_id"]) else row["blocked_id"],
                          "created_at": row["created_at"]} for row in records.buddy_blocks],
        "buddy_rounds": [_group(row) for row in records.buddy_groups],
        "buddy_rounds_unmatched": [_pick(row, "guild_id", "started_at") for row in records.buddy_unmatched],
        "meetup_answers": [_pick(row, "guild_id", "event_id", "title", "start_at", "status", "display_name",
                                 "updated_at", "offer_expires_at", "arrived_at") for row in records.rsvps],
        "going_together": [{**_pick(row, "guild_id", "event_id", "title", "start_at", "requested_at"),
                            "grouped": row["group_no"] is not None, "introduced_by": row["delivered"]}
                           for row in records.companions],
        "after_meetup_answers": [_pick(row, "guild_id", "event_id", "title", "how", "met_new", "updated_at")
                                 for row in records.feedback],
        "meetups_organised": [_pick(row, "guild_id", "event_id", "title", "start_at", "status")
                              for row in records.organised],
        "meetup_series_organised": [_pick(row, "guild_id", "series_id", "title", "first_start", "status")
                                    for row in records.series_organised],
        "server_settings_last_changed": [_pick(row, "guild_id", "what", "updated_at")
                                         for row in records.server_settings_changed],
        "find_a_time": [{**_pick(row, "guild_id", "group_kind", "status", "window_start", "window_end",
                                 "chosen_start", "answered_at", "pick", "picked_at"),
                         "your_free_times": [[datetime.fromisoformat(start), datetime.fromisoformat(end)]
                                             for start, end in row["slots"] or []]}
                        for row in records.meeting_polls],
        "nudges": {"choices": _nudges(records.nudge_prefs),
                   "sent": [_pick(row, "kind", "sent_at") for row in records.nudge_sends]},
        "scheduled": [{"what": _work_words(item.kind), "kind": item.kind, "due_at": item.due_at,
                       "server_id": item.guild_id} for item in records.scheduled],
    }
    document = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "generated_at": now, "member_id": user_id,
                "sections": sections}
    jsonable: dict[str, Any] = _jsonable(document)
    return jsonable


def export_bytes(document: Mapping[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def export_filename(now: datetime) -> str:
    return f"hearth-export-{now.astimezone(UTC):%Y-%m-%d}.json"


def _settings(row: Row | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"timezone": row["timezone"], "quiet_hours": _quiet(row["quiet_start"], row["quiet_end"]),
            "dms_enabled": row["dms_enabled"], "dms_closed_at": row["dms_closed_at"],
            "event_reminders": row["event_reminders"] or "both", "dm_channel_id": row["dm_channel_id"],
            "language": row.get("language"), "discord_locale": row.get("discord_locale"),
            "privacy_notice_version_agreed": row["consent_version"], "privacy_notice_agreed_at": row["consent_at"],
            "updated_at": row["updated_at"]}


def _checkin(row: Row) -> dict[str, Any]:
    return {"id": row["id"], "server_id": row["guild_id"], "mood": row["mood"], "mood_word": Mood(row["mood"]).word,
            "note": row["note"], "local_date": row["local_date"], "source": row["source"],
            "created_at": row["created_at"]}


def _reminder(row: Row | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"server_id": row["guild_id"], "cadence": row["cadence"], "weekday": row["weekday"],
            "local_time": _clock(row["local_time"]), "enabled": row["enabled"],
            "stopped_reason": row["stopped_reason"], "paused_until": row["paused_until"],
            "updated_at": row["updated_at"]}


def _profile(row: Row) -> dict[str, Any]:
    return _pick(row, "guild_id", "interests", "area", "preference", "frequency", "active", "paused_until",
                 "missed_last_round", "sat_out_last_round", "unanswered_followups", "last_paired_at",
                 "rounds_paired", "joined_at", "updated_at")


def _group(row: Row) -> dict[str, Any]:
    """A round the member was in: who with is "another member", never an id."""
    return {"server_id": row["guild_id"], "round_started_at": row["started_at"], "round_ends_at": row["ends_at"],
            "with": [_(MENTION_REPLACEMENT)] * max(int(row["size"]) - 1, 0), "shared": row["reasons"],
            "introduced_by": row["delivered"], "your_answer": row["answer"], "answered_at": row["answered_at"]}


def _nudges(row: Row | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {**_pick(row, "guild_id", "digest_enabled", "digest_weekday", "digest_every_weeks", "quiet_enabled",
                    "quiet_days", "buddy_enabled", "opted_in_at", "updated_at"),
            "local_time": _clock(row["local_time"])}


def _pick(row: Row, *names: str) -> dict[str, Any]:
    """The named columns, with the export's names for ids: a server, a meetup."""
    return {_NAMES.get(name, name): row[name] for name in names}


_NAMES = {"guild_id": "server_id", "event_id": "meetup_id"}


def _quiet(start: int | None, end: int | None) -> dict[str, str | None] | None:
    if start is None or end is None:
        return None
    return {"start": _clock(start), "end": _clock(end)}


def _clock(minutes: int | None) -> str | None:
    return None if minutes is None else f"{minutes // 60:02d}:{minutes % 60:02d}"


def _jsonable(value: Any, key: str = "") -> Any:
    """Discord ids as strings (JSON numbers lose precision above 2^53), times as ISO 8601 in UTC."""
    if isinstance(value, Mapping):
        return {str(name): _jsonable(item, str(name)) for name, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool) and key.endswith("_id"):
        return str(value)
    return value

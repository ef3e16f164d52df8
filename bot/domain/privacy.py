"""Members own their data: what a deletion covers (its scope), the keyed pseudonym that replaces a deleted
member's id where others still need a trace of them, where a member's scheduled work belongs, and the
due-work payload that erases a member who left a server.

The export's format is in `bot.domain.privacy_export` (documented in docs/export-format.md).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, ClassVar, Literal

from bot.domain.errors import InvalidInput
from bot.domain.work import Work, key_part
from bot.i18n import N_, _, n_, number

# The install's pseudonym key, made once (random) and kept in the `meta` table. Without it a pseudonym can't be
# worked out from an id; with it, the same member always gets the same pseudonym (so a block against them
# still holds if they come back).
SECRET_META_KEY = "privacy.pseudonym-key"

ScopeChoice = Literal["server", "everywhere"]


# ---------------------------------------------------------------------------------------------------------------
# Pseudonyms


def pseudonym(secret: bytes, user_id: int) -> int:
    """A negative 63-bit number for `user_id`, from HMAC-SHA256 with the install's key.

    Negative, so it can never be a Discord id (snowflakes are positive) and is never mentioned or messaged.
    """
    digest = hmac.new(secret, str(user_id).encode(), hashlib.sha256).digest()
    return -(int.from_bytes(digest[:8], "big") >> 1) - 1


def is_pseudonym(user_id: int) -> bool:
    return user_id < 0


def as_members(pairs: Iterable[frozenset[int]], members: Iterable[int],
               secret: bytes | None) -> set[frozenset[int]]:
    """Pairs (blocks, recent buddies) with the pseudonym of each of `members` read as that member: a member
    who deleted their data and came back is still never paired with someone who blocked them."""
    found = set(pairs)
    if secret is None:
        return found
    alias = {pseudonym(secret, member): member for member in members}
    if not any(user in alias for pair in found for user in pair):
        return found
    return {frozenset(alias.get(user, user) for user in pair) for pair in found}


# ---------------------------------------------------------------------------------------------------------------
# Scope


@dataclass(frozen=True)
class Scope:
    """What a deletion covers: one server's data, or (`guild_id` None) everything, everywhere."""

    guild_id: int | None = None

    @property
    def everywhere(self) -> bool:
        return self.guild_id is None

    def covers(self, guild_id: int | None) -> bool:
        """Whether data of this server (None: of no server) is in scope. Member-level data is decided apart."""
        return self.guild_id is None or guild_id == self.guild_id

    @property
    def code(self) -> int:
        """As a button carries it: the server's id, or 0 for everywhere."""
        return self.guild_id or 0

    @classmethod
    def from_code(cls, code: int) -> Scope:
        return cls(code or None)

    @classmethod
    def chosen(cls, choice: str, guild_id: int | None) -> Scope:
        """The member's choice of "this server" or "everywhere", where they asked."""
        if choice == "everywhere":
            return cls()
        if choice != "server":
            # i18n: “this server” and “everywhere” are the choices of /privacy delete's scope option
            raise InvalidInput(_("Choose “this server” or “everywhere”."))
        if guild_id is None:
            # i18n: “this server” and “everywhere” are the choices of /privacy delete's scope option
            raise InvalidInput(_("In direct messages there is no “this server”: choose “everywhere”, or run "
                                 "`/privacy delete` inside the server whose data you want deleted."))
        return cls(guild_id)


# ---------------------------------------------------------------------------------------------------------------
# Where a scheduled row belongs


@dataclass(frozen=True)
class WorkPlace:
    """The server a due-work row is about, or what tells it: a meetup, a buddy group or round, or the server
    the member's check-in reminder or nudges are for. Nothing set: member-level (no server can be told)."""

    guild_id: int | None = None
    event_id: int | None = None
    group_id: int | None = None
    round_id: int | None = None
    follows: Literal["reminder", "nudges"] | None = None

    @property
    def member_level(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))


_GROUP_OCCASION = re.compile(r"^(?:intro|left|met):(\d+)$")
_ROUND_KEY_OCCASION = re.compile(r"^(?:unmatched|heads-up):buddy-round:(\d+):")
_ROUND_OCCASION = re.compile(r"^pause:(\d+)$")
_EVENT_OCCASION = re.compile(r"^event-[a-z]+:(\d+)")


def work_place(kind: str, payload: Mapping[str, Any]) -> WorkPlace:
    """Where a member's due-work row belongs, read from its payload (rows of every age: fields may be missing)."""
    if kind in ("event.reminder", "event.companions.note", "event.feedback.ask", "event.waitlist.offer",
                "event.waitlist.expiry"):
        return WorkPlace(event_id=_int(payload.get("event_id")))
    if kind.startswith("meeting."):
        return WorkPlace(guild_id=_int(payload.get("guild_id")))
    if kind == "nudge.buddy":
        return WorkPlace(group_id=_int(payload.get("group_id")))
    if kind in ("nudge.digest", "nudge.check"):
        return WorkPlace(follows="nudges")
    if kind == "checkin.prompt":
        return WorkPlace(follows="reminder")
    if kind == PrivacyErase.KIND:
        return WorkPlace(guild_id=_int(payload.get("guild_id")))
    if kind == "buddy.dm":
        return _buddy_dm_place(payload)
    if kind == "dm.notice":
        found = _EVENT_OCCASION.match(str(payload.get("occasion") or ""))
        return WorkPlace(event_id=int(found[1])) if found else WorkPlace()
    return WorkPlace()


def _buddy_dm_place(payload: Mapping[str, Any]) -> WorkPlace:
    if _int(payload.get("met_group_id")) is not None:
        return WorkPlace(group_id=_int(payload.get("met_group_id")))
    for name in ("pause_guild_id", "skip_guild_id"):
        if _int(payload.get(name)) is not None:
            return WorkPlace(guild_id=_int(payload.get(name)))
    view = payload.get("view")  # rows queued before payloads were typed
    if isinstance(view, Mapping):
        if "met" in view:
            return WorkPlace(group_id=_int(view["met"]))
        if "pause" in view:
            return WorkPlace(guild_id=_int(view["pause"]))
        if "skip" in view and isinstance(view["skip"], list | tuple) and view["skip"]:
            return WorkPlace(guild_id=_int(view["skip"][0]))
    occasion = str(payload.get("occasion") or "")
    if found := _GROUP_OCCASION.match(occasion):
        return WorkPlace(group_id=int(found[1]))
    if found := _ROUND_KEY_OCCASION.match(occasion):
        return WorkPlace(guild_id=int(found[1]))
    if found := _ROUND_OCCASION.match(occasion):
        return WorkPlace(round_id=int(found[1]))
    return WorkPlace()


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


@dataclass(frozen=True)
class WorkRow:
    """A due-work row as a deletion sees it."""

    id: int
    kind: str
    payload: Mapping[str, Any]
    due_at: datetime
    key: str
    finished: bool  # done or given up: kept only so its key is never planned twice
    claimed: bool

    @property
    def open(self) -> bool:
        return not self.finished

    @property
    def place(self) -> WorkPlace:
        return work_place(self.kind, self.payload)


@dataclass(frozen=True)
class Erasure:
    """Everything one deletion does, decided by the use case and carried out by the store in one transaction."""

    user_id: int
    pseudonym: int  # replaces their id where someone else's data keeps a trace of them
    scope: Scope
    settings: bool  # their member-level settings too (only "everywhere")
    nudge_sends: bool  # what nudges were sent (kept with nudge choices for another server)
    work_ids: tuple[int, ...] = ()  # their due-work rows to delete, open or finished
    rewritten: tuple[tuple[int, Mapping[str, Any]], ...] = ()  # others' rows that named them, scrubbed
    keep: tuple[int, Mapping[str, Any], str] | None = None  # the row running the erase: (id, payload, key), anonymous


# ---------------------------------------------------------------------------------------------------------------
# Other members' rows that name a deleted member


# i18n: in a member's data export, in place of the member they were paired with
MENTION_REPLACEMENT = N_("another member")


def scrub(value: Any, user_id: int, *, finished: bool) -> Any:
    """A due-work payload (JSON) of someone else, with every trace of `user_id` removed.

    Mentions become "another member". In rows already sent (`finished`, kept only so they are never sent
    twice) a text that named the member is emptied, so nothing else about them (a display name) stays either.
    """
    if isinstance(value, Mapping):
        return {key: scrub(item, user_id, finished=finished) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(item, user_id, finished=finished) for item in value]
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return None if value == user_id else value
    if isinstance(value, str) and str(user_id) in value:
        if finished:
            return ""
        text = value.replace(f"<@{user_id}>", MENTION_REPLACEMENT).replace(f"<@!{user_id}>", MENTION_REPLACEMENT)
        return text.replace(str(user_id), MENTION_REPLACEMENT)
    return value


# ---------------------------------------------------------------------------------------------------------------
# What a deletion will remove, counted for the member before they confirm


@dataclass(frozen=True)
class Deleted:
    """What a deletion removed, and the meetups ahead whose announcements counted the member's answer (their
    counts are refreshed once the deletion is committed): (server id, meetup id) pairs."""

    held: Held
    meetups: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Held:
    """What Hearth holds about a member within a scope, counted."""

    checkins: int = 0
    notes: int = 0
    checkin_reminders: int = 0
    minimum_age: int = 0
    buddy_profiles: int = 0
    buddy_blocks: int = 0
    buddy_rounds: int = 0
    meetup_answers: int = 0
    going_together: int = 0
    after_meetup_answers: int = 0
    nudges: int = 0
    find_a_time: int = 0  # their answers and picks when finding a time to meet
    scheduled: int = 0
    settings: int = 0  # member-level: only deleted "everywhere"
    organised: int = 0  # meetups and series they created: kept for the server, no longer linked to them

    # Data that belongs to a server (or to no server, like a check-in from a DM prompt): what "anything left
    # elsewhere" compares. Settings, organised meetups and scheduled work are decided apart.
    SERVER_DATA: ClassVar[tuple[str, ...]] = (
        "checkins", "checkin_reminders", "minimum_age", "buddy_profiles", "buddy_blocks", "buddy_rounds",
        "meetup_answers", "going_together", "after_meetup_answers", "nudges", "find_a_time")

    @property
    def empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self) if f.name != "organised")

    def beyond(self, inside: Held) -> bool:
        """Whether these counts (everything) hold server data that `inside` (one server's) does not."""
        return any(getattr(self, name) > getattr(inside, name) for name in self.SERVER_DATA)

    def lines(self) -> list[str]:
        """What will be deleted, one plain line each (nothing for what there is none of)."""
        lines = []
        if self.checkins and self.notes:
            # i18n: a line in the list of what /privacy delete deletes (as are the ones after it)
            # i18n: {notes} is how many of the check-ins have a note
            lines.append(n_("{count} check-in, {notes} with a note", "{count} check-ins, {notes} with a note",
                            self.checkins, notes=number(self.notes)))
        elif self.checkins:
            lines.append(n_("{count} check-in", "{count} check-ins", self.checkins))
        if self.checkin_reminders:
            lines.append(_("your check-in reminder"))
        if self.minimum_age:
            lines.append(n_("{count} minimum-age answer", "{count} minimum-age answers", self.minimum_age))
        if self.buddy_profiles:
            lines.append(n_("{count} buddy profile", "{count} buddy profiles", self.buddy_profiles))
        if self.buddy_blocks:
            lines.append(n_("{count} block you made", "{count} blocks you made", self.buddy_blocks))
        if self.buddy_rounds:
            lines.append(n_("your place and answers in {count} buddy round",
                            "your place and answers in {count} buddy rounds", self.buddy_rounds))
        if self.meetup_answers:
            lines.append(n_("{count} meetup answer", "{count} meetup answers", self.meetup_answers))
        if self.going_together:
            lines.append(n_("{count} request to go together", "{count} requests to go together", self.going_together))
        if self.after_meetup_answers:
            lines.append(n_("{count} after-meetup answer", "{count} after-meetup answers", self.after_meetup_answers))
        if self.nudges:
            lines.append(_("your nudge choices and what was sent"))
        if self.find_a_time:
            # i18n: “find a time” is the feature where a buddy group says when they could meet
            lines.append(n_("when you said you could meet, in {count} find-a-time",
                            "when you said you could meet, in {count} find-a-times", self.find_a_time))
        if self.scheduled:
            lines.append(n_("{count} scheduled message or reminder", "{count} scheduled messages and reminders",
                            self.scheduled))
        if self.settings:
            lines.append(_("your settings (time zone, quiet hours, DMs, privacy-notice answer)"))
        return lines


# ---------------------------------------------------------------------------------------------------------------
# Members who leave a server


@dataclass(frozen=True)
class PrivacyErase(Work):
    """Delete what Hearth holds about a member for one server, a grace period after they left (cancelled if they
    come back first). `left_at` is in the key: leaving again after coming back plans a new row. `left_pool`: their
    buddy profile was taken out of the pool when they left, and goes back in if they return."""

    KIND: ClassVar[str] = "privacy.erase"
    guild_id: int = key_part()
    user_id: int = key_part()
    left_at: datetime = key_part()
    left_pool: bool = False



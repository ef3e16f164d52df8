"""What organisers set on a meetup besides when and where: when answers close, who may answer, notes on
access, and the "I'm here" window and code.

- Answers close at `rsvp_closes_at` (before the start), else at the start. After the close, Going, Maybe
  and the waitlist are refused with a sentence; "Can't go" is always accepted: freeing a place never hurts.
- A meetup limited to a role takes Going and Maybe only from members who have it. The check is made
  inside the answer's transaction with the member's role ids, so it is a rule, not just a hidden button.
- "I'm here" is for in-person meetups, from `ARRIVAL_OPENS` before the start until the end, for members
  who are going; the organiser's code (shared at the venue) does the same from the command.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Collection
from datetime import datetime, timedelta

from bot.domain.errors import InvalidInput
from bot.domain.events import Event
from bot.i18n import _, number

MAX_ACCESS_LENGTH = 300
ARRIVAL_OPENS = timedelta(minutes=30)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud or off a sign at the venue
CODE_LENGTH = 6
# Typed instead of a time on edit: answers close at the start again.
AT_START = ("start", "at the start", "when it starts", "none", "-")

_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


def _moment(moment: datetime) -> str:
    return f"<t:{int(moment.timestamp())}:f>"


def clean_access(text: str | None) -> str | None:
    """The organiser's accessibility notes: control characters dropped (line breaks kept), at most 300."""
    if text is None:
        return None
    cleaned = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if len(cleaned) > MAX_ACCESS_LENGTH:
        raise InvalidInput(_("Keep the access notes to {limit} characters (that's {length}): step-free access, a "
                             "quiet space, seating, what to expect.", limit=number(MAX_ACCESS_LENGTH),
                             length=number(len(cleaned))))
    return cleaned or None


def means_at_start(text: str) -> bool:
    return text.strip().lower() in AT_START


def check_close(closes_at: datetime, start_at: datetime) -> datetime:
    if closes_at >= start_at:
        raise InvalidInput(_("Answers must close before the meetup starts ({start}), and {closes} isn't. Leave it "
                             "empty to take answers until the start.", start=_moment(start_at),
                             closes=_moment(closes_at)))
    return closes_at


def close_minutes(closes_at: datetime | None, start_at: datetime) -> int | None:
    """How long before its start a series' dates close, from the first date's gap."""
    return None if closes_at is None else int((start_at - closes_at) / timedelta(minutes=1))


def closes_for(start_at: datetime, minutes: int | None) -> datetime | None:
    return None if minutes is None else start_at - timedelta(minutes=minutes)


def role_refusal(role_id: int) -> str:
    # A role mention: shown as the role's name, and allowed_mentions none keeps it from pinging.
    role = f"<@&{role_id}>"
    # i18n: {role} shows as the role's name
    return _("This meetup is open to members with the {role} role, and you don't have it.", role=role)


def check_answer(event: Event, answer: str, role_ids: Collection[int] | None, now: datetime) -> None:
    """Going, Maybe (and so the waitlist) honour the close time and the role; "Can't go" always passes."""
    if answer == "no":
        return
    if event.rsvp_closes_at is not None and event.rsvp_closes_at <= now:
        # i18n: “Can't go” is the button on the announcement
        raise InvalidInput(_("Answers for this meetup closed {closed}. If you can't go after all, “Can't go” still "
                             "works, so someone else can have your place.", closed=_moment(event.rsvp_closes_at)))
    check_role(event, role_ids)


def check_role(event: Event, role_ids: Collection[int] | None) -> None:
    if event.role_id is not None and event.role_id not in (role_ids or ()):
        raise InvalidInput(role_refusal(event.role_id))


def arrival_window(event: Event) -> tuple[datetime, datetime]:
    return event.start_at - ARRIVAL_OPENS, event.end_at


def check_arrival_time(event: Event, now: datetime) -> None:
    if event.mode != "in_person":
        raise InvalidInput(_("“I'm here” is for meetups in person; this one is online."))
    if event.status == "cancelled":
        raise InvalidInput(_("This meetup was cancelled."))
    opens, ends = arrival_window(event)
    if now < opens:
        raise InvalidInput(_("“I'm here” opens 30 minutes before the start, {opens}. See you then!",
                             opens=_moment(opens)))
    if now >= ends:
        raise InvalidInput(_("This meetup has ended, so arrivals are closed. Thanks for going!"))


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _unused in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    return re.sub(r"[\s-]", "", typed).upper()


def ics_description(description: str | None, access_notes: str | None) -> str | None:
    """The .ics DESCRIPTION: the organiser's description, then the access notes."""
    # i18n: in a calendar (.ics) file, after the meetup's description
    access = _("Access: {notes}", notes=access_notes) if access_notes else None
    parts = [part for part in (description, access) if part]
    return "\n\n".join(parts) or None

"""Meeting in person, safely: the tips every in-person introduction carries, "let me know you got home
safe" (an opt-in check a few hours after a meetup), and the plain words about what Hearth is not.

The texts here are the one source for every place that shows them (buddy intros, going-together
introductions, in-person meetup announcements, `/about`, the crisis answer). Nothing here imports
Discord: the cogs and `bot/ui/safety.py` render it.

A home check is two due-work rows of one kind (`HomeCheck`), told apart by `stage`:

- `ask`: a few hours after the meetup ends (outside the member's quiet hours), a DM "did you get home
  safe?" with an "I'm home" button. When it goes, it plans the second row.
- `follow_up`: a couple of hours later, only if "I'm home" wasn't tapped: ONE gentle message to the
  member, never to anyone else, with people who can help if something is wrong.

A row that falls due inside quiet hours the member set after it was planned moves once, to a row of its
own (`later`), so every key a member's check can have is known: see `check_keys`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import ClassVar, Literal
from zoneinfo import ZoneInfo

from bot.domain.quiet_hours import QuietHours
from bot.domain.work import Work
from bot.i18n import SN_

# -- words ---------------------------------------------------------------------------------------------
# Safety texts, in English: every place that shows one translates it there, with `S_(MEETING_TIP)` (the safety
# catalog, used in a language only once a native speaker reviewed it).

# i18n: a safety tip on buddy introductions and meeting plans. Short and warm, never alarming.
MEETING_TIP = SN_("Meeting in person? Pick somewhere public, like a café or a park, and tell someone you trust "
                  "where you'll be.")
"""For people arranging to meet (buddies). Short and warm, never alarming."""

# i18n: a safety tip on in-person meetup announcements and going-together introductions
MEETUP_TIP = SN_("Meeting new people? Stay in public places, like the venue, and tell someone you trust where "
                 "you'll be.")
"""For meetups at a venue: the announcement and going-together introductions."""

# i18n: in /about, under "Not a crisis service"
NOT_A_CRISIS_SERVICE = SN_("Hearth is not a crisis or medical service: nobody monitors what you tell it, so it "
                           "can't send help. If you're in danger or thinking about harming yourself, please call "
                           "your local emergency number or a helpline now.")
"""Said plainly in `/about`; the crisis answer says the same in its own, shorter way."""

# i18n: in the answer to a check-in note that sounds like a crisis, just above the helplines
CRISIS_NOT_A_SERVICE = SN_("I'm a bot, not a crisis service, so I can't talk this through with you, but the "
                           "people below can: they're there to listen, and you don't need the right words.")

# What a home check is about, when it isn't a meetup (whose title is shown): stored in English in the check,
# shown with `S_(what)`.
MEETUP_WHAT = SN_("the meetup")
BUDDY_WHAT = SN_("meeting your buddy")
MEETING_UP_WHAT = SN_("meeting up")  # a meeting time buddies agreed with Hearth (bot/ui/meetings.py)

# -- timing ---------------------------------------------------------------------------------------------

ASK_AFTER_END = timedelta(hours=3)  # "did you get home safe?": a few hours after the end…
EARLIEST_AFTER_END = timedelta(hours=1)  # …or earlier, down to this, rather than after a night's quiet hours
BEFORE_QUIET = timedelta(minutes=15)  # how long before quiet hours begin an earlier ask goes
FOLLOW_UP_AFTER = timedelta(hours=2)  # the one gentle message, if "I'm home" wasn't tapped
BUDDY_MEETING_LENGTH = timedelta(hours=1)  # a buddy meeting has no end: assume this long
BUDDY_MAX_AHEAD = timedelta(days=60)  # a buddy meeting further ahead than this is refused
TOO_LATE_AFTER_END = timedelta(days=2)  # after downtime, don't ask about a meetup long past

HomeStage = Literal["ask", "follow_up"]
STAGES: tuple[HomeStage, ...] = ("ask", "follow_up")

_REF_EVENT = "e"
_REF_TIME = "t"


def event_ref(event_id: int) -> str:
    """What a home check is about: a meetup (one check per member per meetup)…"""
    return f"{_REF_EVENT}{event_id}"


def time_ref(moment: datetime) -> str:
    """…or a time a member gave (a buddy meeting): one check per member per time."""
    return f"{_REF_TIME}{int(moment.timestamp())}"


def event_of_ref(ref: str) -> int | None:
    return int(ref[1:]) if ref.startswith(_REF_EVENT) and ref[1:].isdigit() else None


def is_ref(ref: str) -> bool:
    return len(ref) > 1 and ref[0] in (_REF_EVENT, _REF_TIME) and ref[1:].isdigit()


@dataclass(frozen=True)
class HomeCheck(Work):
    """One step of one member's home check. `what` names the occasion in the DM ("the meetup", "meeting your
    buddy"); a meetup's title is read again when the DM goes, so an edited title shows as it is then."""

    KIND: ClassVar[str] = "safety.home"
    user_id: int
    ref: str
    stage: HomeStage
    guild_id: int
    ends_at: datetime
    what: str = MEETUP_WHAT
    locale: str | None = None  # the member's Discord language when they opted in: helplines, without a zone
    later: bool = False  # moved once because it fell due in quiet hours

    def key(self) -> str:
        return check_key(self.user_id, self.ref, self.stage, later=self.later)

    @property
    def event_id(self) -> int | None:
        return event_of_ref(self.ref)

    def follow_up(self) -> HomeCheck:
        return replace(self, stage="follow_up", later=False)

    def moved(self) -> HomeCheck:
        return replace(self, later=True)


def check_key(user_id: int, ref: str, stage: HomeStage, *, later: bool = False) -> str:
    return f"{HomeCheck.KIND}:{user_id}:{ref}:{stage}" + (":later" if later else "")


def check_keys(user_id: int, ref: str, stages: tuple[HomeStage, ...] = STAGES) -> list[str]:
    """Every key this member's check about `ref` can have (each stage, moved or not)."""
    return [check_key(user_id, ref, stage, later=later) for stage in stages for later in (False, True)]


def ask_at(ends_at: datetime, quiet: QuietHours | None, zone: ZoneInfo) -> datetime:
    """When to ask "did you get home safe?": `ASK_AFTER_END` after the end, unless that is in the member's
    quiet hours; then shortly before they begin if that is still `EARLIEST_AFTER_END` after the end, else
    the first moment after they end. Never inside quiet hours, never earlier than `EARLIEST_AFTER_END`."""
    preferred = ends_at + ASK_AFTER_END
    if quiet is None or not quiet.is_quiet(preferred, zone):
        return preferred
    earlier = _quiet_began(preferred, quiet, zone) - BEFORE_QUIET
    if earlier >= ends_at + EARLIEST_AFTER_END and not quiet.is_quiet(earlier, zone):
        return earlier
    return quiet.next_allowed(preferred, zone)


def follow_up_at(asked_at: datetime, quiet: QuietHours | None, zone: ZoneInfo) -> datetime:
    """The one gentle follow-up: `FOLLOW_UP_AFTER` after the ask, moved out of quiet hours."""
    due = asked_at + FOLLOW_UP_AFTER
    return due if quiet is None else quiet.next_allowed(due, zone)


def _quiet_began(moment: datetime, quiet: QuietHours, zone: ZoneInfo) -> datetime:
    """The start of the quiet stretch `moment` (inside quiet hours) falls in, as aware time in `moment`'s zone."""
    local = moment.astimezone(zone)
    began = local.replace(hour=quiet.start.hour, minute=quiet.start.minute, second=0, microsecond=0)
    if began > local:
        began -= timedelta(days=1)
    return began.replace(tzinfo=zone).astimezone(moment.tzinfo)

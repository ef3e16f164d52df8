"""Finding a time together, for a buddy group or a going-together group: each member says when they could
meet (in their own zone, never in their quiet hours), Hearth offers the best overlaps, one tap each confirms.

Every step is one transaction, and what it makes happen later is planned in it as due work: the news
(posted in the group's thread, or by DM to each), the answer deadline and the poll's end, and on
confirming, each member's reminders and, for buddies, "did you meet?" just after the time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.buddy_work import BuddyDm
from bot.domain.errors import InvalidInput
from bot.domain.event_reminders import reminder_times
from bot.domain.events import Event
from bot.domain.meeting_times import (
    ANSWER_WITHIN,
    DURATION,
    MET_ASK_AFTER,
    WINDOW,
    DayPartChoice,
    GroupKind,
    Interval,
    MeetingReminder,
    Member,
    PollDm,
    PollDue,
    PollPost,
    PollView,
    PostStage,
    find_times,
    free_from_parts,
    free_from_text,
    part_choices,
)
from bot.domain.quiet_hours import QuietHours
from bot.domain.work import Planned
from bot.i18n import N_, _
from bot.store import Repositories, Store

# i18n: someone outside a buddy group (or going-together group) pressed its Find a time button
NOT_IN_GROUP = N_("Only the people in this group can find a time here, so I left everything as it was.")
# i18n: Find a time was pressed for a group that no longer exists
GONE = N_("That group isn't there any more, so there's no time to find.")
# i18n: a DM to each buddy just after the time they agreed, above buttons: In person, Online, Not yet, Skip this round
# (queued in English, translated when sent)
MET_AFTER_TEXT = N_("How did meeting up go? Did you meet? (Your answer is private.)")
# i18n: “Find a time” is the name of the button on a buddy intro
ENDED = N_("That time-finding has ended. Tap Find a time on your intro to start again.")
MIN_FOR_FIGURES = 5

# A member's answer as free UTC intervals, given their zone, quiet hours, the poll and now.
_FreeOf = Callable[[str, QuietHours | None, PollView, datetime], list[Interval]]


@dataclass(frozen=True)
class Asking:
    """What a member sees after pressing Find a time."""

    poll: PollView
    zone: str
    choices: list[DayPartChoice]
    answered: bool


@dataclass(frozen=True)
class Answered:
    poll: PollView
    waiting_for: int  # members who haven't answered yet (0: the times are being worked out)


@dataclass(frozen=True)
class Picked:
    poll: PollView
    confirmed: bool
    waiting_for: int  # members who haven't picked yet
    disagree: bool  # everyone picked, not the same time


@dataclass(frozen=True)
class PollNews:
    poll: PollView
    stage: PostStage
    upcoming: Event | None  # no overlap: a meetup in the server they could go to together


@dataclass(frozen=True)
class ReminderDue:
    poll: PollView
    user_id: int
    label: str


@dataclass(frozen=True)
class _Group:
    guild_id: int
    members: tuple[int, ...]
    thread_id: int | None


class MeetingService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    # pressing "Find a time" ----------------------------------------------------------------------------
    async def start(self, kind: GroupKind, ref: int, event_id: int | None, user_id: int) -> Asking:
        """Open a poll for the group (or show the one that is open) and this member's choices."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            group = await _group(tx, kind, ref, event_id)
            _member_of(group, user_id)
            guild_id = group.guild_id
            poll = await tx.meetings.latest(kind, ref, event_id)
            ahead = poll is not None and poll.status == "confirmed" and (poll.chosen_start or now) > now
            if poll is None or (poll.status not in ("open", "offered") and not ahead):
                poll_id = await tx.meetings.create(
                    guild_id=guild_id, kind=kind, ref=ref, event_id=event_id, channel_id=group.thread_id,
                    members=group.members, window_start=now, window_end=now + WINDOW, duration=DURATION,
                    created_by=user_id, now=now)
                poll = await tx.meetings.get(poll_id)
                assert poll is not None
                await _plan_deadlines(tx, poll, now)
            zone, quiet = await _zone_of(tx, user_id, guild_id)
        choices = part_choices(max(now, poll.window_start), poll.window_end, ZoneInfo(zone), quiet, poll.duration)
        return Asking(poll, zone, choices, user_id in poll.answered)

    async def answer_parts(self, poll_id: int, user_id: int, values: Sequence[str]) -> Answered:
        choices = [DayPartChoice.parse(value) for value in values]

        def free(zone: str, quiet: QuietHours | None, poll: PollView, now: datetime) -> list[Interval]:
            return free_from_parts(choices, zone=ZoneInfo(zone), quiet=quiet, window_start=max(now, poll.window_start),
                                   window_end=poll.window_end)
        return await self._answer(poll_id, user_id, free)

    async def answer_text(self, poll_id: int, user_id: int, text: str) -> Answered:
        def free(zone: str, quiet: QuietHours | None, poll: PollView, now: datetime) -> list[Interval]:
            return free_from_text(text, zone=zone, quiet=quiet, now=now, window_start=max(now, poll.window_start),
                                  window_end=poll.window_end, duration=poll.duration)
        return await self._answer(poll_id, user_id, free)

    async def _answer(self, poll_id: int, user_id: int, free_of: _FreeOf) -> Answered:
        now = self._clock.now()
        async with self._store.transaction() as tx:
            await tx.meetings.lock(poll_id, now)
            poll = await _poll_for(tx, poll_id, user_id)
            if poll.status != "open":
                raise InvalidInput(_not_open(poll))
            zone, quiet = await _zone_of(tx, user_id, poll.guild_id)
            await tx.meetings.answer(poll.id, user_id, free_of(zone, quiet, poll, now), now)
            poll = await _poll_for(tx, poll_id, user_id)
            waiting = len(set(poll.members) - poll.answered)
            if waiting == 0:
                poll = await self._decide_in(tx, poll, now)
        return Answered(poll, waiting)

    async def _decide_in(self, tx: Repositories, poll: PollView, now: datetime) -> PollView:
        """Work out the times from whoever answered; plan the news. Only from open, so it happens once."""
        free = await tx.meetings.free_times(poll.id)
        members = []
        for user_id, intervals in free.items():
            zone, quiet = await _zone_of(tx, user_id, poll.guild_id)
            members.append(Member(user_id, tuple(intervals), ZoneInfo(zone), quiet))
        proposals = find_times(members, window_start=max(now, poll.window_start), window_end=poll.window_end,
                               duration=poll.duration)
        stage: PostStage = "offered" if proposals else "no_overlap"
        options = [{"start": p.start.isoformat(), "free": len(p.free)} for p in proposals]
        if await tx.meetings.set_status(poll.id, stage, now, expected=("open",), options=options):
            await _plan_news(tx, poll, stage, now)
        decided = await tx.meetings.get(poll.id)
        assert decided is not None
        return decided

    # picking -------------------------------------------------------------------------------------------
    async def pick(self, poll_id: int, user_id: int, index: int) -> Picked:
        now = self._clock.now()
        async with self._store.transaction() as tx:
            await tx.meetings.lock(poll_id, now)
            poll = await _poll_for(tx, poll_id, user_id)
            if poll.status != "offered":
                raise InvalidInput(_not_open(poll))
            if not 0 <= index < len(poll.options):
                raise InvalidInput(_("That time isn't one of those offered. Pick a button on the latest message."))
            if poll.options[index][0] <= now:
                # i18n: “Find a time” is the name of the button on a buddy intro
                raise InvalidInput(_("That time has already gone. Pick a later one, or tap Find a time to start "
                                     "again."))
            await tx.meetings.pick(poll.id, user_id, index, now)
            poll = await _poll_for(tx, poll_id, user_id)
            waiting = len(set(poll.members) - set(poll.picks))
            chosen = set(poll.picks.values())
            if waiting or len(chosen) != 1:
                return Picked(poll, False, waiting, disagree=not waiting)
            start = poll.options[index][0]
            if await tx.meetings.set_status(poll.id, "confirmed", now, expected=("offered",), chosen_start=start):
                await self._confirmed_in(tx, poll, start, now)
            poll = await _poll_for(tx, poll_id, user_id)
        return Picked(poll, True, 0, disagree=False)

    async def _confirmed_in(self, tx: Repositories, poll: PollView, start: datetime, now: datetime) -> None:
        """Reminders before (each member's own choice), "did you meet?" after (buddies), and the news."""
        planned: list[Planned] = []
        for user_id in poll.members:
            choice = (await tx.members.get(user_id)).event_reminders
            planned += [Planned(MeetingReminder(poll.id, user_id, label, start, guild_id=poll.guild_id), due)
                        for label, due in reminder_times(start, choice, now)]
            if poll.kind == "buddy":
                planned.append(Planned(BuddyDm(f"met:{poll.ref}", user_id, MET_AFTER_TEXT, met_group_id=poll.ref),
                                       start + poll.duration + MET_ASK_AFTER))
        await tx.due_work.plan(planned, now=now)
        await _plan_news(tx, poll, "confirmed", now)

    # no overlap: the week after --------------------------------------------------------------------------
    async def widen(self, poll_id: int, user_id: int) -> PollView:
        now = self._clock.now()
        async with self._store.transaction() as tx:
            poll = await _poll_for(tx, poll_id, user_id)
            if poll.status not in ("no_overlap", "closed"):
                raise InvalidInput(_not_open(poll))
            start = max(now, poll.window_end)
            await tx.meetings.reopen(poll.id, start, start + WINDOW, now)
            poll = await _poll_for(tx, poll_id, user_id)
            await _plan_deadlines(tx, poll, now)
            await _plan_news(tx, poll, "reopened", now)
        return poll

    # due work ---------------------------------------------------------------------------------------------
    async def due(self, work: PollDue) -> None:
        """The answer deadline (work out times from whoever answered) or the end (close an unsettled poll)."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            poll = await tx.meetings.get(work.poll_id)
            if poll is None or poll.window_start != work.window_start:
                return  # gone, or widened since: its own rows were planned then
            if work.step == "deadline" and poll.status == "open" and len(poll.answered) >= 2:
                await self._decide_in(tx, poll, now)
            elif work.step == "expiry" and await tx.meetings.set_status(poll.id, "closed", now):
                await _plan_news(tx, poll, "closed", now)

    async def news(self, poll_id: int, stage: PostStage, window_start: datetime) -> PollNews | None:
        """What to post for `stage`, or None when it is stale (the poll moved on or was widened)."""
        async with self._store.reading() as reads:
            poll = await reads.meetings.get(poll_id)
            if poll is None or poll.window_start != window_start:
                return None
            upcoming = None
            if stage == "no_overlap":
                upcoming = next((e for e in await reads.events.upcoming(poll.guild_id, self._clock.now(), 5)
                                 if e.id != poll.event_id), None)
        return PollNews(poll, stage, upcoming)

    async def thread_failed(self, poll_id: int, stage: PostStage, window_start: datetime) -> None:
        """The thread couldn't take the news: it goes by DM to each member instead, and so does what follows."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            poll = await tx.meetings.get(poll_id)
            if poll is None:
                return
            await tx.meetings.set_channel(poll_id, None, None)
            await tx.due_work.plan([Planned(PollDm(poll_id, stage, window_start, user_id, guild_id=poll.guild_id), now)
                                    for user_id in poll.members], now=now)

    async def reminder_due(self, work: MeetingReminder) -> ReminderDue | None:
        now = self._clock.now()
        poll = await self._store.meetings.get(work.poll_id)
        if (poll is None or poll.status != "confirmed" or poll.chosen_start != work.start or work.start <= now
                or work.user_id not in poll.members):
            return None
        return ReminderDue(poll, work.user_id, work.label)

    async def confirmed(self, poll_id: int, user_id: int) -> PollView:
        """A member's confirmed meeting (for its calendar file and the home check)."""
        async with self._store.reading() as reads:
            poll = await _poll_for(reads, poll_id, user_id)
        if poll.status != "confirmed" or poll.chosen_start is None:
            raise InvalidInput(_("There's no agreed time for this yet, so there's nothing to add."))
        return poll

    # figures ------------------------------------------------------------------------------------------------
    async def buddy_outcomes(self, guild_id: int) -> tuple[int | None, int | None]:
        """(pairs that found a time, of those how many met); a count under five is None (not shown)."""
        found, met = await self._store.meetings.buddy_outcomes(guild_id)
        return (found if found >= MIN_FOR_FIGURES else None, met if met >= MIN_FOR_FIGURES else None)


async def _group(tx: Repositories, kind: GroupKind, ref: int, event_id: int | None) -> _Group:
    if kind == "buddy":
        buddy = await tx.buddies.group(ref)
        round_ = await tx.buddies.round(buddy.round_id) if buddy is not None else None
        if buddy is None or round_ is None:
            raise InvalidInput(_(GONE))
        return _Group(round_.guild_id, buddy.members, buddy.thread_id if buddy.delivered == "thread" else None)
    if event_id is None:
        raise InvalidInput(_(GONE))
    event = await tx.events.get(event_id)
    companions = next((g for g in await tx.companions.groups(event_id) if g.number == ref), None)
    if event is None or companions is None:
        raise InvalidInput(_(GONE))
    return _Group(event.guild_id, tuple(companions.members),
                  companions.thread_id if companions.delivered == "thread" else None)


def _member_of(group: _Group | PollView, user_id: int) -> None:
    if user_id not in group.members:
        raise InvalidInput(_(NOT_IN_GROUP))


async def _poll_for(tx: Repositories, poll_id: int, user_id: int) -> PollView:
    poll = await tx.meetings.get(poll_id)
    if poll is None:
        raise InvalidInput(_(ENDED))
    _member_of(poll, user_id)
    return poll


async def _zone_of(tx: Repositories, user_id: int, guild_id: int) -> tuple[str, QuietHours | None]:
    settings = await tx.members.get(user_id)
    zone = settings.timezone or (await tx.guilds.get(guild_id)).timezone or "UTC"
    return zone, settings.quiet_hours


async def _plan_deadlines(tx: Repositories, poll: PollView, now: datetime) -> None:
    deadline = min(now + ANSWER_WITHIN, poll.window_end - timedelta(hours=12))
    planned = [Planned(PollDue(poll.id, "expiry", poll.window_start, guild_id=poll.guild_id), poll.window_end)]
    if deadline > now:
        planned.append(Planned(PollDue(poll.id, "deadline", poll.window_start, guild_id=poll.guild_id), deadline))
    await tx.due_work.plan(planned, now=now)


async def _plan_news(tx: Repositories, poll: PollView, stage: PostStage, now: datetime) -> None:
    if poll.channel_id is not None:
        work: list[Planned] = [Planned(PollPost(poll.id, stage, poll.window_start, guild_id=poll.guild_id), now)]
    else:
        work = [Planned(PollDm(poll.id, stage, poll.window_start, user_id, guild_id=poll.guild_id), now)
                for user_id in poll.members]
    await tx.due_work.plan(work, now=now)


def _not_open(poll: PollView) -> str:
    if poll.status == "confirmed":
        return _("You've already agreed a time, so nothing changed. See you there!")
    if poll.status == "offered":
        return _("The times are already worked out: pick one with the buttons on the latest message.")
    if poll.status == "no_overlap":
        # i18n: “Look at the week after” is the name of a button on the message
        return _("There was no time that worked for everyone this week. Tap “Look at the week after” to try again.")
    if poll.status == "open":
        return _("The others haven't all answered yet; I'll post the times as soon as they have.")
    return _(ENDED)

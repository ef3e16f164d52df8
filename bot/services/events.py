"""Meetups: organisers announce them, members answer, the waitlist moves on its own.

Each use case below is one transaction: an answer with its reminders, waitlist promotions and their notices;
an edit or a cancel with every attendee's reminders (bulk statements, however many are going) and notices.
The cog does the Discord side (the announcement, the Scheduled Event) after the commit.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple
from urllib.parse import urlparse

from bot.clock import Clock
from bot.domain.buddy_rounds import clean_area
from bot.domain.errors import InvalidInput, NotConfigured
from bot.domain.event_series import PREVIEW_DATES, SeriesSpec, parse_repeat
from bot.domain.event_time import parse_event_start, validate_duration, validate_title
from bot.domain.event_waitlist import offer_deadline
from bot.domain.events import ANSWERS, MODES, Answer, Event, EventMode, RsvpChange
from bot.domain.ics import event_ics
from bot.domain.meetup_controls import (
    check_answer,
    check_close,
    clean_access,
    close_minutes,
    closes_for,
    ics_description,
    means_at_start,
)
from bot.domain.notices import NoticeText, notice_text
from bot.domain.text import plain
from bot.i18n import N_, _, p_
from bot.services.ages import require_age
from bot.services.event_companions import CompanionService
from bot.services.event_feedback import FeedbackService
from bot.services.event_reminders import EventReminderService
from bot.services.event_series import SeriesService
from bot.services.event_waitlist import WaitlistService, promoted_text
from bot.services.notices import NoticeService
from bot.services.safety import SafetyService
from bot.store import Repositories, Store

TAGS = ("social", "walk", "hobby club", "volunteering", "support group", "food and drink", "games", "other")
__all__ = ["MODES", "TAGS", "Answered", "Changed", "EventDraft", "EventService", "promoted_text", "tag_label"]


def tag_label(tag: str) -> str:
    """A tag as members read it (the stored value stays English)."""
    # i18n: what kind of meetup it is (a tag on the announcement)
    labels = {"social": p_("meetup tag", "social"), "walk": p_("meetup tag", "walk"),
              "hobby club": p_("meetup tag", "hobby club"), "volunteering": p_("meetup tag", "volunteering"),
              "support group": p_("meetup tag", "support group"), "food and drink": p_("meetup tag", "food and drink"),
              "games": p_("meetup tag", "games"), "other": p_("meetup tag", "other")}
    return labels.get(tag, tag)


@dataclass(frozen=True)
class EventDraft:
    """A checked event the organiser has not confirmed yet."""

    guild_id: int
    creator_id: int
    title: str
    start_at: datetime
    end_at: datetime
    zone: str
    mode: EventMode
    venue: str | None
    area: str | None
    link: str | None
    description: str | None
    capacity: int | None
    tag: str
    repeat: SeriesSpec | None = None
    first_dates: tuple[datetime, ...] = ()  # a series' first few starts, for the organiser to check
    rsvp_closes_at: datetime | None = None  # None: answers close at the start
    role_id: int | None = None  # only members with this role may answer
    access_notes: str | None = None


class Changed(NamedTuple):
    """One meetup after a cancel or an edit, and who was told by DM (queued with the change)."""

    event: Event
    people: list[int]  # cancel: everyone who answered; edit: anyone promoted from the waitlist
    answers: dict[str, list[int]]  # as committed, for the announcement: no second read after the commit


@dataclass(frozen=True)
class Answered:
    """What one RSVP click changed, and all the cog needs to answer it without reading again."""

    event: Event
    change: RsvpChange
    answers: dict[str, list[int]]  # member ids by status, after the change
    asked_for_company: bool  # going in person and already asked not to go alone


def _when(moment: datetime) -> str:
    # Discord renders it in each reader's own zone (the default long date and short time).
    return f"<t:{int(moment.timestamp())}>"


def cancelled_text(event: Event) -> NoticeText:
    """Rendered for each member in their own language when their DM is sent."""
    return notice_text(N_("**{title}** on {when} has been cancelled. Sorry! Keep an eye on the events channel for "
                          "the next one."), title=plain(event.title), when=_when(event.start_at))


class EventService:
    def __init__(self, store: Store, clock: Clock, *, notices: NoticeService, reminders: EventReminderService,
                 series: SeriesService, companions: CompanionService, feedback: FeedbackService,
                 safety: SafetyService) -> None:
        self._store = store
        self._clock = clock
        self._notices = notices
        self.reminders = reminders
        self.series = series
        self.companions = companions
        self.feedback = feedback
        self.safety = safety
        self.waitlist = WaitlistService(store, clock, notices=notices, reminders=reminders, feedback=feedback)

    async def organiser_role(self, guild_id: int) -> int | None:
        """The role that may run organiser commands besides Manage Events (set in `/hearth setup`)."""
        return (await self._store.guilds.get(guild_id)).organiser_role_id

    async def organiser_zone(self, guild_id: int, user_id: int) -> str:
        return await self._zone_in(self._store, guild_id, user_id)

    async def _zone_in(self, tx: Repositories, guild_id: int, user_id: int) -> str:
        """Times are typed in the organiser's own zone, else the server's."""
        member = await tx.members.get(user_id)
        if member.timezone:
            return member.timezone
        guild = await tx.guilds.get(guild_id)
        if guild.timezone:
            return guild.timezone
        raise NotConfigured(_("I need a time zone to read the start time: set yours with `/settings timezone` (or "
                              "the server's with `/hearth setup timezone:`)."))

    async def draft(self, *, guild_id: int, creator_id: int, title: str, start: str, duration_minutes: int,
                    mode: str, venue: str | None, area: str | None, link: str | None, description: str | None,
                    capacity: int | None, tag: str, repeat: str | None = None, times: int | None = None,
                    until: str | None = None, rsvp_closes: str | None = None, role_id: int | None = None,
                    access: str | None = None) -> EventDraft:
        checked_mode = next((known for known in MODES if known == mode), None)
        if checked_mode is None:
            raise InvalidInput(_("Choose in person or online."))
        if tag not in TAGS:
            tags = ", ".join(tag_label(known) for known in TAGS)
            raise InvalidInput(_("Pick a tag from the list: {tags}.", tags=tags))
        if mode == "in_person" and not (venue and venue.strip()):
            raise InvalidInput(_("An in-person meetup needs a venue, such as “Riverside Café, Mill Lane”."))
        if mode == "online" and not link:
            raise InvalidInput(_("An online meetup needs a link people can join with."))
        if link is not None:
            parsed = urlparse(link.strip())
            if parsed.scheme != "https" or not parsed.netloc:
                raise InvalidInput(_("“{link}” doesn't look like a web link; use a full https:// address.", link=link))
        if capacity is not None and capacity < 1:
            raise InvalidInput(_("Capacity is the number of places: at least 1 (or leave it empty for no limit)."))
        zone = await self.organiser_zone(guild_id, creator_id)
        start_at = parse_event_start(start, zone=zone, now=self._clock.now())
        minutes = validate_duration(duration_minutes)
        closes_at = self._close_of(rsvp_closes, zone, start_at) if rsvp_closes else None
        access_notes = clean_access(access)
        spec = None
        if repeat is not None:
            spec = parse_repeat(repeat, zone=zone, first_start=start_at, times=times, until=until)
        elif times is not None or until is not None:
            raise InvalidInput(_("`times` and `until` end a repeating meetup: choose how often it repeats too."))
        return EventDraft(
            repeat=spec, first_dates=tuple(spec.starts(start_at, PREVIEW_DATES)) if spec else (),
            guild_id=guild_id, creator_id=creator_id, title=validate_title(title), start_at=start_at,
            end_at=start_at + timedelta(minutes=minutes), zone=zone, mode=checked_mode,
            venue=venue.strip() if venue else None, area=clean_area(area), link=link.strip() if link else None,
            description=description.strip() if description and description.strip() else None,
            capacity=capacity, tag=tag, rsvp_closes_at=closes_at, role_id=role_id, access_notes=access_notes)

    def _close_of(self, typed: str, zone: str, start_at: datetime) -> datetime | None:
        """When answers close, typed like the start (in the same zone); "start" for at the start."""
        if means_at_start(typed):
            return None
        try:
            closes_at = parse_event_start(typed, zone=zone, now=self._clock.now())
        except InvalidInput as error:
            raise InvalidInput(_("When answers close: {error}", error=error)) from error
        return check_close(closes_at, start_at)

    async def create(self, draft: EventDraft) -> Event:
        async with self._store.transaction() as tx:
            guild = await tx.guilds.get(draft.guild_id)
            if guild.events_channel_id is None:
                raise NotConfigured(_("Choose an events channel first with `/hearth setup events:#channel`."))
            if draft.repeat is not None:
                return await self.series.start_in(
                    tx, draft.repeat, channel_id=guild.events_channel_id, guild_id=draft.guild_id,
                    title=draft.title, description=draft.description, start_at=draft.start_at, end_at=draft.end_at,
                    mode=draft.mode, venue=draft.venue, area=draft.area, link=draft.link, capacity=draft.capacity,
                    tag=draft.tag, creator_id=draft.creator_id, role_id=draft.role_id,
                    access_notes=draft.access_notes,
                    rsvp_close_minutes=close_minutes(draft.rsvp_closes_at, draft.start_at))
            return await tx.events.create(
                self._clock.now(), guild_id=draft.guild_id, title=draft.title, description=draft.description,
                start_at=draft.start_at, end_at=draft.end_at, mode=draft.mode, venue=draft.venue, area=draft.area,
                link=draft.link, capacity=draft.capacity, tag=draft.tag, creator_id=draft.creator_id,
                channel_id=guild.events_channel_id, rsvp_closes_at=draft.rsvp_closes_at, role_id=draft.role_id,
                access_notes=draft.access_notes)

    async def get(self, event_id: int, guild_id: int) -> Event:
        return await self._get_in(self._store, event_id, guild_id)

    async def _get_in(self, tx: Repositories, event_id: int, guild_id: int) -> Event:
        event = await tx.events.get(event_id)
        if event is None or event.guild_id != guild_id:
            raise InvalidInput(_("I can't find that meetup here. Pick one from the list as you type."))
        return event

    async def attach(self, event_id: int, *, message_id: int | None = None,
                     scheduled_event_id: int | None = None) -> None:
        values: dict[str, object] = {}
        if message_id is not None:
            values["message_id"] = message_id
        if scheduled_event_id is not None:
            values["scheduled_event_id"] = scheduled_event_id
        await self._store.events.update(event_id, self._clock.now(), **values)

    async def rsvp(self, event_id: int, user_id: int, status: str, display_name: str | None = None,
                   role_ids: Collection[int] | None = None) -> Answered:
        """One click, one transaction: the answer, the waitlist, reminders planned or cancelled, the request
        for company withdrawn, promotion notices queued. A failure anywhere leaves everything as it was.
        `role_ids`: the member's roles, for a meetup open to one role only (checked here, so it is a rule)."""
        answer: Answer | None = next((known for known in ANSWERS if known == status), None)
        if answer is None:
            # i18n: Going, Maybe and Can't go are the buttons on a meetup's announcement
            raise InvalidInput(_("Tap Going, Maybe or Can't go."))
        now = self._clock.now()
        async with self._store.transaction() as tx:
            event = await tx.events.get(event_id)
            if event is None:
                raise InvalidInput(_("That meetup no longer exists."))
            if event.status == "cancelled":
                raise InvalidInput(_("This meetup was cancelled, so answers are closed."))
            if event.start_at <= now:
                raise InvalidInput(_("This meetup has already started, so answers are closed."))
            check_answer(event, answer, role_ids, now)  # the close time and the role
            if answer == "going" and event.mode == "in_person":  # a place, or the waitlist: a server's minimum age
                await require_age(tx, event.guild_id, user_id)
            change = await tx.events.rsvp(event_id, user_id, answer, now, display_name,
                                          offer_until=self.waitlist.deadline(event))
            seated = ([user_id] if change.status == "going" else []) + change.promoted
            if change.status != "going":
                await self.reminders.cancel_in(tx, event, [user_id])
                await self.companions.withdraw_in(tx, event_id, user_id)  # not going: not asking for company
                await self.safety.cancel_event_in(tx, event, [user_id])  # nor a check they got home
            if seated:
                await self.reminders.schedule_in(tx, event, await tx.events.going_with_choices(event.id, seated))
                await self.feedback.schedule_in(tx, event)
            await self._tell_promoted(tx, event, change.promoted)
            await self.waitlist.offer_in(tx, event, change)  # a place freed: offered to the next waiting
            answers = await tx.events.rsvps(event_id)
            asked = (change.status == "going" and event.mode == "in_person"
                     and await tx.companions.has_requested(event_id, user_id))
        return Answered(event, change, answers, asked)

    async def _tell_promoted(self, tx: Repositories, event: Event, user_ids: list[int]) -> None:
        await self.waitlist.tell_promoted_in(tx, event, user_ids)

    async def rsvps(self, event_id: int) -> dict[str, list[int]]:
        return await self._store.events.rsvps(event_id)

    async def going_counts(self, event_ids: list[int]) -> dict[int, int]:
        async with self._store.reading() as reads:
            return {event_id: len((await reads.events.rsvps(event_id))["going"]) for event_id in event_ids}

    async def cancel(self, event_id: int, guild_id: int, *, later: bool = False) -> tuple[Event, list[Changed]]:
        """Cancel this meetup, or (`later`, in a series) this and every later date: the series stops here.
        Returns the meetup chosen and each meetup cancelled now, with who was told (going, maybe, waitlist)."""
        async with self._store.transaction() as tx:
            event = await self._get_in(tx, event_id, guild_id)
            if later and event.series_id is not None:
                targets = await self.series.stop_from_in(tx, event)
            elif event.status == "cancelled":
                raise InvalidInput(_("That meetup is already cancelled."))
            else:
                targets = [event]
            return event, [await self._cancel_one(tx, target) for target in targets]

    async def _cancel_one(self, tx: Repositories, event: Event) -> Changed:
        cancelled = await tx.events.update(event.id, self._clock.now(), status="cancelled")
        answers = await tx.events.rsvps(event.id)
        await self.reminders.cancel_in(tx, event, answers["going"])
        await self.safety.cancel_event_in(tx, event, answers["going"])
        # A place on offer goes with the meetup: its DM and deadline find it cancelled and do nothing.
        told = answers["going"] + answers["maybe"] + answers["offered"] + answers["waitlist"]
        await self._notices.queue_in(tx, told, cancelled_text(cancelled), f"event-cancelled:{cancelled.id}")
        return Changed(cancelled, told, answers)

    async def edit(self, event_id: int, guild_id: int, *, editor_id: int, title: str | None = None,
                   start: str | None = None, duration_minutes: int | None = None, venue: str | None = None,
                   description: str | None = None, capacity: int | None = None,
                   later: bool = False, rsvp_closes: str | None = None, role_id: int | None = None,
                   open_to_all: bool = False, access: str | None = None) -> tuple[Event, list[Changed]]:
        """Change what was given, on this meetup or (`later`, in a series) on this and every later date.
        Returns the meetup chosen and each meetup changed, with anyone promoted by a larger capacity.
        `open_to_all` takes a role limit away; `access` "" clears the notes; `rsvp_closes` "start" closes
        answers at the start again. A moved start keeps the close time's gap to it."""
        if capacity is not None and capacity < 1:
            raise InvalidInput(_("Capacity is at least 1."))
        changes: dict[str, object] = {}
        if title is not None:
            changes["title"] = validate_title(title)
        if venue is not None:
            changes["venue"] = venue.strip()
        if description is not None:
            changes["description"] = description.strip() or None
        if access is not None:
            changes["access_notes"] = clean_access(access)
        if role_id is not None or open_to_all:
            changes["role_id"] = None if open_to_all else role_id
        minutes = validate_duration(duration_minutes) if duration_minutes is not None else None
        async with self._store.transaction() as tx:
            event = await self._get_in(tx, event_id, guild_id)
            if event.status == "cancelled":
                raise InvalidInput(_("That meetup was cancelled; create a new one instead."))
            later = later and event.series_id is not None
            if later and start is not None:
                raise InvalidInput(_("A new start moves one date at a time: choose “this one”. To move every later "
                                     "date, cancel this and all later, then create the series again at the new "
                                     "time."))
            start_at = None
            if start is not None:
                start_at = parse_event_start(start, zone=await self._zone_in(tx, event.guild_id, editor_id),
                                             now=self._clock.now())
            gap: int | bool | None = False  # False: the close time wasn't given
            if rsvp_closes is not None:
                closes_at = self._close_of(rsvp_closes, await self._zone_in(tx, event.guild_id, editor_id),
                                           start_at or event.start_at)
                gap = close_minutes(closes_at, start_at or event.start_at)
            targets = [event]
            if later:
                template = dict(changes)
                if gap is not False:
                    template["rsvp_close_minutes"] = gap
                if minutes is not None:
                    template["duration_minutes"] = minutes
                if capacity is not None:
                    template["capacity"] = capacity
                targets = await self.series.retemplate_in(tx, event, **template)
            return event, [await self._edit_one(tx, target, changes, start_at, minutes, capacity, gap)
                           for target in targets]

    async def _edit_one(self, tx: Repositories, event: Event, values: dict[str, object], start_at: datetime | None,
                        minutes: int | None, capacity: int | None, gap: int | bool | None = False) -> Changed:
        now = self._clock.now()
        changes = dict(values)
        start = start_at or event.start_at
        if start_at is not None or minutes is not None:
            changes["start_at"] = start
            changes["end_at"] = start + (timedelta(minutes=minutes) if minutes is not None
                                         else event.end_at - event.start_at)
        if gap is False and start_at is not None and event.rsvp_closes_at is not None:
            gap = close_minutes(event.rsvp_closes_at, event.start_at)  # the close time moves with the start
        if not isinstance(gap, bool):  # minutes before the start, or None: at the start
            changes["rsvp_closes_at"] = closes_for(start, gap)
        offer_until = offer_deadline(now, start)  # new places are offered as any freed place, by the new start
        promoted = (await tx.events.set_capacity(event.id, capacity, now, offer_until=offer_until)
                    if capacity is not None else [])
        updated = await tx.events.update(event.id, now, **changes)
        if updated.start_at != event.start_at:
            await self.waitlist.move_in(tx, updated)  # offers open before the move keep going, clamped
        if promoted and offer_until is not None:
            await self.waitlist.offer_in(tx, updated, RsvpChange("waitlist", offered=promoted,
                                                                 offer_until=offer_until))
            promoted = []
        going = await tx.events.going_with_choices(event.id)  # everyone's reminder choice in one query
        if updated.start_at != event.start_at:
            await self.reminders.cancel_in(tx, event, going)  # keys carry the old start
            await self.companions.reschedule_in(tx, updated)
        await self.reminders.schedule_in(tx, updated, going)  # one insert; rows already planned are kept
        if updated.end_at != event.end_at:
            await self.feedback.move_in(tx, event, updated, anyone_going=bool(going))
            await self.safety.move_event_in(tx, event, updated, going)
        await self._tell_promoted(tx, updated, promoted)
        return Changed(updated, promoted, await tx.events.rsvps(event.id))

    async def upcoming(self, guild_id: int) -> list[Event]:
        return await self._store.events.upcoming(guild_id, self._clock.now())

    async def ics(self, event: Event, *, whole_series: bool = False) -> bytes:
        if whole_series and event.series_id is not None:
            return await self.series.ics(event)
        location = event.venue if event.mode == "in_person" else event.link
        return event_ics(f"hearth-event-{event.id}@hearth", event.title, event.start_at, event.end_at,
                         description=ics_description(event.description, event.access_notes), location=location,
                         url=event.link, now=self._clock.now())

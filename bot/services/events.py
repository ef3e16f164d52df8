"""Meetups: organisers announce them, members answer, the waitlist moves on its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple
from urllib.parse import urlparse

from bot.clock import Clock
from bot.domain.buddy_rounds import clean_area
from bot.domain.errors import InvalidInput, NotConfigured
from bot.domain.event_series import PREVIEW_DATES, SeriesSpec, parse_repeat
from bot.domain.event_time import parse_event_start, validate_duration, validate_title
from bot.domain.ics import event_ics
from bot.services.event_companions import CompanionService
from bot.services.event_feedback import FeedbackService
from bot.services.event_reminders import EventReminderService
from bot.services.event_series import SeriesService
from bot.store import Store
from bot.store.events import Event, RsvpChange

TAGS = ("social", "walk", "hobby club", "volunteering", "support group", "food and drink", "games", "other")
MODES = ("in_person", "online")


@dataclass(frozen=True)
class EventDraft:
    """A checked event the organiser has not confirmed yet."""

    guild_id: int
    creator_id: int
    title: str
    start_at: datetime
    end_at: datetime
    zone: str
    mode: str
    venue: str | None
    area: str | None
    link: str | None
    description: str | None
    capacity: int | None
    tag: str
    repeat: SeriesSpec | None = None
    first_dates: tuple[datetime, ...] = ()  # a series' first few starts, for the organiser to check


class Changed(NamedTuple):
    """One meetup after a cancel or an edit, and who the cog should tell."""

    event: Event
    people: list[int]  # cancel: everyone who answered; edit: anyone promoted from the waitlist


class EventService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self.reminders = EventReminderService(store, clock)
        self.series = SeriesService(store, clock)
        self.companions = CompanionService(store, clock)
        self.feedback = FeedbackService(store, clock)

    async def organiser_zone(self, guild_id: int, user_id: int) -> str:
        """Times are typed in the organiser's own zone, else the server's."""
        member = await self._store.members.get(user_id)
        if member.timezone:
            return member.timezone
        guild = await self._store.guilds.get(guild_id)
        if guild.timezone:
            return guild.timezone
        raise NotConfigured("I need a time zone to read the start time: set yours with `/settings timezone` (or "
                            "the server's with `/hearth setup timezone:`).")

    async def draft(self, *, guild_id: int, creator_id: int, title: str, start: str, duration_minutes: int,
                    mode: str, venue: str | None, area: str | None, link: str | None, description: str | None,
                    capacity: int | None, tag: str, repeat: str | None = None, times: int | None = None,
                    until: str | None = None) -> EventDraft:
        if mode not in MODES:
            raise InvalidInput("Choose in person or online.")
        if tag not in TAGS:
            raise InvalidInput(f"Pick a tag from the list: {', '.join(TAGS)}.")
        if mode == "in_person" and not (venue and venue.strip()):
            raise InvalidInput("An in-person meetup needs a venue, such as “Riverside Café, Mill Lane”.")
        if mode == "online" and not link:
            raise InvalidInput("An online meetup needs a link people can join with.")
        if link is not None:
            parsed = urlparse(link.strip())
            if parsed.scheme != "https" or not parsed.netloc:
                raise InvalidInput(f"“{link}” doesn't look like a web link; use a full https:// address.")
        if capacity is not None and capacity < 1:
            raise InvalidInput("Capacity is the number of places: at least 1 (or leave it empty for no limit).")
        zone = await self.organiser_zone(guild_id, creator_id)
        start_at = parse_event_start(start, zone=zone, now=self._clock.now())
        minutes = validate_duration(duration_minutes)
        spec = None
        if repeat is not None:
            spec = parse_repeat(repeat, zone=zone, first_start=start_at, times=times, until=until)
        elif times is not None or until is not None:
            raise InvalidInput("`times` and `until` end a repeating meetup: choose how often it repeats too.")
        return EventDraft(
            repeat=spec, first_dates=tuple(spec.starts(start_at, PREVIEW_DATES)) if spec else (),
            guild_id=guild_id, creator_id=creator_id, title=validate_title(title), start_at=start_at,
            end_at=start_at + timedelta(minutes=minutes), zone=zone, mode=mode,
            venue=venue.strip() if venue else None, area=clean_area(area), link=link.strip() if link else None,
            description=description.strip() if description and description.strip() else None,
            capacity=capacity, tag=tag)

    async def create(self, draft: EventDraft) -> Event:
        guild = await self._store.guilds.get(draft.guild_id)
        if guild.events_channel_id is None:
            raise NotConfigured("Choose an events channel first with `/hearth setup events:#channel`.")
        if draft.repeat is not None:
            return await self.series.start(
                draft.repeat, channel_id=guild.events_channel_id, guild_id=draft.guild_id, title=draft.title,
                description=draft.description, start_at=draft.start_at, end_at=draft.end_at, mode=draft.mode,
                venue=draft.venue, area=draft.area, link=draft.link, capacity=draft.capacity, tag=draft.tag,
                creator_id=draft.creator_id)
        return await self._store.events.create(
            self._clock.now(), guild_id=draft.guild_id, title=draft.title, description=draft.description,
            start_at=draft.start_at, end_at=draft.end_at, mode=draft.mode, venue=draft.venue, area=draft.area,
            link=draft.link, capacity=draft.capacity, tag=draft.tag, creator_id=draft.creator_id,
            channel_id=guild.events_channel_id)

    async def get(self, event_id: int, guild_id: int) -> Event:
        event = await self._store.events.get(event_id)
        if event is None or event.guild_id != guild_id:
            raise InvalidInput("I can't find that meetup here. Pick one from the list as you type.")
        return event

    async def attach(self, event_id: int, *, message_id: int | None = None,
                     scheduled_event_id: int | None = None) -> None:
        values: dict[str, object] = {}
        if message_id is not None:
            values["message_id"] = message_id
        if scheduled_event_id is not None:
            values["scheduled_event_id"] = scheduled_event_id
        await self._store.events.update(event_id, self._clock.now(), **values)

    async def rsvp(self, event_id: int, user_id: int, status: str,
                   display_name: str | None = None) -> tuple[Event, RsvpChange]:
        event = await self._store.events.get(event_id)
        if event is None:
            raise InvalidInput("That meetup no longer exists.")
        if event.status == "cancelled":
            raise InvalidInput("This meetup was cancelled, so answers are closed.")
        if event.start_at <= self._clock.now():
            raise InvalidInput("This meetup has already started, so answers are closed.")
        change = await self._store.events.rsvp(event_id, user_id, status, self._clock.now(), display_name)
        if change.status == "going":
            await self.reminders.schedule_for(event, user_id)
            await self.feedback.schedule(event)
        else:
            await self.reminders.cancel_for(event, user_id)
            await self.companions.withdraw(event_id, user_id)  # no longer going: no longer asking for company
        for promoted in change.promoted:
            await self.reminders.schedule_for(event, promoted)
        return event, change

    async def rsvps(self, event_id: int) -> dict[str, list[int]]:
        return await self._store.events.rsvps(event_id)

    async def cancel(self, event: Event, *, later: bool = False) -> list[Changed]:
        """Cancel this meetup, or (`later`, in a series) this and every later date: the series stops here.
        Returns each meetup cancelled now, with who should be told (going, maybe, waitlist)."""
        if later and event.series_id is not None:
            return [Changed(*await self._cancel_one(target)) for target in await self.series.stop_from(event)]
        if event.status == "cancelled":
            raise InvalidInput("That meetup is already cancelled.")
        return [Changed(*await self._cancel_one(event))]

    async def _cancel_one(self, event: Event) -> tuple[Event, list[int]]:
        cancelled = await self._store.events.update(event.id, self._clock.now(), status="cancelled")
        answers = await self._store.events.rsvps(event.id)
        for user_id in answers["going"]:
            await self.reminders.cancel_for(event, user_id)
        return cancelled, answers["going"] + answers["maybe"] + answers["waitlist"]

    async def edit(self, event: Event, *, editor_id: int, title: str | None = None, start: str | None = None,
                   duration_minutes: int | None = None, venue: str | None = None,
                   description: str | None = None, capacity: int | None = None,
                   later: bool = False) -> list[Changed]:
        """Change what was given, on this meetup or (`later`, in a series) on this and every later date.
        Returns each meetup changed, with anyone promoted from its waitlist by a larger capacity."""
        if event.status == "cancelled":
            raise InvalidInput("That meetup was cancelled; create a new one instead.")
        later = later and event.series_id is not None
        if later and start is not None:
            raise InvalidInput("A new start moves one date at a time: choose “this one”. To move every later date, "
                               "cancel this and all later, then create the series again at the new time.")
        if capacity is not None and capacity < 1:
            raise InvalidInput("Capacity is at least 1.")
        changes: dict[str, object] = {}
        if title is not None:
            changes["title"] = validate_title(title)
        if venue is not None:
            changes["venue"] = venue.strip()
        if description is not None:
            changes["description"] = description.strip() or None
        minutes = validate_duration(duration_minutes) if duration_minutes is not None else None
        start_at = None
        if start is not None:
            start_at = parse_event_start(start, zone=await self.organiser_zone(event.guild_id, editor_id),
                                         now=self._clock.now())
        targets = [event]
        if later:
            template = dict(changes)
            if minutes is not None:
                template["duration_minutes"] = minutes
            if capacity is not None:
                template["capacity"] = capacity
            targets = await self.series.retemplate(event, **template)
        return [await self._edit_one(target, changes, start_at, minutes, capacity) for target in targets]

    async def _edit_one(self, event: Event, values: dict[str, object], start_at: datetime | None,
                        minutes: int | None, capacity: int | None) -> Changed:
        changes = dict(values)
        start = start_at or event.start_at
        if start_at is not None or minutes is not None:
            changes["start_at"] = start
            changes["end_at"] = start + (timedelta(minutes=minutes) if minutes is not None
                                         else event.end_at - event.start_at)
        promoted: list[int] = []
        if capacity is not None:
            promoted = await self._store.events.set_capacity(event.id, capacity, self._clock.now())
        updated = await self._store.events.update(event.id, self._clock.now(), **changes)
        going = (await self._store.events.rsvps(event.id))["going"]
        for user_id in going:
            if updated.start_at != event.start_at:
                await self.reminders.cancel_for(event, user_id)  # keys carry the old start
            await self.reminders.schedule_for(updated, user_id)  # idempotent for those already scheduled
        if going and updated.end_at != event.end_at:
            await self.feedback.schedule(updated)  # the old end's row goes stale
        if updated.start_at != event.start_at:
            await self.companions.reschedule(updated)
        return Changed(updated, promoted)

    async def upcoming(self, guild_id: int) -> list[Event]:
        return await self._store.events.upcoming(guild_id, self._clock.now())

    async def ics(self, event: Event, *, whole_series: bool = False) -> bytes:
        if whole_series and event.series_id is not None:
            return await self.series.ics(event)
        location = event.venue if event.mode == "in_person" else event.link
        return event_ics(f"hearth-event-{event.id}@hearth", event.title, event.start_at, event.end_at,
                         description=event.description, location=location, url=event.link, now=self._clock.now())

"""Meetups: organisers announce them, members answer, the waitlist moves on its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlparse

from bot.clock import Clock
from bot.domain.buddy_rounds import clean_area
from bot.domain.errors import InvalidInput, NotConfigured
from bot.domain.event_time import parse_event_start, validate_duration, validate_title
from bot.domain.ics import event_ics
from bot.services.event_reminders import EventReminderService
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


class EventService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self.reminders = EventReminderService(store, clock)

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
                    capacity: int | None, tag: str) -> EventDraft:
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
        return EventDraft(
            guild_id=guild_id, creator_id=creator_id, title=validate_title(title), start_at=start_at,
            end_at=start_at + timedelta(minutes=minutes), zone=zone, mode=mode,
            venue=venue.strip() if venue else None, area=clean_area(area), link=link.strip() if link else None,
            description=description.strip() if description and description.strip() else None,
            capacity=capacity, tag=tag)

    async def create(self, draft: EventDraft) -> Event:
        guild = await self._store.guilds.get(draft.guild_id)
        if guild.events_channel_id is None:
            raise NotConfigured("Choose an events channel first with `/hearth setup events:#channel`.")
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
        else:
            await self.reminders.cancel_for(event, user_id)
        for promoted in change.promoted:
            await self.reminders.schedule_for(event, promoted)
        return event, change

    async def rsvps(self, event_id: int) -> dict[str, list[int]]:
        return await self._store.events.rsvps(event_id)

    async def cancel(self, event: Event) -> tuple[Event, list[int]]:
        """Cancel; returns the event and who should be told (going, maybe, waitlist)."""
        if event.status == "cancelled":
            raise InvalidInput("That meetup is already cancelled.")
        cancelled = await self._store.events.update(event.id, self._clock.now(), status="cancelled")
        answers = await self._store.events.rsvps(event.id)
        for user_id in answers["going"]:
            await self.reminders.cancel_for(event, user_id)
        return cancelled, answers["going"] + answers["maybe"] + answers["waitlist"]

    async def edit(self, event: Event, *, editor_id: int, title: str | None = None, start: str | None = None,
                   duration_minutes: int | None = None, venue: str | None = None,
                   description: str | None = None, capacity: int | None = None) -> tuple[Event, list[int]]:
        """Change what was given; returns the event and anyone promoted by a larger capacity."""
        if event.status == "cancelled":
            raise InvalidInput("That meetup was cancelled; create a new one instead.")
        changes: dict[str, object] = {}
        if title is not None:
            changes["title"] = validate_title(title)
        start_at = event.start_at
        if start is not None:
            start_at = parse_event_start(start, zone=await self.organiser_zone(event.guild_id, editor_id),
                                         now=self._clock.now())
            changes["start_at"] = start_at
        length = event.end_at - event.start_at
        if duration_minutes is not None:
            length = timedelta(minutes=validate_duration(duration_minutes))
        if start is not None or duration_minutes is not None:
            changes["end_at"] = start_at + length
        if venue is not None:
            changes["venue"] = venue.strip()
        if description is not None:
            changes["description"] = description.strip() or None
        promoted: list[int] = []
        if capacity is not None:
            if capacity < 1:
                raise InvalidInput("Capacity is at least 1.")
            promoted = await self._store.events.set_capacity(event.id, capacity, self._clock.now())
        updated = await self._store.events.update(event.id, self._clock.now(), **changes)
        going = (await self._store.events.rsvps(event.id))["going"]
        for user_id in going:
            if updated.start_at != event.start_at:
                await self.reminders.cancel_for(event, user_id)  # keys carry the old start
            await self.reminders.schedule_for(updated, user_id)  # idempotent for those already scheduled
        return updated, promoted

    async def upcoming(self, guild_id: int) -> list[Event]:
        return await self._store.events.upcoming(guild_id, self._clock.now())

    def ics(self, event: Event) -> bytes:
        location = event.venue if event.mode == "in_person" else event.link
        return event_ics(f"hearth-event-{event.id}@hearth", event.title, event.start_at, event.end_at,
                         description=event.description, location=location, url=event.link, now=self._clock.now())

"""Recurring meetups: create the series with its first date, announce each later date when it is due,
and stop, change or export the rest."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.clock import Clock
from bot.domain.errors import InvalidInput
from bot.domain.event_series import SeriesAnnouncement, SeriesSpec, announce_at
from bot.domain.events import Event, EventMode, Series
from bot.domain.ics import IcsRepeat, event_ics
from bot.domain.meetup_controls import closes_for, ics_description
from bot.domain.recurrence import RecurrenceRule
from bot.domain.work import Planned
from bot.i18n import _
from bot.store import Repositories, Store

SERIES_KIND = SeriesAnnouncement.KIND


def spec_of(series: Series) -> SeriesSpec:
    count = series.count
    if series.stopped_after is not None:
        count = series.stopped_after if count is None else min(count, series.stopped_after)
    return SeriesSpec(rule=RecurrenceRule(series.frequency), zone=series.zone, count=count, until=series.until)


class SeriesService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self.series = store.series

    async def start_in(self, tx: Repositories, spec: SeriesSpec, *, channel_id: int, guild_id: int, title: str,
                       description: str | None, start_at: datetime, end_at: datetime, mode: EventMode,
                       venue: str | None, area: str | None, link: str | None, capacity: int | None, tag: str,
                       creator_id: int, role_id: int | None = None, access_notes: str | None = None,
                       rsvp_close_minutes: int | None = None) -> Event:
        """Store the series and its first date (announced now); the second is planned. The role, access notes
        and how long before each start answers close are copied to every date."""
        now = self._clock.now()
        minutes = int((end_at - start_at) / timedelta(minutes=1))
        series = await tx.series.create(now, frequency=spec.rule.frequency, zone=spec.zone, first_start=start_at,
                                        count=spec.count, until=spec.until, duration_minutes=minutes,
                                        guild_id=guild_id, title=title, description=description, mode=mode,
                                        venue=venue, area=area, link=link, capacity=capacity, tag=tag,
                                        creator_id=creator_id, role_id=role_id, access_notes=access_notes,
                                        rsvp_close_minutes=rsvp_close_minutes)
        event, _added = await tx.series.add_occurrence(now, **self._occurrence_values(series, 1, start_at),
                                                  channel_id=channel_id)
        await self._plan_next(tx, series, 2, previous_start=start_at)
        return event

    def _occurrence_values(self, series: Series, number: int, start: datetime) -> dict[str, object]:
        return {"guild_id": series.guild_id, "title": series.title, "description": series.description,
                "start_at": start, "end_at": start + timedelta(minutes=series.duration_minutes), "mode": series.mode,
                "venue": series.venue, "area": series.area, "link": series.link, "capacity": series.capacity,
                "tag": series.tag, "creator_id": series.creator_id, "series_id": series.id, "occurrence": number,
                "role_id": series.role_id, "access_notes": series.access_notes,
                "rsvp_closes_at": closes_for(start, series.rsvp_close_minutes)}

    async def _plan_next(self, tx: Repositories, series: Series, number: int, *, previous_start: datetime) -> None:
        start = spec_of(series).start_of(series.first_start, number)
        if start is None:
            return  # the series has ended
        announcement = SeriesAnnouncement(series.id, number, guild_id=series.guild_id)
        await tx.due_work.plan([Planned(announcement, announce_at(previous_start, start))],
                               now=self._clock.now())

    async def materialise(self, work: SeriesAnnouncement) -> Event | None:
        """Due work: create occurrence `number` (once), plan the next; None when there's nothing to announce."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            series = await tx.series.get(work.series_id)
            if series is None or series.status != "active":
                return None
            start = spec_of(series).start_of(series.first_start, work.number)
            if start is None:
                return None
            await self._plan_next(tx, series, work.number + 1, previous_start=start)
            if start <= now:
                return None  # after downtime: a date already past is skipped, never announced late
            guild = await tx.guilds.get(series.guild_id)
            event, _added = await tx.series.add_occurrence(now, **self._occurrence_values(series, work.number, start),
                                                      channel_id=guild.events_channel_id)
        return event if event.status == "scheduled" else None

    async def get(self, series_id: int) -> Series:
        series = await self.series.get(series_id)
        if series is None:
            raise InvalidInput(_("That series no longer exists."))
        return series

    async def stop_from_in(self, tx: Repositories, event: Event) -> list[Event]:
        """"This and all later": no date from this one on is announced; returns those already announced."""
        assert event.series_id is not None and event.occurrence is not None
        series = await tx.series.get(event.series_id)
        if series is None:
            raise InvalidInput(_("That series no longer exists."))
        stopped = event.occurrence - 1
        if series.stopped_after is not None:
            stopped = min(stopped, series.stopped_after)
        await tx.series.update(series.id, self._clock.now(), stopped_after=stopped,
                               status="cancelled" if stopped == 0 else series.status)
        return await tx.series.occurrences_from(series.id, event.occurrence)

    async def retemplate_in(self, tx: Repositories, event: Event, **changes: object) -> list[Event]:
        """"This and all later": later dates copy the change; returns the announced ones to change now."""
        assert event.series_id is not None and event.occurrence is not None
        if changes:
            await tx.series.update(event.series_id, self._clock.now(), **changes)
        return await tx.series.occurrences_from(event.series_id, event.occurrence)

    async def ics(self, event: Event) -> bytes:
        """The whole series as one repeating calendar entry (in the organiser's zone, so DST-safe)."""
        assert event.series_id is not None
        series = await self.get(event.series_id)
        if series.status != "active":
            raise InvalidInput(_("That series was cancelled, so there are no dates to add."))
        spec = spec_of(series)
        location = series.venue if series.mode == "in_person" else series.link
        return event_ics(f"hearth-series-{series.id}@hearth", series.title, series.first_start,
                         series.first_start + timedelta(minutes=series.duration_minutes),
                         description=ics_description(series.description, series.access_notes), location=location,
                         url=series.link, now=self._clock.now(),
                         rrule=IcsRepeat(spec.rule, spec.zone, count=spec.count or None, until=spec.until))

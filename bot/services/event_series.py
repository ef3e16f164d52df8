"""Recurring meetups: create the series with its first date, announce each later date when it is due,
and stop, change or export the rest."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.clock import Clock
from bot.domain.errors import InvalidInput
from bot.domain.event_series import SeriesSpec, announce_at, series_key
from bot.domain.ics import IcsRepeat, event_ics
from bot.domain.recurrence import RecurrenceRule
from bot.store import DueItem, Store
from bot.store.event_series import Series
from bot.store.events import Event

SERIES_KIND = "event.series"


def spec_of(series: Series) -> SeriesSpec:
    rule = RecurrenceRule(series.frequency)  # type: ignore[arg-type]
    count = series.count
    if series.stopped_after is not None:
        count = series.stopped_after if count is None else min(count, series.stopped_after)
    return SeriesSpec(rule=rule, zone=series.zone, count=count, until=series.until)


class SeriesService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self.series = store.series

    async def start(self, spec: SeriesSpec, *, channel_id: int, **template: object) -> Event:
        """Store the series and its first date (announced now); the second is scheduled."""
        now = self._clock.now()
        first_start: datetime = template.pop("start_at")  # type: ignore[assignment]
        end_at: datetime = template.pop("end_at")  # type: ignore[assignment]
        minutes = int((end_at - first_start) / timedelta(minutes=1))
        series = await self.series.create(now, frequency=spec.rule.frequency, zone=spec.zone,
                                          first_start=first_start, count=spec.count, until=spec.until,
                                          duration_minutes=minutes, **template)
        event, _ = await self.series.add_occurrence(now, **self._occurrence_values(series, 1, first_start),
                                                    channel_id=channel_id)
        await self._schedule(series, 2, previous_start=first_start)
        return event

    def _occurrence_values(self, series: Series, number: int, start: datetime) -> dict[str, object]:
        return {"guild_id": series.guild_id, "title": series.title, "description": series.description,
                "start_at": start, "end_at": start + timedelta(minutes=series.duration_minutes), "mode": series.mode,
                "venue": series.venue, "area": series.area, "link": series.link, "capacity": series.capacity,
                "tag": series.tag, "creator_id": series.creator_id, "series_id": series.id, "occurrence": number}

    async def _schedule(self, series: Series, number: int, *, previous_start: datetime) -> None:
        start = spec_of(series).start_of(series.first_start, number)
        if start is None:
            return  # the series has ended
        await self._store.due_work.schedule(SERIES_KIND, {"series_id": series.id, "number": number},
                                            announce_at(previous_start, start), series_key(series.id, number),
                                            now=self._clock.now())

    async def materialise(self, item: DueItem) -> Event | None:
        """Due work: create occurrence `number` (once), schedule the next; None when there's nothing to announce."""
        series = await self.series.get(int(item.payload["series_id"]))
        number = int(item.payload["number"])
        if series is None or series.status != "active":
            return None
        start = spec_of(series).start_of(series.first_start, number)
        if start is None:
            return None
        await self._schedule(series, number + 1, previous_start=start)
        if start <= self._clock.now():
            return None  # after downtime: a date already past is skipped, never announced late
        guild = await self._store.guilds.get(series.guild_id)
        event, _ = await self.series.add_occurrence(self._clock.now(), **self._occurrence_values(series, number, start),
                                                    channel_id=guild.events_channel_id)
        return event if event.status == "scheduled" else None

    async def get(self, series_id: int) -> Series:
        series = await self.series.get(series_id)
        if series is None:
            raise InvalidInput("That series no longer exists.")
        return series

    async def stop_from(self, event: Event) -> list[Event]:
        """"This and all later": no date from this one on is announced; returns those already announced."""
        assert event.series_id is not None and event.occurrence is not None
        series = await self.get(event.series_id)
        stopped = event.occurrence - 1
        if series.stopped_after is not None:
            stopped = min(stopped, series.stopped_after)
        await self.series.update(series.id, self._clock.now(), stopped_after=stopped,
                                 status="cancelled" if stopped == 0 else series.status)
        return await self.series.occurrences_from(series.id, event.occurrence)

    async def retemplate(self, event: Event, **changes: object) -> list[Event]:
        """"This and all later": later dates copy the change; returns the announced ones to change now."""
        assert event.series_id is not None and event.occurrence is not None
        if changes:
            await self.series.update(event.series_id, self._clock.now(), **changes)
        return await self.series.occurrences_from(event.series_id, event.occurrence)

    async def ics(self, event: Event) -> bytes:
        """The whole series as one repeating calendar entry (in the organiser's zone, so DST-safe)."""
        assert event.series_id is not None
        series = await self.get(event.series_id)
        if series.status != "active":
            raise InvalidInput("That series was cancelled, so there are no dates to add.")
        spec = spec_of(series)
        location = series.venue if series.mode == "in_person" else series.link
        return event_ics(f"hearth-series-{series.id}@hearth", series.title, series.first_start,
                         series.first_start + timedelta(minutes=series.duration_minutes),
                         description=series.description, location=location, url=series.link, now=self._clock.now(),
                         rrule=IcsRepeat(spec.rule, spec.zone, count=spec.count or None, until=spec.until))

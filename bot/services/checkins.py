"""Check-ins: record how a member feels, and decide what kind answer goes with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.crisis import CrisisSignal, detect_crisis
from bot.domain.errors import InvalidInput
from bot.domain.helplines import CountryHelplines, Helplines, country_from_locale
from bot.domain.moods import Entry, Mood, MoodSummary, streak, suggestion_for, summarise
from bot.domain.timezones import country_of_zone
from bot.store import Checkin, Store

NOTE_LIMIT = 500
HISTORY_DAYS = (7, 30, 90)


class BuddyLookup(Protocol):
    async def buddy_of(self, guild_id: int, user_id: int) -> int | None:
        """The member's current buddy in this server, if they have one."""
        ...


class MeetupLookup(Protocol):
    async def upcoming_near(self, guild_id: int, user_id: int, limit: int) -> list[str]:
        """Short lines describing the next meetups near the member."""
        ...


@dataclass(frozen=True)
class Support:
    """What a member sees on a hard day, and in a crisis."""

    buddy_id: int | None
    meetups: tuple[str, ...]
    server_text: str | None
    server_url: str | None
    can_ask_moderator: bool
    helplines: CountryHelplines | None  # only for a crisis note


@dataclass(frozen=True)
class CheckinOutcome:
    checkin: Checkin
    mood: Mood
    streak: int
    suggestion: str
    support: Support | None  # low mood or crisis
    crisis: CrisisSignal | None


class CheckinService:
    def __init__(self, store: Store, clock: Clock, helplines: Helplines, *, buddies: BuddyLookup | None = None,
                 meetups: MeetupLookup | None = None) -> None:
        self._store = store
        self._clock = clock
        self._helplines = helplines
        self._buddies = buddies
        self._meetups = meetups

    async def _zone(self, user_id: int) -> ZoneInfo:
        settings = await self._store.members.get(user_id)
        return ZoneInfo(settings.timezone or "UTC")

    async def local_today(self, user_id: int) -> date:
        return self._clock.now().astimezone(await self._zone(user_id)).date()

    async def record(self, *, user_id: int, guild_id: int | None, mood: int, note: str | None, source: str,
                     locale: str | None = None) -> CheckinOutcome:
        chosen = _mood(mood)
        note = _clean_note(note)
        now = self._clock.now()
        today = now.astimezone(await self._zone(user_id)).date()
        checkin = await self._store.checkins.add(user_id=user_id, guild_id=guild_id, mood=int(chosen), note=note,
                                                 local_date=today, source=source, now=now)
        return await self._outcome(checkin, today, locale)

    async def add_note(self, *, checkin_id: int, user_id: int, note: str, locale: str | None = None) -> CheckinOutcome:
        cleaned = _clean_note(note)
        if cleaned is None:
            raise InvalidInput("The note was empty, so nothing changed.")
        if not await self._store.checkins.set_note(checkin_id, user_id, cleaned):
            raise InvalidInput("I couldn't find that check-in of yours. Try `/checkin` again.")
        checkin = await self._store.checkins.get(checkin_id, user_id)
        assert checkin is not None
        return await self._outcome(checkin, await self.local_today(user_id), locale)

    async def _outcome(self, checkin: Checkin, today: date, locale: str | None) -> CheckinOutcome:
        mood = Mood(checkin.mood)
        days = await self._store.checkins.recent_dates(checkin.user_id)
        crisis = detect_crisis(checkin.note) if checkin.note else None
        support = None
        if crisis is not None or mood.is_low:
            support = await self._support(checkin, locale, with_helplines=crisis is not None)
        count = await self._store.checkins.count(checkin.user_id)
        return CheckinOutcome(checkin=checkin, mood=mood, streak=streak(days, today),
                              suggestion=suggestion_for(mood, count), support=support, crisis=crisis)

    async def _support(self, checkin: Checkin, locale: str | None, *, with_helplines: bool) -> Support:
        guild = await self._store.guilds.get(checkin.guild_id) if checkin.guild_id else None
        buddy = meetups = None
        if checkin.guild_id is not None:
            if self._buddies is not None:
                buddy = await self._buddies.buddy_of(checkin.guild_id, checkin.user_id)
            if self._meetups is not None:
                meetups = await self._meetups.upcoming_near(checkin.guild_id, checkin.user_id, 3)
        helplines = None
        if with_helplines:
            settings = await self._store.members.get(checkin.user_id)
            country = country_of_zone(settings.timezone) or country_from_locale(locale)
            helplines = self._helplines.for_country(country)
        return Support(
            buddy_id=buddy,
            meetups=tuple(meetups or ()),
            server_text=guild.support_text if guild else None,
            server_url=guild.support_url if guild else None,
            can_ask_moderator=bool(guild and guild.support_channel_id),
            helplines=helplines,
        )

    async def history(self, user_id: int, days: int) -> MoodSummary | None:
        if days not in HISTORY_DAYS:
            raise InvalidInput("Pick 7, 30 or 90 days.")
        today = await self.local_today(user_id)
        rows = await self._store.checkins.moods_since(user_id, today - timedelta(days=days - 1))
        entries = [Entry(local_date=day, mood=Mood(mood)) for day, mood in rows]
        return summarise(entries, today, days, all_dates=await self._store.checkins.recent_dates(user_id))


def _mood(value: int) -> Mood:
    try:
        return Mood(value)
    except ValueError:
        raise InvalidInput("Pick a mood from 1 (awful) to 5 (great).") from None


def _clean_note(note: str | None) -> str | None:
    if note is None or not note.strip():
        return None
    cleaned = note.strip()
    if len(cleaned) > NOTE_LIMIT:
        raise InvalidInput(f"Notes can be up to {NOTE_LIMIT} characters; yours has {len(cleaned)}.")
    return cleaned

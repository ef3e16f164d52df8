"""Check-ins: record how a member feels, and decide what kind answer goes with it.

Each use case is one transaction on one connection: the member's settings, the write, the streak and
count (one statement), and on a hard day the server's support settings and the member's buddy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.checkins import Checkin, CheckinSource
from bot.domain.crisis import CrisisSignal, detect_crisis
from bot.domain.errors import InvalidInput
from bot.domain.helplines import CountryHelplines, Helplines, country_from_locale
from bot.domain.members import MemberSettings
from bot.domain.moods import Entry, Mood, MoodSummary, streak, suggestion_for, summarise
from bot.domain.timezones import country_of_zone
from bot.i18n import _, number
from bot.services.consent import check_consent
from bot.store import Repositories, Store

NOTE_LIMIT = 500
HISTORY_DAYS = (7, 30, 90)


class BuddyLookup(Protocol):
    async def buddy_of(self, guild_id: int, user_id: int, *, tx: Repositories | None = None) -> int | None:
        """The member's current buddy in this server, if they have one (inside `tx` when given)."""
        ...


class MeetupLookup(Protocol):
    async def upcoming_near(self, guild_id: int, user_id: int, limit: int, *,
                            tx: Repositories | None = None) -> list[str]:
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

    async def record(self, *, user_id: int, guild_id: int | None, mood: int, note: str | None,
                     source: CheckinSource, locale: str | None = None) -> CheckinOutcome:
        chosen = _mood(mood)
        note = _clean_note(note)
        now = self._clock.now()
        async with self._store.transaction() as tx:
            settings = await tx.members.get(user_id)
            check_consent(settings)  # nothing about how a member feels is kept before they agreed
            today = _local_date(now, settings)
            checkin = await tx.checkins.add(user_id=user_id, guild_id=guild_id, mood=chosen, note=note,
                                            local_date=today, source=source, now=now)
            return await self._outcome_in(tx, checkin, settings, today, locale)

    async def add_note(self, *, checkin_id: int, user_id: int, note: str, locale: str | None = None) -> CheckinOutcome:
        cleaned = _clean_note(note)
        if cleaned is None:
            raise InvalidInput(_("The note was empty, so nothing changed."))
        async with self._store.transaction() as tx:
            checkin = await tx.checkins.set_note_returning(checkin_id, user_id, cleaned)
            if checkin is None:
                raise InvalidInput(_("I couldn't find that check-in of yours. Try `/checkin` again."))
            settings = await tx.members.get(user_id)
            return await self._outcome_in(tx, checkin, settings, _local_date(self._clock.now(), settings), locale)

    async def _outcome_in(self, tx: Repositories, checkin: Checkin, settings: MemberSettings, today: date,
                          locale: str | None) -> CheckinOutcome:
        stats = await tx.checkins.stats(checkin.user_id)
        crisis = detect_crisis(checkin.note) if checkin.note else None
        support = None
        if crisis is not None or checkin.mood.is_low:
            support = await self._support_in(tx, checkin, settings, locale, with_helplines=crisis is not None)
        return CheckinOutcome(checkin=checkin, mood=checkin.mood, streak=streak(stats.recent_dates, today),
                              suggestion=suggestion_for(checkin.mood, stats.count), support=support, crisis=crisis)

    async def _support_in(self, tx: Repositories, checkin: Checkin, settings: MemberSettings, locale: str | None,
                          *, with_helplines: bool) -> Support:
        guild = buddy = meetups = None
        if checkin.guild_id is not None:
            guild = await tx.guilds.get(checkin.guild_id)
            if self._buddies is not None:
                buddy = await self._buddies.buddy_of(checkin.guild_id, checkin.user_id, tx=tx)
            if self._meetups is not None:
                meetups = await self._meetups.upcoming_near(checkin.guild_id, checkin.user_id, 3, tx=tx)
        helplines = None
        if with_helplines:
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
        """The last `days` local days, ending on the member's today (`MoodSummary.today`)."""
        if days not in HISTORY_DAYS:
            raise InvalidInput(_("Pick 7, 30 or 90 days."))
        async with self._store.reading() as db:
            today = _local_date(self._clock.now(), await db.members.get(user_id))
            rows = await db.checkins.moods_since(user_id, today - timedelta(days=days - 1))
            if not rows:
                return None
            stats = await db.checkins.stats(user_id)
        entries = [Entry(local_date=day, mood=Mood(mood)) for day, mood in rows]
        return summarise(entries, today, days, all_dates=stats.recent_dates)

    async def reach_out_channel(self, guild_id: int) -> int | None:
        """Where a member's "please reach out to me" goes: the server's support channel, if it set one."""
        return (await self._store.guilds.get(guild_id)).support_channel_id


def _local_date(now: datetime, settings: MemberSettings) -> date:
    return now.astimezone(ZoneInfo(settings.timezone or "UTC")).date()


def _mood(value: int) -> Mood:
    try:
        return Mood(value)
    except ValueError:
        raise InvalidInput(_("Pick a mood from 1 (awful) to 5 (great).")) from None


def _clean_note(note: str | None) -> str | None:
    if note is None or not note.strip():
        return None
    cleaned = note.strip()
    if len(cleaned) > NOTE_LIMIT:
        raise InvalidInput(_("Notes can be up to {limit} characters; yours has {length}.", limit=number(NOTE_LIMIT),
                             length=number(len(cleaned))))
    return cleaned

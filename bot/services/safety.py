"""Meeting in person, safely: "let me know you got home safe", for meetups and for buddies who meet.

Opt-in only. A member's check is due work of their own (`HomeCheck`, see bot/domain/safety.py): planned when
they ask, cancelled when they change their mind, stop going or the meetup is cancelled, moved when the
meetup moves (bulk statements, from the meetup's own transaction). Nothing about it ever reaches anyone but
the member: no moderator, buddy or organiser is told anything, whether they answer or not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.errors import InvalidInput, NotConfigured
from bot.domain.event_time import parse_event_start
from bot.domain.events import Event
from bot.domain.helplines import CountryHelplines, Helplines, country_from_locale
from bot.domain.members import MemberSettings
from bot.domain.quiet_hours import QuietHours
from bot.domain.safety import (
    ASK_AFTER_END,
    BUDDY_MAX_AHEAD,
    BUDDY_MEETING_LENGTH,
    BUDDY_WHAT,
    TOO_LATE_AFTER_END,
    HomeCheck,
    HomeStage,
    ask_at,
    check_keys,
    event_ref,
    follow_up_at,
    time_ref,
)
from bot.domain.timezones import country_of_zone
from bot.domain.work import Planned
from bot.i18n import S_
from bot.store import Repositories, Store


@dataclass(frozen=True)
class HomePlan:
    """A planned home check: when the member will be asked, and whether it was new (False: already planned)."""

    ask_at: datetime
    added: bool


@dataclass(frozen=True)
class EventToggle:
    event: Event
    plan: HomePlan | None  # None: the check was turned off


@dataclass(frozen=True)
class BuddyPlan:
    meeting_at: datetime
    plan: HomePlan


@dataclass(frozen=True)
class HelpNearby:
    """Who can help, for the one gentle follow-up: the server's own resources and the member's helplines."""

    server_text: str | None
    server_url: str | None
    helplines: CountryHelplines


@dataclass(frozen=True)
class HomeMessage:
    """A home-check DM to send now."""

    user_id: int
    ref: str
    stage: HomeStage
    what: str  # "meeting your buddy", or the meetup's title as it is now
    is_event: bool
    help: HelpNearby | None  # the follow-up only


class SafetyService:
    def __init__(self, store: Store, clock: Clock, helplines: Helplines) -> None:
        self._store = store
        self._clock = clock
        self._helplines = helplines

    async def helplines_for(self, user_id: int, locale: str | None) -> CountryHelplines:
        """The member's helplines, found as the crisis answer finds them: their time zone, else their language."""
        settings = await self._store.members.get(user_id)
        return self._helplines.for_country(country_of_zone(settings.timezone) or country_from_locale(locale))

    # planning ------------------------------------------------------------------------------------------
    async def plan_home_check(self, user_id: int, guild_id: int, ends_at: datetime, what: str, *,
                              ref: str | None = None, locale: str | None = None) -> HomePlan:
        """Ask this member a few hours after `ends_at` whether they got home safe (outside their quiet hours).
        Idempotent per member and `ref` (default: the end time). Reusable by any feature that knows when
        someone will be meeting in person."""
        async with self._store.transaction() as tx:
            return await self._plan_in(tx, HomeCheck(user_id=user_id, ref=ref or time_ref(ends_at), stage="ask",
                                                     guild_id=guild_id, ends_at=ends_at, what=what, locale=locale))

    async def _plan_in(self, tx: Repositories, check: HomeCheck) -> HomePlan:
        quiet, zone = await self._quiet_in(tx, check.user_id, check.guild_id)
        due = max(ask_at(check.ends_at, quiet, zone), self._clock.now())
        added = await tx.due_work.plan([Planned(check, due)], now=self._clock.now())
        return HomePlan(due, added == 1)

    async def _quiet_in(self, tx: Repositories, user_id: int, guild_id: int) -> tuple[QuietHours | None, ZoneInfo]:
        settings = await tx.members.get(user_id)
        zone = settings.timezone or (await tx.guilds.get(guild_id)).timezone or "UTC"
        return settings.quiet_hours, ZoneInfo(zone)

    # meetups -------------------------------------------------------------------------------------------
    async def toggle_event_check(self, event_id: int, user_id: int, *, locale: str | None = None) -> EventToggle:
        """"Check I got home OK" on the Going confirmation: on if it was off, off if it was on."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            event = await tx.events.get(event_id)
            if event is None or event.status != "scheduled":
                raise InvalidInput(S_("That meetup isn't happening any more, so there's nothing to check."))
            if event.mode != "in_person":
                raise InvalidInput(S_("That meetup is online, so there's no journey home to check on."))
            if user_id not in await tx.events.going_with_choices(event.id, [user_id]):
                # i18n: "Going" is the button on a meetup announcement
                raise InvalidInput(S_("I can check on you after a meetup you're going to: tap Going first."))
            if now >= event.end_at + ASK_AFTER_END:
                raise InvalidInput(S_("That meetup is over, so it's too late to set a check for it."))
            if await tx.due_work.cancel_many(check_keys(user_id, event_ref(event.id))):
                return EventToggle(event, None)
            plan = await self._plan_in(tx, HomeCheck(user_id=user_id, ref=event_ref(event.id), stage="ask",
                                                     guild_id=event.guild_id, ends_at=event.end_at,
                                                     locale=locale))
            if not plan.added:
                raise InvalidInput(S_("I've already checked in with you about this meetup."))
            return EventToggle(event, plan)

    async def decline_event_check(self, event_id: int, user_id: int) -> bool:
        """"No thanks": no check after this meetup. True when one was planned."""
        async with self._store.transaction() as tx:
            return await tx.due_work.cancel_many(check_keys(user_id, event_ref(event_id))) > 0

    async def cancel_event_in(self, tx: Repositories, event: Event, user_ids: Iterable[int]) -> int:
        """In the meetup's transaction: these members are no longer going (or it was cancelled). One statement."""
        ref = event_ref(event.id)
        return await tx.due_work.cancel_many(key for user_id in user_ids for key in check_keys(user_id, ref))

    async def move_event_in(self, tx: Repositories, before: Event, after: Event, user_ids: Iterable[int]) -> int:
        """In the meetup's transaction: its end moved. Checks not yet asked follow it. How many moved."""
        ref = event_ref(before.id)
        removed = await tx.due_work.cancel_returning(
            key for user_id in user_ids for key in check_keys(user_id, ref, ("ask",)))
        planned = []
        for payload in removed:
            check = HomeCheck.decode(payload)
            moved = HomeCheck(user_id=check.user_id, ref=check.ref, stage="ask", guild_id=check.guild_id,
                              ends_at=after.end_at, what=check.what, locale=check.locale, later=check.later)
            quiet, zone = await self._quiet_in(tx, moved.user_id, moved.guild_id)
            planned.append(Planned(moved, max(ask_at(after.end_at, quiet, zone), self._clock.now())))
        return await tx.due_work.plan(planned, now=self._clock.now())

    # buddies -------------------------------------------------------------------------------------------
    async def check_buddy(self, group_id: int, user_id: int) -> None:
        """Refuse anyone who isn't in this buddy group (before showing them the form)."""
        async with self._store.reading() as reads:
            await self._buddy_guild_in(reads, group_id, user_id)

    async def plan_buddy_check(self, group_id: int, user_id: int, typed: str, *,
                               locale: str | None = None) -> BuddyPlan:
        """"We're meeting in person": `typed` is when, in the member's own time zone (the server's if they
        haven't set one). The check comes a few hours after."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            guild_id = await self._buddy_guild_in(tx, group_id, user_id)
            settings = await tx.members.get(user_id)
            zone = settings.timezone or (await tx.guilds.get(guild_id)).timezone
            if zone is None:
                raise NotConfigured(S_("I need your time zone to read that: set it with `/settings timezone`, "
                                       "then tap the button again."))
            start = parse_event_start(typed, zone=zone, now=now)
            if start - now > BUDDY_MAX_AHEAD:
                raise InvalidInput(S_("That's more than two months away. Tap the button again closer to the day."))
            plan = await self._plan_in(tx, HomeCheck(user_id=user_id, ref=time_ref(start), stage="ask",
                                                     guild_id=guild_id, ends_at=start + BUDDY_MEETING_LENGTH,
                                                     what=BUDDY_WHAT, locale=locale))
        return BuddyPlan(start, plan)

    async def _buddy_guild_in(self, tx: Repositories, group_id: int, user_id: int) -> int:
        group = await tx.buddies.group(group_id)
        round_ = await tx.buddies.round(group.round_id) if group is not None else None
        if group is None or round_ is None or user_id not in group.members:
            raise InvalidInput(S_("This button is for the buddies it introduced, so it does nothing for you."))
        return round_.guild_id

    async def could_meet_in_person(self, guild_id: int, user_ids: Iterable[int]) -> bool:
        """Whether a buddy group might meet in person: nobody in it asked for online only."""
        async with self._store.reading() as reads:
            for user_id in user_ids:
                profile = await reads.buddies.profile(guild_id, user_id)
                if profile is not None and profile.preference == "online":
                    return False
        return True

    # due work ------------------------------------------------------------------------------------------
    async def home_check_due(self, work: HomeCheck) -> HomeMessage | None:
        """The DM to send now, or None: the meetup was cancelled or moved, the member stopped going, it's long
        past, or it fell in quiet hours (then it moves once, to when they end). Asking plans the follow-up in
        the same transaction, so "I'm home" always finds it."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            if now > work.ends_at + TOO_LATE_AFTER_END:
                return None
            what = work.what
            if work.event_id is not None:
                event = await tx.events.get(work.event_id)
                if event is None or event.status != "scheduled" or event.end_at != work.ends_at:
                    return None  # cancelled, or moved (its moved row was planned when it moved)
                if work.user_id not in await tx.events.going_with_choices(event.id, [work.user_id]):
                    return None
                what = event.title
            settings = await tx.members.get(work.user_id)
            quiet, zone = settings.quiet_hours, ZoneInfo(settings.timezone or (
                await tx.guilds.get(work.guild_id)).timezone or "UTC")
            if quiet is not None and quiet.is_quiet(now, zone) and not work.later:
                await tx.due_work.plan([Planned(work.moved(), quiet.next_allowed(now, zone))], now=now)
                return None
            help_ = None
            if work.stage == "ask":
                await tx.due_work.plan([Planned(work.follow_up(), follow_up_at(now, quiet, zone))], now=now)
            else:
                help_ = await self._help_in(tx, work, settings)
        return HomeMessage(user_id=work.user_id, ref=work.ref, stage=work.stage, what=what,
                           is_event=work.event_id is not None, help=help_)

    async def _help_in(self, tx: Repositories, work: HomeCheck, settings: MemberSettings) -> HelpNearby:
        guild = await tx.guilds.get(work.guild_id)
        country = country_of_zone(settings.timezone) or country_from_locale(work.locale)
        return HelpNearby(server_text=guild.support_text, server_url=guild.support_url,
                          helplines=self._helplines.for_country(country))

    async def home_safe(self, user_id: int, ref: str) -> bool:
        """"I'm home": no follow-up. True the first time (a second tap changes nothing)."""
        async with self._store.transaction() as tx:
            return await tx.due_work.cancel_many(check_keys(user_id, ref, ("follow_up",))) > 0

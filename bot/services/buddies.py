"""Buddy pairing for members: joining, pausing, blocking, and where they stand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.domain.buddy_rounds import clean_area, clean_tags, is_paused
from bot.domain.errors import InvalidInput, NotConfigured
from bot.store import Store
from bot.store.buddies import BuddyConfig, BuddyGroup, BuddyProfile, BuddyRound

PREFERENCES = {"in_person": "in person", "online": "online", "either": "in person or online"}
FREQUENCIES = {"every": "every round", "every_other": "every other round"}


@dataclass(frozen=True)
class BuddyStatus:
    profile: BuddyProfile | None
    config: BuddyConfig
    current: tuple[BuddyRound, BuddyGroup] | None
    next_round_at: datetime | None
    paused: bool


class BuddyService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def config(self, guild_id: int) -> BuddyConfig:
        return await self._store.buddies.config(guild_id)

    async def join(self, *, guild_id: int, user_id: int, interests: list[str], tags: str | None, area: str | None,
                   preference: str, frequency: str) -> BuddyProfile:
        """Opt in, or update what we know. Only ever by the member's own choice."""
        if preference not in PREFERENCES:
            raise InvalidInput("Choose in person, online or either.")
        if frequency not in FREQUENCIES:
            raise InvalidInput("Choose every round or every other round.")
        config = await self._store.buddies.config(guild_id)
        picked = [interest for interest in interests if interest in config.interests]
        combined = list(dict.fromkeys([*picked, *clean_tags(tags)]))
        if len(combined) > 12:
            raise InvalidInput("Pick up to 12 interests in all, so the ones that matter most stand out.")
        cleaned_area = clean_area(area)
        if preference == "in_person" and cleaned_area is None:
            raise InvalidInput("To meet in person, add your area (a town or region), so you're paired with "
                               "someone nearby.")
        existing = await self._store.buddies.profile(guild_id, user_id)
        profile = BuddyProfile(guild_id=guild_id, user_id=user_id, interests=tuple(combined), area=cleaned_area,
                               preference=preference, frequency=frequency, active=True,
                               paused_until=existing.paused_until if existing and existing.active else None)
        await self._store.buddies.save_profile(profile, self._clock.now())
        stored = await self._store.buddies.profile(guild_id, user_id)
        assert stored is not None
        return stored

    async def profile(self, guild_id: int, user_id: int) -> BuddyProfile | None:
        return await self._store.buddies.profile(guild_id, user_id)

    async def _active(self, guild_id: int, user_id: int) -> BuddyProfile:
        profile = await self._store.buddies.profile(guild_id, user_id)
        if profile is None or not profile.active:
            raise NotConfigured("You're not in the buddy pool. Join with `/buddy join` whenever you like.")
        return profile

    async def leave(self, guild_id: int, user_id: int) -> None:
        await self._active(guild_id, user_id)
        await self._store.buddies.update_profile(guild_id, user_id, self._clock.now(), active=False, paused_until=None)

    async def pause(self, guild_id: int, user_id: int, weeks: int) -> datetime:
        if not 1 <= weeks <= 12:
            raise InvalidInput("You can pause for 1 to 12 weeks.")
        await self._active(guild_id, user_id)
        until = self._clock.now() + timedelta(weeks=weeks)
        await self._store.buddies.update_profile(guild_id, user_id, self._clock.now(), paused_until=until,
                                                 unanswered_followups=0)
        return until

    async def resume(self, guild_id: int, user_id: int) -> bool:
        """False when they were not paused."""
        profile = await self._active(guild_id, user_id)
        if not is_paused(profile.paused_until, self._clock.now()):
            return False
        await self._store.buddies.update_profile(guild_id, user_id, self._clock.now(), paused_until=None)
        return True

    async def skip_round(self, guild_id: int, user_id: int, key: str) -> bool:
        profile = await self._store.buddies.profile(guild_id, user_id)
        if profile is None or not profile.active:
            return False
        await self._store.buddies.update_profile(guild_id, user_id, self._clock.now(), skip_round_key=key)
        return True

    async def block(self, guild_id: int, user_id: int, other_id: int, *, other_is_bot: bool = False) -> None:
        if other_id == user_id:
            raise InvalidInput("You can't block yourself.")
        if other_is_bot:
            raise InvalidInput("Bots are never anyone's buddy, so there's no need to block one.")
        await self._store.buddies.block(guild_id, user_id, other_id, self._clock.now())

    async def status(self, guild_id: int, user_id: int) -> BuddyStatus:
        now = self._clock.now()
        config = await self._store.buddies.config(guild_id)
        profile = await self._store.buddies.profile(guild_id, user_id)
        current = await self._store.buddies.group_of(guild_id, user_id, now)
        next_row = await self._store.due_work.get(config.next_round_key) if config.next_round_key else None
        return BuddyStatus(profile=profile, config=config, current=current,
                           next_round_at=next_row["due_at"] if next_row and next_row["done_at"] is None else None,
                           paused=bool(profile and is_paused(profile.paused_until, now)))

    async def buddy_of(self, guild_id: int, user_id: int) -> int | None:
        """For check-ins on a hard day: the member's current buddy (the first other member of their group)."""
        current = await self._store.buddies.group_of(guild_id, user_id, self._clock.now())
        if current is None:
            return None
        others = [member for member in current[1].members if member != user_id]
        return others[0] if others else None

    async def answer(self, group_id: int, user_id: int, answer: str) -> BuddyGroup:
        if answer not in ("in_person", "online", "not_yet", "skip"):
            raise InvalidInput("That answer isn't one I know.")
        if not await self._store.buddies.record_answer(group_id, user_id, answer, self._clock.now()):
            raise InvalidInput("These buttons are for the buddies in this group.")
        group = await self._store.buddies.group(group_id)
        assert group is not None
        return group

"""Buddy pairing for members: joining, pausing, blocking, and where they stand. Each use case is one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.domain.buddies import (
    FREQUENCIES,
    PREFERENCES,
    BuddyConfig,
    BuddyGroup,
    BuddyProfile,
    BuddyRound,
    answer_of,
    frequency_of,
    preference_of,
)
from bot.domain.buddy_rounds import clean_area, clean_tags, is_paused, round_key_at
from bot.domain.errors import InvalidInput, NotConfigured
from bot.domain.guilds import GuildSettings
from bot.i18n import _
from bot.services.ages import require_age
from bot.services.consent import require_consent
from bot.store import Repositories, Store

__all__ = ["FREQUENCIES", "PREFERENCES", "BuddyService", "BuddyStatus"]


@dataclass(frozen=True)
class BuddyStatus:
    profile: BuddyProfile | None
    config: BuddyConfig
    current: tuple[BuddyRound, BuddyGroup] | None
    next_round_at: datetime | None
    paused: bool


@dataclass(frozen=True)
class JoinForm:
    """What the `/buddy join` form starts from: the server's interests and the member's current answers."""

    config: BuddyConfig
    current: BuddyProfile | None


class BuddyService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def config(self, guild_id: int) -> BuddyConfig:
        return await self._store.buddies.config(guild_id)

    async def join_form(self, guild_id: int, user_id: int) -> JoinForm:
        async with self._store.reading() as tx:
            return JoinForm(await tx.buddies.config(guild_id), await tx.buddies.profile(guild_id, user_id))

    async def join(self, *, guild_id: int, user_id: int, interests: list[str], tags: str | None, area: str | None,
                   preference: str, frequency: str) -> BuddyProfile:
        """Opt in, or update what we know. Only ever by the member's own choice."""
        chosen_preference, chosen_frequency = preference_of(preference), frequency_of(frequency)
        if chosen_preference is None:
            raise InvalidInput(_("Choose in person, online or either."))
        if chosen_frequency is None:
            raise InvalidInput(_("Choose every round or every other round."))
        cleaned_tags, cleaned_area = clean_tags(tags), clean_area(area)
        if chosen_preference == "in_person" and cleaned_area is None:
            raise InvalidInput(_("To meet in person, add your area (a town or region), so you're paired with "
                                 "someone nearby."))
        async with self._store.transaction() as tx:
            config = await tx.buddies.config(guild_id)
            picked = [interest for interest in interests if interest in config.interests]
            combined = list(dict.fromkeys([*picked, *cleaned_tags]))
            if len(combined) > 12:
                raise InvalidInput(_("Pick up to 12 interests in all, so the ones that matter most stand out."))
            existing = await tx.buddies.profile(guild_id, user_id)
            if existing is None or not existing.active:  # signing up (editing a profile asks nothing new)
                await require_consent(tx, user_id)
                await require_age(tx, guild_id, user_id)
            profile = BuddyProfile(guild_id=guild_id, user_id=user_id, interests=tuple(combined), area=cleaned_area,
                                   preference=chosen_preference, frequency=chosen_frequency, active=True,
                                   paused_until=existing.paused_until if existing and existing.active else None)
            await tx.buddies.save_profile(profile, self._clock.now())
            stored = await tx.buddies.profile(guild_id, user_id)
        assert stored is not None
        return stored

    async def profile(self, guild_id: int, user_id: int) -> BuddyProfile | None:
        return await self._store.buddies.profile(guild_id, user_id)

    async def _active(self, tx: Repositories, guild_id: int, user_id: int) -> BuddyProfile:
        profile = await tx.buddies.profile(guild_id, user_id)
        if profile is None or not profile.active:
            raise NotConfigured(_("You're not in the buddy pool. Join with `/buddy join` whenever you like."))
        return profile

    async def leave(self, guild_id: int, user_id: int) -> None:
        async with self._store.transaction() as tx:
            await self._active(tx, guild_id, user_id)
            await tx.buddies.update_profile(guild_id, user_id, self._clock.now(), active=False, paused_until=None)

    async def pause(self, guild_id: int, user_id: int, weeks: int) -> datetime:
        if not 1 <= weeks <= 12:
            raise InvalidInput(_("You can pause for 1 to 12 weeks."))
        now = self._clock.now()
        until = now + timedelta(weeks=weeks)
        async with self._store.transaction() as tx:
            await self._active(tx, guild_id, user_id)
            await tx.buddies.update_profile(guild_id, user_id, now, paused_until=until, unanswered_followups=0)
        return until

    async def resume(self, guild_id: int, user_id: int) -> bool:
        """False when they were not paused."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            profile = await self._active(tx, guild_id, user_id)
            if not is_paused(profile.paused_until, now):
                return False
            await tx.buddies.update_profile(guild_id, user_id, now, paused_until=None)
        return True

    async def skip_round(self, guild_id: int, user_id: int, start: str) -> bool:
        """Sit out the round starting at `start` (as the heads-up's button carries it). False when not in the pool."""
        async with self._store.transaction() as tx:
            profile = await tx.buddies.profile(guild_id, user_id)
            if profile is None or not profile.active:
                return False
            await tx.buddies.update_profile(guild_id, user_id, self._clock.now(),
                                            skip_round_key=round_key_at(guild_id, start))
        return True

    async def block(self, guild_id: int, user_id: int, other_id: int, *, other_is_bot: bool = False) -> None:
        if other_id == user_id:
            raise InvalidInput(_("You can't block yourself."))
        if other_is_bot:
            raise InvalidInput(_("Bots are never anyone's buddy, so there's no need to block one."))
        async with self._store.transaction() as tx:
            await tx.buddies.block(guild_id, user_id, other_id, self._clock.now())

    async def status(self, guild_id: int, user_id: int) -> BuddyStatus:
        now = self._clock.now()
        async with self._store.reading() as tx:
            config = await tx.buddies.config(guild_id)
            profile = await tx.buddies.profile(guild_id, user_id)
            current = await tx.buddies.group_of(guild_id, user_id, now)
            next_row = await tx.due_work.get(config.next_round_key) if config.next_round_key else None
        return BuddyStatus(profile=profile, config=config, current=current,
                           next_round_at=next_row["due_at"] if next_row and next_row["done_at"] is None else None,
                           paused=bool(profile and is_paused(profile.paused_until, now)))

    async def buddy_of(self, guild_id: int, user_id: int, *, tx: Repositories | None = None) -> int | None:
        """For check-ins on a hard day: the member's current buddy (the first other member of their group).
        With `tx`, read inside the caller's unit of work."""
        current = await (tx or self._store).buddies.group_of(guild_id, user_id, self._clock.now())
        if current is None:
            return None
        others = [member for member in current[1].members if member != user_id]
        return others[0] if others else None

    async def answer(self, group_id: int, user_id: int, answer: str) -> BuddyGroup:
        given = answer_of(answer)
        if given is None:
            raise InvalidInput(_("That answer isn't one I know."))
        async with self._store.transaction() as tx:
            if not await tx.buddies.record_answer(group_id, user_id, given, self._clock.now()):
                raise InvalidInput(_("These buttons are for the buddies in this group."))
            group = await tx.buddies.group(group_id)
        assert group is not None
        return group

    async def report_channel(self, guild_id: int) -> int | None:
        """Where a `/buddy report` goes: the server's private support channel, when it set one."""
        settings: GuildSettings = await self._store.guilds.get(guild_id)
        return settings.support_channel_id

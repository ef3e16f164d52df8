"""A server's minimum age: recording a member's own statement, and checking it inside use cases."""

from __future__ import annotations

from bot.clock import Clock
from bot.domain.ages import MIN_AGE_RANGE, AgeRequired, age_confirmed
from bot.domain.errors import InvalidInput
from bot.i18n import _, number
from bot.store import Repositories, Store


class AgeService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def confirm(self, guild_id: int, user_id: int, min_age: int) -> None:
        """The member said "I am `min_age` or older" for this server."""
        low, high = MIN_AGE_RANGE
        if not low <= min_age <= high:
            raise InvalidInput(_("A minimum age is between {low} and {high}.", low=number(low), high=number(high)))
        await self._store.ages.confirm(guild_id, user_id, min_age, self._clock.now())

    async def stated(self, guild_id: int, user_id: int) -> int | None:
        return await self._store.ages.stated(guild_id, user_id)


async def require_age(repos: Repositories, guild_id: int | None, user_id: int) -> None:
    """Inside a use case's transaction: refuse when the server sets a minimum age the member has not
    stated they meet (a statement for a lower age than today's setting does not count)."""
    if guild_id is None:
        return
    required = (await repos.guilds.get(guild_id)).min_age
    if required is None:
        return
    if not age_confirmed(required, await repos.ages.stated(guild_id, user_id)):
        raise AgeRequired(guild_id, user_id, required)

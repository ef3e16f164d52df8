"""The base every Hearth cog shares: the services it calls, and due-work handlers declared on methods."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import discord
from discord.ext import commands

from bot.domain.work import Work
from bot.i18n import Voice, speaking
from bot.ui.voices import member_voice, server_voice

if TYPE_CHECKING:
    from bot.app import HearthBot

F = TypeVar("F", bound=Callable[..., Awaitable[None]])
_MARK = "__hearth_due_work__"


def due_work(payload: type[Work], *, concurrent: bool = False) -> Callable[[F], F]:
    """Mark a cog method `async def handler(self, work: Payload, item: DueItem)` as the handler of
    `payload`'s kind. `concurrent=True` only for rows that are independent (one DM to one member)."""

    def mark(method: F) -> F:
        setattr(method, _MARK, (payload, concurrent))
        return method

    return mark


class HearthCogBase(commands.Cog):
    """Registers its `@due_work` handlers when loaded and removes them when unloaded; `dynamic_items` are
    registered by the Bot before the gateway connects, so buttons on old messages work after a restart."""

    dynamic_items: ClassVar[tuple[type[discord.ui.DynamicItem[Any]], ...]] = ()

    def __init__(self, bot: HearthBot) -> None:
        self.bot = bot
        self.services = bot.services

    def _due_handlers(self) -> list[tuple[type[Work], bool, Callable[..., Awaitable[None]]]]:
        found = []
        for name in dir(type(self)):
            marked = getattr(getattr(type(self), name, None), _MARK, None)
            if marked is not None:
                payload, concurrent = marked
                found.append((payload, concurrent, getattr(self, name)))
        return found

    async def cog_load(self) -> None:
        for payload, concurrent, handler in self._due_handlers():
            self.bot.due_work.register_work(payload, self._in_voice(handler), concurrent=concurrent)

    def _in_voice(self, handler: Callable[[Any, Any], Awaitable[None]]) -> Callable[[Any, Any], Awaitable[None]]:
        """Due work speaks to whom it is for: a row with a `user_id` in that member's language, one for a server
        (only `guild_id`) in the server's. A handler that writes to several members picks each one's itself."""

        async def handle(work: Work, item: Any) -> None:
            with speaking(await self._voice_of(work)):
                await handler(work, item)

        return handle

    async def _voice_of(self, work: Work) -> Voice:
        user_id = getattr(work, "user_id", None)
        if isinstance(user_id, int):
            return await member_voice(self.bot, user_id)
        guild_id = getattr(work, "guild_id", None)
        return server_voice(self.bot, guild_id if isinstance(guild_id, int) else None)

    async def cog_unload(self) -> None:
        for payload, _concurrent, _handler in self._due_handlers():
            self.bot.due_work.unregister(payload.KIND)

"""Private panels whose state lives in memory, with buttons that still answer when that state is gone.

A `LiveView`'s components are DynamicItems whose custom_ids carry the owner's user id and the view's token.
discord.py builds a DynamicItem afresh from its custom_id on every click, so the item finds its panel again
with `find_live(interaction, token, Kind)`: while the panel lives (until it stops or times out, in this bot)
it gets the member's choices so far; after a restart or expiry it gets None and answers with a sentence.
One rule for every such panel: the item compares the clicker with the owner in the custom_id and refuses
anyone else (even a forged interaction), before it looks at anything.
"""

from __future__ import annotations

import secrets
import weakref
from typing import TypeVar

import discord

from bot.i18n import N_
from bot.ui.components import HearthView

V = TypeVar("V", bound="LiveView")

# Shown with `_(NOT_YOURS)` (translated where it is shown).
NOT_YOURS = N_("This panel belongs to the member who opened it, so it can't do anything for you. Run the command "
               "yourself to get your own.")

# Per bot: a new bot (a restart) starts with no live panels, as a real restart would.
_LIVE: weakref.WeakKeyDictionary[discord.Client, dict[str, LiveView]] = weakref.WeakKeyDictionary()


class LiveView(HearthView):
    """A member's panel, findable by its token while it lives."""

    def __init__(self, client: discord.Client, owner_id: int, *, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self.token = secrets.token_hex(4)
        self._client = weakref.ref(client)
        _LIVE.setdefault(client, {})[self.token] = self

    def forget(self) -> None:
        client = self._client()
        if client is not None:
            _LIVE.get(client, {}).pop(self.token, None)

    def stop(self) -> None:
        self.forget()
        super().stop()

    async def on_timeout(self) -> None:
        self.forget()


def find_live(interaction: discord.Interaction, token: str, kind: type[V], owner_id: int) -> V | None:
    """The live panel with this token, if it is of this kind, belongs to `owner_id` and is still open."""
    found = _LIVE.get(interaction.client, {}).get(token)
    if isinstance(found, kind) and found.owner_id == owner_id and not found.is_finished():
        return found
    return None


def is_owner(interaction: discord.Interaction, owner_id: int) -> bool:
    return interaction.user.id == owner_id

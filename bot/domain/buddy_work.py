"""Due-work payloads of buddy pairing: a round, its heads-up and follow-up, and the DMs they queue."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from bot.domain.buddy_rounds import round_key_at
from bot.domain.work import Work, key_part


@dataclass(frozen=True)
class RoundDue(Work):
    """A scheduled round of one server."""

    KIND: ClassVar[str] = "buddy.round"
    guild_id: int
    # Empty only in rows planned before payloads were typed: their row key is the round key.
    round_key: str = ""

    def key(self) -> str:
        # The round key, kept as is: it is also the stored round's identity (buddy_rounds.round_key,
        # buddy_config.next_round_key), and members' "Skip this round" buttons name it.
        return self.round_key


@dataclass(frozen=True)
class HeadsUpDue(Work):
    """A day before a round: tell the pool it is coming, with a button to sit it out."""

    KIND: ClassVar[str] = "buddy.headsup"
    guild_id: int
    round_key: str

    def key(self) -> str:
        # Format kept from before typed payloads: changing the settings cancels the planned heads-up by this
        # key and plans it again, which would leave a second heads-up row in existing databases otherwise.
        return f"{self.round_key}:headsup"


@dataclass(frozen=True)
class FollowUpDue(Work):
    """Halfway through a round: "did you meet?", buddy meetup suggestions and pause offers."""

    KIND: ClassVar[str] = "buddy.followup"
    round_id: int = key_part()
    # The server, so that the process running its shard does it (it posts in the round's threads).
    guild_id: int | None = None


@dataclass(frozen=True)
class BuddyDm(Work):
    """One DM to one member about buddy pairing, sent by the fan-out at the global pace, with its buttons.

    `text` is the English message (translated into the member's language when it is sent, its `{name}`
    placeholders filled from `params`), or a text already written for them (an intro by DM)."""

    KIND: ClassVar[str] = "buddy.dm"
    occasion: str = key_part()  # what it is about, e.g. `met:12`: each member gets one per occasion
    user_id: int = key_part()
    text: str = ""
    params: dict[str, str] | None = None
    in_person: bool | None = None  # an intro by DM of a group that might meet in person ("check on me after")
    met_group_id: int | None = None  # "did you meet?" buttons for this group
    pause_guild_id: int | None = None  # "pause 2/4/8 weeks" buttons for this server's pool
    skip_guild_id: int | None = None  # "skip this round" for this server's round…
    skip_round_key: str | None = None  # …this one

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> Self:
        # Rows queued before payloads were typed kept their buttons as a dict under "view", and their occasion
        # only in their key (never needed once the row exists).
        values = {"occasion": "", **data}
        view = values.pop("view", None)
        if isinstance(view, Mapping):
            if "met" in view:
                values["met_group_id"] = view["met"]
            elif "pause" in view:
                values["pause_guild_id"] = view["pause"]
            elif "skip" in view:
                guild_id, start = view["skip"]
                values.update(skip_guild_id=guild_id, skip_round_key=round_key_at(int(guild_id), str(start)))
        return super().decode(values)

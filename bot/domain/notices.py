"""One-off DMs that must arrive (a cancelled meetup, a waitlist place): the due-work payload that carries one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from bot.domain.work import Work, key_part


@dataclass(frozen=True, kw_only=True)
class DmNotice(Work):
    """One message to one member for one occasion (`event-cancelled:42`): each member gets it at most once.

    The key is `dm.notice:<occasion>:<user id>`, the format rows had before typed payloads. `occasion` is
    empty in those older rows, which only need `user_id` and `text` to be sent. A DM with buttons has a
    payload of its own (buddy DMs: bot/domain/buddy_work.py).
    """

    KIND: ClassVar[str] = "dm.notice"
    occasion: str = key_part(default="")
    user_id: int = key_part()
    text: str

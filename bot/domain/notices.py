"""One-off DMs that must arrive (a cancelled meetup, a waitlist place): the due-work payload that carries one."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar, cast

from bot.domain.work import Work, key_part


@dataclass(frozen=True, kw_only=True)
class DmNotice(Work):
    """One message to one member for one occasion (`event-cancelled:42`): each member gets it at most once.

    The key is `dm.notice:<occasion>:<user id>`, the format rows had before typed payloads. `occasion` is
    empty in those older rows, which only need `user_id` and `text` to be sent. `view` is plain data for a
    feature whose DMs carry buttons; such a feature queues under its own kind (see `of_kind`).
    """

    KIND: ClassVar[str] = "dm.notice"
    occasion: str = key_part(default="")
    user_id: int = key_part()
    text: str
    view: dict[str, Any] | None = None

    @staticmethod
    def of_kind(kind: str) -> type[DmNotice]:
        """The notice payload for another feature's kind: same fields and key style, its own handler."""
        return DmNotice if kind == DmNotice.KIND else _kind(kind)


@cache
def _kind(kind: str) -> type[DmNotice]:
    return cast(type[DmNotice], type(f"DmNotice[{kind}]", (DmNotice,), {"KIND": kind}))

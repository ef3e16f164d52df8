"""One-off DMs that must arrive (a cancelled meetup, a waitlist place): the due-work payload that carries one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from bot.domain.work import Work, key_part
from bot.i18n import _


@dataclass(frozen=True)
class NoticeText:
    """A notice's words, kept so each member reads them in their own language: the English message (marked with
    `N_` where it is written) and its placeholders' values. Made with `notice_text`."""

    message: str
    params: tuple[tuple[str, str], ...] = ()

    def render(self) -> str:
        """In the voice that is speaking now."""
        return _(self.message, **dict(self.params))


def notice_text(message: str, /, **params: object) -> NoticeText:
    """`notice_text(N_("**{title}** has been cancelled."), title=plain(event.title))`: rendered for each member,
    in their language, when their DM is sent (values are inserted as given, like `_`'s)."""
    return NoticeText(message, tuple((name, str(value)) for name, value in params.items()))


@dataclass(frozen=True, kw_only=True)
class DmNotice(Work):
    """One message to one member for one occasion (`event-cancelled:42`): each member gets it at most once.

    The key is `dm.notice:<occasion>:<user id>`, the format rows had before typed payloads. `occasion` is
    empty in those older rows, which only need `user_id` and `text` to be sent. A DM with buttons has a
    payload of its own (buddy DMs: bot/domain/buddy_work.py).

    `message` and `params` (a `NoticeText`; empty in older rows and for a text queued ready-made) are rendered in
    the member's language when it is sent; `text` is the same rendered when it was queued, sent when there is no
    `message`.
    """

    KIND: ClassVar[str] = "dm.notice"
    occasion: str = key_part(default="")
    user_id: int = key_part()
    text: str
    message: str = ""
    params: tuple[tuple[str, str], ...] = ()

    def rendered(self) -> str:
        """What the member reads, in the voice speaking now (theirs, in the due-work handler)."""
        return NoticeText(self.message, self.params).render() if self.message else self.text

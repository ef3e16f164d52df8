"""The privacy notice a member agrees to before Hearth stores anything about how they feel.

Bump `NOTICE_VERSION` whenever the notice's meaning changes: everyone who agreed to an older version is
asked again, before their next check-in, buddy sign-up or nudge opt-in is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.errors import HearthError
from bot.i18n import N_, S_, SN_, _

NOTICE_VERSION = 1

# The notice's last line (a safety text). No translators' comment here: the extractor would hand it on to the
# next message of the other catalog.
NOTICE_SAFETY = SN_(
    "**Please know:** Hearth is not a crisis or medical service. If you are in danger, call your local "
    "emergency number or a helpline now."
)
# i18n: the privacy notice's title (at most 256 characters)
NOTICE_TITLE = N_("Before Hearth keeps anything about you")
# i18n: the privacy notice a member agrees to; keep the commands (`/privacy export`…) as they are
NOTICE = N_(
    "**What is kept:** what you choose to record (check-in moods and notes, your buddy profile, meetup "
    "answers, which reminders and nudges you want) and your settings. Hearth also remembers your language: "
    "the one your Discord app uses, or the one you chose with `/settings language`.\n"
    "**Who sees it:** only you. Organisers see totals for groups of five or more members, never a person.\n"
    "**How long:** check-in notes for a year at most (your server may choose less); the rest until you "
    "delete it. If you leave a server, what Hearth holds for it is removed after a grace period.\n"
    "**Your control:** `/privacy export` sends you everything; `/privacy delete` erases it."
)


def notice_text() -> str:
    """The whole notice in the reader's language (its safety line only once that is reviewed, else English)."""
    return f"{_(NOTICE)}\n{S_(NOTICE_SAFETY)}"


@dataclass(frozen=True)
class Consent:
    """What a member agreed to, and when."""

    version: int | None
    agreed_at: datetime | None = None

    @property
    def current(self) -> bool:
        return self.version is not None and self.version >= NOTICE_VERSION


class ConsentRequired(HearthError):
    """Raised by a use case that would store a member's data before they agreed to the current notice.

    Cogs show the notice with an "I agree" button and carry the member's request on once they agree; the
    message here is only what anything else (a path that cannot show the notice) says.
    """

    def __init__(self, user_id: int) -> None:
        # i18n: “I agree” is the name of the privacy notice's button
        super().__init__(_("Before Hearth keeps anything about you, please read the privacy notice: "
                           "run `/privacy notice` and press “I agree”."))
        self.user_id = user_id

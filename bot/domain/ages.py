"""A server's minimum age: members state themselves that they are old enough (Hearth checks no IDs).

When a server sets `min_age`, joining the buddy pool and saying Going (or joining the waitlist) for an
in-person meetup need the member's own statement "I am N or older" for at least the current N.
"""

from __future__ import annotations

from bot.domain.errors import HearthError
from bot.i18n import _, number

MIN_AGE_RANGE = (13, 99)


def age_confirmed(required: int | None, stated: int | None) -> bool:
    """True when the server asks for no age, or the member stated at least the age it asks for now."""
    return required is None or (stated is not None and stated >= required)


class AgeRequired(HearthError):
    """Raised by a use case a server limits to members of `min_age` or older, before the member said so.

    Cogs ask with an "I'm N or older" button and carry the request on; the message is what anything else says.
    """

    def __init__(self, guild_id: int, user_id: int, min_age: int) -> None:
        # i18n: when a member tries to join buddies or a meetup on a server with a minimum age they haven't confirmed
        super().__init__(_("This server asks members to be {age} or older for this. Please confirm you are "
                           "with the button Hearth shows, then try again.", age=number(min_age)))
        self.guild_id = guild_id
        self.user_id = user_id
        self.min_age = min_age

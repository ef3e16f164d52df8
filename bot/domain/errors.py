"""Expected errors. Each carries the sentence a member sees; the command tree's handler shows it."""

from __future__ import annotations

from bot.i18n import _


class HearthError(Exception):
    """An expected failure with a message meant for the person who caused it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(HearthError):
    """The member typed something we cannot use; the message says what would work."""


class UnknownTimeZone(InvalidInput):
    def __init__(self, text: str, suggestions: list[str]) -> None:
        if suggestions:
            # i18n: {zone} is what the member typed; {suggestions} are time zone names such as `Europe/London`
            message = _("I don't know the time zone “{zone}”. Did you mean {suggestions}? Start typing a city, "
                        "such as London or New York, and pick one from the list.",
                        zone=text, suggestions=", ".join(f"`{s}`" for s in suggestions))
        else:
            # i18n: {zone} is what the member typed
            message = _("I don't know the time zone “{zone}”. Start typing a city, such as London or New York, "
                        "and pick one from the list.", zone=text)
        super().__init__(message)
        self.text = text
        self.suggestions = suggestions


class NotConfigured(HearthError):
    """The server has not set up something this command needs."""

"""Expected errors. Each carries the sentence a member sees; the command tree's handler shows it."""

from __future__ import annotations


class HearthError(Exception):
    """An expected failure with a message meant for the person who caused it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(HearthError):
    """The member typed something we cannot use; the message says what would work."""


class UnknownTimeZone(InvalidInput):
    def __init__(self, text: str, suggestions: list[str]) -> None:
        hint = f" Did you mean {', '.join(f'`{s}`' for s in suggestions)}?" if suggestions else ""
        super().__init__(
            f"I don't know the time zone “{text}”.{hint} "
            "Start typing a city, such as London or New York, and pick one from the list."
        )
        self.text = text
        self.suggestions = suggestions


class NotConfigured(HearthError):
    """The server has not set up something this command needs."""

"""Every word a member reads, in their language.

Code writes English and marks it: `_("Saved.")`, `_("Hi {name}", name=...)`, `n_("{count} day", "{count} days",
n)`, `p_("button", "Going")`; constants defined before anyone is listening are marked with `N_` and translated
where they are shown (`_(MOOD_LABEL)`). Crisis and safety texts use `S_` / `Sn_` / `SN_`: they come from the
`safety` catalog, and only once a native speaker has reviewed it; otherwise they stay English.

Which language: the reader's `Voice`, set around each interaction and each piece of due work (`speaking`). Outside
any, Hearth speaks English. `python -m bot.i18n` extracts the messages and updates the catalogs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime

from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal, format_percent

from bot.i18n._catalogs import ENGLISH_VOICE, Catalogs, Messages, Voice
from bot.i18n.languages import ENGLISH, GERMAN, LANGUAGES, SPANISH, Language, choose_language

__all__ = [
    "ENGLISH", "ENGLISH_VOICE", "GERMAN", "LANGUAGES", "N_", "SN_", "SPANISH", "S_", "Catalogs", "Language",
    "Messages", "Sn_", "Voice", "_", "choose_language", "command_path", "current_voice", "date_text",
    "day_and_month", "n_", "number", "p_", "percent", "speaking", "voice_for", "weekday_name",
]

# Which voice this task speaks in. Per task, like the log context: set by whoever starts the handling (a command,
# a click, a due-work row), inherited by what it awaits, never shared between two members' handlings.
_VOICE: ContextVar[Voice] = ContextVar("hearth_voice", default=ENGLISH_VOICE)


def current_voice() -> Voice:
    return _VOICE.get()


@contextmanager
def speaking(voice: Voice) -> Iterator[Voice]:
    """Everything rendered inside is in `voice`'s language (nested: the innermost wins, then back)."""
    token = _VOICE.set(voice)
    try:
        yield voice
    finally:
        _VOICE.reset(token)


def _format(text: str, params: dict[str, object]) -> str:
    return text.format(**params) if params else text


def _lookup(messages: Messages | None, context: str | None, message: str) -> str:
    if messages is None:
        return message
    return messages.text(context, message) or message


def _lookup_plural(messages: Messages | None, context: str | None, singular: str, plural: str, n: int) -> str:
    found = messages.plural_text(context, singular, n) if messages is not None else None
    return found if found is not None else (singular if n == 1 else plural)


def _(message: str, /, **params: object) -> str:
    """`message` in the reader's language; `{name}` placeholders filled from `params` (values shown as given)."""
    return _format(_lookup(_VOICE.get().messages, None, message), params)


def p_(context: str, message: str, /, **params: object) -> str:
    """As `_`, for a short text whose meaning needs a hint for translators ("button", "mood", "day part")."""
    return _format(_lookup(_VOICE.get().messages, context, message), params)


def n_(singular: str, plural: str, n: int, /, **params: object) -> str:
    """The plural form for `n` in the reader's language; `{count}` is `n` written for their locale."""
    params.setdefault("count", number(n))
    return _format(_lookup_plural(_VOICE.get().messages, None, singular, plural, n), params)


def N_(message: str) -> str:
    """Marks a constant for the catalogs without translating it yet: show it with `_(constant)`."""
    return message


def S_(message: str, /, **params: object) -> str:
    """A crisis or safety text: the reader's language only from a reviewed safety catalog, else English."""
    return _format(_lookup(_VOICE.get().safety, None, message), params)


def Sn_(singular: str, plural: str, n: int, /, **params: object) -> str:
    params.setdefault("count", number(n))
    return _format(_lookup_plural(_VOICE.get().safety, None, singular, plural, n), params)


def SN_(message: str) -> str:
    """Marks a safety constant; show it with `S_(constant)`."""
    return message


# Numbers and dates for the reader's locale. Times of day and moments are Discord timestamps: each reader's
# client shows those in their own language and zone already.
def number(value: int | float) -> str:
    return format_decimal(value, locale=_VOICE.get().locale)


def percent(fraction: float) -> str:
    return format_percent(fraction, locale=_VOICE.get().locale)


def date_text(day: date | datetime, style: str = "long") -> str:
    """"24 December 2026" / "24. Dezember 2026" / "24 de diciembre de 2026" ("full" adds the weekday)."""
    return format_date(day, format=style, locale=_VOICE.get().locale)


def day_and_month(day: date | datetime, *, weekday: bool = True, short: bool = True) -> str:
    """"Sat 5 Dec" / "Sa., 5. Dez." — a day in the coming weeks, without the year."""
    skeleton = ("EEE" if short else "EEEE") * weekday + ("MMMd" if short else "MMMMd")
    return format_skeleton(skeleton, day, locale=_VOICE.get().locale)


def weekday_name(day: date | datetime, *, short: bool = False) -> str:
    return format_date(day, format="EEE" if short else "EEEE", locale=_VOICE.get().locale)


def command_path(path: str) -> str:
    """A slash command as the reader's Discord app lists it: "/mood reminders" is "/stimmung erinnerungen" in
    German (each name as the Translator registers it, from the same catalog)."""
    messages = _VOICE.get().messages
    if messages is None or not path.startswith("/"):
        return path
    return "/" + " ".join(messages.text("command name", name) or name for name in path[1:].split(" "))


def voice_for(catalogs: Catalogs, *, chosen: str | None = None, locale: str | None = None) -> Voice:
    """The voice for a reader who chose `chosen` (a language code) or whose Discord speaks `locale`."""
    return catalogs.voice(choose_language(chosen=chosen, locale=locale), locale)

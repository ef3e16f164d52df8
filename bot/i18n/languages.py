"""The languages Hearth speaks, and which one a Discord locale, a member's choice or a server's setting means."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Language:
    code: str  # the catalog's directory under bot/locales, and what /settings language stores
    name: str  # in the language itself, as the member choosing it reads it
    english_name: str
    discord_locales: tuple[str, ...]  # Discord's locale codes this language answers (its client language)

    def babel_locale(self, discord_locale: str | None = None) -> str:
        """Babel's locale for numbers and dates: the member's own variant (es-419, en-GB) when it is this
        language's, else the language's main one."""
        if discord_locale and discord_locale in self.discord_locales:
            return discord_locale.replace("-", "_")
        return self.discord_locales[0].replace("-", "_")


ENGLISH = Language("en", "English", "English", ("en-US", "en-GB"))
GERMAN = Language("de", "Deutsch", "German", ("de",))
SPANISH = Language("es", "Español", "Spanish", ("es-ES", "es-419"))

# English first: it is the source language, every msgid is English, and it is the fallback for anything else.
LANGUAGES: tuple[Language, ...] = (ENGLISH, GERMAN, SPANISH)
_BY_CODE = {language.code: language for language in LANGUAGES}
_BY_DISCORD_LOCALE = {locale: language for language in LANGUAGES for locale in language.discord_locales}


def language_of_code(code: str | None) -> Language | None:
    return _BY_CODE.get(code) if code else None


def language_of_locale(discord_locale: str | None) -> Language | None:
    """The shipped language of a Discord locale ("es-419" is Spanish), or None for one Hearth doesn't speak."""
    if not discord_locale:
        return None
    return _BY_DISCORD_LOCALE.get(discord_locale) or _BY_CODE.get(discord_locale.split("-")[0].lower())


def choose_language(*, chosen: str | None = None, locale: str | None = None) -> Language:
    """A member's explicit choice first, then their Discord locale, then English."""
    return language_of_code(chosen) or language_of_locale(locale) or ENGLISH

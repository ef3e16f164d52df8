"""Message catalogs: gettext `.po` files under bot/locales, read with Babel once per process.

Two domains per language: `hearth` (everything a member reads) and `safety` (crisis and safety texts). A catalog's
header comment records its native-speaker review; safety texts are used only from a reviewed safety catalog.
"""

from __future__ import annotations

import functools
import gettext
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.i18n.languages import ENGLISH, LANGUAGES, Language

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAINS = ("hearth", "safety")
# In a catalog's header comment: "Native-speaker review: Ana Ruiz, 2026-12-20", or "Native-speaker review: none".
_REVIEW = re.compile(r"^#?\s*Native-speaker review:\s*(?P<review>.+?)\s*$", re.MULTILINE)

Key = tuple[str | None, str]  # (msgctxt, msgid)


def catalog_path(language: Language, domain: str, directory: Path = LOCALES_DIR) -> Path:
    return directory / language.code / "LC_MESSAGES" / f"{domain}.po"


def template_path(domain: str, directory: Path = LOCALES_DIR) -> Path:
    return directory / f"{domain}.pot"


@dataclass(frozen=True, slots=True)
class Messages:
    """One domain's translations in one language: what a lookup needs, nothing of the file."""

    language: Language
    domain: str
    singular: dict[Key, str]
    plural: dict[Key, tuple[str, ...]]
    plural_index: Callable[[int], int]
    review: str | None  # who reviewed it and when, as recorded; None: not reviewed by a native speaker

    @property
    def reviewed(self) -> bool:
        return self.review is not None

    def text(self, context: str | None, message: str) -> str | None:
        return self.singular.get((context, message))

    def plural_text(self, context: str | None, singular: str, n: int) -> str | None:
        forms = self.plural.get((context, singular))
        if not forms:
            return None
        index = self.plural_index(n)
        return forms[index] if 0 <= index < len(forms) and forms[index] else None


def review_of(catalog: Catalog) -> str | None:
    match = _REVIEW.search(catalog.header_comment or "")
    if match is None or match["review"].lower() in {"none", "no", "pending", "not yet"}:
        return None
    return match["review"]


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, abort_invalid=True)


def messages_of(catalog: Catalog, language: Language, domain: str) -> Messages:
    singular: dict[Key, str] = {}
    plural: dict[Key, tuple[str, ...]] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple | list):
            forms = tuple(message.string) if isinstance(message.string, tuple | list) else ()
            if forms and all(forms):
                plural[(message.context, message.id[0])] = forms
        elif isinstance(message.string, str) and message.string:
            singular[(message.context, message.id)] = message.string
    return Messages(language, domain, singular, plural, gettext.c2py(catalog.plural_expr), review_of(catalog))


@functools.lru_cache(maxsize=32)
def _load(path: Path, modified: float, language: Language, domain: str) -> Messages:
    # Keyed by the file's modification time: a test or a translator editing a catalog is read afresh.
    return messages_of(read_catalog(path), language, domain)


@dataclass(frozen=True, slots=True)
class Voice:
    """How Hearth speaks to one reader: their language, their locale's numbers and dates, and its catalogs."""

    language: Language
    locale: Locale
    messages: Messages | None  # None for English, the source language
    safety: Messages | None  # None unless this language's safety catalog is reviewed

    @property
    def code(self) -> str:
        return self.language.code


class Catalogs:
    """Every shipped language's catalogs; the Bot loads them once and passes them on."""

    def __init__(self, messages: dict[tuple[str, str], Messages]) -> None:
        self._messages = messages
        self._voices: dict[tuple[str, str | None], Voice] = {}

    @classmethod
    def load(cls, directory: Path = LOCALES_DIR) -> Catalogs:
        messages: dict[tuple[str, str], Messages] = {}
        for language in LANGUAGES:
            if language is ENGLISH:
                continue
            for domain in DOMAINS:
                path = catalog_path(language, domain, directory)
                if path.exists():
                    messages[(language.code, domain)] = _load(path, path.stat().st_mtime, language, domain)
        return cls(messages)

    def messages(self, language: Language, domain: str) -> Messages | None:
        return self._messages.get((language.code, domain))

    def __iter__(self) -> Iterator[Messages]:
        return iter(self._messages.values())

    def voice(self, language: Language, discord_locale: str | None = None) -> Voice:
        key = (language.code, discord_locale if discord_locale in language.discord_locales else None)
        voice = self._voices.get(key)
        if voice is None:
            safety = self.messages(language, "safety")
            voice = Voice(language, Locale.parse(language.babel_locale(key[1])), self.messages(language, "hearth"),
                          safety if safety is not None and safety.reviewed else None)
            self._voices[key] = voice
        return voice


ENGLISH_VOICE = Voice(ENGLISH, Locale.parse("en_US"), None, None)

"""Which language Hearth speaks, and how: the member's choice, their Discord locale, English otherwise; plural
forms and numbers by the language's rules; safety texts only from a reviewed catalog."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.i18n import (
    ENGLISH,
    GERMAN,
    S_,
    SPANISH,
    Catalogs,
    _,
    choose_language,
    current_voice,
    date_text,
    n_,
    number,
    speaking,
    voice_for,
)
from bot.i18n._catalogs import catalog_path

PO = '''# Test catalog.
# Native-speaker review: {review}
msgid ""
msgstr ""
"Language: de\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgid "Call {number} now."
msgstr "Ruf jetzt {number} an."

msgid "Hello {name}"
msgstr "Hallo {name}"

msgid "{count} day"
msgid_plural "{count} days"
msgstr[0] "{count} Tag"
msgstr[1] "{count} Tage"

#, fuzzy
msgid "Old text"
msgstr "Veraltet"
'''


def _catalogs(tmp_path: Path, *, safety_review: str) -> Catalogs:
    for domain, review in (("hearth", "none"), ("safety", safety_review)):
        path = catalog_path(GERMAN, domain, tmp_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(PO.replace("{review}", review), encoding="utf-8")
    return Catalogs.load(tmp_path)


@pytest.mark.parametrize(("chosen", "locale", "expected"), [
    (None, None, ENGLISH), (None, "de", GERMAN), (None, "es-419", SPANISH), (None, "es-ES", SPANISH),
    (None, "fr", ENGLISH), (None, "en-GB", ENGLISH), ("es", "de", SPANISH), ("en", "de", ENGLISH),
    ("xx", "de", GERMAN),
])
def test_the_choice_wins_then_the_discord_locale_then_english(chosen: str | None, locale: str | None,
                                                              expected: object) -> None:
    assert choose_language(chosen=chosen, locale=locale) is expected


def test_outside_any_voice_hearth_speaks_english() -> None:
    assert current_voice().language is ENGLISH
    assert _("Hello {name}", name="Ana") == "Hello Ana"
    assert n_("{count} day", "{count} days", 1) == "1 day"
    assert n_("{count} day", "{count} days", 1234) == "1,234 days"


def test_a_voice_translates_with_plural_forms_and_local_numbers(tmp_path: Path) -> None:
    catalogs = _catalogs(tmp_path, safety_review="none")
    with speaking(voice_for(catalogs, locale="de")):
        assert _("Hello {name}", name="Ana") == "Hallo Ana"
        assert n_("{count} day", "{count} days", 1) == "1 Tag"
        assert n_("{count} day", "{count} days", 1234) == "1.234 Tage"
        assert number(2.5) == "2,5"
        assert date_text(date(2026, 12, 24)) == "24. Dezember 2026"
        assert _("Old text") == "Old text", "a fuzzy translation is not used"
        assert _("Not in the catalog") == "Not in the catalog"
    assert _("Hello {name}", name="Ana") == "Hello Ana", "the voice ends with the block"


def test_safety_texts_stay_english_until_a_native_speaker_reviewed_them(tmp_path: Path) -> None:
    with speaking(voice_for(_catalogs(tmp_path, safety_review="none"), locale="de")):
        assert S_("Call {number} now.", number="112") == "Call 112 now."
    reviewed = _catalogs(tmp_path / "reviewed", safety_review="Jana Beispiel, 2026-12-20")
    with speaking(voice_for(reviewed, locale="de")):
        assert S_("Call {number} now.", number="112") == "Ruf jetzt 112 an."


def test_the_shipped_catalogs_load() -> None:
    catalogs = Catalogs.load()
    for language in (GERMAN, SPANISH):
        messages = catalogs.messages(language, "hearth")
        assert messages is not None and len(messages.singular) > 500
        assert catalogs.voice(language).safety is None, "the shipped safety catalogs are not reviewed yet"

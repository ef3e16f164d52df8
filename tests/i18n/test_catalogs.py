"""The catalogs against the code: every language has every message, with the same placeholders, plural forms that
parse and fit the language, a recorded review, and texts that fit where Discord shows them.

The messages are extracted afresh from the code and the registered slash commands (`python -m bot.i18n` does the
same), so adding a message without translating it fails here, listing what is missing.
"""

from __future__ import annotations

import asyncio
import gettext
import textwrap
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from bot.i18n import LANGUAGES, Catalogs, command_path, speaking
from bot.i18n._catalogs import DOMAINS, catalog_path, read_catalog, review_of
from bot.i18n.languages import ENGLISH, GERMAN
from bot.i18n.tools import (
    catalog_problems,
    extract_code,
    fields,
    localise_mentions,
    localised_command_names,
    marked_calls_problems,
    mention_problems,
    problems,
    templates,
)

ENGLISH_PATHS = {"/mood reminders", "/settings show", "/event-admin create", "/hearth buddies settings", "/checkin",
                 "/event list", "/buddy status", "/nudges show", "/hearth setup", "/settings quiet-hours"}
TRANSLATED = [language for language in LANGUAGES if language is not ENGLISH]
# Discord's limits for the texts marked with these contexts (p_("button", …)).
LIMITS = {"button": 80, "modal title": 45, "text input label": 45, "select option": 100, "placeholder": 100}


@pytest.fixture(scope="module")
def found() -> dict[str, Catalog]:
    return asyncio.run(templates())


def test_there_is_something_to_translate(found: dict[str, Catalog]) -> None:
    assert len(found["hearth"]) > 500
    assert len(found["safety"]) > 10
    contexts = {message.context for message in found["hearth"]}
    assert {"command name", "command description", "option description", "button"} <= contexts


def test_every_catalog_has_every_message_with_its_placeholders(found: dict[str, Catalog]) -> None:
    wrong = [str(problem) for problem in problems(found)]
    assert not wrong, f"{len(wrong)} problems (run `python -m bot.i18n update`, translate, check):\n" + "\n".join(
        wrong[:200])


def test_marked_texts_are_literals_the_extractor_can_read() -> None:
    assert marked_calls_problems() == []


@pytest.mark.parametrize("language", TRANSLATED, ids=lambda language: language.code)
@pytest.mark.parametrize("domain", DOMAINS)
def test_plural_forms_parse_and_fit_the_language(language: object, domain: str) -> None:
    catalog = read_catalog(catalog_path(language, domain))  # type: ignore[arg-type]
    plural = gettext.c2py(catalog.plural_expr)
    indices = {plural(n) for n in range(0, 2_000_001, 997)} | {plural(n) for n in (0, 1, 2, 5, 21, 1_000_000)}
    assert indices == set(range(catalog.num_plurals)), catalog.plural_forms
    for message in catalog:
        if isinstance(message.id, tuple) and message.string:
            assert len(message.string) == catalog.num_plurals, message.id


@pytest.mark.parametrize("language", TRANSLATED, ids=lambda language: language.code)
@pytest.mark.parametrize("domain", DOMAINS)
def test_each_catalog_records_its_native_speaker_review(language: object, domain: str) -> None:
    catalog = read_catalog(catalog_path(language, domain))  # type: ignore[arg-type]
    assert "Native-speaker review:" in (catalog.header_comment or "")
    # None of them has had one yet: the record must say so, and then the safety texts stay English.
    assert review_of(catalog) is None


@pytest.mark.parametrize("language", TRANSLATED, ids=lambda language: language.code)
def test_component_texts_fit_discords_limits(language: object) -> None:
    too_long = []
    for domain in DOMAINS:
        for message in read_catalog(catalog_path(language, domain)):  # type: ignore[arg-type]
            limit = LIMITS.get(message.context or "")
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            too_long += [f"{message.context}: {form!r} ({len(form)} > {limit})"
                         for form in forms if limit is not None and form and len(form) > limit]
    assert too_long == []


def test_translations_name_slash_commands_as_that_language_does() -> None:
    """A German app lists `/stimmung erinnerungen`: a German text that says `/mood reminders` points nowhere."""
    names = asyncio.run(localised_command_names())
    assert names[GERMAN]["/mood reminders"][""] != "/mood reminders", "the commands have German names"
    wrong = [f"{language.code}/{domain}: {problem}" for language, paths in names.items() for domain in DOMAINS
             for problem in mention_problems(read_catalog(catalog_path(language, domain)), paths)]
    assert wrong == [], "run `python -m bot.i18n mentions`:\n" + "\n".join(wrong[:50])


def test_command_path_names_a_command_as_the_readers_app_lists_it() -> None:
    """Texts that name a command through a placeholder (`command_path`) agree with the registered names."""
    catalogs = Catalogs.load()
    for language, paths in asyncio.run(localised_command_names()).items():
        with speaking(catalogs.voice(language)):
            wrong = {english: command_path(english) for english, names in paths.items()
                     if english in ENGLISH_PATHS and command_path(english) != names[""]}
        assert wrong == {}, language.code
    with speaking(catalogs.voice(GERMAN)):
        assert command_path("/mood reminders") != "/mood reminders"
    assert command_path("/mood reminders") == "/mood reminders"


def test_command_mentions_are_rewritten_with_their_options() -> None:
    names = {"/mood reminders": {"": "/stimmung erinnerungen", "pause_until": "pause_bis", "time": "uhrzeit"},
             "/mood": {"": "/stimmung"}}
    assert localise_mentions("nutze `/mood reminders pause_until:off time:09:00` oder /mood, https://x.org/mood",
                             names) == ("nutze `/stimmung erinnerungen pause_bis:off uhrzeit:09:00` oder /stimmung, "
                                        "https://x.org/mood")


# The checks themselves must be able to fail ---------------------------------------------------------------------
def _source_tree(tmp_path: Path, code: str) -> Path:
    (tmp_path / "bot").mkdir()
    (tmp_path / "cogs").mkdir()
    (tmp_path / "bot" / "new_feature.py").write_text(textwrap.dedent(code), encoding="utf-8")
    return tmp_path


def test_a_new_message_without_translations_is_listed(tmp_path: Path) -> None:
    root = _source_tree(tmp_path, '''
        from bot.i18n import _, n_
        def render(n):
            return _("A brand-new sentence, {name}.", name="x") + n_("{count} new thing", "{count} new things", n)
    ''')
    template = extract_code("hearth", root)
    catalog = read_catalog(catalog_path(GERMAN, "hearth"))
    missing = [problem.message for problem in catalog_problems(template, catalog, GERMAN, "hearth")
               if problem.what == "not translated"]
    assert missing == ["A brand-new sentence, {name}.", "{count} new thing"]


def test_wrong_placeholders_and_plural_forms_are_listed() -> None:
    template = Catalog(locale="de")
    template.add("Hello {name}")
    template.add(("{count} day", "{count} days"))
    catalog = Catalog(locale="de")
    catalog.add("Hello {name}", "Hallo {nmae}")
    catalog.add(("{count} day", "{count} days"), ("ein Tag",))
    found = [problem.what for problem in catalog_problems(template, catalog, GERMAN, "hearth")]
    assert "placeholders ['nmae'] differ from the English ['name']" in found
    assert "has 1 plural forms, the language has 2" in found


def test_an_f_string_in_a_marked_call_is_refused(tmp_path: Path) -> None:
    root = _source_tree(tmp_path, '''
        from bot.i18n import _
        def render(name):
            return _(f"Hello {name}")
    ''')
    assert [line.split(": ", 1)[1] for line in marked_calls_problems(root)] == [
        "_() needs the English as a string literal"]


def test_fields_reads_placeholders() -> None:
    assert fields("At {time} with {name}, {{literal}}") == {"time", "name"}
    assert fields("no placeholders") == set()

"""/settings language: a member picks the language Hearth speaks with them, or lets it follow their Discord app.

The answer already speaks the new language, and /settings show says which language it is and why. The bot here
reads a small German catalog made for the test, so what is asserted doesn't depend on the shipped wording.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.config import Settings
from bot.demo.sim import simulated_bot
from bot.i18n import GERMAN, Catalogs, Messages
from bot.store import Store
from tests.behaviour.locales import ClientLocales, discord_locales
from tests.behaviour.world import Server, build_server, embed_text, expected_errors

GERMAN_TEXTS = {
    "Done: Hearth now speaks {language} with you, in replies and in DMs.":
        "Erledigt: Hearth spricht jetzt {language} mit dir, in Antworten und in DMs.",
    "Done: Hearth follows your Discord language ({language}), in replies and in DMs.":
        "Erledigt: Hearth folgt deiner Discord-Sprache ({language}), in Antworten und in DMs.",
    "{language} (chosen)": "{language} (gewählt)",
    "{language} (your Discord language)": "{language} (deine Discord-Sprache)",
    "Direct messages are **off**. Hearth won't DM you; everything else still works.":
        "Direktnachrichten sind **aus**. Hearth schreibt dir keine DMs; alles andere funktioniert weiter.",
}


def _catalogs() -> Catalogs:
    german = Messages(GERMAN, "hearth", {(None, english): text for english, text in GERMAN_TEXTS.items()}, {},
                      lambda n: int(n != 1), None)
    return Catalogs({("de", "hearth"): german})


@pytest.fixture
def simcord_bot(store: Store, settings: Settings) -> Any:
    bot = simulated_bot(store, settings)
    bot.catalogs = _catalogs()
    return bot


@pytest.fixture
def server(simcord_env: Any) -> Server:
    return build_server(simcord_env)


@pytest.fixture
def locales(monkeypatch: pytest.MonkeyPatch) -> ClientLocales:
    """The language members' Discord apps are set to (SimCord sends en-US unless told otherwise)."""
    return discord_locales(monkeypatch)


async def test_choosing_deutsch_answers_in_german_and_is_remembered(server: Server, store: Store) -> None:
    result = await server.alice.slash(server.general, "settings language", language="de")

    assert result.ephemeral
    assert "Erledigt: Hearth spricht jetzt Deutsch mit dir, in Antworten und in DMs." in embed_text(result)
    assert (await store.members.get(server.alice.id)).language == "de"
    assert "Deutsch (gewählt)" in embed_text(result)


async def test_after_choosing_deutsch_other_answers_are_german_too(server: Server) -> None:
    await server.alice.slash(server.general, "settings language", language="de")

    result = await server.alice.slash(server.general, "settings dms", enabled="off")

    assert "Direktnachrichten sind **aus**." in embed_text(result)
    shown = await server.alice.slash(server.general, "settings show")
    assert "Deutsch (gewählt)" in embed_text(shown)


async def test_automatic_follows_the_discord_app(server: Server, store: Store, locales: ClientLocales) -> None:
    locales.set(server.alice, "de")
    await server.alice.slash(server.general, "settings language", language="es")

    result = await server.alice.slash(server.general, "settings language", language="auto")

    text = embed_text(result)
    assert "Erledigt: Hearth folgt deiner Discord-Sprache (Deutsch), in Antworten und in DMs." in text
    assert "Deutsch (deine Discord-Sprache)" in text
    await server.env.bot.services.languages.flush()  # as the scheduler does every few seconds
    saved = await store.members.get(server.alice.id)
    assert (saved.language, saved.discord_locale) == (None, "de")


async def test_automatic_in_english_says_so_in_english(server: Server, store: Store) -> None:
    result = await server.alice.slash(server.general, "settings language", language="auto")

    text = embed_text(result)
    assert "Done: Hearth follows your Discord language (English), in replies and in DMs." in text
    assert "English (your Discord language)" in text
    assert (await store.members.get(server.alice.id)).language is None


async def test_choosing_english_with_discord_in_german_answers_in_english(server: Server, store: Store,
                                                                          locales: ClientLocales) -> None:
    locales.set(server.alice, "de")

    result = await server.alice.slash(server.general, "settings language", language="en")

    text = embed_text(result)
    assert "Done: Hearth now speaks English with you, in replies and in DMs." in text
    assert "English (chosen)" in text
    assert (await store.members.get(server.alice.id)).language == "en"


async def test_show_names_the_language_and_why(server: Server) -> None:
    shown = await server.alice.slash(server.general, "settings show")

    assert shown.ephemeral
    assert "English (your Discord language)" in embed_text(shown)
    assert "`/settings language` changes it" in embed_text(shown)


async def test_the_choices_are_automatic_and_each_shipped_language(server: Server) -> None:
    command = server.env.bot.tree.get_command("settings").get_command("language")
    choices = [(choice.name, choice.value) for choice in command.parameters[0].choices]

    assert choices == [("Automatic (follow my Discord language)", "auto"), ("English", "en"), ("Deutsch", "de"),
                       ("Español", "es")]
    assert expected_errors(server.env) == []

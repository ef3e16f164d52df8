"""Members in their own language: the Discord app's locale decides, is remembered for what arrives later, and a
server's posts are in the server's language. The German and Spanish here are the shipped catalogs' words.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.demo.sim import simulated_bot
from tests.behaviour.events_world import create, dms, run_until, setup_events
from tests.behaviour.locales import ClientLocales, discord_locales
from tests.behaviour.world import Server, answer, consenting_server, embed_text, message_text


@pytest.fixture
def locales(monkeypatch: pytest.MonkeyPatch) -> ClientLocales:
    return discord_locales(monkeypatch)


@pytest.fixture
async def server(simcord_env: Any) -> Server:
    return await consenting_server(simcord_env)


def _labels(message: Any) -> list[str]:
    return [str(child.label) for row in message.components for child in row.children if child.label]


async def test_a_member_whose_discord_is_in_german_checks_in_in_german(server: Server, store: Any,
                                                                      locales: ClientLocales) -> None:
    locales.set(server.alice, "de")

    result = await server.alice.slash(server.general, "checkin", mood=4)

    assert result.ephemeral
    assert result.response.embeds[0].title == "Danke für deinen Check-in: 🙂 gut"
    assert "Nur du kannst das sehen." in embed_text(result)
    bob = await server.bob.slash(server.general, "checkin", mood=4)  # Bob's Discord is in English
    assert bob.response.embeds[0].title == "Thanks for checking in: 🙂 good"
    await server.env.bot.services.languages.flush()  # as the scheduler does every few seconds
    assert (await store.members.get(server.alice.id)).discord_locale == "de"
    assert (await store.members.get(server.bob.id)).discord_locale is None


async def test_her_check_in_prompt_arrives_in_german_even_after_a_restart(server: Server, store: Any, settings: Any,
                                                                         simcord_env: Any,
                                                                         locales: ClientLocales) -> None:
    locales.set(server.alice, "de")
    await server.alice.slash(server.general, "settings timezone", zone="Europe/London")
    await server.alice.slash(server.general, "mood reminders", cadence="daily", time="09:00")
    await simcord_env.bot.close()  # a clean stop writes the locales it saw
    await simcord_env.restart_bot(simulated_bot(store, settings))

    reminder = await store.reminders.get(server.alice.id)
    due = (await store.due_work.get(reminder.next_key))["due_at"]
    await run_until(simcord_env, due + timedelta(seconds=1))

    prompt = next(m for m in reversed(dms(server.alice)) if m.embeds)
    assert prompt.embeds[0].title == "Wie geht es dir heute?"
    assert {"Pausieren …", "Nicht mehr senden"} <= set(_labels(prompt))


async def test_a_spanish_servers_meetup_is_announced_in_spanish_and_reminds_each_member_in_theirs(
        simcord_env: Any, locales: ClientLocales) -> None:
    server = await consenting_server(simcord_env, preferred_locale="es-ES")
    await setup_events(server)
    locales.set(server.alice, "de")

    preview, _posted = await create(server, start="2026-01-04 10:30")

    assert "Posted in" in embed_text(preview), "the organiser's Discord is in English: her answers are English"
    announcement = next(m for m in server.events.history() if m.embeds)
    fields = [field.name for field in announcement.embeds[0].fields]
    assert "Cuándo" in fields and "Dónde" in fields
    assert "Voy" in _labels(announcement)
    event_id = int(next(c.custom_id for row in announcement.components for c in row.children
                        if str(c.custom_id).endswith(":going")).split(":")[3])

    going = await server.alice.click(announcement, custom_id=f"hearth:ev:rsvp:{event_id}:going")

    reply = answer(going)
    assert reply.ephemeral and message_text(reply).startswith("Du bist dabei!")  # hers in German, not Spanish
    still = next(m for m in server.events.history() if m.id == announcement.id)
    assert "Cuándo" in [field.name for field in still.embeds[0].fields], "re-rendered in the server's language"
    await run_until(simcord_env, datetime(2026, 1, 3, 10, 31, tzinfo=simcord_env.now().tzinfo))
    reminder = next(m for m in dms(server.alice) if "⏰" in (m.content or ""))
    assert "ist morgen" in reminder.content


async def test_a_crisis_answer_stays_english_with_germanys_helplines_until_reviewed(server: Server,
                                                                                     locales: ClientLocales) -> None:
    locales.set(server.alice, "de")

    result = await server.alice.slash(server.general, "checkin", mood=1, note="I want to end my life")

    text = embed_text(result)
    assert "You matter, and help is there right now" in text  # the safety catalog isn't reviewed yet
    assert "0800 111 0 111" in text and "112" in text  # TelefonSeelsorge, Germany's emergency number
    assert "Danke für deinen Check-in: 😣 mies" in text  # the check-in itself is not a safety text: German

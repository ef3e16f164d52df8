"""Components nobody handles any more answer with a sentence, never "This interaction failed".

A view lives in memory: it times out, and a restart forgets it, while its buttons stay on the message.
One fallback (bot/ui/components.py `answer_if_unhandled`, called where discord.py dispatches the
interaction) answers every such Hearth component and form with what to run instead.
"""

from __future__ import annotations

import pytest

from bot.demo.sim import simulated_bot
from bot.ui.components import expired_text
from tests.behaviour.events_world import WALK, announcements, events_server
from tests.behaviour.forge import forge_click
from tests.behaviour.world import answer, embed_text


@pytest.fixture
async def server(simcord_env):
    return await events_server(simcord_env)


async def test_a_confirmation_that_timed_out_says_so_and_posts_nothing(server, simcord_env, store):
    shown = await server.organiser.slash(server.general, "event-admin create", **WALK)
    await simcord_env.advance_time(601)  # the confirmation's view lives ten minutes

    late = await server.organiser.click(shown.response, custom_id="hearth:ev:confirm")

    assert late.acknowledged and late.ephemeral
    assert answer(late).content == "This has expired, so nothing was changed. Run `/event-admin create` again."
    assert announcements(server) == [] and await store.events.upcoming(server.guild.id, simcord_env.now()) == []
    assert simcord_env.errors == []


async def test_a_confirmation_from_before_a_restart_says_so(server, simcord_env, store, settings):
    shown = await server.organiser.slash(server.general, "event-admin create", **WALK)
    await simcord_env.restart_bot(simulated_bot(store, settings))

    late = await server.organiser.click(shown.response, custom_id="hearth:ev:discard")

    assert answer(late).content == expired_text("hearth:ev:discard")
    assert "`/event-admin create`" in answer(late).content
    assert simcord_env.errors == []


async def test_a_form_submitted_after_a_restart_says_so_and_stores_nothing(server, simcord_env, store, settings):
    checked = await server.alice.slash(server.general, "checkin", mood=4)
    note_button = next(child["custom_id"] for row in checked.response.components for child in row["components"]
                       if child["custom_id"].startswith("hearth:ci:note:"))
    form = await server.alice.click(checked.response, custom_id=note_button)
    assert form.modal is not None
    await simcord_env.restart_bot(simulated_bot(store, settings))

    late = await server.alice.submit_modal(form, {"note": "a good walk"})

    assert late.acknowledged and late.ephemeral
    assert answer(late).content == "This has expired, so nothing was changed. Run `/checkin` again."
    assert "a good walk" not in embed_text(checked)
    assert simcord_env.errors == []


async def test_any_hearth_component_nothing_knows_gets_the_general_sentence(server, simcord_env):
    shown = await server.alice.slash(server.general, "about")

    unknown = await forge_click(simcord_env, server.alice, shown.response, "hearth:retired-feature:42")

    assert answer(unknown).content == "This has expired, so nothing was changed. Please run the command again."


async def test_components_that_are_not_hearths_are_left_alone(server, simcord_env):
    shown = await server.alice.slash(server.general, "about")

    foreign = await forge_click(simcord_env, server.alice, shown.response, "another-bot:button")

    assert not foreign.acknowledged  # not ours to answer

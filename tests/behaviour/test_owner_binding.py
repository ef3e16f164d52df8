"""A member's private panels (the /checkin picker, the /buddy join and edit form) are bound to that member: anyone
else's click changes nothing and gets a sentence. After a restart or expiry their buttons still answer: the
picker's moods record (a note that only waited in memory is honestly lost, and the answer says so), and the form
says it expired."""

from __future__ import annotations

import pytest

from bot.demo.sim import simulated_bot
from tests.behaviour.buddies_world import configure, join
from tests.behaviour.forge import forge_click
from tests.behaviour.world import answer, component_id, consenting_server, custom_ids, embed_text


@pytest.fixture
async def server(simcord_env):
    return await consenting_server(simcord_env)


async def _picker_with_note(server, member, note: str):
    shown = await member.slash(server.general, "checkin")
    modal = await member.click(shown.response, label="Add a note")
    await member.submit_modal(modal, {"note": note})
    return shown


# the /checkin picker ---------------------------------------------------------------------------------------------
async def test_a_forged_mood_click_on_someone_elses_picker_changes_nothing(server, store, simcord_env):
    shown = await _picker_with_note(server, server.alice, "Alice's private note")
    mood = component_id(shown.response, "hearth:ci:pick:2:")

    forged = await forge_click(simcord_env, server.bob, shown.response, mood)

    assert forged.ephemeral and "yourself" in answer(forged).content
    assert await store.checkins.count(server.bob.id) == 0 and await store.checkins.count(server.alice.id) == 0
    # Alice's picker, and her note, are untouched.
    mine = await server.alice.click(shown.response, custom_id=mood)
    assert "Alice's private note" in embed_text(mine)
    assert (await store.checkins.get(1, server.alice.id)).note == "Alice's private note"


async def test_a_forged_click_naming_the_clicker_as_owner_never_reads_the_owners_note(server, store, simcord_env):
    """Even with the owner id in the custom_id rewritten to the clicker's own, the note stays Alice's."""
    shown = await _picker_with_note(server, server.alice, "Alice's private note")
    mood = component_id(shown.response, "hearth:ci:pick:3:")
    parts = mood.split(":")
    parts[5] = str(server.bob.id)  # hearth:ci:pick:<mood>:<guild>:<owner>:<token>:<note>

    await forge_click(simcord_env, server.bob, shown.response, ":".join(parts))

    stored = await store.checkins.get(1, server.bob.id)
    assert stored is None or stored.note is None
    assert await store.checkins.count(server.alice.id) == 0


async def test_two_members_notes_never_cross(server, store):
    alice = await server.alice.slash(server.general, "checkin")
    bob = await server.bob.slash(server.general, "checkin")
    alice_form = await server.alice.click(alice.response, label="Add a note")
    bob_form = await server.bob.click(bob.response, label="Add a note")
    await server.alice.submit_modal(alice_form, {"note": "from Alice"})
    await server.bob.submit_modal(bob_form, {"note": "from Bob"})

    await server.alice.click(alice.response, label="Good")
    await server.bob.click(bob.response, label="Low")

    assert (await store.checkins.get(1, server.alice.id)).note == "from Alice"
    assert (await store.checkins.get(2, server.bob.id)).note == "from Bob"


async def test_a_picker_mood_after_a_restart_records_and_says_the_note_was_lost(server, store, settings,
                                                                                  simcord_env):
    shown = await _picker_with_note(server, server.alice, "lost in the restart")
    await simcord_env.restart_bot(simulated_bot(store, settings))

    late = await server.alice.click(shown.response, custom_id=component_id(shown.response, "hearth:ci:pick:4:"))

    assert "Thanks for checking in: 🙂 good" in embed_text(late)
    assert "Your note wasn't saved" in late.response.content
    assert any(custom_id.startswith("hearth:ci:note:") for custom_id in custom_ids(late.response))  # add it again
    checkin = await store.checkins.get(1, server.alice.id)
    assert (checkin.mood, checkin.note) == (4, None)
    assert simcord_env.errors == []


async def test_a_picker_without_a_note_just_records_after_a_restart(server, store, settings, simcord_env):
    shown = await server.alice.slash(server.general, "checkin")
    await simcord_env.restart_bot(simulated_bot(store, settings))

    late = await server.alice.click(shown.response, label="Great")

    assert "Thanks for checking in: 😄 great" in embed_text(late)
    assert "note" not in (late.response.content or "")
    assert (await store.checkins.get(1, server.alice.id)).mood == 5


async def test_add_a_note_on_a_picker_after_a_restart_still_works(server, store, settings, simcord_env):
    shown = await server.alice.slash(server.general, "checkin")
    await simcord_env.restart_bot(simulated_bot(store, settings))

    modal = await server.alice.click(shown.response, label="Add a note")
    await server.alice.submit_modal(modal, {"note": "after the restart"})
    picked = await server.alice.click(shown.response, label="Okay")

    assert "after the restart" in embed_text(picked)
    assert (await store.checkins.get(1, server.alice.id)).note == "after the restart"


# the /buddy join and edit form -----------------------------------------------------------------------------------
async def test_more_on_someone_elses_edit_panel_opens_nothing(server, store, simcord_env):
    await configure(server)
    await join(server.alice, server.general, area="Leeds", tags="birdwatching")
    panel = await server.alice.slash(server.general, "buddy edit")

    forged = await forge_click(simcord_env, server.bob, panel.response,
                               component_id(panel.response, "hearth:bd:join:more"))

    assert forged.modal is None
    assert forged.ephemeral and "yourself" in answer(forged).content
    assert "Leeds" not in answer(forged).content and "birdwatching" not in answer(forged).content


async def test_save_on_someone_elses_form_saves_nothing(server, store, simcord_env):
    await configure(server)
    form = await server.alice.slash(server.general, "buddy join")

    forged = await forge_click(simcord_env, server.bob, form.response,
                               component_id(form.response, "hearth:bd:join:save"))

    assert "yourself" in answer(forged).content
    assert await store.buddies.profile(server.guild.id, server.bob.id) is None
    assert await store.buddies.profile(server.guild.id, server.alice.id) is None


async def test_the_join_form_after_a_restart_says_it_expired(server, store, settings, simcord_env):
    await configure(server)
    form = await server.alice.slash(server.general, "buddy join")
    await server.alice.select(form.response, ["in_person"],
                              custom_id=component_id(form.response, "hearth:bd:join:preference"))
    await simcord_env.restart_bot(simulated_bot(store, settings))

    late = await server.alice.click(form.response, custom_id=component_id(form.response, "hearth:bd:join:save"))

    assert "This form has expired" in late.response.content and "`/buddy join`" in late.response.content
    assert await store.buddies.profile(server.guild.id, server.alice.id) is None
    assert simcord_env.errors == []


async def test_the_join_form_after_it_timed_out_says_it_expired(server, store, simcord_env):
    await configure(server)
    form = await server.alice.slash(server.general, "buddy join")
    await simcord_env.advance_time(901)

    late = await server.alice.select(form.response, ["online"],
                                     custom_id=component_id(form.response, "hearth:bd:join:preference"))

    assert "This form has expired" in late.response.content
    assert await store.buddies.profile(server.guild.id, server.alice.id) is None


async def test_saving_an_edit_says_the_profile_is_updated_not_joined(server, store):
    await configure(server)
    await join(server.alice, server.general, area="Leeds")
    panel = await server.alice.slash(server.general, "buddy edit")

    saved = await server.alice.click(panel.response, custom_id=component_id(panel.response, "hearth:bd:join:save"))

    assert "Saved: your buddy profile is updated." in answer(saved).content
    assert "You're in the buddy pool" not in answer(saved).content

"""A button meant for one member refuses everyone else and changes nothing, even through a forged interaction:
Bob's client sending a click with the same custom_id on the very message Alice got.

What binds a button to its member is the message it is on, as Discord describes it (bot/ui/components.py
`owner_of`): a DM belongs to the member it is with; an answer to an interaction belongs to whoever made
it. A custom_id alone proves nothing (anyone can write any id into one). Buttons meant for everyone who sees
them (a meetup's RSVP buttons) say so, and buttons in a buddies' shared thread are checked by the service.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.moods import Mood
from bot.ui import components
from bot.ui.dm import send_dm
from cogs.buddies._components import SkipRoundButton, met_view, pause_offer_view
from cogs.checkins._components import prompt_view
from cogs.events._feedback import feedback_view
from cogs.nudges._components import nudge_view
from tests.behaviour.commands_world import discord_changes, snapshot
from tests.behaviour.events_world import announcement_of, create, rsvp, setup_events
from tests.behaviour.forge import forge_click
from tests.behaviour.world import answer, consenting_server, custom_ids, embed_text

try:  # the consent helper's panels refuse with their own sentence
    from bot.ui.live import NOT_YOURS as PANEL_NOT_YOURS
except ImportError:  # pragma: no cover
    PANEL_NOT_YOURS = components.NOT_YOURS
REFUSALS = {components.NOT_YOURS, PANEL_NOT_YOURS}


@pytest.fixture
async def server(simcord_env):
    built = await consenting_server(simcord_env)
    await built.organiser.slash(built.general, "hearth setup", events=built.events, buddies=built.buddies,
                                timezone="Europe/London")
    for member in (built.alice, built.bob):  # Bob has something to lose too, were his click let through
        await member.slash(built.general, "settings timezone", zone="Europe/London")
        await member.slash(built.general, "nudges on")
        await member.slash(built.general, "mood reminders", cadence="daily", time="09:00")
    await simcord_env.advance_time(60)
    return built


async def _refused(env: Any, store: Any, clicker: Any, message: Any, custom_id: str) -> None:
    """The forged click gets a private sentence, and nothing is stored, posted or sent."""
    before, requests = await snapshot(store), len(env.http_requests)

    result = await forge_click(env, clicker, message, custom_id)

    said = answer(result)
    assert said is not None and result.ephemeral, f"{custom_id}: no private answer"
    assert said.content in REFUSALS, f"{custom_id}: {said.content!r}"
    assert await snapshot(store) == before, f"{custom_id} changed what is stored"
    assert discord_changes(env, requests) == [], f"{custom_id} changed something in Discord"


async def _dm(env: Any, member: Any, text: str, view: Any) -> Any:
    """A DM to `member` carrying one of Hearth's persistent views, sent the way Hearth sends them."""
    assert await send_dm(env.bot, member.id, text, view)
    return member.user.dm_channel.last_message


async def test_every_persistent_button_in_alices_dms_refuses_bob(server, simcord_env, store):
    guild = server.guild.id
    round_key = "buddy-round:1:20260105T0900"
    skip = prompt_view(guild)
    skip.clear_items()
    skip.add_item(SkipRoundButton.for_round(guild, round_key))
    messages = [await _dm(simcord_env, server.alice, text, view) for text, view in (
        ("How are you today?", prompt_view(guild)),
        ("Did you meet?", met_view(1)),
        ("Would a break help?", pause_offer_view(guild)),
        ("A new round starts tomorrow.", skip),
        ("How was it?", feedback_view(1)),
        ("Your digest", nudge_view("digest")),
        ("A kind word", nudge_view("nudges")),
    )]

    for message in messages:
        for custom_id in custom_ids(message):
            await _refused(simcord_env, store, server.bob, message, custom_id)

    # The same buttons still work for Alice herself.
    mood = await server.alice.user.click(messages[0], custom_id=f"hearth:ci:mood:{int(Mood.GOOD)}:{guild}")
    assert "Thanks for checking in" in embed_text(mood)


async def test_alices_private_answers_refuse_bob(server, simcord_env, store):
    await server.organiser.slash(server.general, "hearth checkins", support_channel=server.announcements)
    checked = await server.alice.slash(server.general, "checkin", mood=1, note="I want to kill myself")
    picker = await server.alice.slash(server.general, "checkin")
    form = await server.alice.slash(server.general, "buddy join")

    for message in (checked.response, picker.response, form.response):
        for custom_id in custom_ids(message):
            await _refused(simcord_env, store, server.bob, message, custom_id)
    assert not [m for m in server.announcements.history() if "reach out" in (m.content or "")]  # for nobody


async def test_the_company_offer_after_an_rsvp_refuses_others(server, simcord_env, store):
    await setup_events(server)
    await create(server)
    event = (await store.events.upcoming(server.guild.id, simcord_env.now()))[0]
    going = await rsvp(server.alice, server, event.id)
    offer = answer(going)

    for custom_id in custom_ids(offer):
        await _refused(simcord_env, store, server.bob, offer, custom_id)


async def test_an_organisers_confirmation_refuses_another_organiser(server, simcord_env, store):
    await setup_events(server)
    other = server.guild.add_member(simcord_env.create_user("pat"), roles=[server.organisers_role])
    shown = await server.organiser.slash(server.general, "event-admin create", title="Walk", start="2026-01-04 10:30",
                                         duration=60, mode="in_person", venue="Park", tag="walk")

    for custom_id in custom_ids(shown.response):
        await _refused(simcord_env, store, other, shown.response, custom_id)
    assert await store.events.upcoming(server.guild.id, simcord_env.now()) == []


async def test_rsvp_buttons_are_for_everyone_who_sees_them(server, simcord_env, store):
    await setup_events(server)
    await create(server)
    event = (await store.events.upcoming(server.guild.id, simcord_env.now()))[0]

    await forge_click(simcord_env, server.bob, announcement_of(server, event.id), f"hearth:ev:rsvp:{event.id}:going")

    assert server.bob.id in (await store.events.rsvps(event.id))["going"]


async def test_one_members_note_never_lands_in_anothers_check_in(server, store):
    # Both open the note form of their own /checkin picker at once; discord.py finds an open form by its
    # custom_id alone, so two forms sharing one would swap their notes.
    members = {"alice": server.alice, "bob": server.bob}
    pickers = {name: await member.slash(server.general, "checkin") for name, member in members.items()}
    forms = {}
    for name, member in members.items():
        note_button = next(i for i in custom_ids(pickers[name].response) if "note" in i)
        forms[name] = await member.click(pickers[name].response, custom_id=note_button)
    assert forms["alice"].modal["custom_id"] != forms["bob"].modal["custom_id"]

    await server.alice.submit_modal(forms["alice"], {"note": "Alice's private words"})
    bob_mood = next(i for i in custom_ids(pickers["bob"].response) if i.startswith("hearth:ci:pick:3"))
    await server.bob.click(pickers["bob"].response, custom_id=bob_mood)

    assert await store.checkins.count(server.bob.id) == 1
    bobs = await store.checkins.get(1, server.bob.id)
    assert bobs is not None and bobs.note is None

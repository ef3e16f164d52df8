"""A server's minimum age: joining the buddy pool, or saying Going (a place or the waitlist) to an in-person
meetup, needs the member's own statement "I'm N or older". It is asked once, like the privacy notice: the
button records it (guild, member, age, time) and the request goes ahead; a higher setting asks again."""

from __future__ import annotations

from typing import Any

import pytest

from bot.demo.sim import simulated_bot
from tests.behaviour.buddies_world import configure, join
from tests.behaviour.events_world import announcement_of, create, rsvp, setup_events
from tests.behaviour.forge import forge_click
from tests.behaviour.world import answer, component_id, consenting_server, custom_ids

AGE = "hearth:age:yes:"


@pytest.fixture
async def server(simcord_env):
    return await consenting_server(simcord_env)


async def _min_age(server: Any, store: Any, age: int | None) -> None:
    await store.guilds.update(server.guild.id, server.env.now(), server.organiser.id, min_age=age)


def _asks_age(message: Any, age: int) -> bool:
    return bool(message.embeds) and message.embeds[0].title == f"This server asks members to be {age} or older"


async def _meetup(server: Any, store: Any, **options: Any) -> int:
    await setup_events(server)
    await create(server, **options)
    return int((await store.events.upcoming(server.guild.id, server.env.now()))[-1].id)


# the buddy pool --------------------------------------------------------------------------------------------------
async def test_joining_the_buddy_pool_asks_for_the_age_and_goes_ahead(server, store, simcord_env):
    await configure(server)
    await _min_age(server, store, 18)

    saved = await join(server.alice, server.general, area="Leeds")

    assert _asks_age(saved.response, 18)
    labels = [c["label"] for row in saved.response.components for c in row["components"]]
    assert labels == ["I'm 18 or older", "Not now"]
    assert await store.buddies.profile(server.guild.id, server.alice.id) is None
    confirmed = await server.alice.click(saved.response, custom_id=component_id(saved.response, AGE))
    assert "You're in the buddy pool!" in answer(confirmed).content
    assert await store.ages.stated(server.guild.id, server.alice.id) == 18
    assert (await store.buddies.profile(server.guild.id, server.alice.id)).area == "Leeds"


async def test_without_a_minimum_age_nothing_is_asked(server, store):
    await configure(server)

    saved = await join(server.alice, server.general)

    assert "You're in the buddy pool!" in saved.response.content
    assert await store.ages.stated(server.guild.id, server.alice.id) is None


async def test_a_statement_for_a_lower_age_asks_again(server, store, simcord_env):
    await configure(server)
    await _min_age(server, store, 16)
    first = await join(server.alice, server.general)
    await server.alice.click(first.response, custom_id=component_id(first.response, AGE))
    await server.alice.slash(server.general, "buddy leave")
    await _min_age(server, store, 18)

    again = await join(server.alice, server.general)

    assert _asks_age(again.response, 18)
    await server.alice.click(again.response, custom_id=component_id(again.response, AGE))
    assert await store.ages.stated(server.guild.id, server.alice.id) == 18
    assert (await store.buddies.profile(server.guild.id, server.alice.id)).active


async def test_not_now_joins_nothing(server, store):
    await configure(server)
    await _min_age(server, store, 18)
    saved = await join(server.alice, server.general)

    later = await server.alice.click(saved.response, custom_id=component_id(saved.response, "hearth:gate:no:"))

    assert "nothing was saved" in later.response.content and "`/buddy join`" in later.response.content
    assert await store.buddies.profile(server.guild.id, server.alice.id) is None
    assert await store.ages.stated(server.guild.id, server.alice.id) is None


async def test_privacy_notice_first_then_the_age_then_the_sign_up(server, store, simcord_env):
    newcomer = server.guild.add_member(simcord_env.create_user("carol"))
    await configure(server)
    await _min_age(server, store, 18)

    saved = await join(newcomer, server.general)
    agreed = await newcomer.click(saved.response, custom_id=component_id(saved.response, "hearth:consent:yes:"))

    assert _asks_age(agreed.response, 18)
    confirmed = await newcomer.click(saved.response, custom_id=component_id(agreed.response, AGE))
    assert "You're in the buddy pool!" in answer(confirmed).content
    assert await store.buddies.profile(server.guild.id, newcomer.id) is not None


# in-person meetups -----------------------------------------------------------------------------------------------
async def test_going_to_an_in_person_meetup_asks_and_then_answers_going(server, store, simcord_env):
    event_id = await _meetup(server, store)
    await _min_age(server, store, 21)

    clicked = await rsvp(server.alice, server, event_id)

    assert clicked.ephemeral and _asks_age(clicked.response, 21)
    assert (await store.events.rsvps(event_id))["going"] == []
    confirmed = await server.alice.click(clicked.response, custom_id=component_id(clicked.response, AGE))
    assert "You're going!" in answer(confirmed).content
    assert (await store.events.rsvps(event_id))["going"] == [server.alice.id]
    assert await store.ages.stated(server.guild.id, server.alice.id) == 21
    fields = {field.name: field.value for field in announcement_of(server, event_id).embeds[0].fields}
    assert fields["Going"] == "1 going"  # the announcement was updated, though the click was on the question


async def test_the_waitlist_asks_too(server, store, simcord_env):
    event_id = await _meetup(server, store, capacity=1)
    await _min_age(server, store, 18)
    await store.ages.confirm(server.guild.id, server.bob.id, 18, simcord_env.now())
    await rsvp(server.bob, server, event_id)

    clicked = await rsvp(server.alice, server, event_id)
    assert _asks_age(clicked.response, 18)
    confirmed = await server.alice.click(clicked.response, custom_id=component_id(clicked.response, AGE))

    assert "#1 on the waitlist" in answer(confirmed).content
    assert (await store.events.rsvps(event_id))["waitlist"] == [server.alice.id]


async def test_maybe_can_t_go_and_online_meetups_ask_nothing(server, store, simcord_env):
    in_person = await _meetup(server, store)
    await create(server, title="Online coffee", mode="online", venue=None, area=None,
                 link="https://meet.example/x")
    online = (await store.events.upcoming(server.guild.id, simcord_env.now()))[-1].id
    await _min_age(server, store, 18)

    maybe = await rsvp(server.alice, server, in_person, "maybe")
    going_online = await rsvp(server.bob, server, online)

    assert "Marked as maybe." in answer(maybe).content
    assert "You're going!" in answer(going_online).content
    assert await store.ages.stated(server.guild.id, server.alice.id) is None


async def test_someone_else_cannot_confirm_for_a_member(server, store, simcord_env):
    event_id = await _meetup(server, store)
    await _min_age(server, store, 18)
    clicked = await rsvp(server.alice, server, event_id)

    forged = await forge_click(simcord_env, server.bob, clicked.response, component_id(clicked.response, AGE))

    assert forged.ephemeral and "yourself" in answer(forged).content
    assert await store.ages.stated(server.guild.id, server.alice.id) is None
    assert await store.ages.stated(server.guild.id, server.bob.id) is None
    assert (await store.events.rsvps(event_id))["going"] == []


async def test_the_age_button_after_a_restart_records_and_says_what_to_do(server, store, settings, simcord_env):
    event_id = await _meetup(server, store)
    await _min_age(server, store, 18)
    clicked = await rsvp(server.alice, server, event_id)
    await simcord_env.restart_bot(simulated_bot(store, settings))

    late = await server.alice.click(clicked.response, custom_id=component_id(clicked.response, AGE))

    assert "Thank you for confirming you're 18 or older" in late.response.content
    assert "press the meetup's button again" in late.response.content
    assert await store.ages.stated(server.guild.id, server.alice.id) == 18
    assert (await store.events.rsvps(event_id))["going"] == []
    again = await rsvp(server.alice, server, event_id)
    assert "You're going!" in answer(again).content
    assert not any(custom_id.startswith(AGE) for custom_id in custom_ids(answer(again)))

"""The privacy notice: before Hearth keeps a member's first check-in, buddy sign-up or nudge choice, they read a
short notice and press "I agree"; their request then goes ahead as they made it, without retyping. The button is
only theirs, answers after a restart, and a new notice version asks again."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from bot.demo.sim import simulated_bot
from bot.domain.consent import NOTICE_TITLE, NOTICE_VERSION
from tests.behaviour.buddies_world import configure, join
from tests.behaviour.forge import forge_click
from tests.behaviour.world import (
    answer,
    build_server,
    component_id,
    consented,
    custom_ids,
    embed_text,
    message_text,
)

AGREE = "hearth:consent:yes:"
NOT_NOW = "hearth:gate:no:"


@pytest.fixture
def server(simcord_env):
    """Alice and Bob have never seen the notice; the organiser has (organiser commands never ask)."""
    return build_server(simcord_env)


async def _moods(store: Any, user_id: int) -> list[tuple[int, str | None]]:
    rows = await store.checkins.moods_since(user_id, since=date(2000, 1, 1))
    return [(mood, (await store.checkins.get(index + 1, user_id)).note) for index, (_, mood) in enumerate(rows)]


def _is_notice(message: Any) -> bool:
    return bool(message.embeds) and message.embeds[0].title == NOTICE_TITLE


# /checkin ------------------------------------------------------------------------------------------------------
async def test_the_first_checkin_shows_the_notice_and_stores_nothing(server, store):
    result = await server.alice.slash(server.general, "checkin", mood=4, note="Lunch with my sister")

    notice = answer(result)
    assert result.ephemeral and _is_notice(notice)
    assert "Only you" in embed_text(result) or "only you" in embed_text(result)
    assert [component_id(notice, AGREE), component_id(notice, NOT_NOW)]  # "I agree" and "Not now"
    assert await store.checkins.count(server.alice.id) == 0
    settings = await store.members.get(server.alice.id)
    assert (settings.consent_version, settings.consent_at) == (None, None)


async def test_i_agree_records_version_and_time_and_the_checkin_goes_ahead_as_asked(server, store, simcord_env):
    shown = await server.alice.slash(server.general, "checkin", mood=4, note="Lunch with my sister")

    agreed = await server.alice.click(shown.response, custom_id=component_id(shown.response, AGREE))

    assert agreed.ephemeral and "Thanks for checking in: 🙂 good" in embed_text(agreed)
    assert "Lunch with my sister" in embed_text(agreed)
    assert await _moods(store, server.alice.id) == [(4, "Lunch with my sister")]
    settings = await store.members.get(server.alice.id)
    assert settings.consent_version == NOTICE_VERSION and settings.consent_at == simcord_env.now()
    # The notice itself now just says thank you (its buttons are gone).
    notice = simcord_env.backend.get_message(shown.response.channel_id, shown.response.id)
    assert "you agreed to the privacy notice" in notice.content and not notice.components
    # And the next check-in doesn't ask again.
    again = await server.alice.slash(server.general, "checkin", mood=3)
    assert "Thanks for checking in" in embed_text(again)


async def test_not_now_stores_nothing_and_says_how_to_come_back(server, store):
    shown = await server.alice.slash(server.general, "checkin", mood=2)

    later = await server.alice.click(shown.response, custom_id=component_id(shown.response, NOT_NOW))

    assert "nothing was saved" in later.response.content and "`/checkin`" in later.response.content
    assert await store.checkins.count(server.alice.id) == 0
    assert (await store.members.get(server.alice.id)).consent_version is None


async def test_a_new_notice_version_asks_again(server, store, simcord_env):
    await store.members.update(server.alice.id, simcord_env.now(), consent_version=NOTICE_VERSION - 1,
                               consent_at=simcord_env.now())

    shown = await server.alice.slash(server.general, "checkin", mood=5)

    assert _is_notice(shown.response) and "has changed since you last agreed" in embed_text(shown)
    assert await store.checkins.count(server.alice.id) == 0
    await server.alice.click(shown.response, custom_id=component_id(shown.response, AGREE))
    assert (await store.members.get(server.alice.id)).consent_version == NOTICE_VERSION
    assert await _moods(store, server.alice.id) == [(5, None)]


async def test_the_checkin_picker_asks_in_place_and_keeps_the_note(server, store):
    shown = await server.alice.slash(server.general, "checkin")
    modal = await server.alice.click(shown.response, label="Add a note")
    await server.alice.submit_modal(modal, {"note": "Slept badly."})

    picked = await server.alice.click(shown.response, label="Okay")

    assert _is_notice(picked.response) and picked.response.id == shown.response.id  # the picker became the notice
    assert await store.checkins.count(server.alice.id) == 0
    agreed = await server.alice.click(shown.response, custom_id=component_id(picked.response, AGREE))
    assert "Slept badly." in embed_text(agreed)
    assert await _moods(store, server.alice.id) == [(3, "Slept badly.")]


# someone else, and after a restart -------------------------------------------------------------------------------
async def test_another_member_cannot_press_someones_i_agree(server, store, simcord_env):
    shown = await server.alice.slash(server.general, "checkin", mood=4, note="mine")
    agree = component_id(shown.response, AGREE)

    forged = await forge_click(simcord_env, server.bob, shown.response, agree)

    assert forged.ephemeral and "yourself" in answer(forged).content
    assert (await store.members.get(server.alice.id)).consent_version is None
    assert (await store.members.get(server.bob.id)).consent_version is None
    assert await store.checkins.count(server.alice.id) == 0 and await store.checkins.count(server.bob.id) == 0
    # Alice's own press still works afterwards.
    await server.alice.click(shown.response, custom_id=agree)
    assert await _moods(store, server.alice.id) == [(4, "mine")]


async def test_i_agree_after_a_restart_records_agreement_and_says_what_to_do(server, store, settings, simcord_env):
    shown = await server.alice.slash(server.general, "checkin", mood=2, note="lost with the restart")
    await simcord_env.restart_bot(simulated_bot(store, settings))

    late = await server.alice.click(shown.response, custom_id=component_id(shown.response, AGREE))

    assert late.acknowledged and "you agreed to the privacy notice" in late.response.content
    assert "run `/checkin` again" in late.response.content
    assert (await store.members.get(server.alice.id)).consent_version == NOTICE_VERSION
    assert await store.checkins.count(server.alice.id) == 0  # the request was in memory: honestly gone
    assert simcord_env.errors == []


async def test_i_agree_after_the_notice_expired_still_answers(server, store, simcord_env):
    shown = await server.alice.slash(server.general, "checkin", mood=2)
    await simcord_env.advance_time(3600)

    late = await server.alice.click(shown.response, custom_id=component_id(shown.response, AGREE))

    assert "run `/checkin` again" in late.response.content
    assert (await store.members.get(server.alice.id)).consent_version == NOTICE_VERSION
    assert await store.checkins.count(server.alice.id) == 0


# /buddy join, /nudges on, /mood reminders and a DM prompt ---------------------------------------------------------
async def test_buddy_join_asks_on_save_and_saves_the_same_answers_after_i_agree(server, store):
    await configure(server)

    saved = await join(server.alice, server.general, area="Leeds", preference="in_person", tags="chess")

    assert _is_notice(saved.response)
    assert await store.buddies.profile(server.guild.id, server.alice.id) is None
    agreed = await server.alice.click(saved.response, custom_id=component_id(saved.response, AGREE))
    assert "You're in the buddy pool!" in answer(agreed).content
    profile = await store.buddies.profile(server.guild.id, server.alice.id)
    assert (profile.area, profile.preference, profile.interests) == ("Leeds", "in_person", ("chess",))


async def test_editing_or_leaving_an_existing_profile_asks_nothing(server, store, simcord_env):
    await configure(server)
    await consented(simcord_env.bot, server.alice)
    await join(server.alice, server.general, area="Leeds")
    await store.members.update(server.alice.id, simcord_env.now(), consent_version=NOTICE_VERSION - 1)

    edited = await join(server.alice, server.general, area="York")
    left = await server.alice.slash(server.general, "buddy leave")

    assert "Saved: your buddy profile is updated." in edited.response.content  # already in the pool
    assert "You've left the buddy pool" in left.response.content
    assert (await store.buddies.profile(server.guild.id, server.alice.id)).area == "York"


async def test_nudges_on_asks_first_sends_no_test_dm_and_goes_ahead_after_i_agree(server, store):
    await server.alice.slash(server.general, "settings timezone", zone="Europe/London")

    shown = await server.alice.slash(server.general, "nudges on", day=2, time="18:30")

    notice = answer(shown)
    assert _is_notice(notice)
    assert await store.nudges.get(server.alice.id) is None
    assert server.alice.user.dm_channel is None or server.alice.user.dm_channel.last_message is None
    agreed = await server.alice.click(notice, custom_id=component_id(notice, AGREE))
    assert "18:30" in message_text(answer(agreed))
    prefs = await store.nudges.get(server.alice.id)
    assert prefs is not None and prefs.digest_weekday == 2 and prefs.local_time.hour == 18
    assert "Your nudges and digest will arrive in this chat" in server.alice.user.dm_channel.last_message.content
    off = await server.alice.slash(server.general, "nudges off")  # turning off never asks
    assert "Nudges are off now" in off.response.content


async def test_mood_reminders_ask_first_and_go_ahead_after_i_agree(server, store):
    await server.alice.slash(server.general, "settings timezone", zone="Europe/London")

    shown = await server.alice.slash(server.general, "mood reminders", cadence="daily", time="09:00")

    assert _is_notice(answer(shown)) and await store.reminders.get(server.alice.id) is None
    agreed = await server.alice.click(answer(shown), custom_id=component_id(answer(shown), AGREE))
    assert "Check-in reminders are on" in answer(agreed).content
    assert (await store.reminders.get(server.alice.id)).enabled


async def test_a_dm_prompt_mood_asks_in_the_dm_and_records_after_i_agree(server, store, simcord_env):
    await consented(simcord_env.bot, server.alice)
    await server.alice.slash(server.general, "settings timezone", zone="Europe/London")
    await server.alice.slash(server.general, "mood reminders", cadence="daily", time="09:00")
    await store.members.update(server.alice.id, simcord_env.now(), consent_version=NOTICE_VERSION - 1)
    reminder = await store.reminders.get(server.alice.id)
    due = (await store.due_work.get(reminder.next_key))["due_at"]
    await simcord_env.advance_time((due - simcord_env.now()).total_seconds())
    await simcord_env.bot.due_work.sweep()
    prompt = server.alice.user.dm_channel.last_message

    tapped = await server.alice.user.click(prompt, custom_id=f"hearth:ci:mood:4:{server.guild.id}")

    assert _is_notice(tapped.response) and await store.checkins.count(server.alice.id) == 0
    agreed = await server.alice.user.click(prompt, custom_id=component_id(tapped.response, AGREE))
    assert "Thanks for checking in: 🙂 good" in embed_text(agreed)
    checkin = await store.checkins.get(1, server.alice.id)
    assert (checkin.mood, checkin.source, checkin.guild_id) == (4, "prompt", server.guild.id)


# /privacy notice -------------------------------------------------------------------------------------------------
async def test_privacy_notice_shows_whether_and_when_you_agreed(server, store, simcord_env):
    before = await server.alice.slash(server.general, "privacy notice")

    assert before.ephemeral and _is_notice(before.response)
    assert "You haven't agreed yet" in embed_text(before)
    agreed = await server.alice.click(before.response, custom_id=component_id(before.response, AGREE))
    assert "you agreed to the privacy notice" in agreed.response.content

    after = await server.alice.slash(server.general, "privacy notice")
    assert "You agreed to this notice on <t:" in embed_text(after)
    assert not any(custom_id.startswith(AGREE) for custom_id in custom_ids(after.response))
    assert (await store.members.get(server.alice.id)).consent_at == simcord_env.now() - timedelta(0)

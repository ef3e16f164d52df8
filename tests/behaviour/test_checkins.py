"""/checkin: private check-ins with buttons, notes, streaks, hard-day support and crisis safety."""

from __future__ import annotations

from datetime import timedelta

import pytest
import simcord

from tests.behaviour.world import consenting_server, embed_text, expected_errors


@pytest.fixture
async def server(simcord_env):
    return await consenting_server(simcord_env)


async def _rows(store, user_id):
    return await store.checkins.moods_since(user_id, since=__import__("datetime").date(2000, 1, 1))


async def test_checkin_with_mood_is_private_stored_and_kind(server, store, simcord_env):
    await server.alice.slash(server.general, "settings timezone", zone="Asia/Tokyo")

    result = await server.alice.slash(server.general, "checkin", mood=4)

    assert result.ephemeral
    text = embed_text(result)
    assert "Thanks for checking in: 🙂 good" in text
    assert "Only you can see this" in text
    local_today = simcord_env.now().astimezone(__import__("zoneinfo").ZoneInfo("Asia/Tokyo")).date()
    assert await _rows(store, server.alice.id) == [(local_today, 4)]
    assert server.general.last_message is None  # nothing public


async def test_note_is_stored_and_shown_only_to_the_member(server, store):
    result = await server.alice.slash(server.general, "checkin", mood=3, note="Long day, but a nice walk.")

    assert "Long day, but a nice walk." in embed_text(result)
    checkin = await store.checkins.get(1, server.alice.id)
    assert checkin.note == "Long day, but a nice walk."
    assert await store.checkins.get(1, server.bob.id) is None


async def test_a_note_longer_than_500_characters_cannot_be_sent(server, store):
    with pytest.raises(simcord.OptionError):
        await server.alice.slash(server.general, "checkin", mood=3, note="x" * 501)
    assert await store.checkins.count(server.alice.id) == 0


async def test_second_checkin_the_same_day_is_its_own_entry(server, store):
    await server.alice.slash(server.general, "checkin", mood=2)
    result = await server.alice.slash(server.general, "checkin", mood=4)

    assert "Thanks for checking in" in embed_text(result)
    assert [mood for _, mood in await _rows(store, server.alice.id)] == [2, 4]


async def test_streak_counts_days_in_a_row_in_local_time(server, simcord_env):
    await server.alice.slash(server.general, "checkin", mood=3)
    await simcord_env.advance_time(24 * 3600)
    await server.alice.slash(server.general, "checkin", mood=3)
    await simcord_env.advance_time(24 * 3600)

    result = await server.alice.slash(server.general, "checkin", mood=4)

    assert "🔥 3 days in a row" in embed_text(result)


async def test_checkin_without_options_offers_mood_buttons(server, store):
    shown = await server.alice.slash(server.general, "checkin")
    assert shown.ephemeral and "How are you today?" in shown.response.content

    clicked = await server.alice.click(shown.response, label="Great")

    assert "Thanks for checking in: 😄 great" in embed_text(clicked)
    assert [mood for _, mood in await _rows(store, server.alice.id)] == [5]


async def test_add_a_note_first_then_pick_a_mood(server, store):
    shown = await server.alice.slash(server.general, "checkin")
    modal = await server.alice.click(shown.response, label="Add a note")
    assert modal.modal is not None

    ready = await server.alice.submit_modal(modal, {"note": "Slept badly."})
    assert "Note ready" in ready.response.content
    clicked = await server.alice.click(shown.response, label="Okay")

    assert "Slept badly." in embed_text(clicked)
    assert (await store.checkins.get(1, server.alice.id)).note == "Slept badly."


async def test_add_a_note_after_checking_in(server, store):
    result = await server.alice.slash(server.general, "checkin", mood=4)
    modal = await server.alice.click(result.response, custom_id="hearth:ci:note:1")

    saved = await server.alice.submit_modal(modal, {"note": "Coffee with Sam"})

    assert saved.ephemeral and "Coffee with Sam" in embed_text(saved)
    assert (await store.checkins.get(1, server.alice.id)).note == "Coffee with Sam"


async def test_low_mood_adds_warmth_and_the_servers_resources(server):
    await server.organiser.slash(server.general, "hearth checkins",
                                 resources="Talk to any @Helper, or join the Tuesday circle in #support.",
                                 link="https://example.org/support")

    result = await server.alice.slash(server.general, "checkin", mood=2)

    text = embed_text(result)
    assert "Sorry today is hard" in text
    assert "Talk to any @Helper" in text and "https://example.org/support" in text
    assert "Your buddy" not in text  # no buddy yet
    assert "Helplines" not in text  # a low mood is not a crisis


async def test_good_mood_has_no_support_section(server):
    result = await server.alice.slash(server.general, "checkin", mood=5)

    assert "Sorry today is hard" not in embed_text(result)


async def test_crisis_note_gets_helplines_for_the_members_country_at_once(server, store, simcord_env):
    await server.alice.slash(server.general, "settings timezone", zone="Europe/London")

    result = await server.alice.slash(server.general, "checkin", mood=1, note="I want to end my life")

    assert result.ephemeral
    text = embed_text(result)
    assert "help is there right now" in text
    assert "116 123" in text  # Samaritans, UK
    assert "999" in text
    assert "Only you can see this. Nothing was shared with anyone." in text
    assert not any("hearth:ci:reach" in str(row) for row in result.response.components)  # no support channel
    assert server.announcements.last_message is None


async def test_crisis_helplines_follow_the_member_time_zone(server):
    await server.alice.slash(server.general, "settings timezone", zone="America/Chicago")

    result = await server.alice.slash(server.general, "checkin", mood=1, note="i keep thinking about killing myself")

    assert "988" in embed_text(result)


async def test_negated_phrases_are_not_a_crisis(server):
    result = await server.alice.slash(server.general, "checkin", mood=2, note="Tired, but I'm not suicidal.")

    text = embed_text(result)
    assert "help is there right now" not in text
    assert "Sorry today is hard" in text


async def test_reach_out_button_tells_moderators_without_the_note(server, simcord_env):
    support = server.guild.create_text_channel("mod-support")
    await server.organiser.slash(server.general, "hearth checkins", support_channel=support)
    result = await server.alice.slash(server.general, "checkin", mood=1, note="I don't want to be alive anymore")
    assert any("hearth:ci:reach" in str(row) for row in result.response.components)

    answer = await server.alice.click(result.response, custom_id=f"hearth:ci:reach:{server.guild.id}")

    assert answer.ephemeral and "A moderator has been told" in answer.response.content
    posted = support.last_message
    assert f"<@{server.alice.id}>" in posted.content
    assert "alive" not in posted.content
    request = [r for r in simcord_env.http_requests if r.method == "POST" and r.path.endswith(
        f"/channels/{support.id}/messages")][-1]
    assert request.json["allowed_mentions"]["parse"] == []


@pytest.mark.parametrize("status", [403, 500])
async def test_reach_out_the_support_channel_refuses_points_to_the_helplines(server, simcord_env, status):
    support = server.guild.create_text_channel("mod-support")
    await server.organiser.slash(server.general, "hearth checkins", support_channel=support)
    result = await server.alice.slash(server.general, "checkin", mood=1, note="I don't want to be alive anymore")
    audit = support.last_message.id  # the settings change itself is posted there
    simcord_env.inject_error("POST", f"/channels/{support.id}/messages", status=status)

    answer = await server.alice.click(result.response, custom_id=f"hearth:ci:reach:{server.guild.id}")

    assert answer.ephemeral and "I couldn't reach the moderators just now" in answer.response.content
    assert "helplines" in answer.response.content
    assert support.last_message.id == audit  # nothing else reached the channel


async def test_history_without_checkins_is_a_friendly_sentence(server):
    result = await server.alice.slash(server.general, "mood history", days=30)

    assert result.ephemeral
    assert "No check-ins in the last 30 days yet" in result.response.content
    assert result.response.attachments == []


async def test_history_summarises_and_attaches_a_png_chart(server, simcord_env):
    for mood in (2, 4, 4, 5):
        await server.alice.slash(server.general, "checkin", mood=mood)
        await simcord_env.advance_time(24 * 3600)
    await server.bob.slash(server.general, "checkin", mood=1)

    result = await server.alice.slash(server.general, "mood history", days=7)

    assert result.ephemeral
    message = result.followups[0] if result.followups else result.response
    text = "\n".join(f"{f.name}: {f.value}" for f in message.embeds[0].fields)
    assert "Check-ins: 4" in text
    assert "Average: 3.8" in text
    assert "Most often: 🙂 good" in text
    attachment = message.attachments[0]
    assert attachment.filename == "mood.png"
    data = await attachment.read()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 5_000


async def test_checkin_answers_never_ping(server, simcord_env):
    await server.alice.slash(server.general, "checkin", mood=3, note="@everyone hello <@&1>")

    callbacks = [r for r in simcord_env.http_requests if r.path.endswith("/callback")]
    assert callbacks[-1].json["data"]["allowed_mentions"] == {"parse": []}


async def test_organiser_support_settings_need_manage_server(server, simcord_env):
    assert "hearth checkins" not in server.alice.available_commands(server.general)
    result = await server.organiser.slash(server.general, "hearth checkins", link="not a link")

    assert "doesn't look like a web link" in result.response.content
    assert expected_errors(simcord_env) == ["InvalidInput"]


async def test_checkin_a_day_later_is_on_the_next_local_date(server, store, simcord_env):
    await server.alice.slash(server.general, "checkin", mood=3)
    await simcord_env.advance_time(timedelta(days=1).total_seconds())
    await server.alice.slash(server.general, "checkin", mood=3)

    days = [day for day, _ in await _rows(store, server.alice.id)]
    assert days[1] - days[0] == timedelta(days=1)


async def test_a_crisis_answer_never_celebrates_a_streak(server, simcord_env):
    await server.alice.slash(server.general, "checkin", mood=4)
    await simcord_env.advance_time(24 * 3600)

    result = await server.alice.slash(server.general, "checkin", mood=1, note="I want to end my life")

    text = embed_text(result)
    assert "help is there right now" in text
    assert "days in a row" not in text and "Your check-in is saved, privately." in text

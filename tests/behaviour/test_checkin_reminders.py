"""/mood reminders: DM prompts at the member's local time, one-tap buttons that survive restarts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.demo.sim import simulated_bot
from bot.services.checkin_reminders import PROMPT_KIND
from bot.tree import CANNOT_DM
from tests.behaviour.world import answer, consenting_server, embed_text, expected_errors


@pytest.fixture
async def server(simcord_env):
    return await consenting_server(simcord_env)


async def _opt_in(server, zone="Europe/London", **options):
    await server.alice.slash(server.general, "settings timezone", zone=zone)
    options = {"cadence": "daily", "time": "09:00", **options}
    return await server.alice.slash(server.general, "mood reminders", **options)


async def _next_prompt(store, user_id):
    reminder = await store.reminders.get(user_id)
    return await store.due_work.get(reminder.next_key)


async def _run_due(env, store, *, until: datetime) -> None:
    """Move the virtual clock to `until` and run a sweep, as the scheduler would."""
    await env.advance_time(max(0.0, (until - env.now()).total_seconds()))
    await env.bot.due_work.sweep()


def _prompts(member):
    return [m for m in member.user.dm_channel.history() if m.embeds and m.embeds[0].title == "How are you today?"]


async def test_opting_in_needs_a_time_zone_first(server, store):
    result = await server.alice.slash(server.general, "mood reminders", cadence="daily", time="09:00")

    assert result.ephemeral
    assert "First tell me your time zone with `/settings timezone`" in answer(result).content
    assert await store.reminders.get(server.alice.id) is None
    assert expected_errors(server.env) == ["NotConfigured"]


async def test_opt_in_confirms_by_dm_and_schedules_the_first_prompt_at_local_time(server, store, simcord_env):
    result = await _opt_in(server, zone="America/New_York")

    text = answer(result).content
    assert "Check-in reminders are on: every day at 09:00 your time." in text
    assert "<t:" in text  # shown as a Discord timestamp
    assert "Your check-in reminders will arrive in this chat" in server.alice.user.dm_channel.last_message.content
    due = (await _next_prompt(store, server.alice.id))["due_at"]
    local = due.astimezone(ZoneInfo("America/New_York"))
    assert (local.hour, local.minute) == (9, 0) and due > simcord_env.now()


async def test_reminder_time_inside_quiet_hours_is_refused(server, store):
    await server.alice.slash(server.general, "settings quiet-hours", start="22:00", end="08:00")

    result = await _opt_in(server, time="07:00")

    assert "07:00 is inside your quiet hours (22:00–08:00)" in answer(result).content
    assert await store.reminders.get(server.alice.id) is None
    assert expected_errors(server.env) == ["InvalidInput"]


async def test_weekly_needs_a_day(server):
    result = await _opt_in(server, cadence="weekly")

    assert "pick a `day` too" in result.response.content


async def test_due_prompt_arrives_by_dm_with_five_moods_and_one_tap_records(server, store, simcord_env):
    await _opt_in(server)
    first = (await _next_prompt(store, server.alice.id))["due_at"]

    await _run_due(simcord_env, store, until=first)

    prompt = _prompts(server.alice)[-1]
    ids = [c.custom_id for row in prompt.components for c in row.children]
    assert [i for i in ids if i.startswith("hearth:ci:mood:")] == [
        f"hearth:ci:mood:{m}:{server.guild.id}" for m in range(1, 6)]
    assert "hearth:ci:stop" in ids
    answer = await server.alice.user.click(prompt, custom_id=f"hearth:ci:mood:4:{server.guild.id}")
    assert "Thanks for checking in: 🙂 good" in embed_text(answer)
    checkin = await store.checkins.get(1, server.alice.id)
    assert (checkin.mood, checkin.source, checkin.guild_id) == (4, "prompt", server.guild.id)
    following = (await _next_prompt(store, server.alice.id))["due_at"]
    assert following - first == timedelta(days=1)


async def test_prompt_buttons_work_after_a_restart(server, store, settings, simcord_env):
    await _opt_in(server)
    await _run_due(simcord_env, store, until=(await _next_prompt(store, server.alice.id))["due_at"])
    prompt = _prompts(server.alice)[-1]

    await simcord_env.restart_bot(simulated_bot(store, settings))
    answer = await server.alice.user.click(prompt, custom_id=f"hearth:ci:mood:2:{server.guild.id}")

    assert "Sorry today is hard" in embed_text(answer)
    assert (await store.checkins.get(1, server.alice.id)).mood == 2


async def test_stop_button_ends_prompts(server, store, simcord_env):
    await _opt_in(server)
    await _run_due(simcord_env, store, until=(await _next_prompt(store, server.alice.id))["due_at"])
    pending_key = (await store.reminders.get(server.alice.id)).next_key

    answer = await server.alice.user.click(_prompts(server.alice)[-1], custom_id="hearth:ci:stop")

    assert "no more check-in prompts" in answer.response.content
    assert (await store.reminders.get(server.alice.id)).enabled is False
    assert await store.due_work.get(pending_key) is None
    await _run_due(simcord_env, store, until=simcord_env.now() + timedelta(days=2))
    assert len(_prompts(server.alice)) == 1


async def test_reminders_off_and_show(server, store):
    await _opt_in(server)
    shown = await server.alice.slash(server.general, "mood reminders")
    assert "every day at 09:00" in shown.response.content

    off = await server.alice.slash(server.general, "mood reminders", cadence="off")

    assert off.response.content == "Check-in reminders are off now."
    shown_after = await server.alice.slash(server.general, "mood reminders")
    assert "Check-in reminders are off." in shown_after.response.content


async def test_closed_dms_at_opt_in_are_explained_and_nothing_is_enabled(server, store, simcord_env):
    await server.alice.slash(server.general, "settings timezone", zone="Europe/London")
    simcord_env.inject_error("POST", "/channels/*/messages", status=403, code=CANNOT_DM,
                             message="Cannot send messages to this user")

    result = await server.alice.slash(server.general, "mood reminders", cadence="daily", time="09:00")

    assert "I couldn't send you a direct message" in answer(result).content
    assert await store.reminders.get(server.alice.id) is None
    assert expected_errors(simcord_env) == ["InvalidInput"]


async def test_closed_dms_at_prompt_time_stop_prompts_and_the_member_is_told_once(server, store, simcord_env):
    await _opt_in(server)
    due = (await _next_prompt(store, server.alice.id))["due_at"]
    simcord_env.inject_error("POST", "/channels/*/messages", status=403, code=CANNOT_DM,
                             message="Cannot send messages to this user")

    await _run_due(simcord_env, store, until=due)

    reminder = await store.reminders.get(server.alice.id)
    assert (reminder.enabled, reminder.stopped_reason) == (False, "dms_closed")
    assert (await store.members.get(server.alice.id)).dms_closed_at is not None
    next_command = await server.alice.slash(server.general, "about")
    assert any("Discord wouldn't let me send you a direct message" in f.content for f in next_command.followups)
    again = await server.alice.slash(server.general, "about")
    assert again.followups == []


async def test_a_prompt_hours_late_after_downtime_is_skipped_not_sent(server, store, simcord_env):
    await _opt_in(server)
    due = (await _next_prompt(store, server.alice.id))["due_at"]

    await _run_due(simcord_env, store, until=due + timedelta(hours=5))  # the bot was down

    assert _prompts(server.alice) == []
    following = (await _next_prompt(store, server.alice.id))["due_at"]
    assert following == due + timedelta(days=1)


async def test_downtime_of_days_never_sends_a_burst(server, store, simcord_env):
    await _opt_in(server)

    await _run_due(simcord_env, store, until=simcord_env.now() + timedelta(days=4))
    await simcord_env.bot.due_work.sweep()

    assert len(_prompts(server.alice)) <= 1


async def test_quiet_hours_set_after_opt_in_delay_the_prompt_to_their_end(server, store, simcord_env):
    await _opt_in(server, time="09:00")
    due = (await _next_prompt(store, server.alice.id))["due_at"]
    await server.alice.slash(server.general, "settings quiet-hours", start="08:00", end="10:30")

    await _run_due(simcord_env, store, until=due)

    assert _prompts(server.alice) == []
    moved = (await _next_prompt(store, server.alice.id))["due_at"]
    assert moved.astimezone(ZoneInfo("Europe/London")).strftime("%H:%M") == "10:30"
    await _run_due(simcord_env, store, until=moved)
    assert len(_prompts(server.alice)) == 1


async def test_a_9am_prompt_stays_at_9am_local_across_the_dst_change(server, store, simcord_env):
    # SimCord starts on 2026-01-01; move to the day before the UK's clocks go forward (29 March 2026).
    await simcord_env.advance_time((datetime(2026, 3, 27, 12, tzinfo=UTC) - simcord_env.now()).total_seconds())
    await _opt_in(server, zone="Europe/London")
    seen = []
    for _ in range(3):
        due = (await _next_prompt(store, server.alice.id))["due_at"]
        await _run_due(simcord_env, store, until=due)
        seen.append(due)

    assert [d.astimezone(ZoneInfo("Europe/London")).strftime("%H:%M") for d in seen] == ["09:00"] * 3
    assert [d.strftime("%H:%M") for d in seen] == ["09:00", "08:00", "08:00"]  # UTC moves with the clocks
    assert len(_prompts(server.alice)) == 3


async def test_changing_the_time_replaces_the_pending_prompt(server, store):
    await _opt_in(server, time="09:00")
    old_key = (await store.reminders.get(server.alice.id)).next_key

    await server.alice.slash(server.general, "mood reminders", cadence="weekly", time="18:30", day=4)

    assert await store.due_work.get(old_key) is None
    row = await _next_prompt(store, server.alice.id)
    local = row["due_at"].astimezone(ZoneInfo("Europe/London"))
    assert (local.weekday(), local.strftime("%H:%M")) == (4, "18:30")
    assert row["kind"] == PROMPT_KIND

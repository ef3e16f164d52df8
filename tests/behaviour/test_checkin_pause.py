"""Pausing check-in prompts until a day (a holiday): from /mood reminders and from the prompt itself; the pause
ends by itself, in the member's zone, across clock changes, and only the recipient can use the prompt's button."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.demo.sim import simulated_bot
from bot.ui.components import NOT_YOURS
from tests.behaviour.forge import forge_click
from tests.behaviour.world import answer, consenting_server, expected_errors

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
async def server(simcord_env):
    return await consenting_server(simcord_env)


async def _opt_in(server, zone="Europe/London", **options):
    await server.alice.slash(server.general, "settings timezone", zone=zone)
    options = {"cadence": "daily", "time": "09:00", **options}
    return await server.alice.slash(server.general, "mood reminders", **options)


async def _pause(server, until: str):
    return await server.alice.slash(server.general, "mood reminders", pause_until=until)


async def _next_due(store, user_id) -> datetime:
    reminder = await store.reminders.get(user_id)
    return (await store.due_work.get(reminder.next_key))["due_at"]


async def _run_due(env, *, until: datetime) -> None:
    await env.advance_time(max(0.0, (until - env.now()).total_seconds()))
    await env.bot.due_work.sweep()


async def _run_daily(env, *, until: datetime) -> None:
    """Sweep at least once a day up to `until`, as the scheduler would: any prompt due would go out."""
    while env.now() + timedelta(days=1) < until:
        await _run_due(env, until=env.now() + timedelta(days=1))
    await _run_due(env, until=until)


def _prompts(member):
    return [m for m in member.user.dm_channel.history() if m.embeds and m.embeds[0].title == "How are you today?"]


def _ts(moment: datetime, style: str) -> str:
    return f"<t:{int(moment.timestamp())}:{style}>"


async def test_pausing_from_the_command_sends_nothing_until_the_day_then_prompts_resume(server, store, simcord_env):
    await _opt_in(server)  # SimCord's clock starts on Thursday 1 January 2026, London is on GMT
    old_key = (await store.reminders.get(server.alice.id)).next_key

    result = await _pause(server, "2026-01-10")

    ends = datetime(2026, 1, 10, tzinfo=UTC)
    first = datetime(2026, 1, 10, 9, tzinfo=UTC)
    assert result.ephemeral
    assert result.response.content.startswith(f"Check-in prompts are paused until {_ts(ends, 'D')}.")
    assert f"the next one comes {_ts(first, 'F')}" in result.response.content
    assert await store.reminders.paused_until(server.alice.id) == ends
    assert await store.due_work.get(old_key) is None  # the planned prompt went, in the same transaction
    assert await _next_due(store, server.alice.id) == first

    await _run_daily(simcord_env, until=datetime(2026, 1, 10, 8, 59, tzinfo=UTC))
    assert _prompts(server.alice) == []

    await _run_due(simcord_env, until=first)
    assert len(_prompts(server.alice)) == 1
    assert await _next_due(store, server.alice.id) == first + timedelta(days=1)


async def test_show_tells_the_pause_and_when_prompts_come_back(server, store):
    await _opt_in(server)
    await _pause(server, "24 jan")

    shown = await server.alice.slash(server.general, "mood reminders")

    text = shown.response.content
    assert "Check-in reminders are on: every day at 09:00 your time." in text
    assert f"Paused until {_ts(datetime(2026, 1, 24, tzinfo=UTC), 'D')}" in text
    assert _ts(datetime(2026, 1, 24, 9, tzinfo=UTC), "F") in text


async def test_the_pause_is_read_in_the_members_zone(server, store):
    await _opt_in(server, zone="America/New_York")

    await _pause(server, "next monday")  # Thursday 1 January: Monday 5 January, New York time

    ends = await store.reminders.paused_until(server.alice.id)
    assert ends.astimezone(ZoneInfo("America/New_York")) == datetime(2026, 1, 5, tzinfo=ZoneInfo("America/New_York"))
    first = (await _next_due(store, server.alice.id)).astimezone(ZoneInfo("America/New_York"))
    assert (first.date().isoformat(), first.strftime("%H:%M")) == ("2026-01-05", "09:00")


async def test_resuming_early_plans_the_next_regular_prompt(server, store, simcord_env):
    await _opt_in(server)
    await _pause(server, "2026-02-01")
    paused_key = (await store.reminders.get(server.alice.id)).next_key
    await _run_due(simcord_env, until=datetime(2026, 1, 3, 12, tzinfo=UTC))

    result = await _pause(server, "off")

    following = datetime(2026, 1, 4, 9, tzinfo=UTC)
    assert result.response.content == (f"Check-in prompts are back: the next one comes {_ts(following, 'R')} "
                                       f"({_ts(following, 'f')}).")
    assert await store.reminders.paused_until(server.alice.id) is None
    assert await store.due_work.get(paused_key) is None
    await _run_due(simcord_env, until=following)
    assert len(_prompts(server.alice)) == 1

    again = await _pause(server, "resume")
    assert again.response.content == "Check-in prompts weren't paused, so nothing changed."


@pytest.mark.parametrize(("typed", "says"), [
    ("the day after the big storm", "I couldn't read “the day after the big storm” as a day."),
    ("2025-12-24", "Wednesday 24 December 2025 isn't after today"),
    ("today", "isn't after today"),
    ("2026-09-01", "is more than six months away. Pick a day before"),
    ("05/06", "“05/06” could be 5 June or 6 May."),
])
async def test_nonsense_past_or_far_dates_get_a_sentence_and_change_nothing(server, store, simcord_env, typed, says):
    await _opt_in(server)
    before = await store.reminders.get(server.alice.id)

    result = await _pause(server, typed)

    assert result.ephemeral and says in result.response.content
    assert "Traceback" not in result.response.content
    assert await store.reminders.get(server.alice.id) == before
    assert await store.reminders.paused_until(server.alice.id) is None
    assert expected_errors(simcord_env) == ["InvalidInput"]


async def test_pausing_with_reminders_off_says_so(server, store, simcord_env):
    await server.alice.slash(server.general, "settings timezone", zone="Europe/London")

    result = await _pause(server, "24 jan")

    assert "Check-in reminders are off, so there's nothing to pause." in result.response.content
    assert await store.reminders.get(server.alice.id) is None
    assert expected_errors(simcord_env) == ["NotConfigured"]


async def test_the_prompts_pause_button_offers_a_week_and_the_pause_ends_by_itself(server, store, simcord_env):
    await _opt_in(server)
    first = await _next_due(store, server.alice.id)
    await _run_due(simcord_env, until=first)  # Thursday 1 January, 09:00
    prompt = _prompts(server.alice)[-1]

    choices = await server.alice.user.click(prompt, custom_id="hearth:ci:pause")
    assert choices.ephemeral and "Pause check-in prompts for how long?" in choices.response.content
    done = await server.alice.user.click(choices.response, custom_id="hearth:ci:pause:7")

    ends = datetime(2026, 1, 8, tzinfo=UTC)
    assert done.response.content.startswith(f"Check-in prompts are paused until {_ts(ends, 'D')}.")
    assert await store.reminders.paused_until(server.alice.id) == ends
    await _run_daily(simcord_env, until=datetime(2026, 1, 7, 23, tzinfo=UTC))
    assert len(_prompts(server.alice)) == 1
    await _run_due(simcord_env, until=datetime(2026, 1, 8, 9, tzinfo=UTC))
    assert len(_prompts(server.alice)) == 2


async def test_the_prompts_pause_button_takes_a_date_in_a_form(server, store, simcord_env):
    await _opt_in(server)
    await _run_due(simcord_env, until=await _next_due(store, server.alice.id))
    choices = await server.alice.user.click(_prompts(server.alice)[-1], custom_id="hearth:ci:pause")
    form = await server.alice.user.click(choices.response, custom_id="hearth:ci:pause:date")

    done = await server.alice.user.submit_modal(form, {"until": "20 jan"})

    assert f"paused until {_ts(datetime(2026, 1, 20, tzinfo=UTC), 'D')}" in done.response.content
    assert await _next_due(store, server.alice.id) == datetime(2026, 1, 20, 9, tzinfo=UTC)


async def test_the_pause_button_works_after_a_restart(server, store, settings, simcord_env):
    await _opt_in(server)
    await _run_due(simcord_env, until=await _next_due(store, server.alice.id))
    prompt = _prompts(server.alice)[-1]
    await simcord_env.restart_bot(simulated_bot(store, settings))

    choices = await server.alice.user.click(prompt, custom_id="hearth:ci:pause")
    await simcord_env.restart_bot(simulated_bot(store, settings))  # the choices outlive a restart too
    done = await server.alice.user.click(choices.response, custom_id="hearth:ci:pause:14")

    assert "Check-in prompts are paused until" in done.response.content
    assert await store.reminders.paused_until(server.alice.id) == datetime(2026, 1, 15, tzinfo=UTC)


async def test_someone_else_cannot_pause_a_members_prompts(server, store, simcord_env):
    await _opt_in(server)
    await _run_due(simcord_env, until=await _next_due(store, server.alice.id))
    prompt = _prompts(server.alice)[-1]
    key = (await store.reminders.get(server.alice.id)).next_key

    refused = await forge_click(simcord_env, server.bob, prompt, "hearth:ci:pause")
    choices = await server.alice.user.click(prompt, custom_id="hearth:ci:pause")
    refused_choice = await forge_click(simcord_env, server.bob, choices.response, "hearth:ci:pause:7")

    assert refused.response.content == NOT_YOURS
    assert refused_choice.response.content == NOT_YOURS
    assert await store.reminders.paused_until(server.alice.id) is None
    assert (await store.reminders.get(server.alice.id)).next_key == key


async def test_a_pause_across_the_clock_change_resumes_at_local_9am(server, store, simcord_env):
    # The UK's clocks go forward on Sunday 29 March 2026: the pause ends at local midnight, BST.
    await simcord_env.advance_time((datetime(2026, 3, 20, 12, tzinfo=UTC) - simcord_env.now()).total_seconds())
    await _opt_in(server)

    await _pause(server, "2026-03-30")

    assert await store.reminders.paused_until(server.alice.id) == datetime(2026, 3, 29, 23, tzinfo=UTC)
    await _run_daily(simcord_env, until=datetime(2026, 3, 30, 7, 59, tzinfo=UTC))
    assert _prompts(server.alice) == []
    first = await _next_due(store, server.alice.id)
    assert first == datetime(2026, 3, 30, 8, tzinfo=UTC)
    assert first.astimezone(LONDON).strftime("%H:%M") == "09:00"
    await _run_due(simcord_env, until=first)
    assert len(_prompts(server.alice)) == 1


async def test_a_prompt_planned_before_the_pause_and_due_during_it_only_plans_the_next(server, store, simcord_env):
    await _opt_in(server)
    key = (await store.reminders.get(server.alice.id)).next_key
    due = await _next_due(store, server.alice.id)
    # As if the pause were written while this prompt row was already planned (it keeps pointing at it).
    ends = datetime(2026, 1, 6, tzinfo=UTC)
    assert await store.reminders.set_pause(server.alice.id, ends, expected=key, key=key, now=simcord_env.now())

    await _run_due(simcord_env, until=due)

    assert _prompts(server.alice) == []
    assert await _next_due(store, server.alice.id) == datetime(2026, 1, 6, 9, tzinfo=UTC)
    await simcord_env.bot.due_work.sweep()  # a second sweep sends and moves nothing
    assert _prompts(server.alice) == []
    assert await _next_due(store, server.alice.id) == datetime(2026, 1, 6, 9, tzinfo=UTC)


async def test_the_first_prompt_after_a_pause_keeps_out_of_quiet_hours(server, store):
    await _opt_in(server)
    await server.alice.slash(server.general, "settings quiet-hours", start="08:00", end="10:30")

    await _pause(server, "2026-01-12")

    first = (await _next_due(store, server.alice.id)).astimezone(LONDON)
    assert (first.date().isoformat(), first.strftime("%H:%M")) == ("2026-01-12", "10:30")


async def test_a_new_time_during_a_pause_keeps_the_pause_and_off_ends_it(server, store):
    await _opt_in(server)
    await _pause(server, "2026-01-12")

    changed = await server.alice.slash(server.general, "mood reminders", cadence="weekly", time="18:30", day=4)

    assert "Paused until" in answer(changed).content
    first = (await _next_due(store, server.alice.id)).astimezone(LONDON)
    assert (first.date().isoformat(), first.strftime("%H:%M")) == ("2026-01-16", "18:30")  # the Friday after
    await server.alice.slash(server.general, "mood reminders", cadence="off")
    assert await store.reminders.paused_until(server.alice.id) is None


async def test_a_pause_with_other_options_is_explained(server, store):
    await _opt_in(server)

    result = await server.alice.slash(server.general, "mood reminders", cadence="daily", time="10:00",
                                      pause_until="24 jan")

    assert "Pause on its own" in result.response.content
    assert await store.reminders.paused_until(server.alice.id) is None


async def test_the_export_includes_the_pause(server, store):
    await _opt_in(server)
    await _pause(server, "2026-01-10")

    await server.alice.slash(server.general, "privacy export")

    (attachment,) = server.alice.user.dm_channel.last_message.attachments
    document = json.loads(await attachment.read())
    assert document["sections"]["checkin_reminder"]["paused_until"] == "2026-01-10T00:00:00Z"

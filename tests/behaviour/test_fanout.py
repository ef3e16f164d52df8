"""Fan-out to many members: a crash mid-way, Discord's 5xx and 429 answers, and closed DMs."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from bot.demo.sim import simulated_bot
from bot.domain.event_reminders import reminder_key
from bot.scheduling import DueHandler, DueWorkRunner
from bot.services.event_reminders import REMINDER_KIND
from bot.store import DueItem
from bot.tree import CANNOT_DM
from bot.ui.dm import nonce_for
from tests.behaviour.world import build_server, expected_errors

NAMES = ("alice", "bob", "carol", "dev", "erin", "femi", "gus", "hana")


class ProcessDied(BaseException):
    """Stands in for a process killed mid-row: not an Exception, so nothing in the runner catches it."""


@pytest.fixture
def server(simcord_env):
    return build_server(simcord_env)


async def _meetup_with_everyone_going(server, store, env):
    await server.organiser.slash(server.general, "hearth setup", events=server.events, timezone="Europe/London")
    shown = await server.organiser.slash(server.general, "event-admin create", title="Picnic", start="2026-01-10 12:00",
                                         duration=120, mode="in_person", venue="The park", tag="social")
    await server.organiser.click(shown.response, custom_id="hearth:ev:confirm")
    event = (await store.events.upcoming(server.guild.id, env.now()))[0]
    members = [server.alice, server.bob] + [server.guild.add_member(env.create_user(name)) for name in NAMES[2:]]
    for member in members:
        await member.click(server.events.last_message, custom_id=f"hearth:ev:rsvp:{event.id}:going")
    await env.advance_time((event.start_at - timedelta(hours=24) - env.now()).total_seconds())
    return event, members


def _reminders_to(member) -> list[str]:
    channel = member.user.dm_channel
    return [m.content for m in channel.history()] if channel else []


def _dying_after(handler: DueHandler, rows: int) -> DueHandler:
    """The real handler for `rows` rows; on the last of them the process dies after the send, before `complete`."""
    seen = 0

    async def run(item: DueItem) -> None:
        nonlocal seen
        seen += 1
        await handler(item)
        if seen == rows:
            raise ProcessDied

    return run


async def test_a_crash_mid_fan_out_neither_repeats_nor_loses_a_reminder(server, store, settings, simcord_env):
    bot = simcord_env.bot
    event, members = await _meetup_with_everyone_going(server, store, simcord_env)
    dead = DueWorkRunner(store, bot.clock, owner="dead-host:1", batch=100, lease=bot.due_work.lease,
                         max_attempts=5)
    dead.register(REMINDER_KIND, _dying_after(bot.due_work.handler(REMINDER_KIND), rows=3))

    with pytest.raises(ProcessDied):
        await dead.sweep()
    sent_before_crash = sum(len(_reminders_to(member)) for member in members)
    assert sent_before_crash == 3
    assert (await bot.due_work.sweep()).claimed == 0  # the dead process's claims still hold

    await simcord_env.restart_bot(simulated_bot(store, settings))  # the process comes back
    await simcord_env.advance_time(bot.due_work.lease.total_seconds() + 1)
    report = await simcord_env.bot.due_work.sweep()

    assert report.claimed == len(members) - 2 and report.done == len(members) - 2
    assert [len(_reminders_to(member)) for member in members] == [1] * len(members)
    sends = [request for request in simcord_env.http_requests
             if request.method == "POST" and request.path.endswith("/messages") and "⏰" in str(request.json)]
    nonces = Counter(request.json["nonce"] for request in sends)
    assert len(nonces) == len(members) and set(nonces.values()) == {1}
    keys = [reminder_key(event.id, member.id, "24h", event.start_at) for member in members]
    assert all([(await store.due_work.get(key))["done_at"] is not None for key in keys])
    assert {str(nonce_for(key)) for key in keys} == set(nonces)


async def test_server_errors_and_rate_limits_are_retried_and_every_reminder_arrives_once(server, store, simcord_env):
    bot = simcord_env.bot
    _, members = await _meetup_with_everyone_going(server, store, simcord_env)
    acquired_before = bot.rate_limiter.acquired  # the announcement's post was paced too
    simcord_env.inject_error("POST", "/channels/*/messages", status=500, times=2)
    simcord_env.inject_error("POST", "/channels/*/messages", status=429, message="You are being rate limited.",
                             times=1)

    first = await bot.due_work.sweep()
    assert (first.done, first.retried) == (len(members) - 3, 3)
    await simcord_env.advance_time(60)
    second = await bot.due_work.sweep()

    assert (second.done, second.retried, second.gave_up) == (3, 0, 0)
    assert [len(_reminders_to(member)) for member in members] == [1] * len(members)
    # Every request the fan-out made, retries included, waited for the one global pace.
    dm_channels = {f"/channels/{member.user.dm_channel.id}/messages" for member in members}
    paced = [r for r in simcord_env.http_requests
             if r.method == "POST" and (r.path == "/users/@me/channels" or r.path in dm_channels)]
    assert len(paced) == 2 * len(members) + 3  # a conversation and a reminder each, and the three retries
    assert bot.rate_limiter.acquired - acquired_before == len(paced)
    assert expected_errors(simcord_env) == []


async def test_closed_dms_are_marked_once_and_never_retried(server, store, simcord_env):
    bot = simcord_env.bot
    _, members = await _meetup_with_everyone_going(server, store, simcord_env)
    simcord_env.inject_error("POST", "/channels/*/messages", status=403, code=CANNOT_DM,
                             message="Cannot send messages to this user", times=1)

    report = await bot.due_work.sweep()

    assert (report.done, report.retried) == (len(members), 0)
    closed = [member for member in members if (await store.members.get(member.id)).dms_closed_at is not None]
    assert len(closed) == 1 and _reminders_to(closed[0]) == []
    assert sum(len(_reminders_to(member)) for member in members) == len(members) - 1
    await simcord_env.advance_time(23 * 3600)  # the hour-before reminder skips them without asking Discord
    before = len(simcord_env.http_requests)
    await bot.due_work.sweep()
    dm_channel = closed[0].user.dm_channel
    assert all(not request.path.startswith(f"/channels/{dm_channel.id}")
               for request in simcord_env.http_requests[before:])


async def test_queued_notices_arrive_once_each_and_skip_members_who_turned_dms_off(server, store, simcord_env):
    bot = simcord_env.bot
    await server.bob.slash(server.general, "settings dms", enabled="off")

    queued = await bot.notices.queue([server.alice.id, server.bob.id, server.alice.id], "The picnic moved indoors.",
                                     "picnic-moved")
    again = await bot.notices.queue([server.alice.id], "The picnic moved indoors.", "picnic-moved")
    report = await bot.due_work.sweep()

    assert (queued, again, report.done) == (2, 0, 2)
    assert _reminders_to(server.alice) == ["The picnic moved indoors."]
    assert _reminders_to(server.bob) == []

"""/buddy and /hearth buddies: opt-in, pauses, blocks, rounds in private threads, follow-ups."""

from __future__ import annotations

from datetime import timedelta

import discord
import pytest

from bot.demo.sim import simulated_bot
from bot.domain.buddy_work import RoundDue
from bot.scheduling import DueWorkRunner
from tests.behaviour.buddies_world import configure, join, threads_of
from tests.behaviour.world import answer, consenting_server, embed_text, expected_errors, newcomer


@pytest.fixture
async def server(simcord_env):
    return await consenting_server(simcord_env)


async def _member(server, name):
    return await newcomer(server, name)


async def test_join_form_saves_what_the_member_chose(server, store):
    await configure(server)

    saved = await join(server.alice, server.general, area="leeds", preference="in_person",
                       interests=["walks", "books"], tags="Chess, baking")

    assert "You're in the buddy pool" in saved.response.content
    profile = await store.buddies.profile(server.guild.id, server.alice.id)
    assert (profile.area, profile.preference, profile.frequency) == ("Leeds", "in_person", "every")
    assert profile.interests == ("walks", "books", "chess", "baking")
    assert profile.active


async def test_nobody_is_enrolled_by_default(server, store):
    await configure(server)

    status = await server.alice.slash(server.general, "buddy status")

    assert "You're not in the buddy pool" in embed_text(status)
    assert await store.buddies.profile(server.guild.id, server.alice.id) is None


async def test_in_person_needs_an_area_and_an_address_is_refused(server, store):
    await configure(server)

    no_area = await join(server.alice, server.general, area=None, preference="in_person")
    assert "add your area" in no_area.response.content
    address = await join(server.bob, server.general, area="12 High Street LS1 4AP")
    assert "not an address or postcode" in address.response.content
    assert await store.buddies.profile(server.guild.id, server.alice.id) is None
    assert await store.buddies.profile(server.guild.id, server.bob.id) is None
    assert expected_errors(server.env) == []  # sentences from the form's own handler, nothing unexpected


async def test_organiser_settings_need_a_buddies_channel_first(server):
    result = await server.organiser.slash(server.general, "hearth buddies settings", cadence=1)

    assert "First choose a buddies channel" in result.response.content
    assert expected_errors(server.env) == ["NotConfigured"]


async def test_settings_schedule_the_next_round_in_server_time(server, store):
    result = await configure(server, cadence=2, day=2, hour=19)

    assert "Buddy rounds are on" in result.response.content
    assert "every 2 weeks, Wednesdays at 19:00" in result.response.content
    config = await store.buddies.config(server.guild.id)
    row = await store.due_work.get(config.next_round_key)
    local = row["due_at"].astimezone(__import__("zoneinfo").ZoneInfo("Europe/London"))
    assert (local.weekday(), local.hour) == (2, 19)


async def test_members_cannot_run_organiser_buddy_commands(server):
    assert "hearth buddies pair-now" not in server.alice.available_commands(server.general)
    assert "hearth buddies pair-now" in server.organiser.available_commands(server.general)


async def test_pair_now_pairs_people_in_the_same_town_in_private_threads(server, store, simcord_env):
    await configure(server)
    carol, dan = await _member(server, "carol"), await _member(server, "dan")
    await join(server.alice, server.general, area="Leeds", preference="in_person", interests=["walks"])
    await join(carol, server.general, area="Leeds", preference="either", interests=["walks"])
    await join(server.bob, server.general, area="York", preference="in_person")
    await join(dan, server.general, area="York", preference="either")

    result = await server.organiser.slash(server.general, "hearth buddies pair-now")

    assert "4 in the pool, 2 pairs" in answer(result).content
    threads = threads_of(server.buddies)
    assert len(threads) == 2
    intros = {thread.name: thread.last_message.content for thread in threads}
    leeds = next(text for name, text in intros.items() if "alice" in name)
    assert f"<@{server.alice.id}>" in leeds and f"<@{carol.id}>" in leeds
    assert "around **Leeds** and open to meeting in person" in leeds
    assert "walks" in leeds and "somewhere public" in leeds
    thread_ids = {str(t.id) for t in threads}
    post = next(r for r in simcord_env.http_requests if r.method == "POST" and r.path.endswith("/messages")
                and r.path.split("/")[2] in thread_ids)
    assert post.json["allowed_mentions"]["parse"] == []
    assert set(map(int, post.json["allowed_mentions"]["users"])) <= {server.alice.id, carol.id, server.bob.id, dan.id}


async def test_odd_pool_makes_a_trio_and_one_member_is_told_kindly(server, store, simcord_env):
    await configure(server)
    carol = await _member(server, "carol")
    for member in (server.alice, server.bob, carol):
        await join(member, server.general, area="Leeds")

    result = await server.organiser.slash(server.general, "hearth buddies pair-now")

    assert "3 in the pool, 0 pairs and 1 trio" in answer(result).content
    (thread,) = threads_of(server.buddies)
    assert all(f"<@{m.id}>" in thread.last_message.content for m in (server.alice, server.bob, carol))


async def test_a_one_member_pool_is_told_they_are_first_in_line(server, store):
    await configure(server)
    await join(server.alice, server.general)

    result = await server.organiser.slash(server.general, "hearth buddies pair-now")

    assert "1 in the pool, 0 pairs; 1 couldn't be matched" in answer(result).content
    await server.env.bot.due_work.sweep()  # the note is queued as due work, one row per member
    assert "first in line next round" in server.alice.user.dm_channel.last_message.content
    assert (await store.buddies.profile(server.guild.id, server.alice.id)).missed_last_round
    status = await server.alice.slash(server.general, "buddy status")
    assert "first in line next time" in embed_text(status)


async def test_an_empty_pool_is_fine(server):
    await configure(server)

    result = await server.organiser.slash(server.general, "hearth buddies pair-now")

    assert "0 in the pool, 0 pairs" in answer(result).content
    assert threads_of(server.buddies) == []


async def test_blocked_pairs_are_never_made_and_the_other_is_not_told(server, store):
    await configure(server)
    await join(server.alice, server.general)
    await join(server.bob, server.general)

    blocked = await server.alice.slash(server.general, "buddy block", member=server.bob)
    await server.organiser.slash(server.general, "hearth buddies pair-now")

    assert blocked.ephemeral and "They aren't told" in blocked.response.content
    assert threads_of(server.buddies) == []
    assert server.bob.user.dm_channel.last_message is None or "block" not in (
        server.bob.user.dm_channel.last_message.content.lower())


async def test_paused_members_are_not_paired_and_the_pause_ends_by_itself(server, store, simcord_env):
    await configure(server)
    await join(server.alice, server.general)
    await join(server.bob, server.general)

    paused = await server.alice.slash(server.general, "buddy pause", weeks=1)
    assert "Paused until" in paused.response.content
    await server.organiser.slash(server.general, "hearth buddies pair-now")
    assert threads_of(server.buddies) == []

    await simcord_env.advance_time(timedelta(weeks=1, hours=1).total_seconds())
    await server.organiser.slash(server.general, "hearth buddies pair-now")
    assert len(threads_of(server.buddies)) == 1


async def test_resume_ends_a_pause_and_leave_leaves(server, store):
    await configure(server)
    await join(server.alice, server.general)
    await server.alice.slash(server.general, "buddy pause", weeks=4)

    resumed = await server.alice.slash(server.general, "buddy resume")
    assert "Welcome back" in resumed.response.content
    left = await server.alice.slash(server.general, "buddy leave")
    assert "You've left the buddy pool" in left.response.content
    assert not (await store.buddies.profile(server.guild.id, server.alice.id)).active

    again = await server.alice.slash(server.general, "buddy pause", weeks=2)
    assert "You're not in the buddy pool" in again.response.content
    assert expected_errors(server.env) == ["NotConfigured"]


async def test_status_shows_the_current_buddy_and_next_round(server, store):
    await configure(server)
    await join(server.alice, server.general)
    await join(server.bob, server.general)
    await server.organiser.slash(server.general, "hearth buddies pair-now")

    status = await server.alice.slash(server.general, "buddy status")

    text = embed_text(status)
    assert f"<@{server.bob.id}>" in text and "Next round" in text and "Buddies so far: 1" in text


async def test_a_round_is_idempotent(server, store, simcord_env):
    await configure(server)
    await join(server.alice, server.general)
    await join(server.bob, server.general)
    cog = simcord_env.bot.get_cog("Buddies")
    key = "buddy-round:test:once"

    first = await simcord_env.bot.services.rounds.run_round(server.guild.id, key)
    await cog.delivery.deliver(first)
    second = await simcord_env.bot.services.rounds.run_round(server.guild.id, key)
    await cog.delivery.deliver(second)

    assert first.created and not second.created
    assert [g.members for g in first.groups] == [g.members for g in second.groups]
    assert len(threads_of(server.buddies)) == 1


async def test_scheduled_round_runs_from_due_work_and_schedules_the_next(server, store, simcord_env):
    await configure(server, cadence=1)
    await join(server.alice, server.general)
    await join(server.bob, server.general)
    first_key = (await store.buddies.config(server.guild.id)).next_round_key
    due = (await store.due_work.get(first_key))["due_at"]

    await simcord_env.advance_time((due - simcord_env.now()).total_seconds())
    await simcord_env.bot.due_work.sweep()

    assert len(threads_of(server.buddies)) == 1
    next_key = (await store.buddies.config(server.guild.id)).next_round_key
    assert next_key != first_key
    assert (await store.due_work.get(next_key))["due_at"] - due == timedelta(weeks=1)


async def test_heads_up_a_day_before_lets_a_member_skip_the_round(server, store, simcord_env):
    await configure(server, cadence=1)
    carol = await _member(server, "carol")
    for member in (server.alice, server.bob, carol):
        await join(member, server.general)
    due = (await store.due_work.get((await store.buddies.config(server.guild.id)).next_round_key))["due_at"]

    await simcord_env.advance_time((due - timedelta(days=1) - simcord_env.now()).total_seconds())
    await simcord_env.bot.due_work.sweep()  # the heads-up queues one DM per member…
    await simcord_env.bot.due_work.sweep()  # …which the next sweep sends
    round_key = (await store.buddies.config(server.guild.id)).next_round_key
    await simcord_env.bot.services.rounds.heads_up(server.guild.id, round_key)  # re-run, as after a crash
    await simcord_env.bot.due_work.sweep()
    assert [m.content for m in carol.user.dm_channel.history()].count(carol.user.dm_channel.last_message.content) == 1
    heads_up = carol.user.dm_channel.last_message
    assert "starts tomorrow" in heads_up.content
    skipped = await carol.user.click(heads_up, custom_id=heads_up.components[0].children[0].custom_id)
    assert "sit this round out" in skipped.response.content
    await simcord_env.advance_time(timedelta(days=1).total_seconds())
    await simcord_env.bot.due_work.sweep()

    (thread,) = threads_of(server.buddies)
    assert f"<@{carol.id}>" not in thread.last_message.content


async def test_follow_up_asks_did_you_meet_and_answers_work_after_a_restart(server, store, settings, simcord_env):
    await configure(server, cadence=2)
    await join(server.alice, server.general)
    await join(server.bob, server.general)
    await server.organiser.slash(server.general, "hearth buddies pair-now")
    (thread,) = threads_of(server.buddies)
    round_ = (await store.buddies.recent_rounds(server.guild.id, 1))[0]

    await simcord_env.advance_time((round_.followup_at - simcord_env.now()).total_seconds())
    await simcord_env.bot.due_work.sweep()
    question = thread.last_message
    assert "Did you meet?" in question.content
    labels = [child.label for row in question.components for child in row.children]
    assert labels == ["In person", "Online", "Not yet", "Skip this round"]

    await simcord_env.restart_bot(simulated_bot(store, settings))
    group_id = int(question.components[0].children[0].custom_id.split(":")[3])
    answer_ = await server.alice.click(question, custom_id=f"hearth:bd:met:{group_id}:in_person")

    assert answer_.ephemeral and "Meeting in person is what this is all about" in answer_.response.content
    group = await store.buddies.group(group_id)
    assert group.answers[server.alice.id] == "in_person"


async def test_only_the_groups_members_can_answer_its_follow_up(server, store, simcord_env):
    await configure(server)
    carol = await _member(server, "carol")
    await join(server.alice, server.general)
    await join(server.bob, server.general)
    await server.organiser.slash(server.general, "hearth buddies pair-now")
    group = (await store.buddies.groups((await store.buddies.recent_rounds(server.guild.id, 1))[0].id))[0]

    with pytest.raises(Exception, match="for the buddies in this group"):
        await simcord_env.bot.services.buddies.answer(group.id, carol.id, "in_person")


async def test_stats_are_aggregates_and_hidden_below_five_answers(server, store):
    await configure(server)
    await join(server.alice, server.general)
    await join(server.bob, server.general)
    await server.organiser.slash(server.general, "hearth buddies pair-now")

    result = await server.organiser.slash(server.general, "hearth buddies stats")

    text = embed_text(result)
    assert "In the pool now: 2" in text
    assert "Shown once at least 5 groups have answered" in text
    assert str(server.alice.id) not in text


async def test_when_a_thread_is_impossible_each_buddy_gets_a_dm_naming_the_other(server, store, simcord_env):
    await configure(server)
    await join(server.alice, server.general)
    await join(server.bob, server.general)
    simcord_env.inject_error("POST", "/channels/*/threads", status=403, code=50013, message="Missing Permissions")

    await server.organiser.slash(server.general, "hearth buddies pair-now")
    await simcord_env.bot.due_work.sweep()

    assert threads_of(server.buddies) == []
    to_alice = server.alice.user.dm_channel.last_message.content
    assert "you're buddies" in to_alice and f"<@{server.bob.id}>" in to_alice
    group = (await store.buddies.groups((await store.buddies.recent_rounds(server.guild.id, 1))[0].id))[0]
    assert group.delivered == "dm"


async def test_a_member_who_left_the_server_is_handled(server, store):
    await configure(server)
    await join(server.alice, server.general)
    await join(server.bob, server.general)
    server.guild.remove_member(server.bob)

    await server.organiser.slash(server.general, "hearth buddies pair-now")
    await server.env.bot.due_work.sweep()

    assert threads_of(server.buddies) == []
    assert "has left the server" in server.alice.user.dm_channel.last_message.content


async def test_report_goes_privately_to_the_support_channel(server):
    support = server.guild.create_text_channel("mod-support")
    await server.organiser.slash(server.general, "hearth checkins", support_channel=support)

    result = await server.alice.slash(server.general, "buddy report", member=server.bob, what="Made me uneasy")

    assert result.ephemeral and "The moderators have your report" in result.response.content
    assert "Made me uneasy" in support.last_message.content


async def test_a_report_the_support_channel_refuses_says_so_instead_of_failing(server, simcord_env):
    support = server.guild.create_text_channel("mod-support")
    await server.organiser.slash(server.general, "hearth checkins", support_channel=support)
    audit = support.last_message.id  # the settings change itself is posted there
    simcord_env.inject_error("POST", f"/channels/{support.id}/messages", status=403)

    result = await server.alice.slash(server.general, "buddy report", member=server.bob, what="Made me uneasy")

    assert result.ephemeral and "your report was not passed on" in result.response.content
    assert "message a moderator directly" in result.response.content
    assert support.last_message.id == audit  # nothing else reached the channel


async def test_low_mood_offers_the_current_buddy(server):
    await configure(server)
    await join(server.alice, server.general)
    await join(server.bob, server.general)
    await server.organiser.slash(server.general, "hearth buddies pair-now")

    result = await server.alice.slash(server.general, "checkin", mood=2)

    assert f"Your buddy: <@{server.bob.id}> is there for you" in embed_text(result)


async def test_members_who_never_answer_are_gently_offered_a_pause(server, store, simcord_env):
    await configure(server, repeat_rounds=1)
    carol, dan = await _member(server, "carol"), await _member(server, "dan")
    for member in (server.alice, server.bob, carol, dan):
        await join(member, server.general)
    for _ in range(3):
        await server.organiser.slash(server.general, "hearth buddies pair-now")
        await simcord_env.advance_time(3600)
    latest = (await store.buddies.recent_rounds(server.guild.id, 1))[0]

    await simcord_env.advance_time((latest.followup_at - simcord_env.now()).total_seconds())
    await simcord_env.bot.due_work.sweep()
    await simcord_env.bot.due_work.sweep()
    await simcord_env.bot.due_work.sweep()  # nothing is asked twice, however often the sweep runs

    offers = [m for m in server.alice.user.dm_channel.history() if "Would a break help?" in m.content]
    assert len(offers) == 1
    paused = await server.alice.user.click(offers[0], custom_id=f"hearth:bd:pause:{server.guild.id}:4")
    assert "Paused until" in paused.response.content
    assert (await store.buddies.profile(server.guild.id, server.alice.id)).paused_until is not None


async def test_every_other_round_members_rest_after_being_paired(server, store, simcord_env):
    await configure(server, repeat_rounds=1)
    carol, dan = await _member(server, "carol"), await _member(server, "dan")
    await join(server.alice, server.general, frequency="every_other")
    for member in (server.bob, carol, dan):
        await join(member, server.general)

    in_round = []
    for _ in range(3):
        await server.organiser.slash(server.general, "hearth buddies pair-now")
        latest = (await store.buddies.recent_rounds(server.guild.id, 1))[0]
        members = {m for group in await store.buddies.groups(latest.id) for m in group.members}
        in_round.append(server.alice.id in members)
        await simcord_env.advance_time(3600)

    assert in_round == [True, False, True]


class ProcessDied(BaseException):
    """A process killed mid-row: not an Exception, so the runner's error handling never sees it."""


async def test_a_crash_right_after_opening_a_thread_never_opens_a_second(server, store, settings, simcord_env):
    await configure(server, cadence=1)
    await join(server.alice, server.general)
    await join(server.bob, server.general)
    key = (await store.buddies.config(server.guild.id)).next_round_key
    await simcord_env.advance_time(((await store.due_work.get(key))["due_at"] - simcord_env.now()).total_seconds())

    async def open_thread_then_die(item):  # the round is formed and its thread opened; the process dies
        outcome = await simcord_env.bot.services.rounds.run_round(server.guild.id, item.idempotency_key)
        channel = simcord_env.bot.get_channel(server.buddies.id)
        members = [server.guild.me.guild.get_member(m) or await channel.guild.fetch_member(m)
                   for m in outcome.groups[0].members]
        await channel.create_thread(name="Buddies: " + " & ".join(m.display_name for m in members),
                                    type=discord.ChannelType.private_thread)
        raise ProcessDied

    dead = DueWorkRunner(store, simcord_env.bot.clock, owner="dead-host:1", batch=10,
                         lease=simcord_env.bot.due_work.lease, max_attempts=5)
    dead.register(RoundDue.KIND, open_thread_then_die)
    with pytest.raises(ProcessDied):
        await dead.sweep()
    await simcord_env.restart_bot(simulated_bot(store, settings))
    await simcord_env.advance_time(simcord_env.bot.due_work.lease.total_seconds() + 1)
    await simcord_env.bot.due_work.sweep()

    (thread,) = threads_of(server.buddies)  # adopted, not opened again, and finished: members in, intro posted
    group = (await store.buddies.groups((await store.buddies.recent_rounds(server.guild.id, 1))[0].id))[0]
    assert (group.delivered, group.thread_id) == ("thread", thread.id)
    assert [m.content for m in thread.history()].count(thread.last_message.content) == 1
    assert "you're buddies" in thread.last_message.content.lower()
    added = {r.path for r in simcord_env.http_requests if r.method == "PUT" and "/thread-members/" in r.path}
    assert {f"/channels/{thread.id}/thread-members/{m.id}" for m in (server.alice, server.bob)} <= added


async def test_pair_now_needs_a_buddies_channel_first(server, store):
    result = await server.organiser.slash(server.general, "hearth buddies pair-now")

    assert "First choose a buddies channel" in answer(result).content
    assert expected_errors(server.env) == ["NotConfigured"]
    assert await store.buddies.recent_rounds(server.guild.id, 1) == []

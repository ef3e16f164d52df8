"""Members who leave a server: their scheduled messages for it stop, and what Hearth holds about them there is
deleted after the server's grace period unless they come back. With the members intent Hearth hears of a leave
at once; without it, when a delivery looks the member up and Discord says Unknown Member."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.config import Settings
from bot.demo.sim import simulated_settings
from bot.domain.privacy import PrivacyErase, pseudonym
from tests.behaviour.buddies_world import join
from tests.behaviour.privacy_world import alice_uses_hearth, open_work
from tests.behaviour.world import consenting_server

GRACE = timedelta(days=30)


@pytest.fixture
async def server(simcord_env):
    return await consenting_server(simcord_env)


async def _run(env: Any, seconds: float) -> None:
    await env.advance_time(seconds)
    await env.bot.due_work.sweep()


class TestWithTheMembersIntent:
    @pytest.fixture
    def settings(self, database_url: str) -> Settings:
        return simulated_settings(database_url, members_intent=True)

    async def test_leaving_stops_scheduled_work_at_once_and_deletes_after_the_grace_period(self, server, store,
                                                                                          simcord_env):
        await alice_uses_hearth(server)
        assert {"checkin.prompt", "event.reminder"} <= set(await open_work(store, server.alice.id))

        server.guild.remove_member(server.alice)
        await simcord_env.settle()

        assert await open_work(store, server.alice.id) == [PrivacyErase.KIND]
        (erase,) = [row for row in await store.privacy.member_work(server.alice.id) if row.open]
        assert erase.due_at - simcord_env.now() == GRACE
        assert not (await store.buddies.profile(server.guild.id, server.alice.id)).active  # not paired meanwhile
        assert await store.checkins.count(server.alice.id) == 1  # kept through the grace period

        await _run(simcord_env, (GRACE + timedelta(minutes=1)).total_seconds())

        assert await store.checkins.count(server.alice.id) == 0
        assert await store.buddies.profile(server.guild.id, server.alice.id) is None
        assert await store.privacy.member_work(server.alice.id) == []  # even the erase row no longer names her
        alias = pseudonym(await store.privacy.secret() or b"", server.alice.id)
        kept = await store.due_work.get(PrivacyErase(server.guild.id, alias, erase.due_at - GRACE).key())
        assert kept is not None and kept["done_at"] is not None  # kept, so it never runs twice
        assert (await store.members.get(server.alice.id)).timezone == "Europe/London"  # settings are in no server

    async def test_coming_back_before_the_grace_period_ends_keeps_everything(self, server, store, simcord_env):
        await alice_uses_hearth(server)
        server.guild.remove_member(server.alice)
        await simcord_env.settle()

        server.guild.add_member(server.alice.user)
        await simcord_env.settle()
        await _run(simcord_env, (GRACE + timedelta(days=1)).total_seconds())

        assert await store.checkins.count(server.alice.id) == 1
        assert (await store.buddies.profile(server.guild.id, server.alice.id)).active  # back in the pool
        assert PrivacyErase.KIND not in await open_work(store, server.alice.id)

    async def test_the_servers_own_grace_period_is_used(self, server, store, simcord_env):
        await server.alice.slash(server.general, "checkin", mood=3)
        await store.guilds.update(server.guild.id, simcord_env.now(), server.organiser.id, leave_grace_days=7)

        server.guild.remove_member(server.alice)
        await simcord_env.settle()
        await _run(simcord_env, timedelta(days=7, minutes=1).total_seconds())

        assert await store.checkins.count(server.alice.id) == 0

    async def test_a_member_hearth_knows_nothing_about_leaves_no_row(self, server, store, simcord_env):
        server.guild.remove_member(server.bob)
        await simcord_env.settle()

        assert await store.privacy.member_work(server.bob.id) == []


class TestWithoutTheMembersIntent:
    async def test_a_buddy_intro_that_finds_the_member_gone_does_the_same(self, server, store, simcord_env):
        await alice_uses_hearth(server)
        await join(server.bob, server.general)
        server.guild.remove_member(server.alice)  # Hearth is not told: no members intent
        await simcord_env.settle()
        assert PrivacyErase.KIND not in await open_work(store, server.alice.id)

        await server.organiser.slash(server.general, "hearth buddies pair-now")

        assert await open_work(store, server.alice.id) == [PrivacyErase.KIND]
        await simcord_env.bot.due_work.sweep()
        assert "has left the server" in server.bob.user.dm_channel.last_message.content
        await _run(simcord_env, (GRACE + timedelta(minutes=1)).total_seconds())
        assert await store.checkins.count(server.alice.id) == 0

    async def test_a_buddy_thread_that_cannot_add_a_member_who_left_does_the_same(self, server, store, simcord_env):
        await alice_uses_hearth(server)
        await join(server.bob, server.general)
        # She leaves between the lookup and being added to the thread: Discord says Unknown Member.
        simcord_env.inject_error("PUT", f"/channels/*/thread-members/{server.alice.id}", status=404, code=10007,
                                 message="Unknown Member")

        await server.organiser.slash(server.general, "hearth buddies pair-now")

        assert await open_work(store, server.alice.id) == [PrivacyErase.KIND]  # no introduction by DM either
        await simcord_env.bot.due_work.sweep()
        assert "has left the server" in server.bob.user.dm_channel.last_message.content

    async def test_a_member_back_unnoticed_is_checked_before_anything_is_deleted(self, server, store, simcord_env):
        await alice_uses_hearth(server)
        await join(server.bob, server.general)
        server.guild.remove_member(server.alice)
        await server.organiser.slash(server.general, "hearth buddies pair-now")
        server.guild.add_member(server.alice.user)  # Hearth is not told either
        await simcord_env.settle()

        await _run(simcord_env, (GRACE + timedelta(minutes=1)).total_seconds())

        assert await store.checkins.count(server.alice.id) == 1

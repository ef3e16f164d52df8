"""Two Hearth shard processes on one PostgreSQL: each server's posts appear once, from the process on its shard.

Each process is a real HearthBot with `HEARTH_SHARD_COUNT=2` and `HEARTH_SHARD_IDS` 0 or 1, in a thread with
its own event loop, its own Store on the one database, and its own SimCord Env: SimCord allows one live Env per
event loop, and each Env is a Discord of its own, showing its bot the servers on its shard only. Work is planned
through real commands in both; then both sweep at the same virtual moments, together.

Member-level work (DMs: reminders, check-in prompts, buddy DMs) is kept out of this test: either process may
run it, and a DM sent from one Env cannot reach a member who exists only in the other Env's backend, where on
Discord it would simply arrive. tests/store/test_store_shards.py covers who runs those rows, once.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from typing import Any, TypeVar

import discord
import pytest
import simcord
from sqlalchemy import select

from bot.app import HearthBot
from bot.demo.sim import simulated_bot, simulated_settings
from bot.sharding import shard_of
from bot.store import Store
from bot.store.tables import due_work
from tests.behaviour.buddies_world import join, threads_of
from tests.behaviour.events_world import announcements, create
from tests.behaviour.world import Server, consented, message_text
from tests.store.conftest import any_url, backend, postgres_server  # noqa: F401  (a PostgreSQL URL per test)

T = TypeVar("T")
SHARDS = 2
ROUND_STARTS = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)  # Thursday noon: the first buddy round
FIRST_MEETUP = datetime(2026, 1, 2, 18, 0, tzinfo=UTC)  # its start announces the series' second date
DIGEST_DAY = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # Monday 09:00 London: each server's weekly digest


class ShardProcess:
    """One shard process: a thread running an event loop, with the bot, its Store and its SimCord Env."""

    def __init__(self, shard: int, url: str) -> None:
        self.shard = shard
        self.url = url
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name=f"shard-{shard}", daemon=True)
        self._thread.start()
        self._resources = AsyncExitStack()
        self.env: Any = None
        self.servers: list[Server] = []

    @property
    def bot(self) -> HearthBot:
        bot: HearthBot = self.env.bot
        return bot

    async def run(self, step: Callable[[], Awaitable[T]]) -> T:
        """Run `step` on this process's loop, reading this Env's virtual clock, as its own test body would."""
        async def in_process() -> T:
            if self.env is None:
                return await step()
            with self.env.time_context():
                return await step()
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(in_process(), self.loop))

    async def start(self) -> None:
        async def start() -> None:
            store = await self._resources.enter_async_context(Store.open(self.url))
            settings = simulated_settings(self.url, instance_name=f"shard-{self.shard}", shard_count=SHARDS,
                                          shard_ids=(self.shard,))
            # Discord keeps one set of commands per bot, synced by whichever process got there first; each Env
            # is a Discord of its own, so the other one registers the same tree when first used.
            env = simcord.Env(simulated_bot(store, settings), shard_count=SHARDS, strict_sync=False)
            await env.start()
            self.env = env
        await self.run(start)

    async def stop(self) -> list[BaseException]:
        async def stop() -> list[BaseException]:
            errors: list[BaseException] = []
            if self.env is not None:
                await self.env.shutdown()
                errors = self.env.errors
            await self._resources.aclose()
            return errors
        try:
            return await self.run(stop)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            await asyncio.to_thread(self._thread.join, 10)
            self.loop.close()

    async def advance_to(self, moment: datetime) -> None:
        async def advance() -> None:
            await self.env.advance_time(max(0.0, (moment - self.env.now()).total_seconds()))
        await self.run(advance)

    async def sweep(self) -> None:
        await self.run(self.bot.due_work.sweep)


def _server(env: Any, shard: int, name: str) -> Server:
    guild = env.create_guild(name, shard_id=shard)
    organisers = guild.create_role("Organisers", permissions=discord.Permissions(manage_guild=True, manage_events=True))
    return Server(env=env, guild=guild, general=guild.create_text_channel("general"),
                  announcements=guild.create_text_channel("announcements"),
                  buddies=guild.create_text_channel("buddies"), events=guild.create_text_channel("meetups"),
                  organiser=guild.add_member(env.create_user(f"olive-{name}"), roles=[organisers]),
                  alice=guild.add_member(env.create_user(f"alice-{name}")),
                  bob=guild.add_member(env.create_user(f"bob-{name}")), organisers_role=organisers)


async def _plan_in_servers(process: ShardProcess, count: int, *, series: bool = True) -> None:
    """Servers on this process's shard, each planning a buddy round, a weekly series and its digest."""
    for n in range(count):
        server = _server(process.env, process.shard, f"Riverside {process.shard}.{n}")
        assert shard_of(server.guild.id, SHARDS) == process.shard
        await consented(process.bot, server.organiser, server.alice, server.bob)
        await server.organiser.slash(server.general, "hearth setup", announcements=server.announcements,
                                     buddies=server.buddies, events=server.events, timezone="Europe/London")
        await server.organiser.slash(server.general, "hearth buddies settings", cadence=2, day=3, hour=12)
        await join(server.alice, server.general)
        await join(server.bob, server.general)
        if series:
            # Online: an in-person meetup also plans its "how was it?" fan-out, which is member-level work.
            await create(server, title=f"Evening chat {process.shard}.{n}", start="2026-01-02 18:00", duration=60,
                         mode="online", venue=None, area=None, link="https://meet.example.org/chat",
                         repeat="weekly", times=3)
        process.servers.append(server)


@pytest.fixture
async def processes(any_url: str) -> AsyncIterator[list[ShardProcess]]:  # noqa: F811
    started = [ShardProcess(shard, any_url) for shard in range(SHARDS)]
    try:
        await asyncio.gather(*(process.start() for process in started))  # both migrate and sync at once
        yield started
    finally:
        errors = [error for process in started for error in await process.stop()]
    assert errors == []


def _dms(server: Server) -> list[discord.Message]:
    members = (server.organiser, server.alice, server.bob)
    return [message for member in members if member.user.dm_channel for message in member.user.dm_channel.history()]


async def _all_sweep_at(processes: list[ShardProcess], moment: datetime) -> None:
    await asyncio.gather(*(process.advance_to(moment) for process in processes))
    for _ in range(2):  # work that plans work
        await asyncio.gather(*(process.sweep() for process in processes))


@pytest.mark.parametrize("backend", ["postgresql"])
async def test_each_servers_due_work_is_posted_once_by_the_process_on_its_shard(
        processes: list[ShardProcess], any_url: str) -> None:  # noqa: F811
    first, second = processes
    await first.run(lambda: _plan_in_servers(first, 2))
    # The other Discord's ids start a second later: no member of one is mistaken for a member of the other.
    await second.run(lambda: second.env.advance_time(1.0))
    await second.run(lambda: _plan_in_servers(second, 2))

    for moment in (ROUND_STARTS, FIRST_MEETUP, DIGEST_DAY):
        await _all_sweep_at(processes, moment)

    for process in processes:
        for server in process.servers:
            (thread,) = threads_of(server.buddies)  # the round's one pair, introduced once
            intro = message_text(thread.history()[0])
            assert f"<@{server.alice.id}>" in intro and f"<@{server.bob.id}>" in intro
            titles = [message.embeds[0].title for message in announcements(server)]
            assert len(titles) == 2 and len(set(titles)) == 1  # the first date, then the second, once each
            digests = [message for message in server.announcements.history() if message.embeds]
            assert len(digests) == 1
            assert not _dms(server)  # nothing fell back to a DM (a thread or channel its process could not see)
    async with Store.open(any_url) as store, store.engine.connect() as connection:
        rows = (await connection.execute(select(due_work.c.kind, due_work.c.guild_id, due_work.c.done_at,
                                                due_work.c.due_at))).all()
    due_by_now = [(kind, guild, done) for kind, guild, done, due in rows if due <= DIGEST_DAY]
    assert [kind for kind, guild, _ in due_by_now if guild is None] == [], "member-level work crept in"
    assert {kind for kind, _, _ in due_by_now} == {"buddy.round", "event.series", "nudge.server"}
    assert all(done is not None for _, _, done in due_by_now)


@pytest.mark.parametrize("backend", ["postgresql"])
async def test_a_rounds_did_you_meet_is_asked_in_its_thread_whichever_process_looks_first(
        processes: list[ShardProcess]) -> None:
    first, second = processes
    await first.run(lambda: _plan_in_servers(first, 1, series=False))
    await second.run(lambda: second.env.advance_time(1.0))
    await second.run(lambda: _plan_in_servers(second, 1, series=False))
    await _all_sweep_at(processes, ROUND_STARTS)
    (round_,) = await first.run(lambda: first.bot.store.buddies.recent_rounds(first.servers[0].guild.id, 1))

    # Halfway through the round the process on shard 1 happens to sweep before the one on shard 0.
    await asyncio.gather(*(process.advance_to(round_.followup_at) for process in processes))
    await second.sweep()
    for _ in range(2):
        await asyncio.gather(*(process.sweep() for process in processes))

    for process in processes:
        (server,) = process.servers
        (thread,) = threads_of(server.buddies)
        asked = [message for message in thread.history() if "Did you meet?" in (message.content or "")]
        assert len(asked) == 1, f"the follow-up of {server.guild.name} was not asked in its thread"
        assert not _dms(server)  # asked in the thread, not by DM because another process could not see it

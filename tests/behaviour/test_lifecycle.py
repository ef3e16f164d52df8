"""Start-up wiring: migrations, jobs, command sync only when changed, invite link, heartbeat, restart."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import discord
from discord import app_commands

from bot import operations
from bot.app import (
    HEARTBEAT_JOB,
    LANGUAGE_FLUSH_JOB,
    LANGUAGE_REFRESH_JOB,
    PURGE_JOB,
    RETENTION_JOB,
    SWEEP_JOB,
    heartbeat_key,
)
from bot.demo.sim import simulated_bot
from bot.store import migrate
from tests.behaviour.world import build_server, embed_text

REPO_ROOT = Path(__file__).resolve().parents[2]


def command_puts(env, *, guild_id: int | None = None) -> list:
    """Bulk-overwrite requests: global ones, or those for one guild."""
    suffix = f"/guilds/{guild_id}/commands" if guild_id else "/commands"
    return [r for r in env.http_requests if r.method == "PUT" and r.path.endswith(suffix)
            and (guild_id or "/guilds/" not in r.path)]


async def test_setup_hook_migrates_registers_jobs_and_syncs(simcord_env, store):
    bot = simcord_env.bot

    assert await store.revision() == migrate.head_revision()
    assert bot.scheduling.job_ids() == sorted([SWEEP_JOB, HEARTBEAT_JOB, PURGE_JOB, RETENTION_JOB, LANGUAGE_FLUSH_JOB,
                                              LANGUAGE_REFRESH_JOB])
    assert bot.scheduling.scheduler.running
    assert bot.synced_commands is True
    assert len(command_puts(simcord_env)) == 1


async def test_restart_with_the_same_commands_does_not_sync_and_keeps_working(simcord_env, store, settings):
    server = build_server(simcord_env)
    await server.alice.slash(server.general, "settings timezone", zone="Europe/Rome")

    await simcord_env.restart_bot(simulated_bot(store, settings))

    assert simcord_env.bot.synced_commands is False
    assert len(command_puts(simcord_env)) == 1
    shown = await server.alice.slash(server.general, "settings show")
    assert "Europe/Rome" in embed_text(shown)


async def test_a_changed_command_set_syncs_again(simcord_env, store, settings):
    changed = simulated_bot(store, settings)

    @app_commands.command(name="ping", description="A command added in a new release")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong", ephemeral=True)

    changed.tree.add_command(ping)
    await simcord_env.restart_bot(changed)

    assert simcord_env.bot.synced_commands is True
    assert len(command_puts(simcord_env)) == 2


async def test_invite_link_asks_for_the_loaded_cogs_permissions_and_both_scopes(simcord_env):
    url = simcord_env.bot.invite_url

    assert f"client_id={simcord_env.bot.application_id}" in url
    assert "scope=bot+applications.commands" in url
    permissions = discord.Permissions(int(url.split("permissions=")[1].split("&")[0]))
    assert permissions == discord.Permissions(view_channel=True, send_messages=True, embed_links=True,
                                              create_private_threads=True, send_messages_in_threads=True,
                                              attach_files=True, manage_events=True, create_events=True)
    assert not permissions.administrator and not permissions.manage_guild


async def test_heartbeat_is_recorded_and_health_reads_it(simcord_env, store, settings):
    await simcord_env.bot.record_heartbeat()

    beat = await store.meta.get(heartbeat_key(settings.instance_name))
    assert beat is not None and beat[1] == simcord_env.now()
    healthy, message = await operations.health(settings, simcord_env.now() + timedelta(seconds=5))
    assert healthy == 0, message
    stale, message = await operations.health(settings, simcord_env.now() + timedelta(minutes=10))
    assert stale == 1 and "heartbeat" in message


async def test_due_work_registered_by_a_cog_is_run_by_the_sweep(simcord_env, store):
    bot = simcord_env.bot
    seen: list[dict] = []

    async def handler(item):
        seen.append(item.payload)

    bot.due_work.register("test.note", handler)
    now = simcord_env.now()
    await store.due_work.schedule("test.note", {"n": 1}, now + timedelta(minutes=5), "note-1", now=now)

    assert (await bot.due_work.sweep()).claimed == 0
    await simcord_env.advance_time(301)
    report = await bot.due_work.sweep()

    assert (report.claimed, report.done, seen) == (1, 1, [{"n": 1}])
    assert (await bot.due_work.sweep()).claimed == 0


async def test_close_stops_the_scheduler_and_hands_back_unstarted_work(simcord_env, store):
    bot = simcord_env.bot
    started: list[int] = []
    closing: list[asyncio.Task] = []

    async def slow_handler(item):
        started.append(item.payload["n"])
        if len(started) == 1:  # SIGTERM arrives while the first row is being handled
            closing.append(asyncio.get_running_loop().create_task(bot.close()))
            await asyncio.sleep(0)

    bot.due_work.register("test.slow", slow_handler)
    now = simcord_env.now()
    await store.due_work.schedule_many([("test.slow", {"n": n}, now, f"slow-{n}") for n in range(3)], now=now)

    report = await bot.due_work.sweep()
    await closing[0]

    assert bot.is_closed() and not bot.scheduling.scheduler.running
    assert started == [0]
    assert (report.claimed, report.done, report.released) == (3, 1, 2)
    released = await store.due_work.get("slow-1")
    assert released["claimed_by"] is None and released["attempts"] == 0 and released["done_at"] is None
    assert (await bot.due_work.sweep()).claimed == 0  # a closing bot claims nothing new


def test_sigterm_lets_work_in_flight_finish_and_closes_the_database_without_a_traceback(tmp_path):
    database = tmp_path / "hearth.db"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "HEARTH_"))}
    process = subprocess.Popen([sys.executable, "-m", "tests.behaviour.sigterm_run", f"sqlite+aiosqlite:///{database}"],
                               cwd=REPO_ROOT, env=clean, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:  # until the bot is up, with work in flight
            lines.append(line)
            if line.strip() == "READY":
                break
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    output = "".join(lines) + rest

    assert process.returncode == 0, output
    assert "Traceback" not in output and "ERROR" not in output and "garbage collector" not in output, output
    after_signal = rest.strip().splitlines()
    assert after_signal[-1].endswith("bot.__main__: Hearth stopped cleanly"), output
    assert any("shutting down" in line for line in after_signal), output
    finished = sqlite3.connect(database).execute("SELECT value FROM meta WHERE key = 'job'").fetchone()
    assert finished == ("finished",)  # the job in flight was let finish, not cancelled half-way

"""The offline demo: a small support server, its organiser and members, using the real bot."""

from __future__ import annotations

import asyncio
import io
import sys
import tempfile
from pathlib import Path
from typing import Any, TextIO

import discord

from bot.demo.narration import Narrator, Writer
from bot.demo.sim import simulated_bot, simulated_settings
from bot.store import Store

MISSING_SIMCORD = (
    "The demo runs Hearth against SimCord, a simulated Discord, which is not installed.\n"
    'Install it with:  pip install -e ".[demo]"   then run  python -m bot demo  again.'
)


def run_demo(out_dir: Path, stream: TextIO | None = None) -> int:
    """Play the demo, writing the transcript to `stream` (stdout) and to `out_dir/transcript.txt`."""
    try:
        import simcord
    except ImportError:
        sys.stderr.write(MISSING_SIMCORD + "\n")
        return 2
    out_dir.mkdir(parents=True, exist_ok=True)
    transcript = io.StringIO()
    out = _Tee(stream or sys.stdout, transcript)
    with tempfile.TemporaryDirectory(prefix="hearth-demo-") as scratch:
        asyncio.run(_simulate(simcord, f"sqlite+aiosqlite:///{Path(scratch) / 'demo.db'}", out))
    (out_dir / "transcript.txt").write_text(transcript.getvalue(), encoding="utf-8")
    out.write(f"\nThat was the real Hearth bot, answering a simulated Discord (transcript saved in "
              f"{out_dir / 'transcript.txt'}). With DISCORD_TOKEN set, `python -m bot` runs it for real.\n")
    return 0


class _Tee:
    def __init__(self, *targets: TextIO) -> None:
        self._targets = targets

    def write(self, text: str, /) -> int:
        for target in self._targets:
            target.write(text)
        return len(text)


async def _simulate(simcord: Any, url: str, out: Writer) -> None:
    async with Store.open(url) as store:
        bot = simulated_bot(store, simulated_settings(url))
        async with simcord.run(bot) as env:
            await _play(env, store, Narrator(env, out))
            env.errors  # noqa: B018 (the refusals shown were expected; reading them acknowledges them)


class _Cast:
    """The people and places of the demo server."""

    def __init__(self, env: Any, narrator: Narrator) -> None:
        self.guild = env.create_guild("Riverside Support Circle")
        organisers = self.guild.create_role("Organisers", permissions=discord.Permissions(manage_guild=True))
        self.helpers = self.guild.create_role("Helpers")
        self.general = self.guild.create_text_channel("general")
        self.announcements = self.guild.create_text_channel("announcements")
        self.buddies = self.guild.create_text_channel("buddies")
        self.meetups = self.guild.create_text_channel("meetups")
        self.olive = self.guild.add_member(env.create_user("olive"), roles=[organisers])
        self.alice = self.guild.add_member(env.create_user("alice"))
        self.bob = self.guild.add_member(env.create_user("bob"))
        self.hal = self.guild.add_member(env.create_user("hal"), roles=[self.helpers])
        for handle, label in ((self.general, "general"), (self.announcements, "announcements"),
                              (self.buddies, "buddies"), (self.meetups, "meetups"), (self.olive, "Olive"),
                              (self.alice, "Alice"), (self.bob, "Bob"), (self.hal, "Hal"),
                              (organisers, "Organisers"), (self.helpers, "Helpers")):
            narrator.know(handle, label)


async def _slash(narrator: Narrator, who: str, actor: Any, channel: Any, name: str, **options: Any) -> Any:
    narrator.command(who, name, options)
    result = await actor.slash(channel, name, **options)
    narrator.result(who, result)
    return result


async def _play(env: Any, store: Store, narrator: Narrator) -> None:
    cast = _Cast(env, narrator)
    narrator.scene("Setting up: Olive organises the Riverside Support Circle")
    narrator.note("Olive has Manage Server, so she sees /hearth; members don't.")
    await _slash(narrator, "Olive", cast.olive, cast.general, "hearth setup", announcements=cast.announcements,
                 buddies=cast.buddies, events=cast.meetups, timezone="london")
    await _slash(narrator, "Olive", cast.olive, cast.general, "hearth status")

    narrator.scene("Settings: Alice makes Hearth fit her day")
    narrator.action("Alice", "types “new y” into the time zone box")
    choices = await cast.alice.autocomplete(cast.general, "settings timezone", "zone", "new y")
    narrator.note("suggested: " + ", ".join(choice["name"] for choice in choices))
    await _slash(narrator, "Alice", cast.alice, cast.general, "settings timezone", zone="America/New_York")
    await _slash(narrator, "Alice", cast.alice, cast.general, "settings quiet-hours", start="25:00", end="07:00")
    await _slash(narrator, "Alice", cast.alice, cast.general, "settings quiet-hours", start="22:00", end="7am")
    await _slash(narrator, "Alice", cast.alice, cast.general, "settings dms", enabled="on")
    await _slash(narrator, "Alice", cast.alice, cast.general, "settings show")
    await _slash(narrator, "Bob", cast.bob, cast.general, "settings timezone", zone="Londn")

    narrator.scene("Refusals: organiser commands stay with organisers")
    visible = cast.bob.available_commands(cast.general)
    narrator.note(f"Bob's command list: {', '.join('/' + name for name in visible)} (no /hearth)")
    hearth = next(command for command in await env.bot.tree.fetch_commands() if command.name == "hearth")
    cast.guild.set_command_permissions(hearth, {cast.helpers: True})
    narrator.note("A server admin shows /hearth to the Helpers role in Integrations settings by mistake;"
                  " Hal is a Helper without Manage Server.")
    await _slash(narrator, "Hal", cast.hal, cast.general, "hearth setup", timezone="UTC")

    narrator.scene("About: what Hearth is and how it treats data")
    await _slash(narrator, "Bob", cast.bob, cast.general, "about")

    narrator.scene("Behind the scenes")
    saved = await store.members.get(cast.alice.id)
    narrator.note(f"stored for Alice: time zone {saved.timezone}, quiet hours "
                  f"{saved.quiet_start:%H:%M}–{saved.quiet_end:%H:%M}, DMs {'on' if saved.dms_enabled else 'off'}")
    narrator.note(f"scheduler jobs registered: {', '.join(env.bot.scheduling.job_ids())}")
    narrator.note(f"invite link the real bot would print: {env.bot.invite_url}")

"""The offline demo: a small support server, its organiser and members, using the real bot."""

from __future__ import annotations

import asyncio
import io
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, TextIO

from bot.demo.markdown import to_markdown
from bot.demo.narration import Narrator, Writer
from bot.demo.scenes import (
    buddies,
    buddy_care,
    checkins,
    crisis,
    events,
    foundation,
    meetups,
    nudges,
    nudges_care,
    privacy,
)
from bot.demo.sim import simulated_bot, simulated_settings
from bot.demo.stage import Cast, Stage
from bot.demo.summary import play_summary, summarise
from bot.store import Store

MISSING_SIMCORD = (
    "The demo runs Hearth against SimCord, a simulated Discord, which is not installed.\n"
    'Install it with:  pip install -e ".[demo]"   then run  python -m bot demo  again.'
)


def run_demo(out_dir: Path, stream: TextIO | None = None) -> int:
    """Play the demo, writing the transcript to `stream` (stdout), to `out_dir/transcript.txt` and, with the
    charts the members saw, as Markdown to `out_dir/transcript.md`."""
    try:
        import simcord
    except ImportError:
        sys.stderr.write(MISSING_SIMCORD + "\n")
        return 2
    out_dir.mkdir(parents=True, exist_ok=True)
    transcript = io.StringIO()
    out = _Tee(stream or sys.stdout, transcript)
    with tempfile.TemporaryDirectory(prefix="hearth-demo-") as scratch:
        asyncio.run(_simulate(simcord, f"sqlite+aiosqlite:///{Path(scratch) / 'demo.db'}", out, out_dir))
    (out_dir / "transcript.txt").write_text(transcript.getvalue(), encoding="utf-8")
    (out_dir / "transcript.md").write_text(to_markdown(transcript.getvalue(), out_dir), encoding="utf-8")
    out.write(f"\nThat was the real Hearth bot, answering a simulated Discord (transcript saved in "
              f"{out_dir / 'transcript.txt'}, and as Markdown with the charts in {out_dir / 'transcript.md'}). "
              "With DISCORD_TOKEN set, `python -m bot` runs it for real.\n")
    return 0


class _Tee:
    def __init__(self, *targets: TextIO) -> None:
        self._targets = targets

    def write(self, text: str, /) -> int:
        for target in self._targets:
            target.write(text)
        return len(text)


async def _simulate(simcord: Any, url: str, out: Writer, out_dir: Path) -> None:
    async with Store.open(url) as store:
        bot = simulated_bot(store, simulated_settings(url))
        async with simcord.run(bot) as env:
            await _play(env, store, Narrator(env, out), out_dir)
            env.errors  # noqa: B018 (the refusals shown were expected; reading them acknowledges them)


SCENES = (foundation.play, checkins.play, buddies.play, events.play, nudges.play, crisis.play, meetups.play,
          nudges_care.opt_in, buddy_care.play, nudges_care.play, privacy.play)


async def _play(env: Any, store: Store, narrator: Narrator, out_dir: Path) -> None:
    stage = Stage(env=env, store=store, narrator=narrator, cast=Cast(env, narrator), out_dir=out_dir)
    started, began = time.monotonic(), env.now()
    for scene in SCENES:
        await scene(stage)
    play_summary(stage, await summarise(stage), time.monotonic() - started, began)
    narrator.scene("Behind the scenes")
    saved = await store.members.get(stage.cast.alice.id)
    narrator.note(f"stored for Alice: time zone {saved.timezone}, quiet hours "
                  f"{saved.quiet_start:%H:%M}–{saved.quiet_end:%H:%M}, DMs {'on' if saved.dms_enabled else 'off'}, "
                  f"{await store.checkins.count(stage.cast.alice.id)} check-ins (only Alice ever sees them)")
    narrator.note(f"scheduler jobs registered: {', '.join(env.bot.scheduling.job_ids())}")
    counts = await store.due_work.counts()
    paced, rate = env.bot.rate_limiter.acquired, env.bot.settings.global_rate
    narrator.note(f"due work: {counts['done']} rows done (prompts, rounds, reminders, digests; a fan-out is one "
                  f"row per member), {counts['open']} waiting, {counts['gave_up']} given up; {paced} requests "
                  f"went through the global pace of {rate} a second")
    narrator.note(f"invite link the real bot would print: {env.bot.invite_url}")

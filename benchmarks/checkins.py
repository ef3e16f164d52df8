"""Check-ins under load: one-tap DM answers through the real bot in SimCord, the service alone, and the chart.

    .venv/bin/python benchmarks/checkins.py [--members 5000] [--bare 1000] [--service-members N] [--chart-runs 10]

1. SimCord: one server with N members, each opted in to daily prompts (member time zones and reminder rows
   seeded through the store API: MemberStore.update, ReminderStore.save, DueWorkStore.plan with typed
   CheckinPrompt payloads). The virtual clock moves to the prompts' due time and `bot.due_work.sweep()` runs
   until nothing is due, so the real `CheckinsCog.send_prompt` sends every DM prompt. Then every member
   clicks one mood button on their prompt (the real `MoodButton`, moods 1..5 in turn) within one virtual
   minute: the clicks are spread over 60 one-second steps of SimCord's virtual clock. Beside them, in the
   same run and at the same points, `--bare` members also click a bare discord.py DynamicItem registered on
   the same bot under another custom_id, on a DM of the same shape, which answers with the same kind of
   message edit (an embed and buttons) without touching the store.

   Handling time is measured inside the process for each click (see benchmarks/_timing.py): from the
   INTERACTION_CREATE event entering discord.py's parser to the interaction's callback request entering
   the transport. SimCord's own wall time per click (settling included) is printed beside it, only to show
   how different it is. Check-ins per second are given two ways: end to end through SimCord (N / wall time
   of the click phase less the bare clicks, settling and the virtual clock's steps included) and the bot's
   own one-at-a-time capacity (1 / mean handling time).
2. The service alone: CheckinService.record for N members (one check-in each) directly against SQLite.
3. The 90-day history chart: bot/ui/charts.mood_chart on a summary from bot/domain/moods.summarise; the
   first call (which imports matplotlib) and the median of the next runs.

Not part of the test run; nothing here asserts a speed, but a wrong count of check-ins fails the script.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import discord  # noqa: E402
import simcord  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from benchmarks._timing import InteractionTimer, Latencies  # noqa: E402
from bot.clock import SystemClock  # noqa: E402
from bot.demo.sim import simulated_bot, simulated_settings  # noqa: E402
from bot.domain.checkin_schedule import CheckinPrompt  # noqa: E402
from bot.domain.consent import NOTICE_VERSION  # noqa: E402
from bot.domain.helplines import load_helplines  # noqa: E402
from bot.domain.moods import Entry, Mood, summarise  # noqa: E402
from bot.domain.work import Planned  # noqa: E402
from bot.services.checkins import CheckinService  # noqa: E402
from bot.store import Reminder, Store  # noqa: E402
from bot.store.tables import checkins  # noqa: E402

ZONES = ("UTC", "Europe/London", "America/New_York", "Asia/Tokyo", "Australia/Sydney")
PROMPT_TITLE = "How are you today?"
MOOD_PREFIX = "hearth:ci:mood:"
BARE_PREFIX = "bench:bare:"
VIRTUAL_STEPS = 60  # clicks are spread over this many one-second steps: all inside one virtual minute


class BareMoodButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"bench:bare:(?P<mood>[1-5])"):
    """The baseline: a persistent discord.py button that answers like MoodButton, with no store and no service."""

    def __init__(self, mood: int) -> None:
        self.mood = mood
        super().__init__(discord.ui.Button(label=Mood(mood).word.capitalize(), emoji=Mood(mood).emoji,
                                           style=discord.ButtonStyle.secondary, custom_id=f"{BARE_PREFIX}{mood}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> BareMoodButton:
        return cls(int(match["mood"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        embed = discord.Embed(title=f"Thanks for checking in: {Mood(self.mood).label}",
                              description="Noted.").set_footer(text="Only you can see this.")
        view = discord.ui.View(timeout=None)
        view.add_item(BareFollowUpButton("note"))
        view.add_item(BareFollowUpButton("stop"))
        await interaction.response.edit_message(content=None, embed=embed, view=view)


class BareFollowUpButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"bench:bare:(?P<action>note|stop)"):
    """Buttons on the bare answer, never clicked. DynamicItems like Hearth's: a view of plain buttons would be
    kept in discord.py's view store for every answered message, and SimCord's settling scans that store on
    every pass while a handler is awaiting, which slowed the MoodButton clicks that followed (tried here)."""

    def __init__(self, action: str) -> None:
        self.action = action
        super().__init__(discord.ui.Button(label=action.capitalize(), custom_id=f"{BARE_PREFIX}{action}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> BareFollowUpButton:
        return cls(match["action"])


def bare_view() -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for mood in Mood:
        view.add_item(BareMoodButton(int(mood)))
    return view


@dataclass
class SimResult:
    members: int
    bare: int
    setup_seconds: float
    seed_seconds: float
    sweep_seconds: float
    prompts_sent: int
    click_seconds: float
    run_seconds: float
    stored: int
    virtual_span: timedelta
    mood: Latencies
    bare_latencies: Latencies
    mood_wall: Latencies
    bare_wall: Latencies
    bare_wall_total: float


def _stride(members: int, bare: int) -> int:
    return max(1, members // bare) if bare else 0


async def run_simcord(members: int, bare: int, scratch: Path) -> SimResult:
    url = f"sqlite+aiosqlite:///{scratch / 'simcord.db'}"
    run_started = time.perf_counter()
    async with Store.open(url) as store:
        bot = simulated_bot(store, simulated_settings(url))
        async with simcord.run(bot) as env:
            with env.time_context():
                result = await _simulate(env, bot, store, members, bare, run_started)
            if env.errors:  # reading also acknowledges them, so simcord.run does not re-raise at exit
                raise RuntimeError(f"the bot raised {len(env.errors)} errors, first: {env.errors[0]!r}")
    result.run_seconds = time.perf_counter() - run_started
    return result


async def _simulate(env: Any, bot: Any, store: Store, members: int, bare: int, run_started: float) -> SimResult:
    timer = InteractionTimer()
    timer.install(bot)
    bot.add_dynamic_items(BareMoodButton, BareFollowUpButton)

    guild = env.create_guild("Benchmark Circle")
    people = [guild.add_member(env.create_user(f"member{i}")) for i in range(members)]
    setup_seconds = time.perf_counter() - run_started

    # Opt everyone in, as `/settings timezone` + `/mood reminders cadence:daily` would, at the due minute.
    started = time.perf_counter()
    now = env.now()
    due = (now + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    planned = []
    for index, person in enumerate(people):
        zone = ZONES[index % len(ZONES)]
        await store.members.update(person.id, now, timezone=zone, consent_version=NOTICE_VERSION, consent_at=now)
        prompt = CheckinPrompt(user_id=person.id, due=due)
        local = due.astimezone(ZoneInfo(zone)).time()
        await store.reminders.save(Reminder(user_id=person.id, guild_id=guild.id, cadence="daily", weekday=None,
                                            local_time=local, enabled=True, stopped_reason=None,
                                            next_key=prompt.key()), now)
        planned.append(Planned(prompt, due))
    if await store.due_work.plan(planned, now=now) != members:
        raise RuntimeError("not every prompt row was scheduled")
    seed_seconds = time.perf_counter() - started

    # The scheduler's sweep, run by hand at the due time (SimCord's clock is virtual; APScheduler's is not).
    await env.advance_time((due - env.now()).total_seconds())
    started = time.perf_counter()
    sent = 0
    while (report := await bot.due_work.sweep()).claimed:
        sent += report.done
        if report.done != report.claimed:
            raise RuntimeError(f"a sweep did not finish its rows: {report}")
    sweep_seconds = time.perf_counter() - started
    prompts = []
    for person in people:
        prompt = person.user.dm_channel.last_message
        if prompt is None or not prompt.embeds or prompt.embeds[0].title != PROMPT_TITLE:
            raise RuntimeError(f"member {person.id} got no check-in prompt")
        prompts.append(prompt)

    stride = _stride(members, bare)
    bare_messages: dict[int, Any] = {}
    for index in range(0, members, stride) if stride else ():
        channel = await bot.create_dm(discord.Object(id=people[index].id))
        await channel.send(embed=discord.Embed(title=PROMPT_TITLE, description="(bare baseline)"), view=bare_view())
        bare_messages[index] = people[index].user.dm_channel.last_message

    # Every member answers within one virtual minute: VIRTUAL_STEPS steps of one second.
    mood_wall: list[float] = []
    bare_wall: list[float] = []
    per_step = math.ceil(members / VIRTUAL_STEPS)
    started = time.perf_counter()
    for index, (person, prompt) in enumerate(zip(people, prompts, strict=True)):
        if index and index % per_step == 0:
            await env.advance_time(1.0)
        mood = index % 5 + 1
        clicked = time.perf_counter()
        answer = await person.user.click(prompt, custom_id=f"{MOOD_PREFIX}{mood}:{guild.id}")
        mood_wall.append(time.perf_counter() - clicked)
        if not answer.response.embeds[0].title.startswith("Thanks for checking in"):
            raise RuntimeError(f"unexpected answer to member {person.id}: {answer.response.embeds[0].title!r}")
        if index in bare_messages:
            clicked = time.perf_counter()
            await person.user.click(bare_messages[index], custom_id=f"{BARE_PREFIX}{mood}")
            bare_wall.append(time.perf_counter() - clicked)
    click_seconds = time.perf_counter() - started

    if timer.unanswered():
        raise RuntimeError(f"interactions without a response: {timer.unanswered()[:5]}")
    async with store.engine.connect() as connection:
        stored = (await connection.execute(select(func.count()).select_from(checkins))).scalar_one()
        first, last = (await connection.execute(select(func.min(checkins.c.created_at),
                                                       func.max(checkins.c.created_at)))).one()
    return SimResult(
        members=members, bare=len(bare_messages), setup_seconds=setup_seconds, seed_seconds=seed_seconds,
        sweep_seconds=sweep_seconds, prompts_sent=sent, click_seconds=click_seconds, run_seconds=0.0,
        stored=int(stored), virtual_span=last - first,
        mood=Latencies.of(timer.seconds(MOOD_PREFIX)), bare_latencies=Latencies.of(timer.seconds(BARE_PREFIX)),
        mood_wall=Latencies.of(mood_wall), bare_wall=Latencies.of(bare_wall), bare_wall_total=sum(bare_wall),
    )


@dataclass
class ServiceResult:
    members: int
    seconds: float
    latencies: Latencies
    stored: int


async def run_service(members: int, scratch: Path) -> ServiceResult:
    """CheckinService.record straight on SQLite: one check-in for each of N members, one at a time."""
    url = f"sqlite+aiosqlite:///{scratch / 'service.db'}"
    async with Store.open(url) as store:
        await store.upgrade()
        clock = SystemClock()
        service = CheckinService(store, clock, load_helplines())
        guild_id, first_user = 10**17, 2 * 10**17
        for index in range(members):
            await store.members.update(first_user + index, clock.now(), timezone=ZONES[index % len(ZONES)],
                                       consent_version=NOTICE_VERSION, consent_at=clock.now())
        latencies = []
        started = time.perf_counter()
        for index in range(members):
            call = time.perf_counter()
            await service.record(user_id=first_user + index, guild_id=guild_id, mood=index % 5 + 1, note=None,
                                 source="prompt", locale="en-GB")
            latencies.append(time.perf_counter() - call)
        seconds = time.perf_counter() - started
        async with store.engine.connect() as connection:
            stored = (await connection.execute(select(func.count()).select_from(checkins))).scalar_one()
    return ServiceResult(members, seconds, Latencies.of(latencies), int(stored))


@dataclass
class ChartResult:
    entries: int
    cold_import: bool
    summarise_median: float
    first: float
    median: float
    png_bytes: int


def run_chart(runs: int) -> ChartResult:
    from bot.ui.charts import mood_chart

    today = date(2026, 3, 1)
    entries = []
    for back in range(90):
        if back % 7 == 3:
            continue  # a missed day each week
        day = today - timedelta(days=back)
        entries.append(Entry(day, Mood(1 + (back * 7 + 3) % 5)))
        if back % 4 == 0:
            entries.append(Entry(day, Mood(1 + (back + 2) % 5)))  # a second check-in some days
    dates = sorted({entry.local_date for entry in entries}, reverse=True)
    summarise_times = []
    for _ in range(runs):
        started = time.perf_counter()
        summary = summarise(entries, today, 90, all_dates=dates)
        summarise_times.append(time.perf_counter() - started)
    assert summary is not None
    cold = "matplotlib" not in sys.modules
    started = time.perf_counter()
    png = mood_chart(summary, today)
    first = time.perf_counter() - started
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        mood_chart(summary, today)
        times.append(time.perf_counter() - started)
    return ChartResult(len(entries), cold, statistics.median(summarise_times), first, statistics.median(times),
                       len(png))


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def report(sim: SimResult, service: ServiceResult, chart: ChartResult, total: float) -> None:
    rows: list[tuple[str, str]] = [
        ("SimCord run (real bot)", ""),
        ("  members / prompts sent / check-ins stored", f"{sim.members} / {sim.prompts_sent} / {sim.stored}"),
        ("  virtual span of the check-ins", f"{sim.virtual_span.total_seconds():.0f} s"),
        ("  handling per click, MoodButton  p50 / p99",
         f"{_ms(sim.mood.p50)} / {_ms(sim.mood.p99)} (mean {_ms(sim.mood.mean)}, n={sim.mood.count})"),
        ("  handling per click, bare button p50 / p99",
         f"{_ms(sim.bare_latencies.p50)} / {_ms(sim.bare_latencies.p99)} "
         f"(mean {_ms(sim.bare_latencies.mean)}, n={sim.bare_latencies.count})"),
        ("  ratio MoodButton / bare  p50 / p99",
         f"{sim.mood.p50 / sim.bare_latencies.p50:.1f}x / {sim.mood.p99 / sim.bare_latencies.p99:.1f}x"),
        ("  check-ins/s, bot capacity (1 / mean handling)", f"{1 / sim.mood.mean:,.0f}"),
        ("  check-ins/s, end to end through SimCord",
         f"{sim.members / (sim.click_seconds - sim.bare_wall_total):,.0f}"),
        ("  SimCord wall per click (settling incl.) p50 / p99",
         f"MoodButton {_ms(sim.mood_wall.p50)} / {_ms(sim.mood_wall.p99)}; "
         f"bare {_ms(sim.bare_wall.p50)} / {_ms(sim.bare_wall.p99)}"),
        ("  wall: set-up / seeding / prompt sweeps / clicks (both kinds)",
         f"{sim.setup_seconds:.1f} s / {sim.seed_seconds:.1f} s / {sim.sweep_seconds:.1f} s "
         f"({sim.prompts_sent / sim.sweep_seconds:,.0f} prompts/s) / {sim.click_seconds:.1f} s"),
        ("  wall: whole SimCord run", f"{sim.run_seconds:.1f} s"),
        ("Service alone (CheckinService.record, SQLite)", ""),
        ("  check-ins / stored", f"{service.members} / {service.stored}"),
        ("  check-ins/s", f"{service.members / service.seconds:,.0f}"),
        ("  per call p50 / p99",
         f"{_ms(service.latencies.p50)} / {_ms(service.latencies.p99)} (mean {_ms(service.latencies.mean)})"),
        ("90-day chart (mood_chart)", ""),
        ("  entries / summarise median", f"{chart.entries} / {_ms(chart.summarise_median)}"),
        ("  first call" + (" (imports matplotlib)" if chart.cold_import else " (matplotlib already imported)"),
         _ms(chart.first)),
        ("  median of the next calls / PNG size", f"{_ms(chart.median)} / {chart.png_bytes:,} bytes"),
        ("Whole script wall time", f"{total:.1f} s"),
    ]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}".rstrip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--members", type=int, default=5000, help="members answering a prompt (default 5000)")
    parser.add_argument("--bare", type=int, default=1000,
                        help="how many of them also click the bare baseline button (default 1000, at most members)")
    parser.add_argument("--service-members", type=int, default=None,
                        help="check-ins for the service-only run (default: --members)")
    parser.add_argument("--chart-runs", type=int, default=10, help="chart calls after the first (default 10)")
    args = parser.parse_args(argv)
    if args.members < 1 or args.bare < 1 or args.chart_runs < 1:
        parser.error("--members, --bare and --chart-runs must be at least 1")
    bare = min(args.bare, args.members)
    service_members = args.service_members or args.members

    print(f"Python {platform.python_version()}, discord.py {discord.__version__}, simcord "
          f"{metadata.version('simcord')}, SQLite (aiosqlite) on {platform.machine()}, "
          f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    print(f"members={args.members} bare={bare} service-members={service_members} chart-runs={args.chart_runs}\n")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="hearth-bench-") as scratch:
        sim = asyncio.run(run_simcord(args.members, bare, Path(scratch)))
        service = asyncio.run(run_service(service_members, Path(scratch)))
    chart = run_chart(args.chart_runs)
    report(sim, service, chart, time.perf_counter() - started)
    ok = sim.stored == sim.members == sim.prompts_sent and service.stored == service_members
    if not ok:
        print("\nFAILED: the number of check-ins stored does not match the number of members", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Interactions through the real bot, timed inside the process, beside a bare discord.py bot in the same run.

    .venv/bin/python benchmarks/interactions.py [--members 300] [--concurrency 10] [--going 1000]
        [--locale de] [--json PATH]

What is timed (see benchmarks/_timing.py): from the INTERACTION_CREATE gateway event entering discord.py's
parser (the moment a real gateway hands the process a decoded event) to the interaction's callback request
entering the transport (the response leaving the process). SimCord answers requests from memory, so
Discord's network time is not in these figures, and SimCord's own settling between actions is not counted.

1. `/checkin mood:4` by `--members` members, `--concurrency` at a time: each wave's gateway events are
   emitted together (SimCord's own payload builder, copied from a first real `member.slash`); the script
   waits on a plain asyncio event set by the wave's last answer, and only then lets SimCord settle (its
   settle loop, which scans every pending task and timer on each pass, never runs beside a timed wave).
   Throughput is interactions / the sum of the waves' spans (first event in to last answer out); latency
   is each interaction's own handling, queueing behind the rest of its wave included.
2. An RSVP "Going" click on an announced meetup, by as many members, the same way.
   Beside 1 and 2, a bare discord.py bot (its own SimCord run, same process, same members and waves):
   `/checkin` inserts one row through aiosqlite (one connection, WAL, synchronous=NORMAL, as Hearth's
   engine sets SQLite) and answers with an embed; its "Going" button upserts one row and edits the message.
3. `/event-admin edit` moving the start, and `/event-admin cancel`, of meetups with `--going` members going
   (RSVPs seeded through `EventService.rsvp`, so each has its reminder rows), run by the organiser through
   SimCord before 1 and 2 leave their answered views behind: time to acknowledgement (the
   first callback: the deferral), time until all attendee work is stored (the last COMMIT sent on the bot's
   engine before the organiser's follow-up left), and time until that follow-up left.
4. Pool checkouts per interaction: SQLAlchemy pool "checkout" events on the bot's engine during each phase
   (everything the interactions caused until SimCord settled, follow-ups and after-command work included),
   divided by the number of interactions; and SQL statements per interaction (BEGIN and COMMIT not counted).

Not part of the test run: nothing here asserts a speed. A missing answer or a wrong count fails the script.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import os
import platform
import re
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import aiosqlite  # noqa: E402
import discord  # noqa: E402
import simcord  # noqa: E402
from discord import app_commands  # noqa: E402
from simcord import interactions as simcord_interactions  # noqa: E402
from sqlalchemy import and_, event, func, select  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine  # noqa: E402

from benchmarks._timing import InteractionTimer, Latencies  # noqa: E402
from bot.demo.sim import simulated_bot, simulated_settings  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.store.tables import due_work  # noqa: E402

CHECKIN = "/checkin"
RSVP_PREFIX = "hearth:ev:rsvp:"
BARE_RSVP_PREFIX = "bench:rsvp:"
SETTLE_TIMEOUT = 120.0  # seconds: a wave of ten on a busy machine can outlast SimCord's default of five
MOODS = [app_commands.Choice(name=name, value=value)
         for value, name in enumerate(("awful", "low", "okay", "good", "great"), start=1)]


# -------------------------------------------------------------------------------------------- measuring
class PoolCounter:
    """Pool checkouts, statements and commits on one engine (SQLAlchemy events; the bot's code is unchanged)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.checkouts = 0
        self.statements = 0
        self.commits: list[float] = []  # when each transaction's COMMIT was sent (reads end in a rollback)
        event.listen(engine.sync_engine, "checkout", self._checkout)
        event.listen(engine.sync_engine, "commit", self._commit)
        event.listen(engine.sync_engine, "before_cursor_execute", self._statement)

    def _statement(self, *_: Any) -> None:
        self.statements += 1

    def _checkout(self, *_: Any) -> None:
        self.checkouts += 1

    def _commit(self, *_: Any) -> None:
        self.commits.append(time.perf_counter())


@dataclass
class Burst:
    """One scenario at a fixed concurrency: who answered how fast, and what it cost the pool."""

    interactions: int
    span_seconds: float
    latencies: Latencies
    checkouts: int | None
    statements: int | None

    @property
    def throughput(self) -> float:
        return self.interactions / self.span_seconds

    @property
    def checkouts_per_interaction(self) -> float | None:
        return None if self.checkouts is None else self.checkouts / self.interactions


@dataclass
class AdminResult:
    """A deferred organiser command on a big meetup."""

    going: int
    acknowledged: float
    stored: float
    followed_up: float
    checkouts: int
    open_rows_before: dict[str, int]
    open_rows_after: dict[str, int]


@dataclass
class Figures:
    members: int
    concurrency: int
    checkin: Burst
    bare_checkin: Burst
    rsvp: Burst
    bare_rsvp: Burst
    edit: AdminResult
    cancel: AdminResult
    seed_seconds: float
    wall_seconds: float
    environment: dict[str, str] = field(default_factory=dict)


def fire(env: Any, member: Any, template: dict[str, Any]) -> None:
    """Emit a copy of a captured INTERACTION_CREATE as `member`, without letting SimCord settle.

    The copy is built by SimCord's own payload builder (a new interaction record and token, the member's
    own member object and permissions), exactly as `member.slash` / `member.click` build theirs; only the
    settling that those actors do after each single action is left to the caller, once per wave.
    """
    record, payload = simcord_interactions.base_payload(
        env.backend, type=int(template["type"]), channel_id=int(template["channel_id"]),
        guild_id=int(template["guild_id"]), user_id=member.id, data=copy.deepcopy(template["data"]))
    if "locale" in template:  # the members' Discord app language (--locale); SimCord itself sends en-US
        payload["locale"] = template["locale"]
    if "message" in template:  # a component click: the message the button is on
        payload["message"] = copy.deepcopy(template["message"])
        record.source_message_id = int(template["message"]["id"])
    env.backend.emit("INTERACTION_CREATE", payload)


async def burst(env: Any, timer: InteractionTimer, members: Sequence[Any], template: dict[str, Any],
                concurrency: int, label: str, pool: PoolCounter | None) -> Burst:
    """`members` each send `template`, `concurrency` at a time; SimCord settles after each wave."""
    progress(f"{label}: {len(members)} interactions, {concurrency} at a time")
    spans: list[float] = []
    handled: list[float] = []
    checkouts_before = pool.checkouts if pool else 0
    statements_before = pool.statements if pool else 0
    loop = asyncio.get_running_loop()
    for start in range(0, len(members), concurrency):
        before = set(timer.started)
        size = len(members[start:start + concurrency])
        answered = asyncio.Event()
        waiting = set[int]()

        def seen(interaction_id: int, waiting: set[int] = waiting, answered: asyncio.Event = answered,
                 size: int = size, before: set[int] = before) -> None:
            if interaction_id not in before:
                waiting.add(interaction_id)
                if len(waiting) >= size:
                    answered.set()

        # The wave is timed without SimCord settling in between: its settle loop scans every pending task
        # and timer on each pass (seen here: 90 % of the process's CPU once a few hundred view timeouts were
        # pending), which would slow the handlers it runs beside. A plain event, set when the last answer
        # leaves, lets the loop sleep in select() until the bot's own work wakes it. A real-time watchdog
        # (a thread: the loop's clock is SimCord's virtual one) stops the wait if an answer never comes.
        timer.on_answer = seen
        watchdog = threading.Timer(SETTLE_TIMEOUT, lambda event=answered: loop.call_soon_threadsafe(event.set))
        watchdog.start()
        for member in members[start:start + concurrency]:
            fire(env, member, template)
        try:
            await answered.wait()
        finally:
            watchdog.cancel()
            timer.on_answer = None
        await env.settle(timeout=SETTLE_TIMEOUT)  # follow-ups and after-answer work, outside the timed span
        wave = [interaction_id for interaction_id in timer.ids(label) if interaction_id not in before]
        missing = [interaction_id for interaction_id in wave if interaction_id not in timer.answered]
        if len(wave) != len(members[start:start + concurrency]) or missing:
            raise RuntimeError(f"{label}: {len(wave)} interactions reached the bot, {len(missing)} unanswered")
        first_in = min(timer.started[interaction_id][1] for interaction_id in wave)
        last_out = max(timer.answered[interaction_id] for interaction_id in wave)
        spans.append(last_out - first_in)
        handled += [timer.answered[interaction_id] - timer.started[interaction_id][1] for interaction_id in wave]
    checkouts = pool.checkouts - checkouts_before if pool else None
    statements = pool.statements - statements_before if pool else None
    return Burst(len(members), sum(spans), Latencies.of(handled), checkouts, statements)


def captured(timer: InteractionTimer, label: str) -> dict[str, Any]:
    """The gateway payload of the latest interaction with this label: the template for `fire`."""
    return timer.payloads[timer.ids(label)[-1]]


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def check_errors(env: Any) -> None:
    if env.errors:  # reading also acknowledges them, so simcord.run does not re-raise at exit
        raise RuntimeError(f"the bot raised {len(env.errors)} errors, first: {env.errors[0]!r}")


# -------------------------------------------------------------------------------------------- the bare bot
class BareRsvpButton(discord.ui.DynamicItem[discord.ui.Button[Any]],
                     template=r"bench:rsvp:(?P<event>\d+):(?P<status>going|maybe|no)"):
    """The baseline button: one upsert through aiosqlite, then the message is edited."""

    def __init__(self, event_id: int, status: str) -> None:
        self.event_id, self.status = event_id, status
        super().__init__(discord.ui.Button(label=status.capitalize(), style=discord.ButtonStyle.success,
                                           custom_id=f"{BARE_RSVP_PREFIX}{event_id}:{status}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> BareRsvpButton:
        return cls(int(match["event"]), match["status"])

    async def callback(self, interaction: discord.Interaction) -> None:
        client = interaction.client
        assert isinstance(client, BareBot) and client.db is not None
        await client.db.execute(
            "INSERT INTO rsvps (event_id, user_id, status, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (event_id, user_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at",
            (self.event_id, interaction.user.id, self.status, discord.utils.utcnow().isoformat()))
        await client.db.commit()
        embed = discord.Embed(title="Sunday walk", description=f"{interaction.user.display_name} is going")
        await interaction.response.edit_message(embed=embed)


def bare_view(event_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for status in ("going", "maybe", "no"):
        view.add_item(BareRsvpButton(event_id, status))
    return view


class BareBot(discord.Client):
    """A bare discord.py bot: `/checkin` writes one row through aiosqlite and answers."""

    def __init__(self, path: Path) -> None:
        super().__init__(intents=discord.Intents.default(), allowed_mentions=discord.AllowedMentions.none())
        self.path = path
        self.db: aiosqlite.Connection | None = None
        self.tree = app_commands.CommandTree(self)
        self.tree.add_command(app_commands.Command(name="checkin", description="Check in", callback=self.checkin))

    async def setup_hook(self) -> None:
        self.db = await aiosqlite.connect(self.path)
        for statement in ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
                          "CREATE TABLE IF NOT EXISTS checkins (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL,"
                          " mood INTEGER NOT NULL, created_at TEXT NOT NULL)",
                          "CREATE TABLE IF NOT EXISTS rsvps (event_id INTEGER NOT NULL, user_id INTEGER NOT NULL,"
                          " status TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (event_id, user_id))"):
            await self.db.execute(statement)
        await self.db.commit()
        self.add_dynamic_items(BareRsvpButton)
        await self.tree.sync()

    @app_commands.describe(mood="How you feel right now")
    @app_commands.choices(mood=MOODS)
    async def checkin(self, interaction: discord.Interaction, mood: app_commands.Choice[int]) -> None:
        assert self.db is not None
        await self.db.execute("INSERT INTO checkins (user_id, mood, created_at) VALUES (?, ?, ?)",
                              (interaction.user.id, mood.value, discord.utils.utcnow().isoformat()))
        await self.db.commit()
        embed = discord.Embed(title=f"Thanks for checking in: {mood.name}").set_footer(text="Only you can see this.")
        await interaction.response.send_message(embed=embed, ephemeral=True)

    async def close(self) -> None:
        if self.db is not None:
            await self.db.close()
        await super().close()

    async def count(self, table: str) -> int:
        assert self.db is not None
        async with self.db.execute(f"SELECT count(*) FROM {table}") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0


async def run_bare(members: int, concurrency: int, scratch: Path) -> tuple[Burst, Burst]:
    bot = BareBot(scratch / "bare.db")
    async with simcord.run(bot) as env:
        with env.time_context():
            timer = InteractionTimer()
            timer.install(bot)
            guild = env.create_guild("Bare Circle")
            general = guild.create_text_channel("general")
            people = [guild.add_member(env.create_user(f"bare{i}")) for i in range(members + 1)]

            await people[0].slash(general, "checkin", mood=4)
            checkin = await burst(env, timer, people[1:], captured(timer, CHECKIN), concurrency, CHECKIN, None)

            channel = bot.get_channel(general.id)
            assert isinstance(channel, discord.TextChannel)
            await channel.send(embed=discord.Embed(title="Sunday walk"), view=bare_view(1))
            await people[0].click(general.last_message, custom_id=f"{BARE_RSVP_PREFIX}1:going")
            rsvp = await burst(env, timer, people[1:], captured(timer, BARE_RSVP_PREFIX), concurrency,
                               BARE_RSVP_PREFIX, None)
            stored = (await bot.count("checkins"), await bot.count("rsvps"))
        check_errors(env)
    if stored != (members + 1, members + 1):
        raise RuntimeError(f"the bare bot stored {stored} check-ins and RSVPs, expected {members + 1} each")
    return checkin, rsvp


# -------------------------------------------------------------------------------------------- Hearth
async def open_rows_by_kind(store: Store) -> dict[str, int]:
    statement = (select(due_work.c.kind, func.count()).where(and_(due_work.c.done_at.is_(None),
                                                                  due_work.c.gave_up_at.is_(None)))
                 .group_by(due_work.c.kind).order_by(due_work.c.kind))
    async with store.engine.connect() as connection:
        return {kind: int(count) for kind, count in await connection.execute(statement)}


async def create_meetup(server: dict[str, Any], title: str, start: datetime) -> int:
    organiser, general, store = server["organiser"], server["general"], server["store"]
    shown = await organiser.slash(general, "event-admin create", title=title, start=f"{start:%Y-%m-%d %H:%M}",
                                  duration=90, mode="in_person", venue="Mill Lane car park", area="Leeds",
                                  tag="walk")
    await organiser.click(shown.response, custom_id="hearth:ev:confirm")
    found = [meetup for meetup in await store.events.upcoming(server["guild"].id, server["env"].now())
             if meetup.title == title]
    if len(found) != 1:
        raise RuntimeError(f"meetup {title!r} was not created")
    return int(found[0].id)


def announcement(channel: Any, event_id: int) -> Any:
    for message in reversed(list(channel.history())):
        ids = [component.custom_id for row in message.components for component in row.children]
        if f"{RSVP_PREFIX}{event_id}:going" in ids:
            return message
    raise RuntimeError(f"no announcement for meetup {event_id}")


async def seed_going(bot: Any, event_id: int, going: int, first_user: int) -> None:
    """Members going, through the service an RSVP click calls (so each gets the reminder rows it would)."""
    progress(f"seeding {going} going to meetup {event_id}")
    for user_id in range(first_user, first_user + going):
        await bot.services.events.rsvp(event_id, user_id, "going", display_name=f"member {user_id}")


async def admin(server: dict[str, Any], timer: InteractionTimer, pool: PoolCounter, command: str, going: int,
                **options: Any) -> AdminResult:
    store = server["store"]
    progress(f"/{command} with {going} going")
    before_rows = await open_rows_by_kind(store)
    checkouts_before, commits_before = pool.checkouts, len(pool.commits)
    result = await server["organiser"].slash(server["general"], command, **options)
    interaction_id = timer.ids(f"/{command}")[-1]
    started = timer.started[interaction_id][1]
    answered = timer.answered.get(interaction_id)
    followed_up = timer.last_request(interaction_id)
    if answered is None or followed_up is None or followed_up == answered or result.response is None:
        raise RuntimeError(f"/{command} was not answered, or not followed up after its deferral")
    commits = [moment for moment in pool.commits[commits_before:] if moment <= followed_up]
    if not commits:
        raise RuntimeError(f"/{command} committed nothing before its follow-up")
    return AdminResult(going=going, acknowledged=answered - started, stored=max(commits) - started,
                       followed_up=followed_up - started, checkouts=pool.checkouts - checkouts_before,
                       open_rows_before=before_rows, open_rows_after=await open_rows_by_kind(store))


def in_locale(template: dict[str, Any], locale: str | None) -> dict[str, Any]:
    return {**template, "locale": locale} if locale else template


async def run_hearth(members: int, concurrency: int, going: int, scratch: Path, locale: str | None = None
                     ) -> tuple[Burst, Burst, AdminResult, AdminResult, float]:
    url = f"sqlite+aiosqlite:///{scratch / 'hearth.db'}"
    async with Store.open(url) as store:
        bot = simulated_bot(store, simulated_settings(url))
        async with simcord.run(bot) as env:
            with env.time_context():
                timer = InteractionTimer()
                timer.install(bot)
                pool = PoolCounter(store.engine)
                guild = env.create_guild("Benchmark Circle")
                organisers = guild.create_role("Organisers", permissions=discord.Permissions(
                    manage_guild=True, manage_events=True))
                general = guild.create_text_channel("general")
                meetups = guild.create_text_channel("meetups")
                organiser = guild.add_member(env.create_user("olive"), roles=[organisers])
                people = [guild.add_member(env.create_user(f"member{i}")) for i in range(members + 1)]
                for person in people:  # they agreed to the privacy notice earlier (not part of what is timed)
                    await bot.services.consent.agree(person.id)
                server = {"env": env, "store": store, "guild": guild, "general": general, "organiser": organiser}
                await organiser.slash(general, "hearth setup", events=meetups, timezone="UTC")

                # The organiser's commands first: SimCord settles while `organiser.slash` runs, and its settle
                # loop slows down as answered views with timeouts pile up (see `burst`), which the check-ins
                # and clicks below leave behind by the hundred.
                week = (env.now() + timedelta(days=7)).replace(hour=18, minute=0, second=0, microsecond=0)
                big_edit = await create_meetup(server, "Big picnic (moved)", week + timedelta(days=1))
                big_cancel = await create_meetup(server, "Big picnic (cancelled)", week + timedelta(days=2))
                seeding = time.perf_counter()
                await seed_going(bot, big_edit, going, 10**15)
                await seed_going(bot, big_cancel, going, 2 * 10**15)
                seed_seconds = time.perf_counter() - seeding
                moved = week + timedelta(days=1, hours=2)
                edit = await admin(server, timer, pool, "event-admin edit", going, event=big_edit,
                                   start=f"{moved:%Y-%m-%d %H:%M}")
                moved_event = await store.events.get(big_edit)
                if moved_event is None or moved_event.start_at != moved:
                    raise RuntimeError("/event-admin edit did not move the meetup")
                cancel = await admin(server, timer, pool, "event-admin cancel", going, event=big_cancel)
                cancelled = await store.events.get(big_cancel)
                if cancelled is None or cancelled.status != "cancelled":
                    raise RuntimeError("/event-admin cancel did not cancel the meetup")

                await people[0].slash(general, "checkin", mood=4)
                checkin = await burst(env, timer, people[1:], in_locale(captured(timer, CHECKIN), locale),
                                      concurrency, CHECKIN, pool)
                stored = sum([await store.checkins.count(person.id) for person in people])
                if stored != members + 1:
                    raise RuntimeError(f"{stored} check-ins stored, expected {members + 1}")

                walk = await create_meetup(server, "Sunday walk by the river", week)
                await people[0].click(announcement(meetups, walk), custom_id=f"{RSVP_PREFIX}{walk}:going")
                rsvp = await burst(env, timer, people[1:], in_locale(captured(timer, RSVP_PREFIX), locale),
                                   concurrency, RSVP_PREFIX, pool)
                answers = await store.events.rsvps(walk)
                if len(answers["going"]) != members + 1:
                    raise RuntimeError(f"{len(answers['going'])} going, expected {members + 1}")
            check_errors(env)
    return checkin, rsvp, edit, cancel, seed_seconds


# -------------------------------------------------------------------------------------------- report
def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _ratio(value: float, target: str) -> str:
    return f"{value:.2f}x (target {target})"


def report(figures: Figures) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for name, hearth, bare in (("/checkin", figures.checkin, figures.bare_checkin),
                               ('RSVP "Going" click', figures.rsvp, figures.bare_rsvp)):
        rows += [
            (f"{name}, {hearth.interactions} at concurrency {figures.concurrency}", ""),
            ("  Hearth: throughput / p50 / p99",
             f"{hearth.throughput:,.0f}/s / {_ms(hearth.latencies.p50)} / {_ms(hearth.latencies.p99)}"),
            ("  bare:   throughput / p50 / p99",
             f"{bare.throughput:,.0f}/s / {_ms(bare.latencies.p50)} / {_ms(bare.latencies.p99)}"),
            ("  throughput Hearth / bare", _ratio(hearth.throughput / bare.throughput, ">= 0.5")),
            ("  p50 Hearth / bare", f"{hearth.latencies.p50 / bare.latencies.p50:.2f}x"),
            ("  p99 Hearth / bare", _ratio(hearth.latencies.p99 / bare.latencies.p99, "<= 2")),
            ("  pool checkouts per interaction", f"{hearth.checkouts_per_interaction:.2f} (target 1)"),
            ("  SQL statements per interaction (BEGIN/COMMIT not counted)",
             f"{(hearth.statements or 0) / hearth.interactions:.1f}"),
        ]
    for name, result in (("/event-admin edit (start moved)", figures.edit),
                         ("/event-admin cancel", figures.cancel)):
        changed = {kind: result.open_rows_after.get(kind, 0) - result.open_rows_before.get(kind, 0)
                   for kind in sorted(set(result.open_rows_before) | set(result.open_rows_after))}
        rows += [
            (f"{name}, {result.going:,} going", ""),
            ("  acknowledged (deferral sent)", f"{_ms(result.acknowledged)} (target < 500 ms)"),
            ("  all attendee work stored", f"{_ms(result.stored)} (target < 3,000 ms)"),
            ("  organiser's follow-up sent", _ms(result.followed_up)),
            ("  pool checkouts", f"{result.checkouts} (target 1)"),
            ("  open due-work rows changed", ", ".join(f"{kind} {delta:+,}" for kind, delta in changed.items()
                                                       if delta) or "none"),
        ]
    rows += [("Seeding RSVPs through EventService.rsvp", f"{2 * figures.edit.going:,} in {figures.seed_seconds:.1f} s"),
             ("Whole script wall time", f"{figures.wall_seconds:.1f} s")]
    return rows


def environment() -> dict[str, str]:
    return {"python": platform.python_version(), "discord.py": discord.__version__,
            "simcord": metadata.version("simcord"), "sqlalchemy": metadata.version("sqlalchemy"),
            "aiosqlite": metadata.version("aiosqlite"), "when": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            "cpus": str(os.cpu_count()), "load": " ".join(f"{load:.2f}" for load in os.getloadavg())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--members", type=int, default=300, help="check-ins and RSVP clicks (default 300)")
    parser.add_argument("--concurrency", type=int, default=10, help="interactions in flight at once (default 10)")
    parser.add_argument("--going", type=int, default=1000, help="members going to the edited/cancelled meetups")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this JSON file")
    parser.add_argument("--locale", default=None,
                        help="the members' Discord app language for the timed check-ins and clicks (e.g. de)")
    args = parser.parse_args(argv)
    if min(args.members, args.concurrency, args.going) < 1:
        parser.error("--members, --concurrency and --going must be at least 1")
    env = environment()
    print(", ".join(f"{key} {value}" for key, value in env.items()))
    print(f"members={args.members} concurrency={args.concurrency} going={args.going} "
          f"locale={args.locale or 'en-US'}\n")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="hearth-bench-") as scratch:
        bare_checkin, bare_rsvp = asyncio.run(run_bare(args.members, args.concurrency, Path(scratch)))
        checkin, rsvp, edit, cancel, seed_seconds = asyncio.run(
            run_hearth(args.members, args.concurrency, args.going, Path(scratch), args.locale))
    figures = Figures(members=args.members, concurrency=args.concurrency, checkin=checkin, bare_checkin=bare_checkin,
                      rsvp=rsvp, bare_rsvp=bare_rsvp, edit=edit, cancel=cancel, seed_seconds=seed_seconds,
                      wall_seconds=time.perf_counter() - started, environment=env)
    rows = report(figures)
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}".rstrip())
    if args.json is not None:
        data: dict[str, Any] = asdict(figures)
        for name in ("checkin", "bare_checkin", "rsvp", "bare_rsvp"):
            burst_figures: Burst = getattr(figures, name)
            data[name]["throughput"] = burst_figures.throughput
            data[name]["checkouts_per_interaction"] = burst_figures.checkouts_per_interaction
        args.json.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

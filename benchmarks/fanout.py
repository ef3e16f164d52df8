"""Fan-out: meetup reminders sent through the real bot in SimCord, under the global rate limit, with a crash.

    .venv/bin/python benchmarks/fanout.py [--reminders 50000] [--per-meetup 50] [--rate 50] [--concurrency 8]
                                          [--bare 2000]

One server; `--reminders / --per-meetup` meetups tomorrow evening, each with `--per-meetup` members going, so
`--reminders` "a day before" reminder rows all fall due at the same minute (seeded through the store API:
EventStore.create, DueWorkStore.schedule_many; the RSVP rows with one bulk INSERT). Members go to several
meetups each (5,000 members for 50,000 reminders), as in a busy community.

The virtual clock moves to the due minute and the bot's own `DueWorkRunner.sweep()` (batch and concurrency
from the settings, the real `EventsCog.send_reminder`, `send_dm` and `GlobalRateLimiter`) runs until half
the rows are done. Then a crash: a second runner, a stand-in for another process, claims a batch, sends
half of it through the same handler and dies after the last send, before marking it done (the worst
moment). The virtual clock moves past the claim lease and the bot sweeps on until nothing is open.

Printed: the claim rate (rows a second inside the claiming statement), the achieved send rate against the
configured limit (DMs a second over the sending wall time; the most requests in any one-second window,
timed at discord.py's HTTP seam, which SimCord's in-memory Discord answers), duplicates and losses
(counted from every member's DM conversation, which must both be 0), and, in the same process, a bare
baseline: `--bare` DMs of the same text sent straight with `channel.send`, no store, no limiter.

Not part of the test run; nothing here asserts a speed, but a duplicate or a loss fails the script.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import platform
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import simcord  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from benchmarks._timing import Latencies  # noqa: E402
from bot.demo.sim import simulated_bot, simulated_settings  # noqa: E402
from bot.domain.event_reminders import reminder_key  # noqa: E402
from bot.ratelimit import GlobalRateLimiter  # noqa: E402
from bot.scheduling import DueHandler, DueWorkRunner  # noqa: E402
from bot.services.event_reminders import REMINDER_KIND  # noqa: E402
from bot.store import DueItem, Store  # noqa: E402
from bot.store.tables import event_rsvps  # noqa: E402

TITLE = re.compile(r"^⏰ \*\*Meetup (\d+)\*\* is tomorrow")


class ProcessDied(BaseException):
    """A process killed mid-row: not an Exception, so the runner's error handling never sees it."""


class HttpLog:
    """Wall time of every REST request the bot makes, taken at discord.py's HTTP seam."""

    def __init__(self) -> None:
        self.sends: list[float] = []
        self.requests: list[float] = []

    def install(self, bot: Any) -> None:
        transport = bot.http.request

        async def timed(route: Any, **kwargs: Any) -> Any:
            self.requests.append(time.perf_counter())
            if route.method == "POST" and route.path.endswith("/messages"):
                self.sends.append(time.perf_counter())
            return await transport(route, **kwargs)

        bot.http.request = timed

    @staticmethod
    def busiest_second(stamps: list[float]) -> int:
        most, left = 0, 0
        for right, stamp in enumerate(stamps):
            while stamp - stamps[left] >= 1.0:
                left += 1
            most = max(most, right - left + 1)
        return most


@dataclass
class Result:
    reminders: int
    meetups: int
    members: int
    seed_seconds: float
    send_seconds: float
    claimed: int
    claim_seconds: float
    sent_before_crash: int
    crash_sent: int
    crash_left: int
    sends: int
    requests: int
    busiest_second: int
    busiest_request_second: int
    waited_seconds: float
    duplicates: int
    losses: int
    gave_up: int
    gaps: Latencies
    bare_sends: int
    bare_seconds: float


async def _real_sleep(seconds: float) -> None:
    await asyncio.get_running_loop().run_in_executor(None, time.sleep, seconds)


def _dying_after(handler: DueHandler, rows: int) -> DueHandler:
    seen = 0

    async def run(item: DueItem) -> None:
        nonlocal seen
        seen += 1
        await handler(item)
        if seen == rows:
            raise ProcessDied

    return run


async def run(reminders: int, per_meetup: int, rate: int, concurrency: int, bare: int, scratch: Path) -> Result:
    url = f"sqlite+aiosqlite:///{scratch / 'fanout.db'}"
    async with Store.open(url) as store:
        bot = simulated_bot(store, simulated_settings(url, global_rate=rate, send_concurrency=concurrency))
        # SimCord turns the event loop's timers into virtual ones (they fire when its clock moves or late, on
        # a real fallback), which would bend the pace measured here. The limiter waits in a thread instead, as
        # a real loop's timer would: the bot's own limiter class and settings, only the sleep is swapped.
        bot.rate_limiter = GlobalRateLimiter(rate, sleep=_real_sleep)
        async with simcord.run(bot) as env:
            with env.time_context():
                result = await _simulate(env, bot, store, reminders, per_meetup, bare)
            if env.errors:
                raise RuntimeError(f"the bot raised {len(env.errors)} errors, first: {env.errors[0]!r}")
    return result


async def _simulate(env: Any, bot: Any, store: Store, reminders: int, per_meetup: int, bare: int) -> Result:
    meetups = reminders // per_meetup
    members = max(per_meetup, min(5_000, reminders // 10))
    guild = env.create_guild("Benchmark Circle")
    people = [guild.add_member(env.create_user(f"member{i}")) for i in range(members)]

    started = time.perf_counter()
    now = env.now()
    due = (now + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    start_at = due + timedelta(hours=24)
    rows, rsvps = [], []
    for number in range(meetups):
        event = await store.events.create(now, guild_id=guild.id, title=f"Meetup {number}", start_at=start_at,
                                          end_at=start_at + timedelta(hours=2), mode="in_person",
                                          venue="The community centre", tag="social", creator_id=people[0].id)
        for seat in range(per_meetup):
            person = people[(number * per_meetup + seat) % members]
            rsvps.append({"event_id": event.id, "user_id": person.id, "status": "going",
                          "display_name": f"member{(number * per_meetup + seat) % members}", "updated_at": now})
            rows.append((REMINDER_KIND, {"event_id": event.id, "user_id": person.id, "label": "24h",
                                         "start": start_at.isoformat()}, due,
                         reminder_key(event.id, person.id, "24h", start_at)))
    async with store.engine.begin() as connection:
        await connection.execute(insert(event_rsvps), rsvps)
    if await store.due_work.schedule_many(rows, now=now) != len(rows):
        raise RuntimeError("not every reminder row was scheduled")
    seed_seconds = time.perf_counter() - started

    log = HttpLog()
    log.install(bot)
    await env.advance_time((due - env.now()).total_seconds())
    half = len(rows) // 2
    claimed = 0
    claim_seconds = 0.0
    send_seconds = 0.0
    started = time.perf_counter()
    while (await store.due_work.counts())["done"] < half:
        report = await bot.due_work.sweep()
        claimed += report.claimed
        claim_seconds += report.claim_seconds
    send_seconds += time.perf_counter() - started
    sent_before_crash = len(log.sends)

    # The crash: another process takes a batch, sends half of it, and dies right after its last send.
    dead = DueWorkRunner(store, bot.clock, owner="crashed-host:1", batch=bot.due_work.batch,
                         lease=bot.due_work.lease, max_attempts=bot.due_work.max_attempts)
    crash_rows = bot.due_work.batch // 2
    dead.register(REMINDER_KIND, _dying_after(bot.due_work.handler(REMINDER_KIND), crash_rows))
    with contextlib.suppress(ProcessDied):
        await dead.sweep()
    crash_sent = len(log.sends) - sent_before_crash
    crash_left = bot.due_work.batch - crash_rows
    await env.advance_time(bot.due_work.lease.total_seconds() + 1)

    started = time.perf_counter()
    while (await store.due_work.counts())["open"]:
        report = await bot.due_work.sweep()
        claimed += report.claimed
        claim_seconds += report.claim_seconds
        if not report.claimed:
            raise RuntimeError("rows are open but none could be claimed")
    send_seconds += time.perf_counter() - started

    # Every member's conversation, read back from SimCord's Discord.
    delivered: Counter[tuple[int, int]] = Counter()
    for person in people:
        channel = person.user.dm_channel
        for message in channel.history() if channel else ():
            found = TITLE.match(message.content or "")
            if found:
                delivered[(person.id, int(found[1]))] += 1
    expected = {(int(row[1]["user_id"]), number) for number in range(meetups)
                for row in rows[number * per_meetup:(number + 1) * per_meetup]}
    duplicates = sum(count - 1 for count in delivered.values())
    losses = len(expected - set(delivered))
    counts = await store.due_work.counts()

    sends = sorted(log.sends)
    requests = sorted(log.requests)  # before the baseline below adds its own
    gaps = [later - earlier for earlier, later in itertools.pairwise(sends)]
    bare_seconds = await _bare_baseline(bot, people[:bare])
    return Result(
        reminders=len(rows), meetups=meetups, members=members, seed_seconds=seed_seconds,
        send_seconds=send_seconds, claimed=claimed, claim_seconds=claim_seconds,
        sent_before_crash=sent_before_crash, crash_sent=crash_sent, crash_left=crash_left, sends=len(sends),
        requests=len(requests),
        busiest_second=HttpLog.busiest_second(sends),
        busiest_request_second=HttpLog.busiest_second(requests),
        waited_seconds=bot.rate_limiter.waited_seconds, duplicates=duplicates, losses=losses,
        gave_up=counts["gave_up"], gaps=Latencies.of(gaps), bare_sends=min(bare, len(people)),
        bare_seconds=bare_seconds,
    )


async def _bare_baseline(bot: Any, people: list[Any]) -> float:
    """The same DM, straight through discord.py: no store, no decision, no limiter, no nonce."""
    text = "⏰ **Baseline** is tomorrow: a bare discord.py send of a reminder-sized message."
    started = time.perf_counter()
    for person in people:
        user = bot.get_user(person.id) or await bot.fetch_user(person.id)
        await (user.dm_channel or await user.create_dm()).send(text)
    return time.perf_counter() - started


def report(result: Result, rate: int, concurrency: int) -> None:
    achieved = result.sends / result.send_seconds
    bare_rate = result.bare_sends / result.bare_seconds if result.bare_seconds else 0.0
    print(f"Python {platform.python_version()}, discord.py {metadata.version('discord.py')}, "
          f"SimCord {metadata.version('simcord')}, SQLite, {os.cpu_count()} CPUs")
    print(f"{result.reminders:,} reminders ({result.meetups:,} meetups x {result.reminders // result.meetups} going, "
          f"{result.members:,} members), all due at one minute; limit {rate}/s, concurrency {concurrency}")
    print(f"seeding: {result.seed_seconds:.1f} s")
    print(f"claim: {result.claimed:,} rows claimed in {result.claim_seconds:.2f} s inside the statement "
          f"= {result.claimed / result.claim_seconds:,.0f} rows/s")
    print(f"send: {result.sends:,} DMs in {result.send_seconds:.1f} s = {achieved:,.1f}/s "
          f"({achieved / rate:.2f} of the {rate}/s limit); busiest second {result.busiest_second} DMs, "
          f"{result.busiest_request_second} requests (DM channels opened included); "
          f"held back by the limiter {result.waited_seconds:.1f} s in total")
    per_second = result.requests / result.send_seconds
    print(f"requests: {result.requests:,} (each member's DM channel is opened once, then kept) = {per_second:,.1f}/s "
          f"({per_second / rate:.2f} of the limit)")
    print(f"gap between sends: p50 {result.gaps.p50 * 1000:.2f} ms, p99 {result.gaps.p99 * 1000:.2f} ms")
    print(f"crash: {result.sent_before_crash:,} sent before it; the crashed process sent {result.crash_sent} and "
          f"left {result.crash_left} claimed rows unsent")
    print(f"duplicates: {result.duplicates}   losses: {result.losses}   given up: {result.gave_up}")
    print(f"baseline: {result.bare_sends:,} bare discord.py sends at {bare_rate:,.0f}/s in the same process; "
          f"the bot's achieved rate is {achieved / bare_rate:.3f} of it")
    if result.duplicates or result.losses or result.gave_up:
        raise SystemExit("FAILED: a reminder was sent twice, lost or given up")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reminders", type=int, default=50_000)
    parser.add_argument("--per-meetup", type=int, default=50)
    parser.add_argument("--rate", type=int, default=50, help="HEARTH_GLOBAL_RATE for the run")
    parser.add_argument("--concurrency", type=int, default=8, help="HEARTH_SEND_CONCURRENCY for the run")
    parser.add_argument("--bare", type=int, default=2_000, help="bare discord.py sends for the baseline")
    args = parser.parse_args()
    if args.reminders < 2 * args.per_meetup:
        parser.error("--reminders must cover at least two meetups")
    with tempfile.TemporaryDirectory() as scratch:
        result = asyncio.run(run(args.reminders, args.per_meetup, args.rate, args.concurrency, args.bare,
                                 Path(scratch)))
    report(result, args.rate, args.concurrency)


if __name__ == "__main__":
    main()

"""Command line: `python -m bot` runs Hearth; `demo`, `db upgrade`, `db backup PATH`, `health` help operate it."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from dotenv import dotenv_values
from pydantic import ValidationError

from bot.clock import SystemClock
from bot.config import Settings, database_location
from bot.observability.logs import configure_logging
from bot.problems import settings_problems, token_problem, unknown_settings
from bot.sharding import ShardPlan

if TYPE_CHECKING:
    from bot.app import HearthBot

NO_TOKEN = """\
Hearth needs a Discord bot token to connect, and DISCORD_TOKEN is not set.

To get one:
  1. Open https://discord.com/developers/applications and press "New Application".
  2. Under "Bot", press "Reset Token" and copy the token (keep it secret).
  3. Put it in a file named .env beside where you run Hearth:   DISCORD_TOKEN=your-token
     (or export DISCORD_TOKEN in your shell), then run `python -m bot` again.

Hearth needs no privileged gateway intents. When it starts it prints an invite link for your server.
To try Hearth without Discord first, run `python -m bot demo`."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Hearth, a Discord bot for connection.")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="connect to Discord and run (the default)")
    demo = sub.add_parser("demo", help="run the real bot against a simulated server and print what happens")
    demo.add_argument("--out", type=Path, default=Path("demo-output"), help="folder for files the demo makes")
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply database migrations")
    backup = db_sub.add_parser("backup", help="write a consistent copy of the SQLite database to PATH")
    backup.add_argument("path", type=Path)
    backup.add_argument("--force", action="store_true", help="replace PATH if a file is there already")
    sub.add_parser("health", help="exit 0 when the database answers and the gateway heartbeat is recent")
    return parser


def _dotenv_names() -> list[str]:
    """The variables a .env file in this folder sets (Settings reads it too)."""
    path = Path(".env")
    return list(dotenv_values(path)) if path.is_file() else []


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "run"
    try:
        settings = Settings()
    except ValidationError as exc:
        lines = "\n".join(f"  {problem}" for problem in settings_problems(exc))
        print(f"Hearth's settings are not valid (from the environment, or .env in this folder):\n{lines}",
              file=sys.stderr)
        return 1 if command == "health" else 2  # Docker's HEALTHCHECK reserves 2
    # The demo's output is its transcript; only problems should interrupt it.
    configure_logging("WARNING" if command == "demo" else settings.log_level, settings.log_format,
                      instance=settings.instance_name)
    for sentence in unknown_settings([*os.environ, *_dotenv_names()]):
        logging.getLogger("bot").warning(sentence)
    if command == "demo":
        from bot.demo.runner import run_demo

        logging.getLogger("discord").setLevel(logging.ERROR)

        return run_demo(args.out)
    if command in ("db", "health"):
        from bot import operations

        if command == "health":
            code, message = asyncio.run(operations.health(settings, SystemClock().now()))
        elif args.db_command == "upgrade":
            code, message = asyncio.run(operations.upgrade(settings))
        else:
            code, message = operations.backup(settings, args.path, force=args.force)
        print(message, file=sys.stdout if code == 0 else sys.stderr)
        return code
    if settings.discord_token is None:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    problem = token_problem(settings.discord_token.get_secret_value())
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    try:
        return asyncio.run(_run(settings))
    except KeyboardInterrupt:  # Ctrl-C before the signal handlers are in place (opening the database)
        print("Stopped before Hearth connected to Discord; nothing was left half-done.", file=sys.stderr)
        return 130


async def _run(settings: Settings) -> int:
    from bot.app import HearthBot
    from bot.observability.metrics import Metrics, MetricsServerError
    from bot.scheduling import Scheduling
    from bot.store import Store
    from bot.store.problems import database_problem

    assert settings.discord_token is not None
    token = settings.discord_token.get_secret_value().strip()
    async with contextlib.AsyncExitStack() as opened:
        # The database first, before Discord is asked anything: a setting to fix is a sentence at once.
        try:
            store = await opened.enter_async_context(Store.open(settings.database_url))
            before = await store.revision()
            await store.upgrade()
            after = await store.revision()
        except Exception as exc:
            problem = database_problem(exc, settings.database_url)
            if problem is None:
                raise
            print(problem, file=sys.stderr)
            return 2
        _log_database(settings.database_url, before, after)
        metrics = Metrics(instance=settings.instance_name, shards=shards_label(settings.shard_plan()))
        if settings.metrics_port is not None:
            # Before connecting, like the database: a port to fix is a sentence at once, not after a login.
            try:
                await metrics.serve(settings.metrics_host, settings.metrics_port)
            except MetricsServerError as exc:
                print(exc.sentence(), file=sys.stderr)
                return 2
            opened.push_async_callback(metrics.stop)  # after the bot closed, before the database closes
            logging.getLogger(__name__).info("metrics at http://%s:%d/metrics", settings.metrics_host,
                                             settings.metrics_port)
        bot = HearthBot(settings=settings, store=store, scheduling=Scheduling(), clock=SystemClock(),
                        metrics=metrics)
        code = await serve(bot, lambda: _connect(bot, token))
        # Before the database closes: whatever still runs (an interaction finishing its write) finishes or is
        # cancelled here, so its connection goes back to the pool, not to the garbage collector later.
        await finish_leftover_tasks()
    logging.getLogger(__name__).info("Hearth stopped cleanly")
    return code


def _log_database(url: str, before: str | None, after: str | None) -> None:
    log = logging.getLogger(__name__)
    if before == after:
        log.info("database at %s, revision %s", database_location(url), after)
    else:
        log.info("database at %s upgraded from revision %s to %s", database_location(url), before or "(none)", after)


def shards_label(plan: ShardPlan | None) -> str:
    """hearth_info's `shards`: "all" for one process running every shard, else "0,2/4" (ids / count)."""
    if plan is None or plan.every_shard:
        return "all"
    return f"{','.join(map(str, plan.ids))}/{plan.count}"


SHUTDOWN_GRACE_SECONDS = 5.0


async def _connect(bot: HearthBot, token: str) -> None:
    async with bot:
        await bot.start(token)


async def serve(bot: HearthBot, connect: Callable[[], Awaitable[None]]) -> int:
    """Run the bot until SIGINT or SIGTERM (or the connection ends), then close it, whatever happened. The exit
    status, with a sentence on stderr for what an operator can fix."""
    import aiohttp
    import discord

    loop = asyncio.get_running_loop()
    closing: list[asyncio.Task[None]] = []

    def stop() -> None:
        if not closing:  # a second signal while closing changes nothing
            closing.append(loop.create_task(bot.close()))

    signals = (signal.SIGINT, signal.SIGTERM)
    for signum in signals:
        with contextlib.suppress(NotImplementedError):  # Windows has no add_signal_handler
            loop.add_signal_handler(signum, stop)
    try:
        await connect()
    except discord.LoginFailure:
        print("Discord refused the token in DISCORD_TOKEN (it was reset since, or not copied whole): reset it in "
              "the Developer Portal (Bot → Reset Token) and put the new one in DISCORD_TOKEN.", file=sys.stderr)
        return 2
    except (aiohttp.ClientConnectionError, TimeoutError) as exc:
        print(f"Couldn't reach Discord ({type(exc).__name__}: {exc}). Check this machine's network "
              "connection and try again.", file=sys.stderr)
        return 1
    except discord.PrivilegedIntentsRequired:
        print("Discord refused the Server Members intent that HEARTH_MEMBERS_INTENT=true asks for: switch on "
              "Server Members Intent in the Developer Portal (Bot → Privileged Gateway Intents), or set "
              "HEARTH_MEMBERS_INTENT=false.", file=sys.stderr)
        return 2
    finally:
        for signum in signals:
            with contextlib.suppress(NotImplementedError):
                loop.remove_signal_handler(signum)
        await bot.close()  # once: a signal's close and this one are the same
        if closing:
            await closing[0]
    return 0


async def finish_leftover_tasks(grace_seconds: float = SHUTDOWN_GRACE_SECONDS) -> None:
    """Tasks still running after the bot closed (an interaction handler, a library's cleanup) get a moment, then
    are cancelled and awaited here, while the database is open and logging still says what happens: not by
    asyncio.run after the last line, with the pool already closed."""
    current = asyncio.current_task()
    leftovers = {task for task in asyncio.all_tasks() if task is not current and not task.done()}
    if not leftovers:
        return
    _done, late = await asyncio.wait(leftovers, timeout=grace_seconds)
    for task in late:
        task.cancel()
    if late:
        await asyncio.wait(late, timeout=grace_seconds)
    for task in leftovers:
        if task.done() and not task.cancelled() and task.exception() is not None:
            logging.getLogger(__name__).warning("a task failed while Hearth stopped", exc_info=task.exception())


if __name__ == "__main__":
    sys.exit(main())

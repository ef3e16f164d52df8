"""Command line: `python -m bot` runs Hearth; `demo`, `db upgrade`, `db backup PATH`, `health` help operate it."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from pathlib import Path

from pydantic import ValidationError

from bot.clock import SystemClock
from bot.config import Settings

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
    sub.add_parser("health", help="exit 0 when the database answers and the gateway heartbeat is recent")
    return parser


def _configure_logging(level: str) -> None:
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    logging.getLogger("discord.http").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        print(f"Hearth's settings are not valid: {problems}", file=sys.stderr)
        return 2
    command = args.command or "run"
    # The demo's output is its transcript; only problems should interrupt it.
    _configure_logging("WARNING" if command == "demo" else settings.log_level)
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
            code, message = operations.backup(settings, args.path)
        print(message, file=sys.stdout if code == 0 else sys.stderr)
        return code
    if settings.discord_token is None:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    return asyncio.run(_run(settings))


async def _run(settings: Settings) -> int:
    import aiohttp
    import discord

    from bot.app import HearthBot
    from bot.scheduling import Scheduling
    from bot.store import Store

    assert settings.discord_token is not None
    async with Store.open(settings.database_url) as store:
        bot = HearthBot(settings=settings, store=store, scheduling=Scheduling(), clock=SystemClock())
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):  # Windows has no add_signal_handler
                loop.add_signal_handler(signum, lambda: asyncio.ensure_future(bot.close()))
        try:
            async with bot:
                await bot.start(settings.discord_token.get_secret_value())
        except discord.LoginFailure:
            print("Discord refused the token in DISCORD_TOKEN. Reset it in the Developer Portal "
                  "(Bot → Reset Token) and update your .env.", file=sys.stderr)
            return 2
        except (aiohttp.ClientConnectionError, TimeoutError) as exc:
            print(f"Couldn't reach Discord ({type(exc).__name__}: {exc}). Check this machine's network "
                  "connection and try again.", file=sys.stderr)
            return 1
        except discord.PrivilegedIntentsRequired:
            print("Discord says Hearth asked for a privileged intent that is not enabled for this "
                  "application. Enable it under Bot → Privileged Gateway Intents.", file=sys.stderr)
            return 2
    logging.getLogger(__name__).info("Hearth stopped cleanly")
    return 0


if __name__ == "__main__":
    sys.exit(main())

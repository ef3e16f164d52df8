"""Hearth as `python -m bot` runs it, in its own process, against SimCord instead of Discord: run by
tests/behaviour/test_lifecycle.py, which sends SIGTERM once this prints READY.

Work is in flight when the signal comes: a scheduled job (the heartbeat) is half-way through, and a task
still holds a database connection. What `python -m bot` does from there is the real code: `serve` closes the
bot on the signal, `finish_leftover_tasks` finishes or cancels what is left while the database is open,
then the store closes and "Hearth stopped cleanly" is the last line.
"""

from __future__ import annotations

import asyncio
import logging
import sys

import simcord

from bot.__main__ import finish_leftover_tasks, serve
from bot.demo.sim import simulated_bot, simulated_settings
from bot.observability.logs import configure_logging
from bot.store import Store


async def main(url: str) -> int:
    async with Store.open(url) as store:
        bot = simulated_bot(store, simulated_settings(url))
        async with simcord.run(bot):
            holding = asyncio.Event()

            async def reading_when_stopped() -> None:  # e.g. an interaction handler part-way through
                async with store.reading() as repositories:
                    await repositories.meta.get("anything")
                    holding.set()
                    await asyncio.Event().wait()

            async def heartbeat_half_way() -> None:  # a scheduled job, tracked as the scheduler's jobs are
                now = bot.clock.now()
                await store.meta.set("job", "started", now)
                await asyncio.sleep(0.3)
                await store.meta.set("job", "finished", now)

            loop = asyncio.get_running_loop()
            leftover = loop.create_task(reading_when_stopped())
            job = loop.create_task(bot.scheduled_job(heartbeat_half_way)())
            await holding.wait()
            await asyncio.sleep(0)  # the job has started
            closed = asyncio.Event()
            original_close = bot.close

            async def close() -> None:
                await original_close()
                closed.set()

            async def connect() -> None:  # as bot.start() does: returns once the bot is closed
                print("READY", flush=True)  # serve() listens for signals by now
                await closed.wait()

            bot.close = close  # type: ignore[method-assign]
            code = await serve(bot, connect)
        await finish_leftover_tasks(grace_seconds=0.5)
        assert leftover.done() and job.done()
    logging.getLogger("bot.__main__").info("Hearth stopped cleanly")
    return code


if __name__ == "__main__":
    configure_logging("INFO")
    sys.exit(asyncio.run(main(sys.argv[1])))

"""The Bot: receives its resources, wires them up in `setup_hook`, and shuts down cleanly."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import os
import pkgutil
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import discord
from discord.ext import commands

import cogs
from bot.clock import Clock
from bot.config import Settings
from bot.coordination import Coordination
from bot.domain.helplines import Helplines, load_helplines
from bot.i18n import Catalogs
from bot.invite import invite_url, required_permissions
from bot.observability.metrics import Metrics
from bot.ratelimit import GlobalRateLimiter, SharedRateLimiter
from bot.scheduling import DueWorkRunner, Scheduling
from bot.services import Services
from bot.store import Store
from bot.sync import sync_if_changed
from bot.tree import HearthTree, clean_typed_text
from bot.ui.components import answer_if_unhandled
from bot.ui.translator import HearthTranslator

log = logging.getLogger(__name__)

SWEEP_JOB = "due-work-sweep"
HEARTBEAT_JOB = "heartbeat"
LANGUAGE_FLUSH_JOB = "language-flush"  # members' Discord locales seen lately, written in one batch
LANGUAGE_FLUSH_SECONDS = 5
LANGUAGE_REFRESH_JOB = "language-refresh"  # who chose which language, for choices made in other processes
LANGUAGE_REFRESH_SECONDS = 60
PURGE_JOB = "due-work-purge"
PURGE_SECONDS = 3600.0
# Check-in notes past their server's retention are cleared hourly: an idempotent bulk UPDATE (a statement per
# retention in use), so a process that restarts, or every shard running it, changes nothing twice.
RETENTION_JOB = "notes-retention"
RETENTION_SECONDS = 3600.0


def discover_extensions() -> list[str]:
    """Every module or package directly under `cogs/` is an extension."""
    return sorted(f"{cogs.__name__}.{info.name}" for info in pkgutil.iter_modules(cogs.__path__)
                  if not info.name.startswith("_"))


def hearth_intents(*, members: bool = False) -> discord.Intents:
    # No privileged intents by default: slash commands and components need none, and members' messages
    # are none of our business (no message_content). `members` (HEARTH_MEMBERS_INTENT) only so that a
    # member leaving arrives at once and their data for that server can be removed.
    intents = discord.Intents.default()
    intents.message_content = False
    intents.typing = False
    intents.presences = False
    intents.members = members
    return intents


class HearthBot(commands.AutoShardedBot):
    def __init__(self, *, settings: Settings, store: Store, scheduling: Scheduling, clock: Clock,
                 helplines: Helplines | None = None, metrics: Metrics | None = None,
                 catalogs: Catalogs | None = None) -> None:
        # Hearth never joins a voice channel: discord.py's start-up warnings that the voice libraries (PyNaCl,
        # davey) are missing concern nothing it does. These two flags are how discord.py decides to warn.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        # None: one process runs every shard, as many as Discord recommends. Else the subset this process runs.
        self.shard_plan = settings.shard_plan()
        shards: dict[str, Any] = {} if self.shard_plan is None else {
            "shard_count": self.shard_plan.count, "shard_ids": list(self.shard_plan.ids)}
        super().__init__(
            **shards,
            command_prefix=commands.when_mentioned,  # no prefix commands; slash commands only
            intents=hearth_intents(members=settings.members_intent),
            # The members intent is only for hearing that someone left: never download every server's member
            # list at start (slow and memory-hungry in large servers).
            chunk_guilds_at_startup=False,
            tree_cls=HearthTree,
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
        )
        self.settings = settings
        self.store = store
        self.scheduling = scheduling
        self.clock = clock
        # What this process counts; served on HEARTH_METRICS_PORT when set (bot/__main__.py).
        self.metrics = metrics if metrics is not None else Metrics(instance=settings.instance_name)
        if metrics is not None:  # a process's own: its database and gateway are watched (once per engine)
            metrics.watch_engine(store.engine)
            metrics.watch_gateway(lambda: list(self.latencies))
        # Per process, so two shard processes on one host never complete each other's claims or leases.
        self.owner = f"{settings.instance_name}:{os.getpid()}"
        self.due_work = DueWorkRunner(
            store, clock,
            owner=self.owner,
            shards=self.shard_plan,
            batch=settings.sweep_batch,
            lease=timedelta(seconds=settings.claim_lease_seconds),
            max_attempts=settings.max_attempts,
            concurrency=settings.send_concurrency,
            retention=timedelta(days=settings.due_work_retention_days),
            observer=self.metrics,
        )
        # Discord's global limit is per bot: on PostgreSQL, where several processes may run, they share one budget.
        self.rate_limiter: GlobalRateLimiter = (
            SharedRateLimiter(settings.global_rate, store.rate_budget, observer=self.metrics)
            if store.dialect == "postgresql" else GlobalRateLimiter(settings.global_rate, observer=self.metrics))
        self.coordination = Coordination(store, clock, owner=self.owner,
                                         ttl=timedelta(seconds=max(60.0, 3 * settings.heartbeat_seconds)))
        # The one place services are built: every cog gets these, none builds its own.
        self.services = Services(store, clock, helplines or load_helplines())
        # Every language's messages, read once; each interaction and due-work row speaks in one of them.
        self.catalogs = catalogs if catalogs is not None else Catalogs.load()
        self.notices = self.services.notices  # DMs that must arrive, sent by the due-work fan-out
        self.due_work.before_batch = self._read_languages_ahead
        self.synced_commands: bool | None = None  # None until setup_hook decided
        self._running_jobs: set[asyncio.Task[Any]] = set()  # scheduled jobs in flight, finished before closing
        self._closing: asyncio.Future[None] | None = None

    async def setup_hook(self) -> None:
        await self.store.upgrade()
        await self.tree.set_translator(HearthTranslator(self.catalogs))
        await self.services.languages.refresh()
        for extension in discover_extensions():
            await self.load_extension(extension)
        # Persistent components: cogs list their DynamicItem classes; registering them here, before the
        # gateway connects, means buttons on old messages work from the first event after a restart.
        for cog in self.cogs.values():
            items = getattr(cog, "dynamic_items", ())
            if items:
                self.add_dynamic_items(*items)
        self.scheduling.every(SWEEP_JOB, self.settings.sweep_seconds, self.scheduled_job(self.due_work.sweep))
        self.scheduling.every(HEARTBEAT_JOB, self.settings.heartbeat_seconds, self.scheduled_job(self.record_heartbeat))
        self.scheduling.every(LANGUAGE_FLUSH_JOB, LANGUAGE_FLUSH_SECONDS,
                              self.scheduled_job(self.services.languages.flush))
        self.scheduling.every(LANGUAGE_REFRESH_JOB, LANGUAGE_REFRESH_SECONDS,
                              self.scheduled_job(self.services.languages.refresh))
        # Work that belongs to no shard: one process at a time (see bot/coordination.py).
        self.scheduling.every(PURGE_JOB, PURGE_SECONDS,
                              self.scheduled_job(self.coordination.singleton(PURGE_JOB, self.due_work.purge)))
        self.scheduling.every(RETENTION_JOB, RETENTION_SECONDS, self.scheduled_job(
            self.coordination.singleton(RETENTION_JOB, self.services.privacy.apply_retention)))
        if isinstance(self.rate_limiter, SharedRateLimiter):
            await self.store.rate_budget.ensure(self.rate_limiter.name, self.rate_limiter.burst)
        await self.coordination.lead()
        self.scheduling.start()
        assert self.application_id is not None
        # Every process starts with the same commands: the first to get here syncs them, the others wait for it
        # and find the stored hash unchanged. One that dies mid-sync drops the lock, and the next one syncs.
        async with self.store.exclusive("command-sync"):
            self.synced_commands = await sync_if_changed(
                self.tree, self.store, self.clock, application_id=self.application_id,
                dev_guild=self.settings.dev_guild,
            )

    async def _read_languages_ahead(self, items: list[Any]) -> None:
        """The members a batch of due work writes to: their languages in one statement, not one per DM."""
        members = [item.payload["user_id"] for item in items if isinstance(item.payload.get("user_id"), int)]
        await self.services.languages.prefetch(members)

    @property
    def invite_url(self) -> str | None:
        if self.application_id is None:
            return None
        return invite_url(self.application_id, required_permissions(self.cogs.values()))

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None:
        # discord.py dispatches "interaction" right after it looked for the view or modal that handles it: a
        # Hearth component nothing handles any more (a view that timed out, or lived in a process that has
        # since restarted) gets a sentence here instead of "This interaction failed".
        # Before any handler runs (they are tasks, started after this), what was typed loses invisible controls.
        if event_name == "interaction" and args and isinstance(args[0], discord.Interaction):
            clean_typed_text(args[0])
            answer_if_unhandled(self, args[0])
        super().dispatch(event_name, *args, **kwargs)

    async def on_ready(self) -> None:
        log.info("logged in as %s (id %s) in %d servers", self.user, self.user and self.user.id, len(self.guilds))
        if self.invite_url:
            log.info("invite Hearth to a server with: %s", self.invite_url)
        await self.record_heartbeat()

    async def record_heartbeat(self) -> None:
        """What `python -m bot health` reads: this process is connected and its database answers."""
        if not self.is_ready() or self.is_closed():
            return
        latency = self.latency if math.isfinite(self.latency) else None
        value = json.dumps({"latency": latency, "guilds": len(self.guilds),
                            "shards": sorted(self.shards) if self.shards else [0]})
        await self.store.meta.set(heartbeat_key(self.settings.instance_name), value, self.clock.now())
        await self.coordination.lead()  # renewed with the heartbeat while this process holds it

    def scheduled_job(self, func: Callable[[], Awaitable[Any]]) -> Callable[[], Awaitable[Any]]:
        """A scheduled job, tracked while it runs: closing lets it finish instead of cancelling it mid-write."""
        async def tracked() -> Any:
            task = asyncio.current_task()
            assert task is not None
            self._running_jobs.add(task)
            try:
                return await func()
            finally:
                self._running_jobs.discard(task)
        return tracked

    async def close(self) -> None:
        """Once, however often it is called (a signal, then leaving `async with bot`)."""
        if self._closing is None:
            self._closing = asyncio.ensure_future(self._shut_down())
        await asyncio.shield(self._closing)

    async def _shut_down(self, grace_seconds: float = 10.0) -> None:
        # In this order, so nothing is cancelled half-way through a write: no job starts any more; the sweep in
        # flight finishes its row and hands the rest back; the other jobs in flight (short writes) finish; then
        # the scheduler stops (it would cancel what still runs) and the gateway closes.
        log.info("shutting down: stopping the scheduler and finishing work in flight")
        if self.scheduling.scheduler.running:
            self.scheduling.scheduler.pause()
        await self.due_work.stop()
        running = self._running_jobs - {asyncio.current_task()}
        if running:
            _done, late = await asyncio.wait(running, timeout=grace_seconds)
            if late:
                log.warning("%d scheduled job(s) still running at shutdown are cancelled", len(late))
        self.scheduling.shutdown()
        try:
            await self.services.languages.flush()
        except Exception:
            log.exception("could not record the languages members used lately; they are learnt again next time")
        try:
            await self.coordination.release()
        except Exception:
            log.exception("could not hand the leases back; another process takes them over when they expire")
        await super().close()


def heartbeat_key(instance: str) -> str:
    return f"heartbeat:{instance}"

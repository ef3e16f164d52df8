"""Prometheus metrics on Hearth's own registry (never prometheus_client's global one), served at /metrics.

Labels are bounded sets only: interaction kinds, command names, custom_id prefixes, due-work kinds, outcomes,
shard numbers. Never an id, a member's text, or SQL: each distinct label value is a series kept forever.
"""

from __future__ import annotations

import errno
import logging
import math
import socket
import time
from collections.abc import Callable, Iterable
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)

INTERACTION_KINDS = frozenset({"command", "component", "modal", "autocomplete"})
INTERACTION_OUTCOMES = frozenset({"ok", "refused", "error"})  # refused: an expected error, answered in a sentence
DUE_WORK_OUTCOMES = frozenset({"done", "retried", "gave_up"})
LATE_AFTER_SECONDS = 60.0

# Discord's window to answer an interaction is 3 s: the buckets are dense below it.
INTERACTION_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 30.0)
LATENESS_BUCKETS = (1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 900.0, 3600.0, 6 * 3600.0, 24 * 3600.0)
STATEMENT_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
_STARTED = "hearth.statement_started"  # in a connection's `info`: one statement at a time runs on a connection


class MetricsServerError(Exception):
    """The metrics server could not listen at host:port; `error` says why (its errno: in use, not allowed…)."""

    def __init__(self, host: str, port: int, error: OSError) -> None:
        super().__init__(f"can't listen on {host}:{port}: {error}")
        self.host, self.port, self.error = host, port, error

    def sentence(self) -> str:
        """For the operator: what is wrong, and which setting to change."""
        host, port, error = self.host, self.port, self.error
        if error.errno == errno.EADDRINUSE:
            return (f"Port {port} at {host} is in use by another program, so Hearth can't serve metrics there "
                    "(HEARTH_METRICS_PORT): stop that program, or set HEARTH_METRICS_PORT to a free port.")
        if error.errno == errno.EACCES:
            return (f"Hearth may not listen on port {port} (HEARTH_METRICS_PORT): ports below 1024 need "
                    "privileges; choose one above 1024, such as 9100.")
        choices = "use 127.0.0.1 (this machine only) or 0.0.0.0 (every network interface)"
        if isinstance(error, socket.gaierror):
            return f"Hearth can't find the host {host} (HEARTH_METRICS_HOST) to listen on: {choices}."
        if error.errno == errno.EADDRNOTAVAIL:
            return (f"Hearth can't listen on {host} (HEARTH_METRICS_HOST): it is not an address of this machine; "
                    f"{choices}.")
        reason = error.strerror or type(error).__name__
        return (f"Hearth can't serve metrics at {host}:{port} (HEARTH_METRICS_HOST, HEARTH_METRICS_PORT): "
                f"{reason[:1].lower() + reason[1:]}.")


class Metrics:
    """Everything Hearth counts. The Bot gets one and hands it to what records; `serve` exposes it."""

    def __init__(self, *, late_after_seconds: float = LATE_AFTER_SECONDS, instance: str | None = None,
                 shards: str | None = None) -> None:
        self.registry = CollectorRegistry()
        self.late_after_seconds = late_after_seconds
        registry = self.registry
        self._interactions = Counter("hearth_interactions", "Interactions handled, by kind, name and outcome.",
                                     ("kind", "name", "outcome"), registry=registry)
        self._interaction_seconds = Histogram("hearth_interaction_seconds", "Time to handle an interaction.",
                                              ("kind",), buckets=INTERACTION_BUCKETS, registry=registry)
        self._claimed = Counter("hearth_due_work_claimed", "Due-work rows claimed by sweeps.", ("kind",),
                                registry=registry)
        self._finished = Counter("hearth_due_work_finished", "Due-work rows handled: done, retried or gave_up.",
                                 ("kind", "outcome"), registry=registry)
        self._lateness = Histogram("hearth_due_work_lateness_seconds",
                                   "How long after its due time a due-work handler started.", ("kind",),
                                   buckets=LATENESS_BUCKETS, registry=registry)
        self._late = Counter("hearth_due_work_late", f"Due work started over {late_after_seconds:g} s late.",
                             ("kind",), registry=registry)
        self._requests = Counter("hearth_discord_requests", "Requests Hearth's paced fan-out sent to Discord.",
                                 registry=registry)
        self._rate_limited = Counter("hearth_discord_429", "429 answers to Hearth's paced fan-out requests.",
                                     registry=registry)
        self._statement_seconds = Histogram("hearth_db_statement_seconds", "Time a database statement took.",
                                            ("dialect",), buckets=STATEMENT_BUCKETS, registry=registry)
        self._info = Gauge("hearth_info", "This process: its instance name and the shards it runs (always 1).",
                           ("instance", "shards"), registry=registry)
        if instance is not None:
            self._info.labels(instance=instance, shards=shards or "all").set(1)
        self._gateway: _GatewayLatency | None = None
        self._engines: list[Engine] = []
        self._runner: web.AppRunner | None = None

    # --- interactions -----------------------------------------------------------------------------------------

    def interaction_handled(self, kind: str, name: str, outcome: str, seconds: float) -> None:
        """`name`: a command's qualified name, or a custom_id's fixed prefix: never anything with an id in it."""
        _check("interaction kind", kind, INTERACTION_KINDS)
        _check("interaction outcome", outcome, INTERACTION_OUTCOMES)
        self._interactions.labels(kind=kind, name=name, outcome=outcome).inc()
        self._interaction_seconds.labels(kind=kind).observe(max(0.0, seconds))

    # --- due work ---------------------------------------------------------------------------------------------

    def due_work_claimed(self, kind: str, count: int) -> None:
        self._claimed.labels(kind=kind).inc(count)

    def due_work_finished(self, kind: str, outcome: str, late_seconds: float) -> None:
        """`late_seconds`: from the row's due time to its handler's start (0 when it started on time)."""
        _check("due-work outcome", outcome, DUE_WORK_OUTCOMES)
        self._finished.labels(kind=kind, outcome=outcome).inc()
        late = max(0.0, late_seconds)
        self._lateness.labels(kind=kind).observe(late)
        if late > self.late_after_seconds:
            self._late.labels(kind=kind).inc()

    # --- Discord requests -------------------------------------------------------------------------------------

    def request_sent(self) -> None:
        self._requests.inc()

    def rate_limited(self, retry_after: float) -> None:
        # retry_after is the rate limiter's to act on; a count of 429s is what an operator watches.
        del retry_after
        self._rate_limited.inc()

    # --- database and gateway ---------------------------------------------------------------------------------

    def watch_engine(self, engine: AsyncEngine) -> None:
        """Time every statement the engine runs, by dialect. Once per engine, however often called."""
        sync_engine = engine.sync_engine
        if any(watched is sync_engine for watched in self._engines):
            return
        self._engines.append(sync_engine)
        statement_seconds = self._statement_seconds.labels(dialect=sync_engine.dialect.name)

        def before(conn: Any, cursor: Any, statement: Any, parameters: Any, context: Any, executemany: Any) -> None:
            conn.info[_STARTED] = time.perf_counter()

        def after(conn: Any, cursor: Any, statement: Any, parameters: Any, context: Any, executemany: Any) -> None:
            started = conn.info.pop(_STARTED, None)
            if started is not None:
                statement_seconds.observe(time.perf_counter() - started)

        # A statement that fails never reaches `after`: the next one on the connection replaces its start.
        event.listen(sync_engine, "before_cursor_execute", before)
        event.listen(sync_engine, "after_cursor_execute", after)

    def watch_gateway(self, latencies: Callable[[], list[tuple[int, float]]]) -> None:
        """Gateway latency per shard, read from `latencies()` (shard id, seconds) when Prometheus scrapes."""
        if self._gateway is not None:
            self.registry.unregister(self._gateway)
        self._gateway = _GatewayLatency(latencies)
        self.registry.register(self._gateway)

    # --- exposition -------------------------------------------------------------------------------------------

    def render(self) -> bytes:
        """Every family, in Prometheus's text format."""
        return generate_latest(self.registry)

    async def serve(self, host: str, port: int) -> None:
        """Answer GET /metrics at host:port until `stop`. Raises MetricsServerError when it can't listen."""
        if self._runner is not None:
            raise RuntimeError("the metrics server is already running")
        app = web.Application()
        app.router.add_get("/metrics", self._handle_metrics)
        # No access log: a scrape every few seconds would be most of the log.
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError as exc:
            await runner.cleanup()
            raise MetricsServerError(host, port, exc) from exc
        self._runner = runner

    @property
    def port(self) -> int | None:
        """The port the server listens on (the one the system chose, when asked for port 0), or None."""
        addresses = self._runner.addresses if self._runner is not None else []
        return int(addresses[0][1]) if addresses else None

    async def stop(self) -> None:
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def _handle_metrics(self, request: web.Request) -> web.Response:
        response = web.Response(body=self.render())
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response


class _GatewayLatency:
    """A collector asked at scrape time: the latency is the gateway's own figure, not a sample Hearth keeps."""

    NAME = "hearth_gateway_latency_seconds"
    HELP = "Gateway heartbeat latency, per shard."

    def __init__(self, latencies: Callable[[], list[tuple[int, float]]]) -> None:
        self._latencies = latencies

    def describe(self) -> Iterable[Metric]:
        return [GaugeMetricFamily(self.NAME, self.HELP, labels=("shard",))]

    def collect(self) -> Iterable[Metric]:
        family = GaugeMetricFamily(self.NAME, self.HELP, labels=("shard",))
        try:
            latencies = self._latencies()
        except Exception:  # a scrape still answers with everything else
            log.warning("could not read the gateway latencies for /metrics", exc_info=True)
            latencies = []
        for shard, seconds in latencies:
            if math.isfinite(seconds):  # inf until the first heartbeat is answered
                family.add_metric((str(shard),), seconds)
        return [family]


def _check(what: str, value: str, allowed: frozenset[str]) -> None:
    # A label value outside its set is a programming error: refused, rather than a new series forever.
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}: one of {', '.join(sorted(allowed))}")

"""Timing helpers for the benchmarks: percentiles, and a bot's own handling time for interactions under SimCord.

SimCord's actors settle the event loop after every action (polling while anything is pending), so the wall
time of `await member.click(...)` measures SimCord as much as the bot. `InteractionTimer` times the bot
inside the process instead, from the interaction reaching discord.py to the response request leaving it.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import discord
from discord.webhook.async_ import async_context


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of unsorted values (the same rule as benchmarks/due_work.py)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


@dataclass(frozen=True)
class Latencies:
    """Count, p50 and p99 of a list of durations in seconds."""

    count: int
    p50: float
    p99: float
    mean: float

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Latencies:
        if not seconds:
            raise ValueError("no samples")
        return cls(len(seconds), statistics.median(seconds), percentile(seconds, 0.99), statistics.fmean(seconds))


class InteractionTimer:
    """Per-interaction handling time inside the bot's process, without touching the bot's code.

    t0 is the INTERACTION_CREATE gateway event entering discord.py's parser: the point where a real gateway
    connection hands discord.py a decoded event, before discord.py builds the Interaction and schedules the
    component callback. `on_interaction` cannot serve as t0: `ConnectionState.parse_interaction_create`
    schedules the view/DynamicItem task *before* it dispatches "interaction", so the listener runs after the
    handler's first step, and a handler that answers without awaiting anything real (such as a bare button
    answering through SimCord's in-memory backend) has already answered when the listener starts: tried here,
    `on_interaction` ran 0.6 to 5 ms after such a handler's response request had left.

    t1 is the interaction's callback request (POST /interactions/{id}/{token}/callback) entering the
    transport. Interaction responses do not go through `bot.http` (HTTPClient.request) but through
    discord.py's async webhook adapter, taken from the `discord.webhook.async_.async_context` context
    variable; discord.py offers no hook there (its `http_trace` only sees real aiohttp requests), so this
    class wraps that adapter instance's `request` method, in the benchmark process only. Both hooks are
    instance attributes set at install time (the parser table entry of this bot's ConnectionState, the
    `request` attribute of the adapter SimCord installed); no class is patched and the bot's code is
    unchanged.
    """

    CALLBACK_PATH = "/interactions/{webhook_id}/{webhook_token}/callback"

    def __init__(self) -> None:
        self.started: dict[int, tuple[str, float]] = {}  # interaction id -> (custom_id, t0)
        self.answered: dict[int, float] = {}  # interaction id -> t1 (first callback request only)

    def install(self, bot: discord.Client) -> None:
        """Call inside the SimCord env (e.g. in `env.time_context()`), after `simcord.run(bot)` started."""
        state: Any = bot._connection
        parse = state.parsers["INTERACTION_CREATE"]

        def timed_parse(data: dict[str, Any]) -> None:
            custom_id = str((data.get("data") or {}).get("custom_id", ""))
            self.started[int(data["id"])] = (custom_id, time.perf_counter())
            parse(data)

        state.parsers["INTERACTION_CREATE"] = timed_parse

        adapter: Any = async_context.get()
        request: Callable[..., Any] = adapter.request

        def timed_request(route: Any, *args: Any, **kwargs: Any) -> Any:
            if route.method == "POST" and route.path == self.CALLBACK_PATH:
                self.answered.setdefault(int(route.webhook_id), time.perf_counter())
            return request(route, *args, **kwargs)

        adapter.request = timed_request

    def seconds(self, prefix: str) -> list[float]:
        """Handling times of the answered interactions whose custom_id starts with `prefix`."""
        return [self.answered[interaction_id] - t0 for interaction_id, (custom_id, t0) in self.started.items()
                if custom_id.startswith(prefix) and interaction_id in self.answered]

    def unanswered(self) -> list[str]:
        return [custom_id for interaction_id, (custom_id, _) in self.started.items()
                if interaction_id not in self.answered]

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


def interaction_label(data: dict[str, Any]) -> str:
    """A component's custom_id, or a command as "/name sub" (groups and subcommands, without option values)."""
    inner = data.get("data") or {}
    if "custom_id" in inner:
        return str(inner["custom_id"])
    label = "/" + str(inner.get("name", ""))
    options = inner.get("options") or []
    while options and options[0].get("type") in (1, 2):  # SUB_COMMAND, SUB_COMMAND_GROUP
        label += " " + str(options[0]["name"])
        options = options[0].get("options") or []
    return label


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
        self.started: dict[int, tuple[str, float]] = {}  # interaction id -> (label, t0)
        self.answered: dict[int, float] = {}  # interaction id -> t1 (first callback request only)
        self.requests: dict[int, list[float]] = {}  # interaction id -> every webhook request with its token
        self.payloads: dict[int, dict[str, Any]] = {}  # interaction id -> the gateway payload, to replay
        self._by_token: dict[str, int] = {}
        self.on_answer: Callable[[int], None] | None = None  # called with the id at each first callback

    def install(self, bot: discord.Client) -> None:
        """Call inside the SimCord env (e.g. in `env.time_context()`), after `simcord.run(bot)` started."""
        state: Any = bot._connection
        parse = state.parsers["INTERACTION_CREATE"]

        def timed_parse(data: dict[str, Any]) -> None:
            started = time.perf_counter()
            interaction_id = int(data["id"])
            self.started[interaction_id] = (interaction_label(data), started)
            self.payloads[interaction_id] = data
            self._by_token[str(data.get("token"))] = interaction_id
            parse(data)

        state.parsers["INTERACTION_CREATE"] = timed_parse

        adapter: Any = async_context.get()
        request: Callable[..., Any] = adapter.request

        def timed_request(route: Any, *args: Any, **kwargs: Any) -> Any:
            now = time.perf_counter()
            first = int(route.webhook_id) not in self.answered
            if route.method == "POST" and route.path == self.CALLBACK_PATH and first:
                self.answered[int(route.webhook_id)] = now
                if self.on_answer is not None:
                    self.on_answer(int(route.webhook_id))
            interaction_id = self._by_token.get(str(getattr(route, "webhook_token", None)))
            if interaction_id is not None:  # the callback, and follow-ups or edits of the original response
                self.requests.setdefault(interaction_id, []).append(now)
            return request(route, *args, **kwargs)

        adapter.request = timed_request

    def seconds(self, prefix: str) -> list[float]:
        """Handling times of the answered interactions whose label (custom_id, or "/command sub") starts with
        `prefix`."""
        return [self.answered[interaction_id] - t0 for interaction_id, (label, t0) in self.started.items()
                if label.startswith(prefix) and interaction_id in self.answered]

    def ids(self, prefix: str) -> list[int]:
        """Interactions whose label starts with `prefix`, in the order they reached the process."""
        return [interaction_id for interaction_id, (label, _) in self.started.items() if label.startswith(prefix)]

    def last_request(self, interaction_id: int) -> float | None:
        """When the interaction's last webhook request (its callback, a follow-up or an edit) left."""
        sent = self.requests.get(interaction_id)
        return sent[-1] if sent else None

    def unanswered(self) -> list[str]:
        return [custom_id for interaction_id, (custom_id, _) in self.started.items()
                if interaction_id not in self.answered]

"""Every slash command as Discord knows it (the payload Hearth syncs), with option values a member could
send, and a snapshot of everything stored: for tests that run all commands, not a hand-picked few."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from bot.store.tables import metadata
from bot.sync import command_payload
from tests.behaviour.world import Server

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER = 3, 4, 5, 6, 7, 8, 9, 10


@dataclass(frozen=True)
class Leaf:
    """One command a member can run: its full name ("hearth buddies settings"), its options, and the
    default member permissions of its top-level command (None: everyone)."""

    name: str
    options: tuple[dict[str, Any], ...]
    default_permissions: str | None

    @property
    def for_organisers(self) -> bool:
        return self.default_permissions is not None


def leaves(bot: Any) -> list[Leaf]:
    found: list[Leaf] = []

    def visit(node: dict[str, Any], path: list[str], permissions: str | None) -> Iterator[Leaf]:
        children = [o for o in node.get("options") or () if o.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP)]
        if not children:
            yield Leaf(" ".join(path), tuple(node.get("options") or ()), permissions)
        for child in children:
            yield from visit(child, [*path, child["name"]], permissions)

    for command in command_payload(bot.tree):
        if command.get("type", 1) == 1:
            found.extend(visit(command, [command["name"]], command.get("default_member_permissions")))
    return sorted(found, key=lambda leaf: leaf.name)


def plausible(server: Server, option: dict[str, Any], *, event_id: int | None = None) -> Any:
    """A value of the right kind that a member could pick or type for this option."""
    kind = option["type"]
    if option.get("choices"):
        return option["choices"][0]["value"]
    if kind == STRING:
        return {"start": "2026-01-04 10:30", "timezone": "Europe/London", "zone": "Europe/London",
                "link": "https://example.org/meet", "time": "09:00", "until": "2026-06-30"}.get(option["name"], "Hello")
    if kind == INTEGER:
        if option["name"] == "event":
            return event_id if event_id is not None else 1
        return option.get("min_value", 1)
    if kind == NUMBER:
        return float(option.get("min_value", 1))
    if kind == BOOLEAN:
        return False
    if kind == USER:
        return server.bob
    if kind == CHANNEL:
        return server.events
    if kind == ROLE:
        return server.organisers_role
    if kind == MENTIONABLE:
        return server.bob
    raise AssertionError(f"no plausible value for option type {kind}")


def required_options(server: Server, leaf: Leaf, *, event_id: int | None = None, every: bool = False
                     ) -> dict[str, Any]:
    """Plausible values for the required options (`every`: for all options)."""
    return {option["name"]: plausible(server, option, event_id=event_id) for option in leaf.options
            if every or option.get("required")}


async def snapshot(store: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order: compare two to see that nothing changed."""
    async with store.engine.connect() as connection:
        tables = {}
        for name, table in sorted(metadata.tables.items()):
            rows = (await connection.execute(select(table))).all()
            tables[name] = sorted((tuple(row) for row in rows), key=repr)
    return tables


def discord_changes(env: Any, since: int) -> list[str]:
    """Requests after the first `since` that change something in Discord other than answering the
    interaction itself (a post, a DM, an edit, a thread, a server event...)."""
    changes = []
    for request in env.http_requests[since:]:
        if request.method == "GET":
            continue
        if request.path.startswith("/interactions/") or request.path.startswith("/webhooks/"):
            continue  # the answer to the member (and its follow-ups)
        changes.append(f"{request.method} {request.path}")
    return changes

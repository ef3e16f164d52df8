"""Helpers for meetup behaviour tests: set up, create (once or repeating), click, run due work."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tests.behaviour.world import Server, consenting_server

# A meetup's options for /event-admin create, as an organiser would type them.
WALK = {"title": "Sunday walk", "start": "2026-01-04 10:30", "duration": 90, "mode": "in_person",
        "venue": "Mill Lane car park", "tag": "walk"}


async def setup_events(server: Server, timezone: str = "Europe/London") -> None:
    await server.organiser.slash(server.general, "hearth setup", events=server.events, timezone=timezone)


async def create(server: Server, **options: Any) -> tuple[Any, Any]:
    """/event-admin create with a walk's defaults (options override; None removes one), then "Post it"."""
    values = {"title": "Sunday walk by the river", "start": "2026-01-04 10:30", "duration": 90, "mode": "in_person",
              "venue": "Mill Lane car park", "area": "Leeds", "tag": "walk", **options}
    shown = await server.organiser.slash(server.general, "event-admin create",
                                         **{k: v for k, v in values.items() if v is not None})
    posted = await server.organiser.click(shown.response, custom_id="hearth:ev:confirm")
    return shown, posted


def announcements(server: Server) -> list[Any]:
    return [message for message in server.events.history() if message.embeds]


def announcement_of(server: Server, event_id: int) -> Any:
    """The events-channel message whose buttons answer for `event_id`."""
    for message in server.events.history():
        ids = [c.custom_id for row in message.components for c in row.children]
        if f"hearth:ev:rsvp:{event_id}:going" in ids:
            return message
    raise AssertionError(f"no announcement for event {event_id}")


def message_by_id(server: Server, message_id: int | None) -> Any:
    return next(message for message in server.events.history() if message.id == message_id)


async def rsvp(member: Any, server: Server, event_id: int, status: str = "going") -> Any:
    return await member.click(announcement_of(server, event_id), custom_id=f"hearth:ev:rsvp:{event_id}:{status}")


async def run_until(env: Any, moment: datetime) -> None:
    """Move virtual time to `moment` (never back) and run what is due, twice (work that schedules work)."""
    await env.advance_time(max(0.0, (moment - env.now()).total_seconds()))
    await env.bot.due_work.sweep()
    await env.bot.due_work.sweep()


def dms(member: Any) -> list[Any]:
    channel = member.user.dm_channel
    return [] if channel is None else list(channel.history())


async def events_server(env: Any) -> Server:
    """The server, its members agreed to the privacy notice, with an events channel set up."""
    built = await consenting_server(env)
    await setup_events(built)
    return built

"""A member with data across Hearth, for the privacy and member-leave tests."""

from __future__ import annotations

from typing import Any

from tests.behaviour.buddies_world import configure, join
from tests.behaviour.events_world import create, rsvp, setup_events


async def alice_uses_hearth(server: Any, *, note: str = "Rough week, but I went for a walk.") -> int:
    """Alice checks in with a note, joins the buddy pool, sets check-in reminders and says Going to a meetup.
    Returns the meetup's id."""
    await server.alice.slash(server.general, "settings timezone", zone="Europe/London")
    await server.alice.slash(server.general, "checkin", mood=2, note=note)
    await configure(server)
    await join(server.alice, server.general)
    await server.alice.slash(server.general, "mood reminders", cadence="daily", time="09:00")
    await setup_events(server)
    await create(server, start="2026-01-20 10:30")
    event_id = (await server.env.bot.services.events.upcoming(server.guild.id))[0].id
    await rsvp(server.alice, server, event_id)
    return int(event_id)


async def open_work(store: Any, user_id: int) -> list[str]:
    """The kinds of the member's pending scheduled work."""
    return sorted(row.kind for row in await store.privacy.member_work(user_id) if row.open)

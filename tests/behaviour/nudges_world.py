"""Helpers for nudge tests: meetups straight into the store, opting in, and running due work."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.domain.buddies import BuddyProfile
from tests.behaviour.world import Server


async def meetup(store: Any, server: Server, title: str, start: datetime, *, mode: str = "in_person",
                 area: str | None = "Leeds", message_id: int | None = 555) -> Any:
    """A scheduled meetup with an announcement (so the digest can link to it)."""
    return await store.events.create(
        start, guild_id=server.guild.id, title=title, description=None, start_at=start,
        end_at=start + timedelta(hours=2), mode=mode, venue=None, area=area if mode == "in_person" else None,
        link="https://meet.example/x" if mode == "online" else None, capacity=None, tag="social",
        creator_id=server.organiser.id, channel_id=server.events.id, message_id=message_id)


async def profile(store: Any, server: Server, member: Any, *, area: str | None = "Leeds",
                  preference: str = "either") -> None:
    """The member is in the buddy pool with this area (as /buddy join would leave it)."""
    await store.buddies.save_profile(BuddyProfile(guild_id=server.guild.id, user_id=member.id, interests=("walks",),
                                                  area=area, preference=preference, frequency="every"),
                                     server.env.now())


async def opt_in(member: Any, server: Server, zone: str = "Europe/London", **options: Any) -> Any:
    await member.slash(server.general, "settings timezone", zone=zone)
    return await member.slash(server.general, "nudges on", **options)


async def run_until(env: Any, moment: datetime) -> None:
    """Move the virtual clock to `moment` and sweep due work, as the scheduler would."""
    await env.advance_time(max(0.0, (moment - env.now()).total_seconds()))
    await env.bot.due_work.sweep()


async def run_next(env: Any, store: Any, key: str | None) -> datetime:
    """Run the due row with this key at its due time; returns when that was."""
    assert key is not None
    row = await store.due_work.get(key)
    assert row is not None and row["done_at"] is None, key
    await run_until(env, row["due_at"])
    return row["due_at"]  # type: ignore[no-any-return]


def dms(member: Any) -> list[Any]:
    """Every message the bot sent this member by DM."""
    channel = member.user.dm_channel
    return list(channel.history()) if channel is not None else []


def embeds_titled(member: Any, title: str) -> list[Any]:
    return [m for m in dms(member) if m.embeds and (m.embeds[0].title or "").startswith(title)]




def button_ids(message: Any) -> list[str]:
    return [child.custom_id for row in message.components for child in row.children]

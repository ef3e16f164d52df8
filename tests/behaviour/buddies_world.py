"""Helpers for buddy tests: a configured server and members who joined the pool."""

from __future__ import annotations

from typing import Any

from tests.behaviour.world import Server, component_id


async def configure(server: Server, **options: Any) -> Any:
    await server.organiser.slash(server.general, "hearth setup", buddies=server.buddies, timezone="Europe/London")
    return await server.organiser.slash(server.general, "hearth buddies settings", **options)


async def join(member: Any, channel: Any, *, area: str | None = "Leeds", preference: str = "either",
               interests: list[str] | None = None, tags: str | None = None, frequency: str = "every") -> Any:
    """The member fills in the /buddy join form and presses Save."""
    form = await member.slash(channel, "buddy join")

    def part(name: str) -> str:
        return component_id(form.response, f"hearth:bd:join:{name}")

    if interests is not None:
        await member.select(form.response, interests, custom_id=part("interests"))
    await member.select(form.response, [preference], custom_id=part("preference"))
    await member.select(form.response, [frequency], custom_id=part("frequency"))
    if area is not None or tags is not None:
        modal = await member.click(form.response, custom_id=part("more"))
        await member.submit_modal(modal, {"area": area or "", "tags": tags or ""})
    return await member.click(form.response, custom_id=part("save"))


def threads_of(channel: Any) -> list[Any]:
    return list(channel.threads)

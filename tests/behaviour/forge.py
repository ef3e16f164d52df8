"""Interactions no honest client would send, for tests of what Hearth does when someone sends them anyway.

SimCord's actors only do what a real user could (click a button they can see, pick a member that exists).
A modified client, or a script with a user token, can send more: a click on a message in someone else's DM,
or a command option naming an id Discord has no data for. These helpers build those gateway events with
SimCord's own payload builder and deliver them like any other; the bot can't tell them apart.
"""

from __future__ import annotations

from typing import Any

from simcord import InteractionResult
from simcord import interactions as sim_interactions
from simcord.backend import serializers
from simcord.components import walk_components
from simcord.enums import ComponentType, InteractionType


async def _dispatch(env: Any, *, type: int, channel_id: int, guild_id: int | None, user_id: int,
                    data: dict[str, Any], message: Any = None, settle: bool = True) -> InteractionResult:
    record, payload = sim_interactions.base_payload(env.backend, type=type, channel_id=channel_id,
                                                    guild_id=guild_id, user_id=user_id, data=data)
    if message is not None:
        stored = env.backend.get_message(_channel_of(message), message.id)
        payload["message"] = dict(serializers.message_payload(env.backend, stored))
        record.source_message_id = stored.id
    env.backend.emit("INTERACTION_CREATE", payload)
    if settle:
        await env.settle()
    return InteractionResult(env, record)


def _channel_of(message: Any) -> int:
    channel = getattr(message, "channel", None)
    return channel.id if channel is not None and getattr(channel, "id", None) else message.channel_id


async def forge_click(env: Any, clicker: Any, message: Any, custom_id: str, *, times: int = 1) -> InteractionResult:
    """`clicker` (a member or a user) clicks the component `custom_id` on `message` (a button, or a select
    with nothing chosen; a button if the message has no such component), wherever it is: in
    someone else's DM, or an ephemeral answer only its owner can see. `times` > 1: that many clicks arrive
    before the bot has handled any (a double click); the result is the last one's."""
    channel_id = _channel_of(message)
    guild_id = env.backend.get_channel(channel_id).guild_id
    stored = env.backend.get_message(channel_id, message.id)
    kind = next((component.get("type") for component in walk_components(stored.components)
                 if component.get("custom_id") == custom_id), ComponentType.BUTTON)
    data: dict[str, Any] = {"custom_id": custom_id, "component_type": kind}
    if kind != ComponentType.BUTTON:
        data["values"] = []  # a select, with nothing chosen
    results = [await _dispatch(env, type=InteractionType.MESSAGE_COMPONENT, channel_id=channel_id, guild_id=guild_id,
                               user_id=clicker.id, data=data, message=message, settle=False) for _ in range(times)]
    await env.settle()
    return results[-1]


async def forge_slash(env: Any, member: Any, channel: Any, command: str, options: list[dict[str, Any]],
                      resolved: dict[str, Any] | None = None) -> InteractionResult:
    """`member` runs `/command` (e.g. "buddy block") with raw wire options: values SimCord's actors won't build,
    such as a user id with no `resolved` data."""
    parts = command.split()
    root = env.backend.find_command(parts[0], channel.guild.id if channel.guild else None, type=1)
    assert root is not None, f"/{parts[0]} is not registered"
    _leaf, nesting = sim_interactions.walk_to_subcommand(root, parts[1:])
    data: dict[str, Any] = {"id": root["id"], "name": root["name"], "type": 1,
                            "options": sim_interactions.nest_options(root, nesting, options)}
    if resolved:
        data["resolved"] = resolved
    return await _dispatch(env, type=InteractionType.APPLICATION_COMMAND, channel_id=channel.id,
                           guild_id=channel.guild.id if channel.guild else None, user_id=member.id, data=data)

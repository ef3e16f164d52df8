"""A small community server for behaviour tests: channels, an organiser and members."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import discord


@dataclass
class Server:
    env: Any
    guild: Any
    general: Any
    announcements: Any
    buddies: Any
    events: Any
    organiser: Any
    alice: Any
    bob: Any
    organisers_role: Any


def build_server(env: Any, *, preferred_locale: str | None = None) -> Server:
    """`preferred_locale`: the server's Primary Language (Community settings), as Discord sends it."""
    guild = env.create_guild("Riverside Support", preferred_locale=preferred_locale)
    organisers = guild.create_role("Organisers", permissions=discord.Permissions(manage_guild=True, manage_events=True))
    return Server(
        env=env,
        guild=guild,
        general=guild.create_text_channel("general"),
        announcements=guild.create_text_channel("announcements"),
        buddies=guild.create_text_channel("buddies"),
        events=guild.create_text_channel("meetups"),
        organiser=guild.add_member(env.create_user("olive"), roles=[organisers]),
        alice=guild.add_member(env.create_user("alice")),
        bob=guild.add_member(env.create_user("bob")),
        organisers_role=organisers,
    )


def answer(result: Any) -> Any:
    """The message a person finally sees: after a deferral it is the last follow-up."""
    return result.followups[-1] if result.followups else result.response


def embed_text(result: Any) -> str:
    """Everything a person reads in a response: content, embed titles, descriptions and fields."""
    return message_text(result.response)


def message_text(message: Any) -> str:
    """Everything a person reads in a message: content, embed titles, descriptions, fields and footers."""
    parts = [message.content or ""]
    for embed in message.embeds:
        parts += [embed.title or "", embed.description or ""]
        parts += [f"{field.name}: {field.value}" for field in embed.fields]
        parts.append(embed.footer.text or "")
    return "\n".join(part for part in parts if part)


def expected_errors(env: Any) -> list[str]:
    """The errors the bot's handler answered during the test, as type names (and acknowledged)."""
    names = []
    for error in env.errors:
        original = getattr(error, "original", None) or error.__cause__ or error
        names.append(type(original).__name__)
    return names


async def consented(bot: Any, *members: Any) -> None:
    """These members already agreed to the current privacy notice (as if they had pressed "I agree")."""
    for member in members:
        await bot.services.consent.agree(member.id)


async def consenting_server(env: Any, *, preferred_locale: str | None = None) -> Server:
    """`build_server`, with the organiser, Alice and Bob having agreed to the privacy notice already."""
    server = build_server(env, preferred_locale=preferred_locale)
    await consented(env.bot, server.organiser, server.alice, server.bob)
    return server


async def newcomer(server: Server, name: str) -> Any:
    """Another member of the server, who agreed to the privacy notice already."""
    member = server.guild.add_member(server.env.create_user(name))
    await consented(server.env.bot, member)
    return member


def custom_ids(message: Any) -> list[str]:
    """Every component custom_id on a message (a SimCord result's dicts or a discord.py message's rows)."""
    found: list[str] = []
    for row in message.components:
        children = row.get("components", []) if isinstance(row, dict) else row.children
        for child in children:
            custom_id = child.get("custom_id") if isinstance(child, dict) else child.custom_id
            if custom_id:
                found.append(str(custom_id))
    return found


def component_id(message: Any, prefix: str) -> str:
    """The custom_id of the message's component that starts with `prefix` (ids carry owners and tokens)."""
    ids = [custom_id for custom_id in custom_ids(message) if custom_id.startswith(prefix)]
    assert ids, f"no component starting with {prefix!r} in {custom_ids(message)}"
    return ids[0]

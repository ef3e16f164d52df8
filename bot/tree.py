"""The command tree: one place where every app-command error becomes a sentence for a person."""

from __future__ import annotations

import logging
import math
import re
from typing import Any

import discord
from discord import app_commands

from bot.domain.errors import HearthError
from bot.ui.replies import reply_ephemeral

log = logging.getLogger(__name__)

UNEXPECTED = (
    "Sorry, something went wrong on our side and nothing was changed. "
    "Please try again in a minute; if it keeps happening, let the server's organisers know."
)
CANNOT_DM = 50007  # Discord: "Cannot send messages to this user"

_PERMISSION_NAMES = {
    "manage_guild": "Manage Server",
    "manage_events": "Manage Events",
    "manage_roles": "Manage Roles",
    "manage_channels": "Manage Channels",
    "manage_threads": "Manage Threads",
    "send_messages": "Send Messages",
    "send_messages_in_threads": "Send Messages in Threads",
    "create_private_threads": "Create Private Threads",
    "embed_links": "Embed Links",
    "attach_files": "Attach Files",
    "view_channel": "View Channel",
}


def _permission_list(names: list[str]) -> str:
    return ", ".join(f"**{_PERMISSION_NAMES.get(n, n.replace('_', ' ').title())}**" for n in names)


_ENTITY_SENTENCES = {
    discord.AppCommandOptionType.user: ("I couldn't find that person in this server. Please pick a member of "
                                        "this server from the list."),
    discord.AppCommandOptionType.channel: ("I can't see that channel. Please pick a channel of this server "
                                           "from the list that Hearth can see."),
    discord.AppCommandOptionType.role: ("I couldn't find that role. Please pick one of this server's roles from "
                                        "the list."),
    discord.AppCommandOptionType.mentionable: "I couldn't find that. Please pick a member or role from the list.",
}


def _transform_sentence(error: app_commands.TransformerError) -> str:
    """Never a Python representation: a user, channel or role Discord sent no data for is an `Object`."""
    entity = _ENTITY_SENTENCES.get(error.type)
    if entity is not None:
        return entity
    value = error.value
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        printable = "".join(char for char in str(value) if char.isprintable())[:80]
        shown = discord.utils.escape_markdown(discord.utils.escape_mentions(printable))
        if shown:
            return f"I couldn't use “{shown}” for that option. Please pick one from the list."
    return "I couldn't use that value for that option. Please pick one from the list."


def message_for(error: Exception) -> str | None:
    """The sentence for an expected error, or None when the error is unexpected.

    Commands wrap what they raise (CommandInvokeError); buttons and modals hand it over as it is.
    """
    original: BaseException | None = error
    if isinstance(error, app_commands.CommandInvokeError):
        original = error.original
    elif isinstance(error, app_commands.TransformerError):
        original = error.__cause__
    if isinstance(original, HearthError):
        return original.message
    if isinstance(original, discord.Forbidden) and original.code == CANNOT_DM:
        return ("I couldn't send you a direct message. To get DMs from Hearth, allow direct messages "
                "from server members (Privacy Settings), then try again.")
    if isinstance(error, app_commands.TransformerError):
        return _transform_sentence(error)
    if original is not error:
        return None
    if isinstance(error, app_commands.MissingPermissions):
        return f"Only members with {_permission_list(error.missing_permissions)} can use this command."
    if isinstance(error, app_commands.BotMissingPermissions):
        return (f"I need {_permission_list(error.missing_permissions)} here to do that. "
                "Ask an organiser to give me the permission.")
    if isinstance(error, app_commands.MissingRole | app_commands.MissingAnyRole):
        return "This command is for a specific role you don't have."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command works inside a server, not in direct messages."
    if isinstance(error, app_commands.CommandOnCooldown):
        seconds = max(1, math.ceil(error.retry_after))
        return f"Let's take a breath: you can use this again in {seconds} second{'s' if seconds != 1 else ''}."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use this command here."
    if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
        return "This command has just changed. Please wait a minute and try again."
    return None


# Invisible characters nobody types on purpose: C0 and C1 controls (but tab and line breaks), the zero-width
# space, bidirectional embeddings, overrides and isolates (which can make text read backwards), and the BOM.
# NUL in particular: PostgreSQL refuses it in text, so a note with one would be an error there.
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2066-\u2069\ufeff]")
_TEXT_OPTION, _TEXT_INPUT = 3, 4  # a command's string option; a form's text field


def clean_typed_text(interaction: discord.Interaction) -> None:
    """Take invisible control characters out of everything typed into a command or a form, in place, before
    discord.py reads the options or fields. Call it where the interaction is dispatched, before its handlers
    run (HearthBot.dispatch): what is stored, and shown to others, is only what can be seen."""
    data: Any = interaction.data
    if not isinstance(data, dict):
        return
    if interaction.type in (discord.InteractionType.application_command, discord.InteractionType.autocomplete):
        _clean_options(data.get("options") or [])
    elif interaction.type == discord.InteractionType.modal_submit:
        _clean_fields(data.get("components") or [])


def _clean_options(options: list[Any]) -> None:
    for option in options:
        if option.get("type") == _TEXT_OPTION and isinstance(option.get("value"), str):
            option["value"] = INVISIBLE.sub("", option["value"])
        _clean_options(option.get("options") or [])  # subcommands and groups


def _clean_fields(components: list[Any]) -> None:
    for component in components:
        if not isinstance(component, dict):
            continue
        if component.get("type") == _TEXT_INPUT and isinstance(component.get("value"), str):
            component["value"] = INVISIBLE.sub("", component["value"])
        _clean_fields(component.get("components") or [])  # action rows
        inner = component.get("component")
        if inner is not None:
            _clean_fields([inner])  # labels


class HearthTree(app_commands.CommandTree[discord.Client]):
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        await handle_interaction_error(interaction, error)


async def handle_interaction_error(interaction: discord.Interaction, error: Exception) -> None:
    """Answer privately; log unexpected errors with who, where and what. Shared by views and modals."""
    message = message_for(error)
    if message is None:
        command = interaction.command.qualified_name if interaction.command else None
        custom_id = interaction.data.get("custom_id") if interaction.data else None
        original = getattr(error, "original", error)
        log.error(
            "unexpected error: command=%s custom_id=%s guild=%s channel=%s user=%s",
            command, custom_id, interaction.guild_id, interaction.channel_id, interaction.user.id,
            exc_info=original,
        )
        message = UNEXPECTED
    try:
        await reply_ephemeral(interaction, message)
    except discord.HTTPException as exc:  # the interaction expired or Discord is down: nothing more to do
        log.warning("could not deliver an error message for interaction %s: %s", interaction.id, exc)

"""The command tree: one place where every app-command error becomes a sentence for a person."""

from __future__ import annotations

import logging
import math

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
        return f"I couldn't use “{error.value}” for that option. Please pick one from the list."
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

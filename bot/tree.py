"""The command tree: one place where every app-command error becomes a sentence for a person, and where each
command is observed: its log lines carry its guild and shard, and its outcome and time are counted."""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import discord
from discord import app_commands

from bot.domain.errors import HearthError
from bot.i18n import N_, _, n_, speaking
from bot.observability.logs import log_context
from bot.observability.metrics import Metrics
from bot.sharding import shard_of
from bot.ui.replies import reply_ephemeral
from bot.ui.voices import interaction_voice

log = logging.getLogger(__name__)

# i18n: shown when something unexpected failed inside Hearth
UNEXPECTED = N_(
    "Sorry, something went wrong on our side and nothing was changed. "
    "Please try again in a minute; if it keeps happening, let the server's organisers know."
)
CANNOT_DM = 50007  # Discord: "Cannot send messages to this user"

_PERMISSION_NAMES = {
    # i18n: a Discord permission's name (as are the ones after it): use the name Discord's settings show
    "manage_guild": N_("Manage Server"),
    "manage_events": N_("Manage Events"),
    "manage_roles": N_("Manage Roles"),
    "manage_channels": N_("Manage Channels"),
    "manage_threads": N_("Manage Threads"),
    "send_messages": N_("Send Messages"),
    "send_messages_in_threads": N_("Send Messages in Threads"),
    "create_private_threads": N_("Create Private Threads"),
    "embed_links": N_("Embed Links"),
    "attach_files": N_("Attach Files"),
    "view_channel": N_("View Channel"),
}


def _permission_list(names: list[str]) -> str:
    def name(permission: str) -> str:
        known = _PERMISSION_NAMES.get(permission)
        return _(known) if known is not None else permission.replace("_", " ").title()

    return ", ".join(f"**{name(permission)}**" for permission in names)


_ENTITY_SENTENCES = {
    discord.AppCommandOptionType.user: N_("I couldn't find that person in this server. Please pick a member of "
                                          "this server from the list."),
    discord.AppCommandOptionType.channel: N_("I can't see that channel. Please pick a channel of this server "
                                             "from the list that Hearth can see."),
    discord.AppCommandOptionType.role: N_("I couldn't find that role. Please pick one of this server's roles from "
                                          "the list."),
    discord.AppCommandOptionType.mentionable: N_("I couldn't find that. Please pick a member or role from the list."),
}


def _transform_sentence(error: app_commands.TransformerError) -> str:
    """Never a Python representation: a user, channel or role Discord sent no data for is an `Object`."""
    entity = _ENTITY_SENTENCES.get(error.type)
    if entity is not None:
        return _(entity)
    value = error.value
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        printable = "".join(char for char in str(value) if char.isprintable())[:80]
        shown = discord.utils.escape_markdown(discord.utils.escape_mentions(printable))
        if shown:
            # i18n: {value} is what the member typed or picked for a command option
            return _("I couldn't use “{value}” for that option. Please pick one from the list.", value=shown)
    return _("I couldn't use that value for that option. Please pick one from the list.")


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
        # i18n: "Privacy Settings" is the name of the server menu entry in Discord
        return _("I couldn't send you a direct message. To get DMs from Hearth, allow direct messages "
                 "from server members (Privacy Settings), then try again.")
    if isinstance(error, app_commands.TransformerError):
        return _transform_sentence(error)
    if original is not error:
        return None
    if isinstance(error, app_commands.MissingPermissions):
        # i18n: {permissions} is a list of Discord permission names, in bold, separated by commas
        return _("Only members with {permissions} can use this command.",
                 permissions=_permission_list(error.missing_permissions))
    if isinstance(error, app_commands.BotMissingPermissions):
        # i18n: {permissions} is a list of Discord permission names, in bold, separated by commas
        return _("I need {permissions} here to do that. Ask an organiser to give me the permission.",
                 permissions=_permission_list(error.missing_permissions))
    if isinstance(error, app_commands.MissingRole | app_commands.MissingAnyRole):
        return _("This command is for a specific role you don't have.")
    if isinstance(error, app_commands.NoPrivateMessage):
        return _("This command works inside a server, not in direct messages.")
    if isinstance(error, app_commands.CommandOnCooldown):
        seconds = max(1, math.ceil(error.retry_after))
        # i18n: a member used a command too often in a short time
        return n_("Let's take a breath: you can use this again in {count} second.",
                  "Let's take a breath: you can use this again in {count} seconds.", seconds)
    if isinstance(error, app_commands.CheckFailure):
        return _("You can't use this command here.")
    if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
        return _("This command has just changed. Please wait a minute and try again.")
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
    async def _call(self, interaction: discord.Interaction) -> None:
        # discord.py runs each command and autocomplete in a task of its own through `_call`, and calls on_error
        # from inside it for errors the command raised: everything the command does is observed here.
        async with observe_interaction(interaction):
            await super()._call(interaction)

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        # Also reached after `_call` has returned, for a command Discord knows and this process doesn't.
        with log_context(**interaction_log_fields(interaction)):
            await handle_interaction_error(interaction, error)


async def handle_interaction_error(interaction: discord.Interaction, error: Exception) -> None:
    """Answer privately; log unexpected errors with who, where and what. Shared by views and modals."""
    message = message_for(error)
    interaction.extras[OUTCOME] = "refused" if message is not None else "error"
    if message is None:
        command = interaction.command.qualified_name if interaction.command else None
        custom_id = interaction.data.get("custom_id") if interaction.data else None
        original = getattr(error, "original", error)
        log.error(
            "unexpected error: command=%s custom_id=%s guild=%s channel=%s user=%s",
            command, custom_id, interaction.guild_id, interaction.channel_id, interaction.user.id,
            exc_info=original,
        )
        message = _(UNEXPECTED)
    try:
        await reply_ephemeral(interaction, message)
    except discord.HTTPException as exc:  # the interaction expired or Discord is down: nothing more to do
        log.warning("could not deliver an error message for interaction %s: %s", interaction.id, exc)


# Observing interactions ------------------------------------------------------------------------------------------
OUTCOME = "hearth.outcome"  # in Interaction.extras: set by handle_interaction_error, read when the handling ends
_KINDS = {
    discord.InteractionType.application_command: "command",
    discord.InteractionType.autocomplete: "autocomplete",
    discord.InteractionType.component: "component",
    discord.InteractionType.modal_submit: "modal",
}
# A custom_id is "hearth:" and fixed words, then the variable parts (ids, tokens, choices): its name for metrics
# is the fixed words before the first part with a digit in it, and no more than four parts. A HearthModal's
# random suffix (hex) can be all letters, so a part that could be hex is variable too.
_FIXED_PART = re.compile(r"[a-z][a-z_-]{0,23}")
_HEX = re.compile(r"[0-9a-f]{6,}")
_MAX_PARTS = 4


def component_name(custom_id: str | None) -> str:
    """The bounded name of a component or modal: "hearth:ci:mood" for "hearth:ci:mood:3:8123…"; "other" for a
    custom_id Hearth didn't make (discord.py's random ones)."""
    if not custom_id or not custom_id.startswith("hearth:"):
        return "other"
    fixed: list[str] = []
    for part in custom_id.split(":")[:_MAX_PARTS]:
        if not _FIXED_PART.fullmatch(part) or _HEX.fullmatch(part):
            break
        fixed.append(part)
    return ":".join(fixed)


def interaction_name(interaction: discord.Interaction) -> str:
    """A command's qualified name; a component's or modal's custom_id prefix. Never an id, never user text."""
    if interaction.type in (discord.InteractionType.component, discord.InteractionType.modal_submit):
        data: Any = interaction.data
        custom_id = data.get("custom_id") if isinstance(data, dict) else None
        return component_name(custom_id if isinstance(custom_id, str) else None)
    command = interaction.command  # None when this process doesn't know the command Discord sent
    return command.qualified_name if command is not None else "unknown"


def interaction_log_fields(interaction: discord.Interaction) -> dict[str, object]:
    """guild_id and shard_id (Discord's shard for the guild; None in DMs) for log lines about this interaction."""
    guild_id = interaction.guild_id
    if guild_id is None:
        return {"guild_id": None, "shard_id": None}
    shard_count = interaction.client.shard_count
    return {"guild_id": guild_id, "shard_id": shard_of(guild_id, shard_count) if shard_count else 0}


def metrics_of(client: discord.Client) -> Metrics | None:
    """The Bot's metrics (HearthBot.metrics), when it has them."""
    metrics = getattr(client, "metrics", None)
    return metrics if isinstance(metrics, Metrics) else None


@asynccontextmanager
async def observe_interaction(interaction: discord.Interaction) -> AsyncIterator[None]:
    """Around the handling of one interaction: log lines inside carry its guild and shard, and its kind, name,
    outcome (ok, refused: an expected error answered in a sentence, error) and time are counted."""
    started = time.perf_counter()
    outcome = "ok"
    try:
        with log_context(**interaction_log_fields(interaction)), speaking(interaction_voice(interaction)):
            yield
    except Exception as error:
        outcome = "refused" if message_for(error) is not None else "error"
        raise
    except BaseException:  # cancelled (shutting down) part-way through
        outcome = "error"
        raise
    finally:
        kind = _KINDS.get(interaction.type)
        metrics = metrics_of(interaction.client)
        if kind is not None and metrics is not None:
            if interaction.command_failed and outcome == "ok":
                outcome = "error"
            outcome = interaction.extras.get(OUTCOME, outcome)
            metrics.interaction_handled(kind, interaction_name(interaction), outcome, time.perf_counter() - started)

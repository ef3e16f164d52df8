"""The settings audit: one post in the server's support channel for every change to Hearth's settings.

Who changed what, old → new: channels as mentions, roles by name (never a ping), organisers' own text
escaped and shortened; never member data. Posted after the change committed, through the one channel-post
policy (`bot.ui.posts.post`, no mentions allowed); a post that fails is logged and changes nothing.
Without a support channel nothing is posted: the announcements channel is for members, not for this.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

import discord

from bot.domain.settings_audit import SettingChange
from bot.ui.posts import post

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)

_TEXT_LIMIT = 200
_MESSAGE_LIMIT = 2000


def _text(value: str) -> str:
    flat = re.sub(r"\s+", " ", value).strip()
    if len(flat) > _TEXT_LIMIT:
        flat = flat[:_TEXT_LIMIT - 1].rstrip() + "…"
    return f"“{discord.utils.escape_markdown(discord.utils.escape_mentions(flat))}”"


def _value(change: SettingChange, value: str | int | None, guild: discord.Guild) -> str:
    if value is None or value == "":
        return "not set"
    if change.kind == "channel":
        return f"<#{value}>"
    if change.kind == "role":
        role = guild.get_role(int(value))
        return _text(role.name) if role is not None else "a role that no longer exists"
    if change.kind == "text":
        return _text(str(value))
    return discord.utils.escape_markdown(str(value))


def audit_text(actor_id: int, command: str, changes: Iterable[SettingChange], guild: discord.Guild) -> str:
    lines = [f"🛠️ <@{actor_id}> changed Hearth's settings with `{command}`:"]
    lines += [f"• {change.setting}: {_value(change, change.old, guild)} → {_value(change, change.new, guild)}"
              for change in changes]
    text = "\n".join(lines)
    return text if len(text) <= _MESSAGE_LIMIT else text[:_MESSAGE_LIMIT - 1] + "…"


async def post_audit(bot: HearthBot, guild: discord.Guild, actor_id: int, command: str,
                     changes: tuple[SettingChange, ...], channel_ids: Iterable[int]) -> None:
    """One audit message in each of `channel_ids` (the support channel; the previous one too when it moved).
    Nothing when nothing changed or no channel is set."""
    if not changes:
        return
    text = audit_text(actor_id, command, changes, guild)
    for channel_id in channel_ids:
        try:
            await post(bot, channel_id, text, what="a settings audit")
        except discord.HTTPException:
            # The change is saved and the organiser answered; a post Discord refused must not undo either.
            log.exception("could not post a settings audit in channel %s of guild %s", channel_id, guild.id)

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
from datetime import date, timedelta
from typing import TYPE_CHECKING

import discord

from bot.domain.settings_audit import SettingChange
from bot.i18n import _, command_path, n_, number, p_, speaking, weekday_name
from bot.ui.posts import post
from bot.ui.voices import server_voice

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


_A_MONDAY = date(2024, 1, 1)


def _value(change: SettingChange, value: str | int | None, guild: discord.Guild) -> str:
    if value is None or value == "":
        # i18n: a setting's old or new value in the settings audit post ("• Support link: not set → https://…")
        return p_("setting value", "not set")
    if change.kind == "channel":
        return f"<#{value}>"
    if change.kind == "role":
        role = guild.get_role(int(value))
        # i18n: a setting's old or new value in the settings audit post, for the organiser role
        return _text(role.name) if role is not None else p_("setting value", "a role that no longer exists")
    if change.kind == "text":
        return _text(str(value))
    if isinstance(value, int):
        return _typed(change, value)
    return discord.utils.escape_markdown(str(value))


def _typed(change: SettingChange, value: int) -> str:
    """A value the domain leaves as a number, in the reader's words."""
    if change.kind == "days":
        # i18n: a setting's value in the settings audit post ("• Check-in notes kept: 365 days → 90 days")
        return n_("{count} day", "{count} days", value)
    if change.kind == "age":
        # i18n: the minimum age setting's value when there is none ("• Minimum age: none → 18")
        return number(value) if value else p_("minimum age", "none")
    if change.kind == "switch":
        # i18n: a setting's value in the settings audit post ("• Buddy rounds: off → on")
        return p_("setting value", "on") if value else p_("setting value", "off")
    if change.kind == "cadence":
        # i18n: how often buddy rounds run, in the settings audit post ("• Rounds: every 2 weeks → every week")
        return n_("every week", "every {count} weeks", value)
    if change.kind == "weekday":
        return weekday_name(_A_MONDAY + timedelta(days=value))
    if change.kind == "hour":
        return f"{value:02d}:00"
    if change.kind == "rounds":
        # i18n: the repeat window in the settings audit post ("• Repeat window: 6 rounds → 4 rounds")
        return n_("{count} round", "{count} rounds", value)
    return number(value)


def audit_text(actor_id: int, command: str, changes: Iterable[SettingChange], guild: discord.Guild) -> str:
    organiser = f"<@{actor_id}>"
    # i18n: the first line of the settings audit post in the moderators' channel; {command} is a slash command
    lines = [_("🛠️ {organiser} changed Hearth's settings with `{command}`:", organiser=organiser,
               command=command_path(command))]
    # i18n: one line of the settings audit post: a setting's name, its old value and its new value
    lines += [_("• {setting}: {old} → {new}", setting=_(change.setting), old=_value(change, change.old, guild),
                new=_value(change, change.new, guild))
              for change in changes]
    text = "\n".join(lines)
    return text if len(text) <= _MESSAGE_LIMIT else text[:_MESSAGE_LIMIT - 1] + "…"


async def post_audit(bot: HearthBot, guild: discord.Guild, actor_id: int, command: str,
                     changes: tuple[SettingChange, ...], channel_ids: Iterable[int]) -> None:
    """One audit message in each of `channel_ids` (the support channel; the previous one too when it moved).
    Nothing when nothing changed or no channel is set."""
    if not changes:
        return
    with speaking(server_voice(bot, guild.id)):  # moderators read it in the server's language
        text = audit_text(actor_id, command, changes, guild)
    for channel_id in channel_ids:
        try:
            await post(bot, channel_id, text, what="a settings audit")
        except discord.HTTPException:
            # The change is saved and the organiser answered; a post Discord refused must not undo either.
            log.exception("could not post a settings audit in channel %s of guild %s", channel_id, guild.id)

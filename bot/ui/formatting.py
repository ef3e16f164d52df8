"""Shown to people: times as Discord timestamps (each reader's own time zone), and other people's words and
links exactly as typed (`plain`, `web_link`: nothing in them can pass for a ping, a header or another link)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from urllib.parse import quote

import discord

from bot.domain.text import plain
from bot.i18n import p_

TimestampStyle = Literal["f", "F", "d", "D", "t", "T", "R"]

HEARTH_COLOUR = discord.Colour.from_rgb(232, 126, 62)  # warm ember orange, readable on dark and light


def timestamp(moment: datetime, style: TimestampStyle = "F") -> str:
    return discord.utils.format_dt(moment, style)


def channel_mention(channel_id: int | None) -> str:
    # i18n: in a list of a server's settings: no channel was chosen
    return f"<#{channel_id}>" if channel_id else p_("setting", "not set")


def role_mention(role_id: int | None) -> str:
    # i18n: in a list of a server's settings: no role was chosen
    return f"<@&{role_id}>" if role_id else p_("setting", "not set")


__all__ = ["HEARTH_COLOUR", "channel_mention", "plain", "role_mention", "timestamp", "web_link"]

# Anything outside these stays percent-encoded in a link shown to others, so no markdown or spaces survive in it.
_LINK_SAFE = "-._~:/?#@!$&'+,;=%"


def web_link(url: str | None) -> str:
    """A web address someone typed (checked to be http(s) where it is saved), shown to others: characters
    that markdown or Discord would read (brackets, parentheses, stars, spaces…) are percent-encoded, so the
    link can only be the address it shows."""
    return quote(url or "", safe=_LINK_SAFE)

"""Times for people: Discord timestamps render in each reader's own time zone."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import discord

TimestampStyle = Literal["f", "F", "d", "D", "t", "T", "R"]

HEARTH_COLOUR = discord.Colour.from_rgb(232, 126, 62)  # warm ember orange, readable on dark and light


def timestamp(moment: datetime, style: TimestampStyle = "F") -> str:
    return discord.utils.format_dt(moment, style)


def channel_mention(channel_id: int | None) -> str:
    return f"<#{channel_id}>" if channel_id else "not set"


def role_mention(role_id: int | None) -> str:
    return f"<@&{role_id}>" if role_id else "not set"

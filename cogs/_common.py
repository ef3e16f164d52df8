"""Small pieces shared by cogs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from discord import app_commands

from bot.domain.timezones import search_zones, zone
from bot.i18n import _

T = TypeVar("T")

# Dispatched (bot.dispatch) with [(guild_id, event_id), …] once answers to those meetups changed outside the
# events cog (a member's data deleted): the events cog refreshes their announcements' counts. Cogs never import
# each other, so this is how one tells another.
MEETUP_ANSWERS_CHANGED = "hearth_meetup_answers_changed"


def per_member_cooldown(rate: int = 5, per: float = 30.0) -> Callable[[T], T]:
    """Generous for people, a wall for scripts hammering the bot."""
    decorator: Callable[[T], T] = app_commands.checks.cooldown(
        rate, per, key=lambda interaction: interaction.user.id
    )
    return decorator


def timezone_choices(current: str, now: datetime) -> list[app_commands.Choice[str]]:
    """Autocomplete entries such as "America/New York (now 09:05)"; the value is the IANA key."""
    choices = []
    for key in search_zones(current, limit=25):
        # i18n: a time zone in a list to pick from: {zone} such as "America/New York", {time} its time now (09:05)
        label = _("{zone} (now {time})", zone=key.replace("_", " "), time=now.astimezone(zone(key)).strftime("%H:%M"))
        choices.append(app_commands.Choice(name=label[:100], value=key))
    return choices


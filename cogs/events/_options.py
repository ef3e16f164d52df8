"""The /event-admin options' choices and help, and the checks on what an organiser picked."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.domain.errors import HearthError, InvalidInput
from bot.domain.event_feedback import PERIODS
from bot.domain.event_series import REPEAT_LABELS
from bot.i18n import N_, _
from bot.services.events import TAGS

TAG_CHOICES = [app_commands.Choice(name=tag, value=tag) for tag in TAGS]
MODE_CHOICES = [app_commands.Choice(name="In person", value="in_person"),
                app_commands.Choice(name="Online", value="online")]
REPEAT_CHOICES = [app_commands.Choice(name=label, value=value) for value, label in REPEAT_LABELS.items()]
SCOPE_CHOICES = [app_commands.Choice(name="This date only", value="one"),
                 app_commands.Choice(name="This date and all later ones in the series", value="later")]
PERIOD_CHOICES = [app_commands.Choice(name=f"The last {days} days", value=key) for key, days in PERIODS.items()]
RSVP_CLOSES_HELP = "When answers close, in your time zone like the start; empty: at the start"
ROLE_HELP = "Only members with this role can answer"
ACCESS_HELP = "Access notes: step-free access, quiet space, seating, what to expect"
NOT_ORGANISER = N_("Only organisers can do that: members with Manage Events, or the organiser role set in "
                   "`/hearth setup`.")


class NotOrganiser(HearthError):
    pass


def role_limit(interaction: discord.Interaction, role: discord.Role | None) -> int | None:
    """The role a meetup is limited to; @everyone (its id is the server's) is no limit."""
    if role is None or role.id == interaction.guild_id:
        return None
    if interaction.guild is None or interaction.guild.get_role(role.id) is None:  # not resolved: not this server's
        raise InvalidInput(_("I can't find that role in this server. Pick one from the list as you type."))
    return role.id

"""/hearth: server setup, trust settings and the community pulse for organisers (Manage Server)."""

from __future__ import annotations

import asyncio
import io
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

import discord
from discord import app_commands

from bot.domain.buddies import BuddySettingsChange
from bot.domain.buddy_rounds import clean_tags
from bot.domain.guilds import GuildSettings
from bot.domain.moods import WEEKDAYS
from bot.domain.settings_audit import SettingsUpdate
from bot.i18n import _, n_, number
from bot.services.buddy_rounds import RoundOutcome
from bot.ui.buddies import config_text, stats_embed
from bot.ui.charts import pulse_chart
from cogs._base import HearthCogBase
from cogs._common import per_member_cooldown, timezone_choices
from cogs.hearth._audit import post_audit
from cogs.hearth._pulse import CHART_NAME, nothing_text, pulse_embed
from cogs.hearth._render import channel_warnings, privacy_lines, status_embed, support_text

if TYPE_CHECKING:
    from bot.app import HearthBot

ORGANISER = discord.Permissions(manage_guild=True)
DAY_CHOICES = [app_commands.Choice(name=name, value=index) for index, name in enumerate(WEEKDAYS)]


@runtime_checkable
class _RoundDelivery(Protocol):
    """What the buddies cog offers for a round formed here: introducing its groups in Discord."""

    async def deliver_round(self, outcome: RoundOutcome) -> None: ...


class HearthCog(HearthCogBase):
    # Announcements and intros are posted in the channels organisers pick here.
    bot_permissions = discord.Permissions(view_channel=True, send_messages=True, embed_links=True)

    hearth = app_commands.Group(
        name="hearth",
        description="Set Hearth up for this server (organisers)",
        default_permissions=ORGANISER,  # hidden from members by default; checked again at run time below
        guild_only=True,  # older clients read dm_permission
        allowed_contexts=app_commands.AppCommandContext(guild=True),  # current clients read contexts
    )

    buddies = app_commands.Group(name="buddies", description="Buddy pairing rounds (organisers)", parent=hearth)

    def __init__(self, bot: HearthBot) -> None:
        super().__init__(bot)
        self.service = self.services.guilds

    def _status(self, settings: GuildSettings, guild: discord.Guild) -> discord.Embed:
        return status_embed(settings, guild, self.bot.clock.now(), members_intent=self.bot.settings.members_intent,
                            shard_count=self.bot.shard_count)

    async def _audit(self, interaction: discord.Interaction, command: str, update: SettingsUpdate) -> None:
        """After the change committed and the organiser was answered: the audit post (see `_audit`)."""
        assert interaction.guild is not None
        await post_audit(self.bot, interaction.guild, interaction.user.id, command, update.changes,
                         update.audit_channels)

    @hearth.command(name="setup", description="Choose Hearth's channels and the server's time zone")
    @app_commands.describe(
        announcements="Where Hearth posts the weekly digest and news",
        buddies="Where buddy pairs get their private threads",
        events="Where meetups are announced",
        timezone="The server's time zone for rounds and events, such as Europe/London",
        organiser_role="Members with this role may also announce events",
    )
    @app_commands.checks.has_permissions(manage_guild=True)
    @per_member_cooldown()
    async def setup(self, interaction: discord.Interaction,
                    announcements: discord.TextChannel | None = None,
                    buddies: discord.TextChannel | None = None,
                    events: discord.TextChannel | None = None,
                    timezone: app_commands.Range[str, 1, 64] | None = None,
                    organiser_role: discord.Role | None = None) -> None:
        assert interaction.guild is not None
        given = [announcements, buddies, events, timezone, organiser_role]
        if all(value is None for value in given):
            current = await self.service.get(interaction.guild.id)
            await interaction.response.send_message(
                # i18n: the example is a command as typed in Discord: keep it as it is
                _("Pick at least one option to change, for example `/hearth setup events:#meetups "
                  "timezone:Europe/London`. Here is the current setup:"),
                embed=self._status(current, interaction.guild), ephemeral=True)
            return
        update = await self.service.update(
            interaction.guild.id, interaction.user.id, timezone=timezone,
            announcements_channel_id=announcements.id if announcements else None,
            buddies_channel_id=buddies.id if buddies else None,
            events_channel_id=events.id if events else None,
            organiser_role_id=organiser_role.id if organiser_role else None,
        )
        warnings = channel_warnings(update.settings, interaction.guild)
        text = _("Saved. Here is Hearth's setup for this server:")
        if warnings:
            text += "\n" + "\n".join(f"⚠️ {warning}" for warning in warnings)
        await interaction.response.send_message(text, embed=self._status(update.settings, interaction.guild),
                                                ephemeral=True)
        await self._audit(interaction, "/hearth setup", update)

    @setup.autocomplete("timezone")
    async def _zone_autocomplete(self, interaction: discord.Interaction, current: str
                                 ) -> list[app_commands.Choice[str]]:
        return timezone_choices(current, self.bot.clock.now())

    @hearth.command(name="status", description="See how Hearth is set up on this server")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def status(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        current = await self.service.get(interaction.guild.id)
        warnings = channel_warnings(current, interaction.guild)
        text = "\n".join(f"⚠️ {warning}" for warning in warnings) or None
        await interaction.response.send_message(text, embed=self._status(current, interaction.guild), ephemeral=True)

    @hearth.command(name="checkins", description="Support resources shown to members on hard days")
    @app_commands.describe(
        resources="Your server's own support text, e.g. who to talk to here and when (max 1000 characters)",
        link="A web page with your server's support resources (https://…); 'none' removes it",
        support_channel="A private channel where moderators get members' requests to reach out",
    )
    @app_commands.checks.has_permissions(manage_guild=True)
    @per_member_cooldown()
    async def checkins(self, interaction: discord.Interaction,
                       resources: app_commands.Range[str, 1, 1000] | None = None,
                       link: app_commands.Range[str, 1, 500] | None = None,
                       support_channel: discord.TextChannel | None = None) -> None:
        assert interaction.guild is not None
        if resources is None and link is None and support_channel is None:
            current = await self.service.get(interaction.guild.id)
            await interaction.response.send_message(support_text(current), ephemeral=True)
            return
        update = await self.service.update_support(interaction.guild.id, interaction.user.id, text=resources, url=link,
                                                   channel_id=support_channel.id if support_channel else None)
        text = _("Saved.") + "\n" + support_text(update.settings)
        if support_channel is not None and support_channel.permissions_for(interaction.guild.default_role).view_channel:
            text += "\n⚠️ " + _("Everyone can see that channel. Reach-out requests name the member, so a private "
                                "moderators' channel is kinder.")
        await interaction.response.send_message(text, ephemeral=True)
        await self._audit(interaction, "/hearth checkins", update)

    @hearth.command(name="privacy", description="How long notes and leavers' data are kept; a minimum age")
    @app_commands.describe(
        notes_retention_days="Days a check-in note is kept before it is removed (30-365; default 365)",
        leave_grace_days="Days after a member leaves before their data here is removed (0-365; default 30)",
        min_age="Minimum age for buddies and in-person meetups (13-99); 0 removes it",
    )
    @app_commands.checks.has_permissions(manage_guild=True)
    @per_member_cooldown()
    async def privacy(self, interaction: discord.Interaction,
                      notes_retention_days: app_commands.Range[int, 30, 365] | None = None,
                      leave_grace_days: app_commands.Range[int, 0, 365] | None = None,
                      min_age: app_commands.Range[int, 0, 99] | None = None) -> None:
        assert interaction.guild is not None
        intent = self.bot.settings.members_intent
        if notes_retention_days is None and leave_grace_days is None and min_age is None:
            current = await self.service.get(interaction.guild.id)
            await interaction.response.send_message("\n".join(privacy_lines(current, intent)), ephemeral=True)
            return
        update = await self.service.update_privacy(interaction.guild.id, interaction.user.id,
                                                   notes_retention_days=notes_retention_days,
                                                   leave_grace_days=leave_grace_days, min_age=min_age)
        await interaction.response.send_message(_("Saved.") + "\n" + "\n".join(privacy_lines(update.settings, intent)),
                                                ephemeral=True)
        await self._audit(interaction, "/hearth privacy", update)

    @hearth.command(name="pulse", description="Community figures by week: totals only, never a person")
    @app_commands.describe(weeks="How many complete weeks to look back over")
    @app_commands.checks.has_permissions(manage_guild=True)
    @per_member_cooldown(rate=3, per=60)
    async def pulse(self, interaction: discord.Interaction, weeks: Literal[4, 12, 26, 52] = 12) -> None:
        assert interaction.guild is not None
        await interaction.response.defer(ephemeral=True, thinking=True)  # a year of counts, then a chart
        figures = await self.services.pulse.pulse(interaction.guild.id, weeks)
        if not figures.anything_shown:
            await interaction.followup.send(nothing_text(), embed=pulse_embed(figures), ephemeral=True)
            return
        png = await asyncio.to_thread(pulse_chart, figures)
        await interaction.followup.send(embed=pulse_embed(figures).set_image(url=f"attachment://{CHART_NAME}"),
                                        file=discord.File(io.BytesIO(png), CHART_NAME), ephemeral=True)

    @buddies.command(name="settings", description="When rounds run, what members can pick, and how often pairs repeat")
    @app_commands.describe(
        cadence="Weeks between rounds", day="Day rounds start (server time zone)",
        hour="Hour rounds start, 0-23 (server time zone)",
        interests="The interests members pick from, separated by commas",
        repeat_rounds="Never pair the same two people within this many rounds (default 6)",
    )
    @app_commands.choices(day=DAY_CHOICES)
    @app_commands.checks.has_permissions(manage_guild=True)
    @per_member_cooldown()
    async def buddies_settings(self, interaction: discord.Interaction, cadence: Literal[1, 2, 3, 4] | None = None,
                               day: app_commands.Choice[int] | None = None,
                               hour: app_commands.Range[int, 0, 23] | None = None,
                               interests: app_commands.Range[str, 1, 1000] | None = None,
                               repeat_rounds: app_commands.Range[int, 1, 52] | None = None) -> None:
        assert interaction.guild is not None
        change = BuddySettingsChange(cadence_weeks=cadence, weekday=day.value if day else None, hour=hour,
                                     interests=tuple(clean_tags(interests))[:25] if interests is not None else None,
                                     repeat_rounds=repeat_rounds)
        update = await self.service.configure_buddies(interaction.guild.id, interaction.user.id, change)
        await interaction.response.send_message(
            _("Saved. Buddy rounds are on.") + "\n" + config_text(update.config, update.next_round), ephemeral=True)
        await post_audit(self.bot, interaction.guild, interaction.user.id, "/hearth buddies settings", update.changes,
                         update.audit_channels)

    @buddies.command(name="pair-now", description="Run a buddy round right now (the regular schedule carries on)")
    @app_commands.checks.has_permissions(manage_guild=True)
    @per_member_cooldown(rate=1, per=300)
    async def buddies_pair_now(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        await interaction.response.defer(ephemeral=True, thinking=True)  # a big pool takes a moment to match
        outcome = await self.services.rounds.pair_now(interaction.guild.id, interaction.guild.name)
        delivery = self.bot.get_cog("Buddies")
        if isinstance(delivery, _RoundDelivery):
            await delivery.deliver_round(outcome)
        pairs = sum(1 for group in outcome.groups if len(group.members) == 2)
        await interaction.followup.send(_round_done(outcome.round.pool_size, pairs, len(outcome.groups) - pairs,
                                                    len(outcome.round.unmatched)), ephemeral=True)

    @buddies.command(name="stats", description="Pool size, pairs per round and how many met (totals only)")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def buddies_stats(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        config, stats = await self.services.rounds.overview(interaction.guild.id)
        found_time = await self.services.meetings.buddy_outcomes(interaction.guild.id)
        await interaction.response.send_message(config_text(config, None), embed=stats_embed(stats, found_time),
                                                ephemeral=True)


def _round_done(pool: int, pairs: int, trios: int, unmatched: int) -> str:
    """What `/hearth buddies pair-now` answers: how the round went, in one sentence."""
    # i18n: part of "Round done: 12 in the pool, 5 pairs and 1 trio." (buddy groups of two)
    pairs_text = n_("{count} pair", "{count} pairs", pairs)
    # i18n: part of "Round done: 12 in the pool, 3 pairs and 2 trios." (buddy groups of three)
    trios_text = n_("{count} trio", "{count} trios", trios)
    pool_text = number(pool)
    if not unmatched:
        if trios:
            return _("Round done: {pool} in the pool, {pairs} and {trios}.", pool=pool_text, pairs=pairs_text,
                     trios=trios_text)
        return _("Round done: {pool} in the pool, {pairs}.", pool=pool_text, pairs=pairs_text)
    if trios:
        # i18n: {count} members could not be matched this round; they are matched first next time
        return n_("Round done: {pool} in the pool, {pairs} and {trios}; {count} couldn't be matched and is first in "
                  "line next time.",
                  "Round done: {pool} in the pool, {pairs} and {trios}; {count} couldn't be matched and are first in "
                  "line next time.", unmatched, pool=pool_text, pairs=pairs_text, trios=trios_text)
    # i18n: {count} members could not be matched this round; they are matched first next time
    return n_("Round done: {pool} in the pool, {pairs}; {count} couldn't be matched and is first in line next time.",
              "Round done: {pool} in the pool, {pairs}; {count} couldn't be matched and are first in line next time.",
              unmatched, pool=pool_text, pairs=pairs_text)


async def setup(bot: HearthBot) -> None:
    await bot.add_cog(HearthCog(bot))

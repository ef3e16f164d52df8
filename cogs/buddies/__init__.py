"""/buddy: an opt-in buddy you could actually meet, on the server's cadence."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.buddies import BuddyService
from bot.services.buddy_rounds import FOLLOWUP_KIND, HEADS_UP_KIND, ROUND_KIND, BuddyRoundService
from bot.store import DueItem
from cogs._common import per_member_cooldown
from cogs.buddies._components import COG_NAME, DYNAMIC_ITEMS
from cogs.buddies._delivery import MEMBER_DM_KIND, RoundDelivery
from cogs.buddies._join import FORM_TEXT, JoinForm
from cogs.buddies._render import status_embed

if TYPE_CHECKING:
    from bot.app import HearthBot


class BuddiesCog(commands.Cog, name=COG_NAME):
    # Intros go in private threads in the buddies channel; Hearth adds the buddies to them.
    bot_permissions = discord.Permissions(view_channel=True, send_messages=True, create_private_threads=True,
                                          send_messages_in_threads=True)
    dynamic_items = DYNAMIC_ITEMS

    buddy = app_commands.Group(name="buddy", description="An opt-in buddy you could meet in person",
                               guild_only=True, allowed_contexts=app_commands.AppCommandContext(guild=True))

    def __init__(self, bot: HearthBot) -> None:
        self.bot = bot
        self.buddies = BuddyService(bot.store, bot.clock)
        self.rounds = BuddyRoundService(bot.store, bot.clock)
        self.delivery = RoundDelivery(bot, self.rounds)

    async def cog_load(self) -> None:
        self.bot.due_work.register(ROUND_KIND, self._run_scheduled_round)
        self.bot.due_work.register(HEADS_UP_KIND, self._heads_up)
        self.bot.due_work.register(FOLLOWUP_KIND, self._follow_up)
        self.bot.due_work.register(MEMBER_DM_KIND, self.delivery.send_member_dm, concurrent=True)

    async def cog_unload(self) -> None:
        for kind in (ROUND_KIND, HEADS_UP_KIND, FOLLOWUP_KIND, MEMBER_DM_KIND):
            self.bot.due_work.unregister(kind)

    # due work ----------------------------------------------------------------------------------
    async def _run_scheduled_round(self, item: DueItem) -> None:
        guild_id = int(item.payload["guild_id"])
        if (await self.bot.store.buddies.config(guild_id)).next_round_key != item.idempotency_key:
            return  # the schedule changed since this row was written
        outcome = await self.rounds.run_round(guild_id, item.idempotency_key)
        await self.delivery.deliver(outcome, recover=item.interrupted)
        await self.rounds.schedule_next(guild_id, expected_key=item.idempotency_key)

    async def _heads_up(self, item: DueItem) -> None:
        await self.delivery.heads_up(int(item.payload["guild_id"]), str(item.payload["round_key"]))

    async def _follow_up(self, item: DueItem) -> None:
        await self.delivery.follow_up(int(item.payload["round_id"]))

    # member commands ---------------------------------------------------------------------------
    async def _form(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        config = await self.buddies.config(interaction.guild_id)
        current = await self.buddies.profile(interaction.guild_id, interaction.user.id)
        await interaction.response.send_message(FORM_TEXT, view=JoinForm(self, config, current), ephemeral=True)

    @buddy.command(name="join", description="Join the buddy pool: be introduced to someone you could meet")
    @per_member_cooldown()
    async def join(self, interaction: discord.Interaction) -> None:
        await self._form(interaction)

    @buddy.command(name="edit", description="Change your interests, area or how often you're paired")
    @per_member_cooldown()
    async def edit(self, interaction: discord.Interaction) -> None:
        await self._form(interaction)

    @buddy.command(name="leave", description="Leave the buddy pool")
    async def leave(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        await self.buddies.leave(interaction.guild_id, interaction.user.id)
        await interaction.response.send_message(
            "You've left the buddy pool. You won't be paired again unless you `/buddy join`. Take care.",
            ephemeral=True)

    @buddy.command(name="pause", description="Take a break from buddy rounds; it ends by itself")
    @app_commands.describe(weeks="How many weeks (1 to 12)")
    async def pause(self, interaction: discord.Interaction, weeks: app_commands.Range[int, 1, 12]) -> None:
        assert interaction.guild_id is not None
        until = await self.buddies.pause(interaction.guild_id, interaction.user.id, weeks)
        await interaction.response.send_message(
            f"Paused until {discord.utils.format_dt(until, 'D')}. You won't be paired before then; after that "
            "you're back in by yourself (or sooner with `/buddy resume`).", ephemeral=True)

    @buddy.command(name="resume", description="End your pause and be paired again")
    async def resume(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        resumed = await self.buddies.resume(interaction.guild_id, interaction.user.id)
        text = "Welcome back! You'll be in the next round." if resumed else "You weren't paused: you're in already."
        await interaction.response.send_message(text, ephemeral=True)

    @buddy.command(name="status", description="Your current buddy and the next round")
    async def status(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        status = await self.buddies.status(interaction.guild_id, interaction.user.id)
        await interaction.response.send_message(embed=status_embed(status, interaction.user.id), ephemeral=True)

    @buddy.command(name="block", description="Never be paired with this person (they are not told)")
    @app_commands.describe(member="Who you never want to be paired with")
    async def block(self, interaction: discord.Interaction, member: discord.Member) -> None:
        assert interaction.guild_id is not None
        await self.buddies.block(interaction.guild_id, interaction.user.id, member.id, other_is_bot=member.bot)
        await interaction.response.send_message(
            f"Done: you'll never be paired with {member.mention}. They aren't told. If something happened that "
            "moderators should know about, `/buddy report` reaches them privately.", ephemeral=True)

    @buddy.command(name="report", description="Tell the moderators privately about a problem with a buddy")
    @app_commands.describe(member="Who this is about", what="What happened (only moderators see it)")
    @per_member_cooldown(rate=2, per=600)
    async def report(self, interaction: discord.Interaction, member: discord.Member,
                     what: app_commands.Range[str, 1, 1000]) -> None:
        assert interaction.guild is not None
        settings = await self.bot.store.guilds.get(interaction.guild.id)
        channel = interaction.guild.get_channel(settings.support_channel_id) if settings.support_channel_id else None
        if not isinstance(channel, discord.TextChannel):
            await interaction.response.send_message(
                "This server hasn't set a private support channel, so I can't pass this on. Please message a "
                "moderator directly.", ephemeral=True)
            return
        await channel.send(f"📣 Buddy report from {interaction.user.mention} about {member.mention}:\n>>> {what}",
                           allowed_mentions=discord.AllowedMentions.none())
        await interaction.response.send_message(
            "Thank you. The moderators have your report; only they can see it. If you also want to be sure you're "
            f"never paired with {member.display_name}, use `/buddy block`.", ephemeral=True)


async def setup(bot: HearthBot) -> None:
    await bot.add_cog(BuddiesCog(bot))

"""/buddy: an opt-in buddy you could actually meet, on the server's cadence."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.domain.buddy_work import BuddyDm, FollowUpDue, HeadsUpDue, RoundDue
from bot.i18n import _, speaking
from bot.services.buddy_rounds import RoundOutcome
from bot.ui.dm import DueItem, send_dm
from bot.ui.formatting import plain
from bot.ui.posts import post
from bot.ui.voices import server_voice
from cogs._base import HearthCogBase, due_work
from cogs._common import per_member_cooldown
from cogs.buddies._components import COG_NAME, DYNAMIC_ITEMS
from cogs.buddies._delivery import RoundDelivery, dm_view
from cogs.buddies._join import FORM_TEXT, JOIN_ITEMS, JoinForm
from cogs.buddies._render import status_embed

if TYPE_CHECKING:
    from bot.app import HearthBot


MESSAGE_LIMIT = 2000  # characters Discord takes in a message


class BuddiesCog(HearthCogBase, name=COG_NAME):
    # Intros go in private threads in the buddies channel; Hearth adds the buddies to them.
    bot_permissions = discord.Permissions(view_channel=True, send_messages=True, create_private_threads=True,
                                          send_messages_in_threads=True)
    dynamic_items = DYNAMIC_ITEMS + JOIN_ITEMS

    buddy = app_commands.Group(name="buddy", description="An opt-in buddy you could meet in person",
                               guild_only=True, allowed_contexts=app_commands.AppCommandContext(guild=True))

    def __init__(self, bot: HearthBot) -> None:
        super().__init__(bot)
        self.delivery = RoundDelivery(bot, self.services.rounds)

    async def deliver_round(self, outcome: RoundOutcome) -> None:
        """Introduce a round's groups in Discord (for `/hearth buddies pair-now`, which forms the round)."""
        await self.delivery.deliver(outcome)

    # due work ----------------------------------------------------------------------------------
    @due_work(RoundDue)
    async def _run_scheduled_round(self, work: RoundDue, item: DueItem) -> None:
        guild = self.bot.get_guild(work.guild_id)
        # Rows planned before payloads were typed carry only the server: their key is the round key.
        # i18n: in "I couldn't find you a buddy in your server this round", when the server's name is unknown
        server_name = guild.name if guild else _("your server")
        outcome = await self.services.rounds.run_scheduled(work.guild_id, work.round_key or item.idempotency_key,
                                                           server_name)
        if outcome is not None:
            await self.delivery.deliver(outcome)

    @due_work(HeadsUpDue)
    async def _heads_up(self, work: HeadsUpDue, item: DueItem) -> None:
        await self.services.rounds.heads_up(work.guild_id, work.round_key)

    @due_work(FollowUpDue)
    async def _follow_up(self, work: FollowUpDue, item: DueItem) -> None:
        await self.delivery.follow_up(work.round_id)

    @due_work(BuddyDm, concurrent=True)  # one DM to one member each, in their language
    async def _send_member_dm(self, work: BuddyDm, item: DueItem) -> None:
        # An English message queued by the services is translated now; an intro by DM was written for them.
        text = _(work.text, **(work.params or {}))
        await send_dm(self.bot, work.user_id, text, dm_view(work), work=item)

    # member commands ---------------------------------------------------------------------------
    async def _form(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        form = await self.services.buddies.join_form(interaction.guild_id, interaction.user.id)
        view = JoinForm(self, interaction.user.id, form.config, form.current)
        await interaction.response.send_message(_(FORM_TEXT), view=view, ephemeral=True)

    @buddy.command(name="join", description="Join the buddy pool: be introduced to someone you could meet")
    @per_member_cooldown()
    async def join(self, interaction: discord.Interaction) -> None:
        await self._form(interaction)

    @buddy.command(name="edit", description="Change your interests, area or how often you're paired")
    @per_member_cooldown()
    async def edit(self, interaction: discord.Interaction) -> None:
        await self._form(interaction)

    @buddy.command(name="leave", description="Leave the buddy pool")
    @per_member_cooldown()
    async def leave(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        await self.services.buddies.leave(interaction.guild_id, interaction.user.id)
        await interaction.response.send_message(
            _("You've left the buddy pool. You won't be paired again unless you `/buddy join`. Take care."),
            ephemeral=True)

    @buddy.command(name="pause", description="Take a break from buddy rounds; it ends by itself")
    @app_commands.describe(weeks="How many weeks (1 to 12)")
    @per_member_cooldown()
    async def pause(self, interaction: discord.Interaction, weeks: app_commands.Range[int, 1, 12]) -> None:
        assert interaction.guild_id is not None
        until = await self.services.buddies.pause(interaction.guild_id, interaction.user.id, weeks)
        # i18n: {date} is a date; keep the command `/buddy resume` as it is
        await interaction.response.send_message(
            _("Paused until {date}. You won't be paired before then; after that you're back in by yourself (or "
              "sooner with `/buddy resume`).", date=discord.utils.format_dt(until, 'D')), ephemeral=True)

    @buddy.command(name="resume", description="End your pause and be paired again")
    @per_member_cooldown()
    async def resume(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        resumed = await self.services.buddies.resume(interaction.guild_id, interaction.user.id)
        if resumed:
            text = _("Welcome back! You'll be in the next round.")
        else:
            text = _("You weren't paused: you're in already.")
        await interaction.response.send_message(text, ephemeral=True)

    @buddy.command(name="status", description="Your current buddy and the next round")
    async def status(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        status = await self.services.buddies.status(interaction.guild_id, interaction.user.id)
        await interaction.response.send_message(embed=status_embed(status, interaction.user.id), ephemeral=True)

    @buddy.command(name="block", description="Never be paired with this person (they are not told)")
    @app_commands.describe(member="Who you never want to be paired with")
    @per_member_cooldown()
    async def block(self, interaction: discord.Interaction, member: discord.Member) -> None:
        assert interaction.guild_id is not None
        await self.services.buddies.block(interaction.guild_id, interaction.user.id, member.id, other_is_bot=member.bot)
        # i18n: {member} mentions the blocked member; keep the command `/buddy report` as it is
        await interaction.response.send_message(
            _("Done: you'll never be paired with {member}. They aren't told. If something happened that moderators "
              "should know about, `/buddy report` reaches them privately.", member=member.mention), ephemeral=True)

    @buddy.command(name="report", description="Tell the moderators privately about a problem with a buddy")
    @app_commands.describe(member="Who this is about", what="What happened (only moderators see it)")
    @per_member_cooldown(rate=2, per=600)
    async def report(self, interaction: discord.Interaction, member: discord.Member,
                     what: app_commands.Range[str, 1, 1000]) -> None:
        assert interaction.guild is not None
        channel_id = await self.services.buddies.report_channel(interaction.guild.id)
        if channel_id is None:
            await interaction.response.send_message(
                _("This server hasn't set a private support channel, so I can't pass this on. Please message a "
                  "moderator directly."), ephemeral=True)
            return
        # Their words as typed: nothing in them can pass for a link or ping. Escaping can double a 1,000-character
        # report; Discord takes 2,000 in a message. For the moderators: in the server's language.
        with speaking(server_voice(self.bot, interaction.guild.id)):
            # i18n: posted in the moderators' private channel, above the report; {reporter} and {member} are mentions
            header = _("📣 Buddy report from {reporter} about {member}:", reporter=interaction.user.mention,
                       member=member.mention) + "\n>>> "
        words = plain(what)
        if len(header) + len(words) > MESSAGE_LIMIT:
            words = words[:MESSAGE_LIMIT - len(header) - 1] + "…"
        posted = await post(self.bot, channel_id, header + words,
                            what=f"a buddy report in guild {interaction.guild.id}")
        if posted is None:
            await interaction.response.send_message(
                _("I couldn't reach the moderators' channel just now, so your report was not passed on. Please "
                  "message a moderator directly."), ephemeral=True)
            return
        # i18n: {name} is the reported member's name; keep the command `/buddy block` as it is
        await interaction.response.send_message(
            _("Thank you. The moderators have your report; only they can see it. If you also want to be sure you're "
              "never paired with {name}, use `/buddy block`.", name=plain(member.display_name)), ephemeral=True)


async def setup(bot: HearthBot) -> None:
    await bot.add_cog(BuddiesCog(bot))

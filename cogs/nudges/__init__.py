"""/nudges: opt-in nudges toward meetups by DM, and the weekly meetup digest in the announcements channel.

The decisions live in `bot.services.nudges` (digest, quiet-member check), `bot.services.nudge_meetups`
(buddy suggestion, server digest) and `bot.domain.nudges` (the weekly cap, quiet and low rules).
This cog parses commands, renders, and sends.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.moods import WEEKDAYS
from bot.domain.nudge_work import BuddyNudgeDue, CheckDue, DigestDue, ServerDigestDue
from bot.domain.nudges import DEFAULT_QUIET_DAYS, MAX_QUIET_DAYS, MIN_QUIET_DAYS
from bot.i18n import _, p_, speaking
from bot.tree import CANNOT_DM
from bot.ui.dm import DueItem, send_dm
from bot.ui.posts import post
from bot.ui.voices import server_voice
from cogs._base import HearthCogBase, due_work
from cogs._common import per_member_cooldown
from cogs._consent import gated
from cogs.nudges._components import COG_NAME, DYNAMIC_ITEMS, nudge_view
from cogs.nudges._render import (
    buddy_suggestion_text,
    digest_embed,
    kind_word_embed,
    server_digest_embed,
    status_text,
)

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)

DAY_CHOICES = [app_commands.Choice(name=name, value=index) for index, name in enumerate(WEEKDAYS)]


class NudgesCog(HearthCogBase, name=COG_NAME):
    bot_permissions = discord.Permissions(view_channel=True, send_messages=True, embed_links=True)
    dynamic_items = DYNAMIC_ITEMS

    nudges = app_commands.Group(name="nudges", description="Opt-in nudges toward meetups, by DM (only you see these)",
                                guild_only=True)

    def __init__(self, bot: HearthBot) -> None:
        super().__init__(bot)
        self.service = self.services.nudges
        self.meetups = self.services.meetup_nudges

    # commands ----------------------------------------------------------------------------------------
    @nudges.command(name="on", description="A weekly meetup digest and kind nudges by DM, at your local time")
    @app_commands.describe(day="Which day the digest comes", time="Your local time, such as 09:00 or 6pm",
                           digest="The weekly digest of meetups near you or online",
                           quiet_check="A kind word if you've gone quiet or had a few hard days",
                           days=f"Days without news before the quiet check speaks up ({MIN_QUIET_DAYS}-"
                                f"{MAX_QUIET_DAYS})",
                           buddy="A meetup suggestion if you and your buddy haven't met halfway through a round",
                           every="The digest every week or every other week")
    @app_commands.choices(day=DAY_CHOICES)
    @per_member_cooldown()
    async def on(self, interaction: discord.Interaction, day: app_commands.Choice[int] | None = None,
                 time: app_commands.Range[str, 1, 12] = "09:00", digest: Literal["on", "off"] = "on",
                 quiet_check: Literal["on", "off"] = "on",
                 days: app_commands.Range[int, MIN_QUIET_DAYS, MAX_QUIET_DAYS] = DEFAULT_QUIET_DAYS,
                 buddy: Literal["on", "off"] = "on", every: Literal["week", "other week"] = "week") -> None:
        assert interaction.guild_id is not None  # guild_only
        guild_id, weekday = interaction.guild_id, day.value if day else 0

        async def configure(current: discord.Interaction) -> None:
            # `current` is this command, or the "I agree" press on the privacy notice: the same choices.
            await current.response.defer(ephemeral=True, thinking=True)  # the test DM can take a moment
            status = await self.service.configure(
                user_id=current.user.id, guild_id=guild_id, weekday=weekday, at=time, digest=digest == "on",
                quiet=quiet_check == "on", days=days, buddy=buddy == "on", every_weeks=1 if every == "week" else 2,
                reachable=lambda: self._can_dm(current.user))
            guild_name = current.guild.name if current.guild else None
            await current.followup.send(status_text(status, guild_name), ephemeral=True)

        await gated(interaction, configure, again="nudges")

    @nudges.command(name="off", description="Stop every nudge and the digest")
    @per_member_cooldown()
    async def off(self, interaction: discord.Interaction) -> None:
        stopped = await self.service.stop(interaction.user.id)
        text = (_("Nudges are off now: no digest, no nudges. `/nudges on` brings them back whenever you like.")
                if stopped else _("Nudges were already off."))
        await interaction.response.send_message(text, ephemeral=True)

    @nudges.command(name="show", description="See which nudges you get, and when")
    async def show(self, interaction: discord.Interaction) -> None:
        status = await self.service.status(interaction.user.id)
        guild = self.bot.get_guild(status.prefs.guild_id) if status.prefs else None
        await interaction.response.send_message(status_text(status, guild.name if guild else None), ephemeral=True)

    async def _can_dm(self, user: discord.User | discord.Member) -> bool:
        """A short confirmation DM now, rather than discovering closed DMs at the first digest."""
        try:
            # i18n: “Less often” and “Stop” are the names of the two buttons on every nudge
            await user.send(_("Hearth here 👋 Your nudges and digest will arrive in this chat. Every one has "
                              "“Less often” and “Stop” buttons."))
        except discord.Forbidden as error:
            if error.code != CANNOT_DM:
                raise
            return False
        return True

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        await self.meetups.ensure_all_server_digests()

    # names, without pinging anyone -------------------------------------------------------------------
    def _guild_name(self, guild_id: int) -> str:
        guild = self.bot.get_guild(guild_id)
        # i18n: in place of a server's name, when Hearth can't find it
        return guild.name if guild else p_("fallback name", "your server")

    async def _name(self, guild_id: int, user_id: int) -> str:
        guild = self.bot.get_guild(guild_id)
        member = guild.get_member(user_id) if guild else None
        if member is not None:
            return member.display_name
        user = self.bot.get_user(user_id)
        if user is None:
            try:
                await self.bot.rate_limiter.acquire()
                user = await self.bot.fetch_user(user_id)
            except discord.NotFound:
                return p_("fallback name", "your buddy")
        return user.display_name

    # due work ----------------------------------------------------------------------------------------
    @due_work(DigestDue, concurrent=True)  # one member each
    async def send_digest(self, work: DigestDue, item: DueItem) -> None:
        digest = await self.service.digest_due(work, item)
        if digest is None:
            return
        names = {buddy: await self._name(digest.guild_id, buddy) for buddy in digest.buddies}
        sent = await send_dm(self.bot, digest.user_id, embed=digest_embed(digest, self._guild_name(digest.guild_id),
                                                                          names),
                             view=nudge_view("digest"), work=item)
        await self.service.digest_done(work, item, sent=sent)

    @due_work(CheckDue)
    async def run_check(self, work: CheckDue, item: DueItem) -> None:
        word = await self.service.check_due(work, item)
        if word is None:
            return
        buddy = await self._name(word.guild_id, word.buddy_id) if word.buddy_id else None
        embed = kind_word_embed(word, await self._name(word.guild_id, word.user_id), self._guild_name(word.guild_id),
                                buddy)
        sent = await send_dm(self.bot, word.user_id, embed=embed, view=nudge_view("nudges"), work=item)
        await self.service.check_done(work, item, sent=word.kind if sent else None)

    @due_work(BuddyNudgeDue)
    async def send_buddy_suggestion(self, work: BuddyNudgeDue, item: DueItem) -> None:
        suggestion = await self.meetups.buddy_suggestion_due(work)
        if suggestion is None:
            return
        names = {buddy: await self._name(suggestion.guild_id, buddy) for buddy in suggestion.buddies}
        if await send_dm(self.bot, suggestion.user_id, buddy_suggestion_text(suggestion, names),
                         nudge_view("nudges"), work=item):
            await self.meetups.buddy_suggestion_sent(work, item)

    @due_work(ServerDigestDue)
    async def post_server_digest(self, work: ServerDigestDue, item: DueItem) -> None:
        digest = await self.meetups.server_digest_due(work, item)
        if digest is None or not digest.meetups:
            return  # a week with no meetups: nothing posted
        with speaking(server_voice(self.bot, digest.guild_id)):  # everyone in the channel reads it
            embed = server_digest_embed(digest)
        await post(self.bot, digest.channel_id, embed=embed, nonce_key=item.idempotency_key,
                   retry=True, what=f"the weekly meetup digest of guild {digest.guild_id}")


async def setup(bot: HearthBot) -> None:
    await bot.add_cog(NudgesCog(bot))

"""/checkin, /mood history, /mood reminders, and the DM prompts behind them."""

from __future__ import annotations

import asyncio
import io
import logging
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands

from bot.domain.checkin_schedule import CheckinPrompt
from bot.domain.moods import WEEKDAYS, Mood
from bot.i18n import S_, _, n_, speaking
from bot.services.checkins import NOTE_LIMIT
from bot.tree import CANNOT_DM
from bot.ui.charts import mood_chart
from bot.ui.dm import DueItem, deliver
from bot.ui.posts import post
from bot.ui.voices import server_voice
from cogs._base import HearthCogBase, due_work
from cogs._common import per_member_cooldown
from cogs._consent import gated
from cogs.checkins._components import (
    COG_NAME,
    DYNAMIC_ITEMS,
    PICKER_TEXT,
    CheckinPicker,
    outcome_view,
    prompt_view,
)
from cogs.checkins._render import (
    outcome_embeds,
    paused_text,
    prompt_embed,
    reminder_text,
    resumed_text,
    summary_embed,
)

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)

MOOD_CHOICES = [app_commands.Choice(name=mood.label, value=int(mood)) for mood in Mood]
DAY_CHOICES = [app_commands.Choice(name=name, value=index) for index, name in enumerate(WEEKDAYS)]
RESUME_WORDS = frozenset({"off", "resume", "now", "none", "end"})


class CheckinsCog(HearthCogBase, name=COG_NAME):
    bot_permissions = discord.Permissions(view_channel=True, send_messages=True, embed_links=True)
    dynamic_items = DYNAMIC_ITEMS

    mood = app_commands.Group(name="mood", description="Your check-in history and reminders (only you see them)")

    def __init__(self, bot: HearthBot) -> None:
        super().__init__(bot)
        self.checkins = self.services.checkins
        self.reminders = self.services.reminders

    @app_commands.command(name="checkin", description="Check in privately: how are you today?")
    @app_commands.describe(mood="How you feel right now", note="Anything to remember about today (private)")
    @app_commands.choices(mood=MOOD_CHOICES)
    @per_member_cooldown(rate=6, per=60)
    async def checkin(self, interaction: discord.Interaction, mood: app_commands.Choice[int] | None = None,
                      note: app_commands.Range[str, 1, NOTE_LIMIT] | None = None) -> None:
        if mood is None:
            picker = CheckinPicker(self.bot, interaction.user.id, interaction.guild_id, note)
            await interaction.response.send_message(_(PICKER_TEXT), view=picker, ephemeral=True)
            return
        chosen = mood.value

        async def record(current: discord.Interaction) -> None:
            # `current` is this command, or the "I agree" press on the privacy notice: the same mood and note.
            outcome = await self.checkins.record(user_id=current.user.id, guild_id=current.guild_id, mood=chosen,
                                                 note=note, source="command", locale=str(current.locale))
            await current.response.send_message(embeds=outcome_embeds(outcome),
                                                view=outcome_view(outcome, from_prompt=False), ephemeral=True)

        await gated(interaction, record, again="checkin")

    @mood.command(name="history", description="Your moods over the last 7, 30 or 90 days, with a chart")
    @app_commands.describe(days="How far back to look")
    @per_member_cooldown(rate=3, per=60)
    async def history(self, interaction: discord.Interaction, days: Literal[7, 30, 90] = 30) -> None:
        summary = await self.checkins.history(interaction.user.id, days)
        if summary is None:
            # i18n: /mood history with nothing to show; {count} is 7, 30 or 90
            await interaction.response.send_message(
                n_("No check-ins in the last {count} day yet. Whenever you're ready, `/checkin` takes a few "
                   "seconds, and your history will start to build up here.",
                   "No check-ins in the last {count} days yet. Whenever you're ready, `/checkin` takes a few "
                   "seconds, and your history will start to build up here.", days), ephemeral=True)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)  # drawing takes a moment
        png = await asyncio.to_thread(mood_chart, summary, summary.today)
        await interaction.followup.send(embed=summary_embed(summary), file=discord.File(png_bytes(png), "mood.png"),
                                        ephemeral=True)

    @mood.command(name="reminders", description="Get a private check-in prompt by DM, daily or weekly")
    @app_commands.describe(cadence="How often, or off", time="Your local time, such as 09:00 or 8pm",
                           day="For weekly reminders: which day",
                           pause_until="No prompts until this day (a holiday), such as 24 dec; off ends a pause")
    @app_commands.choices(day=DAY_CHOICES)
    @per_member_cooldown()
    async def reminders_command(self, interaction: discord.Interaction,
                                cadence: Literal["daily", "weekly", "off", "show"] = "show",
                                time: app_commands.Range[str, 1, 12] | None = None,
                                day: app_commands.Choice[int] | None = None,
                                pause_until: app_commands.Range[str, 1, 40] | None = None) -> None:
        if pause_until is not None:
            alone = cadence == "show" and time is None and day is None
            await self._pause_command(interaction, pause_until, alone=alone)
            return
        if cadence == "off":
            stopped = await self.reminders.stop(interaction.user.id)
            text = _("Check-in reminders are off now.") if stopped else _("Check-in reminders were already off.")
            await interaction.response.send_message(text, ephemeral=True)
            return
        if cadence == "show":
            status = await self.reminders.current(interaction.user.id)
            await interaction.response.send_message(reminder_text(status), ephemeral=True)
            return
        if time is None:
            await interaction.response.send_message(_("Tell me what time, such as `time:09:00`."), ephemeral=True)
            return
        if cadence == "weekly" and day is None:
            await interaction.response.send_message(_("For weekly reminders, pick a `day` too."), ephemeral=True)
            return
        weekday = day.value if day else None

        async def configure(current: discord.Interaction) -> None:
            await current.response.defer(ephemeral=True, thinking=True)  # the test DM can take a moment
            await self.reminders.configure(
                user_id=current.user.id, guild_id=current.guild_id, cadence=cadence, at=time, weekday=weekday,
                reachable=lambda: self._can_dm(current.user))
            await current.followup.send(reminder_text(await self.reminders.current(current.user.id)), ephemeral=True)

        await gated(interaction, configure, again="reminders")

    async def _pause_command(self, interaction: discord.Interaction, until: str, *, alone: bool) -> None:
        if not alone:
            await interaction.response.send_message(
                _("Pause on its own, such as `/mood reminders pause_until:24 dec`; the time and day stay as they "
                  "are."), ephemeral=True)
            return
        if until.strip().lower() in RESUME_WORDS:
            text = resumed_text(await self.reminders.resume(interaction.user.id))
        else:
            text = paused_text(*await self.reminders.pause(interaction.user.id, until))
        await interaction.response.send_message(text, ephemeral=True)

    async def _can_dm(self, user: discord.User | discord.Member) -> bool:
        """Try a short confirmation DM now, rather than discover closed DMs at the first prompt."""
        try:
            await user.send(_("Hearth here 👋 Your check-in reminders will arrive in this chat."))
        except discord.Forbidden as error:
            if error.code != CANNOT_DM:
                raise
            return False
        return True

    @due_work(CheckinPrompt, concurrent=True)  # one member each
    async def send_prompt(self, work: CheckinPrompt, item: DueItem) -> None:
        """One DM prompt with one-tap mood buttons."""
        decision = await self.reminders.decide(work, key=item.idempotency_key, due_at=item.due_at)
        if not decision.send:
            return
        user_id = work.user_id
        try:
            # No lookup just for a name: at a busy minute every request counts against the global rate.
            user = self.bot.get_user(user_id)
            await deliver(self.bot, user_id, embed=prompt_embed(user.display_name if user else None),
                          view=prompt_view(decision.guild_id or 0), work=item, dm_channel_id=decision.dm_channel_id)
        except discord.NotFound:
            await self.reminders.stop(user_id, "member")  # the account is gone
            return
        except discord.Forbidden as error:
            if error.code != CANNOT_DM:
                raise
            log.info("DMs closed for user %s; stopping their check-in prompts", user_id)
            await self.reminders.dms_refused(user_id)
            return
        await self.reminders.advance(work, key=item.idempotency_key, due_at=item.due_at)

    async def request_reach_out(self, guild_id: int, member: discord.User | discord.Member) -> bool:
        """Tell the server's support channel that this member would like someone to contact them."""
        channel_id = await self.checkins.reach_out_channel(guild_id)
        if channel_id is None:
            return False
        with speaking(server_voice(self.bot, guild_id)):  # the support channel reads it: the server's language
            # i18n: posted in the server's support channel; {member} is a mention of the member
            text = S_("🤝 {member} asked for someone to reach out to them after a check-in. Please contact them "
                      "privately and kindly. (Their check-in stays private; this is all Hearth shares.)",
                      member=member.mention)
        try:
            posted = await post(self.bot, channel_id, text, what=f"a reach-out request in guild {guild_id}")
        except discord.HTTPException as error:  # on a hard day the member hears "use the helplines", never an error
            log.warning("could not post a reach-out request in guild %s: %s", guild_id, error)
            return False
        return posted is not None


def png_bytes(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


async def setup(bot: HearthBot) -> None:
    await bot.add_cog(CheckinsCog(bot))

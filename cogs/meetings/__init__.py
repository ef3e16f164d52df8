"""Finding a time together: the news of each poll, in the group's thread or by DM, and the reminders.

The buttons and the menu live in bot/ui/meetings.py (they sit on the buddies' and events' intros); this cog
registers them, so they answer after a restart, and does the due work the service plans: every message
goes through `post` or `send_dm`, so a thread Hearth can no longer post in falls back to DMs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.domain.meeting_times import MeetingReminder, PollDm, PollDue, PollPost
from bot.i18n import speaking
from bot.ui.dm import DueItem, send_dm
from bot.ui.meetings import COG_NAME, DYNAMIC_ITEMS
from bot.ui.posts import post
from bot.ui.voices import server_voice
from cogs._base import HearthCogBase, due_work
from cogs.meetings._render import news_message, reminder_text

if TYPE_CHECKING:
    from bot.app import HearthBot


class MeetingsCog(HearthCogBase, name=COG_NAME):
    bot_permissions = discord.Permissions(send_messages_in_threads=True)
    dynamic_items = DYNAMIC_ITEMS

    @due_work(PollDue)
    async def _poll_due(self, work: PollDue, item: DueItem) -> None:
        await self.services.meetings.due(work)

    @due_work(PollPost)
    async def _post(self, work: PollPost, item: DueItem) -> None:
        news = await self.services.meetings.news(work.poll_id, work.stage, work.window_start)
        if news is None:
            return
        with speaking(server_voice(self.bot, news.poll.guild_id)):  # in the group's thread: the server's words
            message = news_message(news)
        if message is None:
            return
        if news.poll.channel_id is not None and await post(
                self.bot, news.poll.channel_id, message[0], view=message[1], nonce_key=item.idempotency_key,
                retry=True, what=f"find-a-time news of poll {work.poll_id}"):
            return
        await self.services.meetings.thread_failed(work.poll_id, work.stage, work.window_start)

    @due_work(PollDm, concurrent=True)  # one DM to one member each, in their language
    async def _dm(self, work: PollDm, item: DueItem) -> None:
        news = await self.services.meetings.news(work.poll_id, work.stage, work.window_start)
        message = news_message(news) if news is not None else None
        if message is not None:
            await send_dm(self.bot, work.user_id, message[0], message[1], work=item)

    @due_work(MeetingReminder, concurrent=True)
    async def _remind(self, work: MeetingReminder, item: DueItem) -> None:
        due = await self.services.meetings.reminder_due(work)
        if due is not None:
            await send_dm(self.bot, due.user_id, reminder_text(due), work=item)


async def setup(bot: HearthBot) -> None:
    await bot.add_cog(MeetingsCog(bot))

"""Meeting in person, safely: the "did you get home safe?" DMs, and the buttons that answer them.

The buttons themselves live in bot/ui/safety.py (they sit on the events' and buddies' messages too); this
cog registers them, so they work after a restart, and sends the due DMs through `send_dm`, like every other
DM (closed DMs, retries and the global pace handled the same way). Quiet hours are the service's: a check
that falls in them moves to when they end.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.domain.safety import HomeCheck
from bot.ui.dm import DueItem, send_dm
from bot.ui.safety import COG_NAME, DYNAMIC_ITEMS, ask_text, follow_up_embed, follow_up_text, home_view
from cogs._base import HearthCogBase, due_work

if TYPE_CHECKING:
    from bot.app import HearthBot


class SafetyCog(HearthCogBase, name=COG_NAME):
    bot_permissions = discord.Permissions.none()  # DMs only
    dynamic_items = DYNAMIC_ITEMS

    @due_work(HomeCheck, concurrent=True)  # one DM to one member per row
    async def send_home_check(self, work: HomeCheck, item: DueItem) -> None:
        """"Did you get home safe?", or the one gentle follow-up if "I'm home" wasn't tapped."""
        message = await self.services.safety.home_check_due(work)
        if message is None:
            return
        if message.stage == "ask":
            await send_dm(self.bot, message.user_id, ask_text(message), home_view(message.user_id, message.ref),
                          work=item)
        else:
            await send_dm(self.bot, message.user_id, follow_up_text(message), embed=follow_up_embed(message),
                          work=item)


async def setup(bot: HearthBot) -> None:
    await bot.add_cog(SafetyCog(bot))

"""Best-effort direct messages for features that message many members at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord.utils import MISSING

if TYPE_CHECKING:
    from bot.app import HearthBot


async def send_dm(bot: HearthBot, user_id: int, content: str, view: discord.ui.View | None = None) -> bool:
    """DM a member unless they turned DMs off or Discord refused us before. True when it was sent.

    A refusal is remembered (we stop trying, and the member is told on their next command); a member
    whose account is gone is skipped. One member's trouble never stops a fan-out to the others.
    """
    settings = await bot.store.members.get(user_id)
    if not settings.dms_enabled or settings.dms_closed_at is not None:
        return False
    try:
        user = bot.get_user(user_id) or await bot.fetch_user(user_id)
        await user.send(content, view=view or MISSING)
    except discord.Forbidden:
        now = bot.clock.now()
        await bot.store.members.update(user_id, now, dms_closed_at=now, dms_closed_notified_at=None)
        return False
    except discord.NotFound:
        return False
    return True

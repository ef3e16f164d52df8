"""Putting a round into Discord: private threads (or DMs), follow-ups, heads-ups."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import discord

from bot.domain.buddy_rounds import PAUSE_ASK_AFTER
from bot.services.buddy_rounds import BuddyRoundService, RoundOutcome
from bot.services.nudge_meetups import MeetupNudgeService
from bot.store import DueItem
from bot.ui.dm import send_dm
from cogs.buddies._components import SkipRoundButton, met_view, pause_offer_view
from cogs.buddies._render import intro_text

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)

MEMBER_DM_KIND = "buddy.dm"


async def _member(guild: discord.Guild, user_id: int) -> discord.Member | None:
    member = guild.get_member(user_id)
    if member is not None:
        return member
    try:
        return await guild.fetch_member(user_id)
    except discord.NotFound:
        return None  # left the server since joining the pool


class RoundDelivery:
    def __init__(self, bot: HearthBot, rounds: BuddyRoundService) -> None:
        self.bot, self.rounds = bot, rounds

    async def deliver(self, outcome: RoundOutcome, *, recover: bool = False) -> None:
        """Introduce every group not yet introduced (safe to run again after a crash).

        `recover` when the last run stopped mid-way: a group's thread opened just before the crash, but not
        yet recorded, is found and adopted rather than opened twice."""
        guild = self.bot.get_guild(outcome.round.guild_id)
        if guild is None:
            log.warning("buddy round %s: Hearth is no longer in guild %s", outcome.round.round_key,
                        outcome.round.guild_id)
            return
        settings = await self.bot.store.guilds.get(guild.id)
        config = await self.bot.store.buddies.config(guild.id)
        channel = guild.get_channel(settings.buddies_channel_id) if settings.buddies_channel_id else None
        for group in outcome.groups:
            if group.delivered:
                continue
            present = [m for m in [await _member(guild, user_id) for user_id in group.members] if m is not None]
            if len(present) < 2:
                await self.rounds.mark_delivered(group.id, "gone", None)
                await self._dm([member.id for member in present], "Your buddy for this round has left the server, "
                               "sorry. You're first in line next round.", f"left:{group.id}")
                continue
            text = intro_text([m.mention for m in present], group.reasons, group_id=group.id,
                              weeks=config.cadence_weeks, followup_at=outcome.round.followup_at)
            opened = self._opened_before(channel, present, outcome.round.started_at) if recover else None
            thread = await self._thread(channel, present, text, opened)
            if thread is not None:
                await self.rounds.mark_delivered(group.id, "thread", thread.id)
                continue
            for member in present:  # no thread possible: each gets a DM naming the others
                others = [m for m in present if m.id != member.id]
                await self._dm([member.id], intro_text(
                    [member.mention, *[f"{m.display_name} ({m.mention})" for m in others]], group.reasons,
                    group_id=group.id, weeks=config.cadence_weeks, followup_at=outcome.round.followup_at),
                    f"intro:{group.id}")
            await self.rounds.mark_delivered(group.id, "dm", None)
        await self._dm(outcome.round.unmatched, f"I couldn't find you a buddy in {guild.name} this round, sorry: it "
                       "wasn't anything about you, the numbers just didn't work out. You're first in line next round.",
                       f"unmatched:{outcome.round.round_key}")

    @staticmethod
    def _opened_before(channel: object, members: list[discord.Member], since: datetime) -> discord.Thread | None:
        if not isinstance(channel, discord.TextChannel):
            return None
        name = _thread_name(members)
        return next((thread for thread in channel.threads if thread.name == name and thread.created_at is not None
                     and thread.created_at >= since - timedelta(minutes=1)), None)

    async def _thread(self, channel: object, members: list[discord.Member], text: str,
                      opened: discord.Thread | None = None) -> discord.Thread | None:
        """Open the group's thread (or finish one `opened` before a crash): members added, the intro posted once."""
        if not isinstance(channel, discord.TextChannel):
            return None
        try:
            thread = opened or await channel.create_thread(
                name=_thread_name(members), type=discord.ChannelType.private_thread, invitable=False,
                auto_archive_duration=10080)
            for member in members:
                await thread.add_user(member)  # adding someone already there changes nothing
            if opened is not None and [message async for message in opened.history(limit=1)]:
                return thread  # the intro went out before the crash
            # This message deliberately addresses the buddies, so it may mention (and notify) them.
            await thread.send(text, allowed_mentions=discord.AllowedMentions(users=members))
        except discord.HTTPException as error:
            log.warning("could not open a buddy thread in #%s (%s); falling back to DMs", channel.name, error)
            return None
        return thread

    async def follow_up(self, round_id: int) -> None:
        """Halfway through: "did you meet?" in each thread (or by DM), and a gentle pause offer to the quiet."""
        round_ = await self.bot.store.buddies.round(round_id)
        if round_ is None or round_.ends_at <= self.bot.clock.now():
            return  # a follow-up for a round that is over (after downtime) would only confuse
        groups = await self.rounds.followup_groups(round_id)
        for group in groups:
            question = "Halfway through the round! Did you meet? (Your answer is private.)"
            if group.delivered == "thread" and group.thread_id:
                thread = self.bot.get_channel(group.thread_id)
                if isinstance(thread, discord.Thread):
                    try:
                        await thread.send(question, view=met_view(group.id))
                        continue
                    except discord.HTTPException as error:
                        log.warning("follow-up in thread %s failed (%s); asking by DM", group.thread_id, error)
            await self._dm(group.members, question, f"met:{group.id}", {"met": group.id})
        # Members who opted in to nudges get a meetup suggestion a day later, unless their group says it met.
        await MeetupNudgeService(self.bot.store, self.bot.clock).schedule_buddy_suggestions(round_id)
        quiet = await self.rounds.quiet_members(round_.guild_id, threshold=PAUSE_ASK_AFTER)
        # Queued before their count restarts: a crash in between asks again (once, by the key), never not at all.
        await self._dm(quiet, "I haven't heard back about your last couple of buddy rounds, which is completely "
                       "fine. Would a break help? You can pause and come back any time.", f"pause:{round_id}",
                       {"pause": round_.guild_id})
        await self.rounds.asked_about_pause(round_.guild_id, quiet)

    async def heads_up(self, guild_id: int, key: str) -> None:
        start = key.rsplit(":", 1)[-1]
        await self._dm(await self.rounds.pool_for_heads_up(guild_id, key), "A new buddy round starts tomorrow. "
                       "Busy week? You can sit this one out.", f"heads-up:{key}", {"skip": [guild_id, start]})

    async def _dm(self, user_ids: Sequence[int], text: str, occasion: str, view: dict[str, Any] | None = None) -> None:
        """One due row per member: sent at the global pace, retried on Discord's hiccups, never twice."""
        await self.bot.notices.queue(user_ids, text, occasion, kind=MEMBER_DM_KIND, view=view)

    async def send_member_dm(self, item: DueItem) -> None:
        """Due-work handler for `_dm` rows: the text, and the buttons its `view` data describes."""
        await send_dm(self.bot, int(item.payload["user_id"]), str(item.payload["text"]),
                      _view(item.payload.get("view")), work=item)


def _thread_name(members: list[discord.Member]) -> str:
    return "Buddies: " + " & ".join(member.display_name for member in members)[:80]


def _view(spec: dict[str, Any] | None) -> discord.ui.View | None:
    if not spec:
        return None
    if "met" in spec:
        return met_view(int(spec["met"]))
    if "pause" in spec:
        return pause_offer_view(int(spec["pause"]))
    view = discord.ui.View(timeout=None)
    guild_id, start = spec["skip"]
    view.add_item(SkipRoundButton(int(guild_id), str(start)))
    return view

"""Putting a round into Discord: private threads (or DMs when a thread is impossible) and follow-up questions.

What is decided and stored is the services' (bot.services.buddy_rounds); this only talks to Discord and
reports back what happened, one group at a time, so a crash half-way resumes where it stopped.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.domain.buddy_work import BuddyDm
from bot.domain.safety import MEETING_TIP
from bot.i18n import _, speaking
from bot.services.buddy_rounds import BUDDY_LEFT_TEXT, FOLLOW_UP_QUESTION, BuddyRoundService, RoundOutcome
from bot.ui.formatting import plain
from bot.ui.meetings import buddy_intro_view
from bot.ui.posts import post
from bot.ui.threads import get_or_fetch_member, open_intro_thread
from bot.ui.voices import member_voice, server_voice
from cogs.buddies._components import SkipRoundButton, met_view, pause_offer_view
from cogs.buddies._render import intro_text

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)


class RoundDelivery:
    """Built once, by the buddies cog."""

    def __init__(self, bot: HearthBot, rounds: BuddyRoundService) -> None:
        self.bot, self.rounds = bot, rounds

    async def deliver(self, outcome: RoundOutcome) -> None:
        """Introduce every group not yet introduced (safe to run again after a crash: a group's thread opened
        since the round started, but not yet recorded, is adopted rather than opened twice). A thread's intro is
        in the server's language, an intro by DM in each member's."""
        guild = self.bot.get_guild(outcome.round.guild_id)
        if guild is None:
            log.warning("buddy round %s: Hearth is no longer in guild %s", outcome.round.round_key,
                        outcome.round.guild_id)
            return
        plan = await self.rounds.delivery_plan(guild.id)
        channel = guild.get_channel(plan.channel_id) if plan.channel_id else None
        for group in outcome.groups:
            if group.delivered:
                continue
            gone: list[int] = []
            present = [m for m in [await get_or_fetch_member(guild, user_id, gone) for user_id in group.members]
                       if m is not None]
            if gone:  # they left the server: their data there goes after its grace period
                await self.bot.services.privacy.members_gone(guild.id, gone)
                gone.clear()
            if len(present) < 2:
                await self.rounds.introduced(group, "gone", dms=[(member.id, BUDDY_LEFT_TEXT) for member in present])
                continue
            in_person = await self.bot.services.safety.could_meet_in_person(guild.id, group.members)
            with speaking(server_voice(self.bot, guild.id)):
                text = intro_text([m.mention for m in present], group.reasons, group_id=group.id,
                                  weeks=plan.cadence_weeks, followup_at=outcome.round.followup_at,
                                  in_person=in_person)
                name, view = _thread_name(present), buddy_intro_view(group.id, in_person=in_person)
            thread = await open_intro_thread(channel, name=name, members=present, text=text,
                                             since=outcome.round.started_at, view=view, gone=gone)
            if gone:  # Discord would not add them to the thread: they had left since the lookup
                await self.bot.services.privacy.members_gone(guild.id, gone)
                present = [member for member in present if member.id not in gone]
                if len(present) < 2:
                    await self.rounds.introduced(group, "gone", dms=[(m.id, BUDDY_LEFT_TEXT) for m in present])
                    continue
            if thread is not None:
                await self.rounds.introduced(group, "thread", thread_id=thread.id)
                continue
            # No thread possible: each gets a DM naming the others, in their own language.
            dms = []
            for member in present:
                with speaking(await member_voice(self.bot, member.id)):
                    dms.append((member.id, intro_text(
                        [member.mention, *[f"{plain(m.display_name)} ({m.mention})" for m in present
                                           if m.id != member.id]],
                        group.reasons, group_id=group.id, weeks=plan.cadence_weeks,
                        followup_at=outcome.round.followup_at, in_person=in_person)))
            await self.rounds.introduced(group, "dm", dms=dms, in_person=in_person)

    async def follow_up(self, round_id: int) -> None:
        """Halfway through: "did you meet?" in each thread; the rest (DMs, suggestions, pause offers) is queued
        by the service."""
        follow_up = await self.rounds.follow_up(round_id)
        if follow_up is None:
            return
        for group in follow_up.in_threads:
            # Wherever the thread can't take it (gone, no permission, Discord unwell), the question goes by DM.
            with speaking(server_voice(self.bot, follow_up.round.guild_id)):
                question, view = _(FOLLOW_UP_QUESTION), met_view(group.id)
            if group.thread_id and await post(self.bot, group.thread_id, question, view=view,
                                              what=f"the follow-up of group {group.id}"):
                continue
            await self.rounds.ask_by_dm(group)


def dm_view(work: BuddyDm) -> discord.ui.View | None:
    """The buttons a queued buddy DM carries."""
    if work.met_group_id is not None:
        return met_view(work.met_group_id)
    if work.pause_guild_id is not None:
        return pause_offer_view(work.pause_guild_id)
    if work.skip_guild_id is not None and work.skip_round_key is not None:
        view = discord.ui.View(timeout=None)
        view.add_item(SkipRoundButton.for_round(work.skip_guild_id, work.skip_round_key))
        return view
    group_id = work.occasion.removeprefix("intro:")
    if group_id != work.occasion and group_id.isdigit():
        # An intro by DM: Find a time and, for a group that might meet in person, "check on me after" (rows
        # queued before they said so carry the tip in their English text).
        in_person = work.in_person if work.in_person is not None else MEETING_TIP in work.text
        return buddy_intro_view(int(group_id), work.user_id, in_person=in_person)
    return None


def _thread_name(members: list[discord.Member]) -> str:
    """The private thread's name (also how a crashed run's thread is found again: the same words each time)."""
    # i18n: the name of a buddy group's private thread; {names} is the buddies' names joined by " & "
    return _("Buddies: {names}", names=" & ".join(member.display_name for member in members)[:80])

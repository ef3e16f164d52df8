"""The words of finding a time: the news in the group's thread (or each member's DM) and the reminders."""

from __future__ import annotations

import discord

from bot.domain.meeting_times import PollView
from bot.domain.safety import MEETING_TIP
from bot.domain.text import plain
from bot.services.meetings import PollNews, ReminderDue
from bot.ui.formatting import timestamp
from bot.ui.meetings import confirmed_view, find_view, offered_text, pick_view, widen_view


def _who(poll: PollView) -> str:
    mentions = [f"<@{user_id}>" for user_id in poll.members]
    return mentions[0] if len(mentions) == 1 else f"{', '.join(mentions[:-1])} and {mentions[-1]}"


def news_message(news: PollNews) -> tuple[str, discord.ui.View | None] | None:
    """The message for the poll's news, or None when the poll has moved on since it was planned."""
    poll = news.poll
    if news.stage == "offered" and poll.status == "offered":
        return offered_text(poll, heading="🗓️ Everyone has answered. These times work best (each shown in "
                                          "your own time zone):"), pick_view(poll)
    if news.stage == "confirmed" and poll.status == "confirmed" and poll.chosen_start is not None:
        start = poll.chosen_start
        return (f"✅ It's agreed: {_who(poll)} are meeting {timestamp(start, 'F')} ({timestamp(start, 'R')}). "
                "I'll remind each of you before, the way you chose for meetups.\n"
                f"🛡️ {MEETING_TIP}\nAdd it to your calendar, or ask me to check you got home OK afterwards "
                "(only you are asked).", confirmed_view(poll))
    if news.stage == "no_overlap" and poll.status == "no_overlap":
        text = ("I couldn't find a time that works for everyone in these days. That happens, and it's nothing "
                "about any of you. Shall I look at the week after?")
        if news.upcoming is not None:
            event = news.upcoming
            text += (f"\nOr you could go along to **{plain(event.title)}** together, {timestamp(event.start_at, 'F')}:"
                     " it's on the meetup list.")
        return text, widen_view(poll)
    if news.stage == "closed" and poll.status == "closed":
        return ("The days I was looking at have passed without a time, no worries. Tap Find a time whenever you'd "
                "like to try again.", find_view(poll))
    if news.stage == "reopened" and poll.status == "open":
        return (f"🗓️ Let's look at the week after: {timestamp(poll.window_start, 'D')} to "
                f"{timestamp(poll.window_end, 'D')}. Tap Find a time and mark when you could meet.", find_view(poll))
    return None


def reminder_text(due: ReminderDue) -> str:
    start = due.poll.chosen_start
    assert start is not None
    when = "tomorrow" if due.label == "24h" else "soon"
    who = "your buddy" if due.poll.kind == "buddy" else "your going-together group"
    return (f"A reminder: you're meeting {who} {when}, {timestamp(start, 'F')} ({timestamp(start, 'R')}). "
            f"Enjoy it! 🛡️ {MEETING_TIP}")

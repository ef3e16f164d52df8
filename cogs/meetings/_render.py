"""The words of finding a time: the news in the group's thread (or each member's DM) and the reminders."""

from __future__ import annotations

import discord

from bot.domain.meeting_times import PollView
from bot.domain.safety import MEETING_TIP
from bot.domain.text import plain
from bot.i18n import S_, _
from bot.services.meetings import PollNews, ReminderDue
from bot.ui.formatting import timestamp
from bot.ui.meetings import confirmed_view, find_view, offered_text, pick_view, widen_view
from bot.ui.threads import names_together


def _who(poll: PollView) -> str:
    return names_together([f"<@{user_id}>" for user_id in poll.members])


def news_message(news: PollNews) -> tuple[str, discord.ui.View | None] | None:
    """The message for the poll's news, or None when the poll has moved on since it was planned. In the voice
    it is for: the server's in the group's thread, the member's in a DM."""
    poll = news.poll
    if news.stage == "offered" and poll.status == "offered":
        return offered_text(poll, heading=_("🗓️ Everyone has answered. These times work best (each shown in "
                                            "your own time zone):")), pick_view(poll)
    if news.stage == "confirmed" and poll.status == "confirmed" and poll.chosen_start is not None:
        start = poll.chosen_start
        # i18n: {who} names the group ("@Ann and @Bo"), {when} is a date and time, {relative} "in 3 days"
        agreed = _("✅ It's agreed: {who} are meeting {when} ({relative}). I'll remind each of you before, the way "
                   "you chose for meetups.", who=_who(poll), when=timestamp(start, 'F'), relative=timestamp(start, 'R'))
        # i18n: under a confirmed meeting, above the buttons “Add to my calendar” and “Check I got home OK”
        offer = S_("Add it to your calendar, or ask me to check you got home OK afterwards (only you are asked).")
        return f"{agreed}\n🛡️ {S_(MEETING_TIP)}\n{offer}", confirmed_view(poll)
    if news.stage == "no_overlap" and poll.status == "no_overlap":
        # i18n: the button below says “Look at the week after”
        text = _("I couldn't find a time that works for everyone in these days. That happens, and it's nothing "
                 "about any of you. Shall I look at the week after?")
        if news.upcoming is not None:
            event = news.upcoming
            # i18n: a second line after "Shall I look at the week after?"; {title} is a meetup's name, {when} its
            # date and time
            text += "\n" + _("Or you could go along to **{title}** together, {when}: it's on the meetup list.",
                             title=plain(event.title), when=timestamp(event.start_at, 'F'))
        return text, widen_view(poll)
    if news.stage == "closed" and poll.status == "closed":
        # i18n: “Find a time” is the name of the button below
        return (_("The days I was looking at have passed without a time, no worries. Tap Find a time whenever "
                  "you'd like to try again."), find_view(poll))
    if news.stage == "reopened" and poll.status == "open":
        # i18n: {start} and {end} are dates; “Find a time” is the name of the button below
        return (_("🗓️ Let's look at the week after: {start} to {end}. Tap Find a time and mark when you could meet.",
                  start=timestamp(poll.window_start, 'D'), end=timestamp(poll.window_end, 'D')), find_view(poll))
    return None


def reminder_text(due: ReminderDue) -> str:
    """A reminder DM before an agreed meeting."""
    start = due.poll.chosen_start
    assert start is not None
    when, relative, tip = timestamp(start, 'F'), timestamp(start, 'R'), S_(MEETING_TIP)
    if due.poll.kind == "buddy":
        if due.label == "24h":
            # i18n: {when} is a date and time, {relative} "in 1 day", {tip} a safety tip for meeting in person
            return _("A reminder: you're meeting your buddy tomorrow, {when} ({relative}). Enjoy it! 🛡️ {tip}",
                     when=when, relative=relative, tip=tip)
        # i18n: {when} is a date and time, {relative} "in 3 hours", {tip} a safety tip for meeting in person
        return _("A reminder: you're meeting your buddy soon, {when} ({relative}). Enjoy it! 🛡️ {tip}",
                 when=when, relative=relative, tip=tip)
    if due.label == "24h":
        # i18n: a going-together group: a few members Hearth introduced to go to a meetup together; {when} is a
        # date and time, {relative} "in 1 day", {tip} a safety tip for meeting in person
        return _("A reminder: you're meeting your going-together group tomorrow, {when} ({relative}). Enjoy it! "
                 "🛡️ {tip}", when=when, relative=relative, tip=tip)
    # i18n: a going-together group: a few members Hearth introduced to go to a meetup together; {when} is a
    # date and time, {relative} "in 3 hours", {tip} a safety tip for meeting in person
    return _("A reminder: you're meeting your going-together group soon, {when} ({relative}). Enjoy it! 🛡️ {tip}",
             when=when, relative=relative, tip=tip)

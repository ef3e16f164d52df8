"""How check-in answers, summaries and prompts look."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.domain.moods import WEEKDAYS, Mood, MoodSummary
from bot.domain.safety import CRISIS_NOT_A_SERVICE
from bot.services.checkin_reminders import ReminderStatus
from bot.services.checkins import CheckinOutcome, Support
from bot.ui.formatting import HEARTH_COLOUR, plain, timestamp, web_link

CRISIS_COLOUR = discord.Colour.from_rgb(88, 101, 242)  # calm blue, not alarm red


def outcome_embeds(outcome: CheckinOutcome) -> list[discord.Embed]:
    if outcome.crisis is not None and outcome.support is not None:
        return [crisis_embed(outcome.support), checkin_embed(outcome, celebrate=False)]
    embeds = [checkin_embed(outcome)]
    if outcome.support is not None:
        embeds.append(hard_day_embed(outcome.support))
    return embeds


def checkin_embed(outcome: CheckinOutcome, *, celebrate: bool = True) -> discord.Embed:
    """`celebrate=False` under a crisis answer: no streak or cheerful suggestion beside it (safe messaging)."""
    embed = discord.Embed(title=f"Thanks for checking in: {outcome.mood.label}", colour=HEARTH_COLOUR)
    if not celebrate:
        embed.description = "Your check-in is saved, privately."
    elif outcome.streak > 1:
        embed.description = f"🔥 {outcome.streak} days in a row. {outcome.suggestion}"
    else:
        embed.description = outcome.suggestion
    if outcome.checkin.note:
        embed.add_field(name="Your note", value=outcome.checkin.note[:1024], inline=False)
    embed.set_footer(text="Only you can see this. Your check-ins are never shown to anyone else.")
    return embed


def hard_day_embed(support: Support) -> discord.Embed:
    embed = discord.Embed(title="Sorry today is hard 💛", colour=HEARTH_COLOUR,
                          description="You don't have to carry it alone. A few things that might help:")
    if support.buddy_id is not None:
        embed.add_field(name="Your buddy", value=f"<@{support.buddy_id}> is there for you. Even a short message "
                        "can help.", inline=False)
    if support.meetups:
        embed.add_field(name="Coming up near you", value="\n".join(support.meetups)[:1024], inline=False)
    embed.add_field(name="This server's support", value=_server_support(support), inline=False)
    return embed


def crisis_embed(support: Support) -> discord.Embed:
    """Safe-messaging practice (#chatsafe, Samaritans' guidance for online platforms): thank them, be warm and
    direct, never repeat what they wrote or name any means, say plainly what Hearth is not, and always give a
    way to a person: the emergency number, helplines, and the server's people where it has them."""
    assert support.helplines is not None
    emergency = support.helplines.emergency.number
    embed = discord.Embed(
        title="You matter, and help is there right now",
        colour=CRISIS_COLOUR,
        description=(f"Thank you for writing that down. It sounds like things are really hard right now, and you "
                     f"don't have to go through this alone.\n\nIf you're in danger, or might act on thoughts of "
                     f"harming yourself, please call **{emergency}** now, or ask someone near you to call for you."
                     f"\n\n{CRISIS_NOT_A_SERVICE}"),
    )
    embed.add_field(name=f"Helplines ({support.helplines.name})", value=support.helplines.format_text()[:1024],
                    inline=False)
    if support.server_text or support.server_url:
        embed.add_field(name="This server's support", value=_server_support(support), inline=False)
    if support.can_ask_moderator:
        embed.add_field(name="Want someone here to reach out?", value="Press the button below and a moderator "
                        "will contact you privately. They won't see what you wrote.", inline=False)
    embed.add_field(name="Worried about someone else?", value="The same helplines can help you support them, "
                    "and you can call the emergency number for them if they're in danger.", inline=False)
    embed.set_footer(text="Only you can see this. Nothing was shared with anyone.")
    return embed


def _server_support(support: Support) -> str:
    parts = [plain(support.server_text) or "This server hasn't added its own support resources yet."]
    if support.server_url:
        parts.append(web_link(support.server_url))
    return "\n".join(parts)[:1024]


def prompt_embed(name: str) -> discord.Embed:
    return discord.Embed(title="How are you today?", colour=HEARTH_COLOUR,
                         description=f"Hi {name}, one tap is enough. Your answer is private.")


def summary_embed(summary: MoodSummary) -> discord.Embed:
    embed = discord.Embed(title=f"Your last {summary.days} days", colour=HEARTH_COLOUR)
    embed.add_field(name="Check-ins", value=str(summary.count))
    embed.add_field(name="Average", value=f"{summary.average:.1f} ({Mood(round(summary.average)).label})")
    embed.add_field(name="Most often", value=summary.most_common.label)
    best = WEEKDAYS[summary.best_weekday] if summary.best_weekday is not None else "not enough check-ins yet"
    embed.add_field(name="Best day of the week", value=best)
    embed.add_field(name="Streak", value=f"{summary.streak} day{'s' if summary.streak != 1 else ''}")
    embed.set_image(url="attachment://mood.png")
    embed.set_footer(text="Only you can see this.")
    return embed


def paused_text(ends: datetime, next_due: datetime) -> str:
    return (f"Check-in prompts are paused until {timestamp(ends, 'D')}. They start again by themselves: the next "
            f"one comes {timestamp(next_due, 'F')}. To have them back sooner, use "
            "`/mood reminders pause_until:off`.")


def resumed_text(next_due: datetime | None) -> str:
    if next_due is None:
        return "Check-in prompts weren't paused, so nothing changed."
    return f"Check-in prompts are back: the next one comes {timestamp(next_due, 'R')} ({timestamp(next_due, 'f')})."


def reminder_text(status: ReminderStatus) -> str:
    reminder, next_due = status.reminder, status.next_due
    if reminder is None or not reminder.enabled:
        stopped = ""
        if reminder is not None and reminder.stopped_reason == "dms_closed":
            stopped = " They stopped because Discord wouldn't let me DM you."
        return f"Check-in reminders are off.{stopped} Turn them on with `/mood reminders cadence:daily time:09:00`."
    when = f"{reminder.local_time:%H:%M} your time"
    if reminder.cadence == "weekly" and reminder.weekday is not None:
        when = f"every {WEEKDAYS[reminder.weekday]} at {when}"
    else:
        when = f"every day at {when}"
    text = f"Check-in reminders are on: {when}."
    if status.paused_until is not None:
        text += f" Paused until {timestamp(status.paused_until, 'D')}"
        if next_due is not None:
            text += f": the next one comes {timestamp(next_due, 'F')}"
        return text + ". End the pause sooner with `/mood reminders pause_until:off`."
    if next_due is not None:
        text += f" The next one comes {timestamp(next_due, 'R')} ({timestamp(next_due, 'f')})."
    return text + " Every prompt has buttons to pause or stop them."

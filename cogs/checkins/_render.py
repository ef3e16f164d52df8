"""How check-in answers, summaries and prompts look."""

from __future__ import annotations

from datetime import datetime

import discord
from babel.numbers import format_decimal

from bot.domain.moods import Mood, MoodSummary, weekday_text
from bot.domain.safety import CRISIS_NOT_A_SERVICE
from bot.i18n import S_, _, current_voice, n_, number
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
    # i18n: {mood} is an emoji and a mood word, such as "😣 awful"
    embed = discord.Embed(title=_("Thanks for checking in: {mood}", mood=outcome.mood.shown), colour=HEARTH_COLOUR)
    suggestion = _(outcome.suggestion)
    if not celebrate:
        embed.description = _("Your check-in is saved, privately.")
    elif outcome.streak > 1:
        # i18n: a check-in streak; {suggestion} is one gentle idea for the day, a sentence of its own
        embed.description = n_("🔥 {count} day in a row. {suggestion}", "🔥 {count} days in a row. {suggestion}",
                               outcome.streak, suggestion=suggestion)
    else:
        embed.description = suggestion
    if outcome.checkin.note:
        # i18n: the heading above the note the member wrote with their check-in
        embed.add_field(name=_("Your note"), value=outcome.checkin.note[:1024], inline=False)
    embed.set_footer(text=_("Only you can see this. Your check-ins are never shown to anyone else."))
    return embed


def hard_day_embed(support: Support) -> discord.Embed:
    embed = discord.Embed(title=S_("Sorry today is hard 💛"), colour=HEARTH_COLOUR,
                          description=S_("You don't have to carry it alone. A few things that might help:"))
    if support.buddy_id is not None:
        # i18n: a heading, then: "@Sam is there for you…", {buddy} is a mention of the member's buddy
        buddy = f"<@{support.buddy_id}>"
        embed.add_field(name=S_("Your buddy"), value=S_("{buddy} is there for you. Even a short message can help.",
                                                        buddy=buddy), inline=False)
    if support.meetups:
        # i18n: a heading above the next few meetups near the member
        embed.add_field(name=S_("Coming up near you"), value="\n".join(support.meetups)[:1024], inline=False)
    # i18n: a heading above the support resources a server's organisers wrote
    embed.add_field(name=S_("This server's support"), value=_server_support(support), inline=False)
    return embed


def crisis_embed(support: Support) -> discord.Embed:
    """Safe-messaging practice (#chatsafe, Samaritans' guidance for online platforms): thank them, be warm and
    direct, never repeat what they wrote or name any means, say plainly what Hearth is not, and always give a
    way to a person: the emergency number, helplines, and the server's people where it has them."""
    assert support.helplines is not None
    emergency = support.helplines.emergency.shown_number
    embed = discord.Embed(
        title=S_("You matter, and help is there right now"),
        colour=CRISIS_COLOUR,
        # i18n: the answer to a check-in note that sounds like a crisis. {emergency} is the emergency number
        # (or "your local emergency number"); {not_a_service} is the sentence saying Hearth is a bot, not a
        # crisis service. Warm and direct: never repeat what they wrote.
        description=S_("Thank you for writing that down. It sounds like things are really hard right now, and you "
                       "don't have to go through this alone.\n\nIf you're in danger, or might act on thoughts of "
                       "harming yourself, please call **{emergency}** now, or ask someone near you to call for "
                       "you.\n\n{not_a_service}", emergency=emergency, not_a_service=S_(CRISIS_NOT_A_SERVICE)),
    )
    # i18n: a heading above the helplines; {country} is the country's name, or "International"
    embed.add_field(name=S_("Helplines ({country})", country=support.helplines.shown_name),
                    value=support.helplines.format_text()[:1024], inline=False)
    if support.server_text or support.server_url:
        embed.add_field(name=S_("This server's support"), value=_server_support(support), inline=False)
    if support.can_ask_moderator:
        # i18n: "the button below" is the button "Ask a moderator to reach out"
        embed.add_field(name=S_("Want someone here to reach out?"), value=S_(
            "Press the button below and a moderator will contact you privately. They won't see what you wrote."),
            inline=False)
    embed.add_field(name=S_("Worried about someone else?"), value=S_(
        "The same helplines can help you support them, and you can call the emergency number for them if "
        "they're in danger."), inline=False)
    embed.set_footer(text=S_("Only you can see this. Nothing was shared with anyone."))
    return embed


def _server_support(support: Support) -> str:
    parts = [plain(support.server_text) or S_("This server hasn't added its own support resources yet.")]
    if support.server_url:
        parts.append(web_link(support.server_url))
    return "\n".join(parts)[:1024]


def prompt_embed(name: str | None) -> discord.Embed:
    """The check-in prompt DM; `name` is the member's display name, when known."""
    if name is None:
        description = _("Hi there, one tap is enough. Your answer is private.")
    else:
        # i18n: the check-in prompt by DM; {name} is the member's display name
        description = _("Hi {name}, one tap is enough. Your answer is private.", name=name)
    return discord.Embed(title=_("How are you today?"), colour=HEARTH_COLOUR, description=description)


def _one_decimal(value: float) -> str:
    """An average mood, such as 3.8 (3,8 in German)."""
    return format_decimal(round(value, 1), format="0.0", locale=current_voice().locale)


def summary_embed(summary: MoodSummary) -> discord.Embed:
    # i18n: the title of /mood history; {count} is 7, 30 or 90
    embed = discord.Embed(title=n_("Your last {count} day", "Your last {count} days", summary.days),
                          colour=HEARTH_COLOUR)
    # i18n: /mood history: how many check-ins the member made in the period
    embed.add_field(name=_("Check-ins"), value=number(summary.count))
    # i18n: /mood history: the average mood, such as "3.8 (🙂 good)"
    embed.add_field(name=_("Average"), value=_("{average} ({mood})", average=_one_decimal(summary.average),
                                              mood=Mood(round(summary.average)).shown))
    # i18n: /mood history: the mood the member chose most often
    embed.add_field(name=_("Most often"), value=summary.most_common.shown)
    best = (weekday_text(summary.best_weekday) if summary.best_weekday is not None
            else _("not enough check-ins yet"))
    # i18n: /mood history: the day of the week with the best moods on average
    embed.add_field(name=_("Best day of the week"), value=best)
    # i18n: /mood history: days in a row with a check-in
    embed.add_field(name=_("Streak"), value=n_("{count} day", "{count} days", summary.streak))
    embed.set_image(url="attachment://mood.png")
    embed.set_footer(text=_("Only you can see this."))
    return embed


def paused_text(ends: datetime, next_due: datetime) -> str:
    # i18n: {day} is the day the pause ends, {next} when the next prompt comes (both shown by Discord)
    return _("Check-in prompts are paused until {day}. They start again by themselves: the next one comes {next}. "
             "To have them back sooner, use `/mood reminders pause_until:off`.", day=timestamp(ends, "D"),
             next=timestamp(next_due, "F"))


def resumed_text(next_due: datetime | None) -> str:
    if next_due is None:
        return _("Check-in prompts weren't paused, so nothing changed.")
    # i18n: {relative} is such as "in 3 hours", {moment} the date and time (both shown by Discord)
    return _("Check-in prompts are back: the next one comes {relative} ({moment}).",
             relative=timestamp(next_due, "R"), moment=timestamp(next_due, "f"))


def reminder_text(status: ReminderStatus) -> str:
    reminder, next_due = status.reminder, status.next_due
    if reminder is None or not reminder.enabled:
        if reminder is not None and reminder.stopped_reason == "dms_closed":
            return _("Check-in reminders are off. They stopped because Discord wouldn't let me DM you. Turn them "
                     "on with `/mood reminders cadence:daily time:09:00`.")
        return _("Check-in reminders are off. Turn them on with `/mood reminders cadence:daily time:09:00`.")
    at = f"{reminder.local_time:%H:%M}"
    if reminder.cadence == "weekly" and reminder.weekday is not None:
        # i18n: {weekday} is a day's name, such as "Monday"; {time} is such as 09:00
        sentences = [_("Check-in reminders are on: every {weekday} at {time} your time.",
                       weekday=weekday_text(reminder.weekday), time=at)]
    else:
        # i18n: {time} is such as 09:00
        sentences = [_("Check-in reminders are on: every day at {time} your time.", time=at)]
    if status.paused_until is not None:
        paused = timestamp(status.paused_until, "D")
        if next_due is not None:
            # i18n: {day} is the day the pause ends, {next} when the next prompt comes (both shown by Discord)
            sentences.append(_("Paused until {day}: the next one comes {next}.", day=paused,
                               next=timestamp(next_due, "F")))
        else:
            sentences.append(_("Paused until {day}.", day=paused))
        sentences.append(_("End the pause sooner with `/mood reminders pause_until:off`."))
        return " ".join(sentences)
    if next_due is not None:
        # i18n: {relative} is such as "in 3 hours", {moment} the date and time (both shown by Discord)
        sentences.append(_("The next one comes {relative} ({moment}).", relative=timestamp(next_due, "R"),
                           moment=timestamp(next_due, "f")))
    sentences.append(_("Every prompt has buttons to pause or stop them."))
    return " ".join(sentences)

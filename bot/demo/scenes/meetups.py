"""Meetups, further: a repeating meetup, going together, reminders an hour before, how it went, getting home
safe, the member's own list and calendar file, an edit and a cancellation (everyone who answered is told)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from bot.demo.narration import button_labels
from bot.demo.stage import Stage, answer


async def _going(stage: Stage, who: str, member: Any, announcement: Any) -> Any:
    """Going; if the server's minimum age hasn't been confirmed yet, the member confirms it first."""
    going = await stage.tap(who, member, announcement, "Going")
    age = next((label for label in button_labels(answer(going)) if label.startswith("I'm ")), None)
    return await stage.tap(who, member, going, age) if age else going


def _latest(stage: Stage, member: Any, text: str) -> Any:
    return next(m for m in reversed(stage.dms(member)) if text in (m.content or "") + "".join(
        (e.title or "") + (e.description or "") for e in m.embeds))


async def play(stage: Stage) -> None:
    narrator, cast, env, store = stage.narrator, stage.cast, stage.env, stage.store
    bob, dan = cast.bob, cast.others["Dan"]
    narrator.scene("A meetup that repeats: board games every Thursday")
    shown = await stage.slash("Olive", cast.olive, cast.general, "event-admin create", title="Board games night",
                              start="2026-02-05 19:00", duration=120, mode="in_person",
                              venue="The Dice Café, Low Petergate", area="York", tag="games", repeat="weekly", times=3)
    await stage.tap("Olive", cast.olive, shown, "Post it")
    event = (await store.events.upcoming(cast.guild.id, env.now()))[-1]
    title = f"{event.title} ({narrator.local(None, event.start_at, 'D')})"
    narrator.note("each date is its own meetup with its own answers; the next date is announced when this one starts")
    guild = env.bot.get_guild(cast.guild.id)
    listed = [f"{e.name} ({narrator.local(None, e.start_time, 'f')})" for e in (guild.scheduled_events if guild else [])
              if e.end_time is None or e.end_time > env.now()]  # Discord ends one by itself when its time is up
    if listed:
        narrator.note(f"Discord's own Events list for the server, which Hearth keeps in step: {'; '.join(listed)}")

    narrator.scene("Going together: nobody has to walk in alone")
    asked = {}
    for who, member in (("Bob", bob), ("Dan", dan)):
        going = await _going(stage, who, member, cast.meetups.last_message)
        asked[who] = await stage.tap(who, member, going, "I'd like someone to go with")
    await stage.tap("Bob", bob, asked["Bob"], "Check I got home OK")
    await stage.until(event.start_at - timedelta(hours=48))
    thread = next(t for t in cast.meetups.threads if t.name.startswith("Going together"))
    narrator.action("Hearth", f"opens a private thread “{thread.name}” and writes:")
    narrator.show(thread.history()[0], None)

    narrator.scene("What each member sees: their list, a calendar file, their reminders")
    await stage.slash("Alice", cast.alice, cast.general, "event list")
    await stage.slash("Bob", bob, cast.general, "event ics", event=event.id, series=True, shown={"event": title})
    await stage.slash("Dan", dan, cast.general, "event reminders", when="hour")

    narrator.scene("An hour before, and afterwards")
    await stage.until(event.start_at - timedelta(hours=1))
    narrator.action("Hearth", "DMs Dan (he asked for the hour-before reminder only):")
    reminder = _latest(stage, dan, "⏰")
    narrator.show(reminder, "Dan")

    narrator.scene("At the café: “I'm here”")
    coded = await stage.slash("Olive", cast.olive, cast.general, "event-admin code", event=event.id,
                              shown={"event": title})
    code = re.search(r"`/event here code:(\w+)`", coded.response.content)
    assert code is not None, "the organiser's answer gives the code"
    await stage.until(event.start_at - timedelta(minutes=10))
    await stage.slash("Bob", bob, cast.general, "event here", code=code[1])
    await stage.tap("Dan", dan, reminder, "I'm here", in_dm=True)
    narrator.note("arrivals, not just answers, are what `/event-admin stats` and the pulse count")
    await stage.until(event.end_at + timedelta(hours=1), sweeps=3)
    how = _latest(stage, dan, "How was")
    narrator.action("Hearth", "DMs Dan an hour after the meetup:")
    narrator.show(how, "Dan")
    await stage.tap("Dan", dan, how, "😊 Good", in_dm=True)
    await stage.tap("Dan", dan, how, "Met someone new", in_dm=True)
    await stage.until(event.end_at + timedelta(hours=3))
    home = _latest(stage, bob, "Did you get home safe?")
    narrator.action("Hearth", "DMs Bob at midnight, three hours after the end, as he asked:")
    narrator.show(home, "Bob")
    await stage.tap("Bob", bob, home, "I'm home", in_dm=True)
    narrator.note("nobody else is told either way: the check is Bob's alone")
    await stage.slash("Olive", cast.olive, cast.general, "event-admin stats")

    narrator.scene("Plans change: an edit, and a cancellation")
    later = [e for e in await store.events.upcoming(cast.guild.id, env.now()) if e.title == event.title]
    second = later[0]
    await stage.slash("Olive", cast.olive, cast.general, "event-admin edit", event=second.id, start="2026-02-12 19:30",
                      scope="one", shown={"event": f"{second.title} ({narrator.local(None, second.start_at, 'D')})"})
    announcement = next(m for m in reversed(list(cast.meetups.history())) if m.embeds
                        and m.embeds[0].title == second.title)
    await stage.tap("Bob", bob, announcement, "Going")
    await stage.tap("Dan", dan, announcement, "Maybe")
    await stage.slash("Olive", cast.olive, cast.general, "event-admin cancel", event=second.id, scope="one",
                      shown={"event": f"{second.title} ({narrator.local(None, second.start_at, 'D')})"})
    await env.bot.due_work.sweep()
    narrator.action("Hearth", "DMs Bob and Dan, who had answered (Bob's shown):")
    narrator.show(stage.dms(bob)[-1], "Bob")

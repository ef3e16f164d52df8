"""Events: a meetup announced, RSVPs with a waitlist, a place offered and taken, and reminders."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.demo.stage import Stage

AGE_BUTTON = "hearth:age:yes:"


def _age_button(message: Any) -> str | None:
    """The "I'm N or older" button on an answer, if it asks for the server's minimum age."""
    return next((str(child["custom_id"]) for row in message.components for child in row.get("components", [])
                 if str(child.get("custom_id", "")).startswith(AGE_BUTTON)), None)


async def _going(stage: Stage, who: str, member: Any, event_id: int) -> None:
    """Going; the first time, the server's minimum age is asked, and the member confirms it."""
    clicked = await stage.click(who, member, stage.cast.meetups.last_message, f"hearth:ev:rsvp:{event_id}:going",
                                "Going")
    button = _age_button(clicked.response) if clicked.response is not None else None
    if button is not None:
        label = next(child["label"] for row in clicked.response.components for child in row["components"]
                     if child["custom_id"] == button)
        await stage.click(who, member, clicked.response, button, label)


async def play(stage: Stage) -> None:
    narrator, cast, env, store = stage.narrator, stage.cast, stage.env, stage.store
    narrator.scene("Meetups: a place to go")
    shown = await stage.slash("Olive", cast.olive, cast.general, "event-admin create", title="Sunday walk by the river",
                              start="sunday 10:30", duration=90, mode="in_person", venue="Mill Lane car park",
                              area="Leeds", tag="walk", capacity=2,
                              description="An easy hour by the river, then tea at the café. All welcome.")
    await stage.click("Olive", cast.olive, shown.response, "hearth:ev:confirm", "Post it")
    announcement = cast.meetups.last_message
    narrator.action("Hearth", "posts in #meetups:")
    narrator.show(announcement, None)
    event = (await store.events.upcoming(cast.guild.id, env.now()))[-1]
    carol = cast.others["Carol"]
    narrator.note("Olive's server is for adults: in-person meetups ask members, once, to confirm they're 18 or "
                  "older (Hearth takes their word; it asks for no proof).")
    await stage.slash("Olive", cast.olive, cast.general, "hearth privacy", min_age=18)
    for who, member in (("Alice", cast.alice), ("Bob", cast.bob), ("Carol", carol)):
        await _going(stage, who, member, event.id)
    await stage.click("Bob", cast.bob, cast.meetups.last_message, f"hearth:ev:rsvp:{event.id}:no", "Can't go")
    await env.bot.due_work.sweep()  # the offer DM is queued as due work; the scheduler's next sweep sends it
    offer = carol.user.dm_channel.last_message
    narrator.note(f"Carol's DMs: “{narrator.humanise(offer.content, 'Carol')}”")
    await stage.click("Carol", carol.user, offer, f"hearth:ev:offer:{event.id}:take", "Take the place", in_dm=True)
    narrator.note(f"the announcement now says: {cast.meetups.last_message.embeds[0].fields[2].value}")

    narrator.scene("Reminders: the day before")
    await stage.until(event.start_at - timedelta(hours=24), sweeps=0)
    await env.bot.due_work.sweep()
    reminder = next(m for m in reversed(carol.user.dm_channel.history()) if m.content.startswith("⏰"))
    narrator.action("Hearth", "DMs Carol:")
    narrator.show(reminder, "Carol")

"""Buddies: a pool in two towns, a round with intros in private threads, a pair finding a time across two time
zones and meeting, and follow-up answers."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.demo.stage import Stage
from bot.ui.meetings import FIND_LABEL

POOL = (  # name, area, how they'd like to meet, interests from the server's list, own tags
    ("Alice", "Leeds", "in_person", ["walks", "books"], "birdwatching"),
    ("Carol", "Leeds", "either", ["walks", "cooking"], ""),
    ("Bob", "York", "in_person", ["board games"], "chess"),
    ("Dan", "York", "either", ["board games", "music"], ""),
    ("Erin", "York", "online", ["music"], ""),
)


def _id(message: Any, prefix: str) -> str:
    """The form's component starting with `prefix`: ids carry the form's owner and token."""
    rows = message.components  # a SimCord result's message: rows of component dicts
    return next(str(child["custom_id"]) for row in rows for child in row.get("components", [])
                if str(child.get("custom_id", "")).startswith(prefix))


async def _join(stage: Stage, who: str, member: Any, area: str, preference: str, interests: list[str],
                tags: str) -> None:
    form = await member.slash(stage.cast.general, "buddy join")
    await member.select(form.response, interests, custom_id=_id(form.response, "hearth:bd:join:interests"))
    await member.select(form.response, [preference], custom_id=_id(form.response, "hearth:bd:join:preference"))
    modal = await member.click(form.response, custom_id=_id(form.response, "hearth:bd:join:more"))
    await member.submit_modal(modal, {"area": area, "tags": tags})
    saved = await member.click(form.response, custom_id=_id(form.response, "hearth:bd:join:save"))
    stage.narrator.action(who, f"joins with /buddy join: {area}, meet {preference.replace('_', ' ')}, "
                               f"{', '.join(interests + ([tags] if tags else []))}")
    stage.narrator.note(saved.response.content.splitlines()[0])


async def _find_a_time(stage: Stage, thread: Any, members: dict[str, Any]) -> None:
    """Alice (New York time) picks a day part; her buddy types a time in their own zone; one tap each agrees."""
    narrator, env = stage.narrator, stage.env
    names = [name for name in members if name in thread.name and name != "Alice"]
    other_name = names[0]
    other = members[other_name]
    narrator.scene(f"Finding a time: Alice and {other_name}, in two time zones")
    intro = thread.history()[0]
    shown = await stage.tap("Alice", members["Alice"], intro, FIND_LABEL)
    choices = [option for row in shown.response.components for child in row.get("components", [])
               if str(child.get("custom_id", "")).startswith("hearth:mt:parts:") for option in child["options"]]
    saturday = next(option for option in choices if option["value"].endswith(":afternoon")
                    and option["label"].startswith("Saturday"))
    narrator.action("Alice", f"picks “{saturday['label']}” (her own afternoon, in New York time)")
    parts = _id(shown.response, "hearth:mt:parts:")
    await members["Alice"].select(shown.response, [saturday["value"]], custom_id=parts)
    # Her buddy types a time inside Alice's afternoon, as it reads on their own clock.
    alice_zone = ZoneInfo((await stage.store.members.get(members["Alice"].id)).timezone or "UTC")
    their_zone = ZoneInfo((await stage.store.members.get(other.id)).timezone
                          or (await stage.store.guilds.get(stage.cast.guild.id)).timezone or "UTC")
    day = date.fromisoformat(saturday["value"].split(":")[0])
    meeting = datetime.combine(day, time(14, 0), alice_zone).astimezone(their_zone)
    typed = f"{meeting:%Y-%m-%d %H:%M}"
    theirs = await stage.tap(other_name, other, intro, FIND_LABEL)
    modal = await other.click(theirs.response, custom_id=_id(theirs.response, "hearth:mt:type:"))
    narrator.action(other_name, f"taps “Type times instead” and writes “{typed}” (their own time)")
    narrator.result(other_name, await other.submit_modal(modal, {"times": typed}))
    await env.bot.due_work.sweep()
    offered = thread.last_message
    narrator.action("Hearth", f"posts in “{thread.name}”:")
    narrator.show(offered, None)
    await stage.tap("Alice", members["Alice"], offered, "Option 1 works for me")
    await stage.tap(other_name, other, offered, "Option 1 works for me")
    await env.bot.due_work.sweep()
    narrator.action("Hearth", "confirms in the thread:")
    narrator.show(thread.last_message, None)

    agreed = meeting.astimezone(UTC)
    await stage.until(agreed - timedelta(hours=1))
    narrator.action("Hearth", "DMs Alice an hour before:")
    narrator.show(stage.dms(members["Alice"])[-1], "Alice")
    await stage.until(agreed + timedelta(hours=1, minutes=31))
    asked = stage.dms(members["Alice"])[-1]
    narrator.action("Hearth", "DMs Alice just after they met:")
    narrator.show(asked, "Alice")
    met = next(child.custom_id for row in asked.components for child in row.children
               if str(child.custom_id).endswith(":in_person"))
    await stage.click("Alice", members["Alice"].user, asked, met, "In person", in_dm=True)


async def play(stage: Stage) -> None:
    narrator, cast, env = stage.narrator, stage.cast, stage.env
    narrator.scene("Buddies: someone you could actually meet")
    await stage.slash("Olive", cast.olive, cast.general, "hearth buddies settings", cadence=2, hour=18)
    members = {"Alice": cast.alice, "Bob": cast.bob}
    for name, *_ in POOL:
        if name not in members:
            members[name] = cast.add(env, narrator, name)
    newcomers = [name for name, *_ in POOL if name not in ("Alice", "Bob")]
    for name in newcomers:
        await env.bot.services.consent.agree(members[name].id)
    narrator.note(f"{', '.join(newcomers)} read the privacy notice and pressed "
                  "“I agree” when they first used Hearth (as Alice did).")
    for name, area, preference, interests, tags in POOL:
        await _join(stage, name, members[name], area, preference, interests, tags)
    await stage.slash("Erin", members["Erin"], cast.general, "buddy pause", weeks=2)

    buddies = env.bot.services.buddies
    start = (await buddies.status(cast.guild.id, cast.alice.id)).next_round_at or env.now()

    narrator.scene("The day before: a heads-up")
    await stage.until(start - timedelta(days=1), sweeps=0)
    await env.bot.due_work.sweep()  # the heads-up queues one DM row per member in the pool…
    await env.bot.due_work.sweep()  # …sent by the next sweep (the scheduler runs one every 15 seconds)
    narrator.note(f"Dan's DMs: “{members['Dan'].user.dm_channel.last_message.content}” [Skip this round]")

    narrator.scene("The round starts: intros in private threads")
    await stage.until(start, sweeps=0)
    await env.bot.due_work.sweep()
    threads = list(cast.buddies.threads)
    for thread in threads:
        narrator.action("Hearth", f"opens a private thread “{thread.name}” and writes:")
        narrator.show(thread.last_message, None)

    await _find_a_time(stage, next(t for t in threads if "Alice" in t.name), members)

    narrator.scene("Halfway: did you meet?")
    current = (await buddies.status(cast.guild.id, cast.alice.id)).current
    assert current is not None, "Alice was paired"
    await stage.until(current[0].followup_at, sweeps=0)
    await env.bot.due_work.sweep()
    narrator.note("Alice's pair isn't asked again: they were asked just after the time they found")
    for thread in threads:
        question = thread.last_message
        if not any(str(getattr(child, "custom_id", "")).startswith("hearth:bd:met:")
                   for row in question.components for child in row.children):
            continue
        group_id = question.components[0].children[0].custom_id.split(":")[3]
        answerer = next(name for name in members if name in thread.name)
        in_person = "Alice" in thread.name
        narrator.note(f"in “{thread.name}”: {question.content}")
        await stage.click(answerer, members[answerer], question,
                          f"hearth:bd:met:{group_id}:{'in_person' if in_person else 'not_yet'}",
                          "In person" if in_person else "Not yet")
    await stage.slash("Olive", cast.olive, cast.general, "hearth buddies stats")

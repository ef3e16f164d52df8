"""Buddies: a pool in two towns, a round with intros in private threads, and follow-up answers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.demo.stage import Stage

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

    narrator.scene("Halfway: did you meet?")
    current = (await buddies.status(cast.guild.id, cast.alice.id)).current
    assert current is not None, "Alice was paired"
    await stage.until(current[0].followup_at, sweeps=0)
    await env.bot.due_work.sweep()
    for thread in threads:
        question = thread.last_message
        group_id = question.components[0].children[0].custom_id.split(":")[3]
        answerer = next(name for name in members if name in thread.name)
        in_person = "Alice" in thread.name
        narrator.note(f"in “{thread.name}”: {question.content}")
        await stage.click(answerer, members[answerer], question,
                          f"hearth:bd:met:{group_id}:{'in_person' if in_person else 'not_yet'}",
                          "In person" if in_person else "Not yet")
    await stage.slash("Olive", cast.olive, cast.general, "hearth buddies stats")

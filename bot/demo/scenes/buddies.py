"""Buddies: a pool in two towns, a round with intros in private threads, and follow-up answers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.demo.stage import Stage

POOL = (  # name, area, how they'd like to meet, interests from the server's list, own tags
    ("alice", "Leeds", "in_person", ["walks", "books"], "birdwatching"),
    ("carol", "Leeds", "either", ["walks", "cooking"], ""),
    ("bob", "York", "in_person", ["board games"], "chess"),
    ("dan", "York", "either", ["board games", "music"], ""),
    ("erin", "York", "online", ["music"], ""),
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
    members = {"alice": cast.alice, "bob": cast.bob}
    for name, *_ in POOL:
        if name not in members:
            members[name] = cast.guild.add_member(env.create_user(name))
            narrator.know(members[name], name.capitalize())
            cast.buddies_pool.append(members[name])
    newcomers = [members[name] for name, *_ in POOL if name not in ("alice", "bob")]
    for member in newcomers:
        await env.bot.services.consent.agree(member.id)
    narrator.note(f"{', '.join(m.name.capitalize() for m in newcomers)} read the privacy notice and pressed "
                  "“I agree” when they first used Hearth (as Alice did).")
    for name, area, preference, interests, tags in POOL:
        await _join(stage, name.capitalize(), members[name], area, preference, interests, tags)
    await stage.slash("Erin", members["erin"], cast.general, "buddy pause", weeks=2)

    buddies = env.bot.services.buddies
    start = (await buddies.status(cast.guild.id, cast.alice.id)).next_round_at or env.now()

    narrator.scene("The day before: a heads-up")
    await env.advance_time(max(0.0, (start - timedelta(days=1) - env.now()).total_seconds()))
    await env.bot.due_work.sweep()  # the heads-up queues one DM row per member in the pool…
    await env.bot.due_work.sweep()  # …sent by the next sweep (the scheduler runs one every 15 seconds)
    narrator.note(f"Dan's DMs: “{members['dan'].user.dm_channel.last_message.content}” [Skip this round]")

    narrator.scene("The round starts: intros in private threads")
    await env.advance_time(max(0.0, (start - env.now()).total_seconds()))
    await env.bot.due_work.sweep()
    threads = list(cast.buddies.threads)
    for thread in threads:
        narrator.action("Hearth", f"opens a private thread “{thread.name}” and writes:")
        for line in narrator.render(thread.last_message.content, []):
            narrator.note(line)

    narrator.scene("Halfway: did you meet?")
    current = (await buddies.status(cast.guild.id, cast.alice.id)).current
    assert current is not None, "Alice was paired"
    await env.advance_time((current[0].followup_at - env.now()).total_seconds())
    await env.bot.due_work.sweep()
    for thread in threads:
        question = thread.last_message
        group_id = question.components[0].children[0].custom_id.split(":")[3]
        answerer = next(m for name, m in members.items() if name in thread.name.lower())
        in_person = "alice" in thread.name.lower()
        narrator.note(f"in “{thread.name}”: {question.content}")
        await stage.click(answerer.name.capitalize(), answerer, question,
                          f"hearth:bd:met:{group_id}:{'in_person' if in_person else 'not_yet'}",
                          "In person" if in_person else "Not yet")
    await stage.slash("Olive", cast.olive, cast.general, "hearth buddies stats")

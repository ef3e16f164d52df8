"""Buddies, looked after: a member's status, changing a profile, a pause ended early, a block and a private
report, a round started by hand, and leaving."""

from __future__ import annotations

from bot.demo.scenes.buddies import _id
from bot.demo.stage import Stage, answer


async def play(stage: Stage) -> None:
    narrator, cast = stage.narrator, stage.cast
    carol, dan, erin = (cast.others[name] for name in ("Carol", "Dan", "Erin"))
    narrator.scene("Buddies, looked after")
    await stage.slash("Alice", cast.alice, cast.general, "buddy status")
    form = await stage.slash("Erin", erin, cast.general, "buddy edit")
    await erin.select(answer(form), ["either"], custom_id=_id(answer(form), "hearth:bd:join:preference"))
    saved = await erin.click(answer(form), custom_id=_id(answer(form), "hearth:bd:join:save"))
    narrator.action("Erin", "picks “either” (online or in person) and saves")
    narrator.note(saved.response.content.splitlines()[0])
    await stage.slash("Dan", dan, cast.general, "buddy pause", weeks=4)
    await stage.slash("Dan", dan, cast.general, "buddy resume")

    narrator.scene("When a buddy doesn't feel right")
    await stage.slash("Carol", carol, cast.general, "buddy block", member=cast.bob)
    await stage.slash("Carol", carol, cast.general, "buddy report", member=cast.bob,
                      what="He kept pushing to meet at his flat instead of somewhere public.")
    report = cast.mod_support.last_message
    narrator.action("Hearth", "posts in #mod-support (only organisers can see it):")
    narrator.show(report, "Olive")
    narrator.note("Bob is not told about the block or the report")
    before = {thread.id for thread in cast.buddies.threads}
    await stage.slash("Olive", cast.olive, cast.general, "hearth buddies pair-now")
    fresh = [thread.name for thread in cast.buddies.threads if thread.id not in before]
    narrator.note(f"new private threads: {', '.join(f'“{name}”' for name in fresh)}; Carol is never paired with "
                  "Bob again")
    await stage.slash("Erin", erin, cast.general, "buddy leave")

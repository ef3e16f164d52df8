"""A check-in with no options (five buttons and a note), and a note that signals crisis: helplines for where
the member lives at once, and a button that asks a moderator to reach out (the note itself never leaves)."""

from __future__ import annotations

from bot.demo.stage import Stage


async def play(stage: Stage) -> None:
    narrator, cast = stage.narrator, stage.cast
    narrator.scene("A check-in in two taps")
    picker = await stage.slash("Carol", cast.others["Carol"], cast.general, "checkin")
    narrator.note("no options: five mood buttons and “Add a note”, all only for Carol")
    await stage.tap("Carol", cast.others["Carol"], picker, "Okay")

    narrator.scene("A bad night: help at once, and someone to reach out")
    narrator.note("late one evening Alice's note says more than a low mood. Hearth reads the words of the note "
                  "for a crisis, and answers at once with helplines for where she lives (New York, from her time zone)")
    crisis = await stage.slash("Alice", cast.alice, cast.general, "checkin", mood=1,
                               note="I don't want to be alive anymore")
    await stage.tap("Alice", cast.alice, crisis, "Ask a moderator to reach out")
    request = cast.mod_support.last_message
    narrator.action("Hearth", "posts in #mod-support (only organisers can see this channel):")
    narrator.show(request, "Olive")
    narrator.note("the note is not in it: only that Alice would like someone to reach out")

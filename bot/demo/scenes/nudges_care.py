"""Nudges, kept rare: what a member gets, "Less often" and "Stop" on a message, the gone-quiet nudge, and off."""

from __future__ import annotations

from bot.demo.narration import button_labels
from bot.demo.stage import Stage


def _text(message: object) -> str:
    embeds = getattr(message, "embeds", [])
    return str(getattr(message, "content", "") or "") + " ".join(
        f"{e.title} {e.description} " + " ".join(str(f.value) for f in e.fields) for e in embeds)


async def opt_in(stage: Stage) -> None:
    narrator, cast = stage.narrator, stage.cast
    dan = cast.others["Dan"]
    narrator.scene("Nudges, kept rare: Less often, and Dan opts in")
    await stage.slash("Alice", cast.alice, cast.general, "nudges show")
    digest = next(m for m in reversed(stage.dms(cast.alice)) if m.embeds and
                  (m.embeds[0].title or "").startswith("Your week ahead"))
    await stage.tap("Alice", cast.alice, digest, "Less often", in_dm=True)
    await dan.slash(cast.general, "settings timezone", zone="Europe/London")
    narrator.note("Dan has set his time zone (Europe/London), so his nudges come at his local time")
    await stage.slash("Dan", dan, cast.general, "nudges on", day=2, time="19:00")


async def play(stage: Stage) -> None:
    narrator, cast, env = stage.narrator, stage.cast, stage.env
    nudges = env.bot.services.nudges
    dan = cast.others["Dan"]
    narrator.scene("A suggestion for buddies, and a word when someone goes quiet")
    quiz = await cast.olive.slash(cast.general, "event-admin create", title="Online quiz night",
                                  start="2026-02-17 19:30", duration=60, mode="online",
                                  link="https://meet.example.org/quiz", tag="games")
    await cast.olive.click(quiz.response, label="Post it")
    narrator.note("Olive has also posted an online quiz night for Tuesday 17 February")
    narrator.note("then Dan goes quiet: no check-in, no meetup, no buddy news for two weeks")
    told = len(stage.dms(dan))
    quiet = None
    for _ in range(21):  # one check a day, for three weeks at most; each message told the day it arrives
        status = await nudges.status(dan.id)
        if status.next_check_at is None:
            break
        await stage.until(status.next_check_at)
        for message in stage.dms(dan)[told:]:
            if "Halfway through the buddy round" in _text(message):
                narrator.action("Hearth", "DMs Dan halfway through his round with Carol, as neither has said they met:")
                narrator.show(message, "Dan")
            elif "Pause 2 weeks" in button_labels(message):
                narrator.action("Hearth", "DMs Dan, who hasn't answered “Did you meet?” two rounds running "
                                          "(offered once):")
                narrator.show(message, "Dan")
            elif "Thinking of you" in _text(message):
                quiet = message
        told = len(stage.dms(dan))
        if quiet is not None:
            break
    if quiet is not None:
        narrator.action("Hearth", "DMs Dan, once, after two weeks without a word from him:")
        narrator.show(quiet, "Dan")
        await stage.tap("Dan", dan, quiet, "Stop", in_dm=True)
    await stage.slash("Alice", cast.alice, cast.general, "nudges off")

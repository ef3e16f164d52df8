"""Nudges: the server's week ahead; Alice opts in, gets her weekly digest and, after a few hard days, a kind word."""

from __future__ import annotations

from datetime import datetime

from bot.demo.stage import Stage


async def _sweep_at(stage: Stage, due: datetime | None) -> None:
    if due is None:
        raise RuntimeError("nothing was planned")
    await stage.until(due, sweeps=0)
    await stage.env.bot.due_work.sweep()


def _show_dm(stage: Stage, who: str, member: object) -> None:
    message = member.user.dm_channel.last_message  # type: ignore[attr-defined]
    stage.narrator.action("Hearth", f"DMs {who}:")
    stage.narrator.show(message, who)


async def _second_round(stage: Stage) -> None:
    """The next buddy round starts on Monday at 18:00 London time, hours before Alice's digest (18:00 hers)."""
    narrator, cast, env = stage.narrator, stage.cast, stage.env
    narrator.scene("Round two: new buddies")
    before = {thread.id for thread in cast.buddies.threads}
    await _sweep_at(stage, (await env.bot.services.buddies.status(cast.guild.id, cast.alice.id)).next_round_at)
    fresh = [thread for thread in cast.buddies.threads if thread.id not in before]
    narrator.note("two weeks on, a new round: nobody is paired with the same person again within six rounds, "
                  "so Alice and Carol each get someone new")
    for thread in fresh:
        narrator.action("Hearth", f"opens a private thread “{thread.name}”")
        first = narrator.render(thread.last_message.content, [])
        narrator.note(" ".join(first[:2]))


async def play(stage: Stage) -> None:
    narrator, cast, env = stage.narrator, stage.cast, stage.env
    nudges = env.bot.services.nudges

    narrator.scene("Next week's meetups, in #announcements on Monday morning")
    shown = await stage.slash("Olive", cast.olive, cast.general, "event-admin create", title="Online coffee and chat",
                              start="2026-01-29 19:00", duration=60, mode="online",
                              link="https://meet.example.org/riverside", tag="social")
    await stage.click("Olive", cast.olive, shown.response, "hearth:ev:confirm", "Post it")
    due = await env.bot.services.meetup_nudges.ensure_server_digest(cast.guild.id)
    await _sweep_at(stage, due)
    post = cast.announcements.last_message
    narrator.action("Hearth", "posts in #announcements:")
    narrator.show(post, None)

    narrator.scene("Nudges: opt-in, kind, and rare")
    await stage.slash("Alice", cast.alice, cast.general, "nudges on", day=0, time="18:00")
    await _second_round(stage)
    await _sweep_at(stage, (await nudges.status(cast.alice.id)).next_digest_at)
    _show_dm(stage, "Alice", cast.alice)

    narrator.scene("A few hard days, and one gentle word")
    for mood in (2, 1, 2):
        await stage.slash("Alice", cast.alice, cast.general, "checkin", mood=mood)
    await _sweep_at(stage, (await nudges.status(cast.alice.id)).next_check_at)
    _show_dm(stage, "Alice", cast.alice)
    narrator.note("nobody else is told: the nudge, like the check-ins, is only ever in Alice's DMs")


"""Check-ins: a check-in, a low day, a DM prompt tapped, and a history chart saved to a file."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.demo.stage import Stage


def _button(message: Any, prefix: str) -> str:
    rows = message.components  # a SimCord result's message: rows of component dicts
    return next(str(child["custom_id"]) for row in rows for child in row.get("components", [])
                if str(child.get("custom_id", "")).startswith(prefix))


def _latest_prompt(member: Any) -> Any:
    prompts = [m for m in member.user.dm_channel.history() if m.embeds and m.embeds[0].title == "How are you today?"]
    return prompts[-1] if prompts else None


async def _sweep_until(stage: Stage, due: Any) -> None:
    await stage.until(due, sweeps=0)
    await stage.env.bot.due_work.sweep()


async def play(stage: Stage) -> None:
    narrator, cast, store = stage.narrator, stage.cast, stage.store
    narrator.scene("Check-ins: noticing how we're doing, privately")
    await stage.gather_community()
    narrator.note(f"{len(stage.community)} other members use Hearth too: each checks in about once a week. Their "
                  "check-ins are private, so this transcript never shows them; they only add to the totals.")
    await stage.slash("Olive", cast.olive, cast.general, "hearth checkins",
                      resources="Our Tuesday evening circle is open to all, and any @Helper will listen.",
                      link="https://example.org/riverside-support", support_channel=cast.mod_support)
    audit = cast.mod_support.last_message
    if audit is not None:
        narrator.action("Hearth", "posts in #mod-support, as it does for every settings change:")
        narrator.show(audit, "Olive")
    first = await stage.slash("Alice", cast.alice, cast.general, "checkin", mood=4, note="Lunch with my sister")
    narrator.note("Alice's first check-in: Hearth keeps nothing about how she feels until she has read the "
                  "privacy notice and agreed. Nothing is stored yet.")
    await stage.click("Alice", cast.alice, first.response, _button(first.response, "hearth:consent:yes:"), "I agree")
    narrator.note("her agreement (version and time) is recorded, and the check-in she asked for goes ahead "
                  "with the same mood and note: no retyping")
    notice = await stage.slash("Bob", cast.bob, cast.general, "privacy notice")
    await stage.click("Bob", cast.bob, notice.response, _button(notice.response, "hearth:consent:yes:"), "I agree")
    await stage.slash("Bob", cast.bob, cast.general, "checkin", mood=2)

    narrator.scene("Check-in prompts: one tap from a DM, at Alice's 9 am")
    await stage.slash("Alice", cast.alice, cast.general, "mood reminders", cadence="daily", time="09:00")
    narrator.note(f"Alice's DMs: “{cast.alice.user.dm_channel.last_message.content}”")
    moods = [5, 3, 2, 4, 4, 5]
    for day, mood in enumerate(moods):
        reminder = await store.reminders.get(cast.alice.id)
        row = await store.due_work.get(reminder.next_key) if reminder and reminder.next_key else None
        if row is None:
            break
        await _sweep_until(stage, row["due_at"])
        prompt = _latest_prompt(cast.alice)
        if day == 0:
            narrator.action("Hearth", f"DMs Alice at {narrator.local('Alice', row['due_at'], 't')} her time "
                                      f"(it's {narrator.local(None, row['due_at'], 't')} in London):")
            narrator.show(prompt, "Alice")
            await stage.click("Alice", cast.alice.user, prompt, f"hearth:ci:mood:{mood}:{cast.guild.id}",
                              "Great", in_dm=True)
        else:
            await cast.alice.user.click(prompt, custom_id=f"hearth:ci:mood:{mood}:{cast.guild.id}")
    narrator.note(f"…and so on for {len(moods)} mornings, one tap each.")

    narrator.scene("History: Alice looks back")
    await stage.env.advance_time(timedelta(hours=2).total_seconds())
    result = await stage.slash("Alice", cast.alice, cast.general, "mood history", days=7)
    message = result.followups[-1] if result.followups else result.response
    if message.attachments:
        chart = stage.out_dir / "mood-history.png"
        chart.write_bytes(await message.attachments[0].read())
        narrator.note(f"the chart Alice sees was saved to {chart}")

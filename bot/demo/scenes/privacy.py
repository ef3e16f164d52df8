"""The organiser's community pulse (totals only), and a member's own data: exported, then deleted."""

from __future__ import annotations

from bot.demo.stage import Stage, answer


async def play(stage: Stage) -> None:
    narrator, cast, env = stage.narrator, stage.cast, stage.env
    narrator.scene("The community's pulse, for organisers: totals only")
    pulse = await stage.slash("Olive", cast.olive, cast.general, "hearth pulse", weeks=4)
    shown = answer(pulse)
    if shown is not None and shown.attachments:
        chart = stage.out_dir / "community-pulse.png"
        chart.write_bytes(await shown.attachments[0].read())
        narrator.note(f"the chart Olive sees was saved to {chart}")

    narrator.scene("Your data is yours: export and delete")
    await stage.slash("Bob", cast.bob, cast.general, "privacy export")
    export = stage.dms(cast.bob)[-1]
    narrator.action("Hearth", "DMs Bob:")
    narrator.show(export, "Bob")
    if export.attachments:
        size = len(await export.attachments[0].read())
        narrator.note(f"a JSON file of {size:,} bytes: his settings, check-ins, buddy profile, meetup answers, nudges")
    erin = cast.others["Erin"]
    asked = await stage.slash("Erin", erin, cast.general, "privacy delete", scope="everywhere")
    await stage.tap("Erin", erin, asked, "Delete")
    narrator.note(f"Erin's check-ins stored now: {await stage.store.checkins.count(erin.id)}; she can come back "
                  "any time, and would be asked to agree to the privacy notice again")
    del env

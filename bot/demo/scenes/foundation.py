"""Setup, settings, a refused organiser command and /about."""

from __future__ import annotations

from bot.demo.stage import Stage


async def play(stage: Stage) -> None:
    narrator, cast, env = stage.narrator, stage.cast, stage.env
    narrator.scene("Setting up: Olive organises the Riverside Support Circle")
    narrator.note("A support community in two towns, Leeds and York, run on London time. Alice lives in Leeds but "
                  "works remotely on New York hours, so her phone, and so her Discord, is on New York time.")
    narrator.note("Discord shows every time in the reader's own time zone, and so does this transcript: what Alice "
                  "sees is in New York time; what everyone else sees, and what the channels show, in London time.")
    narrator.note("Olive has Manage Server, so she sees /hearth; members don't.")
    await stage.slash("Olive", cast.olive, cast.general, "hearth setup", announcements=cast.announcements,
                      buddies=cast.buddies, events=cast.meetups, timezone="london")
    await stage.slash("Olive", cast.olive, cast.general, "hearth status")

    narrator.scene("Settings: Alice makes Hearth fit her day")
    narrator.action("Alice", "types “new y” into the time zone box")
    choices = await cast.alice.autocomplete(cast.general, "settings timezone", "zone", "new y")
    narrator.note("suggested: " + ", ".join(choice["name"] for choice in choices))
    await stage.slash("Alice", cast.alice, cast.general, "settings timezone", zone="America/New_York")
    await stage.slash("Alice", cast.alice, cast.general, "settings quiet-hours", start="25:00", end="07:00")
    await stage.slash("Alice", cast.alice, cast.general, "settings quiet-hours", start="22:00", end="7am")
    await stage.slash("Alice", cast.alice, cast.general, "settings dms", enabled="on")
    await stage.slash("Alice", cast.alice, cast.general, "settings show")
    await stage.slash("Bob", cast.bob, cast.general, "settings timezone", zone="Londn")
    await stage.slash("Bob", cast.bob, cast.general, "settings timezone", zone="London")

    narrator.scene("Languages: Lena reads Hearth in German")
    lena = cast.add(env, narrator, "Lena")
    await env.bot.services.consent.agree(lena.id)
    narrator.note("Lena moved to York from Hamburg and agreed to the privacy notice last week. Her Discord app is "
                  "in English (a work laptop), but on a hard day she'd rather read German. Members whose Discord "
                  "app is in German or Spanish get Hearth in it without asking.")
    await stage.slash("Lena", lena, cast.general, "settings language", language="de")
    await stage.slash("Lena", lena, cast.general, "checkin", mood=4)
    narrator.note("Everything Hearth sends Lena from now on, reminders and prompts by DM too, is in German; posts "
                  "in the server's channels stay in the server's language (English here).")

    narrator.scene("Refusals: organiser commands stay with organisers")
    visible = cast.bob.available_commands(cast.general)
    narrator.note(f"Bob's command list: {', '.join('/' + name for name in visible)} (no /hearth)")
    hearth = next(command for command in await env.bot.tree.fetch_commands() if command.name == "hearth")
    cast.guild.set_command_permissions(hearth, {cast.helpers: True})
    narrator.note("A server admin shows /hearth to the Helpers role in Integrations settings by mistake;"
                  " Hal is a Helper without Manage Server.")
    await stage.slash("Hal", cast.hal, cast.general, "hearth setup", timezone="UTC")

    narrator.scene("About: what Hearth is and how it treats data")
    await stage.slash("Bob", cast.bob, cast.general, "about")

"""What every demo scene shares: the simulated world, the store, the narrator and the cast."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord

from bot.demo.narration import SERVER_ZONE, Narrator
from bot.store import Store

ALICE_ZONE = "America/New_York"
COMMUNITY = ("Amir", "Beth", "Chidi", "Dev", "Ewa", "Femi", "Gwen", "Hana", "Iris", "Jon", "Kemal", "Lena", "Mo",
             "Nia", "Owen")
MOODS = (4, 3, 2, 5, 3, 1)  # fifteen members a week: five good days, five okay, five hard


class Cast:
    """The people and places of the demo server."""

    def __init__(self, env: Any, narrator: Narrator) -> None:
        self.guild = env.create_guild("Riverside Support Circle")
        self.organisers = self.guild.create_role("Organisers", permissions=discord.Permissions(manage_guild=True,
                                                                                             manage_events=True))
        self.helpers = self.guild.create_role("Helpers")
        self.general = self.guild.create_text_channel("general")
        self.announcements = self.guild.create_text_channel("announcements")
        self.buddies = self.guild.create_text_channel("buddies")
        self.meetups = self.guild.create_text_channel("meetups")
        # Private: only organisers (and Hearth) see members' requests for someone to reach out.
        self.mod_support = self.guild.create_text_channel("mod-support", overwrites={
            self.guild.default_role: discord.PermissionOverwrite(view_channel=False),
            self.organisers: discord.PermissionOverwrite(view_channel=True),
            env.bot.user: discord.PermissionOverwrite(view_channel=True, send_messages=True),
        })
        # One name for each person, everywhere: the name Discord shows is the name the narration uses.
        self.olive = self.guild.add_member(env.create_user("Olive"), roles=[self.organisers])
        self.alice = self.guild.add_member(env.create_user("Alice"))
        self.bob = self.guild.add_member(env.create_user("Bob"))
        self.hal = self.guild.add_member(env.create_user("Hal"), roles=[self.helpers])
        for handle, label in ((self.general, "general"), (self.announcements, "announcements"),
                              (self.buddies, "buddies"), (self.meetups, "meetups"),
                              (self.mod_support, "mod-support"), (self.olive, "Olive"),
                              (self.bob, "Bob"), (self.hal, "Hal"), (self.organisers, "Organisers"),
                              (self.helpers, "Helpers")):
            narrator.know(handle, label)
        narrator.know(self.alice, "Alice", ALICE_ZONE)  # Alice lives in New York: her Discord shows New York time
        self.others: dict[str, Any] = {}  # members added by later scenes, by name

    def add(self, env: Any, narrator: Narrator, name: str, zone: str = SERVER_ZONE) -> Any:
        member = self.guild.add_member(env.create_user(name))
        narrator.know(member, name, zone)
        self.others[name] = member
        return member


@dataclass
class Stage:
    env: Any
    store: Store
    narrator: Narrator
    cast: Cast
    out_dir: Path
    tally: Counter[str] = field(default_factory=Counter)  # what members did, for the closing summary
    community: list[Any] = field(default_factory=list)  # the rest of the server, checking in in the background
    _weeks_seen: set[str] = field(default_factory=set)

    async def gather_community(self) -> None:
        """The rest of the server: members who agreed to the privacy notice and check in once a week, quietly
        (never narrated), so the organisers' totals have enough people to show anything."""
        for name in COMMUNITY:
            member = self.cast.add(self.env, self.narrator, name)
            await self.env.bot.services.consent.agree(member.id)
            self.community.append(member)
        await self._community_week()

    async def _community_week(self) -> None:
        week = f"{self.env.now():%G-%V}"
        if not self.community or week in self._weeks_seen:
            return
        self._weeks_seen.add(week)
        for index, member in enumerate(self.community):  # one at a time: SimCord plays one interaction at once
            await member.slash(self.cast.general, "checkin", mood=MOODS[(index + len(self._weeks_seen)) % len(MOODS)])

    async def slash(self, who: str, actor: Any, channel: Any, name: str, *, shown: dict[str, str] | None = None,
                    **options: Any) -> Any:
        """`who` runs /name; `shown` says how an option picked from autocomplete reads (a meetup's title)."""
        choices = self.choices(name)
        for key, label in (shown or {}).items():
            choices.setdefault(key, {})[options[key]] = label
        self.narrator.command(who, name, options, choices)
        result = await actor.slash(channel, name, **options)
        self.narrator.result(who, result)
        return result

    async def tap(self, who: str, actor: Any, message: Any, label: str, *, in_dm: bool = False) -> Any:
        """`who` taps the button labelled `label` on `message` (or on an earlier answer), and sees the answer."""
        self.narrator.action(who, f"taps “{label}”")
        self.tally[label] += 1
        clicker = actor.user if in_dm and hasattr(actor, "user") else actor  # a DM is outside the server
        result = await clicker.click(answer(message), label=label)
        self.narrator.result(who, result, in_dm=in_dm)
        return result

    async def until(self, moment: Any, sweeps: int = 2) -> None:
        """Time passes to `moment`; the scheduler's sweeps (every 15 seconds in a real run) do what is due."""
        await self.env.advance_time(max(0.0, (moment - self.env.now()).total_seconds()))
        await self._community_week()
        for _ in range(sweeps):
            await self.env.bot.due_work.sweep()

    def dms(self, member: Any) -> list[Any]:
        channel = member.user.dm_channel
        return list(channel.history()) if channel is not None else []

    async def click(self, who: str, actor: Any, message: Any, custom_id: str, label: str, *,
                    in_dm: bool = False) -> Any:
        self.narrator.action(who, f"taps “{label}”")
        self.tally[label] += 1
        if custom_id.startswith("hearth:bd:met:") and custom_id.endswith(":in_person"):
            self.tally["met in person"] += 1
        result = await actor.click(message, custom_id=custom_id)
        self.narrator.result(who, result, in_dm=in_dm)
        return result

    def choices(self, name: str) -> dict[str, dict[Any, str]]:
        """For each option of the command `name` that offers choices: value → the name a member picks."""
        words = name.split()
        command: Any = self.env.bot.tree.get_command(words[0])
        for word in words[1:]:
            command = command.get_command(word) if command is not None else None
        if command is None or not hasattr(command, "parameters"):
            return {}
        return {parameter.name: {choice.value: choice.name for choice in parameter.choices}
                for parameter in command.parameters if parameter.choices}


def answer(result: Any) -> Any:
    """The message a member sees from an interaction result (its last follow-up, else the response)."""
    if hasattr(result, "followups"):
        return result.followups[-1] if result.followups else result.response
    return result

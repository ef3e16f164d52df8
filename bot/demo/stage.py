"""What every demo scene shares: the simulated world, the store, the narrator and the cast."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord

from bot.demo.narration import Narrator
from bot.store import Store


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
        self.olive = self.guild.add_member(env.create_user("olive"), roles=[self.organisers])
        self.alice = self.guild.add_member(env.create_user("alice"))
        self.bob = self.guild.add_member(env.create_user("bob"))
        self.hal = self.guild.add_member(env.create_user("hal"), roles=[self.helpers])
        for handle, label in ((self.general, "general"), (self.announcements, "announcements"),
                              (self.buddies, "buddies"), (self.meetups, "meetups"),
                              (self.mod_support, "mod-support"), (self.olive, "Olive"), (self.alice, "Alice"),
                              (self.bob, "Bob"), (self.hal, "Hal"), (self.organisers, "Organisers"),
                              (self.helpers, "Helpers")):
            narrator.know(handle, label)
        self.buddies_pool: list[Any] = []  # members added by the buddies scene, for later scenes


@dataclass
class Stage:
    env: Any
    store: Store
    narrator: Narrator
    cast: Cast
    out_dir: Path

    async def slash(self, who: str, actor: Any, channel: Any, name: str, **options: Any) -> Any:
        self.narrator.command(who, name, options)
        result = await actor.slash(channel, name, **options)
        self.narrator.result(who, result)
        return result

    async def click(self, who: str, actor: Any, message: Any, custom_id: str, label: str, *,
                    in_dm: bool = False) -> Any:
        self.narrator.action(who, f"taps “{label}”")
        result = await actor.click(message, custom_id=custom_id)
        self.narrator.result(who, result, in_dm=in_dm)
        return result

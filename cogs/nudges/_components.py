"""The two buttons on every nudge DM: "Less often" and "Stop". DynamicItems, so they work after a restart;
the scope (the digest, or the other nudges) lives in the custom_id: `hearth:nudge:{less|stop}:{scope}`."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Literal

import discord

from bot.ui.components import Guarded, loaded_cog

if TYPE_CHECKING:
    from cogs.nudges import NudgesCog

COG_NAME = "Nudges"
NudgeScope = Literal["digest", "nudges"]


def _cog(interaction: discord.Interaction) -> NudgesCog:
    cog: NudgesCog = loaded_cog(interaction, COG_NAME)
    return cog


def nudge_view(scope: NudgeScope) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(LessOftenButton(scope))
    view.add_item(StopNudgesButton(scope))
    return view


class LessOftenButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                      template=r"hearth:nudge:less:(?P<scope>digest|nudges)"):
    """The digest every other week, or the quiet-member window doubled."""

    def __init__(self, scope: NudgeScope) -> None:
        self.scope: NudgeScope = scope
        super().__init__(discord.ui.Button(label="Less often", style=discord.ButtonStyle.secondary,
                                           custom_id=f"hearth:nudge:less:{scope}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> LessOftenButton:
        return cls("digest" if match["scope"] == "digest" else "nudges")

    async def run(self, interaction: discord.Interaction) -> None:
        prefs, changed = await _cog(interaction).service.less_often(interaction.user.id, self.scope)
        if prefs is None or not prefs.any_enabled:
            text = "Nudges are off already, so there's nothing to slow down. `/nudges on` brings them back."
        elif self.scope == "digest" and not prefs.digest_enabled:
            text = "Your digest is off already. `/nudges on` brings it back."
        elif self.scope == "nudges" and not prefs.quiet_enabled:
            text = ("Buddy suggestions come at most once a round, and never more than one nudge a week. `Stop` "
                    "turns them off.")
        elif self.scope == "digest":
            text = ("Done: your digest comes every other week now." if changed
                    else "Your digest already comes every other week.")
            text += " `Stop` turns it off, and `/nudges on` changes the day or time."
        elif changed:
            text = (f"Done: I'll only check in after **{prefs.quiet_days} days** without news from you. "
                    "Still at most one nudge a week.")
        else:
            text = (f"That's already as seldom as it gets ({prefs.quiet_days} days). `Stop` turns these off "
                    "completely.")
        await interaction.response.send_message(text, ephemeral=True)


class StopNudgesButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                       template=r"hearth:nudge:stop:(?P<scope>digest|nudges)"):
    """Stop the digest (on a digest) or the other nudges (on a nudge). `/nudges off` stops everything."""

    def __init__(self, scope: NudgeScope) -> None:
        self.scope: NudgeScope = scope
        super().__init__(discord.ui.Button(label="Stop", style=discord.ButtonStyle.secondary,
                                           custom_id=f"hearth:nudge:stop:{scope}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> StopNudgesButton:
        return cls("digest" if match["scope"] == "digest" else "nudges")

    async def run(self, interaction: discord.Interaction) -> None:
        stopped = await _cog(interaction).service.stop(interaction.user.id, self.scope)
        what = "weekly digest" if self.scope == "digest" else "nudges"
        if stopped:
            text = f"Done: no more {what}. If you'd like them back, `/nudges on` is there any time."
        else:
            text = f"The {what} {'is' if self.scope == 'digest' else 'are'} already off."
        await interaction.response.send_message(text, ephemeral=True)


DYNAMIC_ITEMS = (LessOftenButton, StopNudgesButton)

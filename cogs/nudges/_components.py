"""The two buttons on every nudge DM: "Less often" and "Stop". DynamicItems, so they work after a restart;
the scope (the digest, or the other nudges) lives in the custom_id: `hearth:nudge:{less|stop}:{scope}`."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Literal

import discord

from bot.i18n import _, n_, p_
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
        # i18n: a button on every nudge DM
        super().__init__(discord.ui.Button(label=p_("button", "Less often"), style=discord.ButtonStyle.secondary,
                                           custom_id=f"hearth:nudge:less:{scope}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> LessOftenButton:
        return cls("digest" if match["scope"] == "digest" else "nudges")

    async def run(self, interaction: discord.Interaction) -> None:
        prefs, changed = await _cog(interaction).service.less_often(interaction.user.id, self.scope)
        # `Stop` in these answers is the other button on the nudge.
        if prefs is None or not prefs.any_enabled:
            text = _("Nudges are off already, so there's nothing to slow down. `/nudges on` brings them back.")
        elif self.scope == "digest" and not prefs.digest_enabled:
            text = _("Your digest is off already. `/nudges on` brings it back.")
        elif self.scope == "nudges" and not prefs.quiet_enabled:
            # i18n: `Stop` is the name of the button beside "Less often"
            text = _("Buddy suggestions come at most once a round, and never more than one nudge a week. `Stop` "
                     "turns them off.")
        elif self.scope == "digest":
            # i18n: `Stop` is the name of the button beside "Less often"
            text = (_("Done: your digest comes every other week now. `Stop` turns it off, and `/nudges on` changes "
                      "the day or time.") if changed
                    else _("Your digest already comes every other week. `Stop` turns it off, and `/nudges on` "
                           "changes the day or time."))
        elif changed:
            text = n_("Done: I'll only check in after **{count} day** without news from you. Still at most one "
                      "nudge a week.", "Done: I'll only check in after **{count} days** without news from you. "
                      "Still at most one nudge a week.", prefs.quiet_days)
        else:
            # i18n: `Stop` is the name of the button beside "Less often"
            text = n_("That's already as seldom as it gets ({count} day). `Stop` turns these off completely.",
                      "That's already as seldom as it gets ({count} days). `Stop` turns these off completely.",
                      prefs.quiet_days)
        await interaction.response.send_message(text, ephemeral=True)


class StopNudgesButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                       template=r"hearth:nudge:stop:(?P<scope>digest|nudges)"):
    """Stop the digest (on a digest) or the other nudges (on a nudge). `/nudges off` stops everything."""

    def __init__(self, scope: NudgeScope) -> None:
        self.scope: NudgeScope = scope
        # i18n: a button on every nudge DM: no more of these
        super().__init__(discord.ui.Button(label=p_("button", "Stop"), style=discord.ButtonStyle.secondary,
                                           custom_id=f"hearth:nudge:stop:{scope}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> StopNudgesButton:
        return cls("digest" if match["scope"] == "digest" else "nudges")

    async def run(self, interaction: discord.Interaction) -> None:
        stopped = await _cog(interaction).service.stop(interaction.user.id, self.scope)
        if self.scope == "digest":
            text = (_("Done: no more weekly digest. If you'd like them back, `/nudges on` is there any time.")
                    if stopped else _("The weekly digest is already off."))
        else:
            text = (_("Done: no more nudges. If you'd like them back, `/nudges on` is there any time.") if stopped
                    else _("The nudges are already off."))
        await interaction.response.send_message(text, ephemeral=True)


DYNAMIC_ITEMS = (LessOftenButton, StopNudgesButton)

"""`/privacy delete`: what will go, then Delete or Cancel. Both buttons are bound to the member who asked (their
id is in the custom_id: anyone else, even with a forged click, is refused and nothing changes), and they work
after a restart: the scope is in the custom_id too, and the deletion reads everything fresh when pressed."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.domain.privacy import Held, Scope
from bot.i18n import N_, _, n_, p_
from bot.ui.components import Guarded
from bot.ui.formatting import HEARTH_COLOUR
from bot.ui.replies import reply_ephemeral
from cogs._common import MEETUP_ANSWERS_CHANGED

if TYPE_CHECKING:
    from bot.services.privacy import PrivacyService

SCOPE_CHOICES = [app_commands.Choice(name="this server", value="server"),
                 app_commands.Choice(name="everywhere", value="everywhere")]
# i18n: someone pressed the Delete or Cancel button of another member's /privacy delete
NOT_YOURS = N_("These buttons belong to the member who asked to delete their data, so nothing was changed. To "
               "delete yours, run `/privacy delete` yourself.")
NOTHING_ANYWHERE = N_("Hearth holds nothing about you anywhere: there is nothing to delete.")
NOTHING_HERE = N_("Hearth holds nothing about you in this server: there is nothing to delete.")
# i18n: the member pressed Cancel on /privacy delete
CANCELLED = N_("Nothing was deleted. Your data stays as it was; `/privacy delete` asks again whenever you like.")


def _privacy(interaction: discord.Interaction) -> PrivacyService:
    service: PrivacyService = interaction.client.services.privacy  # type: ignore[attr-defined]
    return service


def confirm_embed(held: Held, scope: Scope) -> discord.Embed:
    if scope.everywhere:
        title = _("Delete everything Hearth holds about you?")
    else:
        title = _("Delete what Hearth holds about you in this server?")
    lines = "\n".join(f"• {line}" for line in held.lines())
    # i18n: {lines} is a list, one line each (“• 3 check-ins”)
    description = _("This deletes:\n{lines}\n\n**This can't be undone.** Want a copy first? `/privacy export` "
                    "sends you one.", lines=lines)
    embed = discord.Embed(title=title, colour=HEARTH_COLOUR, description=description)
    if scope.everywhere:
        stays = _("Meetups you organised stay for the server, no longer linked to you. Buddies you were paired "
                  "with keep only that they met *someone*, so Hearth doesn't pair you again; blocks someone made "
                  "stay too. Community totals organisers have already seen (weeks with five or more members) stay "
                  "as they were; they never name anyone.")
    else:
        # i18n: `everywhere` is the name of /privacy delete's other choice (at most 1024 characters)
        stays = _("Your settings (time zone, quiet hours, DMs, privacy-notice answer) and your data from other "
                  "servers or from DMs stay: choose `everywhere` to delete those too. Meetups you organised stay "
                  "for the server, no longer linked to you. Buddies you were paired with keep only that they met "
                  "*someone*, so Hearth doesn't pair you again; blocks someone made stay too. Community totals "
                  "organisers have already seen (weeks with five or more members) stay as they were; they never "
                  "name anyone.")
    # i18n: the heading of what /privacy delete does not delete
    embed.add_field(name=_("What stays"), value=stays, inline=False)
    embed.set_footer(text=_("Only you can see this."))
    return embed


def done_text(held: Held, scope: Scope) -> str:
    if scope.everywhere:
        return _("✅ Done: everything Hearth held about you is deleted, everywhere, and nothing more is scheduled "
                 "for you. If you use Hearth again it starts afresh, and asks about the privacy notice first.")
    if not held.scheduled:
        return _("✅ Done: what Hearth held about you in this server is deleted, and nothing more is scheduled for "
                 "you here.")
    return n_("✅ Done: what Hearth held about you in this server is deleted, and nothing more is scheduled for you "
              "here. ({count} scheduled message cancelled.)",
              "✅ Done: what Hearth held about you in this server is deleted, and nothing more is scheduled for you "
              "here. ({count} scheduled messages cancelled.)", held.scheduled)


async def ask_to_delete(interaction: discord.Interaction, privacy: PrivacyService, choice: str) -> None:
    scope = Scope.chosen(choice, interaction.guild_id)
    await interaction.response.defer(ephemeral=True, thinking=True)
    held = await privacy.summary(interaction.user.id, scope)
    if held.empty:
        nothing = NOTHING_ANYWHERE if scope.everywhere else NOTHING_HERE
        await interaction.followup.send(_(nothing), ephemeral=True)
        return
    view = discord.ui.View(timeout=None)
    view.add_item(ConfirmDelete(interaction.user.id, scope.code))
    view.add_item(CancelDelete(interaction.user.id))
    await interaction.followup.send(embed=confirm_embed(held, scope), view=view, ephemeral=True)


class ConfirmDelete(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                    template=r"hearth:privacy:delete:(?P<owner>\d+):(?P<scope>\d+)"):
    """Delete, now: the member's data in the scope (0: everywhere), in one transaction."""

    def __init__(self, owner_id: int, scope: int) -> None:
        self.owner_id, self.scope = owner_id, Scope.from_code(scope)
        super().__init__(discord.ui.Button(label=p_("button", "Delete"), emoji="🗑️", style=discord.ButtonStyle.danger,
                                           custom_id=f"hearth:privacy:delete:{owner_id}:{scope}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> ConfirmDelete:
        return cls(int(match["owner"]), int(match["scope"]))

    async def run(self, interaction: discord.Interaction) -> None:
        if interaction.user.id != self.owner_id:
            await reply_ephemeral(interaction, _(NOT_YOURS))
            return
        await interaction.response.defer()  # one transaction, but over every table
        deleted = await _privacy(interaction).delete(self.owner_id, self.scope)
        await interaction.edit_original_response(content=done_text(deleted.held, self.scope), embed=None, view=None)
        if deleted.meetups:  # the announcements still count their answers
            interaction.client.dispatch(MEETUP_ANSWERS_CHANGED, list(deleted.meetups))


class CancelDelete(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                   template=r"hearth:privacy:keep:(?P<owner>\d+)"):
    def __init__(self, owner_id: int) -> None:
        self.owner_id = owner_id
        super().__init__(discord.ui.Button(label=p_("button", "Cancel"), style=discord.ButtonStyle.secondary,
                                           custom_id=f"hearth:privacy:keep:{owner_id}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> CancelDelete:
        return cls(int(match["owner"]))

    async def run(self, interaction: discord.Interaction) -> None:
        if interaction.user.id != self.owner_id:
            await reply_ephemeral(interaction, _(NOT_YOURS))
            return
        await interaction.response.edit_message(content=_(CANCELLED), embed=None, view=None)


DELETE_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (ConfirmDelete, CancelDelete)

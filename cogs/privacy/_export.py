"""`/privacy export`: everything Hearth holds about the member, as a JSON file by DM (here, privately, when
Discord won't let Hearth DM them or they turned Hearth's DMs off)."""

from __future__ import annotations

import io

import discord

from bot.i18n import N_, _
from bot.services.privacy import Export, PrivacyService
from bot.tree import CANNOT_DM

# Every text ends with (or has) the same note on the format: keep `hearth-export` and the file name as they are.
# i18n: a DM with the member's data export attached (a JSON file)
DM_TEXT = N_("📦 Here is everything Hearth holds about you, in every server. It's JSON (format `hearth-export`, "
             "version 1): every section is explained in Hearth's `docs/export-format.md`. It includes your "
             "check-in notes, so keep it somewhere private.")
SENT = N_("📬 I've sent your export to you by direct message. Only you can see it there.")
HERE_CLOSED = N_("I couldn't send you a direct message (Discord won't let me: your DM settings), so here is your "
                 "export instead. Only you can see this; save the file now, it goes when you dismiss this message. "
                 "It's JSON (format `hearth-export`, version 1): every section is explained in Hearth's "
                 "`docs/export-format.md`.")
HERE_DMS_OFF = N_("You've turned Hearth's DMs off, so here is your export instead of a DM. Only you can see this; "
                  "save the file now, it goes when you dismiss this message. It's JSON (format `hearth-export`, "
                  "version 1): every section is explained in Hearth's `docs/export-format.md`.")
HERE = N_("📦 Here is everything Hearth holds about you, in every server. Only you can see this. It's JSON (format "
          "`hearth-export`, version 1): every section is explained in Hearth's `docs/export-format.md`.")


def _file(export: Export) -> discord.File:
    return discord.File(io.BytesIO(export.data), filename=export.filename)


async def send_export(interaction: discord.Interaction, privacy: PrivacyService) -> None:
    await interaction.response.defer(ephemeral=True, thinking=True)  # reading every table can take a moment
    export = await privacy.export(interaction.user.id)
    if interaction.guild_id is None:  # asked in our DMs already: the answer is the DM
        await interaction.followup.send(_(HERE), file=_file(export), ephemeral=True)
        return
    if not export.dm_allowed:
        await interaction.followup.send(_(HERE_DMS_OFF), file=_file(export), ephemeral=True)
        return
    try:
        await interaction.user.send(_(DM_TEXT), file=_file(export))
    except discord.Forbidden as error:
        if error.code != CANNOT_DM:
            raise
        await interaction.followup.send(_(HERE_CLOSED), file=_file(export), ephemeral=True)
        return
    await interaction.followup.send(_(SENT), ephemeral=True)

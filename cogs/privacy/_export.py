"""`/privacy export`: everything Hearth holds about the member, as a JSON file by DM (here, privately, when
Discord won't let Hearth DM them or they turned Hearth's DMs off)."""

from __future__ import annotations

import io

import discord

from bot.services.privacy import Export, PrivacyService
from bot.tree import CANNOT_DM

FORMAT_NOTE = ("It's JSON (format `hearth-export`, version 1): every section is explained in Hearth's "
               "`docs/export-format.md`.")
DM_TEXT = ("📦 Here is everything Hearth holds about you, in every server. " + FORMAT_NOTE
           + " It includes your check-in notes, so keep it somewhere private.")
SENT = "📬 I've sent your export to you by direct message. Only you can see it there."
HERE_CLOSED = ("I couldn't send you a direct message (Discord won't let me: your DM settings), so here is your "
               "export instead. Only you can see this; save the file now, it goes when you dismiss this message. "
               + FORMAT_NOTE)
HERE_DMS_OFF = ("You've turned Hearth's DMs off, so here is your export instead of a DM. Only you can see this; "
                "save the file now, it goes when you dismiss this message. " + FORMAT_NOTE)
HERE = "📦 Here is everything Hearth holds about you, in every server. Only you can see this. " + FORMAT_NOTE


def _file(export: Export) -> discord.File:
    return discord.File(io.BytesIO(export.data), filename=export.filename)


async def send_export(interaction: discord.Interaction, privacy: PrivacyService) -> None:
    await interaction.response.defer(ephemeral=True, thinking=True)  # reading every table can take a moment
    export = await privacy.export(interaction.user.id)
    if interaction.guild_id is None:  # asked in our DMs already: the answer is the DM
        await interaction.followup.send(HERE, file=_file(export), ephemeral=True)
        return
    if not export.dm_allowed:
        await interaction.followup.send(HERE_DMS_OFF, file=_file(export), ephemeral=True)
        return
    try:
        await interaction.user.send(DM_TEXT, file=_file(export))
    except discord.Forbidden as error:
        if error.code != CANNOT_DM:
            raise
        await interaction.followup.send(HERE_CLOSED, file=_file(export), ephemeral=True)
        return
    await interaction.followup.send(SENT, ephemeral=True)

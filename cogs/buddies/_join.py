"""`/buddy join` and `/buddy edit`: a short private form of selects, plus a modal for area and own tags."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

from bot.domain.buddies import FREQUENCIES, PREFERENCES, BuddyConfig, BuddyProfile, Frequency, Preference
from bot.ui.components import HearthModal, HearthView

if TYPE_CHECKING:
    from cogs.buddies import BuddiesCog


class JoinForm(HearthView):
    def __init__(self, cog: BuddiesCog, config: BuddyConfig, current: BuddyProfile | None) -> None:
        super().__init__(timeout=900)
        self.cog, self.guild_id = cog, config.guild_id
        self.interests: list[str] = [i for i in (current.interests if current else ()) if i in config.interests]
        own = [i for i in (current.interests if current else ()) if i not in config.interests]
        self.tags: str | None = ", ".join(own) or None
        self.area: str | None = current.area if current else None
        self.preference: Preference | str = current.preference if current else "either"
        self.frequency: Frequency | str = current.frequency if current else "every"
        if config.interests:
            options = [discord.SelectOption(label=interest[:100], value=interest[:100],
                                            default=interest in self.interests)
                       for interest in config.interests[:25]]
            interests: discord.ui.Select[JoinForm] = discord.ui.Select(
                placeholder="Your interests (pick any)", min_values=0, max_values=len(options), options=options,
                custom_id="hearth:bd:join:interests", row=0)
            interests.callback = self._picker(interests, "interests")  # type: ignore[method-assign]
            self.add_item(interests)
        preference: discord.ui.Select[JoinForm] = discord.ui.Select(
            placeholder="How would you like to meet?", custom_id="hearth:bd:join:preference", row=1,
            options=[discord.SelectOption(label=f"Meet {label}", value=value, default=value == self.preference)
                     for value, label in PREFERENCES.items()])
        preference.callback = self._picker(preference, "preference")  # type: ignore[method-assign]
        self.add_item(preference)
        frequency: discord.ui.Select[JoinForm] = discord.ui.Select(
            placeholder="How often?", custom_id="hearth:bd:join:frequency", row=2,
            options=[discord.SelectOption(label=label.capitalize(), value=value, default=value == self.frequency)
                     for value, label in FREQUENCIES.items()])
        frequency.callback = self._picker(frequency, "frequency")  # type: ignore[method-assign]
        self.add_item(frequency)

    def _picker(self, select: discord.ui.Select[JoinForm], field: str) -> Any:
        """A select's choice is kept on the form until Save; nothing is stored before then."""
        async def pick(interaction: discord.Interaction) -> None:
            setattr(self, field, list(select.values) if field == "interests" else select.values[0])
            await interaction.response.defer()
        return pick

    @discord.ui.button(label="Area and own interests…", emoji="📍", row=3, custom_id="hearth:bd:join:more")
    async def more(self, interaction: discord.Interaction, button: discord.ui.Button[JoinForm]) -> None:
        await interaction.response.send_modal(AreaModal(self))

    @discord.ui.button(label="Save", style=discord.ButtonStyle.success, row=3, custom_id="hearth:bd:join:save")
    async def save(self, interaction: discord.Interaction, button: discord.ui.Button[JoinForm]) -> None:
        profile = await self.cog.services.buddies.join(guild_id=self.guild_id, user_id=interaction.user.id,
                                              interests=self.interests, tags=self.tags, area=self.area,
                                              preference=self.preference, frequency=self.frequency)
        self.stop()
        await interaction.response.edit_message(content=joined_text(profile), view=None)

class AreaModal(HearthModal, title="About you (both optional)"):
    area: discord.ui.TextInput[AreaModal] = discord.ui.TextInput(
        label="Your area: a town, city or region", placeholder="e.g. Leeds, or West Cork. Never an address.",
        required=False, max_length=60, custom_id="area")
    tags: discord.ui.TextInput[AreaModal] = discord.ui.TextInput(
        label="Your own interests, separated by commas", placeholder="e.g. birdwatching, chess, baking",
        required=False, max_length=300, custom_id="tags")

    def __init__(self, form: JoinForm) -> None:
        super().__init__(custom_id="hearth:bd:join:modal")
        self.form = form
        self.area.default = form.area
        self.tags.default = form.tags

    async def on_submit(self, interaction: discord.Interaction) -> None:
        self.form.area = self.area.value or None
        self.form.tags = self.tags.value or None
        summary = f"Area: {self.form.area or 'not given'} · Own interests: {self.form.tags or 'none'}"
        await interaction.response.edit_message(content=f"{FORM_TEXT}\n{summary}", view=self.form)

FORM_TEXT = ("Tell me a little so I can find you a buddy you could actually meet. Only your buddy sees your area "
             "and interests. Press **Save** when you're done.")


def joined_text(profile: BuddyProfile) -> str:
    interests = ", ".join(profile.interests) or "none yet"
    area = profile.area or "not given"
    return (f"You're in the buddy pool! 🎉\nMeeting: {PREFERENCES[profile.preference]} · How often: "
            f"{FREQUENCIES[profile.frequency]} · Area: {area}\nInterests: {interests}\n"
            "I'll introduce you to someone at the next round. `/buddy pause` or `/buddy leave` any time.")

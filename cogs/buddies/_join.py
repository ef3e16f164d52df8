"""`/buddy join` and `/buddy edit`: a short private form of selects, plus a modal for area and own tags.

The member's choices wait in memory on the form (`JoinForm`, a LiveView) until Save. Its controls are
DynamicItems carrying the owner's id and the form's token: they refuse anyone else, and after a restart or
expiry (the choices are gone) they say so in a sentence instead of failing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.domain.buddies import FREQUENCIES, PREFERENCES, BuddyConfig, BuddyProfile, Frequency, Preference
from bot.ui.components import Guarded, HearthModal
from bot.ui.live import NOT_YOURS, LiveView, find_live, is_owner
from bot.ui.replies import reply_ephemeral
from cogs._consent import gated

if TYPE_CHECKING:
    from cogs.buddies import BuddiesCog

FORM_LIFETIME = 900.0
EXPIRED = ("This form has expired, so nothing was saved. Run `/buddy join` (or `/buddy edit`) again to fill in a "
           "fresh one.")


class JoinForm(LiveView):
    def __init__(self, cog: BuddiesCog, owner_id: int, config: BuddyConfig, current: BuddyProfile | None) -> None:
        super().__init__(cog.bot, owner_id, timeout=FORM_LIFETIME)
        self.cog, self.guild_id = cog, config.guild_id
        self.editing = current is not None and current.active
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
            self.add_item(JoinSelect(self._select(
                "interests", row=0, placeholder="Your interests (pick any)", min_values=0, max_values=len(options),
                options=options)))
        self.add_item(JoinSelect(self._select(
            "preference", row=1, placeholder="How would you like to meet?",
            options=[discord.SelectOption(label=f"Meet {label}", value=value, default=value == self.preference)
                     for value, label in PREFERENCES.items()])))
        self.add_item(JoinSelect(self._select(
            "frequency", row=2, placeholder="How often?",
            options=[discord.SelectOption(label=label.capitalize(), value=value, default=value == self.frequency)
                     for value, label in FREQUENCIES.items()])))
        self.add_item(JoinButton("more", owner_id, self.token))
        self.add_item(JoinButton("save", owner_id, self.token))

    def _select(self, field: str, **options: Any) -> discord.ui.Select[Any]:
        return discord.ui.Select(custom_id=f"hearth:bd:join:{field}:{self.owner_id}:{self.token}", **options)

    def pick(self, field: str, values: list[str]) -> None:
        """A select's choice is kept on the form until Save; nothing is stored before then."""
        setattr(self, field, list(values) if field == "interests" else values[0])

    async def save(self, interaction: discord.Interaction) -> None:
        profile = await self.cog.services.buddies.join(guild_id=self.guild_id, user_id=self.owner_id,
                                                       interests=self.interests, tags=self.tags, area=self.area,
                                                       preference=self.preference, frequency=self.frequency)
        self.stop()
        await interaction.response.edit_message(content=joined_text(profile, edited=self.editing), embed=None,
                                                view=None)


async def _form_or_refusal(interaction: discord.Interaction, owner_id: int, token: str) -> JoinForm | None:
    """The member's live form; None (with a sentence already sent) for anyone else, or when it expired."""
    if not is_owner(interaction, owner_id):
        await reply_ephemeral(interaction, NOT_YOURS)
        return None
    form = find_live(interaction, token, JoinForm, owner_id)
    if form is None:
        await interaction.response.edit_message(content=EXPIRED, embed=None, view=None)
    return form


class JoinSelect(Guarded, discord.ui.DynamicItem[discord.ui.Select[Any]],
                 template=r"hearth:bd:join:(?P<field>interests|preference|frequency):(?P<owner>\d+):(?P<token>\w+)"):
    def __init__(self, select: discord.ui.Select[Any]) -> None:
        super().__init__(select)
        match = re.fullmatch(self.__discord_ui_compiled_template__, select.custom_id)
        assert match is not None
        self.field, self.owner_id, self.token = match["field"], int(match["owner"]), match["token"]

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> JoinSelect:
        assert isinstance(item, discord.ui.Select)
        return cls(item)

    async def run(self, interaction: discord.Interaction) -> None:
        form = await _form_or_refusal(interaction, self.owner_id, self.token)
        if form is None:
            return
        form.pick(self.field, [str(value) for value in self.item.values])
        await interaction.response.defer()


class JoinButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                 template=r"hearth:bd:join:(?P<action>more|save):(?P<owner>\d+):(?P<token>\w+)"):
    def __init__(self, action: str, owner_id: int, token: str) -> None:
        self.action, self.owner_id, self.token = action, owner_id, token
        if action == "more":
            button: discord.ui.Button[Any] = discord.ui.Button(label="Area and own interests…", emoji="📍", row=3,
                                                               custom_id=f"hearth:bd:join:more:{owner_id}:{token}")
        else:
            button = discord.ui.Button(label="Save", style=discord.ButtonStyle.success, row=3,
                                       custom_id=f"hearth:bd:join:save:{owner_id}:{token}")
        super().__init__(button)

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> JoinButton:
        return cls(match["action"], int(match["owner"]), match["token"])

    async def run(self, interaction: discord.Interaction) -> None:
        form = await _form_or_refusal(interaction, self.owner_id, self.token)
        if form is None:
            return
        if self.action == "more":
            await interaction.response.send_modal(AreaModal(form))
            return
        # Signing up may need the privacy notice (or the server's minimum age) first; "I agree" then saves
        # these same choices.
        await gated(interaction, form.save, again="buddy", in_place=True)


class AreaModal(HearthModal, title="About you (both optional)"):
    area: discord.ui.TextInput[AreaModal] = discord.ui.TextInput(
        label="Your area: a town, city or region", placeholder="e.g. Leeds, or West Cork. Never an address.",
        required=False, max_length=60, custom_id="area")
    tags: discord.ui.TextInput[AreaModal] = discord.ui.TextInput(
        label="Your own interests, separated by commas", placeholder="e.g. birdwatching, chess, baking",
        required=False, max_length=300, custom_id="tags")

    def __init__(self, form: JoinForm) -> None:
        # Unique per form: discord.py finds an open modal by custom_id alone.
        super().__init__(custom_id=f"hearth:bd:join:modal:{form.owner_id}:{form.token}")
        self.form = form
        self.area.default = form.area
        self.tags.default = form.tags

    async def on_submit(self, interaction: discord.Interaction) -> None:
        if not is_owner(interaction, self.form.owner_id):
            await reply_ephemeral(interaction, NOT_YOURS)
            return
        self.form.area = self.area.value or None
        self.form.tags = self.tags.value or None
        summary = f"Area: {self.form.area or 'not given'} · Own interests: {self.form.tags or 'none'}"
        await interaction.response.edit_message(content=f"{FORM_TEXT}\n{summary}", view=self.form)


JOIN_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (JoinSelect, JoinButton)

FORM_TEXT = ("Tell me a little so I can find you a buddy you could actually meet. Only your buddy sees your area "
             "and interests. Press **Save** when you're done.")


def joined_text(profile: BuddyProfile, *, edited: bool = False) -> str:
    interests = ", ".join(profile.interests) or "none yet"
    area = profile.area or "not given"
    opening = "Saved: your buddy profile is updated." if edited else "You're in the buddy pool! 🎉"
    return (f"{opening}\nMeeting: {PREFERENCES[profile.preference]} · How often: "
            f"{FREQUENCIES[profile.frequency]} · Area: {area}\nInterests: {interests}\n"
            "I'll introduce you to someone at the next round. `/buddy pause` or `/buddy leave` any time.")

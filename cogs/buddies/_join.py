"""`/buddy join` and `/buddy edit`: a short private form of selects, plus a modal for area and own tags.

The member's choices wait in memory on the form (`JoinForm`, a LiveView) until Save. Its controls are
DynamicItems carrying the owner's id and the form's token: they refuse anyone else, and after a restart or
expiry (the choices are gone) they say so in a sentence instead of failing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.domain.buddies import (
    FREQUENCIES,
    PREFERENCES,
    BuddyConfig,
    BuddyProfile,
    Frequency,
    Preference,
    interest_name,
)
from bot.i18n import N_, _, p_
from bot.ui.components import Guarded, HearthModal
from bot.ui.live import NOT_YOURS, LiveView, find_live, is_owner
from bot.ui.replies import reply_ephemeral
from cogs._consent import gated

if TYPE_CHECKING:
    from cogs.buddies import BuddiesCog

FORM_LIFETIME = 900.0
# i18n: the /buddy join form was used after it expired; keep the commands as they are
EXPIRED = N_("This form has expired, so nothing was saved. Run `/buddy join` (or `/buddy edit`) again to fill in "
             "a fresh one.")


def _preference_options(chosen: str) -> list[discord.SelectOption]:
    # i18n: how a member would like to meet their buddy, in the /buddy join form
    labels: dict[Preference, str] = {"in_person": p_("select option", "Meet in person"),
                                     "online": p_("select option", "Meet online"),
                                     "either": p_("select option", "Meet in person or online")}
    return [discord.SelectOption(label=labels[value], value=value, default=value == chosen) for value in PREFERENCES]


def _frequency_options(chosen: str) -> list[discord.SelectOption]:
    # i18n: how often a member is paired with a buddy, in the /buddy join form
    labels: dict[Frequency, str] = {"every": p_("select option", "Every round"),
                                    "every_other": p_("select option", "Every other round")}
    return [discord.SelectOption(label=labels[value], value=value, default=value == chosen) for value in FREQUENCIES]


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
            options = [discord.SelectOption(label=interest_name(interest)[:100], value=interest[:100],
                                            default=interest in self.interests)
                       for interest in config.interests[:25]]
            self.add_item(JoinSelect(self._select(
                "interests", row=0, placeholder=p_("placeholder", "Your interests (pick any)"), min_values=0,
                max_values=len(options), options=options)))
        self.add_item(JoinSelect(self._select(
            "preference", row=1, placeholder=p_("placeholder", "How would you like to meet?"),
            options=_preference_options(self.preference))))
        self.add_item(JoinSelect(self._select(
            "frequency", row=2, placeholder=p_("placeholder", "How often?"),
            options=_frequency_options(self.frequency))))
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
        await reply_ephemeral(interaction, _(NOT_YOURS))
        return None
    form = find_live(interaction, token, JoinForm, owner_id)
    if form is None:
        await interaction.response.edit_message(content=_(EXPIRED), embed=None, view=None)
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
            # i18n: in the /buddy join form: opens a small form for the member's area and their own interests
            label = p_("button", "Area and own interests…")
            button: discord.ui.Button[Any] = discord.ui.Button(label=label, emoji="📍", row=3,
                                                               custom_id=f"hearth:bd:join:more:{owner_id}:{token}")
        else:
            # i18n: in the /buddy join form; the form's text says “Press **Save** when you're done”
            button = discord.ui.Button(label=p_("button", "Save"), style=discord.ButtonStyle.success, row=3,
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


class AreaModal(HearthModal):
    def __init__(self, form: JoinForm) -> None:
        # Unique per form: discord.py finds an open modal by custom_id alone.
        # i18n: the form for a member's area and own interests, in /buddy join; both fields may be left empty
        super().__init__(title=p_("modal title", "About you (both optional)"),
                         custom_id=f"hearth:bd:join:modal:{form.owner_id}:{form.token}")
        self.form = form
        self.area: discord.ui.TextInput[AreaModal] = discord.ui.TextInput(
            label=p_("text input label", "Your area: a town, city or region"),
            # i18n: Leeds and West Cork are example places: use places your readers know
            placeholder=p_("placeholder", "e.g. Leeds, or West Cork. Never an address."),
            required=False, max_length=60, custom_id="area", default=form.area)
        self.tags: discord.ui.TextInput[AreaModal] = discord.ui.TextInput(
            label=p_("text input label", "Your own interests, separated by commas"),
            placeholder=p_("placeholder", "e.g. birdwatching, chess, baking"),
            required=False, max_length=300, custom_id="tags", default=form.tags)
        self.add_item(self.area)
        self.add_item(self.tags)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        if not is_owner(interaction, self.form.owner_id):
            await reply_ephemeral(interaction, _(NOT_YOURS))
            return
        self.form.area = self.area.value or None
        self.form.tags = self.tags.value or None
        # i18n: under the /buddy join form's text, once the member filled in their area and own interests
        summary = _("Area: {area} · Own interests: {interests}", area=self.form.area or _("not given"),
                    interests=self.form.tags or _("none"))
        await interaction.response.edit_message(content=f"{_(FORM_TEXT)}\n{summary}", view=self.form)


JOIN_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (JoinSelect, JoinButton)

# i18n: the text of the /buddy join form; “Save” is the name of its button
FORM_TEXT = N_("Tell me a little so I can find you a buddy you could actually meet. Only your buddy sees your "
               "area and interests. Press **Save** when you're done.")


def joined_text(profile: BuddyProfile, *, edited: bool = False) -> str:
    interests = ", ".join(interest_name(interest) for interest in profile.interests) or _("none yet")
    area = profile.area or _("not given")
    opening = _("Saved: your buddy profile is updated.") if edited else _("You're in the buddy pool! 🎉")
    # i18n: a member's buddy profile after saving it; {meeting} is "in person", "online" or "in person or online",
    # {often} "every round" or "every other round", {area} a town or region, {interests} a list
    details = _("Meeting: {meeting} · How often: {often} · Area: {area}\nInterests: {interests}",
                meeting=_(PREFERENCES[profile.preference]), often=_(FREQUENCIES[profile.frequency]), area=area,
                interests=interests)
    # i18n: keep the commands as they are
    closing = _("I'll introduce you to someone at the next round. `/buddy pause` or `/buddy leave` any time.")
    return f"{opening}\n{details}\n{closing}"

"""Gates in front of a member's action: the privacy notice ("I agree") and a server's minimum age ("I'm N or
older"). Shared by every cog whose action stores a member's data.

`gated(interaction, action, again=...)` runs the action; when its use case raises `ConsentRequired` or
`AgeRequired`, the member sees a short notice with a button instead. Pressing it records the answer and runs
the same action again with the button's interaction: no retyping. The action (with whatever the member had
chosen) is kept in memory with the notice's view, in a per-bot registry keyed by a token in the custom_id.

The buttons are DynamicItems with the owner's user id in the custom_id: they refuse anyone else, and after a
restart or expiry (the action is gone) they still record the answer and say what to do next.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import TYPE_CHECKING, Any, Literal

import discord

from bot.domain.ages import AgeRequired
from bot.domain.consent import NOTICE_TITLE, NOTICE_VERSION, Consent, ConsentRequired, notice_text
from bot.i18n import N_, _, p_
from bot.ui.components import Guarded
from bot.ui.formatting import HEARTH_COLOUR, timestamp
from bot.ui.live import NOT_YOURS, LiveView, find_live
from bot.ui.replies import reply_ephemeral

if TYPE_CHECKING:
    from bot.services import Services

Action = Callable[[discord.Interaction], Awaitable[None]]
Again = Literal["checkin", "prompt", "buddy", "nudges", "reminders", "rsvp", "notice"]

# What the member does after a restart lost their request: the custom_id carries the key, not the sentence.
AGAIN: dict[str, str] = {
    # i18n: after the member agreed or confirmed their age, what to do next (as are the ones after it)
    "checkin": N_("Please run `/checkin` again."),
    "prompt": N_("Please tap a mood on your check-in prompt again."),
    "buddy": N_("Please run `/buddy join` again."),
    "nudges": N_("Please run `/nudges on` again."),
    "reminders": N_("Please run `/mood reminders` again."),
    "rsvp": N_("Please press the meetup's button again."),
    "notice": N_("You can check in, join the buddy pool and choose nudges whenever you like."),
}
# Where the member finds it again after "Not now": the whole answer.
COME_BACK: dict[str, str] = {
    # i18n: the member pressed “Not now” on the privacy notice (as are the ones after it)
    "checkin": N_("No problem: nothing was saved. Whenever you're ready, `/checkin` brings this back."),
    "prompt": N_("No problem: nothing was saved. Whenever you're ready, a mood on your next check-in prompt "
                 "brings this back."),
    "buddy": N_("No problem: nothing was saved. Whenever you're ready, `/buddy join` brings this back."),
    "nudges": N_("No problem: nothing was saved. Whenever you're ready, `/nudges on` brings this back."),
    "reminders": N_("No problem: nothing was saved. Whenever you're ready, `/mood reminders` brings this back."),
    "rsvp": N_("No problem: nothing was saved. Whenever you're ready, the meetup's button brings this back."),
    "notice": N_("No problem: nothing was saved. Whenever you're ready, `/privacy notice` brings this back."),
}
NOTICE_LIFETIME = 600.0  # seconds the request waits behind a notice; afterwards the buttons still answer


def _services(interaction: discord.Interaction) -> Services:
    services: Services = interaction.client.services  # type: ignore[attr-defined]
    return services


def _again(key: str) -> str:
    text = AGAIN.get(key, AGAIN["notice"])
    return _(text)


# ---------------------------------------------------------------------------------------------------------------
# The gate itself


async def gated(interaction: discord.Interaction, action: Action, *, again: Again, in_place: bool = False) -> None:
    """Run `action(interaction)`; if it needs consent or an age statement first, ask for it and carry the action
    on when the member answers. `in_place`: the notice replaces the message the member clicked on (a private
    picker or a DM prompt), and the carried-on action edits it again; otherwise it is a new private message."""
    try:
        await action(interaction)
    except ConsentRequired:
        consent = await _services(interaction).consent.of(interaction.user.id)
        await _ask(interaction, action, again=again, in_place=in_place, embed=notice_embed(consent),
                   button=lambda token: AgreeButton(interaction.user.id, token, again))
    except AgeRequired as required:
        guild_id, min_age = required.guild_id, required.min_age
        await _ask(interaction, action, again=again, in_place=in_place, embed=age_embed(min_age),
                   button=lambda token: AgeButton(guild_id, interaction.user.id, min_age, token, again))


async def _ask(interaction: discord.Interaction, action: Action, *, again: Again, in_place: bool,
               embed: discord.Embed, button: Callable[[str], discord.ui.Item[Any]]) -> None:
    view = GateView(interaction.client, interaction.user.id, action, again=again, in_place=in_place)
    view.add_item(button(view.token))
    view.add_item(NotNowButton(interaction.user.id, view.token, again))
    if in_place and interaction.message is not None and not interaction.response.is_done():
        await interaction.response.edit_message(content=None, embed=embed, attachments=[], view=view)
        view.tidy = interaction.edit_original_response
    elif interaction.response.is_done():
        message = await interaction.followup.send(embed=embed, view=view, ephemeral=True, wait=True)
        view.tidy = message.edit
    else:
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)
        view.tidy = interaction.edit_original_response


class GateView(LiveView):
    """A notice's buttons, and the request waiting behind it (for this bot's lifetime, or until it times out:
    the buttons answer either way)."""

    def __init__(self, client: discord.Client, owner_id: int, action: Action, *, again: Again,
                 in_place: bool) -> None:
        super().__init__(client, owner_id, timeout=NOTICE_LIFETIME)
        self.action, self.again, self.in_place = action, again, in_place
        self.tidy: Callable[..., Awaitable[Any]] | None = None

    async def carry_on(self, interaction: discord.Interaction, done: str) -> None:
        """Run the member's request again with the button's interaction; then the notice says what happened,
        unless the request itself replaced it."""
        self.stop()
        await gated(interaction, self.action, again=self.again, in_place=self.in_place)
        if interaction.response.type is discord.InteractionResponseType.message_update:
            return  # the notice became the answer (or the next notice)
        if self.tidy is not None:
            with suppress(discord.HTTPException):  # the notice is old news; nothing depends on tidying it
                await self.tidy(content=done, embed=None, view=None)


def _waiting(interaction: discord.Interaction, token: str, owner_id: int) -> GateView | None:
    return find_live(interaction, token, GateView, owner_id)


# ---------------------------------------------------------------------------------------------------------------
# What the member reads


def notice_embed(consent: Consent, *, status: bool = False) -> discord.Embed:
    """The short privacy notice. With `status`, also whether and when this member agreed (for /privacy notice)."""
    lead = ""
    if consent.version is not None and not consent.current:
        lead = _("The privacy notice has changed since you last agreed. Please have a look before carrying on.")
        lead += "\n\n"
    embed = discord.Embed(title=_(NOTICE_TITLE), description=lead + notice_text(), colour=HEARTH_COLOUR)
    if status:
        # i18n: the heading above whether (and when) the member agreed to the privacy notice
        embed.add_field(name=_("Your answer"), value=consent_status(consent), inline=False)
    embed.set_footer(text=_("Privacy notice, version {version} · only you can see this", version=NOTICE_VERSION))
    return embed


def consent_status(consent: Consent) -> str:
    when = timestamp(consent.agreed_at) if consent.agreed_at is not None else None
    if consent.current:
        if when is None:
            return _("You agreed to this notice. Thank you.")
        # i18n: {when} is a date and time (Discord shows it in the reader's language)
        return _("You agreed to this notice on {when}. Thank you.", when=when)
    if consent.version is not None:
        if when is None:
            # i18n: **I agree** is the button's name
            return _("You agreed to an earlier version. Press **I agree** if you're happy with this one; until "
                     "then Hearth stores no new check-ins, buddy sign-ups or nudge choices for you.")
        # i18n: **I agree** is the button's name; {when} is a date and time
        return _("You agreed to an earlier version on {when}. Press **I agree** if you're happy with this one; "
                 "until then Hearth stores no new check-ins, buddy sign-ups or nudge choices for you.", when=when)
    # i18n: **I agree** is the button's name
    return _("You haven't agreed yet. Press **I agree** when you're happy with it; until then Hearth stores no "
             "check-ins, buddy sign-ups or nudge choices for you.")


def age_embed(min_age: int) -> discord.Embed:
    return discord.Embed(
        # i18n: {age} is a minimum age in years, such as 18
        title=_("This server asks members to be {age} or older", age=min_age),
        # i18n: {age} is a minimum age in years, such as 18
        description=_("The buddy pool and in-person meetups here are for members aged **{age} or older**. "
                      "Hearth doesn't ask for proof: it takes your word. Please only confirm if it's true.",
                      age=min_age),
        colour=HEARTH_COLOUR)


def agreed_text(again: str) -> str:
    # i18n: {next} is what the member can do now, such as “Please run `/checkin` again.”
    return _("Thank you: you agreed to the privacy notice (version {version}). {next}", version=NOTICE_VERSION,
             next=_again(again))


# ---------------------------------------------------------------------------------------------------------------
# The buttons: persistent, bound to their owner


class AgreeButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                  template=r"hearth:consent:yes:(?P<owner>\d+):(?P<token>\w+):(?P<again>[a-z]+)"):
    """"I agree": records agreement to the current notice (time and version), then carries the request on."""

    def __init__(self, owner_id: int, token: str = "0", again: str = "notice") -> None:
        self.owner_id, self.token, self.again = owner_id, token, again
        super().__init__(discord.ui.Button(label=p_("button", "I agree"), emoji="✅", style=discord.ButtonStyle.success,
                                           custom_id=f"hearth:consent:yes:{owner_id}:{token}:{again}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> AgreeButton:
        return cls(int(match["owner"]), match["token"], match["again"])

    async def run(self, interaction: discord.Interaction) -> None:
        if interaction.user.id != self.owner_id:
            await reply_ephemeral(interaction, _(NOT_YOURS))
            return
        await _services(interaction).consent.agree(self.owner_id)
        waiting = _waiting(interaction, self.token, self.owner_id)
        if waiting is None:  # shown by /privacy notice, or the request was lost to a restart or expiry
            await interaction.response.edit_message(content=agreed_text(self.again), embed=None, view=None)
            return
        await waiting.carry_on(interaction, _("✅ Thank you: you agreed to the privacy notice."))


class AgeButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                template=r"hearth:age:yes:(?P<guild>\d+):(?P<owner>\d+):(?P<age>\d+):(?P<token>\w+):(?P<again>[a-z]+)"):
    """"I'm N or older": records the member's own statement for this server, then carries the request on."""

    def __init__(self, guild_id: int, owner_id: int, min_age: int, token: str = "0", again: str = "notice") -> None:
        self.guild_id, self.owner_id, self.min_age, self.token, self.again = guild_id, owner_id, min_age, token, again
        super().__init__(discord.ui.Button(
            # i18n: {age} is a minimum age in years, such as 18
            label=p_("button", "I'm {age} or older", age=min_age), style=discord.ButtonStyle.success,
            custom_id=f"hearth:age:yes:{guild_id}:{owner_id}:{min_age}:{token}:{again}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> AgeButton:
        return cls(int(match["guild"]), int(match["owner"]), int(match["age"]), match["token"], match["again"])

    async def run(self, interaction: discord.Interaction) -> None:
        if interaction.user.id != self.owner_id:
            await reply_ephemeral(interaction, _(NOT_YOURS))
            return
        await _services(interaction).ages.confirm(self.guild_id, self.owner_id, self.min_age)
        waiting = _waiting(interaction, self.token, self.owner_id)
        if waiting is None:
            # i18n: {age} is a minimum age in years; {next} is what the member can do now
            content = _("Thank you for confirming you're {age} or older. {next}", age=self.min_age,
                        next=_again(self.again))
            await interaction.response.edit_message(content=content, embed=None, view=None)
            return
        # i18n: {age} is a minimum age in years, such as 18
        await waiting.carry_on(interaction, _("✅ Thank you for confirming you're {age} or older.", age=self.min_age))


class NotNowButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                   template=r"hearth:gate:no:(?P<owner>\d+):(?P<token>\w+):(?P<again>[a-z]+)"):
    """"Not now": nothing is stored, and the member knows how to come back to it."""

    def __init__(self, owner_id: int, token: str, again: str) -> None:
        self.owner_id, self.token, self.again = owner_id, token, again
        super().__init__(discord.ui.Button(label=p_("button", "Not now"), style=discord.ButtonStyle.secondary,
                                           custom_id=f"hearth:gate:no:{owner_id}:{token}:{again}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> NotNowButton:
        return cls(int(match["owner"]), match["token"], match["again"])

    async def run(self, interaction: discord.Interaction) -> None:
        if interaction.user.id != self.owner_id:
            await reply_ephemeral(interaction, _(NOT_YOURS))
            return
        waiting = _waiting(interaction, self.token, self.owner_id)
        if waiting is not None:
            waiting.stop()
        come_back = COME_BACK.get(self.again, COME_BACK["notice"])
        await interaction.response.edit_message(content=_(come_back), embed=None, view=None)


GATE_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (AgreeButton, AgeButton, NotNowButton)

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
from bot.domain.consent import NOTICE, NOTICE_TITLE, NOTICE_VERSION, Consent, ConsentRequired
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
    "checkin": "Please run `/checkin` again.",
    "prompt": "Please tap a mood on your check-in prompt again.",
    "buddy": "Please run `/buddy join` again.",
    "nudges": "Please run `/nudges on` again.",
    "reminders": "Please run `/mood reminders` again.",
    "rsvp": "Please press the meetup's button again.",
    "notice": "You can check in, join the buddy pool and choose nudges whenever you like.",
}
# Where the member finds it again after "Not now".
COME_BACK: dict[str, str] = {
    "checkin": "`/checkin`", "prompt": "a mood on your next check-in prompt", "buddy": "`/buddy join`",
    "nudges": "`/nudges on`", "reminders": "`/mood reminders`", "rsvp": "the meetup's button",
    "notice": "`/privacy notice`",
}
NOTICE_LIFETIME = 600.0  # seconds the request waits behind a notice; afterwards the buttons still answer


def _services(interaction: discord.Interaction) -> Services:
    services: Services = interaction.client.services  # type: ignore[attr-defined]
    return services


def _again(key: str) -> str:
    return AGAIN.get(key, AGAIN["notice"])


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
        lead = "The privacy notice has changed since you last agreed. Please have a look before carrying on.\n\n"
    embed = discord.Embed(title=NOTICE_TITLE, description=lead + NOTICE, colour=HEARTH_COLOUR)
    if status:
        embed.add_field(name="Your answer", value=consent_status(consent), inline=False)
    embed.set_footer(text=f"Privacy notice, version {NOTICE_VERSION} · only you can see this")
    return embed


def consent_status(consent: Consent) -> str:
    when = f" on {timestamp(consent.agreed_at)}" if consent.agreed_at is not None else ""
    if consent.current:
        return f"You agreed to this notice{when}. Thank you."
    if consent.version is not None:
        return (f"You agreed to an earlier version{when}. Press **I agree** if you're happy with this one; until "
                "then Hearth stores no new check-ins, buddy sign-ups or nudge choices for you.")
    return ("You haven't agreed yet. Press **I agree** when you're happy with it; until then Hearth stores no "
            "check-ins, buddy sign-ups or nudge choices for you.")


def age_embed(min_age: int) -> discord.Embed:
    return discord.Embed(
        title=f"This server asks members to be {min_age} or older",
        description=(f"The buddy pool and in-person meetups here are for members aged **{min_age} or older**. "
                     "Hearth doesn't ask for proof: it takes your word. Please only confirm if it's true."),
        colour=HEARTH_COLOUR)


def agreed_text(again: str) -> str:
    return f"Thank you: you agreed to the privacy notice (version {NOTICE_VERSION}). {_again(again)}"


# ---------------------------------------------------------------------------------------------------------------
# The buttons: persistent, bound to their owner


class AgreeButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                  template=r"hearth:consent:yes:(?P<owner>\d+):(?P<token>\w+):(?P<again>[a-z]+)"):
    """"I agree": records agreement to the current notice (time and version), then carries the request on."""

    def __init__(self, owner_id: int, token: str = "0", again: str = "notice") -> None:
        self.owner_id, self.token, self.again = owner_id, token, again
        super().__init__(discord.ui.Button(label="I agree", emoji="✅", style=discord.ButtonStyle.success,
                                           custom_id=f"hearth:consent:yes:{owner_id}:{token}:{again}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> AgreeButton:
        return cls(int(match["owner"]), match["token"], match["again"])

    async def run(self, interaction: discord.Interaction) -> None:
        if interaction.user.id != self.owner_id:
            await reply_ephemeral(interaction, NOT_YOURS)
            return
        await _services(interaction).consent.agree(self.owner_id)
        waiting = _waiting(interaction, self.token, self.owner_id)
        if waiting is None:  # shown by /privacy notice, or the request was lost to a restart or expiry
            await interaction.response.edit_message(content=agreed_text(self.again), embed=None, view=None)
            return
        await waiting.carry_on(interaction, "✅ Thank you: you agreed to the privacy notice.")


class AgeButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                template=r"hearth:age:yes:(?P<guild>\d+):(?P<owner>\d+):(?P<age>\d+):(?P<token>\w+):(?P<again>[a-z]+)"):
    """"I'm N or older": records the member's own statement for this server, then carries the request on."""

    def __init__(self, guild_id: int, owner_id: int, min_age: int, token: str = "0", again: str = "notice") -> None:
        self.guild_id, self.owner_id, self.min_age, self.token, self.again = guild_id, owner_id, min_age, token, again
        super().__init__(discord.ui.Button(
            label=f"I'm {min_age} or older", style=discord.ButtonStyle.success,
            custom_id=f"hearth:age:yes:{guild_id}:{owner_id}:{min_age}:{token}:{again}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> AgeButton:
        return cls(int(match["guild"]), int(match["owner"]), int(match["age"]), match["token"], match["again"])

    async def run(self, interaction: discord.Interaction) -> None:
        if interaction.user.id != self.owner_id:
            await reply_ephemeral(interaction, NOT_YOURS)
            return
        await _services(interaction).ages.confirm(self.guild_id, self.owner_id, self.min_age)
        waiting = _waiting(interaction, self.token, self.owner_id)
        if waiting is None:
            await interaction.response.edit_message(
                content=f"Thank you for confirming you're {self.min_age} or older. {_again(self.again)}",
                embed=None, view=None)
            return
        await waiting.carry_on(interaction, f"✅ Thank you for confirming you're {self.min_age} or older.")


class NotNowButton(Guarded, discord.ui.DynamicItem[discord.ui.Button[Any]],
                   template=r"hearth:gate:no:(?P<owner>\d+):(?P<token>\w+):(?P<again>[a-z]+)"):
    """"Not now": nothing is stored, and the member knows how to come back to it."""

    def __init__(self, owner_id: int, token: str, again: str) -> None:
        self.owner_id, self.token, self.again = owner_id, token, again
        super().__init__(discord.ui.Button(label="Not now", style=discord.ButtonStyle.secondary,
                                           custom_id=f"hearth:gate:no:{owner_id}:{token}:{again}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> NotNowButton:
        return cls(int(match["owner"]), match["token"], match["again"])

    async def run(self, interaction: discord.Interaction) -> None:
        if interaction.user.id != self.owner_id:
            await reply_ephemeral(interaction, NOT_YOURS)
            return
        waiting = _waiting(interaction, self.token, self.owner_id)
        if waiting is not None:
            waiting.stop()
        await interaction.response.edit_message(
            content=(f"No problem: nothing was saved. Whenever you're ready, "
                     f"{COME_BACK.get(self.again, COME_BACK['notice'])} brings this back."),
            embed=None, view=None)


GATE_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (AgreeButton, AgeButton, NotNowButton)

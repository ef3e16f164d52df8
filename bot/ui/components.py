"""Shared pieces for buttons, views and modals: one error policy, one "whose is this?" check, one answer for
components nobody handles any more."""

from __future__ import annotations

import asyncio
import logging
import secrets
from typing import Any, ClassVar

import discord

from bot.i18n import N_, _, command_path, speaking
from bot.tree import OUTCOME, handle_interaction_error, observe_interaction
from bot.ui.replies import reply_ephemeral
from bot.ui.voices import interaction_voice

log = logging.getLogger(__name__)

# i18n: someone pressed a button on another member's message
NOT_YOURS = N_("These buttons are on someone else's message, so I left everything as it was. Run the command "
               "yourself to get your own.")


def custom_id_of(interaction: discord.Interaction) -> str | None:
    data: Any = interaction.data
    custom_id = data.get("custom_id") if data else None
    return custom_id if isinstance(custom_id, str) else None


def owner_of(interaction: discord.Interaction) -> int | None:
    """Whose message a component is on, as Discord tells it (never as the custom_id claims: a custom_id holds
    no secret, so anyone forging an interaction could write any id into it):

    - a DM: the member the conversation is with;
    - an answer to an interaction (ephemeral or not): the member whose command, click or form it answered;
    - otherwise (a post in a channel or thread) nobody in particular: None.
    """
    channel = interaction.channel
    if isinstance(channel, discord.DMChannel) and channel.recipient is not None:
        return channel.recipient.id
    message = interaction.message
    metadata = message.interaction_metadata if message is not None else None
    return metadata.user.id if metadata is not None else None


async def refuse_unless_owner(interaction: discord.Interaction) -> bool:
    """True when the clicker may use this component; otherwise they get a sentence and False."""
    owner = owner_of(interaction)
    if owner is None or owner == interaction.user.id:
        return True
    log.info("refused a component of user %s's message to user %s (custom_id=%s)", owner, interaction.user.id,
             custom_id_of(interaction))
    interaction.extras[OUTCOME] = "refused"
    await reply_ephemeral(interaction, _(NOT_YOURS))
    return False


class Guarded:
    """Mixin for DynamicItems: discord.py only logs what a dynamic item's callback raises, so the member
    would see "interaction failed". Subclasses implement `run`; errors get the same sentences as commands.

    A button on one member's message (a DM, or an answer to their interaction) refuses everyone else before
    `run`. Buttons meant for everyone who can see them (a meetup announcement) set `for_everyone = True`;
    buttons in a shared private thread leave it False (the thread message is nobody's own) and the service
    checks who may answer."""

    for_everyone: ClassVar[bool] = False

    async def callback(self, interaction: discord.Interaction) -> None:
        async with observe_interaction(interaction):
            try:
                if self.for_everyone or await refuse_unless_owner(interaction):
                    await self.run(interaction)
            except Exception as error:
                await handle_interaction_error(interaction, error)

    async def run(self, interaction: discord.Interaction) -> None:
        raise NotImplementedError


class HearthView(discord.ui.View):
    """A view whose callbacks' errors get the same sentences as commands (logged when unexpected), and
    which only the member it was shown to may use."""

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await refuse_unless_owner(interaction)

    # discord.py runs each click in a task through this (private in 2.x; the metrics tests notice if it moves):
    # observed here, the click's log lines carry its server and shard, and its outcome and time are counted.
    async def _scheduled_task(self, item: discord.ui.Item[Any], interaction: discord.Interaction) -> None:
        async with observe_interaction(interaction):
            await super()._scheduled_task(item, interaction)

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]) -> None:
        await handle_interaction_error(interaction, error)


class HearthModal(discord.ui.Modal):
    """A modal whose submit errors get the same sentences as commands (logged when unexpected).

    discord.py finds an open modal by its custom_id alone: two members with the same form open would share
    one, and one member's answer would land in the other's form. So every modal's custom_id gets a random
    suffix (its prefix still says what it is, for the expired-component answer)."""

    def __init__(self, *, custom_id: str | None = None, **kwargs: Any) -> None:
        if custom_id is None:
            super().__init__(**kwargs)
        else:
            super().__init__(custom_id=f"{custom_id[:80]}:{secrets.token_hex(6)}", **kwargs)

    # As HearthView's. discord.py's Modal takes (interaction, components, resolved), unlike the base it overrides.
    async def _scheduled_task(self, interaction: discord.Interaction, *args: Any) -> None:  # type: ignore[override]
        async with observe_interaction(interaction):
            await super()._scheduled_task(interaction, *args)

    # discord.py's Modal.on_error drops BaseView's `item` parameter, so any override mismatches the base.
    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:  # type: ignore[override]
        await handle_interaction_error(interaction, error)


def loaded_cog(interaction: discord.Interaction, name: str) -> Any:
    """The cog behind a persistent component: its callback runs outside the cog, so it looks it up."""
    cog = interaction.client.get_cog(name)  # type: ignore[attr-defined]
    if cog is None:
        raise RuntimeError(f"the {name} extension is not loaded")
    return cog


# Components nobody handles any more --------------------------------------------------------------------------
# A view lives in memory: when it times out, or the process restarts, its buttons stay on the message but
# nothing answers them, and Discord shows "This interaction failed". Every Hearth custom_id starts with
# "hearth:"; the first prefix that matches says which command gives the member a fresh one.
PREFIX = "hearth:"
EXPIRED_COMMANDS: tuple[tuple[str, str], ...] = (
    ("hearth:ev:confirm", "/event-admin create"),
    ("hearth:ev:discard", "/event-admin create"),
    ("hearth:ev:", "/event list"),
    ("hearth:ci:", "/checkin"),
    ("hearth:bd:join:", "/buddy join"),
    ("hearth:bd:", "/buddy status"),
    ("hearth:nudge:", "/nudges show"),
    ("hearth:settings:", "/settings show"),
)

# Components no command gives afresh: what to press instead (the whole answer).
EXPIRED_ELSEWHERE: tuple[tuple[str, str], ...] = (
    # i18n: an old button was pressed; “Find a time” is the name of the button on a buddy intro
    ("hearth:mt:", N_("This has expired, so nothing was changed. Press “Find a time” on your intro again.")),
)

_pending_replies: set[asyncio.Task[None]] = set()


def expired_text(custom_id: str) -> str:
    instead = next((hint for prefix, hint in EXPIRED_ELSEWHERE if custom_id.startswith(prefix)), None)
    if instead is not None:
        return _(instead)
    command = next((command for prefix, command in EXPIRED_COMMANDS if custom_id.startswith(prefix)), None)
    if command is None:
        # i18n: an old button was pressed, or a form was sent after a restart
        return _("This has expired, so nothing was changed. Please run the command again.")
    # i18n: an old button was pressed; {command} is a slash command such as /checkin (keep it as it is)
    return _("This has expired, so nothing was changed. Run `{command}` again.", command=command_path(command))


def has_handler(client: discord.Client, interaction: discord.Interaction) -> bool:
    """Whether discord.py's view store dispatched this component or modal to anything: the same lookups as
    `ViewStore.dispatch_view` / `dispatch_modal`. Call it synchronously where discord.py dispatches the
    `interaction` event, right after those lookups, so nothing can have changed in between."""
    data: Any = interaction.data or {}
    custom_id = data.get("custom_id")
    store = client._connection._view_store
    if interaction.type == discord.InteractionType.modal_submit:
        return custom_id in store._modals
    key = (data.get("component_type"), custom_id)
    if any(pattern.fullmatch(custom_id) for pattern in store._dynamic_items):
        # discord.py builds a dynamic item only from a component that is on the message
        return interaction.message is not None and key in _components_of(interaction.message.components)
    message_id = interaction.message.id if interaction.message is not None else None
    item = store._views.get(message_id, {}).get(key) if message_id is not None else None
    item = item or store._views.get(None, {}).get(key)
    return item is not None and item.view is not None


def _components_of(components: Any) -> set[tuple[int, str | None]]:
    """(type, custom_id) of every component on a message, nested ones (rows, sections, containers) too."""
    found: set[tuple[int, str | None]] = set()
    for component in components:
        found.add((component.type.value, getattr(component, "custom_id", None)))
        nested = list(getattr(component, "children", ()))
        accessory = getattr(component, "accessory", None)
        found |= _components_of(nested + ([accessory] if accessory is not None else []))
    return found


def answer_if_unhandled(client: discord.Client, interaction: discord.Interaction) -> None:
    """For a Hearth component or modal nothing handles: answer with a sentence instead of letting it fail."""
    if interaction.type not in (discord.InteractionType.component, discord.InteractionType.modal_submit):
        return
    custom_id = custom_id_of(interaction)
    if custom_id is None or not custom_id.startswith(PREFIX) or has_handler(client, interaction):
        return
    log.info("expired component %s clicked by user %s", custom_id, interaction.user.id)
    task = asyncio.get_running_loop().create_task(_answer_expired(interaction, custom_id))
    _pending_replies.add(task)
    task.add_done_callback(_pending_replies.discard)


async def _answer_expired(interaction: discord.Interaction, custom_id: str) -> None:
    # Outside any handling (nothing dispatched it): the clicker's language is looked up here.
    with speaking(interaction_voice(interaction)):
        text = expired_text(custom_id)
    try:
        await reply_ephemeral(interaction, text)
    except discord.HTTPException as error:
        log.warning("could not answer an expired component %s: %s", custom_id, error)

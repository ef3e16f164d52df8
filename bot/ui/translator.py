"""Slash commands in the member's language: discord.py asks this translator for every name, description and
choice when it builds the commands it registers, and Discord shows each member their client language's."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import discord
from discord import app_commands
from discord.app_commands import TranslationContextLocation as Where
from discord.app_commands import TranslationContextTypes, locale_str

from bot.i18n import ENGLISH, Catalogs
from bot.i18n.languages import language_of_locale

log = logging.getLogger(__name__)

# msgctxt per kind of string: a name is one lowercase word under Discord's rules, a description is a sentence.
NAME_CONTEXTS = {
    Where.command_name: "command name",
    Where.group_name: "command name",
    Where.parameter_name: "option name",
}
CONTEXTS = {
    **NAME_CONTEXTS,
    Where.command_description: "command description",
    Where.group_description: "command description",
    Where.parameter_description: "option description",
    Where.choice_name: "choice",
}
# Discord's rule for chat-input command and option names in any locale (from its OpenAPI description); names
# must also be lowercase where the script has case.
LOCALISED_NAME = re.compile(r"^[-_'\w\u0900-\u097F\u0E00-\u0E7F]{1,32}$")
LIMITS = {"command description": 100, "option description": 100, "choice": 100}


def context_of(context: TranslationContextTypes) -> str | None:
    return CONTEXTS.get(context.location)


def acceptable(context: str, text: str) -> bool:
    """Whether Discord accepts `text` as a localisation of this kind (a bad one would refuse the whole sync)."""
    if context in {"command name", "option name"}:
        return bool(LOCALISED_NAME.match(text)) and text == text.lower()
    return 0 < len(text) <= LIMITS.get(context, 100)


class HearthTranslator(app_commands.Translator):
    def __init__(self, catalogs: Catalogs) -> None:
        self._catalogs = catalogs

    async def translate(self, string: locale_str, locale: discord.Locale,
                        context: TranslationContextTypes) -> str | None:
        language = language_of_locale(locale.value)
        kind = context_of(context)
        if language is None or language is ENGLISH or kind is None:
            return None
        messages = self._catalogs.messages(language, "hearth")
        text = messages.text(kind, string.message) if messages is not None else None
        if text is None or text == string.message:
            return None
        if not acceptable(kind, text):
            log.warning("the %s translation of %s %r breaks Discord's rules and is left out: %r",
                        language.english_name, kind, string.message, text)
            return None
        return text


@dataclass(frozen=True, slots=True)
class CommandString:
    context: str  # the msgctxt: "command name", "option description"…
    message: str
    where: tuple[str, ...]  # the commands it belongs to, "/mood reminders", for translators


class _Recorder(app_commands.Translator):
    """Answers nothing and remembers what it was asked: every string the registered commands would translate."""

    def __init__(self) -> None:
        self.strings: dict[tuple[str, str], list[str]] = {}

    async def translate(self, string: locale_str, locale: discord.Locale,
                        context: TranslationContextTypes) -> str | None:
        kind = context_of(context)
        # A choice named "12" is the same in every language: only words are asked for.
        if kind is not None and any(c.isalpha() for c in string.message):
            places = self.strings.setdefault((kind, string.message), [])
            where = _where(context)
            if where and where not in places:
                places.append(where)
        return None


def _where(context: TranslationContextTypes) -> str:
    data = context.data
    if isinstance(data, app_commands.Command | app_commands.Group | app_commands.ContextMenu):
        return "/" + (data.qualified_name if not isinstance(data, app_commands.ContextMenu) else data.name)
    command = getattr(data, "command", None)
    if isinstance(command, app_commands.Command):
        return "/" + command.qualified_name
    return ""


async def command_strings(tree: app_commands.CommandTree[discord.Client]) -> list[CommandString]:
    """Every name, description and choice of the tree's global commands, as the translator would be asked."""
    recorder = _Recorder()
    for command in tree.get_commands():
        await command.get_translated_payload(tree, recorder)
    return [CommandString(kind, message, tuple(places)) for (kind, message), places in recorder.strings.items()]

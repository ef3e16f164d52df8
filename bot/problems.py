"""What an operator set wrong, each as one sentence naming the setting, what it got and what would work."""

from __future__ import annotations

import difflib
import re
import typing
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError
from pydantic.fields import FieldInfo

from bot.config import Settings, redact_url

# A bot token is three base64url parts joined by dots (the user id, a timestamp, a signature).
_TOKEN_CHARACTERS = re.compile(r"^[A-Za-z0-9_\-.]+$")


def token_problem(token: str) -> str | None:
    """The sentence for a DISCORD_TOKEN that cannot be a bot token, checked before Discord is asked; else None.

    Never repeats the token. Lenient on purpose (any token shaped like Discord's passes): Discord itself is
    the judge of the rest, and its refusal gets a sentence too.
    """
    where = "copy the token from the Developer Portal (Bot → Reset Token) into DISCORD_TOKEN"
    token = token.strip()
    if token.lower().startswith("bot "):
        return 'DISCORD_TOKEN starts with "Bot ": put the token alone, Hearth adds the prefix itself.'
    if not _TOKEN_CHARACTERS.match(token):
        return (f"DISCORD_TOKEN has characters a bot token never has (spaces, quotes or others): {where}, "
                "with nothing around it.")
    if token.isdigit():
        return f"DISCORD_TOKEN holds only digits, like an application or user id, not a bot token: {where}."
    if token.count(".") < 2 or "" in token.split("."):
        return (f"DISCORD_TOKEN doesn't look like a bot token (three parts joined by dots); the Client Secret "
                f"and the Public Key are not it: {where}.")
    return None


def settings_problems(error: ValidationError) -> list[str]:
    """One sentence per setting pydantic refused: the variable, what it got, and what would work."""
    fields = {str(field.validation_alias): (name, field) for name, field in Settings.model_fields.items()}
    problems = []
    for detail in error.errors():
        if not detail["loc"]:  # settings that don't fit together: the validator's sentence names them
            message = str(detail["msg"]).removeprefix("Value error, ")
            problems.append(message[:1].upper() + message[1:] + ".")
            continue
        variable = str(detail["loc"][0])
        name, field = fields.get(variable, (variable, None))
        got = _shown(name, detail.get("input"))
        problems.append(f"{variable} is {got}, but it {_what_works(detail, field)}.")
    return problems


def _shown(name: str, value: object) -> str:
    if name == "discord_token":
        return "not usable"  # a secret is never printed
    text = str(value)
    if name == "database_url":
        text = redact_url(text)
    return f'"{text}"' if text.strip() else "empty"


def _what_works(detail: Mapping[str, Any], field: FieldInfo | None) -> str:
    if detail["type"] == "value_error":  # Hearth's own validators say it in words already
        return str(detail["msg"]).removeprefix("Value error, ")
    if detail["type"] == "literal_error" and field is not None:
        choices = typing.get_args(field.annotation)
        return f"must be {', '.join(map(str, choices[:-1]))} or {choices[-1]} (the default is {field.default})"
    if field is None:
        return str(detail["msg"])[:1].lower() + str(detail["msg"])[1:]
    kinds = {int: "a whole number", float: "a number", bool: "true or false"}
    annotation = field.annotation
    kind = next((words for kind, words in kinds.items() if annotation is kind or annotation == kind | None),
                "a different value")
    if field.validation_alias == "HEARTH_DEV_GUILD":
        kind = "a server id (digits only: right-click the server, Copy Server ID)"
    bounds = _bounds(field)
    default = field.default
    shown_default = ("" if field.is_required() or field.default_factory is not None or default is None
                     else f" (the default is {_number(default)})")
    return f"must be {kind}{bounds}{shown_default}"


def _bounds(field: FieldInfo) -> str:
    """The limits in Field(gt=…, ge=…, lt=…, le=…), in words."""
    limits = {kind: getattr(rule, kind) for rule in field.metadata for kind in ("gt", "ge", "lt", "le")
              if getattr(rule, kind, None) is not None}
    if "ge" in limits and "le" in limits:
        return f" from {_number(limits['ge'])} to {_number(limits['le'])}"
    words = {"gt": "greater than", "ge": "of at least", "lt": "less than", "le": "of at most"}
    parts = [f"{words[kind]} {_number(value)}" for kind, value in limits.items()]
    return f" {' and '.join(parts)}" if parts else ""


def _number(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def unknown_settings(names: Iterable[str]) -> list[str]:
    """One sentence per HEARTH_* variable Hearth doesn't know (a typo is otherwise silently ignored), with the
    nearest real name when there is one."""
    known = sorted(str(field.validation_alias) for field in Settings.model_fields.values())
    sentences = []
    for name in sorted(set(names)):
        if not name.upper().startswith("HEARTH_") or name.upper() in known:
            continue
        close = difflib.get_close_matches(name.upper(), known, n=1, cutoff=0.7)
        hint = f" Did you mean {close[0]}?" if close else " The README's Settings table lists them all."
        sentences.append(f"{name} is not a Hearth setting, so it is ignored.{hint}")
    return sentences

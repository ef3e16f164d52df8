"""The slash commands Hearth registers, checked against Discord's documented limits and its OpenAPI schema.

The payload is what `translated_payload(bot.tree)` gives (with every language's names and descriptions) after
the real setup_hook ran in SimCord, and it is also checked to be exactly the body of the bulk-overwrite request
the bot sent. The schema is the request body of PUT /applications/{application_id}/commands in Discord's
official OpenAPI description, vendored at `tests/data/discord-openapi.json` (MIT, from discord/discord-api-spec:
see tests/data/README.md).
"""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import discord
import pytest

from bot.sync import translated_payload

REPO_ROOT = Path(__file__).resolve().parents[1]
OPENAPI_PATH = REPO_ROOT / "tests" / "data" / "discord-openapi.json"
BULK_OVERWRITE_PATH = "/applications/{application_id}/commands"

# Discord's documented limits for application commands.
MAX_GLOBAL_COMMANDS = {1: 100, 2: 15, 3: 15}  # chat input, user, message
NAME_PATTERN = re.compile(r"^[-_\w]{1,32}$")  # chat-input command and option names
MAX_DESCRIPTION = 100
MAX_OPTIONS = 25
MAX_CHOICES = 25
MAX_CHOICE_NAME = 100
MAX_CHOICE_STRING_VALUE = 100
MAX_STRING_LENGTH = 6000
MAX_TOTAL_CHARACTERS = 4000  # name + description + values of a command, its options and choices
PLACEHOLDER_DESCRIPTION = "…"  # what discord.py sends when a command or option has no description

SUB_COMMAND, SUB_COMMAND_GROUP, STRING, INTEGER, CHANNEL, NUMBER = 1, 2, 3, 4, 7, 10
GUILD_CONTEXT = 0

# Organiser-only command groups: hidden from members by default (Manage Server) and usable only in a server.
ORGANISER_GROUPS = {"hearth"}


@pytest.fixture
async def payload(simcord_env: Any) -> list[dict[str, Any]]:
    """The global command set after the real setup_hook loaded every extension, with every language's names and
    descriptions from the translator (bot/ui/translator.py), as the bot sends it."""
    assert simcord_env.errors == []
    return await translated_payload(simcord_env.bot.tree)


# ---------------------------------------------------------------------------------------------------------------
# Discord's documented limits, as a function that lists every violation (tested on broken payloads below too).


def _longest(obj: dict[str, Any], field: str) -> int:
    """Discord counts the longest of a field and its localizations towards the total."""
    values = [str(obj.get(field) or "")]
    values += [str(text) for text in (obj.get(f"{field}_localizations") or {}).values()]
    return max(len(value) for value in values)


def total_characters(command: dict[str, Any]) -> int:
    def count(node: dict[str, Any]) -> int:
        size = _longest(node, "name") + _longest(node, "description")
        for choice in node.get("choices") or ():
            size += _longest(choice, "name") + len(str(choice["value"]))
        return size + sum(count(option) for option in node.get("options") or ())

    return count(command)


def _check_name(name: Any, where: str, localizations: dict[str, Any] | None = None) -> Iterator[str]:
    for locale, text in [(None, name), *(localizations or {}).items()]:
        label = f"{where} ({locale})" if locale else where
        if not isinstance(text, str) or not NAME_PATTERN.match(text):
            yield f"{label}: name {text!r} must be 1-32 characters of letters, digits, '-' or '_'"
        elif text != text.lower():
            yield f"{label}: name {text!r} must be lowercase"


def _clashes(nodes: list[dict[str, Any]], where: str) -> Iterator[str]:
    """Siblings must have distinct names in every locale too: a member with Discord in German sees the German
    names, falling back to the English name where there is no German one."""
    locales = {locale for node in nodes for locale in (node.get("name_localizations") or {})}
    for locale in sorted(locales):
        names = [(node.get("name_localizations") or {}).get(locale, node.get("name")) for node in nodes]
        for name, count in Counter(names).items():
            if count > 1:
                yield f"{where}: {count} siblings are called {name!r} in {locale}"


def _check_description(node: dict[str, Any], where: str) -> Iterator[str]:
    description = node.get("description")
    if not isinstance(description, str) or not 1 <= len(description) <= MAX_DESCRIPTION:
        yield f"{where}: description must be 1-{MAX_DESCRIPTION} characters, got {description!r}"
    elif description.strip() in ("", PLACEHOLDER_DESCRIPTION):
        yield f"{where}: has no real description ({description!r})"
    for locale, text in (node.get("description_localizations") or {}).items():
        if not 1 <= len(text) <= MAX_DESCRIPTION:
            yield f"{where}: {locale} description must be 1-{MAX_DESCRIPTION} characters"


def _check_option_list(options: list[dict[str, Any]], where: str, depth: int) -> Iterator[str]:
    """depth 0: a command's options; 1: a subcommand group's or subcommand's options; 2: a grouped subcommand's."""
    if len(options) > MAX_OPTIONS:
        yield f"{where}: {len(options)} options, at most {MAX_OPTIONS}"
    names = [option.get("name") for option in options]
    for name, count in Counter(names).items():
        if count > 1:
            yield f"{where}: option name {name!r} used {count} times"
    yield from _clashes(options, where)
    kinds = [option.get("type") for option in options]
    subcommands = [kind in (SUB_COMMAND, SUB_COMMAND_GROUP) for kind in kinds]
    if any(subcommands) and not all(subcommands):
        yield f"{where}: mixes subcommands with plain options"
    seen_optional = False
    for option in options:
        kind = option.get("type")
        here = f"{where} {option.get('name')}"
        yield from _check_name(option.get("name"), here, option.get("name_localizations"))
        yield from _check_description(option, here)
        if kind == SUB_COMMAND_GROUP:
            if depth != 0:
                yield f"{here}: a subcommand group may only sit directly under a command"
            inner = option.get("options") or []
            if any(child.get("type") != SUB_COMMAND for child in inner):
                yield f"{here}: a subcommand group may only hold subcommands"
            yield from _check_option_list(inner, here, depth + 1)
        elif kind == SUB_COMMAND:
            if depth > 1:
                yield f"{here}: subcommands nest at most command > group > subcommand"
            yield from _check_option_list(option.get("options") or [], here, depth + 1)
        else:
            yield from _check_value_option(option, here)
            if option.get("required"):
                if seen_optional:
                    yield f"{here}: a required option must come before every optional one"
            else:
                seen_optional = True


def _check_value_option(option: dict[str, Any], where: str) -> Iterator[str]:
    kind = option.get("type")
    if option.get("options"):
        yield f"{where}: only subcommands and groups may have options"
    choices = option.get("choices") or []
    if choices:
        if kind not in (STRING, INTEGER, NUMBER):
            yield f"{where}: only string, integer and number options may have choices"
        if option.get("autocomplete"):
            yield f"{where}: choices and autocomplete exclude each other"
        if len(choices) > MAX_CHOICES:
            yield f"{where}: {len(choices)} choices, at most {MAX_CHOICES}"
    for choice in choices:
        name, value = choice.get("name"), choice.get("value")
        if not isinstance(name, str) or not 1 <= len(name) <= MAX_CHOICE_NAME:
            yield f"{where}: choice name must be 1-{MAX_CHOICE_NAME} characters, got {name!r}"
        for locale, text in (choice.get("name_localizations") or {}).items():
            if not isinstance(text, str) or not 1 <= len(text) <= MAX_CHOICE_NAME:
                yield f"{where}: {locale} choice name must be 1-{MAX_CHOICE_NAME} characters, got {text!r}"
        if kind == STRING and (not isinstance(value, str) or not 1 <= len(value) <= MAX_CHOICE_STRING_VALUE):
            yield f"{where}: string choice value must be 1-{MAX_CHOICE_STRING_VALUE} characters, got {value!r}"
    if "channel_types" in option and kind != CHANNEL:
        yield f"{where}: only channel options may restrict channel types"
    if ("min_length" in option or "max_length" in option) and kind != STRING:
        yield f"{where}: only string options may set a length"
    low, high = option.get("min_length"), option.get("max_length")
    if low is not None and not 0 <= low <= MAX_STRING_LENGTH:
        yield f"{where}: min_length must be 0-{MAX_STRING_LENGTH}"
    if high is not None and not 1 <= high <= MAX_STRING_LENGTH:
        yield f"{where}: max_length must be 1-{MAX_STRING_LENGTH}"
    if low is not None and high is not None and low > high:
        yield f"{where}: min_length {low} is above max_length {high}"
    low, high = option.get("min_value"), option.get("max_value")
    if low is not None and high is not None and low > high:
        yield f"{where}: min_value {low} is above max_value {high}"


def limit_violations(payload: list[dict[str, Any]]) -> list[str]:
    """Every way the command set breaks Discord's documented limits; empty when it keeps to them."""
    problems: list[str] = []
    kinds = Counter(command.get("type", 1) for command in payload)
    for kind, count in kinds.items():
        if count > MAX_GLOBAL_COMMANDS.get(kind, 0):
            problems.append(f"{count} global commands of type {kind}, at most {MAX_GLOBAL_COMMANDS.get(kind, 0)}")
    keys = Counter((command.get("type", 1), command.get("name")) for command in payload)
    problems += [f"command {name!r} (type {kind}) registered {n} times" for (kind, name), n in keys.items() if n > 1]
    for kind in kinds:
        problems += _clashes([command for command in payload if command.get("type", 1) == kind], f"type {kind}")
    for command in payload:
        where = f"/{command.get('name')}"
        if command.get("type", 1) != 1:
            continue  # context menus: no description or options; the schema checks their names
        problems += _check_name(command.get("name"), where, command.get("name_localizations"))
        problems += _check_description(command, where)
        problems += _check_option_list(command.get("options") or [], where, depth=0)
        size = total_characters(command)
        if size > MAX_TOTAL_CHARACTERS:
            problems.append(f"{where}: {size} characters in all, at most {MAX_TOTAL_CHARACTERS}")
    return problems


def test_the_bot_syncs_exactly_this_payload(simcord_env: Any, payload: list[dict[str, Any]]) -> None:
    application_id = simcord_env.bot.application_id
    path = BULK_OVERWRITE_PATH.format(application_id=application_id)
    sent = [request.json for request in simcord_env.http_requests if request.method == "PUT" and request.path == path]
    assert sent, f"the bot never sent PUT {path}"
    assert sent[-1] == json.loads(json.dumps(payload))
    assert payload, "the bot registers no commands"


def test_commands_keep_to_discords_limits(payload: list[dict[str, Any]]) -> None:
    assert limit_violations(payload) == []


def test_every_command_and_option_has_a_description(payload: list[dict[str, Any]]) -> None:
    def walk(node: dict[str, Any], where: str) -> Iterator[tuple[str, Any]]:
        yield where, node.get("description")
        for option in node.get("options") or ():
            yield from walk(option, f"{where} {option['name']}")

    for command in payload:
        if command.get("type", 1) == 1:
            for where, description in walk(command, f"/{command['name']}"):
                assert isinstance(description, str), f"{where} has no description"
                assert description.strip() not in ("", PLACEHOLDER_DESCRIPTION), f"{where} has no description"


def _organiser_groups(payload: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = [command for command in payload if command["name"] in ORGANISER_GROUPS]
    assert {command["name"] for command in found} == ORGANISER_GROUPS, "an organiser group is not registered"
    return found


def test_organiser_groups_are_for_manage_server_only(payload: list[dict[str, Any]]) -> None:
    for group in _organiser_groups(payload):
        value = group.get("default_member_permissions")
        assert value is not None, f"/{group['name']} is visible to every member by default"
        assert discord.Permissions(int(value)).manage_guild, f"/{group['name']} does not require Manage Server"
        assert group.get("dm_permission") is False, f"/{group['name']} is offered in DMs"
        assert all(option["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP) for option in group.get("options") or ())


def test_organiser_groups_are_guild_only_by_contexts(payload: list[dict[str, Any]]) -> None:
    for group in _organiser_groups(payload):
        assert group.get("contexts") == [GUILD_CONTEXT], (
            f"/{group['name']} contexts is {group.get('contexts')!r}, expected only GUILD ([0])")


# Each rule above must be able to fail: break a valid command one way at a time, and the rule meant must trip.
def _options(*options: dict[str, Any]) -> Callable[[list[dict[str, Any]]], None]:
    return lambda p: p[0].update(options=list(options))


def _string(name: str, **extra: Any) -> dict[str, Any]:
    return {"type": STRING, "name": name, "description": "d", **extra}


def _sub(kind: int, name: str, *options: dict[str, Any], description: str = "d") -> dict[str, Any]:
    return {"type": kind, "name": name, "description": description, "options": list(options)}


LIMIT_BREAKERS: dict[str, tuple[Callable[[list[dict[str, Any]]], None], str]] = {
    "name of 40 characters": (lambda p: p[0].update(name="n" * 40), "must be 1-32 characters"),
    "uppercase name": (lambda p: p[0].update(name="Hearth"), "must be lowercase"),
    "name with a space": (lambda p: p[0].update(name="two words"), "must be 1-32 characters"),
    "description of 101 characters": (lambda p: p[0].update(description="d" * 101), "description must be 1-100"),
    "empty description": (lambda p: p[0].update(description=""), "description must be 1-100"),
    "placeholder description": (lambda p: p[0].update(description=PLACEHOLDER_DESCRIPTION), "no real description"),
    "26 options": (_options(*(_string(f"o{i}") for i in range(26))), "26 options, at most 25"),
    "option name twice": (_options(_string("a"), _string("a")), "option name 'a' used 2 times"),
    "required after optional": (_options(_string("a", required=False), _string("b", required=True)),
                                "required option must come before"),
    "26 choices": (_options(_string("a", choices=[{"name": f"c{i}", "value": f"v{i}"} for i in range(26)])),
                   "26 choices, at most 25"),
    "choice name of 101 characters": (_options(_string("a", choices=[{"name": "c" * 101, "value": "v"}])),
                                      "choice name must be 1-100"),
    "choice value of 101 characters": (_options(_string("a", choices=[{"name": "c", "value": "v" * 101}])),
                                       "choice value must be 1-100"),
    "choices with autocomplete": (_options(_string("a", autocomplete=True, choices=[{"name": "c", "value": "v"}])),
                                  "choices and autocomplete exclude each other"),
    "subcommands three deep": (_options(_sub(SUB_COMMAND_GROUP, "g", _sub(SUB_COMMAND, "s", _sub(SUB_COMMAND, "t")))),
                               "subcommands nest at most"),
    "group inside a group": (_options(_sub(SUB_COMMAND_GROUP, "g", _sub(SUB_COMMAND_GROUP, "h"))),
                             "may only hold subcommands"),
    "subcommands mixed with options": (_options(_sub(SUB_COMMAND, "s"), _string("a")), "mixes subcommands"),
    "more than 4000 characters": (_options(*(_sub(SUB_COMMAND, f"s{i}", *(_string(f"o{j}", description="d" * 100)
                                                                        for j in range(25)), description="d" * 100)
                                             for i in range(2))), "characters in all, at most 4000"),
    "101 global slash commands": (lambda p: p.extend({"type": 1, "name": f"extra{i}", "description": "d"}
                                                     for i in range(100)), "101 global commands of type 1"),
    "duplicate command": (lambda p: p.append(copy.deepcopy(p[0])), "'about' (type 1) registered 2 times"),
    "localised name with a space": (lambda p: p[0].update(name_localizations={"de": "über uns"}),
                                    "(de): name 'über uns' must be 1-32"),
    "uppercase localised name": (lambda p: p[0].update(name_localizations={"de": "Über"}), "must be lowercase"),
    "localised description of 101": (lambda p: p[0].update(description_localizations={"es-ES": "d" * 101}),
                                     "es-ES description must be 1-100"),
    "localised choice name of 101": (_options(_string("a", choices=[
        {"name": "c", "value": "v", "name_localizations": {"de": "c" * 101}}])), "de choice name must be 1-100"),
    "two options one German name": (_options(_string("a", name_localizations={"de": "zeit"}),
                                              _string("b", name_localizations={"de": "zeit"})),
                                    "2 siblings are called 'zeit' in de"),
    "a German name taking an English one": (lambda p: p.append(
        {"type": 1, "name": "info", "description": "d", "name_localizations": {"de": "about"}}),
        "2 siblings are called 'about' in de"),
}


@pytest.mark.parametrize(("breaker", "expected"), LIMIT_BREAKERS.values(), ids=LIMIT_BREAKERS.keys())
def test_the_limit_check_catches(breaker: Callable[[list[dict[str, Any]]], None], expected: str) -> None:
    valid = [{"type": 1, "name": "about", "description": "What Hearth does", "options": []}]
    assert limit_violations(valid) == []
    broken = copy.deepcopy(valid)
    breaker(broken)
    problems = limit_violations(broken)
    assert any(expected in problem for problem in problems), problems


# ---------------------------------------------------------------------------------------------------------------
# Discord's OpenAPI description: the request body of the bulk-overwrite endpoint.


@cache
def _bulk_overwrite_validator() -> Any:
    from jsonschema import Draft202012Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    document = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))
    operation = document["paths"][BULK_OVERWRITE_PATH]["put"]
    assert operation["operationId"] == "bulk_set_application_commands"
    assert "schema" in operation["requestBody"]["content"]["application/json"]
    # OpenAPI 3.1 schemas are JSON Schema 2020-12; "#/components/..." refs resolve within the document.
    uri = "urn:discord:openapi"
    registry = Registry().with_resource(uri, DRAFT202012.create_resource(document))
    segments = ["paths", BULK_OVERWRITE_PATH, "put", "requestBody", "content", "application/json", "schema"]
    pointer = "".join("/" + segment.replace("~", "~0").replace("/", "~1") for segment in segments)
    validator = Draft202012Validator({"$ref": f"{uri}#{quote(pointer, safe='/~')}"}, registry=registry)
    return validator


@pytest.fixture
def bulk_overwrite_validator() -> Any:
    return _bulk_overwrite_validator()  # the file is part of the repository: never skipped


def schema_errors(validator: Any, payload: Any) -> list[str]:
    return [f"{'/'.join(map(str, error.absolute_path)) or '(body)'}: {error.message}"
            for error in validator.iter_errors(payload)]


def test_payload_matches_discords_openapi_schema(bulk_overwrite_validator: Any, payload: list[dict[str, Any]]
                                                 ) -> None:
    as_sent = json.loads(json.dumps(payload))
    assert schema_errors(bulk_overwrite_validator, as_sent) == []
    for command in as_sent:  # one at a time too, so a failure names the command
        assert schema_errors(bulk_overwrite_validator, [command]) == [], f"/{command['name']}"


SCHEMA_BREAKERS: dict[str, Callable[[list[dict[str, Any]]], None]] = {
    "name of 40 characters": lambda p: p[0].update(name="n" * 40),
    "empty name": lambda p: p[0].update(name=""),
    "missing name": lambda p: p[0].pop("name"),
    "type as a string": lambda p: p[0].update(type="1"),
    "unknown command type": lambda p: p[0].update(type=99),
    "description of 101 characters": lambda p: p[0].update(description="d" * 101),
    "options not a list": lambda p: p[0].update(options={"name": "x"}),
    "unknown option type": lambda p: p[0].update(options=[{"type": 99, "name": "x", "description": "d"}]),
    "option without description": lambda p: p[0].update(options=[{"type": STRING, "name": "x"}]),
    "26 options": lambda p: p[0].update(options=[
        {"type": STRING, "name": f"o{i}", "description": "d"} for i in range(26)]),
    "26 choices": lambda p: p[0].update(options=[{"type": STRING, "name": "a", "description": "d", "choices": [
        {"name": f"c{i}", "value": f"v{i}"} for i in range(26)]}]),
    "negative permissions": lambda p: p[0].update(default_member_permissions=-1),
    "unknown context": lambda p: p[0].update(contexts=[7]),
}


@pytest.mark.parametrize("breaker", SCHEMA_BREAKERS.values(), ids=SCHEMA_BREAKERS.keys())
def test_the_schema_check_catches(bulk_overwrite_validator: Any, payload: list[dict[str, Any]],
                                  breaker: Callable[[list[dict[str, Any]]], None]) -> None:
    broken = json.loads(json.dumps(payload))
    assert schema_errors(bulk_overwrite_validator, broken) == []
    breaker(broken)
    assert schema_errors(bulk_overwrite_validator, broken) != []


def test_the_schema_check_wants_an_array_of_commands(bulk_overwrite_validator: Any,
                                                     payload: list[dict[str, Any]]) -> None:
    assert schema_errors(bulk_overwrite_validator, {"commands": payload}) != []
    assert schema_errors(bulk_overwrite_validator, payload[0]) != []

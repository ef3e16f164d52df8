"""The translators' tools: extract the messages from the code and the slash commands, update the catalogs, list
what is missing, take translations in, and check everything the tests check. See README "Languages"."""

from __future__ import annotations

import ast
import io
import json
import re
import string
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.plurals import get_plural
from babel.messages.pofile import write_po

from bot.i18n._catalogs import DOMAINS, LOCALES_DIR, catalog_path, read_catalog, template_path
from bot.i18n.languages import ENGLISH, LANGUAGES, Language

REPO_ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ("bot", "cogs")
# Not member-facing: the demo's narration, and the tools themselves.
SKIPPED_DIRS = ("bot/demo", "bot/i18n", "bot/locales")
KEYWORDS: dict[str, dict[str, Any]] = {
    "hearth": {"_": None, "p_": ((1, "c"), 2), "n_": (1, 2), "N_": None},
    "safety": {"S_": None, "Sn_": (1, 2), "SN_": None},
}
COMMENT_TAG = "i18n:"  # `# i18n: shown on a button, at most 80 characters` above a call reaches translators
REVIEW_LINE = "Native-speaker review: none"

Key = tuple[str | None, str]


def _key(message: Message) -> Key:
    ident = message.id[0] if isinstance(message.id, tuple | list) else message.id
    return (message.context, str(ident))


def _skipped(path: str, root: Path = REPO_ROOT) -> bool:
    relative = Path(path).resolve().relative_to(root.resolve()).as_posix()
    return any(relative == skipped or relative.startswith(skipped + "/") for skipped in SKIPPED_DIRS)


def _extracted(keywords: dict[str, Any], root: Path) -> Iterator[tuple[str, int, Any, list[str], str | None]]:
    for directory in SOURCE_DIRS:
        for filename, lineno, message, comments, context in extract_from_dir(
            root / directory, keywords=keywords, comment_tags=(COMMENT_TAG,), strip_comment_tags=True,
            directory_filter=lambda path: not _skipped(path, root),
        ):
            yield f"{directory}/{filename}", lineno, message, comments, context


def extract_code(domain: str, root: Path = REPO_ROOT) -> Catalog:
    """The messages the code marks for `domain`, with where they are and the translators' comments."""
    # Babel hands a `# i18n:` comment to the next call it extracts: extracting one domain alone would give the
    # next message of that domain the comments meant for the other's in between. So the comments come from one
    # pass over both domains' keywords, and the messages from this domain's.
    every = {name: spec for keywords in KEYWORDS.values() for name, spec in keywords.items()}
    comments_at = {(filename, lineno, str(message), context): comments
                   for filename, lineno, message, comments, context in _extracted(every, root)}
    catalog = Catalog(project="Hearth", fuzzy=False)
    for filename, lineno, message, _comments, context in _extracted(KEYWORDS[domain], root):
        comments = comments_at.get((filename, lineno, str(message), context), [])
        location = (filename, 0)
        existing = catalog.get(message if isinstance(message, str) else message[0], context)
        if existing is not None:
            existing.locations.append(location)
            existing.auto_comments.extend(c for c in comments if c not in existing.auto_comments)
        else:
            catalog.add(message, locations=[location], auto_comments=comments, context=context,
                        flags=["python-brace-format"] if _has_fields(message) else [])
    return catalog


def add_command_strings(catalog: Catalog, strings: Iterable[Any]) -> None:
    """The slash commands' names, descriptions and choices (bot.ui.translator.command_strings)."""
    for item in strings:
        comments = [", ".join(item.where)] if item.where else []
        if item.context in {"command name", "option name"}:
            comments.append("Discord's rules: one lowercase word, letters, digits, - or _, at most 32 characters")
        existing = catalog.get(item.message, item.context)
        if existing is not None:
            existing.auto_comments.extend(c for c in comments if c not in existing.auto_comments)
            continue
        catalog.add(item.message, auto_comments=comments, context=item.context)


def _has_fields(message: str | tuple[str, ...]) -> bool:
    texts = [message] if isinstance(message, str) else list(message)
    return any(fields(text) for text in texts)


def fields(text: str) -> set[str]:
    """The `{name}` placeholders of a message (a text that isn't a format string has none)."""
    try:
        return {name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return {"<not a valid format string>"}


@asynccontextmanager
async def _command_tree() -> AsyncIterator[Any]:
    """The registered command tree of a Bot that never connects, with every extension loaded."""
    # Imported here: the tools are the only part of bot.i18n that needs the Bot, and bot.i18n is imported by
    # the domain, which must not depend on it.
    from bot.app import discover_extensions
    from bot.demo.sim import simulated_bot, simulated_settings
    from bot.store import Store

    settings = simulated_settings("sqlite+aiosqlite:///:memory:")
    async with Store.open(settings.database_url) as store:
        bot = simulated_bot(store, settings)
        for extension in discover_extensions():
            await bot.load_extension(extension)
        yield bot.tree


async def extract_commands() -> list[Any]:
    """What the registered commands would ask a translator for."""
    from bot.ui.translator import command_strings

    async with _command_tree() as tree:
        return await command_strings(tree)


async def localised_command_names(directory: Path = LOCALES_DIR) -> dict[Language, dict[str, dict[str, str]]]:
    """Per language, its names of every command path and option (`command_names`), as the bot registers them."""
    from bot.i18n._catalogs import Catalogs
    from bot.sync import translated_payload
    from bot.ui.translator import HearthTranslator

    async with _command_tree() as tree:
        await tree.set_translator(HearthTranslator(Catalogs.load(directory)))
        payload = await translated_payload(tree)
    return {language: command_names(payload, language.discord_locales[0])
            for language in LANGUAGES if language is not ENGLISH}


def localise_catalog_mentions(directory: Path = LOCALES_DIR) -> int:
    """Rewrites English command names inside every translation to the language's own; how many changed."""
    import asyncio

    names = asyncio.run(localised_command_names(directory))
    changed = 0
    for language, paths in names.items():
        for domain in DOMAINS:
            path = catalog_path(language, domain, directory)
            catalog = read_catalog(path)
            for message in catalog:
                if not message.id or not message.string or message.context in {"command name", "option name"}:
                    continue
                if isinstance(message.string, tuple | list):
                    new: Any = tuple(localise_mentions(form, paths) for form in message.string)
                else:
                    new = localise_mentions(message.string, paths)
                if new != message.string:
                    message.string = new
                    changed += 1
            _write(catalog, path, ignore_obsolete=True)
    return changed


async def templates(root: Path = REPO_ROOT) -> dict[str, Catalog]:
    hearth = extract_code("hearth", root)
    add_command_strings(hearth, await extract_commands())
    return {"hearth": hearth, "safety": extract_code("safety", root)}


def _write(catalog: Catalog, path: Path, **options: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=116, sort_output=True, include_lineno=False, **options)
    path.write_bytes(buffer.getvalue())


def write_templates(found: dict[str, Catalog], directory: Path = LOCALES_DIR) -> None:
    for domain, catalog in found.items():
        catalog.creation_date = datetime(2026, 1, 1, tzinfo=UTC)  # fixed: a template changes only with its messages
        _write(catalog, template_path(domain, directory))


def new_catalog(language: Language, domain: str) -> Catalog:
    catalog = Catalog(locale=language.code, project="Hearth", fuzzy=False)
    catalog.header_comment = (f"# {language.english_name} translations of Hearth's {domain} messages.\n"
                              f"# {REVIEW_LINE}\n"
                              "# (A native speaker who reviews every message writes their name and the date here.)")
    return catalog


def update_catalogs(found: dict[str, Catalog], directory: Path = LOCALES_DIR) -> list[Path]:
    """Every language's catalogs follow the templates: new messages added untranslated, changed ones kept as
    fuzzy (not used until a translator confirms them), removed ones dropped."""
    written = []
    for language in LANGUAGES:
        if language is ENGLISH:
            continue
        for domain, template in found.items():
            path = catalog_path(language, domain, directory)
            catalog = read_catalog(path) if path.exists() else new_catalog(language, domain)
            catalog.update(template, update_creation_date=False)
            _write(catalog, path, ignore_obsolete=True)
            written.append(path)
    return written


# Checks -----------------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Problem:
    language: str
    domain: str
    message: str
    what: str

    def __str__(self) -> str:
        return f"{self.language}/{self.domain}: {self.what}: {self.message!r}"


def nplurals(language: Language) -> int:
    return get_plural(Locale.parse(language.code)).num_plurals


def problems(found: dict[str, Catalog], directory: Path = LOCALES_DIR) -> list[Problem]:
    """Everything wrong with the catalogs against the code: missing, unused or fuzzy messages, placeholders
    that differ from the English, and plural forms that don't parse or don't fit the language."""
    result: list[Problem] = []
    for language in LANGUAGES:
        if language is ENGLISH:
            continue
        for domain in DOMAINS:
            path = catalog_path(language, domain, directory)
            if not path.exists():
                result.append(Problem(language.code, domain, str(path), "no catalog"))
                continue
            result.extend(catalog_problems(found[domain], read_catalog(path), language, domain))
    return result


def catalog_problems(template: Catalog, catalog: Catalog, language: Language, domain: str) -> Iterator[Problem]:
    def problem(message: str, what: str) -> Problem:
        return Problem(language.code, domain, message, what)

    expected = nplurals(language)
    try:
        import gettext

        gettext.c2py(catalog.plural_expr)
    except (ValueError, SyntaxError):
        yield problem(catalog.plural_expr, "plural expression does not parse")
    if catalog.num_plurals != expected:
        yield problem(catalog.plural_forms, f"needs {expected} plural forms")
    translated = {_key(message): message for message in catalog if message.id}
    for message in template:
        if not message.id:
            continue
        key = _key(message)
        found = translated.get(key)
        label = f"{key[0]}: {key[1]}" if key[0] else key[1]
        if found is None or not found.string or (isinstance(found.string, tuple | list) and not all(found.string)):
            yield problem(label, "not translated")
            continue
        if found.fuzzy:
            yield problem(label, "fuzzy (the English changed: confirm the translation)")
            continue
        yield from (problem(label, what) for what in _placeholder_problems(message, found, expected))
    wanted = {_key(message) for message in template if message.id}
    for key in translated.keys() - wanted:
        yield problem(key[1], "no longer in the code (run `python -m bot.i18n update`)")


def _placeholder_problems(message: Message, found: Message, expected_forms: int) -> Iterator[str]:
    if isinstance(message.id, tuple | list):
        english = fields(message.id[0]) | fields(message.id[1])
        forms = [str(form or "") for form in (found.string if isinstance(found.string, tuple | list)
                                               else [found.string])]
        if len(forms) != expected_forms:
            yield f"has {len(forms)} plural forms, the language has {expected_forms}"
        for form in forms:
            unknown = fields(form) - english
            if unknown:
                yield f"unknown placeholders {sorted(unknown)}"
        if forms and fields(forms[-1]) != english:
            # the general plural form has every placeholder (the "one" form may spell the number out)
            yield f"placeholders {sorted(fields(forms[-1]))} differ from the English {sorted(english)}"
    else:
        english, translated = fields(str(message.id)), fields(str(found.string))
        if english != translated:
            yield f"placeholders {sorted(translated)} differ from the English {sorted(english)}"


def marked_calls_problems(root: Path = REPO_ROOT) -> list[str]:
    """Marked calls the extractor can't read: an f-string or an expression where the English should be."""
    names = {name for keywords in KEYWORDS.values() for name in keywords}
    found = []
    for directory in SOURCE_DIRS:
        for path in sorted((root / directory).rglob("*.py")):
            if _skipped(str(path), root):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names):
                    continue
                arguments = node.args[1:] if node.func.id == "p_" else node.args
                for argument in arguments[: 2 if node.func.id.endswith("n_") else 1]:
                    literal = isinstance(argument, ast.Constant) and isinstance(argument.value, str)
                    lookup = isinstance(argument, ast.Name | ast.Attribute | ast.Subscript) and node.func.id in {
                        "_", "S_", "p_"}
                    if not (literal or lookup):
                        where = f"{path.relative_to(root)}:{node.lineno}"
                        found.append(f"{where}: {node.func.id}() needs the English as a string literal")
    return found


# Translations in and out as JSON, for translators without a PO editor ----------------------------------------------
def missing_json(found: dict[str, Catalog], language: Language, domain: str, directory: Path = LOCALES_DIR,
                 paths: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The messages without a translation (optionally only those found under `paths`), one object each:
    msgid, plural (the English plural, for plural messages), context, comments, and an empty translation
    (a list of one text per plural form for plural messages)."""
    path = catalog_path(language, domain, directory)
    catalog = read_catalog(path) if path.exists() else new_catalog(language, domain)
    done = {_key(m) for m in catalog if m.id and m.string and not m.fuzzy and (
        not isinstance(m.string, tuple | list) or all(m.string))}
    result: list[dict[str, Any]] = []
    for message in found[domain]:
        if not message.id or _key(message) in done:
            continue
        if paths and not any(loc.startswith(paths) for loc, _line in message.locations):
            continue
        entry: dict[str, Any] = {"msgid": _key(message)[1]}
        if isinstance(message.id, tuple | list):
            entry["plural"] = message.id[1]
        if message.context:
            entry["context"] = message.context
        if message.auto_comments:
            entry["comments"] = list(message.auto_comments)
        entry["translation"] = [""] * nplurals(language) if "plural" in entry else ""
        result.append(entry)
    return result


def merge_json(found: dict[str, Catalog], language: Language, domain: str, translations: list[dict[str, Any]],
               directory: Path = LOCALES_DIR) -> tuple[int, list[str]]:
    """Puts translations (as `missing_json` lists them) into the catalog, after bringing it up to date with the
    code; returns how many went in and the msgids it doesn't know."""
    path = catalog_path(language, domain, directory)
    catalog = read_catalog(path) if path.exists() else new_catalog(language, domain)
    catalog.update(found[domain], update_creation_date=False)
    unknown, merged = [], 0
    for entry in translations:
        text = entry.get("translation")
        message = catalog.get(entry["msgid"], entry.get("context") or None)
        if message is None:
            unknown.append(entry["msgid"])
            continue
        if not text or (isinstance(text, list) and not all(text)):
            continue
        message.string = tuple(text) if isinstance(message.id, tuple | list) else str(text)
        message.flags.discard("fuzzy")
        merged += 1
    _write(catalog, path, ignore_obsolete=True)
    return merged, unknown


def load_json(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, list) or not all(isinstance(entry, dict) and "msgid" in entry for entry in data):
        raise ValueError(f"{path}: expected a list of objects with msgid and translation")
    return data


# Slash commands named inside texts -------------------------------------------------------------------------------
# A German app shows German command names, so a German text must name `/stimmung erinnerungen`, not `/mood
# reminders`. The names come from the registered commands with their translations, so the two never drift apart.
_MENTION = re.compile(r"(?<![\w/<])/[a-z][\w-]*(?: [a-z][\w-]*(?![\w:-]))*(?: [a-z][\w-]*:[^\s`]*)*")


def command_names(payload: list[dict[str, Any]], locale: str) -> dict[str, dict[str, str]]:
    """{"/mood reminders": {"": "/stimmung erinnerungen", "pause_until": "pausieren_bis"}, …} for `locale`:
    every command path, its name in that locale, and its options' names."""
    found: dict[str, dict[str, str]] = {}

    def local(node: dict[str, Any]) -> str:
        return str((node.get("name_localizations") or {}).get(locale, node["name"]))

    def walk(node: dict[str, Any], english: str, localised: str) -> None:
        options = node.get("options") or []
        children = [option for option in options if option.get("type") in (1, 2)]
        names = {"": localised}
        for option in options:
            if option.get("type") in (1, 2):
                continue
            for name in (option["name"], local(option)):  # a text may already name the option the local way
                names.setdefault(name, local(option))
                for choice in option.get("choices") or ():  # "cadence=daily" -> the choice as the app lists it
                    shown = local(choice)
                    names[f"{name}={choice['value']}"] = shown if " " not in shown else str(choice["value"])
        found[english] = names
        found.setdefault(localised, names)  # a text already half-way there: its options still get their names
        for child in children:
            walk(child, f"{english} {child['name']}", f"{localised} {local(child)}")

    for command in payload:
        if command.get("type", 1) == 1:
            walk(command, "/" + command["name"], "/" + local(command))
    return found


def localise_mentions(text: str, names: dict[str, dict[str, str]]) -> str:
    """`text` with every English command path (and the options typed after it) in the locale's names."""

    def replace(match: re.Match[str]) -> str:
        words = match.group(0).split(" ")
        for size in range(len(words), 0, -1):  # the longest command path that matches
            path = " ".join(words[:size])
            if path in names:
                rest = []
                for word in words[size:]:  # `option:value` typed after it: the option in the locale's name
                    option, colon, value = word.partition(":")
                    shown = names[path].get(f"{option}={value}", value)
                    rest.append(names[path].get(option, option) + colon + shown if colon else word)
                return " ".join([names[path][""], *rest])
        return match.group(0)

    return _MENTION.sub(replace, text)


def mention_problems(catalog: Catalog, names: dict[str, dict[str, str]]) -> list[str]:
    """Translations that name a slash command by its English name where the language has its own."""
    wrong = []
    for message in catalog:
        if not message.id or message.context in {"command name", "option name"}:
            continue
        forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
        for form in forms:
            if form and localise_mentions(form, names) != form:
                wrong.append(f"{form!r} should say {localise_mentions(form, names)!r}")
    return wrong

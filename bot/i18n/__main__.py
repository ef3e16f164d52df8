"""`python -m bot.i18n extract|update|check|missing|merge`: see README "Languages"."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from bot.i18n import tools
from bot.i18n._catalogs import DOMAINS, catalog_path, read_catalog
from bot.i18n.languages import LANGUAGES, language_of_code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.i18n", description="Hearth's message catalogs.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("extract", help="write bot/locales/*.pot from the code and the slash commands")
    commands.add_parser("update", help="extract, then bring every language's catalogs up to date")
    commands.add_parser("check", help="list what is missing or wrong in the catalogs (as the tests do)")
    commands.add_parser("mentions", help="name slash commands inside translations by the language's own names")
    missing = commands.add_parser("missing", help="print the untranslated messages of a language as JSON")
    merge = commands.add_parser("merge", help="put translations from a JSON file into a language's catalog")
    codes = [language.code for language in LANGUAGES[1:]]
    for sub in (missing, merge):
        sub.add_argument("language", choices=codes)
        sub.add_argument("--domain", choices=DOMAINS, default="hearth")
    missing.add_argument("--paths", nargs="*", default=(), help="only messages found under these paths")
    merge.add_argument("file", type=Path)
    args = parser.parse_args(argv)

    if args.command == "mentions":
        print(f"{tools.localise_catalog_mentions()} translations now name commands in their language")
        return 0
    found = asyncio.run(tools.templates())
    if args.command == "extract":
        tools.write_templates(found)
        print(", ".join(f"{domain}: {len(catalog)} messages" for domain, catalog in found.items()))
        return 0
    if args.command == "update":
        tools.write_templates(found)
        for path in tools.update_catalogs(found):
            print(f"updated {path.relative_to(tools.REPO_ROOT)}")
        return 0
    if args.command == "check":
        problems = [str(p) for p in tools.problems(found)] + tools.marked_calls_problems()
        for shipped, names in asyncio.run(tools.localised_command_names()).items():
            for domain in DOMAINS:
                catalog = read_catalog(catalog_path(shipped, domain))
                problems += [f"{shipped.code}/{domain}: {wrong} (run `python -m bot.i18n mentions`)"
                             for wrong in tools.mention_problems(catalog, names)]
        print("\n".join(problems) if problems else "every catalog has every message")
        return 1 if problems else 0
    language = language_of_code(args.language)
    assert language is not None
    if args.command == "missing":
        print(json.dumps(tools.missing_json(found, language, args.domain, paths=tuple(args.paths)),
                         ensure_ascii=False, indent=1))
        return 0
    merged, unknown = tools.merge_json(found, language, args.domain, tools.load_json(args.file))
    print(f"{merged} translations merged into {language.code}/{args.domain}")
    for name in unknown:
        print(f"not a message any more: {name!r}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

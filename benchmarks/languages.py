"""What speaking a member's language costs: a marked text against formatting the English alone, in the same run.

    .venv/bin/python benchmarks/languages.py [--rounds 20]

1. Every message of the catalogs' templates (as `python -m bot.i18n extract` finds them: code and slash
   commands), each filled with placeholder values, rendered through `_` / `p_` / `n_` in English, German and
   Spanish; the floor is `str.format` on the English text alone (what an f-string did before the catalogs).
2. The voice of an interaction: `LanguageService.seen` (memory only: no statement) and `voice_for`, per call.
3. Reading the shipped catalogs (four .po files) from disk, cold, as a process does once at start.

Not part of the test run: nothing here asserts a speed.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.clock import CallableClock  # noqa: E402
from bot.i18n import ENGLISH, GERMAN, SPANISH, Catalogs, _, n_, p_, speaking, voice_for  # noqa: E402
from bot.i18n._catalogs import _load  # noqa: E402
from bot.i18n.tools import fields, templates  # noqa: E402
from bot.services.languages import LanguageService  # noqa: E402


def messages() -> list[tuple[str | None, Any, dict[str, str]]]:
    found = asyncio.run(templates())
    result = []
    for message in found["hearth"]:
        if not message.id:
            continue
        texts = message.id if isinstance(message.id, tuple) else (message.id,)
        params = {name: "x" for text in texts for name in fields(text)}
        result.append((message.context, message.id, params))
    return result


def render_all(items: list[tuple[str | None, Any, dict[str, str]]]) -> None:
    for context, ident, params in items:
        if isinstance(ident, tuple):
            n_(ident[0], ident[1], 3, **params)
        elif context:
            p_(context, ident, **params)
        else:
            _(ident, **params)


def floor_all(items: list[tuple[str | None, Any, dict[str, str]]]) -> None:
    for _context, ident, params in items:
        text = ident[1] if isinstance(ident, tuple) else ident
        if params or isinstance(ident, tuple):
            text.format(**params)


def per_message(func: Any, items: list[Any], rounds: int) -> float:
    """Median seconds per message over `rounds` passes over every message."""
    times = []
    for _round in range(rounds):
        started = time.perf_counter()
        func(items)
        times.append((time.perf_counter() - started) / len(items))
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args(argv)
    print(f"python {platform.python_version()}, when {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")

    _load.cache_clear()
    started = time.perf_counter()
    catalogs = Catalogs.load()
    load_seconds = time.perf_counter() - started
    items = messages()
    floor = per_message(floor_all, items, args.rounds)
    print(f"{len(items)} messages; floor (str.format on the English): {floor * 1e6:.2f} µs a message")
    for language in (ENGLISH, GERMAN, SPANISH):
        with speaking(catalogs.voice(language)):
            took = per_message(render_all, items, args.rounds)
        print(f"  {language.english_name:<8} {took * 1e6:6.2f} µs a message  ({took / floor:.1f}× the floor)")

    service = LanguageService(store=None, clock=CallableClock(lambda: None))  # type: ignore[arg-type]
    calls = 200_000
    started = time.perf_counter()
    for index in range(calls):
        voice_for(catalogs, chosen=service.seen(index % 5_000, "de" if index % 3 else "es-419"), locale="de")
    voice = (time.perf_counter() - started) / calls
    print(f"an interaction's voice (seen + voice_for, 5,000 members): {voice * 1e6:.2f} µs, no statement")
    print(f"reading the catalogs cold (4 .po files): {load_seconds * 1000:.0f} ms, once a process")
    return 0


if __name__ == "__main__":
    sys.exit(main())

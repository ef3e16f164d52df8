"""Every slash command, with whatever a member's client could send: hypothesis picks the values.

Each option gets values of its kind within what Discord enforces (its declared lengths, ranges and choices),
biased toward trouble: empty and huge text, unicode, control characters and NUL, SQL-looking text, dates
far in the past and future, numbers at the edges, and users, channels and roles Discord sent no data for
(a forged interaction). Whatever comes in:

- nothing is unexpected: every error the bot met is one it has a sentence for (bot/tree.py `message_for`);
- the member gets a private answer, a sentence with no Python in it;
- what is stored reads back as typed (trimmed, and without invisible control characters);
- the database stays consistent (SQLite's integrity and foreign-key checks).

Bounded: a handful of examples per command (one SimCord server per command), well under a minute in all.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from bot.tree import UNEXPECTED, message_for
from tests.behaviour.commands_world import (
    BOOLEAN,
    CHANNEL,
    INTEGER,
    MENTIONABLE,
    NUMBER,
    ROLE,
    STRING,
    USER,
    Leaf,
    leaves,
)
from tests.behaviour.events_world import create, setup_events
from tests.behaviour.forge import forge_slash
from tests.behaviour.world import answer, consenting_server, message_text

EXAMPLES = 6
PYTHON_LEAKS = ("Traceback", " object at 0x", "Object id=", "<class '", "NoneType", "Error(", "<bound method")

TRICKY_TEXT = ["\x00", "a\x00b", "\x07\x1b[31m", "'; DROP TABLE checkins; --", "1' OR '1'='1", "%s %n {0} ${x}",
               "Robert'); DELETE FROM events;--", "\u202eevil\u202c", "\u200b", "🙂" * 40, "👨‍👩‍👧", "ｌｏｎｄｏｎ",
               "東京", "مرحبا", "0001-01-01", "9999-12-31 23:59", "1900-01-01 00:00", "in 500 years", "yesterday",
               "25:61", "-1", "9" * 30, "null", "None", "NaN", "\\", "<@1>", "@everyone", "   ", "\t", "\n\n"]
NEVER = 2**53 - 1  # Discord's integer limit


class Forged:
    """An id for a user, channel or role option with no data from Discord behind it."""

    def __init__(self, snowflake: int) -> None:
        self.id = snowflake

    def __repr__(self) -> str:
        return f"Forged({self.id})"


def _text(option: dict[str, Any]) -> st.SearchStrategy[str]:
    low, high = option.get("min_length", 0), option.get("max_length", 6000)
    characters = st.characters(exclude_categories=("Cs",))  # Discord's JSON never carries lone surrogates
    return st.one_of(
        st.sampled_from(TRICKY_TEXT).map(lambda value: value[:high]),
        st.text(characters, min_size=low, max_size=min(high, 40)),
        st.text(characters, min_size=high, max_size=high),  # as long as Discord allows
    ).filter(lambda value: low <= len(value) <= high)


def _number(option: dict[str, Any], *, integer: bool) -> st.SearchStrategy[Any]:
    low, high = option.get("min_value", -NEVER), option.get("max_value", NEVER)
    edges = st.sampled_from(sorted({low, high, 0, 1, -1, 2**31, -(2**31)})).filter(lambda n: low <= n <= high)
    if integer:
        return st.one_of(edges, st.integers(min_value=low, max_value=high))
    return st.one_of(edges.map(float), st.floats(min_value=low, max_value=high, allow_nan=False))


def _value(server: Any, option: dict[str, Any]) -> st.SearchStrategy[Any]:
    kind = option["type"]
    forged = st.integers(min_value=1, max_value=NEVER).map(Forged)
    if option.get("choices") and not option.get("autocomplete"):
        return st.sampled_from([choice["value"] for choice in option["choices"]])
    if kind == STRING:
        return _text(option)
    if kind in (INTEGER, NUMBER):
        return _number(option, integer=kind == INTEGER)
    if kind == BOOLEAN:
        return st.booleans()
    if kind in (USER, MENTIONABLE):
        return st.sampled_from([server.alice, server.bob, server.organiser, server.stranger]) | forged
    if kind == CHANNEL:
        return st.sampled_from([server.general, server.events, server.buddies, server.announcements]) | forged
    if kind == ROLE:
        return st.sampled_from([server.organisers_role]) | forged
    raise AssertionError(f"no strategy for option type {kind}")


def _options(server: Any, leaf: Leaf) -> st.SearchStrategy[dict[str, Any]]:
    required = {o["name"]: _value(server, o) for o in leaf.options if o.get("required")}
    optional = {o["name"]: _value(server, o) for o in leaf.options if not o.get("required")}
    return st.fixed_dictionaries(required, optional=optional)


def _wire(option: dict[str, Any], value: Any) -> dict[str, Any]:
    wire = value.id if hasattr(value, "id") else value
    return {"name": option["name"], "type": option["type"], "value": str(wire) if hasattr(value, "id") else wire}


async def _run(server: Any, leaf: Leaf, options: dict[str, Any]) -> Any:
    actor = server.organiser if leaf.for_organisers else server.alice
    if any(isinstance(value, Forged) for value in options.values()):
        declared = {o["name"]: o for o in leaf.options}
        return await forge_slash(server.env, actor, server.general, leaf.name,
                                 [_wire(declared[name], value) for name, value in options.items()])
    return await actor.slash(server.general, leaf.name, **options)


def _stored_as_typed(typed: str) -> str:
    """What Hearth keeps of what was typed: trimmed, without invisible control characters."""
    kept = "".join(char for char in typed if char in "\t\n\r" or not (ord(char) < 32 or 127 <= ord(char) < 160
                                                                       or char in "\u200b\u202a\u202b\u202c\u202d"
                                                                       "\u202e\u2066\u2067\u2068\u2069\ufeff"))
    return kept.strip()


async def _check_stored(server: Any, store: Any, leaf: Leaf, options: dict[str, Any], said: Any) -> None:
    """Spot checks that what was typed is stored (and shown back) as typed."""
    if leaf.name == "checkin" and options.get("note") and "mood" in options and said is not None \
            and "Your note" in message_text(said):
        # Only Alice checks in on this server, so her latest check-in's id is her count.
        latest = await store.checkins.get(await store.checkins.count(server.alice.id), server.alice.id)
        assert latest is not None and latest.note == _stored_as_typed(options["note"])
    if leaf.name == "hearth checkins" and options.get("resources") and said is not None \
            and said.content.startswith("Saved."):
        saved = await store.guilds.get(server.guild.id)
        assert saved.support_text == (_stored_as_typed(options["resources"]) or None)
    if leaf.name == "event-admin create" and said is not None and said.embeds \
            and (said.embeds[0].title or "").startswith("Check before posting: "):
        assert said.embeds[0].title == f"Check before posting: {_stored_as_typed(options['title'])}"
    if leaf.name == "settings timezone" and said is not None and said.embeds:
        saved = await store.members.get(server.alice.id)
        assert saved.timezone is None or "/" in saved.timezone or saved.timezone == "UTC"


async def _consistent(store: Any) -> None:
    async with store.engine.connect() as connection:
        assert (await connection.execute(text("PRAGMA integrity_check"))).scalar() == "ok"
        assert (await connection.execute(text("PRAGMA foreign_key_check"))).all() == []


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _all_leaves() -> list[str]:
    """The command names, read from the cogs without starting a bot (for parametrize)."""
    import asyncio
    import tempfile
    from pathlib import Path

    from bot.app import discover_extensions
    from bot.demo.sim import simulated_bot, simulated_settings
    from bot.store import Store

    async def names() -> list[str]:
        url = f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'names.db'}"
        async with Store.open(url) as store:
            bot = simulated_bot(store, simulated_settings(url))
            for extension in discover_extensions():
                await bot.load_extension(extension)
            return [leaf.name for leaf in leaves(bot)]

    return asyncio.run(names())


@pytest.fixture
async def server(simcord_env):
    built = await consenting_server(simcord_env)
    built.stranger = simcord_env.create_user("stranger")  # type: ignore[attr-defined]  # in no server here
    await setup_events(built)
    await create(built)  # a meetup, for the commands about one
    return built


@pytest.mark.parametrize("name", _all_leaves())
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
@given(data=st.data())
async def test_any_values_get_a_sentence_and_break_nothing(name, server, simcord_env, store, data):
    # One server per command; the examples share it, as a busy server would.
    leaf = next(leaf for leaf in leaves(simcord_env.bot) if leaf.name == name)
    options = data.draw(_options(server, leaf), label="options")
    errors = _Errors()
    logging.getLogger().addHandler(errors)
    try:
        cursor = simcord_env.error_cursor
        result = await _run(server, leaf, options)
        await simcord_env.advance_time(900)  # past every cooldown, for the next example
    finally:
        logging.getLogger().removeHandler(errors)

    unexpected = [error for error in simcord_env.errors_since(cursor) if message_for(error) is None]
    simcord_env.errors  # noqa: B018 (the expected ones were answered with their sentences; acknowledged here)
    assert unexpected == [], f"/{name} {options!r}: {unexpected!r}"
    assert errors.records == [], f"/{name} {options!r}: {[r.getMessage() for r in errors.records]}"
    assert result.acknowledged, f"/{name} {options!r} was never answered"
    said = answer(result)
    if result.modal is None:
        assert said is not None and result.ephemeral, f"/{name} {options!r}: no private answer"
        shown = message_text(said)
        assert shown and shown != UNEXPECTED, f"/{name} {options!r}: {shown!r}"
        assert not [leak for leak in PYTHON_LEAKS if leak in shown], f"/{name} {options!r}: {shown!r}"
    await _check_stored(server, store, leaf, options, said)
    await _consistent(store)

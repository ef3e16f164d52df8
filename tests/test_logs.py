"""Log lines as an operator's tools read them: JSON objects carrying the guild, shard and due work they concern,
or the unchanged text format. Logging is configured in child processes, so this process's logging is left as
pytest set it up."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from bot.observability.logs import (
    JsonFormatter,
    bind_log_context,
    current_log_context,
    log_context,
    reset_log_context,
)
from tests.behaviour.world import consenting_server, expected_errors
from tests.test_first_run import run_bot, said

TEXT_LINE = re.compile(r"^\d{4}-\d\d-\d\d [\d:,]+ (\w+) +([\w.]+): (.*)$")


@pytest.fixture
def json_lines() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger whose lines are written, as JSON, to a string."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(instance="shard-a"))
    logger = logging.getLogger("tests.json_lines")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    try:
        yield logger, stream
    finally:
        logger.removeHandler(handler)
        logger.propagate = True


def lines_of(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_json_line_has_time_level_logger_message_and_instance(json_lines):
    logger, stream = json_lines

    logger.info("sent %d reminders", 3)

    [line] = lines_of(stream)
    assert line["level"] == "INFO" and line["logger"] == "tests.json_lines"
    assert line["message"] == "sent 3 reminders"
    assert line["instance"] == "shard-a"
    assert isinstance(line["time"], str) and line["time"].endswith("Z")
    logged_at = datetime.fromisoformat(line["time"].replace("Z", "+00:00"))
    assert logged_at.utcoffset() is not None and abs(datetime.now(UTC) - logged_at).total_seconds() < 3600
    assert "exception" not in line and "guild_id" not in line


def test_context_fields_are_on_every_line_inside_nested_contexts_merge_and_leave_on_exit(json_lines):
    logger, stream = json_lines

    with log_context(kind="event_reminder", due_work_id=41, guild_id=1234):
        logger.info("outer")
        with log_context(shard_id=2, guild_id=5678):
            logger.info("inner")
        logger.info("outer again")
    logger.info("outside")

    outer, inner, again, outside = lines_of(stream)
    assert {k: outer[k] for k in ("kind", "due_work_id", "guild_id")} == {
        "kind": "event_reminder", "due_work_id": 41, "guild_id": 1234}
    assert "shard_id" not in outer
    assert (inner["guild_id"], inner["shard_id"], inner["kind"]) == (5678, 2, "event_reminder")
    assert again["guild_id"] == 1234 and "shard_id" not in again
    assert not {"kind", "due_work_id", "guild_id", "shard_id"} & set(outside)
    assert current_log_context() == {}


def test_a_field_given_as_none_is_not_known_there(json_lines):
    logger, stream = json_lines

    with log_context(guild_id=1234, shard_id=0), log_context(guild_id=None, shard_id=None):
        logger.info("in a DM")

    [line] = lines_of(stream)
    assert "guild_id" not in line and "shard_id" not in line


def test_bind_and_reset_for_code_that_cannot_use_with(json_lines):
    logger, stream = json_lines

    token = bind_log_context(kind="digest", due_work_id=7)
    logger.info("bound")
    reset_log_context(token)
    logger.info("reset")

    bound, reset = lines_of(stream)
    assert (bound["kind"], bound["due_work_id"]) == ("digest", 7)
    assert "kind" not in reset


def test_a_field_may_not_take_a_name_every_line_already_has():
    with pytest.raises(ValueError, match="message"), log_context(message="hello"):
        pass
    assert current_log_context() == {}


async def test_each_task_carries_its_own_context(json_lines):
    logger, stream = json_lines
    both_inside = asyncio.Event()
    inside: list[str] = []

    async def handle(guild_id: int) -> None:
        with log_context(guild_id=guild_id):
            inside.append("in")
            if len(inside) == 2:
                both_inside.set()
            await both_inside.wait()  # both contexts are open at once
            logger.info("handled")

    await asyncio.gather(handle(1), handle(2))

    assert sorted(line["guild_id"] for line in lines_of(stream)) == [1, 2]  # type: ignore[type-var]


def test_the_exception_is_under_exception_on_the_same_line(json_lines):
    logger, stream = json_lines

    try:
        raise RuntimeError("the database went away")
    except RuntimeError:
        logger.exception("sweep failed")

    [line] = lines_of(stream)  # one line: the traceback's line breaks are escaped
    assert line["message"] == "sweep failed"
    assert isinstance(line["exception"], str)
    assert "Traceback" in line["exception"] and "RuntimeError: the database went away" in line["exception"]


def test_values_json_cannot_hold_are_written_as_text_and_never_lose_the_line(json_lines):
    logger, stream = json_lines

    class Unprintable:
        def __str__(self) -> str:
            raise RuntimeError("no")

    with log_context(kind=object(), due_work_id=float("nan"), guild_id=Unprintable(), shard_id=float("inf")):
        logger.info("still logged")

    [line] = lines_of(stream)  # json.loads would refuse NaN written bare
    assert str(line["kind"]).startswith("<object object at")
    assert (line["due_work_id"], line["shard_id"], line["guild_id"]) == ("nan", "inf", "<Unprintable>")


def _configured(fmt: str, code: str) -> subprocess.CompletedProcess[str]:
    program = f"from bot.observability.logs import configure_logging; configure_logging('INFO', {fmt!r}); {code}"
    return subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=60)


def test_the_text_format_is_unchanged():
    result = _configured("text", "import logging; logging.getLogger('bot.sweep').info('sent %d', 2)")

    [line] = result.stderr.splitlines()
    match = TEXT_LINE.match(line)
    assert match is not None, line
    assert match.groups() == ("INFO", "bot.sweep", "sent 2")


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_library_loggers_stay_quiet_and_payload_loggers_keep_their_floor_in_both_formats(fmt):
    program = ("import logging; from bot.observability.logs import configure_logging; "
               f"configure_logging('DEBUG', {fmt!r}); print(*(logging.getLogger(name).getEffectiveLevel() for name "
               "in ('discord.client', 'discord.http', 'discord.gateway'))); configure_logging('INFO', "
               f"{fmt!r}); print(logging.getLogger('alembic').getEffectiveLevel())")
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=60)

    debug, info = result.stdout.splitlines()
    assert debug.split() == [str(logging.DEBUG), str(logging.WARNING), str(logging.INFO)]
    assert info == str(logging.WARNING)


def test_hearth_log_format_json_makes_the_command_line_log_json_lines(tmp_path):
    result = run_bot("health", cwd=tmp_path, env={"HEARTH_LOG_FORMAT": "JSON", "HEARTH_INSTANCE": "web-1",
                                                   "HEARTH_ZZZ": "1"})

    assert result.returncode == 1  # no database yet: unhealthy, as without JSON
    said(result)
    logged = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert [(line["level"], line["logger"], line["instance"]) for line in logged] == [("WARNING", "bot", "web-1")]
    assert str(logged[0]["message"]).startswith("HEARTH_ZZZ is not a Hearth setting")
    assert "unhealthy: there is no Hearth database yet" in result.stdout + result.stderr


# --- Interactions carry their guild and shard -------------------------------------------------------------------

@pytest.fixture
def tree_lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("bot.tree")
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


async def test_a_commands_log_lines_carry_its_guild_and_shard(simcord_env, store, tree_lines):
    server = await consenting_server(simcord_env)
    async with store.engine.begin() as connection:  # an unexpected error, which the tree logs
        await connection.execute(text("DROP TABLE member_settings"))

    await server.alice.slash(server.general, "settings show")

    [line] = lines_of(tree_lines)
    assert line["level"] == "ERROR" and "command=settings show" in str(line["message"])
    shard_count = simcord_env.bot.shard_count or 1
    assert (line["guild_id"], line["shard_id"]) == (server.guild.id, (server.guild.id >> 22) % shard_count)
    assert "OperationalError" in str(line["exception"])
    assert expected_errors(simcord_env) == ["OperationalError"]


@pytest.fixture
def statement_lines() -> Iterator[io.StringIO]:
    """SQLAlchemy's statement log (at INFO) as JSON: lines logged by a library, deep inside a command."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("sqlalchemy.engine.Engine")
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


async def test_every_line_logged_while_a_command_runs_carries_its_guild_and_shard(simcord_env, store, statement_lines):
    server = await consenting_server(simcord_env)
    statement_lines.seek(0)
    statement_lines.truncate()  # the set-up's statements

    await server.alice.slash(server.general, "settings timezone", zone="Europe/Paris")

    lines = lines_of(statement_lines)
    assert any("member_settings" in str(line["message"]) for line in lines)
    shard = (server.guild.id >> 22) % (simcord_env.bot.shard_count or 1)
    assert {(line.get("guild_id"), line.get("shard_id")) for line in lines} == {(server.guild.id, shard)}
    assert (await store.members.get(server.alice.id)).timezone == "Europe/Paris"

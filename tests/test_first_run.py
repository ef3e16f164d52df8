"""What a newcomer meets outside the demo, run as a real process: never a traceback, always a sentence.

Every setting that can be wrong (in the environment or .env) is one sentence naming the setting, what it got
and what would work, with exit status 2 (1 from `health`: Docker's HEALTHCHECK reserves 2). A database Hearth
can't use (nothing listening, a host that doesn't exist, a folder it may not write) is the same. `health`
on a fresh install creates nothing and says how to make the database; `db backup` copies only a Hearth
database and never replaces a file without --force. Start-up is quiet: Hearth's own lines, no library chatter.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import discord
import pytest

from bot.__main__ import serve
from bot.config import Settings
from bot.demo.sim import simulated_bot
from bot.store import Store

REPO_ROOT = Path(__file__).resolve().parents[1]
A_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.not-a-real-signature-but-shaped-like-one"
NOBODY = 65534


def run_bot(*args: str, cwd: Path, env: dict[str, str] | None = None,
            as_user: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "HEARTH_"))}
    clean.update(env or {})
    return subprocess.run([*(as_user or []), sys.executable, "-m", "bot", *args], cwd=cwd, env=clean,
                          capture_output=True, text=True, timeout=120, check=False)


def said(result: subprocess.CompletedProcess[str]) -> str:
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "Error:" not in output, output
    return output


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


# --- Settings pydantic refuses: one sentence each, naming the variable ----------------------------------------

BAD_SETTINGS = {  # variable: (a value newcomers write, what the sentence says would work)
    "HEARTH_LOG_LEVEL": ("LOUD", "must be one of DEBUG, INFO, WARNING or ERROR"),
    "HEARTH_DATABASE_URL": ("nonsense", "must be a database URL such as sqlite+aiosqlite:///data/hearth.db"),
    "HEARTH_DEV_GUILD": ("my-server", "must be a server id"),
    "HEARTH_SWEEP_SECONDS": ("-1", "must be a number greater than 0 (the default is 15)"),
    "HEARTH_SWEEP_BATCH": ("lots", "must be a whole number greater than 0 (the default is 200)"),
    "HEARTH_CLAIM_LEASE_SECONDS": ("0", "must be a number greater than 0 (the default is 300)"),
    "HEARTH_MAX_ATTEMPTS": ("1.5", "must be a whole number greater than 0 (the default is 5)"),
    "HEARTH_SEND_CONCURRENCY": ("100", "must be a whole number from 1 to 64 (the default is 8)"),
    "HEARTH_GLOBAL_RATE": ("0", "must be a whole number of at least 1 (the default is 50)"),
    "HEARTH_HEARTBEAT_SECONDS": ("soon", "must be a number greater than 0 (the default is 30)"),
    "HEARTH_HEALTH_MAX_AGE": ("-5", "must be a number greater than 0 (the default is 120)"),
    "HEARTH_DUE_WORK_RETENTION_DAYS": ("7", "must be at least 29 days"),
    "HEARTH_MEMBERS_INTENT": ("maybe", "must be true or false (the default is false)"),
    "HEARTH_SHARD_COUNT": ("many", "must be a whole number from 1 to 4096"),
    "HEARTH_SHARD_IDS": ("first", 'must list shard numbers such as 0,1 or 0-3 ("first" is not one)'),
    "HEARTH_PROCESS_INDEX": ("-1", "must be a whole number of at least 0"),
    "HEARTH_PROCESS_COUNT": ("0", "must be a whole number of at least 1"),
    "HEARTH_LOG_FORMAT": ("xml", "must be text or json (the default is text)"),
    "HEARTH_METRICS_PORT": ("99999", "must be a whole number from 1 to 65535"),
}
# Checked when used (the token, the metrics address: a sentence if it can't be listened on), or free text.
ANY_TEXT_WORKS = {"DISCORD_TOKEN", "HEARTH_INSTANCE", "HEARTH_METRICS_HOST"}


def test_every_setting_that_can_be_refused_is_tried_here():
    aliases = {str(field.validation_alias) for field in Settings.model_fields.values()}
    assert aliases - ANY_TEXT_WORKS == set(BAD_SETTINGS)


@pytest.mark.parametrize("command", [(), ("db", "upgrade"), ("db", "backup", "copy.db"), ("health",)],
                         ids=["run", "db upgrade", "db backup", "health"])
def test_a_log_level_that_does_not_exist_is_one_sentence_on_every_command(tmp_path, command):
    result = run_bot(*command, cwd=tmp_path, env={"HEARTH_LOG_LEVEL": "LOUD", "DISCORD_TOKEN": A_TOKEN})

    assert result.returncode == (1 if command == ("health",) else 2)
    assert 'HEARTH_LOG_LEVEL is "LOUD", but it must be one of DEBUG, INFO, WARNING or ERROR.' in said(result)
    assert list(tmp_path.iterdir()) == []  # nothing made


def test_every_bad_setting_at_once_gets_one_sentence_each_naming_it(tmp_path):
    result = run_bot("db", "upgrade", cwd=tmp_path, env={name: bad for name, (bad, _) in BAD_SETTINGS.items()})

    assert result.returncode == 2
    lines = said(result).strip().splitlines()
    assert lines[0] == "Hearth's settings are not valid (from the environment, or .env in this folder):"
    assert len(lines) == 1 + len(BAD_SETTINGS)
    for name, (bad, works) in BAD_SETTINGS.items():
        [line] = [line for line in lines if line.strip().startswith(f"{name} ")]
        assert line.strip().startswith(f'{name} is "{bad}", but it {works}'), line
        assert line.endswith(".")


@pytest.mark.parametrize(("env", "sentence"), [
    ({"HEARTH_SHARD_IDS": "0,1"}, "HEARTH_SHARD_IDS needs HEARTH_SHARD_COUNT, the number of shards in all."),
    ({"HEARTH_SHARD_COUNT": "2", "HEARTH_SHARD_IDS": "0-3"},
     "The shard settings don't fit together: shard ids must be between 0 and 1."),
    ({"HEARTH_PROCESS_INDEX": "1"}, "HEARTH_PROCESS_INDEX and HEARTH_PROCESS_COUNT go together: set both, or neither."),
    ({"HEARTH_SHARD_COUNT": "2", "HEARTH_PROCESS_INDEX": "0", "HEARTH_PROCESS_COUNT": "3"},
     "The shard settings don't fit together: 3 processes need at least 3 shards, not 2."),
    ({"HEARTH_SHARD_COUNT": "4", "HEARTH_SHARD_IDS": "0", "HEARTH_PROCESS_INDEX": "0", "HEARTH_PROCESS_COUNT": "2"},
     "Set HEARTH_SHARD_IDS or HEARTH_PROCESS_INDEX with HEARTH_PROCESS_COUNT, not both."),
], ids=["ids without a count", "ids past the count", "index alone", "more processes than shards", "both ways"])
def test_shard_settings_that_do_not_fit_together_are_one_sentence(tmp_path, env, sentence):
    result = run_bot("db", "upgrade", cwd=tmp_path, env=env)

    assert result.returncode == 2
    assert said(result).strip().splitlines()[1:] == [f"  {sentence}"]
    assert list(tmp_path.iterdir()) == []


def test_a_bad_setting_in_the_env_file_is_named_the_same_way_when_running(tmp_path):
    (tmp_path / ".env").write_text(f"DISCORD_TOKEN={A_TOKEN}\nHEARTH_DATABASE_URL=nonsense\n")

    result = run_bot(cwd=tmp_path)

    assert result.returncode == 2
    assert 'HEARTH_DATABASE_URL is "nonsense", but it must be a database URL such as' in said(result)
    assert list(tmp_path.iterdir()) == [tmp_path / ".env"]


def test_log_levels_are_forgiving_of_case(tmp_path):
    result = run_bot("db", "upgrade", cwd=tmp_path, env={"HEARTH_LOG_LEVEL": "warning"})

    assert result.returncode == 0, said(result)


@pytest.mark.parametrize(("url", "expected"), [
    ("nonsense", 'HEARTH_DATABASE_URL is "nonsense", but it must be a database URL such as '
                 "sqlite+aiosqlite:///data/hearth.db or postgresql+asyncpg://user:password@host/db."),
    ("postgresql://hearth:s3cret@db.example/hearth",
     'HEARTH_DATABASE_URL is "postgresql://hearth:***@db.example/hearth", but it must use the asyncpg driver '
     "Hearth comes with: postgresql+asyncpg://hearth:***@db.example/hearth."),
    ("sqlite:///data/hearth.db", "must use the aiosqlite driver Hearth comes with: sqlite+aiosqlite:///data/hearth.db."),
    ("mysql://hearth:s3cret@db.example/hearth", "must be a SQLite or PostgreSQL URL"),
    ("postgresql+asyncpg://hearth@db.example/hearth?timeout=soon", "must give the connect timeout in seconds"),
], ids=["nonsense", "postgres without driver", "sqlite without driver", "mysql", "bad timeout"])
def test_a_database_url_hearth_cannot_use_is_a_sentence_never_a_traceback(tmp_path, url, expected):
    result = run_bot("db", "upgrade", cwd=tmp_path, env={"HEARTH_DATABASE_URL": url})

    assert result.returncode == 2
    output = said(result)
    assert expected in output
    assert "s3cret" not in output  # a password is never printed
    assert len(output.strip().splitlines()) == 2  # the heading and one sentence


# --- A database Hearth can't reach or write ------------------------------------------------------------------

@pytest.fixture
def closed_port() -> int:
    """A port nothing listens on: bound a moment ago, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts a connection and never answers: a firewalled or hung PostgreSQL."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield int(server.getsockname()[1])


@pytest.mark.parametrize("command", [(), ("db", "upgrade")], ids=["run", "db upgrade"])
def test_a_postgresql_that_refuses_connections_is_a_sentence_and_exit_2(tmp_path, closed_port, command):
    url = f"postgresql+asyncpg://hearth:s3cret@127.0.0.1:{closed_port}/hearth"

    result = run_bot(*command, cwd=tmp_path, env={"HEARTH_DATABASE_URL": url, "DISCORD_TOKEN": A_TOKEN})

    assert result.returncode == 2
    output = said(result)
    assert (f"Nothing accepts connections for PostgreSQL at 127.0.0.1:{closed_port} (HEARTH_DATABASE_URL is "
            f"postgresql+asyncpg://hearth:***@127.0.0.1:{closed_port}/hearth): start PostgreSQL there, or fix the "
            "host and port.") in output
    assert "s3cret" not in output


def test_health_says_the_same_when_postgresql_refuses(tmp_path, closed_port):
    url = f"postgresql+asyncpg://hearth@127.0.0.1:{closed_port}/hearth"

    result = run_bot("health", cwd=tmp_path, env={"HEARTH_DATABASE_URL": url})

    assert result.returncode == 1
    assert "unhealthy: database unreachable: Nothing accepts connections for PostgreSQL" in said(result)


def test_a_postgresql_that_never_answers_gives_up_after_the_connect_timeout(tmp_path, silent_port):
    url = f"postgresql+asyncpg://hearth@127.0.0.1:{silent_port}/hearth?timeout=0.5"

    result = run_bot("db", "upgrade", cwd=tmp_path, env={"HEARTH_DATABASE_URL": url})

    assert result.returncode == 2
    assert (f"PostgreSQL at 127.0.0.1:{silent_port} didn't answer within 0.5 seconds: check that it runs and that "
            "this machine can reach it.") in said(result)


def test_a_database_host_that_does_not_exist_is_named(tmp_path):
    url = "postgresql+asyncpg://hearth@no-such-host.invalid/hearth"

    result = run_bot("db", "upgrade", cwd=tmp_path, env={"HEARTH_DATABASE_URL": url})

    assert result.returncode == 2
    assert "The database host no-such-host.invalid in HEARTH_DATABASE_URL can't be found" in said(result)


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder an unprivileged user can enter (pytest's tmp_path is private to the user running the tests)."""
    folder = Path(tempfile.mkdtemp(prefix="hearth-first-run-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in folder.rglob("*"):
            if path.is_dir():
                path.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


def as_someone_who_may_not_write(folder: Path) -> list[str]:
    """Root writes into read-only folders anyway: as root, the command runs as `nobody` (through setpriv)."""
    if os.geteuid() != 0:
        return []
    prefix = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    try:
        probe = subprocess.run([*prefix, sys.executable, "-c", "import bot"], cwd=folder, capture_output=True,
                               check=False, timeout=60)
    except FileNotFoundError:  # no setpriv (util-linux)
        probe = None
    if probe is None or probe.returncode != 0:
        pytest.skip("running as root, and this Python can't run as an unprivileged user to meet a read-only folder")
    return prefix


@pytest.mark.parametrize("command", [(), ("db", "upgrade")], ids=["run", "db upgrade"])
def test_a_data_folder_hearth_may_not_write_is_a_sentence_and_exit_2(shared_dir, command):
    locked = shared_dir / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    as_user = as_someone_who_may_not_write(shared_dir)

    for database in (locked / "hearth.db", locked / "data" / "hearth.db"):  # the file, or its folder, to make
        result = run_bot(*command, cwd=shared_dir, as_user=as_user,
                         env={"HEARTH_DATABASE_URL": sqlite_url(database), "DISCORD_TOKEN": A_TOKEN})

        assert result.returncode == 2, said(result)
        output = said(result)
        assert str(locked) in output and "writable" in output
        assert "or set HEARTH_DATABASE_URL to a file in a folder Hearth can write" in output
    assert list(locked.iterdir()) == []


def test_a_file_where_the_data_folder_should_be_is_a_sentence(tmp_path):
    (tmp_path / "data").write_text("not a folder")

    result = run_bot("db", "upgrade", cwd=tmp_path)

    assert result.returncode == 2
    assert "Hearth can't make the folder data for its database: a file is in the way at data." in said(result)


def test_a_database_path_that_is_a_folder_or_not_a_database_is_a_sentence(tmp_path):
    (tmp_path / "folder").mkdir()
    (tmp_path / "notes.txt").write_text("my shopping list\n" * 100)

    folder = run_bot("db", "upgrade", cwd=tmp_path, env={"HEARTH_DATABASE_URL": sqlite_url(tmp_path / "folder")})
    not_sqlite = run_bot("db", "upgrade", cwd=tmp_path,
                         env={"HEARTH_DATABASE_URL": sqlite_url(tmp_path / "notes.txt")})

    assert folder.returncode == 2 and "which is a folder: name a file in it" in said(folder)
    assert not_sqlite.returncode == 2 and "notes.txt is not a SQLite database" in said(not_sqlite)


# --- The token ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("token", "expected"), [
    ("123456789012345678", "DISCORD_TOKEN holds only digits, like an application or user id, not a bot token"),
    (f"Bot {A_TOKEN}", 'DISCORD_TOKEN starts with "Bot ": put the token alone'),
    ("0123456789abcdef0123456789abcdef", "DISCORD_TOKEN doesn't look like a bot token (three parts joined by dots)"),
    (f'"{A_TOKEN}"', "DISCORD_TOKEN has characters a bot token never has"),
], ids=["an id", "Bot prefix", "client secret", "quoted"])
def test_a_token_that_cannot_be_a_bot_token_is_refused_before_anything_else(tmp_path, token, expected):
    result = run_bot(cwd=tmp_path, env={"DISCORD_TOKEN": token})

    assert result.returncode == 2
    output = said(result)
    assert expected in output
    assert A_TOKEN not in output and token not in output  # never printed
    assert list(tmp_path.iterdir()) == []  # refused before the database is made


async def test_a_token_discord_refuses_is_a_sentence_and_exit_2(store: Store, settings: Settings, capsys):
    # What discord.py raises when Discord answers 401 to the token (HTTPClient.static_login); Discord itself
    # can't be asked from a test, so the connection that meets it is this one.
    bot = simulated_bot(store, settings)

    async def refused_login() -> None:
        async with bot:  # as bot.__main__._connect does: discord.py prepares the client, then logs in
            raise discord.LoginFailure("Improper token has been passed.")

    code = await serve(bot, refused_login)

    assert code == 2
    err = capsys.readouterr().err
    assert err.strip() == ("Discord refused the token in DISCORD_TOKEN (it was reset since, or not copied whole): "
                           "reset it in the Developer Portal (Bot → Reset Token) and put the new one in DISCORD_TOKEN.")


async def test_a_members_intent_the_portal_has_not_allowed_is_a_sentence_and_exit_2(store: Store, capsys):
    settings = Settings(_env_file=None, database_url="sqlite+aiosqlite://", instance_name="sim", members_intent=True)

    bot = simulated_bot(store, settings)

    async def refused_intent() -> None:  # what discord.py raises when the gateway closes with 4014
        async with bot:
            raise discord.PrivilegedIntentsRequired(None)

    code = await serve(bot, refused_intent)

    assert code == 2
    err = capsys.readouterr().err
    assert "Server Members Intent" in err and "HEARTH_MEMBERS_INTENT=false" in err


# --- health and backup on a fresh install ------------------------------------------------------------------------

def test_health_on_a_fresh_install_says_how_to_make_the_database_and_creates_nothing(tmp_path):
    result = run_bot("health", cwd=tmp_path)

    assert result.returncode == 1
    assert said(result).strip() == (
        "unhealthy: there is no Hearth database yet at data/hearth.db: make one with `python -m bot db upgrade`, "
        "or just run the bot (`python -m bot`), which makes it when it starts")
    assert list(tmp_path.iterdir()) == []


def test_health_on_an_empty_database_file_says_the_same_and_leaves_it_alone(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "hearth.db").touch()

    result = run_bot("health", cwd=tmp_path)

    assert result.returncode == 1 and "there is no Hearth database yet at data/hearth.db" in said(result)
    assert (tmp_path / "data" / "hearth.db").stat().st_size == 0
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["hearth.db"]


def test_backup_refuses_a_database_with_no_hearth_tables(tmp_path):
    (tmp_path / "data").mkdir()
    sqlite3.connect(tmp_path / "data" / "hearth.db").close()  # an empty SQLite file, as an old `health` left

    result = run_bot("db", "backup", "copy.db", cwd=tmp_path)

    assert result.returncode == 2
    assert "backup not made: data/hearth.db has no Hearth tables, so there is nothing to back up" in said(result)
    assert not (tmp_path / "copy.db").exists()


async def made_database(folder: Path) -> None:
    """data/hearth.db in `folder`, migrated, as `python -m bot db upgrade` there would make it."""
    async with Store.open(sqlite_url(folder / "data" / "hearth.db")) as store:
        await store.upgrade()


async def test_backup_never_replaces_a_file_without_force(tmp_path):
    await made_database(tmp_path)
    (tmp_path / "copy.db").write_text("last week's backup")

    refused = run_bot("db", "backup", "copy.db", cwd=tmp_path)

    assert refused.returncode == 2
    assert said(refused).strip() == ("backup not made: copy.db already exists: choose another path, or add --force "
                                     "to replace it")
    assert (tmp_path / "copy.db").read_text() == "last week's backup"

    forced = run_bot("db", "backup", "copy.db", "--force", cwd=tmp_path)

    assert forced.returncode == 0 and "backup written to copy.db" in said(forced)
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
    copy.close()


async def test_backup_refuses_to_write_over_the_database_itself(tmp_path):
    await made_database(tmp_path)

    result = run_bot("db", "backup", "data/hearth.db", "--force", cwd=tmp_path)

    assert result.returncode == 2 and "is the database itself" in said(result)


def test_backup_of_postgresql_points_to_pg_dump(tmp_path):
    result = run_bot("db", "backup", "copy.db", cwd=tmp_path,
                     env={"HEARTH_DATABASE_URL": "postgresql+asyncpg://hearth@db.example/hearth"})

    assert result.returncode == 2 and "for PostgreSQL use pg_dump" in said(result)


# --- Quiet start-up -------------------------------------------------------------------------------------------

def test_db_upgrade_at_info_prints_only_its_own_line(tmp_path):
    result = run_bot("db", "upgrade", cwd=tmp_path, env={"HEARTH_LOG_LEVEL": "INFO"})

    assert result.returncode == 0
    assert result.stderr == ""  # no "INFO alembic.runtime.plugins: setup plugin …", no migration chatter
    assert result.stdout.startswith("database made at data/hearth.db: revision ")
    again = run_bot("db", "upgrade", cwd=tmp_path, env={"HEARTH_LOG_LEVEL": "INFO"})
    assert again.stderr == "" and "already: nothing to do" in again.stdout


def test_library_chatter_comes_back_at_debug_but_never_what_members_type(tmp_path):
    result = run_bot("db", "upgrade", cwd=tmp_path, env={"HEARTH_LOG_LEVEL": "DEBUG"})

    assert result.returncode == 0 and "alembic.runtime.migration" in result.stderr
    # discord.py logs request bodies (discord.http) and gateway events (discord.gateway) at DEBUG: never logged.
    levels = subprocess.run(
        [sys.executable, "-c", "import logging; from bot.observability.logs import configure_logging; "
         "configure_logging('DEBUG'); print(*(logging.getLogger(name).getEffectiveLevel() for name in "
         "('discord.client', 'discord.http', 'discord.gateway')))"],
        cwd=tmp_path, capture_output=True, text=True, check=True, timeout=60).stdout.split()
    assert levels == [str(logging.DEBUG), str(logging.WARNING), str(logging.INFO)]


def test_the_running_bot_logs_its_own_lines_and_no_library_chatter_or_voice_warnings(tmp_path):
    # The bot as `python -m bot` runs it, at INFO, against SimCord instead of Discord (see sigterm_run.py).
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "HEARTH_"))}
    process = subprocess.Popen([sys.executable, "-m", "tests.behaviour.sigterm_run", sqlite_url(tmp_path / "h.db")],
                               cwd=REPO_ROOT, env=clean, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.strip() == "READY":
                break
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=60)
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
    output = "".join(lines) + rest

    assert process.returncode == 0, output
    assert "PyNaCl" not in output and "davey" not in output and "voice" not in output, output
    logged = [match.groups() for match in re.finditer(r"^\d{4}-\d\d-\d\d [\d:,]+ (\w+) +([\w.]+): (.*)$", output,
                                                      re.MULTILINE)]
    assert {logger.split(".")[0] for _level, logger, _message in logged} == {"bot"}, output  # Hearth's own only
    assert ("INFO", "bot.__main__", "Hearth stopped cleanly") in logged


def test_a_misspelled_setting_is_named_with_the_one_meant(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("HEARTH_SWEEP_SECOND=5\n")

    result = run_bot("db", "upgrade", cwd=tmp_path, env={"HEARTH_LOGLEVEL": "DEBUG", "HEARTH_ZZZ": "1"})

    output = said(result)
    assert result.returncode == 0
    assert "HEARTH_LOGLEVEL is not a Hearth setting, so it is ignored. Did you mean HEARTH_LOG_LEVEL?" in output
    assert "HEARTH_SWEEP_SECOND is not a Hearth setting, so it is ignored. Did you mean HEARTH_SWEEP_SECONDS?" \
        in output
    assert "HEARTH_ZZZ is not a Hearth setting, so it is ignored. The README's Settings table lists them all." \
        in output

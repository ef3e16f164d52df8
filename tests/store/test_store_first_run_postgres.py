"""A real PostgreSQL that answers but refuses Hearth: a sentence naming what to fix, never a traceback.

`python -m bot db upgrade` runs as a process against the embedded PostgreSQL of the store tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.store.migrate import head_revision
from tests.store.conftest import PostgresServer


def upgrade(url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "HEARTH_"))}
    env["HEARTH_DATABASE_URL"] = url
    return subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def test_a_database_that_does_not_exist_says_how_to_make_it(postgres_server: PostgresServer, tmp_path):
    result = upgrade(postgres_server.sqlalchemy_url("no_such_db"), tmp_path)

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f'There is no database "no_such_db" at PostgreSQL on the socket in {postgres_server.socket_dir}: create it '
        "(createdb no_such_db) or fix its name in HEARTH_DATABASE_URL.")


def test_a_user_postgresql_does_not_know_is_named(postgres_server: PostgresServer, tmp_path):
    url = postgres_server.sqlalchemy_url("postgres").replace("postgres@", "stranger:s3cret@", 1)

    result = upgrade(url, tmp_path)

    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "s3cret" not in result.stderr
    assert 'refused user "stranger" (role "stranger" does not exist): check the user name and password in ' \
           "HEARTH_DATABASE_URL." in result.stderr


@pytest.fixture
def backend() -> str:
    return "postgresql"  # any_url: a fresh, empty database of its own on the embedded server


def test_an_empty_database_is_made_then_found_already_there(any_url: str, tmp_path):
    shown = make_url(any_url).render_as_string(hide_password=True)
    made = upgrade(any_url, tmp_path)
    again = upgrade(any_url, tmp_path)

    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == f"database made at {shown}: revision {head_revision()}"
    assert made.stderr == ""  # no library chatter
    assert again.stdout.strip() == f"database at {shown} is at revision {head_revision()} already: nothing to do"

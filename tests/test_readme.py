"""The README's two commands are the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _quickstart_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    quickstart = text.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", quickstart)


def test_readme_starts_with_the_demo_and_test_commands():
    demo, tests, run = _quickstart_commands()[:3]
    assert demo.endswith("python -m bot demo")
    assert tests.endswith("python -m pytest")
    assert run.endswith("python -m bot")


def test_ci_installs_and_tests_exactly_as_the_readme_says():
    _, tests, _ = _quickstart_commands()[:3]
    install, test_command = tests.split(" && .venv/bin/python", 1)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert install in ci.splitlines()
    assert ".venv/bin/python" + test_command in ci.splitlines()


def test_every_setting_is_in_the_readme_table():
    from bot.config import Settings

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for field in Settings.model_fields.values():
        assert f"| `{field.validation_alias}` |" in text

"""compose.yaml, Hearth at scale: PostgreSQL, a migration step, and bot processes that split the shards.

Docker isn't needed: the file is read as YAML, its ${...} variables filled in the way Compose does, and each
Hearth process's environment goes through Hearth's own Settings, so a setting misspelled or shards that
don't add up fail here. (`docker compose config -q`, from Compose v2.40, accepted the file when it was written;
CI has no Docker, so no test here depends on it.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.engine import make_url

from bot.config import Settings

REPO_ROOT = Path(__file__).resolve().parents[1]
COMPOSE = REPO_ROOT / "compose.yaml"
BOT_COMMAND = ["python", "-m", "bot"]  # the image's CMD
MIGRATE_COMMAND = ["python", "-m", "bot", "db", "upgrade"]
HEALTH_COMMAND = ["python", "-m", "bot", "health"]
# What an operator puts in .env: the values only need to be shaped right.
REQUIRED = {"DISCORD_TOKEN": "MTIzNDU2Nzg5.R2FrZQ.not-a-real-token", "POSTGRES_PASSWORD": "0123456789abcdef"}
SETTING_NAMES = {str(field.validation_alias) for field in Settings.model_fields.values()}

_VARIABLE = re.compile(r"\$(?:(?P<escaped>\$)|\{(?P<braced>[^}]*)\}|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))")
_BRACED = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<operator>:?[-?+])(?P<argument>.*))?", re.DOTALL)


class MissingVariable(Exception):
    """A required variable (${NAME:?message}) is not set: Compose stops with the message."""


def interpolate(value: Any, variables: Mapping[str, str]) -> Any:
    """Compose's variable substitution: $$, $NAME, ${NAME}, ${NAME:-default}, ${NAME-default},
    ${NAME:?message}, ${NAME?message}, ${NAME:+other}, ${NAME+other}, in every string of the file."""
    if isinstance(value, dict):
        return {key: interpolate(item, variables) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, variables) for item in value]
    if not isinstance(value, str):
        return value

    def substitute(found: re.Match[str]) -> str:
        if found["escaped"]:
            return "$"
        if found["bare"]:
            return variables.get(found["bare"], "")
        expression = _BRACED.fullmatch(found["braced"])
        assert expression, f"not a Compose variable: {found[0]}"
        name, operator, argument = expression["name"], expression["operator"], expression["argument"] or ""
        current = variables.get(name)
        unset = current is None or (operator is not None and operator.startswith(":") and current == "")
        if operator in ("-", ":-"):
            return argument if unset else str(current)
        if operator in ("?", ":?"):
            if unset:
                raise MissingVariable(f"required variable {name} is missing a value: {argument}")
            return str(current)
        if operator in ("+", ":+"):
            return "" if unset else argument
        return current or ""

    return _VARIABLE.sub(substitute, value)


def environment(service: Mapping[str, Any]) -> dict[str, str]:
    """A service's environment as names and values, from either of Compose's two forms."""
    raw = service.get("environment") or {}
    if isinstance(raw, list):
        raw = dict(entry.split("=", 1) if "=" in entry else (entry, None) for entry in raw)
    return {name: _text(value) for name, value in raw.items()}


def _text(value: object) -> str:
    """A value as the process sees it: YAML's booleans as Compose writes them, no value as empty."""
    if value is None:
        return ""
    return str(value).lower() if isinstance(value, bool) else str(value)


def command(service: Mapping[str, Any]) -> list[str] | None:
    found = service.get("command")
    return found.split() if isinstance(found, str) else found


def published(entry: str | int | Mapping[str, Any]) -> tuple[str, str, str]:
    """A `ports` entry as (host address, host port, container port); an empty address is every interface."""
    if isinstance(entry, Mapping):
        return str(entry.get("host_ip", "")), str(entry.get("published", "")), str(entry["target"])
    parts = str(entry).split("/")[0].rsplit(":", 2)  # [[address:]host port:]container port[/protocol]
    address, host_port, container = ["", "", *parts][-3:]
    return address, host_port, container


def seconds(duration: str) -> float:
    """A Compose duration such as 30s, 1m30s or 1h."""
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|us|h|m|s)", duration)
    assert parts and "".join(number + unit for number, unit in parts) == duration, f"not a duration: {duration}"
    scale = {"h": 3600, "m": 60, "s": 1, "ms": 0.001, "us": 0.000001}
    return sum(float(number) * scale[unit] for number, unit in parts)


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    assert COMPOSE.is_file(), f"no compose.yaml at {COMPOSE}"
    loaded = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict) and isinstance(loaded.get("services"), dict), "compose.yaml has no services"
    return loaded


@pytest.fixture(scope="module")
def services(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    resolved: dict[str, dict[str, Any]] = interpolate(raw["services"], REQUIRED)
    return resolved


@pytest.fixture(scope="module")
def hearth(services: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The services that run Hearth's image: those that build it, and any naming the image they build."""
    built = {service.get("image") for service in services.values() if "build" in service}
    found = {name: service for name, service in services.items() if "build" in service or
             (service.get("image") is not None and service.get("image") in built)}
    assert found, "no service builds Hearth's image"
    return found


@pytest.fixture(scope="module")
def bots(hearth: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The Hearth services that run the bot (the image's CMD), not a one-off command."""
    found = {name: service for name, service in hearth.items() if command(service) in (None, BOT_COMMAND)}
    assert len(found) >= 2, f"compose.yaml should run several bot processes, found {sorted(found)}"
    return found


@pytest.fixture(scope="module")
def migrate(hearth: dict[str, dict[str, Any]]) -> str:
    found = [name for name, service in hearth.items() if command(service) == MIGRATE_COMMAND]
    assert len(found) == 1, f"expected one service running {' '.join(MIGRATE_COMMAND)}, found {found}"
    return found[0]


@pytest.fixture(scope="module")
def database(services: dict[str, dict[str, Any]]) -> str:
    found = [name for name, service in services.items() if str(service.get("image", "")).startswith("postgres:")]
    assert len(found) == 1, f"expected one PostgreSQL service, found {found}"
    return found[0]


def settings_of(env: Mapping[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings as the container would read them: from its environment alone, not this machine's or a .env."""
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)
    return Settings(_env_file=None, **env)


def test_every_hearth_service_runs_the_same_image(hearth: dict[str, dict[str, Any]]) -> None:
    builds = {repr(service.get("build")) for service in hearth.values()}
    images = {service.get("image") for service in hearth.values()}
    assert len(builds) == 1 and len(images) == 1, f"Hearth's services differ in build or image: {builds} {images}"
    build = next(iter(hearth.values())).get("build")  # the same for all, as just checked
    assert build is not None, "every Hearth service builds the image, so none pulls another of that name"
    context = build if isinstance(build, str) else build.get("context", ".")
    assert (REPO_ROOT / context).resolve() == REPO_ROOT and (REPO_ROOT / "Dockerfile").is_file()
    for name, service in hearth.items():
        # The image's USER, WORKDIR and ENTRYPOINT-less CMD are what Hearth is tested with.
        for changed in ("user", "working_dir", "entrypoint", "privileged"):
            assert changed not in service, f"{name} overrides the image's {changed}"


def test_every_setting_is_one_hearth_knows(hearth: dict[str, dict[str, Any]]) -> None:
    for name, service in hearth.items():
        unknown = sorted(set(environment(service)) - SETTING_NAMES)
        assert not unknown, f"{name} sets {unknown}, which Hearth's Settings don't read (a typo?)"


def test_all_share_one_postgresql_database(hearth: dict[str, dict[str, Any]], services: dict[str, dict[str, Any]],
                                           database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    urls = {environment(service).get("HEARTH_DATABASE_URL") for service in hearth.values()}
    assert len(urls) == 1 and None not in urls, f"Hearth's services don't share one HEARTH_DATABASE_URL: {urls}"
    url = make_url(str(next(iter(urls))))
    postgres = environment(services[database])
    assert (url.get_backend_name(), url.host) == ("postgresql", database)
    assert url.port in (None, 5432)
    assert url.username == postgres.get("POSTGRES_USER", "postgres")
    assert url.password == postgres["POSTGRES_PASSWORD"] == REQUIRED["POSTGRES_PASSWORD"]
    assert url.database == postgres.get("POSTGRES_DB", url.username)
    for env in map(environment, hearth.values()):
        assert not settings_of(env, monkeypatch).is_sqlite  # and the URL passes Hearth's own checks


def test_secrets_come_from_the_env_file(raw: dict[str, Any]) -> None:
    """Nothing secret is written in compose.yaml; a missing one stops Compose with a sentence naming .env."""
    for name in REQUIRED:
        others = {other: value for other, value in REQUIRED.items() if other != name}
        with pytest.raises(MissingVariable, match=rf"{name}.*\.env"):
            interpolate(raw["services"], others)
    postgres_env = {str(environment(service).get("POSTGRES_PASSWORD")) for service in raw["services"].values()}
    assert all(value.startswith("${POSTGRES_PASSWORD") for value in postgres_env - {"None"})


def test_the_shards_are_split_with_none_missed_or_doubled(bots: dict[str, dict[str, Any]],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    plans = {}
    for name, service in bots.items():
        plan = settings_of(environment(service), monkeypatch).shard_plan()
        assert plan is not None and not plan.every_shard, f"{name} would run every shard itself"
        plans[name] = plan
    counts = {plan.count for plan in plans.values()}
    assert len(counts) == 1, f"every process must have the same HEARTH_SHARD_COUNT: {plans}"
    run = sorted(shard for plan in plans.values() for shard in plan.ids)
    assert run == list(range(counts.pop())), f"each shard must run in exactly one process: {plans}"


def test_each_process_has_its_own_name(bots: dict[str, dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    names = []
    for name, service in bots.items():
        assert "HEARTH_INSTANCE" in environment(service), f"{name} would be named after its container id"
        names.append(settings_of(environment(service), monkeypatch).instance_name)
    assert len(set(names)) == len(names), f"two processes share a HEARTH_INSTANCE (their heartbeat): {names}"


def test_migrations_run_once_before_the_bots(services: dict[str, dict[str, Any]], bots: dict[str, dict[str, Any]],
                                             migrate: str, database: str) -> None:
    assert services[migrate]["depends_on"][database]["condition"] == "service_healthy"
    assert services[migrate].get("restart") == "no"
    for name, service in bots.items():
        needs = {needed: spec.get("condition") for needed, spec in service["depends_on"].items()}
        assert needs.get(database) == "service_healthy", f"{name} may start before PostgreSQL answers"
        assert needs.get(migrate) == "service_completed_successfully", f"{name} may start before migrations ran"


def test_bots_restart_stop_cleanly_and_check_their_health(bots: dict[str, dict[str, Any]],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    for name, service in bots.items():
        assert service.get("restart") in ("unless-stopped", "always"), f"{name} stays down after a crash"
        # Hearth finishes its work in hand within about 15 s of SIGTERM; Docker's default 10 s cuts that short.
        assert seconds(service.get("stop_grace_period", "10s")) >= 20, f"{name} is killed before it can finish"
        check = service.get("healthcheck", {})
        assert not check.get("disable") and check.get("test") == ["CMD", *HEALTH_COMMAND], f"{name}: {check}"
        settings = settings_of(environment(service), monkeypatch)
        assert settings.log_format == "json", f"{name} doesn't log JSON lines"


def test_postgresql_is_pinned_checked_and_keeps_its_data(services: dict[str, dict[str, Any]], raw: dict[str, Any],
                                                        database: str) -> None:
    postgres = services[database]
    assert re.fullmatch(r"postgres:16\.\d+(-\w+)?", postgres["image"]), f"{postgres['image']} is not a 16.x tag"
    test = postgres["healthcheck"]["test"]
    assert "pg_isready" in (test if isinstance(test, str) else " ".join(test))
    volumes = [str(volume).split(":") for volume in postgres.get("volumes", [])]
    named = [source for source, target, *_ in volumes if target == "/var/lib/postgresql/data"]
    assert named and named[0] in (raw.get("volumes") or {}), "PostgreSQL's data is not on a named volume"
    assert "ports" not in postgres, "PostgreSQL should be reachable from the compose network only"


def test_metrics_reach_the_host_loopback_only(bots: dict[str, dict[str, Any]],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    host_ports = []
    for name, service in bots.items():
        settings = settings_of(environment(service), monkeypatch)
        assert settings.metrics_port is not None, f"{name} serves no metrics"
        # Inside a container 127.0.0.1 is the container's own: only an outside address can be published.
        assert settings.metrics_host == "0.0.0.0", f"{name}'s metrics can't be reached from outside its container"
        for entry in service.get("ports", []):
            host, host_port, container_port = published(entry)
            assert host == "127.0.0.1", f"{name} publishes {entry} beyond this machine"
            assert container_port == str(settings.metrics_port), f"{name} publishes {entry}, not its metrics"
            host_ports.append(host_port)
    assert len(set(host_ports)) == len(host_ports), f"two processes publish the same host port: {host_ports}"


def test_the_file_says_how_to_use_it() -> None:
    header = "\n".join(line for line in COMPOSE.read_text(encoding="utf-8").splitlines() if line.startswith("#"))
    for needed in ("docker compose up -d", ".env", "DISCORD_TOKEN", "POSTGRES_PASSWORD", "HEARTH_SHARD_COUNT"):
        assert needed in header, f"compose.yaml's comments don't mention {needed}"

"""Prometheus metrics: what is counted, served at /metrics by a real server, with label sets that stay bounded
whatever members type."""

from __future__ import annotations

import errno
import socket
from collections.abc import Iterator

import aiohttp
import pytest
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import event, text

from bot.__main__ import shards_label
from bot.app import HearthBot
from bot.observability.metrics import Metrics, MetricsServerError
from bot.sharding import ShardPlan
from bot.tree import component_name
from tests.behaviour.forge import forge_click
from tests.behaviour.test_consent import AGREE
from tests.behaviour.world import build_server, component_id, consenting_server, expected_errors
from tests.test_first_run import A_TOKEN, run_bot, said, sqlite_url

FAMILIES = {
    "hearth_interactions", "hearth_interaction_seconds", "hearth_due_work_claimed", "hearth_due_work_finished",
    "hearth_due_work_lateness_seconds", "hearth_due_work_late", "hearth_discord_requests", "hearth_discord_429",
    "hearth_db_statement_seconds", "hearth_info",
}


def value(metrics: Metrics, family: str, /, **labels: str) -> float:
    sample = metrics.registry.get_sample_value(family, labels)
    return 0.0 if sample is None else sample


def label_sets(metrics: Metrics, family: str) -> list[dict[str, str]]:
    return [sample.labels for metric in metrics.registry.collect() if metric.name == family
            for sample in metric.samples if sample.name == f"{family}_total"]


# --- What is counted -----------------------------------------------------------------------------------------------

def test_interactions_are_counted_by_kind_name_and_outcome_and_timed_by_kind():
    metrics = Metrics()

    metrics.interaction_handled("command", "checkin", "ok", 0.2)
    metrics.interaction_handled("command", "checkin", "ok", 0.4)
    metrics.interaction_handled("component", "hearth:ci:mood", "refused", 0.1)

    assert value(metrics, "hearth_interactions_total", kind="command", name="checkin", outcome="ok") == 2
    assert value(metrics, "hearth_interactions_total", kind="component", name="hearth:ci:mood",
                 outcome="refused") == 1
    assert value(metrics, "hearth_interaction_seconds_count", kind="command") == 2
    assert value(metrics, "hearth_interaction_seconds_sum", kind="command") == pytest.approx(0.6)


def test_due_work_is_counted_claimed_finished_and_late_over_the_threshold():
    metrics = Metrics(late_after_seconds=60)

    metrics.due_work_claimed("event_reminder", 3)
    metrics.due_work_finished("event_reminder", "done", late_seconds=2)
    metrics.due_work_finished("event_reminder", "retried", late_seconds=61)
    metrics.due_work_finished("event_reminder", "gave_up", late_seconds=-1)  # a clock a little ahead: on time

    assert value(metrics, "hearth_due_work_claimed_total", kind="event_reminder") == 3
    for outcome in ("done", "retried", "gave_up"):
        assert value(metrics, "hearth_due_work_finished_total", kind="event_reminder", outcome=outcome) == 1
    assert value(metrics, "hearth_due_work_lateness_seconds_count", kind="event_reminder") == 3
    assert value(metrics, "hearth_due_work_lateness_seconds_sum", kind="event_reminder") == 63
    assert value(metrics, "hearth_due_work_late_total", kind="event_reminder") == 1


def test_requests_and_429s_are_counted():
    metrics = Metrics()

    for _ in range(3):
        metrics.request_sent()
    metrics.rate_limited(retry_after=1.5)

    assert value(metrics, "hearth_discord_requests_total") == 3
    assert value(metrics, "hearth_discord_429_total") == 1


@pytest.mark.parametrize(("call", "args"), [
    ("interaction_handled", ("slash", "checkin", "ok", 0.1)),
    ("interaction_handled", ("command", "checkin", "fine", 0.1)),
    ("due_work_finished", ("digest", "sent", 0.0)),
])
def test_a_label_value_outside_its_set_is_refused_rather_than_a_new_series(call, args):
    metrics = Metrics()

    with pytest.raises(ValueError, match="unknown"):
        getattr(metrics, call)(*args)

    assert b"fine" not in metrics.render() and b"slash" not in metrics.render()


def test_info_names_the_instance_and_its_shards():
    metrics = Metrics(instance="web-1", shards=shards_label(ShardPlan(4, (0, 2))))

    assert value(metrics, "hearth_info", instance="web-1", shards="0,2/4") == 1
    assert shards_label(None) == "all" and shards_label(ShardPlan(2, (0, 1))) == "all"


async def test_database_statements_are_timed_by_dialect_never_by_their_text(store):
    metrics = Metrics()
    metrics.watch_engine(store.engine)
    metrics.watch_engine(store.engine)  # once per engine, however often asked

    statements: list[str] = []  # what the engine ran (the store may begin transactions itself)
    event.listen(store.engine.sync_engine, "after_cursor_execute", lambda *args: statements.append(args[2]))

    async with store.engine.connect() as connection:
        before = value(metrics, "hearth_db_statement_seconds_count", dialect="sqlite")
        statements.clear()
        await connection.execute(text("SELECT 'a secret note' AS note"))
        after = value(metrics, "hearth_db_statement_seconds_count", dialect="sqlite")

    assert "SELECT 'a secret note' AS note" in statements
    assert after - before == len(statements)
    assert b"secret" not in metrics.render() and b"SELECT" not in metrics.render()


def test_gateway_latency_is_read_per_shard_when_scraped_skipping_unknown_ones():
    metrics = Metrics()
    latencies = [(0, 0.05), (1, float("inf")), (2, float("nan"))]
    metrics.watch_gateway(lambda: latencies)

    assert value(metrics, "hearth_gateway_latency_seconds", shard="0") == 0.05
    assert metrics.registry.get_sample_value("hearth_gateway_latency_seconds", {"shard": "1"}) is None
    latencies[:] = [(0, 0.07), (1, 0.09)]  # read again at the next scrape
    assert value(metrics, "hearth_gateway_latency_seconds", shard="1") == 0.09

    metrics.watch_gateway(lambda: [(3, 0.1)])  # replaces, never a duplicate family
    assert metrics.registry.get_sample_value("hearth_gateway_latency_seconds", {"shard": "0"}) is None


def test_a_gateway_that_cannot_answer_does_not_break_the_scrape():
    metrics = Metrics()

    def closed() -> list[tuple[int, float]]:
        raise RuntimeError("not connected")

    metrics.watch_gateway(closed)
    metrics.request_sent()

    assert b"hearth_discord_requests_total 1.0" in metrics.render()


# --- /metrics over HTTP --------------------------------------------------------------------------------------------

async def test_metrics_are_served_at_slash_metrics_by_a_real_server():
    metrics = Metrics(instance="web-1")
    metrics.request_sent()
    await metrics.serve("127.0.0.1", 0)
    try:
        assert metrics.port is not None
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{metrics.port}/metrics") as response:
                status, content_type, body = response.status, response.headers["Content-Type"], await response.text()
            async with session.get(f"http://127.0.0.1:{metrics.port}/") as elsewhere:
                assert elsewhere.status == 404
    finally:
        await metrics.stop()

    assert status == 200 and content_type == CONTENT_TYPE_LATEST
    families = {family.name for family in text_string_to_metric_families(body)}
    assert families >= FAMILIES
    assert metrics.port is None  # stopped


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        yield int(taken.getsockname()[1])


async def test_a_port_in_use_is_an_error_with_a_sentence_naming_the_setting(busy_port):
    metrics = Metrics()

    with pytest.raises(MetricsServerError) as raised:
        await metrics.serve("127.0.0.1", busy_port)

    assert raised.value.sentence() == (
        f"Port {busy_port} at 127.0.0.1 is in use by another program, so Hearth can't serve metrics there "
        "(HEARTH_METRICS_PORT): stop that program, or set HEARTH_METRICS_PORT to a free port.")
    assert metrics.port is None


@pytest.mark.parametrize(("error", "says"), [
    (PermissionError(errno.EACCES, "Permission denied"), "Hearth may not listen on port 80 (HEARTH_METRICS_PORT)"),
    (OSError(errno.EADDRNOTAVAIL, "Cannot assign requested address"),
     "Hearth can't listen on 10.9.8.7 (HEARTH_METRICS_HOST): it is not an address of this machine"),
    (socket.gaierror(socket.EAI_NONAME, "Name or service not known"),
     "Hearth can't find the host 10.9.8.7 (HEARTH_METRICS_HOST)"),
    (OSError(errno.ENETDOWN, "Network is down"), "(HEARTH_METRICS_HOST, HEARTH_METRICS_PORT): network is down."),
], ids=["not allowed", "not this machine", "no such host", "other"])
def test_every_reason_the_server_cannot_listen_is_a_sentence_naming_a_setting(error, says):
    sentence = MetricsServerError("10.9.8.7", 80, error).sentence()

    assert says in sentence and sentence.endswith(".")
    assert "Errno" not in sentence and "Error(" not in sentence


def test_hearth_metrics_port_in_use_is_one_sentence_and_exit_2(tmp_path, busy_port):
    result = run_bot(cwd=tmp_path, env={"DISCORD_TOKEN": A_TOKEN, "HEARTH_METRICS_PORT": str(busy_port),
                                        "HEARTH_DATABASE_URL": sqlite_url(tmp_path / "hearth.db"),
                                        "HEARTH_LOG_FORMAT": "json"})

    assert result.returncode == 2
    output = said(result)
    problems = [line for line in output.splitlines() if not line.startswith("{")]  # the rest are JSON log lines
    assert problems == [f"Port {busy_port} at 127.0.0.1 is in use by another program, so Hearth can't serve "
                        "metrics there (HEARTH_METRICS_PORT): stop that program, or set HEARTH_METRICS_PORT to a "
                        "free port."]


# --- Interactions, as the tree counts them ----------------------------------------------------------------------

@pytest.fixture
def metrics(simcord_bot: HearthBot) -> Metrics:
    """The bot's own (HearthBot.metrics), which its command tree records into."""
    assert isinstance(simcord_bot.metrics, Metrics)
    return simcord_bot.metrics


async def test_commands_are_counted_by_name_and_outcome(simcord_env, metrics):
    server = await consenting_server(simcord_env)

    await server.alice.slash(server.general, "settings timezone", zone="Europe/Paris")
    await server.alice.slash(server.general, "settings timezone", zone="Londn")  # refused, with a sentence

    counted = value(metrics, "hearth_interactions_total", kind="command", name="settings timezone", outcome="ok")
    refused = value(metrics, "hearth_interactions_total", kind="command", name="settings timezone",
                    outcome="refused")
    assert (counted, refused) == (1, 1)
    assert value(metrics, "hearth_interaction_seconds_count", kind="command") == 2
    assert expected_errors(simcord_env) == ["UnknownTimeZone"]


async def test_an_unexpected_error_is_counted_as_an_error(simcord_env, store, metrics):
    server = await consenting_server(simcord_env)
    async with store.engine.begin() as connection:
        await connection.execute(text("DROP TABLE member_settings"))

    await server.alice.slash(server.general, "settings show")

    assert value(metrics, "hearth_interactions_total", kind="command", name="settings show", outcome="error") == 1
    assert expected_errors(simcord_env) == ["OperationalError"]


async def test_what_members_type_never_makes_a_label(simcord_env, metrics):
    server = await consenting_server(simcord_env)
    typed = ["Atlantis/Lost City", "my-secret-zone", "Europe/Berlin", "zone 42"]

    for zone in typed:
        await server.alice.slash(server.general, "settings timezone", zone=zone)
        await server.alice.autocomplete(server.general, "settings timezone", "zone", zone)
    simcord_env.errors  # noqa: B018 (the made-up zones were refused with a sentence; acknowledged here)

    names = {(labels["kind"], labels["name"]) for labels in label_sets(metrics, "hearth_interactions")}
    assert names == {("command", "settings timezone"), ("autocomplete", "settings timezone")}
    assert value(metrics, "hearth_interactions_total", kind="autocomplete", name="settings timezone",
                 outcome="ok") == len(typed)
    rendered = metrics.render().decode()
    assert not any(zone in rendered for zone in typed)


@pytest.mark.parametrize(("custom_id", "name"), [
    ("hearth:ci:mood:3:812345678901234567", "hearth:ci:mood"),
    ("hearth:ci:stop", "hearth:ci:stop"),
    ("hearth:ev:rsvp:17:going", "hearth:ev:rsvp"),
    ("hearth:bd:join:interests:812345678901234567:ab12cd34", "hearth:bd:join:interests"),
    ("hearth:nudge:less:digest", "hearth:nudge:less:digest"),  # four parts at most, and these are a fixed set
    ("hearth:ci:notemodal:abcdefabcdef", "hearth:ci:notemodal"),  # a modal's random suffix, all letters
    ("hearth:ci:notemodal:0a1b2c3d4e5f", "hearth:ci:notemodal"),
    ("hearth:ci:pick:note:1:2:ab", "hearth:ci:pick:note"),
    ("9f3c1e0b7a2d4c6e8f0a1b2c3d4e5f60", "other"),  # discord.py's random custom_id
    ("someone-else:thing", "other"),
    (None, "other"),
])
def test_a_components_name_is_its_custom_ids_fixed_prefix(custom_id, name):
    assert component_name(custom_id) == name


def components(metrics: Metrics, outcome: str) -> dict[str, float]:
    """Component clicks counted with this outcome, by name."""
    return {sample.labels["name"]: sample.value for family in metrics.registry.collect()
            for sample in family.samples
            if sample.name == "hearth_interactions_total" and sample.labels.get("kind") == "component"
            and sample.labels.get("outcome") == outcome}


async def test_persistent_buttons_are_counted_with_their_fixed_name_and_a_refusal_as_refused(simcord_env, metrics):
    server = build_server(simcord_env)  # nobody has agreed yet: the first check-in shows the notice
    shown = await server.alice.slash(server.general, "checkin", mood=4)
    agree = component_id(shown.response, AGREE)

    await forge_click(simcord_env, server.bob, shown.response, agree)  # Bob presses Alice's "I agree"
    await server.alice.click(shown.response, custom_id=agree)

    name = component_name(agree)
    assert name.startswith("hearth:") and not any(ch.isdigit() for ch in name)
    assert components(metrics, "refused") == {name: 1}
    assert components(metrics, "ok") == {name: 1}


async def test_view_buttons_are_counted_too(simcord_env, metrics):
    server = await consenting_server(simcord_env)
    shown = await server.alice.slash(server.general, "checkin")  # the mood picker, a view bound to Alice

    await server.alice.click(shown.response, label="Great")

    assert sum(components(metrics, "ok").values()) == 1
    assert value(metrics, "hearth_interaction_seconds_count", kind="component") == 1

"""A check-in is one transaction on one pooled connection: it commits whole or not at all, and the
"your DMs were closed" notice costs nothing for members who have nothing waiting."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import event, text

from bot.services.members import NOTICE_REFRESH
from bot.tree import UNEXPECTED
from tests.behaviour.buddies_world import configure, join
from tests.behaviour.world import answer, consenting_server, embed_text, expected_errors

NOTICE = "Discord wouldn't let me send you a direct message"


@pytest.fixture
async def server(simcord_env):
    return await consenting_server(simcord_env)


@contextmanager
def counting_checkouts(store) -> Iterator[list[int]]:
    """Every connection the bot takes from the pool while the block runs (observed, nothing replaced)."""
    taken: list[int] = []

    def checkout(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        taken.append(id(dbapi_connection))

    engine = store.engine.sync_engine
    event.listen(engine, "checkout", checkout)
    try:
        yield taken
    finally:
        event.remove(engine, "checkout", checkout)


async def _trigger(store, sql: str) -> None:
    async with store.engine.begin() as connection:
        await connection.execute(text(sql))


def _told(result) -> int:
    return sum(NOTICE in followup.content for followup in result.followups)


async def test_a_checkin_with_mood_and_note_takes_one_connection(server, store):
    await server.alice.slash(server.general, "settings timezone", zone="Europe/London")

    with counting_checkouts(store) as taken:
        result = await server.alice.slash(server.general, "checkin", mood=4, note="Tea with my sister.")

    assert "Tea with my sister." in embed_text(result)
    assert len(taken) == 1  # settings, insert, streak and count; the DM-notice check after it costs nothing
    assert [mood for _, mood in await store.checkins.moods_since(server.alice.id, date(2000, 1, 1))] == [4]


async def test_a_hard_day_with_a_crisis_note_still_takes_one_connection(server, store):
    support = server.guild.create_text_channel("mod-support")
    await server.organiser.slash(server.general, "hearth checkins", support_channel=support,
                                 resources="Talk to any @Helper.")

    with counting_checkouts(store) as taken:
        result = await server.alice.slash(server.general, "checkin", mood=1, note="I want to end my life")

    assert "help is there right now" in embed_text(result) and "Talk to any @Helper." in embed_text(result)
    assert len(taken) == 1  # also the server's support settings and the buddy lookup


async def test_a_low_mood_offers_the_buddy_from_the_same_connection(server, store):
    await configure(server)
    await join(server.alice, server.general)
    await join(server.bob, server.general)
    await server.organiser.slash(server.general, "hearth buddies pair-now")

    with counting_checkouts(store) as taken:
        result = await server.alice.slash(server.general, "checkin", mood=2)

    assert f"Your buddy: <@{server.bob.id}> is there for you" in embed_text(result)
    assert len(taken) == 1


async def test_a_pending_dm_notice_is_told_once_and_costs_only_its_claim(server, store, simcord_env):
    await simcord_env.bot.services.members.dms_refused(server.alice.id)  # as when a DM to her bounced

    with counting_checkouts(store) as taken:
        first = await server.alice.slash(server.general, "checkin", mood=3, note="Busy day.")

    assert _told(first) == 1
    assert len(taken) == 2  # the check-in, then the one claim of her notice
    with counting_checkouts(store) as taken:
        second = await server.alice.slash(server.general, "checkin", mood=3, note="Calmer now.")
    assert _told(second) == 0 and len(taken) == 1
    other = await server.bob.slash(server.general, "checkin", mood=5)
    assert _told(other) == 0


async def test_a_refusal_recorded_by_another_process_is_told_within_a_sweep_interval(server, store, simcord_env):
    now = simcord_env.now()
    await store.members.update(server.alice.id, now, dms_closed_at=now)  # another shard's fan-out bounced

    await simcord_env.advance_time(NOTICE_REFRESH.total_seconds())
    told = await server.alice.slash(server.general, "about")
    again = await server.alice.slash(server.general, "about")

    assert (_told(told), _told(again)) == (1, 0)
    assert (await store.members.get(server.alice.id)).dms_closed_notified_at is not None


async def test_a_checkin_whose_write_fails_stores_nothing_and_says_so_politely(server, store, simcord_env):
    await server.alice.slash(server.general, "checkin", mood=4)
    # Fails after the row is written: the insert must be rolled back with everything else.
    await _trigger(store, "CREATE TRIGGER checkin_breaks AFTER INSERT ON checkins BEGIN SELECT RAISE(ABORT, 'x'); END")

    result = await server.alice.slash(server.general, "checkin", mood=2, note="Rough one.")

    assert result.ephemeral and result.response.content == UNEXPECTED
    assert await store.checkins.count(server.alice.id) == 1
    assert expected_errors(simcord_env) == ["IntegrityError"]

    await _trigger(store, "DROP TRIGGER checkin_breaks")
    retried = await server.alice.slash(server.general, "checkin", mood=2, note="Rough one.")
    assert "Sorry today is hard" in embed_text(retried)
    assert await store.checkins.count(server.alice.id) == 2


async def test_a_checkin_that_fails_after_its_insert_is_rolled_back_whole(server, store, simcord_env):
    # A hard day reads the server's support after the row is written; that read now fails.
    await _trigger(store, "ALTER TABLE guild_settings RENAME TO guild_settings_away")

    result = await server.alice.slash(server.general, "checkin", mood=2, note="Rough one.")

    assert result.response.content == UNEXPECTED
    assert await store.checkins.count(server.alice.id) == 0
    assert expected_errors(simcord_env) == ["OperationalError"]


async def test_a_note_whose_answer_fails_half_way_is_not_kept(server, store, simcord_env):
    await server.organiser.slash(server.general, "hearth checkins", resources="Talk to any @Helper.")
    result = await server.alice.slash(server.general, "checkin", mood=2)
    modal = await server.alice.click(result.response, custom_id="hearth:ci:note:1")
    # The note is written first; reading the server's support for the hard-day answer then fails.
    await _trigger(store, "ALTER TABLE guild_settings RENAME TO guild_settings_away")

    failed = await server.alice.submit_modal(modal, {"note": "Nobody answered."})

    assert failed.response.content == UNEXPECTED
    assert (await store.checkins.get(1, server.alice.id)).note is None
    assert expected_errors(simcord_env) == ["OperationalError"]


async def test_a_reminder_and_its_first_prompt_are_saved_together_or_not_at_all(server, store, simcord_env):
    await server.alice.slash(server.general, "settings timezone", zone="Europe/London")
    await _trigger(store, "CREATE TRIGGER reminder_breaks BEFORE INSERT ON checkin_reminders "
                          "BEGIN SELECT RAISE(ABORT, 'x'); END")

    result = await server.alice.slash(server.general, "mood reminders", cadence="daily", time="09:00")

    assert answer(result).content == UNEXPECTED
    assert await store.reminders.get(server.alice.id) is None
    assert (await store.due_work.counts())["open"] == 0  # the prompt row went with it
    assert expected_errors(simcord_env) == ["IntegrityError"]


async def test_stopping_prompts_takes_one_connection(server, store, simcord_env):
    await server.alice.slash(server.general, "settings timezone", zone="Europe/London")
    await server.alice.slash(server.general, "mood reminders", cadence="daily", time="09:00")
    key = (await store.reminders.get(server.alice.id)).next_key

    with counting_checkouts(store) as taken:
        off = await server.alice.slash(server.general, "mood reminders", cadence="off")

    assert off.response.content == "Check-in reminders are off now."
    assert len(taken) == 1
    assert await store.due_work.get(key) is None
    await simcord_env.advance_time(timedelta(days=2).total_seconds())
    await simcord_env.bot.due_work.sweep()
    assert [m for m in server.alice.user.dm_channel.history() if m.embeds] == []

"""A member's deletion on SQLite and PostgreSQL: after it, no table holds their id (the walk covers every table
in `bot.store.tables.metadata`, every column, so a table added later fails here until it is handled), what is
left for others is intact and keeps no link back to them, and "this server" leaves other servers be.

Also: the export reads what is there, pseudonyms keep blocks and recent pairs for a member who comes back,
and the retention sweep clears old check-in notes per server.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from bot.clock import ManualClock
from bot.domain.buddies import BuddyConfig, BuddyProfile, RoundPlan
from bot.domain.buddy_work import BuddyDm
from bot.domain.checkin_schedule import CheckinPrompt
from bot.domain.checkins import Reminder
from bot.domain.event_reminders import EventReminder
from bot.domain.helplines import load_helplines
from bot.domain.meeting_times import Interval
from bot.domain.notices import DmNotice
from bot.domain.nudge_work import DigestDue
from bot.domain.nudges import NudgePrefs
from bot.domain.privacy import Scope, pseudonym
from bot.domain.work import Planned
from bot.services import Services
from bot.store import Store
from bot.store.tables import checkins, metadata
from tests.store.conftest import AddEvent

T0 = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
ALICE = 734_512_998_101_112_233  # the member who deletes their data
BOB = 845_623_009_212_223_344  # another member, whose data must survive
CAROL = 956_734_110_323_334_455  # someone Alice blocked
HERE, THERE = 1_111, 2_222  # two servers

# Tables that never hold a member's id. Every other table must hold Alice's before the deletion (so the builder
# below covers it) and must not after it: a new table with member data fails this test until it is handled.
NO_MEMBER_DATA = {"meta", "buddy_groups", "pulse_weeks", "leases", "rate_budget"}  # pulse_weeks: frozen totals


def services(store: Store, now: datetime = T0) -> Services:
    return Services(store, ManualClock(now), load_helplines())


async def _member_everywhere(store: Store, add_event: AddEvent, user: int, guild: int, *, partner: int,
                             tag: str, dm_checkin: bool = True) -> dict[str, int]:
    """`user` with data in every table, in `guild`; `partner` shares a buddy group and blocks them."""
    ids: dict[str, int] = {}
    await store.members.update(user, T0, timezone="Europe/London", consent_version=1, consent_at=T0,
                               dm_channel_id=user + 1)
    await store.guilds.update(guild, T0, user, timezone="Europe/London")
    for where in (guild, None) if dm_checkin else (guild,):
        await store.checkins.add(user_id=user, guild_id=where, mood=2, note=f"{tag}: a hard day", local_date=T0.date(),
                                 source="command", now=T0)
    prompt = CheckinPrompt(user, T0 + timedelta(days=1))
    await store.reminders.save(Reminder(user_id=user, guild_id=guild, cadence="daily", weekday=None,
                                        local_time=time(9, 0), enabled=True, stopped_reason=None,
                                        next_key=prompt.key()), T0)
    await store.ages.confirm(guild, user, 18, T0)
    await store.buddies.save_config(BuddyConfig(guild_id=guild, enabled=True), user, T0)
    await store.buddies.save_profile(BuddyProfile(guild_id=guild, user_id=user, interests=("walks",), area="Leeds",
                                                  preference="either", frequency="every"), T0)
    await store.buddies.block(guild, user, CAROL, T0)
    await store.buddies.block(guild, partner, user, T0)
    first, _ = await store.buddies.create_round(RoundPlan(
        guild_id=guild, round_key=f"r1:{guild}:{tag}", started_at=T0 - timedelta(days=14),
        followup_at=T0 - timedelta(days=9), ends_at=T0, pool=[user, partner],
        groups=[((user, partner), {"interests": ["walks"]})], unmatched=[], sat_out=[]))
    group = (await store.buddies.groups(first.id))[0]
    await store.buddies.record_answer(group.id, user, "in_person", T0)
    await store.buddies.create_round(RoundPlan(
        guild_id=guild, round_key=f"r2:{guild}:{tag}", started_at=T0, followup_at=T0 + timedelta(days=5),
        ends_at=T0 + timedelta(days=14), pool=[user], groups=[], unmatched=[user], sat_out=[]))
    event = await add_event(store, guild_id=guild, creator_id=user, capacity=1, title=f"{tag} walk")
    await store.events.rsvp(event.id, user, "going", T0, display_name=f"{tag} the walker")
    await store.series.create(T0, guild_id=guild, frequency="weekly", zone="Europe/London", first_start=event.start_at,
                              count=4, until=None, stopped_after=None, title="Weekly walk", description=None,
                              duration_minutes=60, mode="in_person", venue="Gate", area="Leeds", link=None,
                              capacity=None, tag="walk", creator_id=user)
    await store.companions.request(event.id, user, T0)
    poll = await store.meetings.create(guild_id=guild, kind="buddy", ref=group.id, event_id=None, channel_id=None,
                                       members=[user, partner], window_start=T0, window_end=T0 + timedelta(days=7),
                                       duration=timedelta(minutes=60), created_by=user, now=T0)
    await store.meetings.answer(poll, user, [Interval(T0 + timedelta(days=1), T0 + timedelta(days=1, hours=3))], T0)
    past = await add_event(store, guild_id=guild, start_at=T0 - timedelta(days=3),
                           end_at=T0 - timedelta(days=3) + timedelta(hours=2))
    await store.feedback.record(past.id, user, T0, how="good", met_new=True)
    await store.nudges.save(NudgePrefs(user_id=user, guild_id=guild, digest_enabled=True, digest_weekday=0,
                                       local_time=time(18, 0), digest_every_weeks=1, quiet_enabled=True,
                                       quiet_days=7, buddy_enabled=True), T0)
    await store.nudges.record_send(user, "digest", f"nudge.digest:{user}:2026-W13", T0)
    await store.due_work.plan([
        Planned(prompt, prompt.due or T0),
        Planned(EventReminder(event.id, user, "day", event.start_at), event.start_at - timedelta(days=1)),
        Planned(BuddyDm(f"met:{group.id}", user, "Did you meet?", met_group_id=group.id), T0),
        Planned(DigestDue(user, "2026-W15"), T0 + timedelta(days=5)),
        Planned(DmNotice(user_id=user, text="An old notice naming no server"), T0 + timedelta(hours=1)),
        Planned(DmNotice(occasion=f"event-cancelled:{past.id}", user_id=user, text="Cancelled, sorry."),
                T0 - timedelta(days=2)),
        # Introductions by DM name the partner: the partner's row mentions this member.
        Planned(BuddyDm(f"intro:{group.id}", partner, f"Meet {tag} (<@{user}>)!"), T0),
        Planned(BuddyDm(f"intro-sent:{group.id}", partner, f"You met {tag} (<@{user}>) last time."),
                T0 - timedelta(days=1)),
    ], now=T0)
    # Two rows already sent: one of theirs, and the partner's that names them.
    claimed = await store.due_work.claim_due(T0 - timedelta(hours=12), 10, "test", lease=timedelta(minutes=5))
    await store.due_work.complete_many([item.id for item in claimed], "test", T0)
    # And a server's row whose last failed attempt left an error naming them.
    await store.due_work.schedule("buddy.round", {"guild_id": guild}, T0, f"round-{tag}", now=T0)
    (failing,) = await store.due_work.claim_due(T0, 10, "test", lease=timedelta(minutes=5), kinds=["buddy.round"])
    await store.due_work.fail(failing, "test", T0, f"RuntimeError: member {user} vanished", max_attempts=5)
    ids.update(event=event.id, past=past.id, group=group.id, round=first.id)
    return ids


async def _rows(store: Store) -> dict[str, list[dict[str, Any]]]:
    async with store.engine.connect() as connection:
        return {table.name: [dict(row._mapping) for row in await connection.execute(select(table))]
                for table in metadata.sorted_tables}


def _naming(value: Any, user_id: int) -> bool:
    """Whether a stored value holds the id: equal as a number, or inside as text (JSON included)."""
    if isinstance(value, bool) or value is None or isinstance(value, datetime | date):
        return False
    if isinstance(value, int):
        return value == user_id
    text = value if isinstance(value, str) else json.dumps(value)
    return str(user_id) in text


def _tables_naming(rows: dict[str, list[dict[str, Any]]], user_id: int) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for table, table_rows in rows.items():
        for row in table_rows:
            for column, value in row.items():
                if _naming(value, user_id):
                    found.setdefault(table, []).append(column)
    return {table: sorted(set(columns)) for table, columns in found.items()}


async def test_deleting_everywhere_leaves_no_trace_in_any_table(any_store: Store, add_event: AddEvent) -> None:
    alice = await _member_everywhere(any_store, add_event, ALICE, HERE, partner=BOB, tag="alice")
    await _member_everywhere(any_store, add_event, BOB, THERE, partner=CAROL, tag="bob")
    # Bob is on the waitlist of Alice's full meetup.
    assert (await any_store.events.rsvp(alice["event"], BOB, "going", T0)).status == "waitlist"
    before = await _rows(any_store)
    uncovered = {table.name for table in metadata.sorted_tables} - NO_MEMBER_DATA - set(_tables_naming(before, ALICE))
    assert not uncovered, f"the test member has no data in {sorted(uncovered)}: add it to _member_everywhere"
    bob_before = await services(any_store).privacy.export(BOB)

    deleted = (await services(any_store).privacy.delete(ALICE, Scope())).held

    assert deleted.checkins == 2 and deleted.settings == 1 and deleted.scheduled >= 5
    after = await _rows(any_store)
    assert _tables_naming(after, ALICE) == {}
    # What others keep names the pseudonym instead.
    secret = await any_store.privacy.secret()
    assert secret is not None
    alias = pseudonym(secret, ALICE)
    assert await any_store.buddies.blocked_pairs(HERE) >= {frozenset((BOB, alias))}
    assert await any_store.buddies.pairs_in_rounds([alice["round"]]) == {frozenset((BOB, alias))}
    assert (await any_store.events.get(alice["event"])).creator_id == alias
    # Bob's data is intact, but for what named Alice; and Alice's seat is offered to him (the offer's DM and
    # deadline are his scheduled work now).
    bob_after = await services(any_store).privacy.export(BOB)
    for name, section in bob_before.document["sections"].items():
        if name not in ("buddy_blocks", "meetup_answers", "scheduled"):
            assert bob_after.document["sections"][name] == section, name
    assert [row["blocked_member_id"] for row in bob_after.document["sections"]["buddy_blocks"]] == [None, str(CAROL)]
    assert {row["meetup_id"]: row["status"] for row in bob_after.document["sections"]["meetup_answers"]}[
        str(alice["event"])] == "offered"
    assert len(bob_after.document["sections"]["scheduled"]) > len(bob_before.document["sections"]["scheduled"])
    assert await any_store.checkins.count(BOB) == 2 and (await any_store.members.get(BOB)).timezone is not None
    # The partner's pending introduction no longer names Alice; the one already sent lost its text.
    intro = await any_store.due_work.get(BuddyDm(f"intro:{alice['group']}", BOB).key())
    assert intro is not None and intro["payload"]["text"] == "Meet alice (another member)!"
    sent = await any_store.due_work.get(BuddyDm(f"intro-sent:{alice['group']}", BOB).key())
    assert sent is not None and sent["done_at"] is not None and sent["payload"]["text"] == ""


async def test_deleting_twice_and_after_a_block_made_again_is_safe(any_store: Store, add_event: AddEvent) -> None:
    await _member_everywhere(any_store, add_event, ALICE, HERE, partner=BOB, tag="alice")
    await services(any_store).privacy.delete(ALICE, Scope())
    # Alice comes back, Bob blocks her again, she deletes again: one block remains, against her pseudonym.
    await any_store.buddies.block(HERE, BOB, ALICE, T0)
    again = (await services(any_store).privacy.delete(ALICE, Scope())).held

    assert again.buddy_profiles == 0
    alias = pseudonym(await any_store.privacy.secret() or b"", ALICE)
    assert await any_store.buddies.blocked_pairs(HERE) == {frozenset((BOB, alias))}  # hers went with her
    assert _tables_naming(await _rows(any_store), ALICE) == {}


async def test_this_server_leaves_other_servers_and_member_settings(any_store: Store, add_event: AddEvent) -> None:
    here = await _member_everywhere(any_store, add_event, ALICE, HERE, partner=BOB, tag="here")
    await _member_everywhere(any_store, add_event, ALICE, THERE, partner=CAROL, tag="there")
    privacy = services(any_store).privacy
    there_before = (await any_store.privacy.held(ALICE, THERE))

    summary = await privacy.summary(ALICE, Scope(HERE))
    deleted = (await privacy.delete(ALICE, Scope(HERE))).held

    assert deleted == summary and deleted.checkins == 1 and deleted.settings == 0
    assert (await any_store.privacy.held(ALICE, HERE)).empty
    assert await any_store.privacy.held(ALICE, THERE) == there_before
    assert (await any_store.members.get(ALICE)).consent_version == 1  # settings are in no server: kept
    document = (await privacy.export(ALICE)).document["sections"]
    assert {row["server_id"] for row in document["checkins"]} == {str(THERE), None}
    assert str(HERE) not in {row["server_id"] for row in document["scheduled"]}
    # The member-level notice stays while something of theirs is left elsewhere.
    assert await any_store.due_work.get(DmNotice(user_id=ALICE, text="").key()) is not None
    assert await any_store.buddies.pairs_in_rounds([here["round"]]) != set()
    # Bob, in the server she left, keeps nothing naming her.
    rows = await _rows(any_store)
    assert all(row["guild_id"] != HERE for row in rows["checkins"] if row["user_id"] == ALICE)
    assert ALICE not in {row["user_id"] for row in rows["buddy_group_members"] if row["group_id"] == here["group"]}


async def test_this_server_when_nothing_else_is_left_takes_member_level_work(any_store: Store,
                                                                            add_event: AddEvent) -> None:
    # No check-in from a DM prompt either: that would be something of hers left.
    await _member_everywhere(any_store, add_event, ALICE, HERE, partner=BOB, tag="alice", dm_checkin=False)

    deleted = (await services(any_store).privacy.delete(ALICE, Scope(HERE))).held

    assert deleted.scheduled >= 4
    assert await any_store.due_work.get(DmNotice(user_id=ALICE, text="").key()) is None
    assert await any_store.nudges.sends_since(ALICE, T0 - timedelta(days=30)) == []
    assert (await any_store.members.get(ALICE)).timezone == "Europe/London"


async def test_export_has_every_section_and_names_no_partner(any_store: Store, add_event: AddEvent) -> None:
    ids = await _member_everywhere(any_store, add_event, ALICE, HERE, partner=BOB, tag="alice")

    export = await services(any_store).privacy.export(ALICE)

    document = json.loads(export.data)
    assert (document["format"], document["version"], document["member_id"]) == ("hearth-export", 1, str(ALICE))
    sections = document["sections"]
    assert [row["note"] for row in sections["checkins"]] == ["alice: a hard day"] * 2
    assert sections["settings"]["privacy_notice_version_agreed"] == 1
    assert sections["checkin_reminder"]["local_time"] == "09:00"
    assert sections["minimum_age"] == [{"server_id": str(HERE), "min_age": 18, "confirmed_at": "2026-04-01T12:00:00Z"}]
    assert sections["buddy_blocks"][0]["blocked_member_id"] == str(CAROL)
    (round_,) = sections["buddy_rounds"]
    assert (round_["with"], round_["your_answer"]) == (["another member"], "in_person")
    assert len(sections["buddy_rounds_unmatched"]) == 1
    assert sections["meetup_answers"][0]["meetup_id"] == str(ids["event"])
    assert sections["going_together"][0]["grouped"] is False
    assert sections["after_meetup_answers"][0]["how"] == "good"
    assert len(sections["meetups_organised"]) == 1 and len(sections["meetup_series_organised"]) == 1
    assert {row["what"] for row in sections["server_settings_last_changed"]} == {"server setup",
                                                                                 "buddy pairing settings"}
    assert sections["nudges"]["choices"]["local_time"] == "18:00" and len(sections["nudges"]["sent"]) == 1
    kinds = {row["kind"] for row in sections["scheduled"]}
    assert {"checkin.prompt", "event.reminder", "buddy.dm", "nudge.digest", "dm.notice"} <= kinds
    assert str(BOB) not in export.data.decode()


async def test_a_member_who_comes_back_keeps_blocks_and_recent_pairs(any_store: Store, add_event: AddEvent) -> None:
    ids = await _member_everywhere(any_store, add_event, ALICE, HERE, partner=BOB, tag="alice")
    await services(any_store).privacy.delete(ALICE, Scope())

    members = [ALICE, BOB, CAROL]
    assert frozenset((BOB, ALICE)) in await any_store.buddies.blocked_pairs(HERE, members)
    assert await any_store.buddies.pairs_in_rounds([ids["round"]], members) == {frozenset((BOB, ALICE))}
    # Groups list only members who are still themselves.
    assert (await any_store.buddies.groups(ids["round"]))[0].members == (BOB,)


async def test_retention_clears_old_notes_per_server_and_keeps_moods(any_store: Store) -> None:
    await any_store.guilds.update(THERE, T0, BOB, notes_retention_days=30)
    for guild, days in ((HERE, 400), (HERE, 300), (THERE, 40), (THERE, 20), (None, 400), (None, 10)):
        await any_store.checkins.add(user_id=ALICE, guild_id=guild, mood=3, note=f"{guild}:{days}",
                                     local_date=(T0 - timedelta(days=days)).date(), source="command",
                                     now=T0 - timedelta(days=days))

    cleared = await services(any_store).privacy.apply_retention()

    assert cleared == 3
    async with any_store.engine.connect() as connection:
        rows = (await connection.execute(select(checkins.c.guild_id, checkins.c.note, checkins.c.mood)
                                         .order_by(checkins.c.id))).all()
    assert [(row.guild_id, row.note) for row in rows] == [
        (HERE, None), (HERE, f"{HERE}:300"), (THERE, None), (THERE, f"{THERE}:20"), (None, None), (None, "None:10")]
    assert {row.mood for row in rows} == {3}
    assert await services(any_store).privacy.apply_retention() == 0

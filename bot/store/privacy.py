"""A member's data across every table: read for their export, counted and erased for their deletion, and the
retention sweep over check-in notes. Each erase step is one bulk statement per table (chunks for id lists)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Text,
    and_,
    bindparam,
    cast,
    delete,
    exists,
    func,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import aliased

from bot.domain.guilds import DEFAULT_NOTES_RETENTION_DAYS
from bot.domain.privacy import SECRET_META_KEY, Erasure, Held, WorkRow
from bot.domain.privacy_export import MemberRecords
from bot.store._db import Database
from bot.store.tables import (
    buddy_blocks,
    buddy_config,
    buddy_group_members,
    buddy_groups,
    buddy_profiles,
    buddy_rounds,
    checkin_reminders,
    checkins,
    due_work,
    event_companions,
    event_feedback,
    event_rsvps,
    event_series,
    events,
    guild_settings,
    meeting_poll_members,
    meeting_polls,
    member_ages,
    member_settings,
    meta,
    nudge_prefs,
    nudge_sends,
)

__all__ = ["NOTES_CHUNK", "PrivacyStore", "read_secret"]

_CHUNK = 1000  # ids per IN list
NOTES_CHUNK = 5000  # notes cleared per retention transaction


async def read_secret(connection: AsyncConnection) -> bytes | None:
    """The install's pseudonym key, if a deletion ever made one (see bot.domain.privacy.pseudonym)."""
    value = (await connection.execute(select(meta.c.value).where(meta.c.key == SECRET_META_KEY))).scalar()
    return None if value is None else bytes.fromhex(value)


def _scoped(column: Any, guild_id: int | None) -> ColumnElement[bool]:
    return true() if guild_id is None else column == guild_id


def _events_of(guild_id: int | None) -> Any:
    """Meetups of the server (or all): what RSVPs, going-together requests and after-meetup answers hang off."""
    statement = select(events.c.id)
    return statement if guild_id is None else statement.where(events.c.guild_id == guild_id)


def _groups_of(guild_id: int | None) -> Any:
    statement = select(buddy_groups.c.id)
    if guild_id is None:
        return statement
    return statement.join(buddy_rounds, buddy_rounds.c.id == buddy_groups.c.round_id).where(
        buddy_rounds.c.guild_id == guild_id)


def _polls_of(guild_id: int | None) -> Any:
    statement = select(meeting_polls.c.id)
    return statement if guild_id is None else statement.where(meeting_polls.c.guild_id == guild_id)


def _mentions(column: Any, user_id: int) -> ColumnElement[bool]:
    """The JSON column's text contains the id (both backends store JSON as text, or cast it)."""
    return cast(column, Text).like(f"%{user_id}%")


def _work(row: Any) -> WorkRow:
    return WorkRow(id=int(row.id), kind=row.kind, payload=row.payload, due_at=row.due_at, key=row.idempotency_key,
                   finished=row.done_at is not None or row.gave_up_at is not None, claimed=row.claimed_by is not None)


def _rows(result: Any) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in result]


class PrivacyStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._dialect = db.dialect

    # the pseudonym key ---------------------------------------------------------------------------------
    async def secret(self) -> bytes | None:
        async with self._db.read() as connection:
            return await read_secret(connection)

    async def ensure_secret(self, now: datetime) -> bytes:
        """The install's pseudonym key, made (random, 32 bytes) the first time it is needed; two processes
        making it at once agree on the first one stored."""
        insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        statement = insert(meta).values(key=SECRET_META_KEY, value=secrets.token_hex(32), updated_at=now)
        async with self._db.write() as connection:
            await connection.execute(statement.on_conflict_do_nothing(index_elements=["key"]))
            found = await read_secret(connection)
        assert found is not None
        return found

    # the export ----------------------------------------------------------------------------------------
    async def records(self, user_id: int) -> MemberRecords:
        """Everything Hearth holds about the member, in every server (scheduled work is read apart)."""
        mine = user_id
        meetup = (events.c.guild_id, events.c.title, events.c.start_at)
        others = buddy_group_members.alias("others")
        group_size = (select(func.count()).select_from(others).where(others.c.group_id == buddy_groups.c.id)
                      .scalar_subquery())
        queries: dict[str, Select[Any]] = {
            "checkins": select(checkins).where(checkins.c.user_id == mine).order_by(checkins.c.created_at,
                                                                                     checkins.c.id),
            "minimum_age": select(member_ages).where(member_ages.c.user_id == mine).order_by(member_ages.c.guild_id),
            "buddy_profiles": select(buddy_profiles).where(buddy_profiles.c.user_id == mine)
            .order_by(buddy_profiles.c.guild_id),
            "buddy_blocks": select(buddy_blocks).where(buddy_blocks.c.user_id == mine)
            .order_by(buddy_blocks.c.guild_id, buddy_blocks.c.created_at),
            "buddy_groups": select(buddy_rounds.c.guild_id, buddy_rounds.c.started_at, buddy_rounds.c.ends_at,
                                   buddy_groups.c.reasons, buddy_groups.c.delivered, buddy_group_members.c.answer,
                                   buddy_group_members.c.answered_at, group_size.label("size"))
            .select_from(buddy_group_members.join(buddy_groups, buddy_groups.c.id == buddy_group_members.c.group_id)
                         .join(buddy_rounds, buddy_rounds.c.id == buddy_groups.c.round_id))
            .where(buddy_group_members.c.user_id == mine).order_by(buddy_rounds.c.started_at),
            "rsvps": select(event_rsvps, *meetup).join(events, events.c.id == event_rsvps.c.event_id)
            .where(event_rsvps.c.user_id == mine).order_by(events.c.start_at),
            "companions": select(event_companions, *meetup).join(events, events.c.id == event_companions.c.event_id)
            .where(event_companions.c.user_id == mine).order_by(events.c.start_at),
            "feedback": select(event_feedback, *meetup).join(events, events.c.id == event_feedback.c.event_id)
            .where(event_feedback.c.user_id == mine).order_by(events.c.start_at),
            "organised": select(events.c.id.label("event_id"), events.c.guild_id, events.c.title, events.c.start_at,
                                events.c.status).where(events.c.creator_id == mine).order_by(events.c.start_at),
            "series_organised": select(event_series.c.id.label("series_id"), event_series.c.guild_id,
                                       event_series.c.title, event_series.c.first_start, event_series.c.status)
            .where(event_series.c.creator_id == mine).order_by(event_series.c.first_start),
            "meeting_polls": select(meeting_polls.c.guild_id, meeting_polls.c.group_kind, meeting_polls.c.status,
                                    meeting_polls.c.window_start, meeting_polls.c.window_end,
                                    meeting_polls.c.chosen_start, meeting_poll_members.c.slots,
                                    meeting_poll_members.c.answered_at, meeting_poll_members.c.pick,
                                    meeting_poll_members.c.picked_at)
            .join(meeting_polls, meeting_polls.c.id == meeting_poll_members.c.poll_id)
            .where(meeting_poll_members.c.user_id == mine).order_by(meeting_polls.c.created_at, meeting_polls.c.id),
            "nudge_sends": select(nudge_sends.c.kind, nudge_sends.c.sent_at).where(nudge_sends.c.user_id == mine)
            .order_by(nudge_sends.c.sent_at),
        }
        found: dict[str, Any] = {}
        async with self._db.read() as connection:
            for name, statement in queries.items():
                found[name] = _rows(await connection.execute(statement))
            for name, table in (("settings", member_settings), ("checkin_reminder", checkin_reminders),
                                ("nudge_prefs", nudge_prefs)):
                row = (await connection.execute(select(table).where(table.c.user_id == mine))).first()
                found[name] = None if row is None else dict(row._mapping)
            found["buddy_unmatched"] = [
                {"guild_id": row.guild_id, "started_at": row.started_at}
                for row in await connection.execute(
                    select(buddy_rounds.c.guild_id, buddy_rounds.c.started_at, buddy_rounds.c.unmatched)
                    .where(_mentions(buddy_rounds.c.unmatched, mine)).order_by(buddy_rounds.c.started_at))
                if mine in row.unmatched]
            changed = []
            for what, table in (("server setup", guild_settings), ("buddy pairing settings", buddy_config)):
                changed += [{"guild_id": row.guild_id, "what": what, "updated_at": row.updated_at}
                            for row in await connection.execute(
                                select(table.c.guild_id, table.c.updated_at).where(table.c.updated_by == mine))]
            found["server_settings_changed"] = changed
        return MemberRecords(**found)

    # scheduled work --------------------------------------------------------------------------------------
    async def member_work(self, user_id: int) -> list[WorkRow]:
        """Every due-work row for the member, open or finished (one indexed query)."""
        statement = select(due_work).where(due_work.c.user_id == user_id).order_by(due_work.c.due_at, due_work.c.id)
        async with self._db.read() as connection:
            return [_work(row) for row in await connection.execute(statement)]

    async def naming(self, user_id: int) -> list[WorkRow]:
        """Other members' (and servers') due-work rows whose payload names the member, such as an introduction
        by DM that mentions them. A scan of the payloads: deletions are rare, and this is their one cost."""
        statement = select(due_work).where(or_(due_work.c.user_id.is_(None), due_work.c.user_id != user_id),
                                           _mentions(due_work.c.payload, user_id))
        async with self._db.read() as connection:
            return [_work(row) for row in await connection.execute(statement)]

    async def guilds_of(self, *, event_ids: Iterable[int] = (), group_ids: Iterable[int] = (),
                        round_ids: Iterable[int] = ()) -> dict[str, dict[int, int]]:
        """The servers of these meetups, buddy groups and rounds, in one query each."""
        wanted = {"event": list(set(event_ids)), "group": list(set(group_ids)), "round": list(set(round_ids))}
        statements = {
            "event": lambda ids: select(events.c.id, events.c.guild_id).where(events.c.id.in_(ids)),
            "group": lambda ids: select(buddy_groups.c.id, buddy_rounds.c.guild_id)
            .join(buddy_rounds, buddy_rounds.c.id == buddy_groups.c.round_id).where(buddy_groups.c.id.in_(ids)),
            "round": lambda ids: select(buddy_rounds.c.id, buddy_rounds.c.guild_id).where(buddy_rounds.c.id.in_(ids)),
        }
        found: dict[str, dict[int, int]] = {name: {} for name in wanted}
        async with self._db.read() as connection:
            for name, ids in wanted.items():
                for start in range(0, len(ids), _CHUNK):
                    for row in await connection.execute(statements[name](ids[start:start + _CHUNK])):
                        found[name][int(row[0])] = int(row[1])
        return found

    # what a deletion covers -------------------------------------------------------------------------------
    async def held(self, user_id: int, guild_id: int | None) -> Held:
        """The member's rows in one server (or, with None, everywhere), counted in one statement."""
        mine, scoped = user_id, guild_id

        def count(table: Any, *where: Any) -> Any:
            return select(func.count()).select_from(table).where(*where).scalar_subquery()

        in_events = event_rsvps.c.event_id.in_(_events_of(scoped)) if scoped is not None else true()
        counts = {
            "checkins": count(checkins, checkins.c.user_id == mine, _scoped(checkins.c.guild_id, scoped)),
            "notes": count(checkins, checkins.c.user_id == mine, _scoped(checkins.c.guild_id, scoped),
                           checkins.c.note.is_not(None)),
            "checkin_reminders": count(checkin_reminders, checkin_reminders.c.user_id == mine,
                                       _scoped(checkin_reminders.c.guild_id, scoped)),
            "minimum_age": count(member_ages, member_ages.c.user_id == mine, _scoped(member_ages.c.guild_id, scoped)),
            "buddy_profiles": count(buddy_profiles, buddy_profiles.c.user_id == mine,
                                    _scoped(buddy_profiles.c.guild_id, scoped)),
            "buddy_blocks": count(buddy_blocks, buddy_blocks.c.user_id == mine,
                                  _scoped(buddy_blocks.c.guild_id, scoped)),
            "buddy_rounds": count(buddy_group_members, buddy_group_members.c.user_id == mine,
                                  buddy_group_members.c.group_id.in_(_groups_of(scoped)) if scoped else true()),
            "meetup_answers": count(event_rsvps, event_rsvps.c.user_id == mine, in_events),
            "going_together": count(event_companions, event_companions.c.user_id == mine,
                                    event_companions.c.event_id.in_(_events_of(scoped)) if scoped else true()),
            "after_meetup_answers": count(event_feedback, event_feedback.c.user_id == mine,
                                          event_feedback.c.event_id.in_(_events_of(scoped)) if scoped else true()),
            "nudges": count(nudge_prefs, nudge_prefs.c.user_id == mine, _scoped(nudge_prefs.c.guild_id, scoped)),
            "find_a_time": count(meeting_poll_members, meeting_poll_members.c.user_id == mine,
                                 meeting_poll_members.c.poll_id.in_(_polls_of(scoped)) if scoped else true()),
            "organised_events": count(events, events.c.creator_id == mine, _scoped(events.c.guild_id, scoped)),
            "organised_series": count(event_series, event_series.c.creator_id == mine,
                                      _scoped(event_series.c.guild_id, scoped)),
        }
        if scoped is None:  # settings are the member's own, in no server: only "everywhere" covers them
            counts["settings"] = count(member_settings, member_settings.c.user_id == mine)
        async with self._db.read() as connection:
            row = (await connection.execute(select(*(value.label(name) for name, value in counts.items())))).one()
        values = {name: int(value) for name, value in row._mapping.items()}
        values["organised"] = values.pop("organised_events") + values.pop("organised_series")
        return Held(**values)

    async def seats_held(self, user_id: int, guild_id: int | None, now: datetime) -> list[int]:
        """Meetups ahead, with a waitlist, where the member holds a seat (or one on offer): giving it up moves
        the next person up."""
        waiting = aliased(event_rsvps)
        statement = (select(events.c.id).join(event_rsvps, event_rsvps.c.event_id == events.c.id)
                     .where(event_rsvps.c.user_id == user_id, event_rsvps.c.status.in_(("going", "offered")),
                            events.c.status == "scheduled", events.c.start_at > now, events.c.capacity.is_not(None),
                            _scoped(events.c.guild_id, guild_id),
                            exists().where(waiting.c.event_id == events.c.id, waiting.c.status == "waitlist"))
                     .order_by(events.c.id))
        async with self._db.read() as connection:
            return [int(event_id) for event_id in (await connection.execute(statement)).scalars()]

    async def meetups_answered_ahead(self, user_id: int, guild_id: int | None, now: datetime) -> list[tuple[int, int]]:
        """Meetups ahead whose announcement counts the member's answer: (server id, meetup id)."""
        statement = (select(events.c.guild_id, events.c.id).join(event_rsvps, event_rsvps.c.event_id == events.c.id)
                     .where(event_rsvps.c.user_id == user_id,
                            event_rsvps.c.status.in_(("going", "maybe", "waitlist", "offered")),
                            events.c.status == "scheduled", events.c.start_at > now,
                            _scoped(events.c.guild_id, guild_id))
                     .order_by(events.c.id))
        async with self._db.read() as connection:
            return [(int(guild), int(event)) for guild, event in (await connection.execute(statement)).all()]

    # the erase ---------------------------------------------------------------------------------------------
    async def erase(self, erasure: Erasure) -> dict[str, int]:
        """Delete the member's rows in scope, and replace their id with the pseudonym where others keep a trace
        (a partner's repeat-pair avoidance, a block someone made against them, a round's unmatched list, a
        meetup they organised). One statement per table; rows changed per table, for the log."""
        mine, alias, guild = erasure.user_id, erasure.pseudonym, erasure.scope.guild_id

        def theirs(table: Any) -> Any:  # their rows of a per-server table, in scope
            return delete(table).where(table.c.user_id == mine, _scoped(table.c.guild_id, guild))

        def answers(table: Any) -> Any:  # their rows about meetups, in scope
            in_scope = table.c.event_id.in_(_events_of(guild)) if guild is not None else true()
            return delete(table).where(table.c.user_id == mine, in_scope)

        def unlinked(table: Any, column: str, value: int | None) -> Any:  # the server's rows, no longer naming them
            in_scope = _scoped(table.c.guild_id, guild)
            return update(table).where(table.c[column] == mine, in_scope).values({column: value})

        in_groups = buddy_group_members.c.group_id.in_(_groups_of(guild)) if guild is not None else true()
        twin = aliased(buddy_blocks)
        steps: list[tuple[str, Any]] = [
            ("checkins", theirs(checkins)),
            ("checkin_reminders", theirs(checkin_reminders)),
            ("member_ages", theirs(member_ages)),
            ("buddy_profiles", theirs(buddy_profiles)),
            ("buddy_blocks", theirs(buddy_blocks)),
            # Someone who blocked them before, and again after they came back, keeps one block.
            ("buddy_blocks_twins", delete(buddy_blocks).where(
                buddy_blocks.c.blocked_id == mine, _scoped(buddy_blocks.c.guild_id, guild),
                exists().where(twin.c.guild_id == buddy_blocks.c.guild_id, twin.c.user_id == buddy_blocks.c.user_id,
                               twin.c.blocked_id == alias))),
            ("buddy_blocks_against", unlinked(buddy_blocks, "blocked_id", alias)),
            ("buddy_group_members", update(buddy_group_members).where(buddy_group_members.c.user_id == mine, in_groups)
             .values(user_id=alias, answer=None, answered_at=None)),
            ("buddy_config", unlinked(buddy_config, "updated_by", None)),
            ("guild_settings", unlinked(guild_settings, "updated_by", None)),
            ("events", unlinked(events, "creator_id", alias)),
            ("event_series", unlinked(event_series, "creator_id", alias)),
            ("event_rsvps", answers(event_rsvps)),
            ("event_companions", answers(event_companions)),
            ("event_feedback", answers(event_feedback)),
            ("nudge_prefs", theirs(nudge_prefs)),
            # When they could meet is theirs alone; the poll stays for the others, no longer naming its starter.
            ("meeting_poll_members", delete(meeting_poll_members).where(
                meeting_poll_members.c.user_id == mine,
                meeting_poll_members.c.poll_id.in_(_polls_of(guild)) if guild is not None else true())),
            ("meeting_polls", unlinked(meeting_polls, "created_by", None)),
        ]
        if erasure.nudge_sends:
            steps.append(("nudge_sends", delete(nudge_sends).where(nudge_sends.c.user_id == mine)))
        if erasure.settings:
            steps.append(("member_settings", delete(member_settings).where(member_settings.c.user_id == mine)))
        changed: dict[str, int] = {}
        async with self._db.write() as connection:
            for name, statement in steps:
                changed[name] = max(int((await connection.execute(statement)).rowcount), 0)
            changed["buddy_rounds"] = await self._unmatched(connection, mine, alias, guild)
            changed["due_work"] = await self._work(connection, erasure)
        return changed

    async def _unmatched(self, connection: AsyncConnection, user_id: int, alias: int, guild_id: int | None) -> int:
        """Rounds that list them as unmatched list the pseudonym instead (one UPDATE for all of them)."""
        rows = (await connection.execute(
            select(buddy_rounds.c.id, buddy_rounds.c.unmatched)
            .where(_scoped(buddy_rounds.c.guild_id, guild_id), _mentions(buddy_rounds.c.unmatched, user_id)))).all()
        changes = [{"round": row.id, "listed": [alias if user == user_id else user for user in row.unmatched]}
                   for row in rows if user_id in row.unmatched]
        if changes:
            await connection.execute(
                update(buddy_rounds).where(buddy_rounds.c.id == bindparam("round"))
                .values(unmatched=bindparam("listed", type_=buddy_rounds.c.unmatched.type)), changes)
        return len(changes)

    async def _work(self, connection: AsyncConnection, erasure: Erasure) -> int:
        ids = list(erasure.work_ids)
        changed = 0
        for start in range(0, len(ids), _CHUNK):
            changed += max(int((await connection.execute(
                delete(due_work).where(due_work.c.id.in_(ids[start:start + _CHUNK])))).rowcount), 0)
        if erasure.rewritten:
            await connection.execute(
                update(due_work).where(due_work.c.id == bindparam("row"))
                .values(payload=bindparam("scrubbed", type_=due_work.c.payload.type)),
                [{"row": row_id, "scrubbed": dict(payload)} for row_id, payload in erasure.rewritten])
            changed += len(erasure.rewritten)
        # A failed attempt's error text is an operator's note, never needed to run the row: one naming them goes.
        changed += max(int((await connection.execute(
            update(due_work).where(due_work.c.last_error.like(f"%{erasure.user_id}%")).values(last_error=None)
        )).rowcount), 0)
        if erasure.keep is not None:
            row_id, payload, key = erasure.keep
            await connection.execute(update(due_work).where(due_work.c.id == row_id)
                                     .values(payload=dict(payload), idempotency_key=key, user_id=None))
            changed += 1
        return changed

    # retention ------------------------------------------------------------------------------------------
    async def prune_notes(self, now: datetime, *, chunk: int = NOTES_CHUNK) -> int:
        """Clear check-in notes (the mood stays) older than their server's retention; check-ins of no server,
        and servers that chose nothing, keep the default. One statement per retention in use, `chunk` notes
        per short transaction. How many notes were cleared."""
        custom = guild_settings.c.notes_retention_days
        async with self._db.read() as connection:
            chosen = sorted(int(days) for days in (await connection.execute(
                select(custom).where(custom.is_not(None), custom > 0).distinct())).scalars())
        custom_servers = select(guild_settings.c.guild_id).where(custom.is_not(None), custom > 0)
        default = or_(checkins.c.guild_id.is_(None), checkins.c.guild_id.not_in(custom_servers))
        passes: list[tuple[int, ColumnElement[bool]]] = [(DEFAULT_NOTES_RETENTION_DAYS, default)]
        passes += [(days, checkins.c.guild_id.in_(select(guild_settings.c.guild_id).where(custom == days)))
                   for days in chosen]
        cleared = 0
        for days, servers in passes:
            expired = and_(checkins.c.note.is_not(None), checkins.c.created_at < now - timedelta(days=days), servers)
            while True:
                statement = (update(checkins).where(checkins.c.id.in_(
                    select(checkins.c.id).where(expired).limit(chunk).scalar_subquery())).values(note=None))
                async with self._db.write() as connection:
                    done = max(int((await connection.execute(statement)).rowcount), 0)
                cleared += done
                if done < chunk:
                    break
        return cleared


"""The community pulse's counts: per server and complete week, aggregates only; and its frozen weeks.

Every query groups in SQL and returns one row per week (and category) with a count and the number of
different members behind it (COUNT DISTINCT); no row about a member ever reaches Python. Weeks are
bucketed with one CASE over the period's boundaries (the same SQL on SQLite and PostgreSQL), inside a
subquery the outer query groups by. The rules deciding what is shown live in `bot.domain.pulse`.

A week's figures, once counted and suppressed, are frozen in `pulse_weeks` (rule 6): the first write wins
and later ones change nothing, so two organisers asking at once both see the same week.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, distinct, func, select
from sqlalchemy.dialects import postgresql, sqlite

from bot.domain.pulse import FIGURES_VERSION, Cell, PulseWeek, Weeks
from bot.store._db import Database
from bot.store.tables import (
    buddy_group_members,
    buddy_groups,
    buddy_rounds,
    checkins,
    event_rsvps,
    events,
    nudge_prefs,
    pulse_weeks,
)

__all__ = ["PulseStore"]


def _week(column: Any, weeks: Weeks) -> ColumnElement[Any]:
    """The index of the week `column` falls in (0 = the oldest), for rows already inside the period."""
    bounds = weeks.boundaries
    return case(*[(column < bounds[index + 1], index) for index in range(len(weeks))], else_=None)


def _within(column: Any, weeks: Weeks) -> ColumnElement[bool]:
    return and_(column >= weeks.starts[0], column < weeks.end)


class PulseStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def _cells(self, statement: Select[Any]) -> dict[Any, Cell]:
        """Rows of (key..., count, members) as {key: Cell}; a one-part key is the week index itself."""
        async with self._db.read() as connection:
            rows = (await connection.execute(statement)).all()
        cells: dict[Any, Cell] = {}
        for *key, count, members in rows:
            cells[key[0] if len(key) == 1 else tuple(key)] = Cell(int(count), int(members))
        return cells

    # check-ins ------------------------------------------------------------------------------------------
    def _checkins(self, guild_id: int, weeks: Weeks) -> Any:
        band = case((checkins.c.mood <= 2, "hard"), (checkins.c.mood == 3, "okay"), else_="good")
        return (select(_week(checkins.c.created_at, weeks).label("week"), band.label("band"), checkins.c.user_id)
                .where(checkins.c.guild_id == guild_id, _within(checkins.c.created_at, weeks))
                .subquery())

    async def checkins(self, guild_id: int, weeks: Weeks) -> dict[int, Cell]:
        """Check-ins made in this server, per week."""
        rows = self._checkins(guild_id, weeks)
        return await self._cells(select(rows.c.week, func.count(), func.count(distinct(rows.c.user_id)))
                                 .group_by(rows.c.week))

    async def moods(self, guild_id: int, weeks: Weeks) -> dict[tuple[int, str], Cell]:
        """The same check-ins per week and mood band (hard 1-2, okay 3, good 4-5)."""
        rows = self._checkins(guild_id, weeks)
        return await self._cells(select(rows.c.week, rows.c.band, func.count(), func.count(distinct(rows.c.user_id)))
                                 .group_by(rows.c.week, rows.c.band))

    # buddy pairs ----------------------------------------------------------------------------------------
    def _pair_outcomes(self, guild_id: int, weeks: Weeks) -> Any:
        """One row per pair (group) of a round that ended in the period: its week and whether it met."""
        said = buddy_group_members.c.answer
        per_group = (
            select(buddy_groups.c.id.label("group_id"), _week(buddy_rounds.c.ends_at, weeks).label("week"),
                   func.max(case((said == "in_person", 1), else_=0)).label("in_person"),
                   func.max(case((said == "online", 1), else_=0)).label("online"))
            .select_from(buddy_groups.join(buddy_rounds, buddy_rounds.c.id == buddy_groups.c.round_id)
                         .join(buddy_group_members, buddy_group_members.c.group_id == buddy_groups.c.id))
            .where(buddy_rounds.c.guild_id == guild_id, _within(buddy_rounds.c.ends_at, weeks))
            .group_by(buddy_groups.c.id, buddy_rounds.c.ends_at)
            .subquery())
        outcome = case((per_group.c.in_person == 1, "in_person"), (per_group.c.online == 1, "online"),
                       else_="not_met")
        return select(per_group.c.group_id, per_group.c.week, outcome.label("outcome")).subquery()

    async def pairs(self, guild_id: int, weeks: Weeks) -> dict[int, Cell]:
        """Pairs (and trios) of rounds that ended each week, and the members in them."""
        groups = self._pair_outcomes(guild_id, weeks)
        return await self._cells(
            select(groups.c.week, func.count(distinct(groups.c.group_id)),
                   func.count(distinct(buddy_group_members.c.user_id)))
            .select_from(groups.join(buddy_group_members, buddy_group_members.c.group_id == groups.c.group_id))
            .group_by(groups.c.week))

    async def pair_outcomes(self, guild_id: int, weeks: Weeks) -> dict[tuple[int, str], Cell]:
        """The same pairs per week and outcome (in person, online, not met), and the members in them."""
        groups = self._pair_outcomes(guild_id, weeks)
        return await self._cells(
            select(groups.c.week, groups.c.outcome, func.count(distinct(groups.c.group_id)),
                   func.count(distinct(buddy_group_members.c.user_id)))
            .select_from(groups.join(buddy_group_members, buddy_group_members.c.group_id == groups.c.group_id))
            .group_by(groups.c.week, groups.c.outcome))

    # meetups --------------------------------------------------------------------------------------------
    def _held(self, guild_id: int, weeks: Weeks) -> ColumnElement[bool]:
        """Meetups that started in the period and were not cancelled. (Answers close at the start.)"""
        return and_(events.c.guild_id == guild_id, events.c.status == "scheduled", _within(events.c.start_at, weeks))

    async def going(self, guild_id: int, weeks: Weeks) -> dict[int, Cell]:
        """Going answers to the meetups held each week (a member at two meetups counts twice), and members."""
        rows = (select(_week(events.c.start_at, weeks).label("week"), event_rsvps.c.user_id)
                .select_from(event_rsvps.join(events, events.c.id == event_rsvps.c.event_id))
                .where(self._held(guild_id, weeks), event_rsvps.c.status == "going")
                .subquery())
        return await self._cells(select(rows.c.week, func.count(), func.count(distinct(rows.c.user_id)))
                                 .group_by(rows.c.week))

    async def attendance(self, guild_id: int, weeks: Weeks) -> dict[tuple[int, str], Cell]:
        """The same Going answers per week, split by whether the member said "I'm here" (arrived or not)."""
        outcome = case((event_rsvps.c.arrived_at.is_not(None), "arrived"), else_="not_arrived")
        rows = (select(_week(events.c.start_at, weeks).label("week"), outcome.label("outcome"), event_rsvps.c.user_id)
                .select_from(event_rsvps.join(events, events.c.id == event_rsvps.c.event_id))
                .where(self._held(guild_id, weeks), event_rsvps.c.status == "going")
                .subquery())
        return await self._cells(select(rows.c.week, rows.c.outcome, func.count(), func.count(distinct(rows.c.user_id)))
                                 .group_by(rows.c.week, rows.c.outcome))

    async def meetups_held(self, guild_id: int, weeks: Weeks) -> dict[int, int]:
        """How many meetups organisers held each week (their own announcements, not member data)."""
        rows = select(_week(events.c.start_at, weeks).label("week")).where(self._held(guild_id, weeks)).subquery()
        async with self._db.read() as connection:
            result = await connection.execute(select(rows.c.week, func.count()).group_by(rows.c.week))
            return {int(week): int(count) for week, count in result.all()}

    # nudges ---------------------------------------------------------------------------------------------
    async def nudge_opt_ins(self, guild_id: int, weeks: Weeks) -> dict[int, Cell]:
        """Members who first turned nudges on (for this server's meetups) each week."""
        rows = (select(_week(nudge_prefs.c.opted_in_at, weeks).label("week"), nudge_prefs.c.user_id)
                .where(nudge_prefs.c.guild_id == guild_id, _within(nudge_prefs.c.opted_in_at, weeks))
                .subquery())
        return await self._cells(select(rows.c.week, func.count(), func.count(distinct(rows.c.user_id)))
                                 .group_by(rows.c.week))

    # frozen weeks -----------------------------------------------------------------------------------------
    async def frozen(self, guild_id: int, weeks: Weeks, version: int = FIGURES_VERSION) -> dict[datetime, PulseWeek]:
        """The weeks of `weeks` already frozen for this server (under this figure version), by their start."""
        statement = (select(pulse_weeks.c.week_start, pulse_weeks.c.figures)
                     .where(pulse_weeks.c.guild_id == guild_id, pulse_weeks.c.version == version,
                            _within(pulse_weeks.c.week_start, weeks)))
        async with self._db.read() as connection:
            rows = (await connection.execute(statement)).all()
        return {start: PulseWeek.from_json(figures) for start, figures in rows}

    async def freeze(self, guild_id: int, figures: Mapping[datetime, PulseWeek], now: datetime,
                     version: int = FIGURES_VERSION) -> None:
        """Freeze these weeks (by start) for this server; a week frozen already keeps what it had."""
        if not figures:
            return
        upsert = postgresql.insert if self._db.dialect == "postgresql" else sqlite.insert
        statement = upsert(pulse_weeks).on_conflict_do_nothing(index_elements=["guild_id", "version", "week_start"])
        async with self._db.write() as connection:
            await connection.execute(statement, [
                {"guild_id": guild_id, "version": version, "week_start": start, "figures": week.to_json(),
                 "frozen_at": now} for start, week in figures.items()])

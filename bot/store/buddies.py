"""Buddy pairing: settings, profiles, blocks, rounds, groups and answers."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.buddies import (
    DEFAULT_INTERESTS,
    BuddyConfig,
    BuddyGroup,
    BuddyProfile,
    BuddyRound,
    RoundPlan,
)
from bot.domain.privacy import as_members
from bot.store._db import Database
from bot.store.privacy import read_secret
from bot.store.tables import (
    buddy_blocks,
    buddy_config,
    buddy_group_members,
    buddy_groups,
    buddy_profiles,
    buddy_rounds,
    member_settings,
)

__all__ = ["DEFAULT_INTERESTS", "BuddyConfig", "BuddyGroup", "BuddyProfile", "BuddyRound", "BuddyStore",
           "RoundPlan"]


def _upsert(dialect: str) -> Any:
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def _profile(row: Any) -> BuddyProfile:
    values = dict(row._mapping)
    for name in ("joined_at", "updated_at"):
        values.pop(name)
    values["interests"] = tuple(values["interests"])
    return BuddyProfile(**values)


def _round(row: Any) -> BuddyRound:
    values = dict(row._mapping)
    values["unmatched"] = tuple(values["unmatched"])
    return BuddyRound(**values)


class BuddyStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._dialect = db.dialect

    # settings ---------------------------------------------------------------------------------
    async def config(self, guild_id: int) -> BuddyConfig:
        async with self._db.read() as connection:
            row = (await connection.execute(select(buddy_config).where(buddy_config.c.guild_id == guild_id))).first()
        if row is None:
            return BuddyConfig(guild_id=guild_id)
        values = dict(row._mapping)
        values.pop("updated_by")
        values.pop("updated_at")
        values["interests"] = tuple(values["interests"])
        return BuddyConfig(**values)

    async def save_config(self, config: BuddyConfig, updated_by: int | None, now: datetime) -> None:
        values = {"cadence_weeks": config.cadence_weeks, "weekday": config.weekday, "hour": config.hour,
                  "interests": list(config.interests), "repeat_rounds": config.repeat_rounds,
                  "enabled": config.enabled, "next_round_key": config.next_round_key, "updated_by": updated_by,
                  "updated_at": now}
        statement = _upsert(self._dialect)(buddy_config).values(guild_id=config.guild_id, **values)
        async with self._db.write() as connection:
            await connection.execute(statement.on_conflict_do_update(index_elements=["guild_id"], set_=values))

    async def set_next_round_key(self, guild_id: int, expected: str | None, key: str | None,
                                 now: datetime) -> bool:
        statement = (update(buddy_config)
                     .where(buddy_config.c.guild_id == guild_id, buddy_config.c.next_round_key == expected)
                     .values(next_round_key=key, updated_at=now))
        async with self._db.write() as connection:
            return (await connection.execute(statement)).rowcount == 1

    async def enabled_guilds(self) -> list[int]:
        async with self._db.read() as connection:
            rows = await connection.execute(select(buddy_config.c.guild_id).where(buddy_config.c.enabled.is_(True)))
            return list(rows.scalars())

    # profiles ---------------------------------------------------------------------------------
    async def profile(self, guild_id: int, user_id: int) -> BuddyProfile | None:
        statement = select(buddy_profiles).where(buddy_profiles.c.guild_id == guild_id,
                                                 buddy_profiles.c.user_id == user_id)
        async with self._db.read() as connection:
            row = (await connection.execute(statement)).first()
        return _profile(row) if row else None

    async def save_profile(self, profile: BuddyProfile, now: datetime) -> None:
        values = {"interests": list(profile.interests), "area": profile.area, "preference": profile.preference,
                  "frequency": profile.frequency, "active": profile.active, "paused_until": profile.paused_until,
                  "skip_round_key": profile.skip_round_key, "updated_at": now}
        statement = _upsert(self._dialect)(buddy_profiles).values(
            guild_id=profile.guild_id, user_id=profile.user_id, joined_at=now, **values)
        async with self._db.write() as connection:
            await connection.execute(
                statement.on_conflict_do_update(index_elements=["guild_id", "user_id"], set_=values))

    async def update_profile(self, guild_id: int, user_id: int, now: datetime, **values: Any) -> bool:
        statement = (update(buddy_profiles)
                     .where(buddy_profiles.c.guild_id == guild_id, buddy_profiles.c.user_id == user_id)
                     .values(updated_at=now, **values))
        async with self._db.write() as connection:
            return (await connection.execute(statement)).rowcount == 1

    async def reset_unanswered(self, guild_id: int, user_ids: Sequence[int], now: datetime) -> None:
        """Their count of follow-ups left unanswered starts again, in one statement."""
        if not user_ids:
            return
        statement = (update(buddy_profiles)
                     .where(buddy_profiles.c.guild_id == guild_id, buddy_profiles.c.user_id.in_(list(user_ids)))
                     .values(unanswered_followups=0, updated_at=now))
        async with self._db.write() as connection:
            await connection.execute(statement)

    async def time_zones(self, user_ids: Sequence[int]) -> dict[int, str | None]:
        """Members' own time zones (a read-only look at their settings), in one query; None when unknown."""
        if not user_ids:
            return {}
        statement = select(member_settings.c.user_id, member_settings.c.timezone).where(
            member_settings.c.user_id.in_(list(user_ids)))
        async with self._db.read() as connection:
            found = {row.user_id: row.timezone for row in await connection.execute(statement)}
        return {user_id: found.get(user_id) for user_id in user_ids}

    async def active_profiles(self, guild_id: int) -> list[BuddyProfile]:
        statement = (select(buddy_profiles)
                     .where(buddy_profiles.c.guild_id == guild_id, buddy_profiles.c.active.is_(True))
                     .order_by(buddy_profiles.c.user_id))
        async with self._db.read() as connection:
            return [_profile(row) for row in await connection.execute(statement)]

    # blocks -----------------------------------------------------------------------------------
    async def block(self, guild_id: int, user_id: int, blocked_id: int, now: datetime) -> None:
        statement = _upsert(self._dialect)(buddy_blocks).values(guild_id=guild_id, user_id=user_id,
                                                                blocked_id=blocked_id, created_at=now)
        async with self._db.write() as connection:
            await connection.execute(statement.on_conflict_do_nothing())

    async def blocked_pairs(self, guild_id: int, members: Collection[int] = ()) -> set[frozenset[int]]:
        """Blocked pairs; a block against someone who deleted their data names their pseudonym, read as them when
        they are among `members` (the pool being matched): the block still holds if they come back."""
        statement = select(buddy_blocks.c.user_id, buddy_blocks.c.blocked_id).where(buddy_blocks.c.guild_id == guild_id)
        async with self._db.read() as connection:
            pairs = {frozenset((row.user_id, row.blocked_id)) for row in await connection.execute(statement)}
            return as_members(pairs, members, await read_secret(connection) if members else None)

    # rounds -----------------------------------------------------------------------------------
    async def round_by_key(self, round_key: str) -> BuddyRound | None:
        async with self._db.read() as connection:
            row = (await connection.execute(select(buddy_rounds).where(buddy_rounds.c.round_key == round_key))).first()
        return _round(row) if row else None

    async def round(self, round_id: int) -> BuddyRound | None:
        async with self._db.read() as connection:
            row = (await connection.execute(select(buddy_rounds).where(buddy_rounds.c.id == round_id))).first()
        return _round(row) if row else None

    async def recent_rounds(self, guild_id: int, limit: int) -> list[BuddyRound]:
        statement = (select(buddy_rounds).where(buddy_rounds.c.guild_id == guild_id)
                     .order_by(buddy_rounds.c.started_at.desc(), buddy_rounds.c.id.desc()).limit(limit))
        async with self._db.read() as connection:
            return [_round(row) for row in await connection.execute(statement)]

    async def pairs_in_rounds(self, round_ids: Sequence[int], members: Collection[int] = ()) -> set[frozenset[int]]:
        """Who was paired with whom in these rounds; pseudonyms of `members` read as them (see `blocked_pairs`)."""
        if not round_ids:
            return set()
        statement = (select(buddy_group_members.c.group_id, buddy_group_members.c.user_id)
                     .join(buddy_groups, buddy_groups.c.id == buddy_group_members.c.group_id)
                     .where(buddy_groups.c.round_id.in_(list(round_ids))))
        grouped: dict[int, list[int]] = {}
        async with self._db.read() as connection:
            for row in await connection.execute(statement):
                grouped.setdefault(row.group_id, []).append(row.user_id)
            secret = await read_secret(connection) if members else None
        pairs = {frozenset((a, b)) for group in grouped.values() for i, a in enumerate(group) for b in group[i + 1:]}
        return as_members(pairs, members, secret)

    async def create_round(self, plan: RoundPlan) -> tuple[BuddyRound, bool]:
        """Store a round, its groups and the members' bookkeeping in one transaction.

        Idempotent by `round_key`: a second call (a retry, another process) returns the stored round and
        False, and changes nothing.
        """
        async with self._db.write() as connection:
            inserted = await connection.execute(
                _upsert(self._dialect)(buddy_rounds).values(
                    guild_id=plan.guild_id, round_key=plan.round_key, started_at=plan.started_at,
                    followup_at=plan.followup_at, ends_at=plan.ends_at, pool_size=len(plan.pool),
                    unmatched=list(plan.unmatched),
                ).on_conflict_do_nothing(index_elements=["round_key"]).returning(buddy_rounds.c.id))
            round_id = inserted.scalar()
            if round_id is None:
                existing = (await connection.execute(
                    select(buddy_rounds).where(buddy_rounds.c.round_key == plan.round_key))).one()
                return _round(existing), False
            await self._count_unanswered(connection, plan.guild_id, round_id)
            if plan.groups:
                # Three statements however big the round: the groups, their ids by position, their members.
                await connection.execute(insert(buddy_groups).values(
                    [{"round_id": round_id, "position": position, "reasons": reasons}
                     for position, (_, reasons) in enumerate(plan.groups)]))
                ids = {row.position: row.id for row in await connection.execute(
                    select(buddy_groups.c.position, buddy_groups.c.id).where(buddy_groups.c.round_id == round_id))}
                await connection.execute(insert(buddy_group_members), [
                    {"group_id": ids[position], "user_id": user}
                    for position, (members, _) in enumerate(plan.groups) for user in members])
            matched = [user for members, _ in plan.groups for user in members]
            profile = and_(buddy_profiles.c.guild_id == plan.guild_id)
            if matched:
                await connection.execute(
                    update(buddy_profiles).where(profile, buddy_profiles.c.user_id.in_(matched)).values(
                        last_paired_at=plan.started_at, rounds_paired=buddy_profiles.c.rounds_paired + 1,
                        missed_last_round=False, sat_out_last_round=False, skip_round_key=None))
            if plan.unmatched:
                await connection.execute(
                    update(buddy_profiles).where(profile, buddy_profiles.c.user_id.in_(list(plan.unmatched)))
                    .values(missed_last_round=True, sat_out_last_round=False, skip_round_key=None))
            if plan.sat_out:
                await connection.execute(
                    update(buddy_profiles).where(profile, buddy_profiles.c.user_id.in_(list(plan.sat_out)))
                    .values(sat_out_last_round=True, skip_round_key=None))
        stored = await self.round(int(round_id))
        assert stored is not None
        return stored, True

    async def _count_unanswered(self, connection: AsyncConnection, guild_id: int, new_round_id: int) -> None:
        """The previous round is over: count who never answered its follow-up, reset who did."""
        previous = (await connection.execute(
            select(buddy_rounds.c.id).where(buddy_rounds.c.guild_id == guild_id, buddy_rounds.c.id != new_round_id)
            .order_by(buddy_rounds.c.started_at.desc(), buddy_rounds.c.id.desc()).limit(1))).scalar()
        if previous is None:
            return
        rows = (await connection.execute(
            select(buddy_group_members.c.user_id, buddy_group_members.c.answer)
            .join(buddy_groups, buddy_groups.c.id == buddy_group_members.c.group_id)
            .where(buddy_groups.c.round_id == previous))).all()
        silent = [row.user_id for row in rows if row.answer is None]
        answered = [row.user_id for row in rows if row.answer is not None]
        profile = buddy_profiles.c.guild_id == guild_id
        if silent:
            await connection.execute(update(buddy_profiles).where(profile, buddy_profiles.c.user_id.in_(silent))
                                     .values(unanswered_followups=buddy_profiles.c.unanswered_followups + 1))
        if answered:
            await connection.execute(update(buddy_profiles).where(profile, buddy_profiles.c.user_id.in_(answered))
                                     .values(unanswered_followups=0))

    async def groups(self, round_id: int) -> list[BuddyGroup]:
        statement = (select(buddy_groups, buddy_group_members.c.user_id, buddy_group_members.c.answer)
                     .join(buddy_group_members, buddy_group_members.c.group_id == buddy_groups.c.id)
                     # A member who deleted their data is a pseudonym here (negative): nobody to introduce or ask.
                     .where(buddy_groups.c.round_id == round_id, buddy_group_members.c.user_id > 0)
                     .order_by(buddy_groups.c.position, buddy_group_members.c.user_id))
        found: dict[int, dict[str, Any]] = {}
        async with self._db.read() as connection:
            for row in await connection.execute(statement):
                entry = found.setdefault(row.id, {"id": row.id, "round_id": row.round_id, "position": row.position,
                                                  "reasons": row.reasons, "thread_id": row.thread_id,
                                                  "delivered": row.delivered, "members": [], "answers": {}})
                entry["members"].append(row.user_id)
                entry["answers"][row.user_id] = row.answer
        return [BuddyGroup(**{**entry, "members": tuple(entry["members"])}) for entry in found.values()]

    async def group(self, group_id: int) -> BuddyGroup | None:
        async with self._db.read() as connection:
            round_id = (await connection.execute(
                select(buddy_groups.c.round_id).where(buddy_groups.c.id == group_id))).scalar()
        if round_id is None:
            return None
        return next((group for group in await self.groups(int(round_id)) if group.id == group_id), None)

    async def mark_delivered(self, group_id: int, how: str, thread_id: int | None) -> None:
        statement = update(buddy_groups).where(buddy_groups.c.id == group_id).values(delivered=how, thread_id=thread_id)
        async with self._db.write() as connection:
            await connection.execute(statement)

    async def record_answer(self, group_id: int, user_id: int, answer: str, now: datetime) -> bool:
        statement = (update(buddy_group_members)
                     .where(buddy_group_members.c.group_id == group_id, buddy_group_members.c.user_id == user_id)
                     .values(answer=answer, answered_at=now))
        async with self._db.write() as connection:
            return (await connection.execute(statement)).rowcount == 1

    async def group_of(self, guild_id: int, user_id: int, now: datetime) -> tuple[BuddyRound, BuddyGroup] | None:
        """The member's group in the server's running round (the latest one, until it ends)."""
        latest = await self.recent_rounds(guild_id, 1)
        if not latest or latest[0].ends_at <= now:
            return None
        for group in await self.groups(latest[0].id):
            if user_id in group.members:
                return latest[0], group
        return None

    async def answer_counts(self, round_ids: Sequence[int]) -> dict[str, int]:
        """How many groups answered each way (a group counts as met in person if anyone said so)."""
        if not round_ids:
            return {}
        statement = (select(buddy_groups.c.id, buddy_group_members.c.answer)
                     .join(buddy_group_members, buddy_group_members.c.group_id == buddy_groups.c.id)
                     .where(buddy_groups.c.round_id.in_(list(round_ids))))
        answers: dict[int, set[str | None]] = {}
        async with self._db.read() as connection:
            for row in await connection.execute(statement):
                answers.setdefault(row.id, set()).add(row.answer)
        counts = {"groups": len(answers), "in_person": 0, "online": 0, "not_yet": 0, "skip": 0, "no_answer": 0}
        for given in answers.values():
            for answer in ("in_person", "online", "not_yet", "skip"):
                if answer in given:
                    counts[answer] += 1
                    break
            else:
                counts["no_answer"] += 1
        return counts

    async def count_active(self, guild_id: int, now: datetime) -> int:
        statement = select(func.count()).select_from(buddy_profiles).where(
            buddy_profiles.c.guild_id == guild_id, buddy_profiles.c.active.is_(True),
            or_(buddy_profiles.c.paused_until.is_(None), buddy_profiles.c.paused_until <= now))
        async with self._db.read() as connection:
            return int((await connection.execute(statement)).scalar_one())

"""The due-work table: schedule, claim atomically, complete, retry with backoff, give up."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, Integer, and_, delete, func, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bot.domain.due_work import retry_delay
from bot.domain.work import Planned
from bot.sharding import ShardPlan
from bot.store._db import Database
from bot.store.tables import due_work


@dataclass(frozen=True)
class DueItem:
    id: int
    kind: str
    payload: dict[str, Any]
    due_at: datetime
    idempotency_key: str
    attempts: int
    claimed_by: str | None
    claimed_at: datetime | None
    interrupted: bool = False


@dataclass(frozen=True)
class FailureOutcome:
    gave_up: bool
    retry_at: datetime | None


_COLUMNS = (
    due_work.c.id,
    due_work.c.kind,
    due_work.c.payload,
    due_work.c.due_at,
    due_work.c.idempotency_key,
    due_work.c.attempts,
    due_work.c.claimed_by,
    due_work.c.claimed_at,
    due_work.c.interrupted,
)


# Rows per INSERT: 6 bound values each keeps well under SQLite's and asyncpg's parameter limits.
_CHUNK = 1000
# Finished rows deleted per purge transaction.
PURGE_CHUNK = 5000


def _snowflake(payload: dict[str, Any], name: str) -> int | None:
    """An id the payload names: every member-level payload names its member in `user_id`, and every payload
    whose handler needs its server's gateway names it in `guild_id`."""
    value = payload.get(name)
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else None


def _item(row: Any) -> DueItem:
    # Positional: _COLUMNS is in DueItem's field order, and a sweep builds hundreds of these per claim.
    return DueItem(*row)


class DueWorkStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._dialect = db.dialect

    async def plan(self, planned: Iterable[Planned], *, now: datetime) -> int:
        """Add typed work (see bot/domain/work.py), skipping keys that exist. How many rows were added."""
        return await self.schedule_many(
            ((item.work.KIND, item.work.encode(), item.due_at, item.work.key()) for item in planned), now=now)

    async def cancel_many(self, keys: Iterable[str]) -> int:
        """Remove open, unclaimed work by key, in one statement per thousand keys. How many were removed."""
        wanted = list(dict.fromkeys(keys))
        removed = 0
        async with self._db.write() as connection:
            for start in range(0, len(wanted), _CHUNK):
                statement = delete(due_work).where(
                    due_work.c.idempotency_key.in_(wanted[start:start + _CHUNK]), due_work.c.done_at.is_(None),
                    due_work.c.claimed_by.is_(None))
                removed += max((await connection.execute(statement)).rowcount, 0)
        return removed

    async def cancel_returning(self, keys: Iterable[str]) -> list[dict[str, Any]]:
        """Like `cancel_many`, but returns the payloads removed (to plan them again, moved), in key order."""
        wanted = list(dict.fromkeys(keys))
        removed: dict[str, dict[str, Any]] = {}
        async with self._db.write() as connection:
            for start in range(0, len(wanted), _CHUNK):
                statement = delete(due_work).where(
                    due_work.c.idempotency_key.in_(wanted[start:start + _CHUNK]), due_work.c.done_at.is_(None),
                    due_work.c.claimed_by.is_(None)).returning(due_work.c.idempotency_key, due_work.c.payload)
                removed.update((key, payload) for key, payload in (await connection.execute(statement)).all())
        return [removed[key] for key in wanted if key in removed]

    async def schedule(self, kind: str, payload: dict[str, Any], due_at: datetime, key: str,
                       *, now: datetime) -> bool:
        """Add work unless a row with the same idempotency key exists. True when it was added."""
        return await self.schedule_many([(kind, payload, due_at, key)], now=now) == 1

    async def schedule_many(self, items: Iterable[tuple[str, dict[str, Any], datetime, str]],
                            *, now: datetime) -> int:
        rows = [
            {"kind": kind, "payload": payload, "due_at": due_at, "idempotency_key": key, "attempts": 0,
             "created_at": now, "user_id": _snowflake(payload, "user_id"),
             "guild_id": _snowflake(payload, "guild_id")}
            for kind, payload, due_at, key in items
        ]
        insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        added = 0
        async with self._db.write() as connection:
            # Multi-row VALUES in chunks: one round trip per chunk, and rowcount counts real inserts.
            for start in range(0, len(rows), _CHUNK):
                statement = (
                    insert(due_work)
                    .values(rows[start:start + _CHUNK])
                    .on_conflict_do_nothing(index_elements=["idempotency_key"])
                )
                added += max((await connection.execute(statement)).rowcount, 0)
        return added

    async def claim_due(self, now: datetime, limit: int, owner: str, *, lease: timedelta,
                        kinds: Sequence[str] | None = None, shards: ShardPlan | None = None) -> list[DueItem]:
        """Atomically take up to `limit` due rows for `owner`.

        A row is claimable when it is open, due, and either unclaimed or claimed longer ago than
        `lease` (its claimer crashed). One UPDATE … WHERE id IN (SELECT …) statement does it: on
        PostgreSQL the inner SELECT skips rows other claimers have locked; on SQLite the statement
        holds the single write lock from start to end. Either way no two claimers share a row.

        `shards`: a process running some of the shards takes its servers' work and member-level work only.
        """
        conditions = [
            due_work.c.done_at.is_(None),
            due_work.c.gave_up_at.is_(None),
            due_work.c.due_at <= now,
            or_(due_work.c.claimed_at.is_(None), due_work.c.claimed_at < now - lease),
        ]
        if kinds is not None:
            if not kinds:
                return []
            conditions.append(due_work.c.kind.in_(list(kinds)))
        if shards is not None and not shards.every_shard:
            # Discord's rule, (guild_id >> 22) % count, with literals: PostgreSQL has `bigint >> integer` only.
            shard = due_work.c.guild_id.op(">>")(literal(22, Integer)) % literal(shards.count, BigInteger)
            on_my_shards = shard.in_(list(shards.ids))
            conditions.append(or_(due_work.c.guild_id.is_(None), on_my_shards))
        candidates = (
            select(due_work.c.id)
            .where(and_(*conditions))
            .order_by(due_work.c.due_at, due_work.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        statement = (
            update(due_work)
            .where(due_work.c.id.in_(candidates))
            # SET expressions see the old row: a claim still held means its claimer stopped mid-row.
            .values(claimed_by=owner, claimed_at=now, attempts=due_work.c.attempts + 1,
                    interrupted=due_work.c.claimed_at.is_not(None))
            .returning(*_COLUMNS)
        )
        async with self._db.write() as connection:
            rows = (await connection.execute(statement)).all()
        return sorted((_item(row) for row in rows), key=lambda item: (item.due_at, item.id))

    async def complete(self, item_id: int, owner: str, now: datetime) -> bool:
        """Mark done. False when the claim was lost (expired and taken by someone else)."""
        statement = (
            update(due_work)
            .where(due_work.c.id == item_id, due_work.c.claimed_by == owner, due_work.c.done_at.is_(None))
            .values(done_at=now, claimed_by=None, claimed_at=None, last_error=None)
        )
        async with self._db.write() as connection:
            return (await connection.execute(statement)).rowcount == 1

    async def complete_many(self, item_ids: Sequence[int], owner: str, now: datetime) -> set[int]:
        """Mark many rows done in one statement per thousand ids. The ids marked: those missing lost their claim."""
        wanted = list(dict.fromkeys(item_ids))
        marked: set[int] = set()
        if not wanted:
            return marked
        async with self._db.write() as connection:
            for start in range(0, len(wanted), _CHUNK):
                statement = (
                    update(due_work)
                    .where(due_work.c.id.in_(wanted[start:start + _CHUNK]), due_work.c.claimed_by == owner,
                           due_work.c.done_at.is_(None))
                    .values(done_at=now, claimed_by=None, claimed_at=None, last_error=None)
                    .returning(due_work.c.id)
                )
                marked.update((await connection.execute(statement)).scalars())
        return marked

    async def fail(self, item: DueItem, owner: str, now: datetime, error: str, *,
                   max_attempts: int) -> FailureOutcome:
        """Record a failed attempt: retry later with backoff, or give up after `max_attempts`."""
        gave_up = item.attempts >= max_attempts
        retry_at = None if gave_up else now + retry_delay(item.attempts)
        values: dict[str, Any] = {"claimed_by": None, "claimed_at": None, "last_error": error[:2000]}
        if gave_up:
            values["gave_up_at"] = now
        else:
            values["due_at"] = retry_at
        statement = (
            update(due_work).where(due_work.c.id == item.id, due_work.c.claimed_by == owner).values(**values)
        )
        async with self._db.write() as connection:
            await connection.execute(statement)
        return FailureOutcome(gave_up=gave_up, retry_at=retry_at)

    async def release(self, item_ids: Sequence[int], owner: str) -> int:
        """Give back claims not yet worked on (clean shutdown); the attempt does not count."""
        if not item_ids:
            return 0
        statement = (
            update(due_work)
            .where(due_work.c.id.in_(list(item_ids)), due_work.c.claimed_by == owner,
                   due_work.c.done_at.is_(None))
            .values(claimed_by=None, claimed_at=None, attempts=due_work.c.attempts - 1)
        )
        async with self._db.write() as connection:
            return int((await connection.execute(statement)).rowcount)

    async def cancel(self, key: str) -> bool:
        """Remove open work by its key (e.g. a reminder for an event that was cancelled)."""
        statement = delete(due_work).where(
            due_work.c.idempotency_key == key, due_work.c.done_at.is_(None), due_work.c.claimed_by.is_(None)
        )
        async with self._db.write() as connection:
            return (await connection.execute(statement)).rowcount == 1

    async def get(self, key: str) -> dict[str, Any] | None:
        async with self._db.read() as connection:
            row = (await connection.execute(select(due_work).where(due_work.c.idempotency_key == key))).first()
        return dict(row._mapping) if row else None

    async def counts(self) -> dict[str, int]:
        """Open, done and given-up totals, for health and the benchmark's checks."""
        statement = select(
            func.count().filter(and_(due_work.c.done_at.is_(None), due_work.c.gave_up_at.is_(None))),
            func.count().filter(due_work.c.done_at.is_not(None)),
            func.count().filter(due_work.c.gave_up_at.is_not(None)),
        )
        async with self._db.read() as connection:
            open_, done, gave_up = (await connection.execute(statement)).one()
        return {"open": int(open_), "done": int(done), "gave_up": int(gave_up)}

    async def purge_finished(self, before: datetime, *, chunk: int = PURGE_CHUNK) -> int:
        """Delete rows finished (done or given up) before `before`, `chunk` rows per transaction.

        Short transactions, so a large backlog never holds SQLite's write lock (or PostgreSQL row locks)
        long enough to stall a sweep or a command. How many rows were deleted.
        """
        finished = or_(due_work.c.done_at < before, due_work.c.gave_up_at < before)
        deleted = 0
        while True:
            statement = delete(due_work).where(
                due_work.c.id.in_(select(due_work.c.id).where(finished).limit(chunk).scalar_subquery()))
            async with self._db.write() as connection:
                removed = max(int((await connection.execute(statement)).rowcount), 0)
            deleted += removed
            if removed < chunk:
                return deleted

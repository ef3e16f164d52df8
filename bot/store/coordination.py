"""What several Hearth processes on one database agree through it: leases, and one shared request budget."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store._db import Database
from bot.store.tables import leases, rate_budget


@dataclass(frozen=True)
class Lease:
    name: str
    holder: str
    expires_at: datetime


class LeaseStore:
    """A lease is held by one process until it expires; its holder renews it, anyone takes it once expired."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._dialect = db.dialect

    async def take(self, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
        """Take the lease, or renew it when `holder` has it already. False while another holds it."""
        insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        values = insert(leases).values(name=name, holder=holder, expires_at=now + ttl, acquired_at=now)
        excluded = values.excluded
        statement = values.on_conflict_do_update(
            index_elements=["name"],
            set_={"holder": excluded.holder, "expires_at": excluded.expires_at,
                  # Kept while renewed: when this holder first took it.
                  "acquired_at": text("CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at "
                                      "ELSE excluded.acquired_at END")},
            where=(leases.c.holder == excluded.holder) | (leases.c.expires_at <= now),
        ).returning(leases.c.holder)
        async with self._db.write() as connection:
            return (await connection.execute(statement)).first() is not None

    async def release(self, holder: str, name: str | None = None) -> int:
        """Hand back one lease, or every lease `holder` has (a clean shutdown): another may take them at once."""
        statement = delete(leases).where(leases.c.holder == holder)
        if name is not None:
            statement = statement.where(leases.c.name == name)
        async with self._db.write() as connection:
            return max(int((await connection.execute(statement)).rowcount), 0)

    async def get(self, name: str) -> Lease | None:
        async with self._db.read() as connection:
            row = (await connection.execute(
                select(leases.c.name, leases.c.holder, leases.c.expires_at).where(leases.c.name == name))).first()
        return Lease(row.name, row.holder, row.expires_at) if row else None


@dataclass(frozen=True)
class Grant:
    """Tokens granted now, and when none were: how long until the next one is due."""

    tokens: int
    wait_seconds: float


class RateBudgetStore:
    """A token bucket in one row (PostgreSQL), refilled at `rate` a second up to `burst`, by the database's clock.

    Tokens granted over any `T` seconds are at most `burst + rate·T`, whichever processes asked: that bound is
    what keeps every process together under Discord's per-bot limit. One row lock per grant; a process asks for
    several tokens at a time when it has several requests waiting.
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    async def ensure(self, name: str, burst: float) -> None:
        statement = postgresql.insert(rate_budget).values(
            name=name, tokens=burst, refilled_at=text("extract(epoch from clock_timestamp())"), paused_until=0.0,
        ).on_conflict_do_nothing(index_elements=["name"])
        async with self._db.write() as connection:
            await connection.execute(statement)

    async def take(self, name: str, want: int, *, rate: float, burst: float) -> Grant:
        """Up to `want` tokens, as many as the bucket holds (whole tokens only)."""
        # One statement, so the row is locked only from it to the commit: every process's grants queue on this lock.
        async with self._db.write() as connection:
            row = (await connection.execute(_TAKE, {"name": name, "want": want, "rate": rate, "burst": burst})).first()
        if row is None:
            raise LookupError(f"no rate budget named {name!r}: call ensure() first")
        granted, left, paused_for = int(row.granted), float(row.left_over), float(row.paused_for)
        if paused_for > 0:
            return Grant(0, paused_for)
        return Grant(granted, 0.0 if granted else (1.0 - left % 1.0) / rate)

    async def pause(self, name: str, seconds: float) -> None:
        """Discord answered 429: no process is granted anything for `seconds`."""
        statement = (update(rate_budget).where(rate_budget.c.name == name).values(
            paused_until=text("greatest(paused_until, extract(epoch from clock_timestamp()) + :pause)")
            .bindparams(pause=max(0.0, seconds))))
        async with self._db.write() as connection:
            await connection.execute(statement)


# The bucket refilled to now (by the database's clock, capped at the burst), then up to `want` whole tokens taken
# from it unless paused. The inner SELECT … FOR UPDATE reads the row as the last grant left it.
_TAKE = text("""
UPDATE rate_budget AS b
SET tokens = s.available - s.granted, refilled_at = s.now
FROM (
    SELECT locked.name, locked.now, locked.available, locked.paused_until,
           CASE WHEN locked.paused_until > locked.now THEN 0
                ELSE least(CAST(:want AS integer), CAST(floor(locked.available) AS integer)) END AS granted
    FROM (
        SELECT name, paused_until, extract(epoch from clock_timestamp()) AS now,
               least(CAST(:burst AS double precision),
                     tokens + greatest(0, extract(epoch from clock_timestamp()) - refilled_at)
                              * CAST(:rate AS double precision)) AS available
        FROM rate_budget WHERE name = :name FOR UPDATE
    ) AS locked
) AS s
WHERE b.name = s.name
RETURNING s.granted, s.available - s.granted AS left_over, greatest(0, s.paused_until - s.now) AS paused_for
""")


@asynccontextmanager
async def advisory_lock(engine: AsyncEngine, key: int) -> AsyncIterator[None]:
    """PostgreSQL: hold a session advisory lock while the block runs (others wait), on a connection of its own.

    A process that dies drops its connection, and with it the lock, so the next waiter goes on.
    """
    async with engine.connect() as connection:
        await connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
        await connection.commit()
        try:
            yield
        finally:
            await connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            await connection.commit()

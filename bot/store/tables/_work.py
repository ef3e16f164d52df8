"""Scheduled work, process facts, and what several processes agree through the database."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    String,
    Table,
    Text,
    false,
    text,
)

from bot.store.tables._metadata import metadata
from bot.store.types import UTCDateTime

# Everything that must happen later: a row per unit of work, claimed atomically by one sweeper.
due_work = Table(
    "due_work",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("kind", String(64), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
    Column("idempotency_key", String(200), nullable=False, unique=True),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("claimed_by", String(120)),
    Column("claimed_at", UTCDateTime),
    Column("done_at", UTCDateTime),
    Column("gave_up_at", UTCDateTime),
    Column("last_error", Text),
    Column("created_at", UTCDateTime, nullable=False),
    # True when the row was taken over from a claimer that never finished it (a crash mid-row): a
    # message it sends may already have gone out, so the handler checks before sending again.
    Column("interrupted", Boolean, nullable=False, server_default=false()),
    # The member the work is for, when it is for one (copied from the payload's `user_id`): a member's
    # export lists it and their deletion cancels it with one indexed query.
    Column("user_id", BigInteger),
    # The server the work belongs to (the payload's `guild_id`, or its meetup's or series' server): with several
    # shard processes, only the one running that server's shard claims it. None: member-level work, any process.
    Column("guild_id", BigInteger),
)
Index("ix_due_work_user", due_work.c.user_id)
Index("ix_due_work_guild", due_work.c.guild_id)
# The sweep's query: open rows by due time. Partial on both backends, so finished rows cost nothing.
Index(
    "ix_due_work_open_due",
    due_work.c.due_at,
    sqlite_where=text("done_at IS NULL AND gave_up_at IS NULL"),
    postgresql_where=text("done_at IS NULL AND gave_up_at IS NULL"),
)


# Small process-wide facts: the synced command hash, heartbeats.
meta = Table(
    "meta",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# Who holds what among several processes: a row per lease ("maintenance", …), renewed by its holder, free
# for another once it expires (its holder stopped without handing it back).
leases = Table(
    "leases",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("holder", String(120), nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("acquired_at", UTCDateTime, nullable=False),
)

# Discord's global request limit is per bot, so every process draws from one token bucket (PostgreSQL only: a
# SQLite database has one process). Times are the database's own clock, in epoch seconds, so no two machines'
# clocks need to agree.
rate_budget = Table(
    "rate_budget",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("tokens", Float, nullable=False),
    Column("refilled_at", Float, nullable=False),
    Column("paused_until", Float, nullable=False, server_default=text("0")),
)


"""Nudges and the community pulse."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
)

from bot.store.tables._metadata import metadata
from bot.store.types import UTCDateTime

# Nudges: a member's opt-in (per Discord user, covering one server's meetups) and what was sent to them.
nudge_prefs = Table(
    "nudge_prefs",
    metadata,
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("guild_id", BigInteger, nullable=False),  # the server whose meetups and buddy the digest covers
    Column("digest_enabled", Boolean, nullable=False),
    Column("digest_weekday", SmallInteger, nullable=False),  # 0 = Monday, the member's local calendar
    Column("local_time", SmallInteger, nullable=False),  # minutes after local midnight: digest and daily check
    Column("digest_every_weeks", SmallInteger, nullable=False),  # 1, or 2 after "less often"
    Column("quiet_enabled", Boolean, nullable=False),  # the quiet-member and low-check-ins word
    Column("quiet_days", SmallInteger, nullable=False),
    Column("buddy_enabled", Boolean, nullable=False),  # a meetup suggestion for a buddy pair yet to meet
    Column("next_digest_key", String(200)),  # idempotency keys of the scheduled rows; others are stale
    Column("next_check_key", String(200)),
    Column("opted_in_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

nudge_sends = Table(
    "nudge_sends",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("user_id", BigInteger, nullable=False),
    Column("kind", String(16), nullable=False),  # digest | quiet | low | buddy_event
    Column("work_key", String(200), nullable=False, unique=True),  # the due row that sent it: recorded once
    Column("sent_at", UTCDateTime, nullable=False),
)
Index("ix_nudge_sends_user_sent", nudge_sends.c.user_id, nudge_sends.c.sent_at)

# The community pulse's complete weeks, frozen the first time they are counted (bot/domain/pulse.py, rule 6):
# per server, figure version and week, the figures after suppression as JSON. Totals only, never a member.
pulse_weeks = Table(
    "pulse_weeks",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("version", SmallInteger, primary_key=True, autoincrement=False),
    Column("week_start", UTCDateTime, primary_key=True),  # Monday 00:00 UTC
    Column("figures", JSON, nullable=False),
    Column("frozen_at", UTCDateTime, nullable=False),
)



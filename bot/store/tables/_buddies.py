"""Buddy pairing: per-server settings, members' profiles, blocks, rounds and the groups formed."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    UniqueConstraint,
    text,
)

from bot.store.tables._metadata import metadata
from bot.store.types import UTCDateTime

# Buddy pairing: per-server settings, members' opt-in profiles, blocks, rounds and the groups formed.
buddy_config = Table(
    "buddy_config",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("cadence_weeks", SmallInteger, nullable=False),  # 1, 2, 3 or 4
    Column("weekday", SmallInteger, nullable=False),  # 0 = Monday, in the server's time zone
    Column("hour", SmallInteger, nullable=False),
    Column("interests", JSON, nullable=False),  # the server's list members pick from
    Column("repeat_rounds", SmallInteger, nullable=False),  # never repeat a pair within this many rounds
    Column("enabled", Boolean, nullable=False),
    Column("next_round_key", String(200)),  # the scheduled round's due-work key
    Column("updated_by", BigInteger),
    Column("updated_at", UTCDateTime, nullable=False),
)

buddy_profiles = Table(
    "buddy_profiles",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("interests", JSON, nullable=False),
    Column("area", String(80)),  # coarse: a town or region, never an address
    Column("preference", String(10), nullable=False),  # in_person | online | either
    Column("frequency", String(12), nullable=False),  # every | every_other
    Column("active", Boolean, nullable=False),
    Column("paused_until", UTCDateTime),
    Column("skip_round_key", String(200)),  # "skip this round" from the heads-up
    Column("missed_last_round", Boolean, nullable=False, server_default=text("false")),
    Column("sat_out_last_round", Boolean, nullable=False, server_default=text("false")),
    Column("unanswered_followups", SmallInteger, nullable=False, server_default=text("0")),
    Column("last_paired_at", UTCDateTime),
    Column("rounds_paired", Integer, nullable=False, server_default=text("0")),
    Column("joined_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

buddy_blocks = Table(
    "buddy_blocks",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("blocked_id", BigInteger, primary_key=True, autoincrement=False),
    Column("created_at", UTCDateTime, nullable=False),
)

buddy_rounds = Table(
    "buddy_rounds",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("round_key", String(200), nullable=False, unique=True),
    Column("started_at", UTCDateTime, nullable=False),
    Column("followup_at", UTCDateTime, nullable=False),
    Column("ends_at", UTCDateTime, nullable=False),
    Column("pool_size", Integer, nullable=False),
    Column("unmatched", JSON, nullable=False),
)
Index("ix_buddy_rounds_guild_started", buddy_rounds.c.guild_id, buddy_rounds.c.started_at)

buddy_groups = Table(
    "buddy_groups",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("round_id", BigInteger, ForeignKey("buddy_rounds.id", ondelete="CASCADE"), nullable=False),
    Column("position", SmallInteger, nullable=False),
    Column("reasons", JSON, nullable=False),  # what they share, for the intro
    Column("thread_id", BigInteger),
    Column("delivered", String(8)),  # thread | dm, once the intro is out
    UniqueConstraint("round_id", "position", name="uq_buddy_groups_round_position"),
)

buddy_group_members = Table(
    "buddy_group_members",
    metadata,
    Column("group_id", BigInteger, ForeignKey("buddy_groups.id", ondelete="CASCADE"), primary_key=True,
           autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("answer", String(10)),  # in_person | online | not_yet | skip
    Column("answered_at", UTCDateTime),
)
Index("ix_buddy_group_members_user", buddy_group_members.c.user_id)


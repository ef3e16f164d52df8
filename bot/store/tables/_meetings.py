"""Finding a time together."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
)

from bot.store.tables._metadata import metadata
from bot.store.types import UTCDateTime

# Finding a time together: a poll per group (a buddy group, or a going-together group of a meetup), each member's
# availability in UTC, the few best times offered, each member's pick, and the time they settled on.
meeting_polls = Table(
    "meeting_polls",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("group_kind", String(12), nullable=False),  # buddy | companions
    Column("group_ref", BigInteger, nullable=False),  # buddy_groups.id, or the companions' group number
    Column("event_id", BigInteger),  # companions: the meetup they are going to together
    Column("channel_id", BigInteger),  # where the offered times were posted (thread or DM)
    Column("message_id", BigInteger),
    Column("window_start", UTCDateTime, nullable=False),
    Column("window_end", UTCDateTime, nullable=False),
    Column("duration_minutes", SmallInteger, nullable=False),
    Column("status", String(12), nullable=False),  # open | offered | confirmed | no_overlap | closed
    Column("options", JSON, nullable=False),  # the times offered, best first
    Column("chosen_start", UTCDateTime),
    Column("created_by", BigInteger),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)
Index("ix_meeting_polls_group", meeting_polls.c.group_kind, meeting_polls.c.group_ref)
Index("ix_meeting_polls_guild_created", meeting_polls.c.guild_id, meeting_polls.c.created_at)

meeting_poll_members = Table(
    "meeting_poll_members",
    metadata,
    Column("poll_id", BigInteger, ForeignKey("meeting_polls.id", ondelete="CASCADE"), primary_key=True,
           autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("slots", JSON),  # free UTC intervals [[start, end], ...], None until they answered
    Column("answered_at", UTCDateTime),
    Column("pick", SmallInteger),  # index into meeting_polls.options
    Column("picked_at", UTCDateTime),
)
Index("ix_meeting_poll_members_user", meeting_poll_members.c.user_id)

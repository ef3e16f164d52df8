"""Table definitions (SQLAlchemy Core). Migrations in `migrations/versions` create exactly these."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    text,
)

from bot.store.types import UTCDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

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
)
# The sweep's query: open rows by due time. Partial on both backends, so finished rows cost nothing.
Index(
    "ix_due_work_open_due",
    due_work.c.due_at,
    sqlite_where=text("done_at IS NULL AND gave_up_at IS NULL"),
    postgresql_where=text("done_at IS NULL AND gave_up_at IS NULL"),
)

# A member's own preferences; per Discord user, the same in every server they share with Hearth.
member_settings = Table(
    "member_settings",
    metadata,
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("timezone", String(64)),
    Column("quiet_start", SmallInteger),  # minutes after local midnight
    Column("quiet_end", SmallInteger),
    Column("dms_enabled", Boolean, nullable=False, server_default=text("true")),
    Column("dms_closed_at", UTCDateTime),  # Discord refused a DM: we stop trying until the member returns
    Column("dms_closed_notified_at", UTCDateTime),  # when we told them so (once, on their next command)
    Column("updated_at", UTCDateTime, nullable=False),
)

guild_settings = Table(
    "guild_settings",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("timezone", String(64)),
    Column("announcements_channel_id", BigInteger),
    Column("buddies_channel_id", BigInteger),
    Column("events_channel_id", BigInteger),
    Column("organiser_role_id", BigInteger),
    Column("support_text", Text),  # the server's own support resources, shown on hard days
    Column("support_url", String(500)),
    Column("support_channel_id", BigInteger),  # where "ask a moderator to reach out" requests go
    Column("updated_by", BigInteger),
    Column("updated_at", UTCDateTime, nullable=False),
)

# Small process-wide facts: the synced command hash, heartbeats.
meta = Table(
    "meta",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# One row per check-in. Private: only ever shown to the member who made it.
checkins = Table(
    "checkins",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("user_id", BigInteger, nullable=False),
    Column("guild_id", BigInteger),  # the server it was made in or prompted from
    Column("mood", SmallInteger, nullable=False),
    Column("note", Text),
    Column("local_date", Date, nullable=False),  # the member's calendar day when they checked in
    Column("source", String(16), nullable=False),  # command | prompt
    Column("created_at", UTCDateTime, nullable=False),
)
Index("ix_checkins_user_created", checkins.c.user_id, checkins.c.created_at)

# A member's opt-in to check-in prompts by DM; the next prompt itself is a due_work row.
checkin_reminders = Table(
    "checkin_reminders",
    metadata,
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("guild_id", BigInteger),
    Column("cadence", String(8), nullable=False),  # daily | weekly
    Column("weekday", SmallInteger),  # 0 = Monday, weekly only
    Column("local_time", SmallInteger, nullable=False),  # minutes after local midnight
    Column("enabled", Boolean, nullable=False),
    Column("stopped_reason", String(32)),  # member | dms_closed
    Column("next_key", String(200)),  # idempotency key of the scheduled prompt; others are stale
    Column("updated_at", UTCDateTime, nullable=False),
)

"""Members and servers: settings, check-ins, minimum-age statements, check-in prompts."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    text,
)

from bot.store.tables._metadata import metadata
from bot.store.types import UTCDateTime

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
    Column("event_reminders", String(8)),  # both | day | hour | off; empty means both
    Column("dm_channel_id", BigInteger),  # our DM conversation, so a fan-out sends with one request per member
    Column("consent_version", SmallInteger),  # the privacy notice version the member agreed to; empty: never
    Column("consent_at", UTCDateTime),
    Column("language", String(8)),  # the language the member chose (/settings language); empty: automatic
    Column("discord_locale", String(16)),  # their last interaction's locale, so later DMs are in their language
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
    Column("notes_retention_days", SmallInteger),  # check-in notes older than this are removed; empty: 365
    Column("leave_grace_days", SmallInteger),  # a member who left loses their data after this; empty: 30
    Column("min_age", SmallInteger),  # self-declared minimum age for the buddy pool and in-person meetups
    Column("updated_by", BigInteger),
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
# Server-wide totals (the pulse) and note retention read a server's check-ins by time.
Index("ix_checkins_guild_created", checkins.c.guild_id, checkins.c.created_at)

# A member's own statement that they meet a server's minimum age (the server's setting when they said so).
member_ages = Table(
    "member_ages",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("min_age", SmallInteger, nullable=False),
    Column("confirmed_at", UTCDateTime, nullable=False),
)

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
    Column("paused_until", UTCDateTime),  # no prompts before then (a holiday); they resume by themselves
)


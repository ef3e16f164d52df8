"""Table definitions (SQLAlchemy Core). Migrations in `migrations/versions` create exactly these."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
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
    # True when the row was taken over from a claimer that never finished it (a crash mid-row): a
    # message it sends may already have gone out, so the handler checks before sending again.
    Column("interrupted", Boolean, nullable=False, server_default=false()),
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
    Column("event_reminders", String(8)),  # both | day | hour | off; empty means both
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

# Meetups organisers announce, and members' RSVPs (going / maybe / can't go / on the waitlist).
events = Table(
    "events",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("title", String(100), nullable=False),
    Column("description", Text),
    Column("start_at", UTCDateTime, nullable=False),
    Column("end_at", UTCDateTime, nullable=False),
    Column("mode", String(10), nullable=False),  # in_person | online
    Column("venue", String(200)),
    Column("area", String(80)),
    Column("link", String(500)),
    Column("capacity", Integer),
    Column("tag", String(20), nullable=False),
    Column("status", String(10), nullable=False),  # scheduled | cancelled
    Column("creator_id", BigInteger, nullable=False),
    Column("channel_id", BigInteger),
    Column("message_id", BigInteger),
    Column("scheduled_event_id", BigInteger),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)
Index("ix_events_guild_start", events.c.guild_id, events.c.start_at)

event_rsvps = Table(
    "event_rsvps",
    metadata,
    Column("event_id", BigInteger, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True,
           autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("status", String(10), nullable=False),  # going | maybe | no | waitlist
    Column("display_name", String(100)),  # as the member clicked: reminders say who else is going
    Column("updated_at", UTCDateTime, nullable=False),  # waitlist order: first come, first promoted
)

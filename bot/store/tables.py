"""Table definitions (SQLAlchemy Core). Migrations in `migrations/versions` create exactly these."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
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
    # A recurring meetup's occurrence (event_series, below). No foreign key: SQLite can't add one in place.
    Column("series_id", BigInteger),
    Column("occurrence", SmallInteger),  # 1 = the series' first date
    Column("rsvp_closes_at", UTCDateTime),  # None: answers are taken until the meetup starts
    Column("role_id", BigInteger),  # None: open to everyone; else only members with this role may answer
    Column("access_notes", Text),  # step-free access, quiet space, seating, what to expect
    Column("arrival_code", String(12)),  # what the organiser shares at the venue for "I'm here"
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
    Column("arrived_at", UTCDateTime),  # "I'm here": attendance, not just the answer
    Column("offer_expires_at", UTCDateTime),  # a freed place offered to this waitlisted member until then
)
Index("ix_event_rsvps_user", event_rsvps.c.user_id)

# A recurring meetup: the rule and the template every occurrence copies. Each occurrence is its own
# events row (series_id, occurrence), announced ahead by an "event.series" due-work row.
event_series = Table(
    "event_series",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("frequency", String(20), nullable=False),  # weekly | every_other_week | monthly_nth_weekday
    Column("zone", String(64), nullable=False),  # the organiser's: occurrences keep its wall-clock time
    Column("first_start", UTCDateTime, nullable=False),
    Column("count", SmallInteger),  # how many occurrences in all; empty with no end or an end date
    Column("until", UTCDateTime),  # no occurrence starts after this
    Column("stopped_after", SmallInteger),  # "cancel this and all later": none after this occurrence
    Column("status", String(10), nullable=False),  # active | cancelled
    Column("title", String(100), nullable=False),
    Column("description", Text),
    Column("duration_minutes", Integer, nullable=False),
    Column("mode", String(10), nullable=False),
    Column("venue", String(200)),
    Column("area", String(80)),
    Column("link", String(500)),
    Column("capacity", Integer),
    Column("tag", String(20), nullable=False),
    Column("creator_id", BigInteger, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # Copied to every occurrence: answers close this many minutes before each start (None: at the start).
    Column("rsvp_close_minutes", Integer),
    Column("role_id", BigInteger),
    Column("access_notes", Text),
)
Index("uq_events_series_occurrence", events.c.series_id, events.c.occurrence, unique=True)

# "Don't go alone": members going to an in-person meetup who asked for someone to go with.
event_companions = Table(
    "event_companions",
    metadata,
    Column("event_id", BigInteger, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True,
           autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("requested_at", UTCDateTime, nullable=False),
    Column("group_no", SmallInteger),  # set when grouped; the same number for everyone in the group
    Column("delivered", String(8)),  # thread | dm, once the introduction is out
    Column("thread_id", BigInteger),
    Column("alone_told_at", UTCDateTime),  # told kindly that nobody else asked
)

# After an in-person meetup: one answer per member, changeable. Only ever shown as totals.
event_feedback = Table(
    "event_feedback",
    metadata,
    Column("event_id", BigInteger, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True,
           autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("how", String(12)),  # good | okay | not_for_me
    Column("met_new", Boolean),  # met someone new there
    Column("updated_at", UTCDateTime, nullable=False),
)

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

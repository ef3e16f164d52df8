"""Meetups: announcements, answers, series, going together, feedback."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
)

from bot.store.tables._metadata import metadata
from bot.store.types import UTCDateTime

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


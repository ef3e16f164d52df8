"""Table definitions (SQLAlchemy Core), a module per area. Migrations in `migrations/versions` create exactly
these."""

from bot.store.tables._buddies import (
    buddy_blocks,
    buddy_config,
    buddy_group_members,
    buddy_groups,
    buddy_profiles,
    buddy_rounds,
)
from bot.store.tables._community import nudge_prefs, nudge_sends, pulse_weeks
from bot.store.tables._events import event_companions, event_feedback, event_rsvps, event_series, events
from bot.store.tables._meetings import meeting_poll_members, meeting_polls
from bot.store.tables._members import checkin_reminders, checkins, guild_settings, member_ages, member_settings
from bot.store.tables._metadata import metadata
from bot.store.tables._work import due_work, leases, meta, rate_budget

__all__ = [
    "buddy_blocks", "buddy_config", "buddy_group_members", "buddy_groups", "buddy_profiles", "buddy_rounds",
    "checkin_reminders", "checkins", "due_work", "event_companions", "event_feedback", "event_rsvps",
    "event_series", "events", "guild_settings", "leases", "meeting_poll_members", "meeting_polls", "member_ages",
    "member_settings", "meta", "metadata", "nudge_prefs", "nudge_sends", "pulse_weeks", "rate_budget",
]

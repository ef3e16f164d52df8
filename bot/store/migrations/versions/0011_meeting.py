"""Meeting: finding a time together, and the meetup controls organisers asked for, and pausing check-in prompts.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.types import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("rsvp_closes_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("role_id", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("access_notes", sa.Text(), nullable=True))
        batch.add_column(sa.Column("arrival_code", sa.String(length=12), nullable=True))
    with op.batch_alter_table("event_series") as batch:
        batch.add_column(sa.Column("rsvp_close_minutes", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("role_id", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("access_notes", sa.Text(), nullable=True))
    with op.batch_alter_table("event_rsvps") as batch:
        batch.add_column(sa.Column("arrived_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("offer_expires_at", UTCDateTime(), nullable=True))
    with op.batch_alter_table("checkin_reminders") as batch:
        batch.add_column(sa.Column("paused_until", UTCDateTime(), nullable=True))
    op.create_table(
        "meeting_polls",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("group_kind", sa.String(length=12), nullable=False),
        sa.Column("group_ref", sa.BigInteger(), nullable=False),
        sa.Column("event_id", sa.BigInteger(), nullable=True),
        sa.Column("channel_id", sa.BigInteger(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("window_start", UTCDateTime(), nullable=False),
        sa.Column("window_end", UTCDateTime(), nullable=False),
        sa.Column("duration_minutes", sa.SmallInteger(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("chosen_start", UTCDateTime(), nullable=True),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_meeting_polls"),
    )
    op.create_index("ix_meeting_polls_group", "meeting_polls", ["group_kind", "group_ref"])
    op.create_index("ix_meeting_polls_guild_created", "meeting_polls", ["guild_id", "created_at"])
    op.create_table(
        "meeting_poll_members",
        sa.Column("poll_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("slots", sa.JSON(), nullable=True),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.Column("pick", sa.SmallInteger(), nullable=True),
        sa.Column("picked_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["poll_id"], ["meeting_polls.id"], name="fk_meeting_poll_members_poll_id_meeting_polls",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("poll_id", "user_id", name="pk_meeting_poll_members"),
    )
    op.create_index("ix_meeting_poll_members_user", "meeting_poll_members", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_meeting_poll_members_user", table_name="meeting_poll_members")
    op.drop_table("meeting_poll_members")
    op.drop_index("ix_meeting_polls_guild_created", table_name="meeting_polls")
    op.drop_index("ix_meeting_polls_group", table_name="meeting_polls")
    op.drop_table("meeting_polls")
    with op.batch_alter_table("checkin_reminders") as batch:
        batch.drop_column("paused_until")
    with op.batch_alter_table("event_rsvps") as batch:
        batch.drop_column("offer_expires_at")
        batch.drop_column("arrived_at")
    with op.batch_alter_table("event_series") as batch:
        batch.drop_column("access_notes")
        batch.drop_column("role_id")
        batch.drop_column("rsvp_close_minutes")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("arrival_code")
        batch.drop_column("access_notes")
        batch.drop_column("role_id")
        batch.drop_column("rsvp_closes_at")

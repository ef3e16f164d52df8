"""Events: recurring series, going-alone introductions and after-event answers.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.types import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_series",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("frequency", sa.String(length=20), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("first_start", UTCDateTime(), nullable=False),
        sa.Column("count", sa.SmallInteger(), nullable=True),
        sa.Column("until", UTCDateTime(), nullable=True),
        sa.Column("stopped_after", sa.SmallInteger(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("venue", sa.String(length=200), nullable=True),
        sa.Column("area", sa.String(length=80), nullable=True),
        sa.Column("link", sa.String(length=500), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("tag", sa.String(length=20), nullable=False),
        sa.Column("creator_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_event_series"),
    )
    op.add_column("events", sa.Column("series_id", sa.BigInteger(), nullable=True))
    op.add_column("events", sa.Column("occurrence", sa.SmallInteger(), nullable=True))
    op.create_index("uq_events_series_occurrence", "events", ["series_id", "occurrence"], unique=True)
    op.create_table(
        "event_companions",
        sa.Column("event_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("requested_at", UTCDateTime(), nullable=False),
        sa.Column("group_no", sa.SmallInteger(), nullable=True),
        sa.Column("delivered", sa.String(length=8), nullable=True),
        sa.Column("thread_id", sa.BigInteger(), nullable=True),
        sa.Column("alone_told_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name="fk_event_companions_event_id_events",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", "user_id", name="pk_event_companions"),
    )
    op.create_table(
        "event_feedback",
        sa.Column("event_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("how", sa.String(length=12), nullable=True),
        sa.Column("met_new", sa.Boolean(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name="fk_event_feedback_event_id_events",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", "user_id", name="pk_event_feedback"),
    )


def downgrade() -> None:
    op.drop_table("event_feedback")
    op.drop_table("event_companions")
    op.drop_index("uq_events_series_occurrence", table_name="events")
    # ALTER TABLE … DROP COLUMN in place (SQLite 3.35+): recreating `events` would cascade-delete its RSVPs,
    # since foreign keys are enforced.
    with op.batch_alter_table("events", recreate="never") as batch:
        batch.drop_column("occurrence")
        batch.drop_column("series_id")
    op.drop_table("event_series")

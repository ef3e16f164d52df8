"""Nudges: members' opt-in and what was sent to them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.types import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "nudge_prefs",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("digest_enabled", sa.Boolean(), nullable=False),
        sa.Column("digest_weekday", sa.SmallInteger(), nullable=False),
        sa.Column("local_time", sa.SmallInteger(), nullable=False),
        sa.Column("digest_every_weeks", sa.SmallInteger(), nullable=False),
        sa.Column("quiet_enabled", sa.Boolean(), nullable=False),
        sa.Column("quiet_days", sa.SmallInteger(), nullable=False),
        sa.Column("buddy_enabled", sa.Boolean(), nullable=False),
        sa.Column("next_digest_key", sa.String(length=200), nullable=True),
        sa.Column("next_check_key", sa.String(length=200), nullable=True),
        sa.Column("opted_in_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_nudge_prefs"),
    )
    op.create_table(
        "nudge_sends",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("work_key", sa.String(length=200), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_nudge_sends"),
        sa.UniqueConstraint("work_key", name="uq_nudge_sends_work_key"),
    )
    op.create_index("ix_nudge_sends_user_sent", "nudge_sends", ["user_id", "sent_at"])


def downgrade() -> None:
    op.drop_index("ix_nudge_sends_user_sent", table_name="nudge_sends")
    op.drop_table("nudge_sends")
    op.drop_table("nudge_prefs")

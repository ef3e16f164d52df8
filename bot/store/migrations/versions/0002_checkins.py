"""Check-ins: check-ins, reminder opt-ins, server support resources, DM refusal notices.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.types import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("member_settings", sa.Column("dms_closed_notified_at", UTCDateTime))
    op.add_column("guild_settings", sa.Column("support_text", sa.Text))
    op.add_column("guild_settings", sa.Column("support_url", sa.String(500)))
    op.add_column("guild_settings", sa.Column("support_channel_id", sa.BigInteger))
    op.create_table(
        "checkins",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("guild_id", sa.BigInteger),
        sa.Column("mood", sa.SmallInteger, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("local_date", sa.Date, nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_checkins"),
    )
    op.create_index("ix_checkins_user_created", "checkins", ["user_id", "created_at"])
    op.create_table(
        "checkin_reminders",
        sa.Column("user_id", sa.BigInteger, autoincrement=False),
        sa.Column("guild_id", sa.BigInteger),
        sa.Column("cadence", sa.String(8), nullable=False),
        sa.Column("weekday", sa.SmallInteger),
        sa.Column("local_time", sa.SmallInteger, nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("stopped_reason", sa.String(32)),
        sa.Column("next_key", sa.String(200)),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_checkin_reminders"),
    )


def downgrade() -> None:
    op.drop_table("checkin_reminders")
    op.drop_index("ix_checkins_user_created", table_name="checkins")
    op.drop_table("checkins")
    with op.batch_alter_table("guild_settings") as batch:
        batch.drop_column("support_channel_id")
        batch.drop_column("support_url")
        batch.drop_column("support_text")
    with op.batch_alter_table("member_settings") as batch:
        batch.drop_column("dms_closed_notified_at")

"""Trust: consent, retention and minimum-age settings, the member each due-work row is for, frozen pulse weeks.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.types import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("member_settings", sa.Column("consent_version", sa.SmallInteger(), nullable=True))
    op.add_column("member_settings", sa.Column("consent_at", UTCDateTime(), nullable=True))
    op.add_column("guild_settings", sa.Column("notes_retention_days", sa.SmallInteger(), nullable=True))
    op.add_column("guild_settings", sa.Column("leave_grace_days", sa.SmallInteger(), nullable=True))
    op.add_column("guild_settings", sa.Column("min_age", sa.SmallInteger(), nullable=True))
    op.add_column("due_work", sa.Column("user_id", sa.BigInteger(), nullable=True))
    # Rows planned before this revision name their member only in the payload.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE due_work SET user_id = (payload->>'user_id')::bigint WHERE payload->>'user_id' IS NOT NULL")
    else:
        op.execute("UPDATE due_work SET user_id = json_extract(payload, '$.user_id') "
                   "WHERE json_extract(payload, '$.user_id') IS NOT NULL")
    op.create_index("ix_due_work_user", "due_work", ["user_id"])
    op.create_index("ix_checkins_guild_created", "checkins", ["guild_id", "created_at"])
    op.create_index("ix_event_rsvps_user", "event_rsvps", ["user_id"])
    op.create_table(
        "member_ages",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("min_age", sa.SmallInteger(), nullable=False),
        sa.Column("confirmed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "user_id", name="pk_member_ages"),
    )
    op.create_table(
        "pulse_weeks",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("version", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("week_start", UTCDateTime(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("frozen_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "version", "week_start", name="pk_pulse_weeks"),
    )


def downgrade() -> None:
    op.drop_table("pulse_weeks")
    op.drop_table("member_ages")
    op.drop_index("ix_event_rsvps_user", table_name="event_rsvps")
    op.drop_index("ix_checkins_guild_created", table_name="checkins")
    op.drop_index("ix_due_work_user", table_name="due_work")
    with op.batch_alter_table("due_work") as batch:
        batch.drop_column("user_id")
    with op.batch_alter_table("guild_settings") as batch:
        batch.drop_column("min_age")
        batch.drop_column("leave_grace_days")
        batch.drop_column("notes_retention_days")
    with op.batch_alter_table("member_settings") as batch:
        batch.drop_column("consent_at")
        batch.drop_column("consent_version")

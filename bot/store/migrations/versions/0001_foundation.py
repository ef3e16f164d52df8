"""Foundation: due work, member and guild settings, meta.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.types import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

OPEN = sa.text("done_at IS NULL AND gave_up_at IS NULL")


def upgrade() -> None:
    op.create_table(
        "due_work",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True,
                  autoincrement=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("due_at", UTCDateTime, nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("claimed_by", sa.String(120)),
        sa.Column("claimed_at", UTCDateTime),
        sa.Column("done_at", UTCDateTime),
        sa.Column("gave_up_at", UTCDateTime),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_due_work"),
        sa.UniqueConstraint("idempotency_key", name="uq_due_work_idempotency_key"),
    )
    op.create_index("ix_due_work_open_due", "due_work", ["due_at"], sqlite_where=OPEN, postgresql_where=OPEN)
    op.create_table(
        "member_settings",
        sa.Column("user_id", sa.BigInteger, autoincrement=False),
        sa.Column("timezone", sa.String(64)),
        sa.Column("quiet_start", sa.SmallInteger),
        sa.Column("quiet_end", sa.SmallInteger),
        sa.Column("dms_enabled", sa.Boolean, nullable=False, server_default=sa.text("true")),
        sa.Column("dms_closed_at", UTCDateTime),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_member_settings"),
    )
    op.create_table(
        "guild_settings",
        sa.Column("guild_id", sa.BigInteger, autoincrement=False),
        sa.Column("timezone", sa.String(64)),
        sa.Column("announcements_channel_id", sa.BigInteger),
        sa.Column("buddies_channel_id", sa.BigInteger),
        sa.Column("events_channel_id", sa.BigInteger),
        sa.Column("organiser_role_id", sa.BigInteger),
        sa.Column("updated_by", sa.BigInteger),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("guild_id", name="pk_guild_settings"),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(200)),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_meta"),
    )


def downgrade() -> None:
    op.drop_table("meta")
    op.drop_table("guild_settings")
    op.drop_table("member_settings")
    op.drop_index("ix_due_work_open_due", table_name="due_work")
    op.drop_table("due_work")

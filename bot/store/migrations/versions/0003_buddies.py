"""Buddy pairing: server settings, profiles, blocks, rounds, groups and follow-up answers.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.types import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "buddy_config",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("cadence_weeks", sa.SmallInteger(), nullable=False),
        sa.Column("weekday", sa.SmallInteger(), nullable=False),
        sa.Column("hour", sa.SmallInteger(), nullable=False),
        sa.Column("interests", sa.JSON(), nullable=False),
        sa.Column("repeat_rounds", sa.SmallInteger(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("next_round_key", sa.String(length=200), nullable=True),
        sa.Column("updated_by", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", name="pk_buddy_config"),
    )
    op.create_table(
        "buddy_profiles",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("interests", sa.JSON(), nullable=False),
        sa.Column("area", sa.String(length=80), nullable=True),
        sa.Column("preference", sa.String(length=10), nullable=False),
        sa.Column("frequency", sa.String(length=12), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("paused_until", UTCDateTime(), nullable=True),
        sa.Column("skip_round_key", sa.String(length=200), nullable=True),
        sa.Column("missed_last_round", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("sat_out_last_round", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("unanswered_followups", sa.SmallInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_paired_at", UTCDateTime(), nullable=True),
        sa.Column("rounds_paired", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("joined_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "user_id", name="pk_buddy_profiles"),
    )
    op.create_table(
        "buddy_blocks",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("blocked_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "user_id", "blocked_id", name="pk_buddy_blocks"),
    )
    op.create_table(
        "buddy_rounds",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("round_key", sa.String(length=200), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("followup_at", UTCDateTime(), nullable=False),
        sa.Column("ends_at", UTCDateTime(), nullable=False),
        sa.Column("pool_size", sa.Integer(), nullable=False),
        sa.Column("unmatched", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_buddy_rounds"),
        sa.UniqueConstraint("round_key", name="uq_buddy_rounds_round_key"),
    )
    op.create_index("ix_buddy_rounds_guild_started", "buddy_rounds", ["guild_id", "started_at"])
    op.create_table(
        "buddy_groups",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("round_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("thread_id", sa.BigInteger(), nullable=True),
        sa.Column("delivered", sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(["round_id"], ["buddy_rounds.id"], name="fk_buddy_groups_round_id_buddy_rounds",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_buddy_groups"),
        sa.UniqueConstraint("round_id", "position", name="uq_buddy_groups_round_position"),
    )
    op.create_table(
        "buddy_group_members",
        sa.Column("group_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("answer", sa.String(length=10), nullable=True),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["group_id"], ["buddy_groups.id"],
                                name="fk_buddy_group_members_group_id_buddy_groups", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("group_id", "user_id", name="pk_buddy_group_members"),
    )
    op.create_index("ix_buddy_group_members_user", "buddy_group_members", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_buddy_group_members_user", table_name="buddy_group_members")
    op.drop_table("buddy_group_members")
    op.drop_table("buddy_groups")
    op.drop_index("ix_buddy_rounds_guild_started", table_name="buddy_rounds")
    op.drop_table("buddy_rounds")
    op.drop_table("buddy_blocks")
    op.drop_table("buddy_profiles")
    op.drop_table("buddy_config")

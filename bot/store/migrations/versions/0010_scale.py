"""Scale-out: the server each due-work row belongs to, leases between processes, one shared request budget.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.types import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# Rows planned before this revision name their server in the payload, or only their meetup, series, round or
# (nudges) the member whose nudge settings name it.
_BACKFILL = {
    "postgresql": [
        "UPDATE due_work SET guild_id = (payload->>'guild_id')::bigint WHERE payload->>'guild_id' IS NOT NULL",
        "UPDATE due_work SET guild_id = events.guild_id FROM events WHERE due_work.guild_id IS NULL "
        "AND due_work.kind IN ('event.companions', 'event.companions.note') "
        "AND events.id = (due_work.payload->>'event_id')::bigint",
        "UPDATE due_work SET guild_id = event_series.guild_id FROM event_series WHERE due_work.guild_id IS NULL "
        "AND due_work.kind = 'event.series' AND event_series.id = (due_work.payload->>'series_id')::bigint",
        "UPDATE due_work SET guild_id = buddy_rounds.guild_id FROM buddy_rounds WHERE due_work.guild_id IS NULL "
        "AND due_work.kind IN ('buddy.followup', 'nudge.buddy') "
        "AND buddy_rounds.id = (due_work.payload->>'round_id')::bigint",
        "UPDATE due_work SET guild_id = nudge_prefs.guild_id FROM nudge_prefs WHERE due_work.guild_id IS NULL "
        "AND due_work.kind IN ('nudge.digest', 'nudge.check') AND nudge_prefs.user_id = due_work.user_id",
    ],
    "sqlite": [
        "UPDATE due_work SET guild_id = json_extract(payload, '$.guild_id') "
        "WHERE json_extract(payload, '$.guild_id') IS NOT NULL",
        "UPDATE due_work SET guild_id = (SELECT events.guild_id FROM events "
        "WHERE events.id = json_extract(due_work.payload, '$.event_id')) "
        "WHERE guild_id IS NULL AND kind IN ('event.companions', 'event.companions.note')",
        "UPDATE due_work SET guild_id = (SELECT event_series.guild_id FROM event_series "
        "WHERE event_series.id = json_extract(due_work.payload, '$.series_id')) "
        "WHERE guild_id IS NULL AND kind = 'event.series'",
        "UPDATE due_work SET guild_id = (SELECT buddy_rounds.guild_id FROM buddy_rounds "
        "WHERE buddy_rounds.id = json_extract(due_work.payload, '$.round_id')) "
        "WHERE guild_id IS NULL AND kind IN ('buddy.followup', 'nudge.buddy')",
        "UPDATE due_work SET guild_id = (SELECT nudge_prefs.guild_id FROM nudge_prefs "
        "WHERE nudge_prefs.user_id = due_work.user_id) "
        "WHERE guild_id IS NULL AND kind IN ('nudge.digest', 'nudge.check')",
    ],
}


def upgrade() -> None:
    op.add_column("due_work", sa.Column("guild_id", sa.BigInteger(), nullable=True))
    for statement in _BACKFILL[op.get_bind().dialect.name]:
        op.execute(statement)
    op.create_index("ix_due_work_guild", "due_work", ["guild_id"])
    op.create_table(
        "leases",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("holder", sa.String(length=120), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("acquired_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_leases"),
    )
    op.create_table(
        "rate_budget",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("refilled_at", sa.Float(), nullable=False),
        sa.Column("paused_until", sa.Float(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_rate_budget"),
    )


def downgrade() -> None:
    op.drop_table("rate_budget")
    op.drop_table("leases")
    op.drop_index("ix_due_work_guild", table_name="due_work")
    with op.batch_alter_table("due_work") as batch:
        batch.drop_column("guild_id")

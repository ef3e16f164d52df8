"""Fan-out: due work remembers whether its last claimer stopped mid-row, so a send can be checked before it is
repeated; members' DM channel is kept, so a DM costs one request.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("due_work", sa.Column("interrupted", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("member_settings", sa.Column("dm_channel_id", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("member_settings") as batch:
        batch.drop_column("dm_channel_id")
    with op.batch_alter_table("due_work") as batch:
        batch.drop_column("interrupted")

"""job lease: heartbeat_at and attempts, so jobs left running by a dead worker are queued again

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 07:17:06.446119
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import archive.models.base

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("heartbeat_at", archive.models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_column("attempts")
        batch_op.drop_column("heartbeat_at")

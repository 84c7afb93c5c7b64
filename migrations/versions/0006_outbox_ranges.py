"""search outbox: a row may mark a range of files (bulk imports mark one row, not one per file)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 08:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("search_outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("file_id_to", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("search_outbox", schema=None) as batch_op:
        batch_op.drop_column("file_id_to")

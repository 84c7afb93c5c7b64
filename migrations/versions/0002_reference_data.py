"""reference data: default series with retention rules, box profiles, audit chain genesis

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from archive.reference_data import BOX_PROFILES, SERIES

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

series = sa.table(
    "series",
    sa.column("id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("name", sa.String),
    sa.column("name_en", sa.String),
    sa.column("kind", sa.String),
    sa.column("restricted", sa.Boolean),
)
rules = sa.table(
    "retention_rules",
    sa.column("series_id", sa.Integer),
    sa.column("version", sa.Integer),
    sa.column("period_years", sa.Integer),
    sa.column("trigger", sa.String),
    sa.column("note", sa.String),
    sa.column("created_at", sa.DateTime),
)
profiles = sa.table(
    "box_profiles",
    sa.column("code", sa.String),
    sa.column("name", sa.String),
    sa.column("width_cm", sa.Numeric),
    sa.column("capacity_files", sa.Integer),
)
head = sa.table(
    "audit_head",
    sa.column("id", sa.Integer),
    sa.column("last_event_id", sa.Integer),
    sa.column("last_hash", sa.String),
)


def upgrade() -> None:
    conn = op.get_bind()
    now = sa.func.current_timestamp()
    for code, name, name_en, kind, years, trigger in SERIES:
        series_id = conn.execute(
            series.insert()
            .values(code=code, name=name, name_en=name_en, kind=kind, restricted=False)
            .returning(series.c.id)
        ).scalar_one()
        conn.execute(
            rules.insert().values(
                series_id=series_id,
                version=1,
                period_years=years,
                trigger=trigger,
                note="Mặc định theo DOMAIN.md",
                created_at=now,
            )
        )
    op.bulk_insert(
        profiles,
        [
            {"code": c, "name": n, "width_cm": w, "capacity_files": cap}
            for c, n, w, cap in BOX_PROFILES
        ],
    )
    op.bulk_insert(head, [{"id": 1, "last_event_id": 0, "last_hash": "0" * 64}])


def downgrade() -> None:
    op.execute(head.delete())
    op.execute(profiles.delete())
    op.execute(rules.delete())
    op.execute(series.delete())

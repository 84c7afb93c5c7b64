"""A real SQLite data directory for job tests: a migrated database file, a huey queue file, and
office 00 with 40 benefit boxes (80 files each)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from archive.db import transaction
from archive.runtime import Runtime
from archive.settings import Settings
from tests.factories import make_layout, make_office, series


@dataclass(frozen=True)
class Place:
    runtime: Runtime
    office_id: int
    series_id: int

    @property
    def settings(self) -> Settings:
        return self.runtime.settings


@pytest.fixture
def place(tmp_path: Path, sqlite_template: Path) -> Iterator[Place]:
    db = tmp_path / "archive.sqlite3"
    shutil.copyfile(sqlite_template, db)
    settings = Settings(
        env="test",
        data_dir=tmp_path / "data",
        database_url=f"sqlite:///{db}",
        queue_url=f"sqlite:///{tmp_path / 'queue.sqlite3'}",
        import_job_threshold=2000,
    )
    runtime = Runtime(settings)
    with transaction(runtime.sessions) as session:
        office = make_office(session)
        make_layout(
            session, office, shelves=(1, 4), tiers=5, boxes_per_tier=2, profile_code="HOP_10_HUONG"
        )
        ids = (office.id, series(session).id)
    yield Place(runtime, *ids)
    runtime.dispose()

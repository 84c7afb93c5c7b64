"""A small archive for scanning tests: one office, three files in a box, a runtime whose worker
tasks (real render, real zxing, real tesseract) use the test database, and helpers to take a
document in and run every page the way the worker does."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker, undefer

from archive.jobs import scan_tasks
from archive.models import Box, File, Page, ScanBatch
from archive.runtime import Runtime
from archive.services import files, scan_intake, scan_work
from archive.settings import Settings
from scanners.storage import OriginalStore
from tests.apps import seeded
from tests.factories import ADMIN, make_layout, make_office, series


@dataclass(frozen=True)
class ScanWorld:
    runtime: Runtime
    office_id: int
    files: dict[str, File]  # by code: HS-A, HS-B, HS-C

    @property
    def factory(self) -> sessionmaker[Session]:
        return self.runtime.sessions

    @property
    def store(self) -> OriginalStore:
        return OriginalStore(self.runtime.settings.originals_dir)

    def barcode(self, code: str) -> str:
        return self.files[code].barcode

    def take_in(
        self, name: str, data: bytes, *, target_file_id: int | None = None, source: str = "upload"
    ) -> int:
        """Take one document in (as an upload would) and return the batch id."""
        folder = self.runtime.settings.data_dir / "incoming"
        folder.mkdir(exist_ok=True)
        path = folder / name
        path.write_bytes(data)
        with seeded(self.factory) as session:
            batch = scan_intake.receive(
                session,
                ADMIN,
                office_id=self.office_id,
                documents=[scan_intake.Incoming(path, name)],
                store=self.store,
                source=source,
                target_file_id=target_file_id,
            )
            return batch.id

    def run_pages(self, batch_id: int) -> list[str]:
        """Process every waiting page of the batch as the worker does, in order."""
        with seeded(self.factory) as session:
            waiting = scan_work.pending_pages(session, batch_id)
        return [scan_tasks.run_page(self.runtime, page_id) for page_id in waiting]

    def batch(self, batch_id: int) -> ScanBatch:
        with seeded(self.factory) as session:
            found = session.get(ScanBatch, batch_id)
            assert found is not None
            return found

    def pages_of(self, code: str) -> list[Page]:
        with seeded(self.factory) as session:
            return list(
                session.scalars(
                    select(Page)
                    .where(Page.file_id == self.files[code].id, Page.role != "cover")
                    .order_by(Page.position)
                    .options(undefer(Page.text))
                    .execution_options(populate_existing=True)
                )
            )


def build_scan_world(
    factory: sessionmaker[Session], data_dir: Path, **settings: object
) -> ScanWorld:
    """Three files (HS-A, HS-B, HS-C) in one box of office 00; PDFs rendered at 200 dpi."""
    values: dict[str, object] = {"scan_dpi": 200, "ocr_review_below": 70.0, **settings}
    runtime = Runtime(Settings(env="test", data_dir=data_dir, **values))  # type: ignore[arg-type]
    runtime.__dict__["sessions"] = factory
    with seeded(factory) as session:
        office = make_office(session)
        make_layout(session, office, shelves=(1, 1), tiers=1, boxes_per_tier=1)
        box = session.scalars(select(Box)).one()
        made = {
            code: files.create_file(
                session,
                ADMIN,
                files.FileIn(
                    office_id=office.id,
                    series_id=series(session, "HANH_CHINH").id,
                    code=code,
                    title=f"Hồ sơ hưởng trợ cấp {code}",
                    box_id=box.id,
                    sheet_count=2,
                ),
            )
            for code in ("HS-A", "HS-B", "HS-C")
        }
        return ScanWorld(runtime, office.id, made)

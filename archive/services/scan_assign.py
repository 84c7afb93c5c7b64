"""Which file each page of a batch belongs to, read from the cover sheets in the batch.

Walking the batch in order: a cover sheet with the barcode of a file of the batch's office starts
that file, and the pages after it belong to it until the next cover sheet. Pages before any cover
sheet go to the batch's target file when it has one, else to the unassigned tray; so do the pages
after a cover sheet whose barcode names no file of the office. Cover pages are kept (they are part
of what was scanned) but are never content of a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from archive.models import File, Page, ScanBatch


@dataclass
class Assignment:
    """What assigning a batch did."""

    pages_by_file: dict[int, int] = field(default_factory=dict)
    unassigned: int = 0
    covers: int = 0
    unknown_barcodes: list[str] = field(default_factory=list)
    blank: int = 0
    failed: int = 0

    @property
    def file_ids(self) -> list[int]:
        return sorted(self.pages_by_file)

    def as_changes(self) -> dict[str, Any]:
        return {
            "pages_by_file": {str(k): v for k, v in sorted(self.pages_by_file.items())},
            "unassigned": self.unassigned,
            "covers": self.covers,
            "unknown_barcodes": self.unknown_barcodes,
            "blank": self.blank,
            "failed": self.failed,
        }


def next_position(session: Session, file_id: int) -> int:
    """The position after the file's last page."""
    last = session.scalar(select(func.max(Page.position)).where(Page.file_id == file_id))
    return int(last or 0) + 1


def _files_by_barcode(session: Session, office_id: int, barcodes: set[str]) -> dict[str, int]:
    if not barcodes:
        return {}
    rows = session.execute(
        select(File.barcode, File.id).where(File.barcode.in_(barcodes), File.office_id == office_id)
    )
    return {barcode: file_id for barcode, file_id in rows}


def assign_batch(session: Session, batch: ScanBatch) -> Assignment:
    """Give every page of the batch its file and position (see the module's docstring)."""
    pages = session.execute(
        select(Page.id, Page.role, Page.barcode, Page.status)
        .where(Page.batch_id == batch.id)
        .order_by(Page.batch_seq)
    ).all()
    covers = {p.barcode for p in pages if p.role == "cover" and p.barcode}
    known = _files_by_barcode(session, batch.office_id, covers)
    out = Assignment()
    current = batch.target_file_id
    positions: dict[int, int] = {}
    for page in pages:
        if page.role == "cover":
            out.covers += 1
            current = known.get(page.barcode or "")
            if current is None:
                out.unknown_barcodes.append(page.barcode or "")
            _set(session, page.id, current, None)
            continue
        out.blank += page.role == "blank"
        out.failed += page.status == "failed"
        if current is None:
            out.unassigned += 1
            continue
        if current not in positions:
            positions[current] = next_position(session, current)
        _set(session, page.id, current, positions[current])
        positions[current] += 1
        out.pages_by_file[current] = out.pages_by_file.get(current, 0) + 1
    return out


def _set(session: Session, page_id: int, file_id: int | None, position: int | None) -> None:
    session.execute(
        update(Page)
        .where(Page.id == page_id)
        .values(file_id=file_id, position=position)
        .execution_options(synchronize_session=False)
    )

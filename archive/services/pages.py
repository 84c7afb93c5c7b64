"""A file's scanned pages, and what an archivist does with them: read, reorder, move, remove.

Pages belong to an office (the batch's); every read checks the actor's office scope and the
personal-data permission (scans of benefit files carry numbers, birth dates, addresses). Every
change is audited and marks the files involved for the search index. Originals are never
touched: a removed page keeps its row and its bytes, it only leaves the file's order."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from archive.errors import Invalid, NotFound
from archive.models import File, Page, ScanBatch, utcnow
from archive.permissions import Actor, Perm, require, require_office
from archive.services import audit, search_outbox
from archive.services.scan_assign import next_position
from scanners.words import Word, words_from_json

LISTED_ROLES = ("content", "blank")


@dataclass(frozen=True)
class PageView:
    """A page as lists show it (no text)."""

    id: int
    file_id: int | None
    position: int | None
    role: str
    status: str
    needs_review: bool
    confidence: float | None
    text_source: str | None
    error_code: str | None
    barcode: str | None
    batch_id: int
    office_id: int
    sha256: str
    source_index: int
    kind: str
    width: int | None
    height: int | None
    dpi: int | None
    processed_at: datetime | None


_VIEW_COLUMNS = (
    Page.id,
    Page.file_id,
    Page.position,
    Page.role,
    Page.status,
    Page.needs_review,
    Page.confidence,
    Page.text_source,
    Page.error_code,
    Page.barcode,
    Page.batch_id,
    Page.office_id,
    Page.sha256,
    Page.source_index,
    Page.kind,
    Page.width,
    Page.height,
    Page.dpi,
    Page.processed_at,
)


def _views(
    session: Session, *conditions: Any, order: Sequence[Any], limit: int | None = None
) -> list[PageView]:
    stmt = select(*_VIEW_COLUMNS).where(*conditions).order_by(*order)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [PageView(**row._asdict()) for row in session.execute(stmt)]


def _readable_file(session: Session, actor: Actor, file_id: int) -> File:
    require(actor, Perm.PERSONAL_DATA)
    file = session.get(File, file_id)
    if file is None or not actor.sees_office(file.office_id):
        raise NotFound("file.not_found", file_id=file_id)
    return file


def _page(session: Session, actor: Actor, page_id: int) -> Page:
    require(actor, Perm.PERSONAL_DATA)
    page = session.get(Page, page_id)
    if page is None or not actor.sees_office(page.office_id) or page.removed_at is not None:
        raise NotFound("page.not_found", page_id=page_id)
    return page


@dataclass(frozen=True)
class FilePages:
    """A file's pages in order, with the check of its sheet count against what was scanned."""

    file_id: int
    file_code: str
    sheet_count: int
    pages: list[PageView]

    @property
    def content_pages(self) -> int:
        return sum(page.role == "content" for page in self.pages)

    @property
    def blank_pages(self) -> int:
        return sum(page.role == "blank" for page in self.pages)

    @property
    def sheets_match(self) -> bool:
        """Scanned one side per sheet: content pages equal the register's sheet count."""
        return self.content_pages == self.sheet_count


def file_pages(session: Session, actor: Actor, file_id: int) -> FilePages:
    """The file's pages in order (removed pages and cover sheets left out)."""
    file = _readable_file(session, actor, file_id)
    pages = _views(
        session,
        Page.file_id == file.id,
        Page.removed_at.is_(None),
        Page.role.in_(LISTED_ROLES),
        Page.position.is_not(None),
        order=(Page.position, Page.id),
    )
    return FilePages(file.id, file.code, file.sheet_count, pages)


@dataclass(frozen=True)
class PageText:
    view: PageView
    text: str
    words: tuple[Word, ...]
    file_code: str | None


def page_view(session: Session, actor: Actor, page_id: int) -> PageView:
    """A page the actor may read (its office, personal-data permission)."""
    page = _page(session, actor, page_id)
    return _views(session, Page.id == page.id, order=(Page.id,))[0]


def page_text(session: Session, actor: Actor, page_id: int) -> PageText:
    """A page with its text and word boxes."""
    page = _page(session, actor, page_id)
    view = page_view(session, actor, page_id)
    code = (
        session.scalar(select(File.code).where(File.id == page.file_id)) if page.file_id else None
    )
    return PageText(view, page.text, words_from_json(json.loads(page.words or "[]")), code)


def page_ids_at(
    session: Session, actor: Actor, places: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], int]:
    """The page ids at these (file id, page number) places, as the search index numbers pages
    (content pages by position); places the actor may not read or that moved are left out."""
    require(actor, Perm.PERSONAL_DATA)
    if not places:
        return {}
    rows = session.execute(
        select(Page.id, Page.file_id, Page.position).where(
            Page.file_id.in_({file_id for file_id, _ in places}),
            Page.role == "content",
            Page.removed_at.is_(None),
            *_scope(actor, None),
        )
    )
    wanted = set(places)
    return {
        (row.file_id, row.position): row.id for row in rows if (row.file_id, row.position) in wanted
    }


def _scope(actor: Actor, office_id: int | None) -> list[Any]:
    if office_id is not None:
        require_office(actor, office_id)
        return [Page.office_id == office_id]
    if actor.office_ids is None:
        return []
    return [Page.office_id.in_(actor.office_ids)]


def tray(
    session: Session, actor: Actor, *, office_id: int | None = None, limit: int = 500
) -> list[PageView]:
    """Pages of finished batches that no cover sheet placed: waiting for an archivist."""
    require(actor, Perm.PERSONAL_DATA)
    finished = select(ScanBatch.id).where(ScanBatch.status == "done")
    return _views(
        session,
        Page.file_id.is_(None),
        Page.role.in_(LISTED_ROLES),
        Page.removed_at.is_(None),
        Page.batch_id.in_(finished),
        *_scope(actor, office_id),
        order=(Page.batch_id, Page.batch_seq),
        limit=limit,
    )


def review_queue(
    session: Session, actor: Actor, *, office_id: int | None = None, limit: int = 200
) -> list[PageView]:
    """Pages whose OCR confidence fell under the threshold, or that could not be read."""
    require(actor, Perm.PERSONAL_DATA)
    return _views(
        session,
        Page.needs_review.is_(True),
        Page.removed_at.is_(None),
        Page.status.in_(("done", "failed")),
        *_scope(actor, office_id),
        order=(Page.confidence.asc().nulls_first(), Page.id),
        limit=limit,
    )


def review_count(session: Session, actor: Actor) -> int:
    conditions = [Page.needs_review.is_(True), Page.removed_at.is_(None), *_scope(actor, None)]
    return int(session.scalar(select(func.count(Page.id)).where(*conditions)) or 0)


def writable_page(session: Session, actor: Actor, page_id: int) -> Page:
    require(actor, Perm.SCAN)
    page = _page(session, actor, page_id)
    require_office(actor, page.office_id)
    if page.status in ("pending", "working"):
        raise Invalid("page.still_processing", page_id=page_id)
    return page


def _renumber(session: Session, file_id: int) -> None:
    """Positions 1..n in the current order (after a page left the file)."""
    ids = session.scalars(
        select(Page.id)
        .where(Page.file_id == file_id, Page.position.is_not(None), Page.removed_at.is_(None))
        .order_by(Page.position, Page.id)
    ).all()
    for position, page_id in enumerate(ids, start=1):
        session.execute(
            update(Page)
            .where(Page.id == page_id)
            .values(position=position)
            .execution_options(synchronize_session=False)
        )


def audit_page(
    session: Session, actor: Actor, action: str, page: Page, changes: dict[str, Any]
) -> None:
    """Record a change to one page in the audit trail (in the caller's transaction)."""
    audit.record(
        session,
        actor,
        action,
        object_type="page",
        object_id=page.id,
        office_id=page.office_id,
        changes=changes,
    )


def reorder(session: Session, actor: Actor, *, file_id: int, page_ids: Sequence[int]) -> FilePages:
    """Put the file's pages in the given order; the list must name each of its pages once."""
    require(actor, Perm.SCAN)
    file = _readable_file(session, actor, file_id)
    require_office(actor, file.office_id)
    current = file_pages(session, actor, file_id).pages
    if sorted(page_ids) != sorted(page.id for page in current) or len(set(page_ids)) != len(
        page_ids
    ):
        raise Invalid("page.order_mismatch", file_code=file.code)
    before = [page.id for page in current]
    for position, page_id in enumerate(page_ids, start=1):
        session.execute(
            update(Page)
            .where(Page.id == page_id)
            .values(position=position)
            .execution_options(synchronize_session=False)
        )
    audit.record(
        session,
        actor,
        "page.reordered",
        object_type="file",
        object_id=file.id,
        office_id=file.office_id,
        changes={"before": before, "after": list(page_ids)},
    )
    search_outbox.mark(session, [file.id])
    return file_pages(session, actor, file_id)


def move(session: Session, actor: Actor, *, page_ids: Sequence[int], to_file_id: int) -> FilePages:
    """Move pages (from a file or from the tray) to the end of another file of the same office."""
    require(actor, Perm.SCAN)
    target = _readable_file(session, actor, to_file_id)
    require_office(actor, target.office_id)
    touched = {target.id}
    position = next_position(session, target.id)
    for page_id in page_ids:
        page = writable_page(session, actor, page_id)
        if page.office_id != target.office_id:
            raise Invalid("page.other_office", page_id=page_id, file_code=target.code)
        if page.role == "cover":
            raise Invalid("page.cover_not_content", page_id=page_id)
        if page.file_id is not None:
            touched.add(page.file_id)
        audit_page(
            session,
            actor,
            "page.moved",
            page,
            {"file_id": [page.file_id, target.id], "position": [page.position, position]},
        )
        page.file_id, page.position = target.id, position
        position += 1
    session.flush()
    for file_id in touched - {target.id}:
        _renumber(session, file_id)
    search_outbox.mark(session, touched)
    return file_pages(session, actor, target.id)


def remove(session: Session, actor: Actor, *, page_id: int, reason: str = "") -> None:
    """Take a page out of its file (kept, never deleted: the original stays in the store)."""
    page = writable_page(session, actor, page_id)
    page.removed_at, page.removed_by_id = utcnow(), actor.user_id
    audit_page(
        session,
        actor,
        "page.removed",
        page,
        {"file_id": page.file_id, "position": page.position, "reason": reason},
    )
    file_id, page.position = page.file_id, None
    session.flush()
    if file_id is not None:
        _renumber(session, file_id)
        search_outbox.mark(session, [file_id])

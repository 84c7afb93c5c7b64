"""The worker's side of scanning: claim a page, store what was read from it, close the batch.

Each page is claimed with a compare-and-set on its row (pending → working, `attempts` + 1; the
attempt number is the claim's token). The result is stored only by the holder of the current
claim, so a page delivered twice, or taken over after its worker died, is stored exactly once.
A page whose worker died is taken again once its lease runs out; after MAX_ATTEMPTS it fails
(and is still kept, in order, flagged for review): no page is ever lost."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Update, and_, func, or_, select, update
from sqlalchemy.orm import Session

from archive.models import Page, ScanBatch, utcnow
from archive.permissions import Actor
from archive.services import audit, scan_assign, search_outbox

MAX_ATTEMPTS = 3
WORKER = Actor.system("scan-worker")


@dataclass(frozen=True)
class PageTask:
    """A claimed page: what the worker needs to process it, and its claim token."""

    page_id: int
    batch_id: int
    sha256: str
    index: int
    kind: str
    attempt: int


@dataclass(frozen=True)
class PageResult:
    """What the pipeline read from a page (`words` as stored JSON rows)."""

    role: str
    barcode: str | None
    text: str
    words: list[list[Any]]
    text_source: str | None
    confidence: float | None
    engine: str
    dpi: int
    width: int
    height: int


def _changed(session: Session, stmt: Update) -> int:
    result = session.execute(stmt.execution_options(synchronize_session=False))
    return cast(CursorResult[Any], result).rowcount


def _claimable(lease: timedelta) -> Any:
    stale = and_(Page.status == "working", Page.claimed_at < utcnow() - lease)
    return or_(Page.status == "pending", stale)


def claim_page(session: Session, page_id: int, *, lease: timedelta) -> PageTask | None:
    """Take page `page_id` for processing; None when it is done, failed or held by a live
    worker. A page already tried MAX_ATTEMPTS times fails as scan.page_abandoned instead."""
    row = session.execute(
        select(Page.attempts, Page.batch_id).where(Page.id == page_id, _claimable(lease))
    ).one_or_none()
    if row is None:
        return None
    attempts, batch_id = row
    if attempts >= MAX_ATTEMPTS:
        _changed(
            session,
            update(Page)
            .where(Page.id == page_id, _claimable(lease), Page.attempts == attempts)
            .values(status="failed", error_code="scan.page_abandoned", needs_review=True),
        )
        return None
    taken = _changed(
        session,
        update(Page)
        .where(Page.id == page_id, _claimable(lease), Page.attempts == attempts)
        .values(status="working", claimed_at=utcnow(), attempts=attempts + 1),
    )
    if taken != 1:
        return None
    sha256, index, kind = session.execute(
        select(Page.sha256, Page.source_index, Page.kind).where(Page.id == page_id)
    ).one()
    return PageTask(page_id, batch_id, sha256, index, kind, attempts + 1)


def complete_page(
    session: Session, task: PageTask, result: PageResult, *, review_below: float
) -> bool:
    """Store a page's result if `task` still holds its claim; True when stored."""
    low = result.text_source == "ocr" and (result.confidence or 0.0) < review_below
    stored = _changed(
        session,
        update(Page)
        .where(Page.id == task.page_id, Page.status == "working", Page.attempts == task.attempt)
        .values(
            status="done",
            role=result.role,
            barcode=result.barcode,
            text=result.text,
            words=json.dumps(result.words, ensure_ascii=False, separators=(",", ":")),
            text_source=result.text_source,
            confidence=result.confidence,
            ocr_engine=result.engine[:60],
            dpi=result.dpi,
            width=result.width,
            height=result.height,
            needs_review=result.role == "content" and low,
            error_code=None,
            processed_at=utcnow(),
        ),
    )
    if stored == 1:
        _page_changed(session, task.page_id)
    return stored == 1


def fail_page(session: Session, task: PageTask, *, code: str) -> bool:
    """Record that a page cannot be read (it stays, in order, in the review queue)."""
    failed = _changed(
        session,
        update(Page)
        .where(Page.id == task.page_id, Page.status == "working", Page.attempts == task.attempt)
        .values(status="failed", error_code=code, needs_review=True, processed_at=utcnow()),
    )
    return failed == 1


def _page_changed(session: Session, page_id: int) -> None:
    file_id = session.scalar(select(Page.file_id).where(Page.id == page_id))
    if file_id is not None:
        search_outbox.mark(session, [file_id])


def finish_batch_if_complete(session: Session, batch_id: int) -> bool:
    """Close a batch whose pages are all processed: assign its pages to files (cover sheets)
    and record it. Exactly one caller closes a batch (compare-and-set on its status)."""
    open_pages = session.scalar(
        select(func.count(Page.id)).where(
            Page.batch_id == batch_id, Page.status.in_(("pending", "working"))
        )
    )
    if open_pages:
        return False
    closed = _changed(
        session,
        update(ScanBatch)
        .where(ScanBatch.id == batch_id, ScanBatch.status == "processing")
        .values(status="done", finished_at=utcnow()),
    )
    if closed != 1:
        return False
    batch = session.get(ScanBatch, batch_id, populate_existing=True)
    assert batch is not None
    summary = scan_assign.assign_batch(session, batch)
    search_outbox.mark(session, summary.file_ids)
    audit.record(
        session,
        WORKER,
        "scan.batch_completed",
        object_type="scan_batch",
        object_id=batch_id,
        office_id=batch.office_id,
        changes=summary.as_changes(),
    )
    return True


def stale_pages(session: Session, *, lease: timedelta, include_pending: bool) -> list[int]:
    """Pages a worker should (re)take: those whose worker died, and with `include_pending`
    (at worker start: the queue may have lost them) every page still waiting."""
    condition = and_(Page.status == "working", Page.claimed_at < utcnow() - lease)
    if include_pending:
        condition = or_(condition, Page.status == "pending")
    return list(session.scalars(select(Page.id).where(condition).order_by(Page.id)))


def unclosed_batches(session: Session) -> list[int]:
    """Batches still processing whose pages are all processed (their closer died)."""
    open_page = (
        select(Page.id)
        .where(Page.batch_id == ScanBatch.id, Page.status.in_(("pending", "working")))
        .exists()
    )
    return list(
        session.scalars(select(ScanBatch.id).where(ScanBatch.status == "processing", ~open_page))
    )


def pending_pages(session: Session, batch_id: int) -> list[int]:
    """The batch's pages still waiting for a worker, in batch order."""
    return list(
        session.scalars(
            select(Page.id)
            .where(Page.batch_id == batch_id, Page.status == "pending")
            .order_by(Page.batch_seq)
        )
    )

"""Scan batches as people follow them: progress (pages done of total, errors), and where the
pages went once the batch is done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.errors import NotFound
from archive.models import File, Page, ScanBatch, ScanSource
from archive.permissions import Actor, Perm, require


@dataclass(frozen=True)
class BatchFile:
    file_id: int
    code: str
    title: str
    pages: int


@dataclass(frozen=True)
class PageError:
    page_id: int
    batch_seq: int
    code: str


@dataclass(frozen=True)
class BatchProgress:
    """A batch's state: counts by page status and role, and (when done) where pages went."""

    id: int
    office_id: int
    source: str
    label: str
    status: str
    created_at: datetime
    finished_at: datetime | None
    pages_total: int
    pages_new: int
    pages_known: int
    pages_done: int
    pages_failed: int
    covers: int
    blank: int
    unassigned: int
    needs_review: int
    files: list[BatchFile]
    errors: list[PageError]
    documents: list[str]

    @property
    def percent(self) -> int:
        if not self.pages_new:
            return 100
        return round(100 * (self.pages_done + self.pages_failed) / self.pages_new)


def _batch(session: Session, actor: Actor, batch_id: int) -> ScanBatch:
    require(actor, Perm.REGISTER_READ)
    batch = session.get(ScanBatch, batch_id)
    if batch is None or not actor.sees_office(batch.office_id):
        raise NotFound("scan.batch_not_found", batch_id=batch_id)
    return batch


def progress(session: Session, actor: Actor, batch_id: int) -> BatchProgress:
    """How far batch `batch_id` is (see BatchProgress)."""
    batch = _batch(session, actor, batch_id)
    mine = Page.batch_id == batch.id
    by_status = dict(
        session.execute(select(Page.status, func.count()).where(mine).group_by(Page.status)).all()
    )
    by_role = dict(
        session.execute(
            select(Page.role, func.count()).where(mine, Page.status == "done").group_by(Page.role)
        ).all()
    )
    done = batch.status == "done"
    unassigned = session.scalar(
        select(func.count()).where(
            mine, Page.file_id.is_(None), Page.role != "cover", Page.removed_at.is_(None)
        )
    )
    review = session.scalar(select(func.count()).where(mine, Page.needs_review.is_(True)))
    return BatchProgress(
        id=batch.id,
        office_id=batch.office_id,
        source=batch.source,
        label=batch.label,
        status=batch.status,
        created_at=batch.created_at,
        finished_at=batch.finished_at,
        pages_total=batch.pages_total,
        pages_new=batch.pages_new,
        pages_known=batch.pages_known,
        pages_done=int(by_status.get("done", 0)),
        pages_failed=int(by_status.get("failed", 0)),
        covers=int(by_role.get("cover", 0)),
        blank=int(by_role.get("blank", 0)),
        unassigned=int(unassigned or 0) if done else 0,
        needs_review=int(review or 0),
        files=_files(session, batch.id) if done else [],
        errors=_errors(session, batch.id),
        documents=list(
            session.scalars(
                select(ScanSource.filename)
                .where(ScanSource.batch_id == batch.id)
                .order_by(ScanSource.seq)
            )
        ),
    )


def _files(session: Session, batch_id: int) -> list[BatchFile]:
    rows = session.execute(
        select(File.id, File.code, File.title, func.count(Page.id))
        .join(Page, Page.file_id == File.id)
        .where(Page.batch_id == batch_id, Page.role != "cover", Page.removed_at.is_(None))
        .group_by(File.id, File.code, File.title)
        .order_by(func.min(Page.batch_seq))
    )
    return [BatchFile(*row) for row in rows]


def _errors(session: Session, batch_id: int) -> list[PageError]:
    rows = session.execute(
        select(Page.id, Page.batch_seq, Page.error_code)
        .where(Page.batch_id == batch_id, Page.status == "failed")
        .order_by(Page.batch_seq)
        .limit(100)
    )
    return [PageError(page_id, seq, code or "scan.page_failed") for page_id, seq, code in rows]


def recent(session: Session, actor: Actor, *, limit: int = 20) -> list[ScanBatch]:
    """The latest batches of the actor's offices."""
    require(actor, Perm.REGISTER_READ)
    stmt = select(ScanBatch).order_by(ScanBatch.id.desc()).limit(limit)
    if actor.office_ids is not None:
        stmt = stmt.where(ScanBatch.office_id.in_(actor.office_ids))
    return list(session.scalars(stmt))

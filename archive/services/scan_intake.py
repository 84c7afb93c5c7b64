"""Scan intake, the one pipeline behind the three doors (upload, hot folder, CLI).

Every document of an intake is checked before anything is stored (a bad one refuses the whole
intake and names it); the originals are then written to the content-addressed store and the batch,
its documents and one row per page are recorded in one transaction. A page already known (same
original, same index) is linked, not stored again: the pair is unique in the database, so two
uploads of the same PDF at the same moment still make one set of pages. The page work (render,
barcode, OCR) is queued for the worker after the commit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from archive.db import after_commit, is_sqlite
from archive.errors import Invalid, NotFound
from archive.models import File, Office, Page, ScanBatch, ScanSource, utcnow
from archive.permissions import Actor, Perm, require, require_office
from archive.services import audit
from scanners.intake_checks import Accepted, IntakeLimits, ScanRefused, check_file
from scanners.storage import OriginalStore, StoredObject

PageQueue = Callable[[list[int]], None]
MAX_DOCUMENTS = 200


@dataclass(frozen=True)
class Incoming:
    """A document offered for intake: a readable file and the name it was given."""

    path: Path
    filename: str


@dataclass(frozen=True)
class Checked:
    incoming: Incoming
    accepted: Accepted


def check_all(documents: Sequence[Incoming], limits: IntakeLimits | None = None) -> list[Checked]:
    """Check every document; the first refusal is raised with the document's name added."""
    if not documents:
        raise Invalid("scan.no_documents")
    if len(documents) > MAX_DOCUMENTS:
        raise Invalid("scan.too_many_documents", count=len(documents), limit=MAX_DOCUMENTS)
    checked = []
    for doc in documents:
        try:
            checked.append(Checked(doc, check_file(doc.path, limits)))
        except ScanRefused as err:
            err.params.setdefault("filename", doc.filename)
            raise
    return checked


def _target_file(
    session: Session, actor: Actor, office_id: int, file_id: int | None
) -> File | None:
    if file_id is None:
        return None
    file = session.get(File, file_id)
    if file is None or not actor.sees_office(file.office_id):
        raise NotFound("file.not_found", file_id=file_id)
    if file.office_id != office_id:
        raise Invalid("scan.file_other_office", code=file.code)
    return file


def receive(
    session: Session,
    actor: Actor,
    *,
    office_id: int,
    documents: Sequence[Incoming],
    store: OriginalStore,
    source: str = "upload",
    target_file_id: int | None = None,
    queue: PageQueue | None = None,
    limits: IntakeLimits | None = None,
) -> ScanBatch:
    """Take documents into the archive as one batch (see the module's docstring)."""
    require(actor, Perm.SCAN)
    require_office(actor, office_id)
    if session.get(Office, office_id) is None:
        raise NotFound("office.not_found", code=str(office_id))
    target = _target_file(session, actor, office_id, target_file_id)
    checked = check_all(documents, limits)
    stored = [store.put_file(item.incoming.path) for item in checked]
    batch = ScanBatch(
        office_id=office_id,
        source=source,
        label=", ".join(item.incoming.filename for item in checked)[:1000],
        target_file_id=target.id if target else None,
        status="processing",
        created_by_id=actor.user_id,
        created_at=utcnow(),
    )
    session.add(batch)
    session.flush()
    new_ids = _record_pages(session, batch, checked, stored)
    batch.pages_total = sum(item.accepted.pages for item in checked)
    batch.pages_new = len(new_ids)
    batch.pages_known = batch.pages_total - len(new_ids)
    if not new_ids:
        batch.status, batch.finished_at = "done", utcnow()
    audit.record(
        session,
        actor,
        "scan.batch_received",
        object_type="scan_batch",
        object_id=batch.id,
        office_id=office_id,
        changes=_received_changes(batch, checked, stored),
    )
    if queue is not None and new_ids:
        after_commit(session, lambda: queue(new_ids))
    return batch


def _received_changes(
    batch: ScanBatch, checked: Sequence[Checked], stored: Sequence[StoredObject]
) -> dict[str, Any]:
    return {
        "source": batch.source,
        "target_file_id": batch.target_file_id,
        "pages_total": batch.pages_total,
        "pages_new": batch.pages_new,
        "pages_known": batch.pages_known,
        "documents": [
            {
                "filename": c.incoming.filename,
                "sha256": s.sha256,
                "size": s.size,
                "pages": c.accepted.pages,
            }
            for c, s in zip(checked, stored, strict=True)
        ],
    }


def _record_pages(
    session: Session, batch: ScanBatch, checked: Sequence[Checked], stored: Sequence[StoredObject]
) -> list[int]:
    """Insert the batch's documents and its new pages; returns the ids of pages that are new."""
    seq = 0
    rows: list[dict[str, Any]] = []
    now = utcnow()
    for number, (item, obj) in enumerate(zip(checked, stored, strict=True), start=1):
        kind = item.accepted.kind.value
        session.add(
            ScanSource(
                batch_id=batch.id,
                seq=number,
                filename=item.incoming.filename[:255],
                sha256=obj.sha256,
                size=obj.size,
                kind=kind,
                page_count=item.accepted.pages,
            )
        )
        for index in range(item.accepted.pages):
            seq += 1
            rows.append(_page_row(batch, obj.sha256, index, kind, seq, now))
    session.flush()
    if rows:
        _insert_new(session, rows)
    return list(
        session.scalars(select(Page.id).where(Page.batch_id == batch.id).order_by(Page.batch_seq))
    )


def _page_row(
    batch: ScanBatch, sha256: str, index: int, kind: str, seq: int, now: Any
) -> dict[str, Any]:
    return {
        "sha256": sha256,
        "source_index": index,
        "kind": kind,
        "office_id": batch.office_id,
        "batch_id": batch.id,
        "batch_seq": seq,
        "role": "content",
        "status": "pending",
        "attempts": 0,
        "text": "",
        "words": "[]",
        "ocr_engine": "",
        "needs_review": False,
        "created_at": now,
    }


def _insert_new(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert pages, skipping any (original, index) already in the database: the unique pair is
    the guard, so concurrent intakes of one document cannot both add it."""
    stmt: Insert
    if is_sqlite(session):
        stmt = sqlite.insert(Page).on_conflict_do_nothing(index_elements=["sha256", "source_index"])
    else:
        stmt = postgresql.insert(Page).on_conflict_do_nothing(
            index_elements=["sha256", "source_index"]
        )
    session.execute(stmt, rows)

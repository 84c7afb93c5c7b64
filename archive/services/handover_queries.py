"""Reading handovers: batches with their counts, lines in catalogue order, the minutes' data.

The minutes (biên bản giao nhận, Decree 30/2020) and the attached catalogue are returned as
frozen dataclasses that a page or a PDF renders without the database (issue 2, item 5)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from archive.models import Box, BoxProfile, Employer, HandoverBatch, HandoverItem, Office, Series
from archive.permissions import Actor, Perm, require, require_office
from archive.services.handover import TAKEN, get_batch
from archive.services.handover_lines import PASSBOOK

MAX_LIST = 500


@dataclass(frozen=True)
class Counts:
    """Catalogue lines (`expected`), those received, those not received, and extra files."""

    expected: int = 0
    received: int = 0
    missing: int = 0
    extra: int = 0

    @classmethod
    def of(cls, by_status: dict[str, int]) -> Counts:
        received, extra = by_status.get("received", 0), by_status.get("extra", 0)
        missing = by_status.get("missing", 0) + by_status.get("expected", 0)
        return cls(expected=received + missing, received=received, missing=missing, extra=extra)


@dataclass(frozen=True)
class BatchSummary:
    batch: HandoverBatch
    counts: Counts


def _status_sums() -> list[object]:
    return [
        func.sum(case((HandoverItem.status == status, 1), else_=0)).label(status)
        for status in ("expected", "received", "missing", "extra")
    ]


def list_batches(
    session: Session,
    actor: Actor,
    *,
    office_id: int | None = None,
    status: str | None = None,
    kind: str | None = None,
    limit: int = 100,
) -> list[BatchSummary]:
    """Batches the actor may see, newest first, with their line counts (one query)."""
    require(actor, Perm.REGISTER_READ)
    sums = select(HandoverItem.batch_id, *_status_sums()).group_by(HandoverItem.batch_id).subquery()
    stmt = (
        select(HandoverBatch, sums.c.expected, sums.c.received, sums.c.missing, sums.c.extra)
        .outerjoin(sums, sums.c.batch_id == HandoverBatch.id)
        .order_by(HandoverBatch.created_at.desc(), HandoverBatch.id.desc())
        .limit(max(1, min(limit, MAX_LIST)))
    )
    if office_id is not None:
        require_office(actor, office_id)
        stmt = stmt.where(HandoverBatch.office_id == office_id)
    elif actor.office_ids is not None:
        stmt = stmt.where(HandoverBatch.office_id.in_(actor.office_ids))
    if status is not None:
        stmt = stmt.where(HandoverBatch.status == status)
    if kind is not None:
        stmt = stmt.where(HandoverBatch.kind == kind)
    out = []
    for batch, expected, received, missing, extra in session.execute(stmt):
        by_status = {"expected": expected, "received": received, "missing": missing, "extra": extra}
        out.append(BatchSummary(batch, Counts.of({k: int(v or 0) for k, v in by_status.items()})))
    return out


def summary(session: Session, actor: Actor, batch_id: int) -> BatchSummary:
    """One batch with its line counts; refuses unknown batches and other offices' batches."""
    batch = get_batch(session, actor, batch_id)
    by_status = {
        status: int(n)
        for status, n in session.execute(
            select(HandoverItem.status, func.count())
            .where(HandoverItem.batch_id == batch.id)
            .group_by(HandoverItem.status)
        )
    }
    return BatchSummary(batch, Counts.of(by_status))


def list_items(
    session: Session, actor: Actor, batch_id: int, *, status: str | None = None
) -> list[HandoverItem]:
    """The lines of a batch in catalogue order (a passbook-review batch: by passbook number)."""
    batch = get_batch(session, actor, batch_id)
    stmt = select(HandoverItem).where(HandoverItem.batch_id == batch.id)
    if status is not None:
        stmt = stmt.where(HandoverItem.status == status)
    if batch.kind == PASSBOOK:
        number = HandoverItem.passbook_number
        return list(session.scalars(stmt.order_by(number.is_(None), number, HandoverItem.row_no)))
    return list(session.scalars(stmt.order_by(HandoverItem.row_no)))


@dataclass(frozen=True)
class Party:
    name: str
    position: str


@dataclass(frozen=True)
class DiscrepancyLine:
    """A difference found by the check: `kind` is missing, extra or wrong_details."""

    row_no: int
    kind: str
    file_code: str
    title: str
    text: str


@dataclass(frozen=True)
class CatalogueLine:
    """A row of the attached catalogue (mục lục hồ sơ nộp lưu), box number first as in practice."""

    number: int
    box_number: int | None
    file_code: str
    title: str
    start_date: date | None
    end_date: date | None
    retention_text: str
    sheet_count: int | None
    notes: str
    passbook_number: str | None
    full_name: str


@dataclass(frozen=True)
class HandoverMinutes:
    """Everything the handover minutes and their catalogue print (biên bản giao nhận)."""

    batch_id: int
    batch_name: str
    kind: str
    status: str
    office_code: str
    office_name: str
    source_office_code: str | None
    source_office_name: str
    source_department: str
    employer_code: str | None
    employer_name: str
    series_code: str
    series_name: str
    giver: Party
    receiver: Party
    legal_basis: str
    condition: str
    created_at: datetime
    completed_at: datetime | None
    counts: Counts
    registered: int
    start_date: date | None
    end_date: date | None
    boxes: tuple[int, ...]
    shelf_metres: float
    total_sheets: int
    discrepancies: tuple[DiscrepancyLine, ...]
    catalogue: tuple[CatalogueLine, ...]


def _discrepancies(items: Sequence[HandoverItem]) -> tuple[DiscrepancyLine, ...]:
    out = []
    for item in sorted(items, key=lambda i: i.row_no):
        if item.status in ("missing", "expected"):
            kind = "missing"
        elif item.status == "extra":
            kind = "extra"
        elif item.discrepancy:
            kind = "wrong_details"
        else:
            continue
        out.append(DiscrepancyLine(item.row_no, kind, item.file_code, item.title, item.discrepancy))
    return tuple(out)


def _catalogue(items: Sequence[HandoverItem]) -> tuple[CatalogueLine, ...]:
    return tuple(
        CatalogueLine(
            number=n,
            box_number=i.box_number,
            file_code=i.file_code,
            title=i.title or i.file_code,
            start_date=i.start_date,
            end_date=i.end_date,
            retention_text=i.retention_text,
            sheet_count=i.sheet_count,
            notes=i.notes,
            passbook_number=i.passbook_number,
            full_name=i.full_name,
        )
        for n, i in enumerate(items, start=1)
    )


def _shelf_metres(session: Session, office_id: int, boxes: tuple[int, ...]) -> float:
    """The space the boxes used take on the shelves: their widths, in metres."""
    if not boxes:
        return 0.0
    width = session.scalar(
        select(func.coalesce(func.sum(BoxProfile.width_cm), 0))
        .join(Box, Box.profile_id == BoxProfile.id)
        .where(Box.office_id == office_id, Box.number.in_(boxes))
    )
    return round(float(width or 0) / 100, 2)


def _names(
    session: Session, batch: HandoverBatch
) -> tuple[Office, Office | None, Series, Employer | None]:
    office = session.get(Office, batch.office_id)
    series = session.get(Series, batch.series_id)
    assert office is not None and series is not None
    source = session.get(Office, batch.source_office_id) if batch.source_office_id else None
    employer = session.get(Employer, batch.employer_id) if batch.employer_id else None
    return office, source, series, employer


def minutes(session: Session, actor: Actor, batch_id: int) -> HandoverMinutes:
    """The data of a batch's handover minutes and catalogue (of an open batch: a preview)."""
    batch = get_batch(session, actor, batch_id)
    items = list_items(session, actor, batch_id)
    taken = [i for i in items if i.status in TAKEN]
    starts = [d for i in taken if (d := i.start_date or i.end_date) is not None]
    ends = [d for i in taken if (d := i.end_date or i.start_date) is not None]
    boxes = tuple(sorted({i.box_number for i in taken if i.box_number is not None}))
    office, source, series, employer = _names(session, batch)
    by_status: dict[str, int] = {}
    for item in items:
        by_status[item.status] = by_status.get(item.status, 0) + 1
    return HandoverMinutes(
        batch_id=batch.id,
        batch_name=batch.name,
        kind=batch.kind,
        status=batch.status,
        office_code=office.code,
        office_name=office.name,
        source_office_code=source.code if source else None,
        source_office_name=source.name if source else "",
        source_department=batch.source_department,
        employer_code=employer.code if employer else None,
        employer_name=employer.name if employer else "",
        series_code=series.code,
        series_name=series.name,
        giver=Party(batch.giver_name, batch.giver_position),
        receiver=Party(batch.receiver_name, batch.receiver_position),
        legal_basis=batch.legal_basis,
        condition=batch.condition,
        created_at=batch.created_at,
        completed_at=batch.completed_at,
        counts=Counts.of(by_status),
        registered=sum(1 for i in items if i.file_id is not None),
        start_date=min(starts, default=None),
        end_date=max(ends, default=None),
        boxes=boxes,
        shelf_metres=_shelf_metres(session, batch.office_id, boxes),
        total_sheets=sum(i.sheet_count or 0 for i in taken),
        discrepancies=_discrepancies(items),
        catalogue=_catalogue(taken),
    )

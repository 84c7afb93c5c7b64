"""Handovers (giao nhận): batches, catalogue lines, scanning, discrepancies, completion, minutes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, UploadFile
from pydantic import BaseModel, ConfigDict

from archive.api.deps import CurrentActor, DbSession
from archive.api.schemas import ERRORS
from archive.api.uploads import saved_upload
from archive.models import HandoverItem
from archive.permissions import Actor, Perm
from archive.services import handover, handover_catalogue, handover_lines, handover_queries

router = APIRouter(tags=["handovers"], responses=ERRORS)


class BatchIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "office_id": 1,
                    "name": "Giao nộp hồ sơ rà soát sổ BHXH — Công ty May Duy Tiên",
                    "kind": "passbook_review",
                    "source_office_id": 2,
                    "employer_code": "YN0405Z",
                    "employer_name": "Công ty May Duy Tiên",
                    "giver_name": "Phạm Văn Đức",
                    "giver_position": "Cán bộ thu",
                    "receiver_name": "Lê Thị Hoa",
                    "receiver_position": "Văn thư lưu trữ",
                    "legal_basis": "Công văn 4027/BHXH-ST",
                },
                {
                    "office_id": 1,
                    "name": "Giao nộp hồ sơ Phòng Thu năm 2019",
                    "series_id": 8,
                    "source_department": "Phòng Thu",
                    "giver_name": "Trần Văn Bình",
                    "receiver_name": "Lê Thị Hoa",
                    "condition": "Tài liệu còn tốt, đã sắp xếp theo năm",
                },
            ]
        }
    )
    office_id: int
    name: str
    giver_name: str
    receiver_name: str
    kind: str = "general"
    series_id: int | None = None
    source_office_id: int | None = None
    source_department: str = ""
    employer_code: str | None = None
    employer_name: str = ""
    giver_position: str = ""
    receiver_position: str = ""
    legal_basis: str = ""
    condition: str = ""


class ItemIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "file_code": "THU-2019-014",
                    "title": "Hồ sơ thu BHXH quý I/2019",
                    "start_date": "2019-01-02",
                    "end_date": "2019-03-29",
                    "sheet_count": 42,
                    "retention_text": "70 năm",
                    "box_number": 12,
                },
                {
                    "passbook_number": "0111063484",
                    "ssn": "0111063484",
                    "full_name": "Phan Ngọc Hoàng",
                    "birth_date": "1984-02-11",
                    "box_number": 3,
                },
            ]
        },
    )
    file_code: str = ""
    title: str = ""
    start_date: date | None = None
    end_date: date | None = None
    sheet_count: int | None = None
    retention_text: str = ""
    box_number: int | None = None
    ssn: str | None = None
    full_name: str = ""
    birth_date: date | None = None
    employer_code: str | None = None
    employer_name: str = ""
    passbook_number: str | None = None
    benefit_type: str = ""
    notes: str = ""

    def data(self) -> handover_lines.ItemIn:
        return handover_lines.ItemIn(**self.model_dump())


class ScanIn(BaseModel):
    """A scanned (or typed) file code or passbook number; `details` describe an extra file."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"scanned": "THU-2019-014"},
                {
                    "scanned": "THU-2019-099",
                    "details": {"title": "Công văn đến 2019", "box_number": 12},
                },
            ]
        }
    )
    scanned: str
    details: ItemIn | None = None


class DiscrepancyIn(BaseModel):
    """What differs, and optionally the values really found (only the fields given change)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"text": "Thực tế 44 tờ, danh mục ghi 42", "sheet_count": 44}]
        },
    )
    text: str
    title: str | None = None
    sheet_count: int | None = None
    start_date: date | None = None
    end_date: date | None = None
    box_number: int | None = None
    retention_text: str | None = None
    notes: str | None = None


class CancelIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"reason": "Đơn vị giao rút lại hồ sơ"}]}
    )
    reason: str = ""


class CountsOut(BaseModel):
    expected: int
    received: int
    missing: int
    extra: int


class BatchOut(BaseModel):
    id: int
    office_id: int
    name: str
    kind: str
    series_id: int
    source_office_id: int | None
    source_department: str
    employer_id: int | None
    giver_name: str
    giver_position: str
    receiver_name: str
    receiver_position: str
    legal_basis: str
    condition: str
    status: str
    created_at: datetime
    completed_at: datetime | None
    counts: CountsOut


class ItemOut(BaseModel):
    id: int
    row_no: int
    status: str
    file_code: str
    title: str
    start_date: date | None
    end_date: date | None
    sheet_count: int | None
    retention_text: str
    box_number: int | None
    ssn: str | None
    full_name: str
    birth_date: date | None
    employer_code: str | None
    employer_name: str
    passbook_number: str | None
    benefit_type: str
    notes: str
    discrepancy: str
    received_at: datetime | None
    file_id: int | None


class BatchDetailOut(BatchOut):
    items: list[ItemOut]


class ScanOut(BaseModel):
    matched: bool
    item: ItemOut


class CatalogueOut(BaseModel):
    lines: int


class PartyOut(BaseModel):
    name: str
    position: str


class DiscrepancyOut(BaseModel):
    row_no: int
    kind: str
    file_code: str
    title: str
    text: str


class CatalogueLineOut(BaseModel):
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


class MinutesOut(BaseModel):
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
    giver: PartyOut
    receiver: PartyOut
    legal_basis: str
    condition: str
    created_at: datetime
    completed_at: datetime | None
    counts: CountsOut
    registered: int
    start_date: date | None
    end_date: date | None
    boxes: list[int]
    shelf_metres: float
    total_sheets: int
    discrepancies: list[DiscrepancyOut]
    catalogue: list[CatalogueLineOut]


_BATCH_FIELDS = tuple(f for f in BatchOut.model_fields if f != "counts")
_PERSONAL = ("ssn", "birth_date", "passbook_number")


def _batch_out(summary: handover_queries.BatchSummary) -> BatchOut:
    values = {f: getattr(summary.batch, f) for f in _BATCH_FIELDS}
    return BatchOut(**values, counts=CountsOut(**summary.counts.__dict__))


def _item_out(actor: Actor, item: HandoverItem) -> ItemOut:
    """A line; its personal numbers and birth date only for actors entitled to personal data."""
    values: dict[str, Any] = {f: getattr(item, f) for f in ItemOut.model_fields}
    if not actor.has(Perm.PERSONAL_DATA):
        values.update(dict.fromkeys(_PERSONAL))
    return ItemOut(**values)


def _summary(session: DbSession, actor: Actor, batch_id: int) -> BatchOut:
    return _batch_out(handover_queries.summary(session, actor, batch_id))


@router.post("/handovers", status_code=201)
def create_batch(body: BatchIn, session: DbSession, actor: CurrentActor) -> BatchOut:
    """Open a handover batch (general, or passbook review per employer and district)."""
    batch = handover.create_batch(session, actor, handover.BatchIn(**body.model_dump()))
    return _summary(session, actor, batch.id)


@router.get("/handovers")
def list_batches(
    session: DbSession,
    actor: CurrentActor,
    office_id: int | None = None,
    status: str | None = None,
    kind: str | None = None,
    limit: int = 100,
) -> list[BatchOut]:
    """Batches I can see, newest first, with their line counts."""
    found = handover_queries.list_batches(
        session, actor, office_id=office_id, status=status, kind=kind, limit=limit
    )
    return [_batch_out(s) for s in found]


@router.get("/handovers/{batch_id}")
def get_batch(batch_id: int, session: DbSession, actor: CurrentActor) -> BatchDetailOut:
    """A batch with its lines in catalogue order (passbook review: by passbook number)."""
    out = _summary(session, actor, batch_id)
    items = [_item_out(actor, i) for i in handover_queries.list_items(session, actor, batch_id)]
    return BatchDetailOut(**out.model_dump(), items=items)


@router.post("/handovers/{batch_id}/items", status_code=201)
def add_item(batch_id: int, body: ItemIn, session: DbSession, actor: CurrentActor) -> ItemOut:
    """Add one catalogue line."""
    return _item_out(actor, handover.add_item(session, actor, batch_id=batch_id, data=body.data()))


@router.post("/handovers/{batch_id}/catalogue", status_code=201)
def load_catalogue(
    batch_id: int, file: UploadFile, session: DbSession, actor: CurrentActor
) -> CatalogueOut:
    """Load the catalogue from a CSV or XLSX file, all lines or none (422 lists every bad row)."""
    filename = file.filename or "catalogue.csv"
    with saved_upload(file) as source:
        lines = handover_catalogue.load_catalogue(
            session, actor, batch_id=batch_id, source=source, filename=filename
        )
    return CatalogueOut(lines=lines)


@router.post("/handovers/{batch_id}/receive")
def receive(batch_id: int, body: ScanIn, session: DbSession, actor: CurrentActor) -> ScanOut:
    """Check a file in by scanning it; an unknown code is recorded as an extra file."""
    details = body.details.data() if body.details else None
    result = handover.receive(
        session, actor, batch_id=batch_id, scanned=body.scanned, details=details
    )
    return ScanOut(matched=result.matched, item=_item_out(actor, result.item))


@router.post("/handovers/{batch_id}/items/{item_id}/discrepancy")
def record_discrepancy(
    batch_id: int, item_id: int, body: DiscrepancyIn, session: DbSession, actor: CurrentActor
) -> ItemOut:
    """Record wrong details on a line, optionally with the values really found."""
    corrections = body.model_dump(exclude_unset=True, exclude={"text"})
    item = handover.record_discrepancy(
        session, actor, batch_id=batch_id, item_id=item_id, text=body.text, corrections=corrections
    )
    return _item_out(actor, item)


@router.post("/handovers/{batch_id}/complete")
def complete(batch_id: int, session: DbSession, actor: CurrentActor) -> BatchOut:
    """Register the received files and close the batch (unreceived lines become missing)."""
    handover.complete(session, actor, batch_id=batch_id)
    return _summary(session, actor, batch_id)


@router.post("/handovers/{batch_id}/cancel")
def cancel(
    batch_id: int, session: DbSession, actor: CurrentActor, body: CancelIn | None = None
) -> BatchOut:
    """Cancel an open batch; nothing is registered."""
    handover.cancel(session, actor, batch_id=batch_id, reason=body.reason if body else "")
    return _summary(session, actor, batch_id)


@router.get("/handovers/{batch_id}/minutes")
def minutes(batch_id: int, session: DbSession, actor: CurrentActor) -> MinutesOut:
    """The data of the handover minutes and their catalogue (of an open batch: a preview)."""
    out = MinutesOut.model_validate(
        handover_queries.minutes(session, actor, batch_id), from_attributes=True
    )
    if not actor.has(Perm.PERSONAL_DATA):
        for line in out.catalogue:
            line.passbook_number = None
    return out

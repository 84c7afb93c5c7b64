"""Handover in (giao nhận): a batch, its catalogue, receiving by scanning, completion (issue 2, item 5).

The register only holds what was really received: files are created at completion, from the
received and extra lines; lines never received become missing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.errors import Conflict, Invalid, NotFound
from archive.models import Box, Employer, HandoverBatch, HandoverItem, Office, Series, utcnow
from archive.permissions import Actor, Perm, require, require_office
from archive.services import audit, files, people
from archive.services import series as series_service
from archive.services.handover_lines import (
    PASSBOOK,
    ItemIn,
    as_line,
    clean_item,
    extra_line,
    find_item,
)
from archive.text import nfc

BATCH_KINDS = ("general", PASSBOOK)
PASSBOOK_SERIES = "RA_SOAT_SO"
TAKEN = ("received", "extra")
CORRECTABLE = frozenset(
    {"title", "sheet_count", "start_date", "end_date", "box_number", "retention_text", "notes"}
    | {"ssn", "full_name", "birth_date", "benefit_type", "passbook_number"}
)


@dataclass(frozen=True)
class BatchIn:
    """A new batch: who gives (a district office or a department), who receives, what and why."""

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


@dataclass(frozen=True)
class ScanResult:
    """What a scan did: received a catalogue line (`matched`) or recorded an extra file."""

    item: HandoverItem
    matched: bool


def get_batch(session: Session, actor: Actor, batch_id: int) -> HandoverBatch:
    """A batch the actor may see; refuses unknown batches and other offices' batches."""
    require(actor, Perm.REGISTER_READ)
    batch = session.get(HandoverBatch, batch_id)
    if batch is None:
        raise NotFound("handover.not_found", batch_id=batch_id)
    require_office(actor, batch.office_id)
    return batch


def open_batch(session: Session, actor: Actor, batch_id: int) -> HandoverBatch:
    """A batch the actor may change; refuses a completed or cancelled one (`handover.closed`)."""
    require(actor, Perm.HANDOVER)
    batch = get_batch(session, actor, batch_id)
    if batch.status != "open":
        raise Conflict("handover.closed", status=batch.status)
    return batch


def _series_for(session: Session, kind: str, series_id: int | None) -> Series:
    if kind not in BATCH_KINDS:
        raise Invalid("handover.kind", value=kind)
    if series_id is None:
        if kind != PASSBOOK:
            raise Invalid("handover.series_required")
        return series_service.get_by_code(session, PASSBOOK_SERIES)
    found = session.get(Series, series_id)
    if found is None:
        raise NotFound("series.not_found", code=series_id)
    if kind == PASSBOOK and found.kind != PASSBOOK:
        raise Invalid("handover.series_kind", code=found.code)
    return found


def _source_employer(session: Session, data: BatchIn) -> int | None:
    """The employer of a passbook-review batch; refuses a batch without a known source."""
    if data.source_office_id is not None and session.get(Office, data.source_office_id) is None:
        raise NotFound("office.not_found", office_id=data.source_office_id)
    if data.kind != PASSBOOK:
        if data.source_office_id is None and not nfc(data.source_department):
            raise Invalid("handover.source")
        return None
    if data.source_office_id is None:
        raise Invalid("handover.district_required")
    if not data.employer_code:
        raise Invalid("handover.employer_required")
    return people.ensure_employer(session, code=data.employer_code, name=data.employer_name).id


def create_batch(session: Session, actor: Actor, data: BatchIn) -> HandoverBatch:
    """Open a handover batch; refuses missing parties or source, and a passbook-review batch
    without its district, employer or passbook-review series."""
    require(actor, Perm.HANDOVER)
    require_office(actor, data.office_id)
    if session.get(Office, data.office_id) is None:
        raise NotFound("office.not_found", office_id=data.office_id)
    if not nfc(data.name):
        raise Invalid("handover.name")
    if not nfc(data.giver_name) or not nfc(data.receiver_name):
        raise Invalid("handover.parties")
    series = _series_for(session, data.kind, data.series_id)
    batch = HandoverBatch(
        office_id=data.office_id,
        name=nfc(data.name),
        kind=data.kind,
        series_id=series.id,
        source_office_id=data.source_office_id,
        source_department=nfc(data.source_department),
        employer_id=_source_employer(session, data),
        giver_name=nfc(data.giver_name),
        giver_position=nfc(data.giver_position),
        receiver_name=nfc(data.receiver_name),
        receiver_position=nfc(data.receiver_position),
        legal_basis=data.legal_basis.strip(),
        condition=data.condition.strip(),
        status="open",
        created_by_id=actor.user_id,
    )
    session.add(batch)
    session.flush()
    _audit(
        session,
        actor,
        "handover.created",
        batch,
        name=batch.name,
        kind=batch.kind,
        series=series.code,
        source_office_id=batch.source_office_id,
        source_department=batch.source_department,
    )
    return batch


def _audit(session: Session, actor: Actor, action: str, batch: HandoverBatch, **new: Any) -> None:
    audit.record(
        session,
        actor,
        action,
        object_type="handover",
        object_id=batch.id,
        office_id=batch.office_id,
        changes={k: [None, v] for k, v in new.items()},
    )


def series_kind(session: Session, batch: HandoverBatch) -> str:
    """The kind of the batch's series (benefit files need their person)."""
    kind = session.scalar(select(Series.kind).where(Series.id == batch.series_id))
    assert kind is not None
    return kind


def next_row_no(session: Session, batch_id: int) -> int:
    """The number the next catalogue line of a batch gets."""
    last = session.scalar(
        select(func.max(HandoverItem.row_no)).where(HandoverItem.batch_id == batch_id)
    )
    return int(last or 0) + 1


def _code_taken(session: Session, batch_id: int, code: str) -> bool:
    stmt = select(HandoverItem.id).where(
        HandoverItem.batch_id == batch_id, HandoverItem.file_code == code
    )
    return session.scalar(stmt) is not None


def add_item(session: Session, actor: Actor, *, batch_id: int, data: ItemIn) -> HandoverItem:
    """Add a catalogue line to an open batch; refuses a file code already in its catalogue."""
    batch = open_batch(session, actor, batch_id)
    values = clean_item(batch.kind, series_kind(session, batch), data, strict=True)
    if _code_taken(session, batch.id, values["file_code"]):
        raise Conflict("handover.duplicate_item", code=values["file_code"])
    item = HandoverItem(
        batch_id=batch.id, row_no=next_row_no(session, batch.id), status="expected", **values
    )
    session.add(item)
    session.flush()
    _audit(session, actor, "handover.item_added", batch, item_id=item.id, file_code=item.file_code)
    return item


def receive(
    session: Session, actor: Actor, *, batch_id: int, scanned: str, details: ItemIn | None = None
) -> ScanResult:
    """Check one file in by its scanned code; an unknown code is recorded as an extra file,
    described by `details` (ignored when the scan matches a catalogue line).

    Refuses a file already received (`handover.already_received`) and a closed batch."""
    batch = open_batch(session, actor, batch_id)
    value = nfc(scanned)
    if not value:
        raise Invalid("handover.scan_empty")
    item = find_item(session, batch, value)
    matched = item is not None
    if item is not None:
        if item.status in TAKEN:
            raise Conflict("handover.already_received", code=item.file_code)
        item.status = "received"
    else:
        line = extra_line(batch, value, details)
        values = clean_item(batch.kind, series_kind(session, batch), line, strict=False)
        if _code_taken(session, batch.id, values["file_code"]):
            raise Conflict("handover.already_received", code=values["file_code"])
        item = HandoverItem(
            batch_id=batch.id, row_no=next_row_no(session, batch.id), status="extra", **values
        )
        session.add(item)
    item.received_at = utcnow()
    item.received_by_id = actor.user_id
    session.flush()
    action = "handover.item_received" if matched else "handover.extra_recorded"
    _audit(session, actor, action, batch, item_id=item.id, file_code=item.file_code, scanned=value)
    return ScanResult(item=item, matched=matched)


def record_discrepancy(
    session: Session,
    actor: Actor,
    *,
    batch_id: int,
    item_id: int,
    text: str,
    corrections: Mapping[str, Any] | None = None,
) -> HandoverItem:
    """Note wrong details on a line (e.g. the sheet count differs), optionally with the values
    really found; refuses an empty note, fields that cannot be corrected and a closed batch."""
    batch = open_batch(session, actor, batch_id)
    item = session.get(HandoverItem, item_id)
    if item is None or item.batch_id != batch.id:
        raise NotFound("handover.item_not_found", item_id=item_id)
    note = nfc(text)
    if not note:
        raise Invalid("handover.discrepancy_text")
    changes = dict(corrections or {})
    unknown = set(changes) - CORRECTABLE
    if unknown:
        raise Invalid("request.invalid", detail=", ".join(sorted(unknown)))
    corrected = replace(as_line(item), **changes)
    values = clean_item(batch.kind, series_kind(session, batch), corrected, strict=False)
    before = {key: getattr(item, key) for key in changes}
    for key in changes:
        setattr(item, key, values[key])
    item.discrepancy = f"{item.discrepancy}; {note}" if item.discrepancy else note
    session.flush()
    after = {key: getattr(item, key) for key in changes}
    audit.record(
        session,
        actor,
        "handover.discrepancy_recorded",
        object_type="handover",
        object_id=batch.id,
        office_id=batch.office_id,
        changes={
            "item_id": [None, item.id],
            "discrepancy": [None, note],
            **audit.diff(before, after),
        },
    )
    return item


def _boxes_by_number(
    session: Session, office_id: int, items: Sequence[HandoverItem]
) -> dict[int, int]:
    """Box ids of the receiving office by number; refuses a line naming a box the office lacks."""
    wanted = {i.box_number for i in items if i.box_number is not None}
    stmt = select(Box.number, Box.id).where(Box.office_id == office_id, Box.number.in_(wanted))
    found = {number: box_id for number, box_id in session.execute(stmt)}
    for item in items:
        if item.box_number is not None and item.box_number not in found:
            raise NotFound("handover.box_not_found", number=item.box_number, code=item.file_code)
    return found


def _file_in(
    batch: HandoverBatch, item: HandoverItem, box_id: int | None, employer: str | None
) -> files.FileIn:
    return files.FileIn(
        office_id=batch.office_id,
        series_id=batch.series_id,
        code=item.file_code,
        title=item.title or item.file_code,
        start_date=item.start_date,
        end_date=item.end_date,
        sheet_count=item.sheet_count or 0,
        notes=item.notes,
        box_id=box_id,
        # A person is linked only with a name: a number alone cannot create one.
        ssn=item.ssn if item.full_name else None,
        full_name=item.full_name,
        birth_date=item.birth_date,
        benefit_type=item.benefit_type,
        passbook_number=item.passbook_number,
        employer_code=item.employer_code or employer,
        employer_name=item.employer_name,
        district_office_id=batch.source_office_id if batch.kind == PASSBOOK else None,
        handover_id=batch.id,
    )


def _registration_order(batch: HandoverBatch, item: HandoverItem) -> tuple[int, str, int]:
    """Files enter their boxes box by box, in catalogue order (passbooks by number)."""
    number = (item.passbook_number or "") if batch.kind == PASSBOOK else ""
    return (item.box_number or 0, number, item.row_no)


def complete(session: Session, actor: Actor, *, batch_id: int) -> HandoverBatch:
    """Close a batch: register every received and extra file (in its box when the line names
    one), mark unreceived lines missing. All or nothing; refuses a batch with nothing received."""
    batch = open_batch(session, actor, batch_id)
    items = list(session.scalars(select(HandoverItem).where(HandoverItem.batch_id == batch.id)))
    taken = sorted(
        (i for i in items if i.status in TAKEN), key=lambda i: _registration_order(batch, i)
    )
    if not taken:
        raise Conflict("handover.nothing_received")
    boxes = _boxes_by_number(session, batch.office_id, taken)
    employer = session.get(Employer, batch.employer_id) if batch.employer_id else None
    for item in taken:
        box_id = boxes[item.box_number] if item.box_number is not None else None
        data = _file_in(batch, item, box_id, employer.code if employer else None)
        item.file_id = files.create_file(session, actor, data).id
    missing = [i for i in items if i.status == "expected"]
    for item in missing:
        item.status = "missing"
    batch.status, batch.completed_at = "completed", utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        "handover.completed",
        object_type="handover",
        object_id=batch.id,
        office_id=batch.office_id,
        changes={
            "status": ["open", "completed"],
            "registered": [None, len(taken)],
            "missing": [None, len(missing)],
        },
    )
    return batch


def cancel(session: Session, actor: Actor, *, batch_id: int, reason: str = "") -> HandoverBatch:
    """Cancel an open batch (nothing is registered); refuses a closed batch."""
    batch = open_batch(session, actor, batch_id)
    batch.status = "cancelled"
    session.flush()
    audit.record(
        session,
        actor,
        "handover.cancelled",
        object_type="handover",
        object_id=batch.id,
        office_id=batch.office_id,
        changes={"status": ["open", "cancelled"], "reason": [None, nfc(reason)]},
    )
    return batch

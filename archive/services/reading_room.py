"""The reading room (nghiên cứu tại chỗ): registering a visit, its approval when a requested file
belongs to a restricted series, and reading the register of visits.

The desk's side (serving files, their return, closing a visit, the closing-time check) is in
`reading_desk`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from archive.errors import Conflict, Forbidden, Invalid, NotFound
from archive.identifiers import parse_citizen_id
from archive.models import (
    ID_PAPER_KINDS,
    File,
    Office,
    ReadingVisit,
    Series,
    VisitItem,
    utcnow,
)
from archive.permissions import Actor, Perm, require, require_office
from archive.services import audit, barcodes
from archive.services.files import get_file
from archive.services.loans import get_purpose
from archive.services.status_change import change_status
from archive.text import nfc

MAX_FILES_PER_VISIT = 100
OPEN_STATUSES = ("approved", "open")
# Who reads the register of visits and lookups: the desk, approvers and control teams.
READER_PERMS = (Perm.USE_DESK, Perm.USE_APPROVE, Perm.REPORTS)
MASK = "•"


@dataclass(frozen=True)
class VisitIn:
    """A visit as the desk registers it; `visit_date` None means today."""

    visitor_name: str
    id_paper_kind: str
    id_paper_number: str
    purpose_id: int
    file_ids: tuple[int, ...]
    organisation: str = ""
    visit_date: date | None = None
    note: str = ""


def require_reader(actor: Actor) -> None:
    """Refuse actors who neither work the desk, approve, nor read reports."""
    if not any(actor.has(perm) for perm in READER_PERMS):
        raise Forbidden("auth.permission", perm=Perm.REPORTS.value)


def mask_number(value: str) -> str:
    """An identity paper number with its middle hidden: "079212345123" → "0792•••••123"."""
    if len(value) >= 8:
        return value[:4] + MASK * (len(value) - 7) + value[-3:]
    if len(value) > 2:
        return MASK * (len(value) - 2) + value[-2:]
    return MASK * len(value)


def shown_id_number(actor: Actor, number: str) -> str:
    """The identity paper number as this actor may see it: masked without personal data."""
    return number if actor.has(Perm.PERSONAL_DATA) else mask_number(number)


def holder_text(visit: ReadingVisit) -> str:
    """What the out-card says while a file is in the reading room."""
    who = ", ".join(part for part in (visit.visitor_name, visit.organisation) if part)
    return f"{who} — phòng đọc"


def _id_paper(kind: str, number: str) -> str:
    if kind not in ID_PAPER_KINDS:
        raise Invalid("visit.id_paper_kind", value=kind)
    if kind == "citizen_id":
        return parse_citizen_id(number)
    cleaned = "".join(nfc(number).split()).upper()
    if not 3 <= len(cleaned) <= 40 or not cleaned.replace("-", "").isalnum():
        raise Invalid("visit.id_paper_number", value=number)
    return cleaned


def _text(value: str, code: str, *, max_length: int, required: bool = False) -> str:
    cleaned = nfc(value)
    if (required and not cleaned) or len(cleaned) > max_length:
        raise Invalid(code, max=max_length)
    return cleaned


def _requested_files(session: Session, actor: Actor, file_ids: Sequence[int]) -> list[File]:
    ids = list(dict.fromkeys(file_ids))
    if not ids:
        raise Invalid("visit.no_files")
    if len(ids) > MAX_FILES_PER_VISIT:
        raise Invalid("visit.too_many_files", max=MAX_FILES_PER_VISIT)
    files = [get_file(session, actor, file_id) for file_id in ids]
    if len({f.office_id for f in files}) > 1:
        raise Invalid("visit.mixed_offices")
    for file in files:
        if file.status in ("destroyed", "transferred", "missing"):
            raise Conflict("file.not_available", code=file.code, status=file.status)
    return files


def register_visit(session: Session, actor: Actor, data: VisitIn, *, today: date) -> ReadingVisit:
    """Register a visit to read files of one office. It is approved at once unless a requested
    file belongs to a restricted series; then an approver decides. Refuses past dates, unknown
    identity paper kinds, malformed numbers and files that cannot be served."""
    require(actor, Perm.USE_DESK)
    if actor.user_id is None:
        raise Invalid("visit.registrar_required")
    name = _text(data.visitor_name, "visit.visitor_name", max_length=200, required=True)
    organisation = _text(data.organisation, "visit.organisation", max_length=300)
    number = _id_paper(data.id_paper_kind, data.id_paper_number)
    visit_date = data.visit_date or today
    if visit_date < today:
        raise Invalid("visit.date_past", day=visit_date.isoformat())
    purpose = get_purpose(session, data.purpose_id)
    files = _requested_files(session, actor, data.file_ids)
    office = session.get(Office, files[0].office_id)
    assert office is not None
    restricted = sorted(f.code for f in restricted_files(session, files))
    visit = ReadingVisit(
        number=barcodes.allocate(session, "visit", office.code)[0],
        office_id=office.id,
        visitor_name=name,
        organisation=organisation,
        id_paper_kind=data.id_paper_kind,
        id_paper_number=number,
        purpose_id=purpose.id,
        note=nfc(data.note),
        visit_date=visit_date,
        status="requested" if restricted else "approved",
        needs_approval=bool(restricted),
        registered_by_id=actor.user_id,
        registered_at=utcnow(),
    )
    session.add(visit)
    session.flush()
    session.add_all(VisitItem(visit_id=visit.id, file_id=f.id) for f in files)
    session.flush()
    audit.record(
        session,
        actor,
        "visit.registered",
        object_type="visit",
        object_id=visit.id,
        office_id=office.id,
        changes={
            "number": visit.number,
            "visitor": name,
            "organisation": organisation,
            "id_paper": [data.id_paper_kind, mask_number(number)],
            "purpose": purpose.code,
            "visit_date": visit_date,
            "files": [f.code for f in files],
            "restricted": restricted,
            "status": visit.status,
        },
    )
    return _load(session, visit.id)


def restricted_files(session: Session, files: Sequence[File]) -> list[File]:
    """The files among these whose series is restricted (any use needs an approver)."""
    ids = {f.series_id for f in files}
    restricted = set(
        session.scalars(select(Series.id).where(Series.id.in_(ids), Series.restricted))
    )
    return [f for f in files if f.series_id in restricted]


def _visit_query() -> Select[ReadingVisit]:
    return select(ReadingVisit).options(
        selectinload(ReadingVisit.items).selectinload(VisitItem.file),
        selectinload(ReadingVisit.purpose),
    )


def _load(session: Session, visit_id: int) -> ReadingVisit:
    visit = session.scalar(
        _visit_query().where(ReadingVisit.id == visit_id).execution_options(populate_existing=True)
    )
    if visit is None:
        raise NotFound("visit.not_found", visit_id=visit_id)
    return visit


def get_visit(session: Session, actor: Actor, visit_id: int) -> ReadingVisit:
    """A visit of the actor's offices, with its files and purpose."""
    require_reader(actor)
    visit = _load(session, visit_id)
    require_office(actor, visit.office_id)
    return visit


def transition(
    session: Session, visit: ReadingVisit, *, from_: tuple[str, ...], **values: object
) -> None:
    """Compare-and-set the visit's status: of two people acting at once, one wins."""
    change_status(session, visit, from_=from_, conflict="visit.status", **values)


def decide_visit(
    session: Session, actor: Actor, *, visit_id: int, approve: bool, reason: str = ""
) -> ReadingVisit:
    """Approve or refuse a visit waiting for approval. Never by the person who registered it; a
    refusal gives its reason."""
    require(actor, Perm.USE_APPROVE)
    visit = get_visit(session, actor, visit_id)
    if actor.user_id is None or actor.user_id == visit.registered_by_id:
        raise Forbidden("visit.self_approval", number=visit.number)
    reason = nfc(reason)
    if not approve and not reason:
        raise Invalid("visit.reason_required")
    transition(
        session,
        visit,
        from_=("requested",),
        status="approved" if approve else "refused",
        decided_by_id=actor.user_id,
        decided_at=utcnow(),
        decision_reason=reason,
    )
    audit.record(
        session,
        actor,
        "visit.approved" if approve else "visit.refused",
        object_type="visit",
        object_id=visit.id,
        office_id=visit.office_id,
        changes={"number": visit.number, "reason": reason},
    )
    return visit


@dataclass(frozen=True)
class VisitFilter:
    status: tuple[str, ...] = ()
    office_id: int | None = None
    day_from: date | None = None
    day_to: date | None = None


def list_visits(
    session: Session, actor: Actor, filters: VisitFilter, *, limit: int = 200, offset: int = 0
) -> tuple[list[ReadingVisit], int]:
    """Visits of the actor's offices, newest day first, and how many there are in all."""
    require_reader(actor)
    conditions: list[ColumnElement[bool]] = []
    if actor.office_ids is not None:
        conditions.append(ReadingVisit.office_id.in_(actor.office_ids))
    if filters.status:
        conditions.append(ReadingVisit.status.in_(filters.status))
    if filters.office_id is not None:
        conditions.append(ReadingVisit.office_id == filters.office_id)
    if filters.day_from is not None:
        conditions.append(ReadingVisit.visit_date >= filters.day_from)
    if filters.day_to is not None:
        conditions.append(ReadingVisit.visit_date <= filters.day_to)
    total = int(session.scalar(select(func.count(ReadingVisit.id)).where(*conditions)) or 0)
    stmt = (
        _visit_query()
        .where(*conditions)
        .order_by(ReadingVisit.visit_date.desc(), ReadingVisit.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(session.scalars(stmt)), total


def open_visits_today(session: Session, actor: Actor, *, today: date) -> list[ReadingVisit]:
    """The desk's day: today's approved and open visits, and open visits of earlier days that
    still hold files."""
    require_reader(actor)
    stmt = _visit_query().where(
        or_(
            (ReadingVisit.visit_date == today) & ReadingVisit.status.in_(OPEN_STATUSES),
            (ReadingVisit.visit_date < today) & (ReadingVisit.status == "open"),
        )
    )
    if actor.office_ids is not None:
        stmt = stmt.where(ReadingVisit.office_id.in_(actor.office_ids))
    return list(session.scalars(stmt.order_by(ReadingVisit.visit_date, ReadingVisit.id)))

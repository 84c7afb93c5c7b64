"""Copies (cung cấp bản sao): a request by an officer or a citizen, approval by someone else with
the fee quoted from the price list, payment, production (a digital copy is a certified PDF of
the file's stored scans), delivery. The papers printed for it are in `copy_papers`.

A citizen shows an identity paper; its number is personal data and is masked for readers
without that permission, on screen and on paper."""

from __future__ import annotations

import hashlib
import io
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO, cast

from pypdf import PdfReader, PdfWriter
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, selectinload

from archive.clock import DEFAULT_TZ, local_date
from archive.errors import Conflict, Forbidden, Invalid, NotFound
from archive.models import (
    ID_PAPER_KINDS,
    CopyItem,
    CopyRequest,
    File,
    Office,
    User,
    utcnow,
)
from archive.permissions import Actor, Perm, require, require_office
from archive.printing.certified_copies import CertificationFooter, certify_pages
from archive.services import audit, barcodes, copy_prices, scan_exports
from archive.services.files import get_file
from archive.services.loans import get_purpose
from archive.services.status_change import change_status
from archive.text import nfc
from scanners.storage import DerivedStore, OriginalStore

MAX_FILES = 50
# Officers copying for their own work are not charged; the fee schedule is for people outside.
FREE_REQUESTERS = ("internal",)
OUTPUT_VARIANT = "copy.pdf"
SPOOL_BYTES = 64 * 1024 * 1024
_CITIZEN_ID = re.compile(r"^(\d{9}|\d{12})$")
_SEE_ALL = (Perm.USE_DESK, Perm.USE_APPROVE, Perm.REPORTS)


@dataclass(frozen=True)
class CopyItemIn:
    file_id: int
    pages: str = ""  # "1-3,5"; "" = every page


@dataclass(frozen=True)
class CopyIn:
    kind: str  # photocopy, certified, digital
    requester_kind: str  # internal, citizen
    purpose_id: int
    items: tuple[CopyItemIn, ...]
    # internal: the officer (None = the actor); citizen: name and identity paper are required.
    requester_user_id: int | None = None
    requester_name: str = ""
    organisation: str = ""
    id_paper_kind: str | None = None
    id_paper_number: str | None = None
    note: str = ""


@dataclass(frozen=True)
class CopyFilter:
    status: tuple[str, ...] = ()
    office_id: int | None = None
    requester_kind: str | None = None


def _query() -> Select[CopyRequest]:
    return select(CopyRequest).options(
        selectinload(CopyRequest.items).selectinload(CopyItem.file),
        selectinload(CopyRequest.purpose),
    )


def is_own(actor: Actor, req: CopyRequest) -> bool:
    return actor.user_id is not None and actor.user_id in (
        req.requester_user_id,
        req.registered_by_id,
    )


def get_copy(session: Session, actor: Actor, copy_id: int) -> CopyRequest:
    """A copy request the actor may see: their own, or their offices' at the desk, for approval
    or for control (reports)."""
    require(actor, Perm.REGISTER_READ)
    req = session.scalar(_query().where(CopyRequest.id == copy_id))
    if req is None:
        raise NotFound("copy.not_found", copy_id=copy_id)
    if not is_own(actor, req):
        if not any(actor.has(perm) for perm in _SEE_ALL):
            raise Forbidden("auth.permission", perm=Perm.USE_DESK.value)
        require_office(actor, req.office_id)
    return req


def list_copies(
    session: Session, actor: Actor, filters: CopyFilter, *, limit: int = 100, offset: int = 0
) -> tuple[list[CopyRequest], int]:
    """Copy requests in the actor's view, newest first, and how many in all; officers without
    the desk, approval or reports permission see only their own."""
    require(actor, Perm.REGISTER_READ)
    conditions: list[ColumnElement[bool]] = []
    if not any(actor.has(perm) for perm in _SEE_ALL):
        conditions.append(
            (CopyRequest.requester_user_id == actor.user_id)
            | (CopyRequest.registered_by_id == actor.user_id)
        )
    elif actor.office_ids is not None:
        conditions.append(CopyRequest.office_id.in_(actor.office_ids))
    if filters.status:
        conditions.append(CopyRequest.status.in_(filters.status))
    if filters.office_id is not None:
        conditions.append(CopyRequest.office_id == filters.office_id)
    if filters.requester_kind is not None:
        conditions.append(CopyRequest.requester_kind == filters.requester_kind)
    total = session.scalar(select(func.count(CopyRequest.id)).where(*conditions)) or 0
    stmt = _query().where(*conditions)
    stmt = stmt.order_by(CopyRequest.requested_at.desc(), CopyRequest.id.desc())
    return list(session.scalars(stmt.limit(limit).offset(offset))), int(total)


def id_number_shown(actor: Actor, number: str | None) -> str | None:
    """The identity paper number as this actor may read it: whole with the personal-data
    permission, otherwise all but its last three characters masked."""
    if number is None or actor.has(Perm.PERSONAL_DATA):
        return number
    return "*" * max(len(number) - 3, 3) + number[-3:] if len(number) > 4 else "*" * len(number)


def _requester(session: Session, actor: Actor, data: CopyIn) -> dict[str, str | int | None]:
    """Who asks: an officer (for themselves, or registered at the desk) or an identified citizen."""
    if data.requester_kind == "internal":
        if data.requester_user_id in (None, actor.user_id):
            require(actor, Perm.LOAN_REQUEST)
            user_id = actor.user_id
        else:
            require(actor, Perm.USE_DESK)
            user_id = data.requester_user_id
        user = session.get(User, user_id) if user_id is not None else None
        if user is None or not user.active:
            raise NotFound("user.not_found", user_id=user_id)
        return {
            "requester_user_id": user.id,
            "requester_name": user.full_name,
            "organisation": nfc(data.organisation) or user.department,
            "id_paper_kind": None,
            "id_paper_number": None,
        }
    if data.requester_kind != "citizen":
        raise Invalid("copy.requester_kind", requester_kind=data.requester_kind)
    require(actor, Perm.USE_DESK)
    name = nfc(data.requester_name)
    if not name:
        raise Invalid("copy.name_required")
    number = "".join((data.id_paper_number or "").split()).upper()
    if data.id_paper_kind not in ID_PAPER_KINDS or not number:
        raise Invalid("copy.identity_required")
    if data.id_paper_kind == "citizen_id" and not _CITIZEN_ID.match(number):
        raise Invalid("copy.citizen_id", number=number)
    return {
        "requester_user_id": None,
        "requester_name": name,
        "organisation": nfc(data.organisation),
        "id_paper_kind": data.id_paper_kind,
        "id_paper_number": number,
    }


def _files(
    session: Session, actor: Actor, kind: str, items: tuple[CopyItemIn, ...]
) -> list[tuple[File, str]]:
    """The files asked for with their normalised pages, checked against what each file holds."""
    if not items:
        raise Invalid("copy.no_files")
    if len(items) > MAX_FILES:
        raise Invalid("copy.too_many_files", max=MAX_FILES)
    if len({item.file_id for item in items}) != len(items):
        raise Invalid("copy.duplicate_file")
    chosen = []
    for item in items:
        file = get_file(session, actor, item.file_id)
        if file.status in ("destroyed", "transferred", "missing"):
            raise Conflict("file.not_available", code=file.code, status=file.status)
        pages = copy_prices.parse_pages(item.pages)
        copy_prices.page_numbers(
            pages, copy_prices.page_total(session, kind, file), file_code=file.code
        )
        chosen.append((file, pages))
    if len({file.office_id for file, _ in chosen}) > 1:
        raise Invalid("copy.mixed_offices")
    return chosen


def request_copies(session: Session, actor: Actor, data: CopyIn) -> CopyRequest:
    """Register a request for copies of pages of one office's files. Refuses a citizen without an
    identity paper, pages a file does not have, and files that are gone; stores nothing then."""
    if actor.user_id is None:
        raise Invalid("copy.user_required")
    kind = copy_prices.check_kind(data.kind)
    requester = _requester(session, actor, data)
    purpose = get_purpose(session, data.purpose_id)
    chosen = _files(session, actor, kind, data.items)
    office = session.get(Office, chosen[0][0].office_id)
    assert office is not None
    req = CopyRequest(
        number=barcodes.allocate(session, "copy", office.code)[0],
        office_id=office.id,
        kind=kind,
        requester_kind=data.requester_kind,
        purpose_id=purpose.id,
        note=nfc(data.note),
        status="requested",
        registered_by_id=actor.user_id,
        requested_at=utcnow(),
        **requester,
    )
    session.add(req)
    session.flush()
    session.add_all(CopyItem(request_id=req.id, file_id=f.id, pages=p) for f, p in chosen)
    session.flush()
    _audit(
        session,
        actor,
        "copy.requested",
        req,
        kind=kind,
        requester_kind=req.requester_kind,
        requester=req.requester_name,
        purpose=purpose.code,
        files=[{"file": f.code, "pages": p} for f, p in chosen],
    )
    return get_copy(session, actor, req.id)


def _audit(
    session: Session, actor: Actor, action: str, req: CopyRequest, **changes: object
) -> None:
    audit.record(
        session,
        actor,
        action,
        object_type="copy",
        object_id=req.id,
        office_id=req.office_id,
        changes={"number": req.number, **changes},
    )


def _transition(
    session: Session, req: CopyRequest, *, from_: tuple[str, ...], **values: object
) -> None:
    """Compare-and-set the request's status: of two people acting at once, one wins."""
    change_status(session, req, from_=from_, conflict="copy.status", **values)


def count_pages(session: Session, req: CopyRequest, item: CopyItem) -> int:
    """How many pages of the item's file the request takes, as the file holds them now."""
    total = copy_prices.page_total(session, req.kind, item.file)
    return len(copy_prices.page_numbers(item.pages, total, file_code=item.file.code))


def desk_copy(session: Session, actor: Actor, copy_id: int) -> CopyRequest:
    """A copy request the desk of its office works on; refuses readers without the desk."""
    require(actor, Perm.USE_DESK)
    req = get_copy(session, actor, copy_id)
    require_office(actor, req.office_id)
    return req


def decide_copies(
    session: Session,
    actor: Actor,
    *,
    copy_id: int,
    approve: bool,
    reason: str = "",
    tz: str = DEFAULT_TZ,
) -> CopyRequest:
    """Approve (counting the pages and quoting the fee from the price list of the day) or refuse
    (with a reason). Never by whoever registered or asked for it; refuses approving a fee-paying
    request when the list has no price for its kind."""
    require(actor, Perm.USE_APPROVE)
    req = get_copy(session, actor, copy_id)
    require_office(actor, req.office_id)
    if actor.user_id is None or actor.user_id in (req.registered_by_id, req.requester_user_id):
        raise Forbidden("copy.self_approval", number=req.number)
    reason = nfc(reason)
    if not approve and not reason:
        raise Invalid("copy.reason_required")
    decided_at = utcnow()
    counts = {item.id: count_pages(session, req, item) for item in req.items} if approve else {}
    fee = copy_prices.Quote(None, 0, 0, 0)
    if approve and req.requester_kind not in FREE_REQUESTERS:
        price = copy_prices.price_on(session, req.kind, local_date(decided_at, tz))
        if price is None:
            raise Conflict("copy.no_price", kind=req.kind)
        fee = copy_prices.quote(price, sum(counts.values()))
    _transition(
        session,
        req,
        from_=("requested",),
        status="approved" if approve else "refused",
        decided_by_id=actor.user_id,
        decided_at=decided_at,
        decision_reason=reason,
        fee_dong=fee.total,
    )
    if approve:
        for item in req.items:
            item.page_count = counts[item.id]
        session.flush()
    _audit(
        session,
        actor,
        "copy.approved" if approve else "copy.refused",
        req,
        reason=reason,
        pages=sum(counts.values()) if approve else None,
        fee_dong=fee.total,
        price_id=fee.price_id,
    )
    return req


def record_payment(
    session: Session, actor: Actor, *, copy_id: int, receipt_number: str
) -> CopyRequest:
    """Record the receipt of an approved request's fee; refuses free requests and a second one."""
    req = desk_copy(session, actor, copy_id)
    receipt = nfc(receipt_number)
    if not receipt:
        raise Invalid("copy.receipt_required")
    if req.fee_dong == 0 and req.status in ("approved", "produced"):
        raise Conflict("copy.nothing_to_pay", number=req.number)
    if req.receipt_number:
        raise Conflict("copy.already_paid", number=req.number, receipt=req.receipt_number)
    _transition(session, req, from_=("approved", "produced"), receipt_number=receipt)
    _audit(session, actor, "copy.paid", req, receipt_number=receipt, fee_dong=req.fee_dong)
    return req


def produce_copies(
    session: Session,
    actor: Actor,
    *,
    copy_id: int,
    originals: OriginalStore,
    derived: DerivedStore,
    tz: str = DEFAULT_TZ,
) -> CopyRequest:
    """Record that an approved request's copies are made. A digital copy is built here: the
    chosen pages of each file's stored scans, every page stamped with the certification footer,
    kept in the derived store under its SHA-256."""
    req = desk_copy(session, actor, copy_id)
    if req.status != "approved":
        raise Conflict("copy.status", number=req.number, status=req.status)
    produced_at = utcnow()
    sha256 = None
    if req.kind == "digital":
        pdf = _digital_copy(session, actor, req, originals, local_date(produced_at, tz))
        sha256 = hashlib.sha256(pdf).hexdigest()
        # Written before the commit: should the transaction roll back, an unreferenced PDF under
        # its own hash is left behind, never a request pointing at a PDF that is not there.
        derived.put_bytes(sha256, OUTPUT_VARIANT, pdf)
    _transition(
        session,
        req,
        from_=("approved",),
        status="produced",
        produced_at=produced_at,
        produced_by_id=actor.user_id,
        output_sha256=sha256,
    )
    _audit(session, actor, "copy.produced", req, output_sha256=sha256)
    return req


def _digital_copy(
    session: Session, actor: Actor, req: CopyRequest, originals: OriginalStore, day: date
) -> bytes:
    office = session.get(Office, req.office_id)
    assert office is not None
    parts = []
    for item in req.items:
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as scans:
            scan_exports.file_scans_pdf(
                session, actor, file_id=item.file_id, originals=originals, out=cast(BinaryIO, scans)
            )
            scans.seek(0)
            reader = PdfReader(scans)
            # Chosen pages as approved ("" = the first `page_count`, as many as were charged).
            total = None if item.pages else item.page_count
            wanted = copy_prices.page_numbers(item.pages, total, file_code=item.file.code)
            if wanted[-1] > len(reader.pages):
                raise Conflict("copy.pages_changed", file_code=item.file.code)
            chosen = PdfWriter()
            for number in wanted:
                chosen.add_page(reader.pages[number - 1])
            buffer = io.BytesIO()
            chosen.write(buffer)
        footer = CertificationFooter(item.file.code, day, req.number, office.name)
        parts.append(certify_pages(buffer.getvalue(), footer))
    if len(parts) == 1:
        return parts[0]
    whole = PdfWriter()
    for part in parts:
        whole.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    whole.write(out)
    return out.getvalue()


def deliver_copies(
    session: Session, actor: Actor, *, copy_id: int, delivered_to: str = ""
) -> CopyRequest:
    """Hand produced copies over (to the requester unless someone else is named); refuses a
    fee-paying request without a receipt."""
    req = desk_copy(session, actor, copy_id)
    if req.fee_dong > 0 and not req.receipt_number:
        raise Conflict("copy.unpaid", number=req.number, fee=req.fee_dong)
    receiver = nfc(delivered_to) or req.requester_name
    _transition(
        session,
        req,
        from_=("produced",),
        status="delivered",
        delivered_at=utcnow(),
        delivered_to=receiver,
    )
    _audit(session, actor, "copy.delivered", req, delivered_to=receiver)
    return req


@dataclass(frozen=True)
class StoredCopy:
    number: str
    sha256: str
    content: bytes


def copy_pdf(session: Session, actor: Actor, *, copy_id: int, derived: DerivedStore) -> StoredCopy:
    """The stored digital copy, byte for byte as produced (checked against its SHA-256); the
    content of files is personal data."""
    require(actor, Perm.PERSONAL_DATA)
    req = get_copy(session, actor, copy_id)
    if req.output_sha256 is None:
        raise Conflict("copy.no_output", number=req.number, status=req.status)
    path = derived.path_of(req.output_sha256, OUTPUT_VARIANT)
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise NotFound("copy.output_missing", number=req.number) from None
    if hashlib.sha256(content).hexdigest() != req.output_sha256:
        raise Conflict("copy.output_corrupt", number=req.number)
    return StoredCopy(req.number, req.output_sha256, content)

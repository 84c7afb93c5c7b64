"""The usage register (sổ theo dõi khai thác sử dụng): every use of an office's records in a
period — loans, reading-room visits, lookups, copies — in date order, with who, what, purpose
and outcome. It is the printed replacement of the paper ledger.

When a use counts: a loan on the day its files were handed out (a refused loan on the day of
the refusal); a visit on its visit date (refused ones too); a lookup when it was asked; a copy
request when it was registered. Requests not yet decided, and loans approved but never handed
out, are not uses yet."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

from archive.clock import DEFAULT_TZ, day_bounds, local_date
from archive.errors import Invalid, NotFound
from archive.models import (
    CopyItem,
    CopyRequest,
    File,
    Loan,
    LoanItem,
    Lookup,
    Office,
    ReadingVisit,
    User,
    VisitItem,
)
from archive.permissions import Actor, Perm, require, require_office

KINDS = ("loan", "reading", "lookup", "copy")
COPY_KIND_LABELS = {
    "photocopy": "bản photocopy",
    "certified": "bản sao chứng thực lưu trữ",
    "digital": "bản sao số",
}


@dataclass(frozen=True)
class Use:
    """One line of the register."""

    used_on: date
    kind: str  # one of KINDS
    reference: str  # the loan, visit or copy request number ("" for a lookup)
    user_name: str
    user_unit: str
    file_codes: tuple[str, ...]
    purpose: str
    result: str
    served_by: str
    note: str = ""


@dataclass(frozen=True)
class Register:
    office: Office
    first: date
    last: date
    uses: tuple[Use, ...]

    def count(self, kind: str) -> int:
        return sum(1 for u in self.uses if u.kind == kind)


def _names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.full_name).where(User.id.in_(wanted)))
    return {int(uid): str(name) for uid, name in rows}


def _d(at: datetime | None, tz: str) -> str:
    return local_date(at, tz).strftime("%d/%m/%Y") if at is not None else ""


def _loan_result(loan: Loan, tz: str) -> str:
    if loan.status == "refused":
        return f"Từ chối: {loan.decision_reason}".rstrip(": ")
    if loan.status == "returned":
        return f"Đã trả {_d(loan.returned_at, tz)}"
    due = loan.due_date.strftime("%d/%m/%Y") if loan.due_date else ""
    back = sum(1 for i in loan.items if i.status == "returned")
    out = sum(1 for i in loan.items if i.status == "out")
    state = "Đang gửi đơn vị khác" if loan.status == "sent" else "Đang mượn"
    text = f"{state}, hạn {due}"
    if back and out:
        text += f" (đã trả {back}/{back + out} hồ sơ)"
    if loan.overdue_level:
        text += f"; quá hạn, nhắc lần {loan.overdue_level}"
    return text


def _loans(
    session: Session, office_id: int, bounds: tuple[datetime, datetime], tz: str
) -> list[Use]:
    start, end = bounds
    loans = session.scalars(
        select(Loan)
        .options(selectinload(Loan.items).selectinload(LoanItem.file), selectinload(Loan.purpose))
        .where(
            Loan.office_id == office_id,
            or_(
                and_(Loan.handed_out_at >= start, Loan.handed_out_at < end),
                and_(Loan.status == "refused", Loan.decided_at >= start, Loan.decided_at < end),
            ),
        )
    ).all()
    names = _names(session, [x.handed_out_by_id or x.decided_by_id for x in loans])
    uses = []
    for loan in loans:
        at = loan.handed_out_at if loan.handed_out_at is not None else loan.decided_at
        assert at is not None
        served = [i for i in loan.items if i.status != "not_served"] or loan.items
        uses.append(
            Use(
                used_on=local_date(at, tz),
                kind="loan",
                reference=loan.number,
                user_name=loan.borrower_name,
                user_unit=loan.borrower_department,
                file_codes=tuple(i.file.code for i in served),
                purpose=loan.purpose.name,
                result=_loan_result(loan, tz),
                served_by=names.get(loan.handed_out_by_id or loan.decided_by_id or 0, ""),
                note=loan.note,
            )
        )
    return uses


def _visits(session: Session, office_id: int, first: date, last: date) -> list[Use]:
    visits = session.scalars(
        select(ReadingVisit)
        .options(
            selectinload(ReadingVisit.items).selectinload(VisitItem.file),
            selectinload(ReadingVisit.purpose),
        )
        .where(
            ReadingVisit.office_id == office_id,
            ReadingVisit.visit_date.between(first, last),
            ReadingVisit.status.in_(("open", "closed", "refused")),
        )
    ).all()
    names = _names(session, [v.registered_by_id for v in visits])
    uses = []
    for visit in visits:
        served = [i for i in visit.items if i.status in ("served", "returned")]
        if visit.status == "refused":
            result = f"Từ chối: {visit.decision_reason}".rstrip(": ")
        else:
            result = f"Đã phục vụ {len(served)} hồ sơ tại phòng đọc"
            if any(i.flagged_at is not None for i in visit.items):
                result += "; có hồ sơ chưa trả khi đóng cửa"
        uses.append(
            Use(
                used_on=visit.visit_date,
                kind="reading",
                reference=visit.number,
                user_name=visit.visitor_name,
                user_unit=visit.organisation,
                file_codes=tuple(i.file.code for i in (served or visit.items)),
                purpose=visit.purpose.name,
                result=result,
                served_by=names.get(visit.registered_by_id, ""),
                note=visit.note,
            )
        )
    return uses


def _lookups(
    session: Session, office_id: int, bounds: tuple[datetime, datetime], tz: str
) -> list[Use]:
    rows = session.scalars(
        select(Lookup)
        .options(selectinload(Lookup.purpose))
        .where(
            Lookup.office_id == office_id,
            Lookup.asked_at >= bounds[0],
            Lookup.asked_at < bounds[1],
        )
    ).all()
    names = _names(session, [x.answered_by_id for x in rows])
    file_ids = {x.file_id for x in rows if x.file_id is not None}
    codes = {
        int(fid): str(code)
        for fid, code in session.execute(select(File.id, File.code).where(File.id.in_(file_ids)))
    }
    return [
        Use(
            used_on=local_date(x.asked_at, tz),
            kind="lookup",
            reference="",
            user_name=x.asker_name,
            user_unit=x.organisation,
            file_codes=(codes[x.file_id],) if x.file_id in codes else (),
            purpose=x.purpose.name,
            result=x.answer or x.question,
            served_by=names.get(x.answered_by_id, ""),
        )
        for x in rows
    ]


def _copy_result(request: CopyRequest, tz: str) -> str:
    pages = sum(i.page_count for i in request.items)
    label = COPY_KIND_LABELS.get(request.kind, request.kind)
    if request.status == "refused":
        return f"Từ chối: {request.decision_reason}".rstrip(": ")
    if request.status == "delivered":
        return f"Đã cấp {pages} trang {label} ngày {_d(request.delivered_at, tz)}"
    if request.status == "produced":
        return f"Đã sao {pages} trang {label}, chờ giao"
    if request.status == "cancelled":
        return "Đã hủy yêu cầu"
    return f"Đang xử lý ({label})"


def _copies(
    session: Session, office_id: int, bounds: tuple[datetime, datetime], tz: str
) -> list[Use]:
    rows = session.scalars(
        select(CopyRequest)
        .options(
            selectinload(CopyRequest.items).selectinload(CopyItem.file),
            selectinload(CopyRequest.purpose),
        )
        .where(
            CopyRequest.office_id == office_id,
            CopyRequest.requested_at >= bounds[0],
            CopyRequest.requested_at < bounds[1],
        )
    ).all()
    names = _names(session, [x.produced_by_id or x.registered_by_id for x in rows])
    return [
        Use(
            used_on=local_date(x.requested_at, tz),
            kind="copy",
            reference=x.number,
            user_name=x.requester_name,
            user_unit=x.organisation,
            file_codes=tuple(i.file.code for i in x.items),
            purpose=x.purpose.name,
            result=_copy_result(x, tz),
            served_by=names.get(x.produced_by_id or x.registered_by_id, ""),
            note=x.note,
        )
        for x in rows
    ]


def usage_register(
    session: Session, actor: Actor, *, office_id: int, first: date, last: date, tz: str = DEFAULT_TZ
) -> Register:
    """Every use of the office's records from `first` to `last` (local dates, inclusive)."""
    require(actor, Perm.REPORTS)
    require_office(actor, office_id)
    if first > last:
        raise Invalid("report.period", since=first.isoformat(), until=last.isoformat())
    office = session.get(Office, office_id)
    if office is None:
        raise NotFound("office.not_found", office_id=office_id)
    bounds = day_bounds(first, last, tz)
    uses = [
        *_loans(session, office_id, bounds, tz),
        *_visits(session, office_id, first, last),
        *_lookups(session, office_id, bounds, tz),
        *_copies(session, office_id, bounds, tz),
    ]
    uses.sort(key=lambda u: (u.used_on, KINDS.index(u.kind), u.reference, u.user_name))
    return Register(office=office, first=first, last=last, uses=tuple(uses))

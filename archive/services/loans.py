"""Loans (cho mượn): request, approval by someone else, renewal, cancellation, and reading them.

The desk's side (hand-out, receipt at another office, return) is in `loan_desk`; the daily
overdue marking and the reminder letters in `overdue`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from archive.errors import Conflict, Forbidden, Invalid, NotFound
from archive.models import (
    LOAN_OPEN_STATUSES,
    File,
    Loan,
    LoanItem,
    Office,
    UsePurpose,
    User,
    utcnow,
)
from archive.permissions import Actor, Perm, require, require_office
from archive.services import audit, barcodes, notices
from archive.services.files import get_file
from archive.services.status_change import change_status
from archive.services.workdays import due_after
from archive.text import nfc

MAX_FILES_PER_LOAN = 200


@dataclass(frozen=True)
class LoanRequest:
    file_ids: tuple[int, ...]
    purpose_id: int
    # Someone else's loan, registered at the desk; None = the actor borrows.
    borrower_id: int | None = None
    note: str = ""


def get_purpose(session: Session, purpose_id: int) -> UsePurpose:
    purpose = session.get(UsePurpose, purpose_id)
    if purpose is None or not purpose.active:
        raise NotFound("purpose.not_found", purpose_id=purpose_id)
    return purpose


def _loan_query() -> Select[Loan]:
    return select(Loan).options(
        joinedload(Loan.purpose), selectinload(Loan.items).joinedload(LoanItem.file)
    )


def get_loan(session: Session, actor: Actor, loan_id: int) -> Loan:
    """A loan the actor may see: their own, or any of their offices' if they work the desk or
    approve."""
    loan = session.scalar(_loan_query().where(Loan.id == loan_id))
    if loan is None:
        raise NotFound("loan.not_found", loan_id=loan_id)
    own = actor.user_id is not None and actor.user_id in (loan.borrower_id, loan.requested_by_id)
    if not own:
        if not (actor.has(Perm.USE_DESK) or actor.has(Perm.USE_APPROVE)):
            raise Forbidden("auth.permission", perm=Perm.USE_DESK.value)
        if not actor.sees_office(loan.office_id) and not (
            loan.to_office_id is not None and actor.sees_office(loan.to_office_id)
        ):
            raise Forbidden("auth.office_scope", office_id=loan.office_id)
    return loan


def get_by_number(session: Session, actor: Actor, number: str) -> Loan:
    loan_id = session.scalar(select(Loan.id).where(Loan.number == number.strip().upper()))
    if loan_id is None:
        raise NotFound("loan.not_found_number", number=number.strip())
    return get_loan(session, actor, loan_id)


def _borrower(session: Session, actor: Actor, borrower_id: int | None) -> User:
    if borrower_id is None or borrower_id == actor.user_id:
        if actor.user_id is None:
            raise Invalid("loan.borrower_required")
        user = session.get(User, actor.user_id)
    else:
        require(actor, Perm.USE_DESK)
        user = session.get(User, borrower_id)
    if user is None or not user.active:
        raise NotFound("user.not_found", user_id=borrower_id)
    return user


def request_loan(session: Session, actor: Actor, data: LoanRequest) -> Loan:
    """A loan request for one or more files of one office; the office's approvers are notified."""
    require(actor, Perm.LOAN_REQUEST)
    if actor.user_id is None:
        raise Invalid("loan.borrower_required")
    file_ids = list(dict.fromkeys(data.file_ids))
    if not file_ids:
        raise Invalid("loan.no_files")
    if len(file_ids) > MAX_FILES_PER_LOAN:
        raise Invalid("loan.too_many_files", max=MAX_FILES_PER_LOAN)
    purpose = get_purpose(session, data.purpose_id)
    borrower = _borrower(session, actor, data.borrower_id)
    files = [get_file(session, actor, fid) for fid in file_ids]
    offices = {f.office_id for f in files}
    if len(offices) > 1:
        raise Invalid("loan.mixed_offices")
    for file in files:
        if file.status in ("destroyed", "transferred", "missing"):
            raise Conflict("file.not_available", code=file.code, status=file.status)
    office_id = offices.pop()
    office = session.get(Office, office_id)
    assert office is not None
    loan = Loan(
        number=barcodes.allocate(session, "loan", office.code)[0],
        office_id=office_id,
        borrower_id=borrower.id,
        borrower_name=borrower.full_name,
        borrower_department=borrower.department,
        to_office_id=borrower.office_id if borrower.office_id != office_id else None,
        purpose_id=purpose.id,
        note=nfc(data.note).strip(),
        status="requested",
        requested_by_id=actor.user_id,
        requested_at=utcnow(),
    )
    session.add(loan)
    session.flush()
    session.add_all(LoanItem(loan_id=loan.id, file_id=f.id) for f in files)
    session.flush()
    audit.record(
        session,
        actor,
        "loan.requested",
        object_type="loan",
        object_id=loan.id,
        office_id=office_id,
        changes={
            "number": loan.number,
            "borrower": borrower.username,
            "purpose": purpose.code,
            "files": [f.code for f in files],
        },
    )
    approvers = [
        uid
        for uid in notices.users_holding(session, Perm.USE_APPROVE, office_id)
        if uid not in (actor.user_id, borrower.id)
    ]
    notices.notify(
        session, approvers, kind="loan.requested", loan_id=loan.id, params={"number": loan.number}
    )
    return loan


def _transition(session: Session, loan: Loan, *, from_: tuple[str, ...], **values: object) -> None:
    """Compare-and-set the loan's status: of two people acting at once, one wins."""
    change_status(session, loan, from_=from_, conflict="loan.status", **values)


def decide_loan(
    session: Session, actor: Actor, *, loan_id: int, approve: bool, reason: str = ""
) -> Loan:
    """Approve or refuse a requested loan. Never by its requester or its borrower; a refusal
    gives its reason. The borrower is notified."""
    require(actor, Perm.USE_APPROVE)
    loan = get_loan(session, actor, loan_id)
    require_office(actor, loan.office_id)
    if actor.user_id is None or actor.user_id in (loan.requested_by_id, loan.borrower_id):
        raise Forbidden("loan.self_approval", number=loan.number)
    reason = nfc(reason).strip()
    if not approve and not reason:
        raise Invalid("loan.reason_required")
    _transition(
        session,
        loan,
        from_=("requested",),
        status="approved" if approve else "refused",
        decided_by_id=actor.user_id,
        decided_at=utcnow(),
        decision_reason=reason,
    )
    audit.record(
        session,
        actor,
        "loan.approved" if approve else "loan.refused",
        object_type="loan",
        object_id=loan.id,
        office_id=loan.office_id,
        changes={"number": loan.number, "reason": reason},
    )
    notices.notify(
        session,
        [loan.borrower_id],
        kind="loan.decided",
        loan_id=loan.id,
        params={"number": loan.number, "approved": approve, "reason": reason},
    )
    return loan


def cancel_loan(session: Session, actor: Actor, *, loan_id: int, reason: str = "") -> Loan:
    """Withdraw a loan before its files are handed out (the borrower, or the desk)."""
    loan = get_loan(session, actor, loan_id)
    if actor.user_id not in (loan.borrower_id, loan.requested_by_id):
        require(actor, Perm.USE_DESK)
    _transition(
        session,
        loan,
        from_=("requested", "approved"),
        status="cancelled",
        decision_reason=nfc(reason).strip() or loan.decision_reason,
    )
    audit.record(
        session,
        actor,
        "loan.cancelled",
        object_type="loan",
        object_id=loan.id,
        office_id=loan.office_id,
        changes={"number": loan.number, "reason": reason},
    )
    return loan


def renew_loan(session: Session, actor: Actor, *, loan_id: int, today: date) -> Loan:
    """Extend the due date by the purpose's renewal period, up to its renewal limit."""
    loan = get_loan(session, actor, loan_id)
    if actor.user_id != loan.borrower_id:
        require(actor, Perm.USE_DESK)
    if loan.status not in ("out", "sent") or loan.due_date is None:
        raise Conflict("loan.status", number=loan.number, status=loan.status)
    purpose = loan.purpose
    if loan.renewals >= purpose.max_renewals:
        raise Conflict("loan.renewal_limit", number=loan.number, max=purpose.max_renewals)
    before = loan.due_date
    due = due_after(session, max(before, today), purpose.renewal_days)
    _transition(
        session,
        loan,
        from_=("out", "sent"),
        due_date=due,
        renewals=loan.renewals + 1,
        overdue_level=0,
        overdue_since=None,
    )
    audit.record(
        session,
        actor,
        "loan.renewed",
        object_type="loan",
        object_id=loan.id,
        office_id=loan.office_id,
        changes={"number": loan.number, "due_date": [before, due], "renewals": loan.renewals},
    )
    return loan


@dataclass(frozen=True)
class LoanFilter:
    status: tuple[str, ...] = ()
    office_id: int | None = None
    borrower_id: int | None = None
    overdue_only: bool = False
    open_only: bool = False


def list_loans(
    session: Session, actor: Actor, filters: LoanFilter, *, limit: int = 200, offset: int = 0
) -> tuple[list[Loan], int]:
    """Loans in the actor's view, newest first, and how many there are in all. Borrowers without
    the desk or approval permission see only their own."""
    stmt = _loan_query()
    count = select(func.count(Loan.id))
    conditions = []
    if not (actor.has(Perm.USE_DESK) or actor.has(Perm.USE_APPROVE)):
        require(actor, Perm.LOAN_REQUEST)
        conditions.append(Loan.borrower_id == actor.user_id)
    elif actor.office_ids is not None:
        conditions.append(
            Loan.office_id.in_(actor.office_ids) | Loan.to_office_id.in_(actor.office_ids)
        )
    if filters.status:
        conditions.append(Loan.status.in_(filters.status))
    if filters.open_only:
        conditions.append(Loan.status.in_(LOAN_OPEN_STATUSES))
    if filters.office_id is not None:
        conditions.append(Loan.office_id == filters.office_id)
    if filters.borrower_id is not None:
        conditions.append(Loan.borrower_id == filters.borrower_id)
    if filters.overdue_only:
        conditions.append(Loan.overdue_level > 0)
    stmt = stmt.where(*conditions).order_by(Loan.requested_at.desc(), Loan.id.desc())
    total = int(session.scalar(count.where(*conditions)) or 0)
    return list(session.scalars(stmt.limit(limit).offset(offset))), total


def loans_of_file(session: Session, actor: Actor, file_id: int) -> list[Loan]:
    """A file's loans, newest first (its use history on the file page)."""
    get_file(session, actor, file_id)
    stmt = (
        _loan_query()
        .join(LoanItem, LoanItem.loan_id == Loan.id)
        .where(LoanItem.file_id == file_id)
        .order_by(Loan.requested_at.desc())
    )
    return list(session.scalars(stmt).unique())


def file_codes(loan: Loan) -> list[str]:
    return [item.file.code for item in loan.items]


def files_of(loan: Loan) -> list[File]:
    return [item.file for item in loan.items]

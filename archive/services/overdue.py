"""Overdue loans: the daily marking (levels 1–3 by working days past due), the lists by borrower
and department, and the data of the reminder letters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from archive.errors import Conflict, Invalid
from archive.models import Department, Loan, LoanItem
from archive.permissions import Actor, Perm, require, require_office
from archive.services import audit, notices
from archive.services.loans import get_loan
from archive.services.workdays import holidays_around, working_days_between


@dataclass(frozen=True)
class OverduePolicy:
    """Working days past the due date at which reminders reach levels 2 and 3 (level 1: the
    first working day past due)."""

    level2_days: int = 5
    level3_days: int = 15

    def level(self, days_late: int) -> int:
        if days_late <= 0:
            return 0
        if days_late >= self.level3_days:
            return 3
        return 2 if days_late >= self.level2_days else 1


@dataclass(frozen=True)
class OverdueRun:
    checked: int
    raised: int  # loans whose level went up
    notices: int


def mark_overdue(
    session: Session, actor: Actor, *, today: date, policy: OverduePolicy | None = None
) -> OverdueRun:
    """The daily job: each loan still out past its due date gets its reminder level; a level
    reached for the first time is audited and notified to the borrower and the office's desk.
    Running it twice the same day changes nothing."""
    require(actor, Perm.USE_DESK)
    policy = policy or OverduePolicy()
    loans = session.scalars(
        select(Loan)
        .where(Loan.status.in_(("out", "sent")), Loan.due_date < today)
        .order_by(Loan.id)
    ).all()
    if not loans:
        return OverdueRun(0, 0, 0)
    earliest = min(loan.due_date for loan in loans if loan.due_date is not None)
    holidays = holidays_around(session, earliest, span_days=(today - earliest).days + 1)
    raised = sent = 0
    for loan in loans:
        assert loan.due_date is not None
        level = policy.level(working_days_between(loan.due_date, today, holidays))
        if level <= loan.overdue_level:
            continue
        done = session.execute(
            update(Loan)
            .where(Loan.id == loan.id, Loan.overdue_level < level)
            .values(overdue_level=level, overdue_since=loan.overdue_since or today)
            .execution_options(synchronize_session=False)
        )
        if not getattr(done, "rowcount", 0):
            continue  # another run got there first
        session.refresh(loan, ["overdue_level", "overdue_since"])
        raised += 1
        audit.record(
            session,
            actor,
            "loan.overdue",
            object_type="loan",
            object_id=loan.id,
            office_id=loan.office_id,
            changes={"number": loan.number, "level": level, "due_date": loan.due_date},
        )
        desk = notices.users_holding(session, Perm.USE_DESK, loan.office_id)
        sent += notices.notify(
            session,
            [loan.borrower_id, *desk],
            kind="loan.overdue",
            loan_id=loan.id,
            level=level,
            params={"number": loan.number, "due_date": loan.due_date.strftime("%d/%m/%Y")},
        )
    return OverdueRun(checked=len(loans), raised=raised, notices=sent)


@dataclass(frozen=True)
class OverdueLine:
    loan_id: int
    number: str
    borrower_id: int
    borrower_name: str
    department: str
    due_date: date
    days_late: int
    level: int
    file_codes: tuple[str, ...]


def overdue_loans(
    session: Session, actor: Actor, *, today: date, office_id: int | None = None
) -> list[OverdueLine]:
    """Loans out past their due date now, by department then borrower then due date."""
    require(actor, Perm.USE_DESK)
    stmt = (
        select(Loan)
        .options(selectinload(Loan.items).selectinload(LoanItem.file))
        .where(Loan.status.in_(("out", "sent")), Loan.due_date < today)
    )
    if office_id is not None:
        require_office(actor, office_id)
        stmt = stmt.where(Loan.office_id == office_id)
    elif actor.office_ids is not None:
        stmt = stmt.where(Loan.office_id.in_(actor.office_ids))
    loans = session.scalars(stmt).all()
    if not loans:
        return []
    earliest = min(loan.due_date for loan in loans if loan.due_date is not None)
    holidays = holidays_around(session, earliest, span_days=(today - earliest).days + 1)
    lines = []
    for loan in loans:
        assert loan.due_date is not None
        lines.append(
            OverdueLine(
                loan_id=loan.id,
                number=loan.number,
                borrower_id=loan.borrower_id,
                borrower_name=loan.borrower_name,
                department=loan.borrower_department,
                due_date=loan.due_date,
                days_late=working_days_between(loan.due_date, today, holidays),
                level=loan.overdue_level,
                file_codes=tuple(i.file.code for i in loan.items if i.status == "out"),
            )
        )
    return sorted(lines, key=lambda x: (x.department, x.borrower_name, x.due_date, x.number))


@dataclass(frozen=True)
class Addressee:
    name: str
    position: str


def reminder_addressee(session: Session, loan: Loan, level: int) -> Addressee:
    """Level 1 goes to the borrower; levels 2 and 3 to the head of the borrower's department
    (the borrower again when no head is on record, so a letter can always be printed)."""
    if level not in (1, 2, 3):
        raise Invalid("loan.reminder_level", level=level)
    if level >= 2:
        office_id = loan.to_office_id or loan.office_id
        head = session.scalar(
            select(Department).where(
                Department.office_id.in_({office_id, loan.office_id}),
                Department.name == loan.borrower_department,
                Department.head_name != "",
            )
        )
        if head is not None:
            return Addressee(head.head_name, head.head_position or "Trưởng phòng")
    return Addressee(loan.borrower_name, loan.borrower_department)


def reminder_loan(session: Session, actor: Actor, *, loan_id: int, level: int) -> Loan:
    """The overdue loan a reminder of `level` is printed for; refuses a loan not yet at it."""
    require(actor, Perm.USE_DESK)
    loan = get_loan(session, actor, loan_id)
    if level not in (1, 2, 3):
        raise Invalid("loan.reminder_level", level=level)
    if loan.status not in ("out", "sent") or loan.overdue_level < level:
        raise Conflict("loan.not_overdue_at", number=loan.number, level=level)
    return loan

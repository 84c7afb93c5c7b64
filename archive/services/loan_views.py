"""What the loan pages show: the borrower a card scanned at the desk names, a loan's history from
the audit trail, the actions a loan offers a reader, and the loans behind inbox notices."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.errors import Forbidden, NotFound
from archive.models import AuditEvent, Loan, Notice, Office, UsePurpose, User
from archive.permissions import Actor, Perm, require
from archive.services import loan_desk, loans, notices, offices, use_purposes
from archive.services.loans import LoanFilter
from archive.services.notices import NoticeView

OUT_STATUSES = ("out", "sent")


@dataclass(frozen=True)
class DeskBorrower:
    """The borrower at the desk: who, their approved loans whose files are to be fetched, and
    their loans out."""

    user_id: int
    full_name: str
    department: str
    card_code: str
    waiting: list[Loan]
    out: list[Loan]


def desk_borrower(session: Session, actor: Actor, card: str) -> DeskBorrower | None:
    """The borrower whose card was scanned at the desk (None before a scan); for the desk only,
    refuses an unknown card."""
    require(actor, Perm.USE_DESK)
    if not card.strip():
        return None
    user = loan_desk.borrower_by_card(session, card)
    found, _ = loans.list_loans(
        session, actor, LoanFilter(borrower_id=user.id, status=("approved", *OUT_STATUSES))
    )
    return DeskBorrower(
        user_id=user.id,
        full_name=user.full_name,
        department=user.department,
        card_code=user.card_code or user.username,
        waiting=[x for x in found if x.status == "approved"],
        out=[x for x in found if x.status in OUT_STATUSES],
    )


def request_choices(session: Session, actor: Actor) -> tuple[list[Office], list[UsePurpose]]:
    """The offices whose files the actor may request, and the purposes of use to choose from."""
    require(actor, Perm.LOAN_REQUEST)
    return offices.list_offices(session, actor), use_purposes.list_purposes(session)


@dataclass(frozen=True)
class LoanEvent:
    at: datetime
    who: str
    action: str
    changes: dict[str, Any]


def loan_history(session: Session, actor: Actor, loan_id: int) -> list[LoanEvent]:
    """What happened to a loan the actor may see, oldest first, from the audit trail."""
    loan = loans.get_loan(session, actor, loan_id)
    rows = session.execute(
        select(AuditEvent, User.full_name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.object_type == "loan", AuditEvent.object_id == loan.id)
        .order_by(AuditEvent.id)
    ).all()
    return [
        LoanEvent(e.at, name or e.actor_label, e.action, json.loads(e.changes)) for e, name in rows
    ]


@dataclass(frozen=True)
class LoanActions:
    """What a loan's page offers the reader; the services still decide when it is used."""

    decide: bool = False
    cancel: bool = False
    renew: bool = False
    receive: bool = False
    out_cards: bool = False
    reminders: tuple[int, ...] = ()


def actions_for(actor: Actor, loan: Loan) -> LoanActions:
    """The actions of `loan` open to `actor` (its purpose must be loaded)."""
    own = actor.user_id is not None and actor.user_id in (loan.borrower_id, loan.requested_by_id)
    desk = actor.has(Perm.USE_DESK)
    keeps = desk and actor.sees_office(loan.office_id)
    is_out = loan.status in OUT_STATUSES
    return LoanActions(
        decide=loan.status == "requested"
        and actor.has(Perm.USE_APPROVE)
        and actor.sees_office(loan.office_id)
        and not own,
        cancel=loan.status in ("requested", "approved") and (own or desk),
        renew=is_out
        and (actor.user_id == loan.borrower_id or desk)
        and loan.renewals < loan.purpose.max_renewals,
        receive=loan.status == "sent"
        and desk
        and loan.to_office_id is not None
        and actor.sees_office(loan.to_office_id),
        out_cards=is_out and keeps,
        reminders=tuple(range(1, loan.overdue_level + 1)) if is_out and keeps else (),
    )


def is_overdue(loan: Loan, today: date) -> bool:
    """Out past its due date (whether or not the daily run has marked it yet)."""
    if loan.overdue_level > 0:
        return loan.status in OUT_STATUSES
    return loan.status in OUT_STATUSES and loan.due_date is not None and loan.due_date < today


@dataclass(frozen=True)
class InboxEntry:
    notice: NoticeView
    loan: Loan | None  # None when the loan is no longer in the reader's view
    can_decide: bool


def inbox_entries(session: Session, actor: Actor, *, limit: int = 100) -> list[InboxEntry]:
    """The actor's notices, newest first, each with the loan it is about."""
    views = notices.inbox(session, actor, limit=limit)
    about: dict[int, Loan] = {}
    for loan_id in {v.loan_id for v in views if v.loan_id is not None}:
        try:
            about[loan_id] = loans.get_loan(session, actor, loan_id)
        except (NotFound, Forbidden):
            continue  # e.g. the reader's office grant was withdrawn since the notice
    entries = []
    for view in views:
        loan = about.get(view.loan_id) if view.loan_id is not None else None
        can_decide = (
            view.kind == "loan.requested" and loan is not None and actions_for(actor, loan).decide
        )
        entries.append(InboxEntry(view, loan, can_decide))
    return entries


def decide_from_inbox(
    session: Session, actor: Actor, *, notice_id: int, approve: bool, reason: str = ""
) -> Loan:
    """Approve or refuse the loan one of the actor's notices asks about, and mark it read;
    refuses someone else's notice (and whatever `loans.decide_loan` refuses)."""
    notice = session.get(Notice, notice_id)
    if notice is None or notice.user_id != actor.user_id or notice.loan_id is None:
        raise NotFound("notice.not_found", notice_id=notice_id)
    loan = loans.decide_loan(session, actor, loan_id=notice.loan_id, approve=approve, reason=reason)
    notices.mark_read(session, actor, notice_id=notice_id)
    return loan

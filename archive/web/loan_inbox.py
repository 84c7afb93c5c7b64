"""The inbox (loans to approve, decisions, overdue notices; approve or refuse inline, mark read;
reading-room visits and copy requests waiting for this approver)
and the overdue loans by department and borrower, with their reminder letters to print."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from archive.api.deps import CurrentActor, DbSession, Today
from archive.permissions import Actor
from archive.services import approvals, loan_views, notices, overdue
from archive.services.approvals import Waiting
from archive.services.loan_views import InboxEntry
from archive.services.overdue import OverdueLine
from archive.web.forms import FormError, outcome
from archive.web.templating import hx_redirect, render

router = APIRouter()
INBOX_TEMPLATE = "loans/inbox.html"
OVERDUE_TEMPLATE = "loans/overdue.html"
BADGE_TEMPLATE = "loans/badge.html"
NOTICES = frozenset({"approved", "refused"})


@dataclass(frozen=True)
class InboxPage:
    entries: list[InboxEntry]
    unread: int
    waiting: Waiting  # visits and copy requests for this approver to decide
    ok: str | None = None
    error: FormError | None = None
    error_notice_id: int | None = None  # the notice whose inline form was refused


def inbox_page(
    session: Session,
    actor: Actor,
    *,
    ok: str | None = None,
    error: FormError | None = None,
    notice_id: int | None = None,
) -> InboxPage:
    return InboxPage(
        entries=loan_views.inbox_entries(session, actor),
        unread=notices.unread_count(session, actor),
        waiting=approvals.waiting_for(session, actor),
        ok=ok if ok in NOTICES else None,
        error=error,
        error_notice_id=notice_id if error else None,
    )


@router.get("/inbox")
def show_inbox(
    request: Request, session: DbSession, actor: CurrentActor, ok: str | None = None
) -> Response:
    return render(request, INBOX_TEMPLATE, inbox_page(session, actor, ok=ok))


@router.get("/inbox/badge")
def unread_badge(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """The unread count in the navigation, loaded after the page (so no page pays a query)."""
    return render(request, BADGE_TEMPLATE, notices.unread_count(session, actor))


@router.post("/inbox/{notice_id}/read")
def mark_read(
    request: Request, notice_id: int, session: DbSession, actor: CurrentActor
) -> Response:
    _, error = outcome(session, lambda: notices.mark_read(session, actor, notice_id=notice_id))
    if error is None:
        return hx_redirect(request, f"/inbox#notice-{notice_id}")
    page = inbox_page(session, actor, error=error, notice_id=notice_id)
    return render(request, INBOX_TEMPLATE, page, status=422)


@router.post("/inbox/{notice_id}/decide")
def decide(
    request: Request,
    notice_id: int,
    session: DbSession,
    actor: CurrentActor,
    approve: str = Form(""),
    reason: str = Form(""),
) -> Response:
    """Approve (approve=1) or refuse with a reason the loan a notice asks about."""
    yes = approve == "1"
    _, error = outcome(
        session,
        lambda: loan_views.decide_from_inbox(
            session, actor, notice_id=notice_id, approve=yes, reason=reason
        ),
    )
    if error is None:
        return hx_redirect(request, f"/inbox?ok={'approved' if yes else 'refused'}")
    page = inbox_page(session, actor, error=error, notice_id=notice_id)
    return render(request, INBOX_TEMPLATE, page, status=422)


@dataclass(frozen=True)
class BorrowerGroup:
    name: str
    lines: list[OverdueLine]


@dataclass(frozen=True)
class DepartmentGroup:
    name: str
    borrowers: list[BorrowerGroup]


@dataclass(frozen=True)
class OverduePage:
    today: date
    departments: list[DepartmentGroup]
    count: int


def overdue_page(session: Session, actor: Actor, today: date) -> OverduePage:
    """Overdue loans grouped by department, then borrower (the service sorts them so)."""
    lines = overdue.overdue_loans(session, actor, today=today)
    grouped: dict[str, dict[tuple[int, str], list[OverdueLine]]] = {}
    for line in lines:
        borrowers = grouped.setdefault(line.department, {})
        borrowers.setdefault((line.borrower_id, line.borrower_name), []).append(line)
    departments = [
        DepartmentGroup(name, [BorrowerGroup(who, rows) for (_, who), rows in borrowers.items()])
        for name, borrowers in grouped.items()
    ]
    return OverduePage(today=today, departments=departments, count=len(lines))


@router.get("/loans/overdue")
def show_overdue(
    request: Request, session: DbSession, actor: CurrentActor, today: Today
) -> Response:
    return render(request, OVERDUE_TEMPLATE, overdue_page(session, actor, today))

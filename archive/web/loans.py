"""Loans (cho mượn): the list (one's own, or the offices' for the desk and approvers), a new
request, and a loan's page with its files, its history and the actions open to the reader
(approve or refuse, cancel, renew, receive at another office, print its papers)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from archive.api.deps import CurrentActor, DbSession, Today
from archive.models import LOAN_STATUSES, Loan, Office, UsePurpose
from archive.permissions import Actor, Perm
from archive.services import files as file_service
from archive.services import loan_desk, loan_views, loans
from archive.services.loan_views import LoanActions, LoanEvent
from archive.services.loans import LoanFilter, LoanRequest
from archive.web.forms import FormError, outcome
from archive.web.templating import hx_redirect, render

router = APIRouter()
LIST_TEMPLATE = "loans/list.html"
NEW_TEMPLATE = "loans/new.html"
LOAN_TEMPLATE = "loans/loan.html"
# Notices a loan page may show after a redirect (?ok=…); each has a label "loans.ok.<key>".
NOTICES = frozenset({"requested", "approved", "refused", "cancelled", "renewed", "received"})
_CODES = re.compile(r"[\s,;]+")


def loan_notice(ok: str | None) -> str | None:
    return ok if ok in NOTICES else None


@dataclass(frozen=True)
class LoanRow:
    loan: Loan
    overdue: bool


@dataclass(frozen=True)
class ListFilters:
    status: str = ""
    mine: bool = False
    open_only: bool = False
    overdue_only: bool = False


@dataclass(frozen=True)
class LoansPage:
    rows: list[LoanRow]
    total: int
    filters: ListFilters
    statuses: tuple[str, ...]
    sees_offices: bool  # the desk and approvers see their offices' loans, not only their own
    ok: str | None = None


@dataclass(frozen=True)
class RequestForm:
    """The request form as typed: files by barcode or code, one per line or separated."""

    office_id: int | None = None
    files: str = ""
    purpose_id: int | None = None
    note: str = ""

    def codes(self) -> list[str]:
        return [code for code in _CODES.split(self.files) if code]


@dataclass(frozen=True)
class NewLoanPage:
    form: RequestForm
    offices: list[Office]
    purposes: list[UsePurpose]
    error: FormError | None = None


@dataclass(frozen=True)
class LoanPage:
    loan: Loan
    history: list[LoanEvent]
    actions: LoanActions
    overdue: bool
    ok: str | None = None
    error: FormError | None = None
    form: dict[str, str] = field(default_factory=dict)


def loans_page(
    session: Session, actor: Actor, filters: ListFilters, today: date, ok: str | None = None
) -> LoansPage:
    sees_offices = actor.has(Perm.USE_DESK) or actor.has(Perm.USE_APPROVE)
    found, total = loans.list_loans(
        session,
        actor,
        LoanFilter(
            status=(filters.status,) if filters.status in LOAN_STATUSES else (),
            borrower_id=actor.user_id if filters.mine else None,
            open_only=filters.open_only,
            overdue_only=filters.overdue_only,
        ),
    )
    return LoansPage(
        rows=[LoanRow(x, loan_views.is_overdue(x, today)) for x in found],
        total=total,
        filters=filters,
        statuses=LOAN_STATUSES,
        sees_offices=sees_offices,
        ok=loan_notice(ok),
    )


def new_loan_page(
    session: Session, actor: Actor, form: RequestForm | None = None, error: FormError | None = None
) -> NewLoanPage:
    offices, purposes = loan_views.request_choices(session, actor)
    return NewLoanPage(
        form=form or RequestForm(office_id=actor.office_id),
        offices=offices,
        purposes=purposes,
        error=error,
    )


def loan_page(
    session: Session,
    actor: Actor,
    loan_id: int,
    today: date,
    *,
    ok: str | None = None,
    error: FormError | None = None,
    form: dict[str, str] | None = None,
) -> LoanPage:
    loan = loans.get_loan(session, actor, loan_id)
    return LoanPage(
        loan=loan,
        history=loan_views.loan_history(session, actor, loan_id),
        actions=loan_views.actions_for(actor, loan),
        overdue=loan_views.is_overdue(loan, today),
        ok=loan_notice(ok),
        error=error,
        form=form or {},
    )


@router.get("/loans")
def list_loans(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    today: Today,
    status: str = "",
    mine: bool = False,
    open: bool = False,
    overdue: bool = False,
    ok: str | None = None,
) -> Response:
    filters = ListFilters(status, mine, open, overdue)
    return render(request, LIST_TEMPLATE, loans_page(session, actor, filters, today, ok))


@router.get("/loans/new")
def new_loan(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    files: str = "",
    office_id: int | None = None,
) -> Response:
    """The request form; `files` and `office_id` come filled in from a file's page."""
    form = RequestForm(office_id=office_id or actor.office_id, files=files)
    return render(request, NEW_TEMPLATE, new_loan_page(session, actor, form))


def _request(session: Session, actor: Actor, form: RequestForm) -> Loan:
    """The files typed, found in the chosen office (each unknown one refused), requested."""
    file_ids = tuple(
        file_service.get_by_code(session, actor, office_id=form.office_id or 0, code=code).id
        for code in form.codes()
    )
    return loans.request_loan(
        session,
        actor,
        LoanRequest(file_ids=file_ids, purpose_id=form.purpose_id or 0, note=form.note),
    )


@router.post("/loans/new")
def request_loan(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    office_id: str = Form(""),
    files: str = Form(""),
    purpose_id: str = Form(""),
    note: str = Form(""),
) -> Response:
    form = RequestForm(
        int(office_id) if office_id.isdigit() else None,
        files,
        int(purpose_id) if purpose_id.isdigit() else None,
        note,
    )
    loan, error = outcome(session, lambda: _request(session, actor, form))
    if loan is not None:
        return hx_redirect(request, f"/loans/{loan.id}?ok=requested")
    return render(request, NEW_TEMPLATE, new_loan_page(session, actor, form, error), status=422)


@router.get("/loans/{loan_id}")
def show_loan(
    request: Request,
    loan_id: int,
    session: DbSession,
    actor: CurrentActor,
    today: Today,
    ok: str | None = None,
) -> Response:
    return render(request, LOAN_TEMPLATE, loan_page(session, actor, loan_id, today, ok=ok))


def _done(
    request: Request,
    session: Session,
    actor: Actor,
    loan_id: int,
    today: date,
    error: FormError | None,
    ok: str,
    form: dict[str, str] | None = None,
) -> Response:
    if error is None:
        return hx_redirect(request, f"/loans/{loan_id}?ok={ok}")
    page = loan_page(session, actor, loan_id, today, error=error, form=form)
    return render(request, LOAN_TEMPLATE, page, status=422)


@router.post("/loans/{loan_id}/decide")
def decide_loan(
    request: Request,
    loan_id: int,
    session: DbSession,
    actor: CurrentActor,
    today: Today,
    approve: str = Form(""),
    reason: str = Form(""),
) -> Response:
    """Approve (approve=1) or refuse with a reason."""
    yes = approve == "1"
    _, error = outcome(
        session,
        lambda: loans.decide_loan(session, actor, loan_id=loan_id, approve=yes, reason=reason),
    )
    ok = "approved" if yes else "refused"
    return _done(request, session, actor, loan_id, today, error, ok, {"reason": reason})


@router.post("/loans/{loan_id}/cancel")
def cancel_loan(
    request: Request,
    loan_id: int,
    session: DbSession,
    actor: CurrentActor,
    today: Today,
    reason: str = Form(""),
) -> Response:
    _, error = outcome(
        session, lambda: loans.cancel_loan(session, actor, loan_id=loan_id, reason=reason)
    )
    return _done(request, session, actor, loan_id, today, error, "cancelled")


@router.post("/loans/{loan_id}/renew")
def renew_loan(
    request: Request, loan_id: int, session: DbSession, actor: CurrentActor, today: Today
) -> Response:
    _, error = outcome(
        session, lambda: loans.renew_loan(session, actor, loan_id=loan_id, today=today)
    )
    return _done(request, session, actor, loan_id, today, error, "renewed")


@router.post("/loans/{loan_id}/receive")
def receive_loan(
    request: Request,
    loan_id: int,
    session: DbSession,
    actor: CurrentActor,
    today: Today,
    received_by: str = Form(""),
) -> Response:
    """The files of a loan to another office arrived there."""
    _, error = outcome(
        session,
        lambda: loan_desk.receive_loan(session, actor, loan_id=loan_id, received_by=received_by),
    )
    return _done(request, session, actor, loan_id, today, error, "received")

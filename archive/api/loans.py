"""API of loans (cho mượn): requests, decisions, the desk (hand-out, receipt, return), renewals,
overdue loans, the inbox; purposes and holidays (issue 5)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from archive.api.deps import CurrentActor, DbSession, Today, get_runtime
from archive.api.schemas import ERRORS
from archive.models import Loan
from archive.permissions import Perm, require
from archive.services import (
    loan_desk,
    loan_papers,
    loans,
    overdue,
)
from archive.services.loan_desk import ReturnLine
from archive.services.loans import LoanFilter, LoanRequest

router = APIRouter(tags=["use of records"], responses=ERRORS)
PDF = "application/pdf"


class LoanIn(BaseModel):
    file_ids: list[int] = Field(min_length=1, max_length=loans.MAX_FILES_PER_LOAN)
    purpose_id: int
    borrower_id: int | None = Field(
        None, description="Someone else's loan, registered at the desk (use.desk)"
    )
    note: str = ""


class LoanItemOut(BaseModel):
    file_id: int
    file_code: str
    barcode: str
    title: str
    status: str
    sheets_out: int | None
    sheets_back: int | None
    condition_back: str
    discrepancy: str
    returned_at: datetime | None


class LoanOut(BaseModel):
    id: int
    number: str
    status: str
    office_id: int
    to_office_id: int | None
    borrower_id: int
    borrower_name: str
    borrower_department: str
    purpose_code: str
    purpose: str
    note: str
    requested_at: datetime
    decided_at: datetime | None
    decision_reason: str
    handed_out_at: datetime | None
    received_at: datetime | None
    due_date: date | None
    renewals: int
    returned_at: datetime | None
    overdue_level: int
    items: list[LoanItemOut]

    @classmethod
    def of(cls, loan: Loan) -> LoanOut:
        return cls(
            id=loan.id,
            number=loan.number,
            status=loan.status,
            office_id=loan.office_id,
            to_office_id=loan.to_office_id,
            borrower_id=loan.borrower_id,
            borrower_name=loan.borrower_name,
            borrower_department=loan.borrower_department,
            purpose_code=loan.purpose.code,
            purpose=loan.purpose.name,
            note=loan.note,
            requested_at=loan.requested_at,
            decided_at=loan.decided_at,
            decision_reason=loan.decision_reason,
            handed_out_at=loan.handed_out_at,
            received_at=loan.received_at,
            due_date=loan.due_date,
            renewals=loan.renewals,
            returned_at=loan.returned_at,
            overdue_level=loan.overdue_level,
            items=[
                LoanItemOut(
                    file_id=i.file_id,
                    file_code=i.file.code,
                    barcode=i.file.barcode,
                    title=i.file.title,
                    status=i.status,
                    sheets_out=i.sheets_out,
                    sheets_back=i.sheets_back,
                    condition_back=i.condition_back,
                    discrepancy=i.discrepancy,
                    returned_at=i.returned_at,
                )
                for i in loan.items
            ],
        )


class LoanPage(BaseModel):
    total: int
    items: list[LoanOut]


class DecisionIn(BaseModel):
    approve: bool
    reason: str = ""


class CancelIn(BaseModel):
    reason: str = ""


class HandOutIn(BaseModel):
    file_ids: list[int] = Field(min_length=1)


class DeskHandOutIn(BaseModel):
    card: str = Field(description="The borrower's staff card as scanned (or username)")
    barcodes: list[str] = Field(min_length=1, description="The files' barcodes as scanned")


class ReceiveIn(BaseModel):
    received_by: str = ""


class ReturnLineIn(BaseModel):
    barcode: str
    sheets: int | None = Field(None, ge=0, description="Sheets counted at the desk")
    condition: str = loan_desk.GOOD_CONDITION
    note: str = ""


class ReturnIn(BaseModel):
    lines: list[ReturnLineIn] = Field(min_length=1)


class OverdueOut(BaseModel):
    loan_id: int
    number: str
    borrower_id: int
    borrower_name: str
    department: str
    due_date: date
    days_late: int
    level: int
    file_codes: list[str]


class OverdueRunOut(BaseModel):
    checked: int
    raised: int
    notices: int


# --- loans -----------------------------------------------------------------------------------


@router.post("/loans", status_code=201)
def request_loan(body: LoanIn, session: DbSession, actor: CurrentActor) -> LoanOut:
    """Request files on loan (for oneself; for someone else at the desk)."""
    loan = loans.request_loan(
        session,
        actor,
        LoanRequest(
            file_ids=tuple(body.file_ids),
            purpose_id=body.purpose_id,
            borrower_id=body.borrower_id,
            note=body.note,
        ),
    )
    return LoanOut.of(loans.get_loan(session, actor, loan.id))


@router.get("/loans")
def list_loans(
    session: DbSession,
    actor: CurrentActor,
    status: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI reads the default
    office_id: int | None = None,
    borrower_id: int | None = None,
    overdue: bool = False,
    open_only: Annotated[bool, Query(alias="open")] = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> LoanPage:
    """Loans in the user's view, newest first (borrowers see their own)."""
    filters = LoanFilter(
        status=tuple(status),
        office_id=office_id,
        borrower_id=borrower_id,
        overdue_only=overdue,
        open_only=open_only,
    )
    found, total = loans.list_loans(session, actor, filters, limit=limit, offset=offset)
    return LoanPage(total=total, items=[LoanOut.of(x) for x in found])


@router.get("/loans/overdue")
def list_overdue(
    session: DbSession, actor: CurrentActor, today: Today, office_id: int | None = None
) -> list[OverdueOut]:
    """Loans out past their due date, by department and borrower."""
    lines = overdue.overdue_loans(session, actor, today=today, office_id=office_id)
    return [
        OverdueOut(
            loan_id=x.loan_id,
            number=x.number,
            borrower_id=x.borrower_id,
            borrower_name=x.borrower_name,
            department=x.department,
            due_date=x.due_date,
            days_late=x.days_late,
            level=x.level,
            file_codes=list(x.file_codes),
        )
        for x in lines
    ]


@router.post("/loans/overdue-check")
def overdue_check(session: DbSession, actor: CurrentActor, today: Today) -> OverdueRunOut:
    """Run the daily overdue marking now (the worker runs it every morning)."""
    run = overdue.mark_overdue(session, actor, today=today)
    return OverdueRunOut(checked=run.checked, raised=run.raised, notices=run.notices)


@router.post("/loans/desk/hand-out")
def desk_hand_out(
    body: DeskHandOutIn, session: DbSession, actor: CurrentActor, today: Today
) -> LoanOut:
    """The desk: the borrower's card and the files' barcodes start their approved loan."""
    loan = loan_desk.desk_hand_out(
        session, actor, card=body.card, scanned=body.barcodes, today=today
    )
    return LoanOut.of(loan)


@router.post("/loans/returns")
def return_files(body: ReturnIn, session: DbSession, actor: CurrentActor) -> list[LoanOut]:
    """Files back at the desk, by barcode: each goes back to its box; differences recorded."""
    lines = [ReturnLine(x.barcode, x.sheets, x.condition, x.note) for x in body.lines]
    return [LoanOut.of(x) for x in loan_desk.return_files(session, actor, lines=lines)]


@router.get("/loans/{loan_id}")
def get_loan(loan_id: int, session: DbSession, actor: CurrentActor) -> LoanOut:
    require(actor, Perm.LOAN_REQUEST)
    return LoanOut.of(loans.get_loan(session, actor, loan_id))


@router.post("/loans/{loan_id}/decision")
def decide_loan(loan_id: int, body: DecisionIn, session: DbSession, actor: CurrentActor) -> LoanOut:
    """Approve or refuse (with a reason); never one's own request."""
    loans.decide_loan(session, actor, loan_id=loan_id, approve=body.approve, reason=body.reason)
    return LoanOut.of(loans.get_loan(session, actor, loan_id))


@router.post("/loans/{loan_id}/cancel")
def cancel_loan(loan_id: int, body: CancelIn, session: DbSession, actor: CurrentActor) -> LoanOut:
    require(actor, Perm.LOAN_REQUEST)
    return LoanOut.of(loans.cancel_loan(session, actor, loan_id=loan_id, reason=body.reason))


@router.post("/loans/{loan_id}/renew")
def renew_loan(loan_id: int, session: DbSession, actor: CurrentActor, today: Today) -> LoanOut:
    require(actor, Perm.LOAN_REQUEST)
    return LoanOut.of(loans.renew_loan(session, actor, loan_id=loan_id, today=today))


@router.post("/loans/{loan_id}/hand-out")
def hand_out(
    loan_id: int, body: HandOutIn, session: DbSession, actor: CurrentActor, today: Today
) -> LoanOut:
    loan = loan_desk.hand_out(session, actor, loan_id=loan_id, file_ids=body.file_ids, today=today)
    return LoanOut.of(loan)


@router.post("/loans/{loan_id}/receive")
def receive_loan(loan_id: int, body: ReceiveIn, session: DbSession, actor: CurrentActor) -> LoanOut:
    """A loan to another office arrived there."""
    loan = loan_desk.receive_loan(session, actor, loan_id=loan_id, received_by=body.received_by)
    return LoanOut.of(loan)


# --- the loan's papers ----------------------------------------------------------------------


def _pdf(content: bytes, filename: str) -> Response:
    return Response(
        content, media_type=PDF, headers={"Content-Disposition": f'inline; filename="{filename}"'}
    )


@router.get(
    "/loans/{loan_id}/slip.pdf", response_class=Response, responses={200: {"content": {PDF: {}}}}
)
def loan_slip_pdf(
    loan_id: int, request: Request, session: DbSession, actor: CurrentActor, today: Today
) -> Response:
    """The loan slip (phiếu mượn hồ sơ): the borrower's own, or any of the desk's offices'."""
    tz = get_runtime(request).settings.timezone
    content = loan_papers.loan_slip(session, actor, loan_id, today=today, tz=tz)
    return _pdf(content, f"phieu-muon-{loan_id}.pdf")


@router.get(
    "/loans/{loan_id}/out-cards.pdf",
    response_class=Response,
    responses={200: {"content": {PDF: {}}}},
)
def loan_out_cards_pdf(
    loan_id: int, request: Request, session: DbSession, actor: CurrentActor
) -> Response:
    """Out-cards (phiếu thay thế) for the box slots of the loan's files still out."""
    tz = get_runtime(request).settings.timezone
    return _pdf(
        loan_papers.out_cards(session, actor, loan_id, tz=tz), f"phieu-thay-the-{loan_id}.pdf"
    )


@router.get(
    "/loans/{loan_id}/reminder.pdf",
    response_class=Response,
    responses={200: {"content": {PDF: {}}}},
)
def loan_reminder_pdf(
    loan_id: int,
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    today: Today,
    level: Annotated[int, Query(ge=1, le=3)] = 1,
) -> Response:
    """The overdue reminder letter of level 1 (borrower), 2 or 3 (their department head)."""
    tz = get_runtime(request).settings.timezone
    content = loan_papers.reminder_letter(session, actor, loan_id, level, today, tz=tz)
    return _pdf(content, f"giay-nhac-tra-{loan_id}-lan-{level}.pdf")

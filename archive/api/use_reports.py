"""API of the usage register and the use report (issue 5, items 7 and 8)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from archive.api.deps import CurrentActor, DbSession, Today, get_runtime
from archive.api.schemas import ERRORS
from archive.services.usage_register import Use, usage_register
from archive.services.usage_register_pdf import register_pdf
from archive.services.use_reports import UseCounts, use_report

router = APIRouter(tags=["use of records"], responses=ERRORS)


class UseOut(BaseModel):
    used_on: date
    kind: str
    reference: str
    user_name: str
    user_unit: str
    file_codes: list[str]
    purpose: str
    result: str
    served_by: str
    note: str

    @classmethod
    def of(cls, use: Use) -> UseOut:
        return cls(
            used_on=use.used_on,
            kind=use.kind,
            reference=use.reference,
            user_name=use.user_name,
            user_unit=use.user_unit,
            file_codes=list(use.file_codes),
            purpose=use.purpose,
            result=use.result,
            served_by=use.served_by,
            note=use.note,
        )


class RegisterOut(BaseModel):
    office_code: str
    first: date
    last: date
    counts: dict[str, int]
    uses: list[UseOut]


class CountsOut(BaseModel):
    office_code: str
    office_name: str
    purpose: str
    loans: int
    visits: int
    lookups: int
    copies: int

    @classmethod
    def of(cls, c: UseCounts) -> CountsOut:
        return cls(**c.__dict__)


class UseReportOut(BaseModel):
    first: date
    last: date
    rows: list[CountsOut]
    totals: CountsOut
    loans_returned: int
    average_loan_days: float | None
    longest_loan_days: int | None
    longest_loan_number: str | None
    overdue_now: int


@router.get("/reports/usage-register")
def get_usage_register(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    office_id: int,
    first: date,
    last: date,
) -> RegisterOut:
    """Every use of an office's records in a period, in date order (the ledger)."""
    tz = get_runtime(request).settings.timezone
    register = usage_register(session, actor, office_id=office_id, first=first, last=last, tz=tz)
    kinds = ("loan", "reading", "lookup", "copy")
    return RegisterOut(
        office_code=register.office.code,
        first=first,
        last=last,
        counts={k: register.count(k) for k in kinds},
        uses=[UseOut.of(u) for u in register.uses],
    )


@router.get("/reports/usage-register.pdf")
def get_usage_register_pdf(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    today: Today,
    office_id: int,
    first: date,
    last: date,
) -> Response:
    """The usage register printed (A4 landscape), the replacement of the paper ledger."""
    tz = get_runtime(request).settings.timezone
    pdf = register_pdf(
        session, actor, office_id=office_id, first=first, last=last, today=today, tz=tz
    )
    name = f"so-khai-thac-{first:%Y%m%d}-{last:%Y%m%d}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


@router.get("/reports/use")
def get_use_report(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    today: Today,
    first: date,
    last: date,
    office_id: int | None = None,
) -> UseReportOut:
    """Loans, visits, lookups and copies per office and purpose; loan durations; overdue now."""
    tz = get_runtime(request).settings.timezone
    report = use_report(
        session, actor, first=first, last=last, today=today, office_id=office_id, tz=tz
    )
    return UseReportOut(
        first=report.first,
        last=report.last,
        rows=[CountsOut.of(r) for r in report.rows],
        totals=CountsOut.of(report.totals),
        loans_returned=report.loans_returned,
        average_loan_days=report.average_loan_days,
        longest_loan_days=report.longest_loan_days,
        longest_loan_number=report.longest_loan_number,
        overdue_now=report.overdue_now,
    )

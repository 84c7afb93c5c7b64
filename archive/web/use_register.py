"""The usage register (sổ theo dõi khai thác sử dụng) of an office for a period, on screen with
counts per kind and a link to the printed ledger; and the use report: counts per office and
purpose, loan durations, loans overdue now. Both default to this month."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from archive.api.deps import CurrentActor, DbSession, Today, get_runtime
from archive.errors import Invalid
from archive.identifiers import parse_date
from archive.models import Office
from archive.permissions import Actor
from archive.services import offices
from archive.services.usage_register import KINDS, Register, usage_register
from archive.services.use_reports import UseReport, use_report
from archive.web.forms import FormError
from archive.web.templating import render

router = APIRouter()
REGISTER_TEMPLATE = "use/register.html"
REPORT_TEMPLATE = "use/report.html"
T = TypeVar("T")


@dataclass(frozen=True)
class Period:
    first: date
    last: date


@dataclass(frozen=True)
class RegisterPage:
    office_id: int | None
    period: Period
    offices: list[Office]
    register: Register | None
    counts: tuple[tuple[str, int], ...]  # (kind, uses) in the register's kind order
    pdf_url: str
    error: FormError | None = None


@dataclass(frozen=True)
class ReportPage:
    office_id: int | None
    period: Period
    offices: list[Office]
    report: UseReport | None
    error: FormError | None = None


def this_month(today: date) -> tuple[date, date]:
    first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def _period(first: str, last: str, today: date) -> tuple[Period, FormError | None]:
    """The period typed; empty fields mean this month, and so does a malformed date, which is
    refused with its message (identifier.date)."""
    default = this_month(today)
    try:
        return Period(
            parse_date(first) if first.strip() else default[0],
            parse_date(last) if last.strip() else default[1],
        ), None
    except Invalid as err:
        return Period(*default), FormError(err.code, dict(err.params))


def _unless_invalid(session: Session, action: Callable[[], T]) -> tuple[T | None, FormError | None]:
    """A report's result, or the input it refused (shown on the page). Missing permissions and
    other offices are not input errors: they give the forbidden page."""
    try:
        with session.begin_nested():
            return action(), None
    except Invalid as err:
        return None, FormError(err.code, dict(err.params))


def register_page(
    session: Session,
    actor: Actor,
    office_id: int | None,
    first: str,
    last: str,
    today: date,
    tz: str,
) -> RegisterPage:
    period, typo = _period(first, last, today)
    seen = offices.list_offices(session, actor)
    office = office_id or actor.office_id or (seen[0].id if seen else 0)
    register, error = _unless_invalid(
        session,
        lambda: usage_register(
            session, actor, office_id=office, first=period.first, last=period.last, tz=tz
        ),
    )
    query = urlencode({"office_id": office, "first": period.first, "last": period.last})
    return RegisterPage(
        office_id=office,
        period=period,
        offices=seen,
        register=register,
        counts=tuple((k, register.count(k)) for k in KINDS) if register else (),
        pdf_url=f"/api/v1/reports/usage-register.pdf?{query}",
        error=typo or error,
    )


def report_page(
    session: Session,
    actor: Actor,
    office_id: int | None,
    first: str,
    last: str,
    today: date,
    tz: str,
) -> ReportPage:
    period, typo = _period(first, last, today)
    report, error = _unless_invalid(
        session,
        lambda: use_report(
            session,
            actor,
            first=period.first,
            last=period.last,
            today=today,
            office_id=office_id,
            tz=tz,
        ),
    )
    return ReportPage(
        office_id=office_id,
        period=period,
        offices=offices.list_offices(session, actor),
        report=report,
        error=typo or error,
    )


def _office(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


@router.get("/use-register")
def show_register(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    today: Today,
    office_id: str = "",
    first: str = "",
    last: str = "",
) -> Response:
    """Every use of one office's records in the period (this month by default), in date order."""
    tz = get_runtime(request).settings.timezone
    page = register_page(session, actor, _office(office_id), first, last, today, tz)
    return render(request, REGISTER_TEMPLATE, page, status=422 if page.error else 200)


@router.get("/use-report")
def show_report(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    today: Today,
    office_id: str = "",
    first: str = "",
    last: str = "",
) -> Response:
    """Uses per office and purpose in the period (this month by default); every office seen
    when none is chosen."""
    tz = get_runtime(request).settings.timezone
    page = report_page(session, actor, _office(office_id), first, last, today, tz)
    return render(request, REPORT_TEMPLATE, page, status=422 if page.error else 200)

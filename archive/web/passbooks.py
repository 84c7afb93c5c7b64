"""Passbooks (sổ BHXH): "Sổ BHXH ở đâu?" (type or scan a number: who holds it, since when, in
transit or not, who had it before and every slip that moved it), registering a passbook, scanning
passbooks through a review stage, and the review progress report per office and stage.

At a stage each scan is recorded at once (scanning twice is harmless); the numbers recorded in
this sitting travel in the form and htmx swaps only the scanning card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from archive.api.deps import CurrentActor, DbSession, get_runtime, language
from archive.errors import Invalid
from archive.identifiers import parse_date
from archive.models import HOLDER_KINDS, PASSBOOK_STAGES, Office, utcnow
from archive.permissions import Actor
from archive.services import custody_views, passbooks
from archive.services.custody_views import Whereabouts
from archive.services.passbooks import PassbookIn, ProgressReport, StageResult
from archive.text import nfc
from archive.web.custody import readable
from archive.web.forms import FormError, outcome
from archive.web.templating import hx_redirect, render

router = APIRouter()
TEMPLATE = "custody/passbooks.html"
PROGRESS_TEMPLATE = "custody/progress.html"
# Notices the page may show after a redirect (?ok=…); each has a label "passbook.ok.<key>".
NOTICES = frozenset({"registered"})
SHOWN_SCANS = 50  # the latest numbers recorded in this sitting, as the stage card lists them
FormList = Annotated[list[str], Form()]


@dataclass(frozen=True)
class RegisterForm:
    """A passbook registered by hand, as typed."""

    office_id: int | None = None
    number: str = ""
    full_name: str = ""
    ssn: str = ""
    employer_code: str = ""
    employer_name: str = ""
    holder_kind: str = "archive"
    holder_name: str = ""
    received: bool = True  # it came in for review now (Số lượng 04)

    def passbook_in(self) -> PassbookIn:
        return PassbookIn(
            office_id=self.office_id or 0,
            number=self.number,
            full_name=self.full_name,
            ssn=self.ssn.strip() or None,
            employer_code=self.employer_code.strip() or None,
            employer_name=self.employer_name,
            holder_kind=self.holder_kind,
            holder_name=self.holder_name,
            received_at=utcnow() if self.received else None,
        )


@dataclass(frozen=True)
class StageScan:
    """The stage being scanned, the numbers recorded at it in this sitting (newest first) and
    what the last scan did."""

    stage: str = PASSBOOK_STAGES[0]
    done: tuple[str, ...] = ()
    last: StageResult | None = None
    error: FormError | None = None


@dataclass(frozen=True)
class PassbooksPage:
    number: str  # as typed or scanned in the where-is box
    where: Whereabouts | None
    offices: list[Office]
    kinds: tuple[str, ...]
    stages: tuple[str, ...]
    register: RegisterForm
    scan: StageScan
    ok: str | None = None
    error: FormError | None = None  # the where-is lookup's refusal
    register_error: FormError | None = None


@dataclass(frozen=True)
class ProgressFilters:
    since: str = ""
    until: str = ""


@dataclass(frozen=True)
class ProgressPage:
    filters: ProgressFilters
    report: ProgressReport | None
    stages: tuple[str, ...] = PASSBOOK_STAGES
    error: FormError | None = None


def passbooks_page(
    session: Session,
    actor: Actor,
    *,
    lang: str,
    number: str = "",
    ok: str | None = None,
    register: RegisterForm | None = None,
    register_error: FormError | None = None,
    scan: StageScan | None = None,
) -> PassbooksPage:
    """The page, with where passbook `number` is when one was typed (or its refusal)."""
    offices = custody_views.desk_offices(session, actor)
    where, error = None, None
    if number.strip():
        where, error = outcome(
            session, lambda: custody_views.where_is_passbook(session, actor, number)
        )
    return PassbooksPage(
        number=number,
        where=where,
        offices=offices,
        kinds=HOLDER_KINDS,
        stages=PASSBOOK_STAGES,
        register=register or RegisterForm(office_id=actor.office_id),
        scan=scan or StageScan(),
        ok=ok if ok in NOTICES else None,
        error=error,
        register_error=readable(register_error, lang),
    )


def _day(text: str) -> date | None:
    return parse_date(text) if text.strip() else None


def progress_page(
    session: Session, actor: Actor, filters: ProgressFilters, *, tz: str, lang: str
) -> ProgressPage:
    """The report within the typed dates (all time when both are blank), or why the dates are
    refused; a reader without reports.read is refused the page itself."""
    try:
        since, until = _day(filters.since), _day(filters.until)
        report = passbooks.progress(session, actor, since=since, until=until, tz=tz)
    except Invalid as err:
        passbooks.progress(session, actor)  # the permission, checked all the same
        error = FormError(err.code, dict(err.params))
        return ProgressPage(filters, None, error=readable(error, lang))
    return ProgressPage(filters, report)


@router.get("/passbooks")
def show_passbooks(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    number: str = "",
    ok: str | None = None,
) -> Response:
    page = passbooks_page(session, actor, lang=language(request), number=number, ok=ok)
    return render(request, TEMPLATE, page, status=422 if page.error else 200)


@router.post("/passbooks")
def register_passbook(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    office_id: Annotated[str, Form()] = "",
    number: Annotated[str, Form()] = "",
    full_name: Annotated[str, Form()] = "",
    ssn: Annotated[str, Form()] = "",
    employer_code: Annotated[str, Form()] = "",
    employer_name: Annotated[str, Form()] = "",
    holder_kind: Annotated[str, Form()] = "archive",
    holder_name: Annotated[str, Form()] = "",
    received: Annotated[str, Form()] = "",
) -> Response:
    """Register one passbook; then show where it is."""
    form = RegisterForm(
        int(office_id) if office_id.isdigit() else None,
        number,
        full_name,
        ssn,
        employer_code,
        employer_name,
        holder_kind,
        holder_name,
        received == "1",
    )
    book, error = outcome(session, lambda: passbooks.register(session, actor, form.passbook_in()))
    if book is not None:
        return hx_redirect(request, f"/passbooks?number={book.number}&ok=registered")
    page = passbooks_page(
        session, actor, lang=language(request), register=form, register_error=error
    )
    return render(request, TEMPLATE, page, status=422)


def _stamp(session: Session, actor: Actor, stage: str, value: str) -> StageResult:
    return passbooks.advance_stage(session, actor, numbers=[value], stage=stage, at=utcnow())


@router.post("/passbooks/stage")
def scan_stage(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    stage: Annotated[str, Form()] = PASSBOOK_STAGES[0],
    scan: Annotated[str, Form()] = "",
    done: FormList = [],  # noqa: B006 - FastAPI reads the default
) -> Response:
    """One passbook scanned at a stage, recorded at once; a refusal records nothing."""
    lang = language(request)
    value = nfc(scan)
    previous = tuple(done)
    result, error = (None, None)
    if value:
        result, error = outcome(session, lambda: _stamp(session, actor, stage, value))
    recorded = result.advanced if result is not None else ()
    scan_view = StageScan(
        stage=stage if stage in PASSBOOK_STAGES else PASSBOOK_STAGES[0],
        done=(*recorded, *(n for n in previous if n not in recorded))[:SHOWN_SCANS],
        last=result,
        error=readable(error, lang),
    )
    page = passbooks_page(session, actor, lang=lang, scan=scan_view)
    return render(request, TEMPLATE, page, status=422 if error else 200, block="stage")


@router.get("/passbooks/progress")
def show_progress(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    since: str = "",
    until: str = "",
) -> Response:
    """Passbook review per office and stage, with a total row; all time unless dates are given."""
    tz = get_runtime(request).settings.timezone
    filters = ProgressFilters(since, until)
    page = progress_page(session, actor, filters, tz=tz, lang=language(request))
    return render(request, PROGRESS_TEMPLATE, page, status=422 if page.error else 200)

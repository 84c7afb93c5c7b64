"""Copies (cung cấp bản sao): the list of requests, a new request (an officer's own, or at the desk
for a citizen with an identity paper), a request's page with the steps open to the reader
(approve or refuse, payment, production, delivery, its papers and the digital copy). The price
list is in `copy_prices`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from archive.api.deps import CurrentActor, DbSession, get_runtime
from archive.models import (
    COPY_KINDS,
    COPY_STATUSES,
    ID_PAPER_KINDS,
    CopyRequest,
    Office,
    UsePurpose,
)
from archive.permissions import Actor, Perm
from archive.printing.use_forms import CopyLine
from archive.services import copies, copy_papers, copy_views, loan_desk
from archive.services import files as file_service
from archive.services.copies import CopyFilter, CopyIn, CopyItemIn
from archive.services.copy_views import CopyActions
from archive.web.forms import FormError, outcome
from archive.web.templating import hx_redirect, render
from scanners.storage import DerivedStore, OriginalStore

router = APIRouter()
LIST_TEMPLATE = "copies/list.html"
NEW_TEMPLATE = "copies/new.html"
COPY_TEMPLATE = "copies/copy.html"
REQUESTER_KINDS = ("citizen", "internal")
# Notices a page may show after a redirect (?ok=…); each has a label "copies.ok.<key>".
NOTICES = frozenset(
    {"requested", "approved", "refused", "paid", "produced", "delivered", "price_set"}
)
_CODE_AND_PAGES = re.compile(r"[\s:]+")


def copy_notice(ok: str | None) -> str | None:
    return ok if ok in NOTICES else None


# --- the list ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListFilters:
    status: str = ""
    requester_kind: str = ""


@dataclass(frozen=True)
class CopiesPage:
    requests: list[CopyRequest]
    total: int
    filters: ListFilters
    statuses: tuple[str, ...] = COPY_STATUSES
    requester_kinds: tuple[str, ...] = REQUESTER_KINDS
    can_register: bool = False


def copies_page(session: Session, actor: Actor, filters: ListFilters) -> CopiesPage:
    found, total = copies.list_copies(
        session,
        actor,
        CopyFilter(
            status=(filters.status,) if filters.status in COPY_STATUSES else (),
            requester_kind=filters.requester_kind
            if filters.requester_kind in REQUESTER_KINDS
            else None,
        ),
    )
    return CopiesPage(
        requests=found,
        total=total,
        filters=filters,
        can_register=actor.has(Perm.LOAN_REQUEST) or actor.has(Perm.USE_DESK),
    )


@router.get("/copies")
def list_copies(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    status: str = "",
    requester_kind: str = "",
) -> Response:
    filters = ListFilters(status, requester_kind)
    return render(request, LIST_TEMPLATE, copies_page(session, actor, filters))


# --- a new request -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CopyForm:
    """The request as typed. Files: one a line, its code or barcode then its pages ("1-3,5";
    none = every page)."""

    requester_kind: str = "internal"
    officer: str = ""  # the desk registering for another officer: their card or username
    requester_name: str = ""
    organisation: str = ""
    id_paper_kind: str = "citizen_id"
    id_paper_number: str = ""
    kind: str = "photocopy"
    office_id: int | None = None
    files: str = ""
    purpose_id: int | None = None
    note: str = ""

    def items(self) -> list[tuple[str, str]]:
        """(code, pages) of each line that is not blank."""
        out = []
        for line in self.files.splitlines():
            code, *pages = _CODE_AND_PAGES.split(line.strip(), maxsplit=1)
            if code:
                out.append((code, pages[0] if pages else ""))
        return out


@dataclass(frozen=True)
class NewCopyPage:
    form: CopyForm
    offices: list[Office]
    purposes: list[UsePurpose]
    desk: bool  # registers citizens' requests and other officers'
    kinds: tuple[str, ...] = COPY_KINDS
    id_paper_kinds: tuple[str, ...] = ID_PAPER_KINDS
    error: FormError | None = None


def new_copy_page(
    session: Session, actor: Actor, form: CopyForm | None = None, error: FormError | None = None
) -> NewCopyPage:
    offices, purposes = copy_views.request_choices(session, actor)
    desk = actor.has(Perm.USE_DESK)
    return NewCopyPage(
        form=form
        or CopyForm(requester_kind="citizen" if desk else "internal", office_id=actor.office_id),
        offices=offices,
        purposes=purposes,
        desk=desk,
        error=error,
    )


def _request(session: Session, actor: Actor, form: CopyForm) -> CopyRequest:
    """The files typed, found in the chosen office (an unknown one refused), then the request."""
    items = tuple(
        CopyItemIn(
            file_service.get_by_code(session, actor, office_id=form.office_id or 0, code=code).id,
            pages,
        )
        for code, pages in form.items()
    )
    citizen = form.requester_kind == "citizen"
    officer = None
    if not citizen and form.officer.strip():
        officer = loan_desk.borrower_by_card(session, form.officer).id
    data = CopyIn(
        kind=form.kind,
        requester_kind=form.requester_kind,
        purpose_id=form.purpose_id or 0,
        items=items,
        requester_user_id=officer,
        requester_name=form.requester_name if citizen else "",
        organisation=form.organisation,
        id_paper_kind=form.id_paper_kind if citizen else None,
        id_paper_number=form.id_paper_number if citizen else None,
        note=form.note,
    )
    return copies.request_copies(session, actor, data)


@router.get("/copies/new")
def new_copy(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    return render(request, NEW_TEMPLATE, new_copy_page(session, actor))


def _id(value: str) -> int | None:
    return int(value) if value.isdigit() else None


@router.post("/copies/new")
def request_copies(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    requester_kind: str = Form("internal"),
    officer: str = Form(""),
    requester_name: str = Form(""),
    organisation: str = Form(""),
    id_paper_kind: str = Form(""),
    id_paper_number: str = Form(""),
    kind: str = Form(""),
    office_id: str = Form(""),
    files: str = Form(""),
    purpose_id: str = Form(""),
    note: str = Form(""),
) -> Response:
    form = CopyForm(
        requester_kind,
        officer,
        requester_name,
        organisation,
        id_paper_kind,
        id_paper_number,
        kind,
        _id(office_id),
        files,
        _id(purpose_id),
        note,
    )
    made, error = outcome(session, lambda: _request(session, actor, form))
    if made is not None:
        return hx_redirect(request, f"/copies/{made.id}?ok=requested")
    return render(request, NEW_TEMPLATE, new_copy_page(session, actor, form, error), status=422)


# --- a request's page --------------------------------------------------------------------------


@dataclass(frozen=True)
class CopyPage:
    req: CopyRequest
    id_number: str | None  # masked without the personal-data permission
    names: dict[int, str]  # the officers who registered, decided, produced it
    actions: CopyActions
    # The fee line by line: as quoted at approval, or as it would be quoted today (estimate).
    lines: tuple[CopyLine, ...] | None
    estimate: bool
    lines_error: FormError | None = None  # why no estimate can be given (pages gone)
    ok: str | None = None
    error: FormError | None = None
    form: dict[str, str] = field(default_factory=dict)

    @property
    def fee(self) -> int:
        if self.estimate:
            return sum(line.amount for line in self.lines or ())
        return self.req.fee_dong


def copy_page(
    session: Session,
    actor: Actor,
    copy_id: int,
    tz: str,
    *,
    ok: str | None = None,
    error: FormError | None = None,
    form: dict[str, str] | None = None,
) -> CopyPage:
    req = copies.get_copy(session, actor, copy_id)
    lines, lines_error = None, None
    if req.status != "refused":
        lines, lines_error = outcome(session, lambda: copy_papers.fee_lines(session, req, tz))
    return CopyPage(
        req=req,
        id_number=copies.id_number_shown(actor, req.id_paper_number),
        names=copy_views.staff_names(session, req),
        actions=copy_views.actions_for(actor, req),
        lines=lines,
        estimate=req.status == "requested",
        lines_error=lines_error,
        ok=copy_notice(ok),
        error=error,
        form=form or {},
    )


def _tz(request: Request) -> str:
    return get_runtime(request).settings.timezone


@router.get("/copies/{copy_id}")
def show_copy(
    request: Request, copy_id: int, session: DbSession, actor: CurrentActor, ok: str | None = None
) -> Response:
    return render(request, COPY_TEMPLATE, copy_page(session, actor, copy_id, _tz(request), ok=ok))


def _done(
    request: Request,
    session: Session,
    actor: Actor,
    copy_id: int,
    error: FormError | None,
    ok: str,
    form: dict[str, str] | None = None,
) -> Response:
    if error is None:
        return hx_redirect(request, f"/copies/{copy_id}?ok={ok}")
    page = copy_page(session, actor, copy_id, _tz(request), error=error, form=form)
    return render(request, COPY_TEMPLATE, page, status=422)


@router.post("/copies/{copy_id}/decide")
def decide_copies(
    request: Request,
    copy_id: int,
    session: DbSession,
    actor: CurrentActor,
    approve: str = Form(""),
    reason: str = Form(""),
) -> Response:
    """Approve (approve=1: the fee is quoted now) or refuse with a reason."""
    yes = approve == "1"
    _, error = outcome(
        session,
        lambda: copies.decide_copies(
            session, actor, copy_id=copy_id, approve=yes, reason=reason, tz=_tz(request)
        ),
    )
    ok = "approved" if yes else "refused"
    return _done(request, session, actor, copy_id, error, ok, {"reason": reason})


@router.post("/copies/{copy_id}/pay")
def record_payment(
    request: Request,
    copy_id: int,
    session: DbSession,
    actor: CurrentActor,
    receipt_number: str = Form(""),
) -> Response:
    _, error = outcome(
        session,
        lambda: copies.record_payment(
            session, actor, copy_id=copy_id, receipt_number=receipt_number
        ),
    )
    return _done(request, session, actor, copy_id, error, "paid", {"receipt": receipt_number})


@router.post("/copies/{copy_id}/produce")
def produce_copies(
    request: Request, copy_id: int, session: DbSession, actor: CurrentActor
) -> Response:
    """The copies are made; a digital copy is built now from the file's stored scans."""
    settings = get_runtime(request).settings
    _, error = outcome(
        session,
        lambda: copies.produce_copies(
            session,
            actor,
            copy_id=copy_id,
            originals=OriginalStore(settings.originals_dir),
            derived=DerivedStore(settings.derived_dir),
            tz=settings.timezone,
        ),
    )
    return _done(request, session, actor, copy_id, error, "produced")


@router.post("/copies/{copy_id}/deliver")
def deliver_copies(
    request: Request,
    copy_id: int,
    session: DbSession,
    actor: CurrentActor,
    delivered_to: str = Form(""),
) -> Response:
    _, error = outcome(
        session,
        lambda: copies.deliver_copies(session, actor, copy_id=copy_id, delivered_to=delivered_to),
    )
    return _done(request, session, actor, copy_id, error, "delivered", {"to": delivered_to})

"""The reading room (phòng đọc): the day's visits (waiting for approval, in the room, coming,
ended), registering a visit, the closing-time check, and a visit's page where an approver
decides and the desk serves and takes back files by scanning their barcodes (keyboard only: the
scan box keeps the focus, htmx swaps only the visit), closes the visit and prints its slip."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from archive.api.deps import CurrentActor, DbSession, Today, get_runtime
from archive.identifiers import parse_date
from archive.models import ID_PAPER_KINDS, Office, ReadingVisit, UsePurpose
from archive.permissions import Actor, Perm
from archive.services import files as file_service
from archive.services import offices, reading_desk, reading_papers, reading_room
from archive.services.reading_papers import VisitStaff
from archive.services.reading_room import VisitFilter, VisitIn
from archive.services.use_purposes import list_purposes
from archive.text import nfc
from archive.web.forms import FormError, outcome
from archive.web.templating import hx_redirect, render

router = APIRouter()
ROOM_TEMPLATE = "reading/room.html"
VISIT_TEMPLATE = "reading/visit.html"
# Notices a reading-room page may show after a redirect (?ok=…); labels "reading.ok.<key>".
NOTICES = frozenset(
    {"registered", "approved", "refused", "served", "returned", "closed", "checked"}
)
_CODES = re.compile(r"[\s,;]+")


def reading_notice(ok: str | None) -> str | None:
    return ok if ok in NOTICES else None


def _codes(text: str) -> list[str]:
    return [nfc(code) for code in _CODES.split(text) if code]


@dataclass(frozen=True)
class VisitForm:
    """The registration form as typed; files by barcode or code, one per line or scanned one
    after another; an empty date means today."""

    office_id: int | None = None
    visitor_name: str = ""
    organisation: str = ""
    id_paper_kind: str = "citizen_id"
    id_paper_number: str = ""
    purpose_id: int | None = None
    visit_date: str = ""
    files: str = ""
    note: str = ""


@dataclass(frozen=True)
class VisitRow:
    visit: ReadingVisit
    id_number: str  # as this reader may see it (masked without personal data)
    flagged: tuple[str, ...]  # codes of files still out when the room closed


@dataclass(frozen=True)
class RoomPage:
    today: date
    waiting: list[VisitRow]  # waiting for an approver
    current: list[VisitRow]  # approved or open today, and earlier visits still open
    upcoming: list[VisitRow]  # approved for a later day
    ended: list[VisitRow]  # closed or refused
    can_register: bool  # the desk registers visits and runs the closing-time check
    form: VisitForm
    offices: list[Office]
    purposes: list[UsePurpose]
    id_paper_kinds: tuple[str, ...] = ID_PAPER_KINDS
    ok: str | None = None
    error: FormError | None = None


@dataclass(frozen=True)
class VisitActions:
    decide: bool
    serve: bool
    take_back: bool
    close: bool


@dataclass(frozen=True)
class VisitPage:
    visit: ReadingVisit
    id_number: str
    staff: VisitStaff
    actions: VisitActions
    flagged: tuple[str, ...]
    focus: str  # the scan box that takes the focus: "serve", "return" or ""
    today: date
    ok: str | None = None
    scanned: tuple[str, ...] = ()  # what the last scan served or took back
    error: FormError | None = None
    reason: str = ""


def _flagged(visit: ReadingVisit) -> tuple[str, ...]:
    return tuple(
        i.file.code for i in visit.items if i.status == "served" and i.flagged_at is not None
    )


def _row(actor: Actor, visit: ReadingVisit) -> VisitRow:
    number = reading_room.shown_id_number(actor, visit.id_paper_number)
    return VisitRow(visit, number, _flagged(visit))


def room_page(
    session: Session,
    actor: Actor,
    today: date,
    *,
    form: VisitForm | None = None,
    ok: str | None = None,
    error: FormError | None = None,
) -> RoomPage:
    carried = reading_room.open_visits_today(session, actor, today=today)
    coming, _total = reading_room.list_visits(session, actor, VisitFilter(day_from=today))
    visits = sorted(
        {v.id: v for v in [*carried, *coming]}.values(), key=lambda v: (v.visit_date, v.id)
    )
    rows = [_row(actor, v) for v in visits]
    can_register = actor.has(Perm.USE_DESK)
    return RoomPage(
        today=today,
        waiting=[r for r in rows if r.visit.status == "requested"],
        current=[
            r
            for r in rows
            if r.visit.status == "open"
            or (r.visit.status == "approved" and r.visit.visit_date <= today)
        ],
        upcoming=[r for r in rows if r.visit.status == "approved" and r.visit.visit_date > today],
        ended=[r for r in rows if r.visit.status in ("closed", "refused")],
        can_register=can_register,
        form=form or VisitForm(office_id=actor.office_id),
        offices=offices.list_offices(session, actor) if can_register else [],
        purposes=list_purposes(session) if can_register else [],
        ok=reading_notice(ok),
        error=error,
    )


def actions_for(actor: Actor, visit: ReadingVisit, today: date) -> VisitActions:
    """What the page offers this reader (the services still decide)."""
    desk = actor.has(Perm.USE_DESK)
    live = visit.status in ("approved", "open")
    statuses = {item.status for item in visit.items}
    return VisitActions(
        decide=actor.has(Perm.USE_APPROVE)
        and visit.status == "requested"
        and actor.user_id != visit.registered_by_id,
        serve=desk
        and live
        and visit.visit_date == today
        and bool(statuses & set(reading_desk.SERVABLE)),
        take_back=desk and "served" in statuses,
        close=desk and live,
    )


def _focus(visit: ReadingVisit, actions: VisitActions, wanted: str) -> str:
    """The scan box that takes the focus: the one just used while it is still of use, else
    serving while files wait to be served, else taking back."""
    usable = {"serve": actions.serve, "return": actions.take_back}
    if usable.get(wanted):
        return wanted
    if actions.serve and any(item.status == "requested" for item in visit.items):
        return "serve"
    return "return" if actions.take_back else ("serve" if actions.serve else "")


def visit_page(
    session: Session,
    actor: Actor,
    visit_id: int,
    today: date,
    *,
    focus: str = "",
    ok: str | None = None,
    scanned: tuple[str, ...] = (),
    error: FormError | None = None,
    reason: str = "",
) -> VisitPage:
    visit = reading_room.get_visit(session, actor, visit_id)
    actions = actions_for(actor, visit, today)
    return VisitPage(
        visit=visit,
        id_number=reading_room.shown_id_number(actor, visit.id_paper_number),
        staff=reading_papers.visit_staff(session, visit),
        actions=actions,
        flagged=_flagged(visit),
        focus=_focus(visit, actions, focus),
        today=today,
        ok=reading_notice(ok),
        scanned=scanned,
        error=error,
        reason=reason,
    )


@router.get("/reading-room")
def show_room(
    request: Request, session: DbSession, actor: CurrentActor, today: Today, ok: str | None = None
) -> Response:
    return render(request, ROOM_TEMPLATE, room_page(session, actor, today, ok=ok))


def _register(session: Session, actor: Actor, form: VisitForm, today: date) -> ReadingVisit:
    """The files typed, found in the chosen office (each unknown one refused), requested."""
    office_id = form.office_id or actor.office_id or 0
    file_ids = tuple(
        file_service.get_by_code(session, actor, office_id=office_id, code=code).id
        for code in _codes(form.files)
    )
    data = VisitIn(
        visitor_name=form.visitor_name,
        organisation=form.organisation,
        id_paper_kind=form.id_paper_kind,
        id_paper_number=form.id_paper_number,
        purpose_id=form.purpose_id or 0,
        file_ids=file_ids,
        visit_date=parse_date(form.visit_date) if form.visit_date.strip() else None,
        note=form.note,
    )
    return reading_room.register_visit(session, actor, data, today=today)


def _int(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


@router.post("/reading-room")
def register_visit(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    today: Today,
    office_id: str = Form(""),
    visitor_name: str = Form(""),
    organisation: str = Form(""),
    id_paper_kind: str = Form(""),
    id_paper_number: str = Form(""),
    purpose_id: str = Form(""),
    visit_date: str = Form(""),
    files: str = Form(""),
    note: str = Form(""),
) -> Response:
    form = VisitForm(
        _int(office_id),
        visitor_name,
        organisation,
        id_paper_kind,
        id_paper_number,
        _int(purpose_id),
        visit_date,
        files,
        note,
    )
    visit, error = outcome(session, lambda: _register(session, actor, form, today))
    if visit is not None:
        return hx_redirect(request, f"/visits/{visit.id}?ok=registered")
    page = room_page(session, actor, today, form=form, error=error)
    return render(request, ROOM_TEMPLATE, page, status=422)


@router.post("/reading-room/closing-check")
def closing_check(
    request: Request, session: DbSession, actor: CurrentActor, today: Today
) -> Response:
    """Flag the files still out after the room closed (the worker does it every 15 minutes)."""
    settings = get_runtime(request).settings
    _, error = outcome(
        session,
        lambda: reading_desk.flag_files_still_out(
            session,
            actor,
            now=datetime.now(UTC),
            closes=settings.reading_room_closes,
            tz=settings.timezone,
        ),
    )
    if error is None:
        return hx_redirect(request, "/reading-room?ok=checked")
    return render(request, ROOM_TEMPLATE, room_page(session, actor, today, error=error), status=422)


@router.get("/visits/{visit_id}")
def show_visit(
    request: Request,
    visit_id: int,
    session: DbSession,
    actor: CurrentActor,
    today: Today,
    ok: str | None = None,
) -> Response:
    return render(request, VISIT_TEMPLATE, visit_page(session, actor, visit_id, today, ok=ok))


@router.get("/visits/{visit_id}/slip.pdf")
def visit_slip(
    request: Request, visit_id: int, session: DbSession, actor: CurrentActor
) -> Response:
    """The request slip (phiếu yêu cầu nghiên cứu tài liệu), printed from the register."""
    tz = get_runtime(request).settings.timezone
    pdf = reading_papers.reading_slip_pdf(session, actor, visit_id, tz=tz)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="phieu-nghien-cuu-{visit_id}.pdf"'},
    )


def _done(
    request: Request,
    session: Session,
    actor: Actor,
    visit_id: int,
    today: date,
    error: FormError | None,
    ok: str,
    reason: str = "",
) -> Response:
    if error is None:
        return hx_redirect(request, f"/visits/{visit_id}?ok={ok}")
    page = visit_page(session, actor, visit_id, today, error=error, reason=reason)
    return render(request, VISIT_TEMPLATE, page, status=422)


@router.post("/visits/{visit_id}/decide")
def decide_visit(
    request: Request,
    visit_id: int,
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
        lambda: reading_room.decide_visit(
            session, actor, visit_id=visit_id, approve=yes, reason=reason
        ),
    )
    ok = "approved" if yes else "refused"
    return _done(request, session, actor, visit_id, today, error, ok, reason)


@router.post("/visits/{visit_id}/close")
def close_visit(
    request: Request, visit_id: int, session: DbSession, actor: CurrentActor, today: Today
) -> Response:
    _, error = outcome(session, lambda: reading_desk.close_visit(session, actor, visit_id=visit_id))
    return _done(request, session, actor, visit_id, today, error, "closed")


def _scanned(
    request: Request,
    session: Session,
    actor: Actor,
    visit_id: int,
    today: date,
    *,
    box: str,
    codes: list[str],
    error: FormError | None,
) -> Response:
    """After a scan: htmx swaps the visit (the same scan box keeps the focus); a plain form
    goes back to the visit's page."""
    ok = "served" if box == "serve" else "returned"
    if error is None and not request.headers.get("hx-request"):
        return hx_redirect(request, f"/visits/{visit_id}?ok={ok}")
    page = visit_page(
        session,
        actor,
        visit_id,
        today,
        focus=box,
        ok=None if error else ok,
        scanned=tuple(codes),
        error=error,
    )
    return render(request, VISIT_TEMPLATE, page, status=422 if error else 200, block="visit")


@router.post("/visits/{visit_id}/serve")
def serve_files(
    request: Request,
    visit_id: int,
    session: DbSession,
    actor: CurrentActor,
    today: Today,
    scan: str = Form(""),
) -> Response:
    """Files scanned at the desk handed to the visitor (all of them, or none on a refusal)."""
    codes = _codes(scan)
    _, error = outcome(
        session,
        lambda: reading_desk.serve_files(
            session, actor, visit_id=visit_id, barcodes=codes, today=today
        ),
    )
    return _scanned(request, session, actor, visit_id, today, box="serve", codes=codes, error=error)


@router.post("/visits/{visit_id}/return")
def return_files(
    request: Request,
    visit_id: int,
    session: DbSession,
    actor: CurrentActor,
    today: Today,
    scan: str = Form(""),
) -> Response:
    """Files scanned coming back from the reading room to their boxes."""
    codes = _codes(scan)
    _, error = outcome(
        session,
        lambda: reading_desk.return_files(session, actor, visit_id=visit_id, barcodes=codes),
    )
    return _scanned(
        request, session, actor, visit_id, today, box="return", codes=codes, error=error
    )

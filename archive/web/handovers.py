"""Handover batches: the list, a new batch, a batch's page and its minutes (biên bản giao nhận).

What is done on a batch (scanning, lines, discrepancies, completion) is in handover_work.py."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from archive.api.deps import CurrentActor, DbSession
from archive.models import HandoverBatch, HandoverItem, Office
from archive.permissions import Actor, Perm
from archive.services import handover, handover_queries, offices
from archive.services import series as series_service
from archive.services.handover_queries import BatchSummary, DiscrepancyLine, HandoverMinutes
from archive.services.series import SeriesView
from archive.web.forms import FormError, notice, outcome
from archive.web.templating import hx_redirect, render

router = APIRouter()
LIST_TEMPLATE = "handovers/list.html"
BATCH_TEMPLATE = "handovers/batch.html"


@dataclass(frozen=True)
class BatchForm:
    """The new-batch form as submitted (a source office is typed as its code)."""

    office_id: int | None = None
    name: str = ""
    kind: str = "general"
    series_id: int | None = None
    source_office: str = ""
    source_department: str = ""
    employer_code: str = ""
    employer_name: str = ""
    giver_name: str = ""
    giver_position: str = ""
    receiver_name: str = ""
    receiver_position: str = ""
    legal_basis: str = ""
    condition: str = ""


@dataclass(frozen=True)
class HandoversPage:
    batches: list[BatchSummary]
    offices: list[Office]
    series: list[SeriesView]
    can_manage: bool
    form: BatchForm
    ok: str | None = None
    error: FormError | None = None


@dataclass(frozen=True)
class ScanView:
    """What the last scan did, shown above the scan box."""

    scanned: str
    file_code: str
    matched: bool


@dataclass(frozen=True)
class BatchPage:
    minutes: HandoverMinutes
    items: list[HandoverItem]
    can_manage: bool
    scan: ScanView | None = None
    scan_error: FormError | None = None
    ok: str | None = None
    error: FormError | None = None
    line: dict[str, str] = field(default_factory=dict)

    @property
    def is_open(self) -> bool:
        return self.minutes.status == "open"

    @property
    def discrepancies(self) -> list[DiscrepancyLine]:
        """While the batch is open, lines not received yet are not missing (only pending)."""
        lines = self.minutes.discrepancies
        return [d for d in lines if d.kind != "missing"] if self.is_open else list(lines)


def handovers_page(
    session: Session,
    actor: Actor,
    *,
    ok: str | None = None,
    error: FormError | None = None,
    form: BatchForm | None = None,
) -> HandoversPage:
    return HandoversPage(
        batches=handover_queries.list_batches(session, actor),
        offices=offices.list_offices(session, actor),
        series=series_service.list_series(session, actor),
        can_manage=actor.has(Perm.HANDOVER),
        form=form or BatchForm(office_id=actor.office_id),
        ok=notice(ok),
        error=error,
    )


def batch_page(
    session: Session,
    actor: Actor,
    batch_id: int,
    *,
    ok: str | None = None,
    scan: ScanView | None = None,
    scan_error: FormError | None = None,
    error: FormError | None = None,
    line: dict[str, str] | None = None,
) -> BatchPage:
    """The batch's minutes data (names, counts, discrepancies) and its lines in order."""
    return BatchPage(
        minutes=handover_queries.minutes(session, actor, batch_id),
        items=handover_queries.list_items(session, actor, batch_id),
        can_manage=actor.has(Perm.HANDOVER),
        scan=scan,
        scan_error=scan_error,
        ok=notice(ok),
        error=error,
        line=line or {},
    )


def _create(session: Session, actor: Actor, form: BatchForm) -> HandoverBatch:
    source = (
        offices.get_by_code(session, form.source_office).id if form.source_office.strip() else None
    )
    return handover.create_batch(
        session,
        actor,
        handover.BatchIn(
            office_id=form.office_id or 0,
            name=form.name,
            kind=form.kind,
            series_id=form.series_id,
            source_office_id=source,
            source_department=form.source_department,
            employer_code=form.employer_code.strip() or None,
            employer_name=form.employer_name,
            giver_name=form.giver_name,
            giver_position=form.giver_position,
            receiver_name=form.receiver_name,
            receiver_position=form.receiver_position,
            legal_basis=form.legal_basis,
            condition=form.condition,
        ),
    )


@router.get("/handovers")
def list_handovers(
    request: Request, session: DbSession, actor: CurrentActor, ok: str | None = None
) -> Response:
    return render(request, LIST_TEMPLATE, handovers_page(session, actor, ok=ok))


@router.post("/handovers")
def create_handover(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    office_id: int = Form(...),
    name: str = Form(""),
    kind: str = Form("general"),
    series_id: str = Form(""),
    source_office: str = Form(""),
    source_department: str = Form(""),
    employer_code: str = Form(""),
    employer_name: str = Form(""),
    giver_name: str = Form(""),
    giver_position: str = Form(""),
    receiver_name: str = Form(""),
    receiver_position: str = Form(""),
    legal_basis: str = Form(""),
    condition: str = Form(""),
) -> Response:
    form = BatchForm(
        office_id,
        name,
        kind,
        int(series_id) if series_id.isdigit() else None,
        source_office,
        source_department,
        employer_code,
        employer_name,
        giver_name,
        giver_position,
        receiver_name,
        receiver_position,
        legal_basis,
        condition,
    )
    batch, error = outcome(session, lambda: _create(session, actor, form))
    if batch is not None:
        return hx_redirect(request, f"/handovers/{batch.id}?ok=handover.created")
    return render(
        request, LIST_TEMPLATE, handovers_page(session, actor, error=error, form=form), status=422
    )


@router.get("/handovers/{batch_id}")
def show_handover(
    request: Request, batch_id: int, session: DbSession, actor: CurrentActor, ok: str | None = None
) -> Response:
    return render(request, BATCH_TEMPLATE, batch_page(session, actor, batch_id, ok=ok))


@router.get("/handovers/{batch_id}/minutes")
def show_minutes(
    request: Request, batch_id: int, session: DbSession, actor: CurrentActor
) -> Response:
    """The minutes and their attached catalogue as a printable page (A4)."""
    return render(
        request, "handovers/minutes.html", handover_queries.minutes(session, actor, batch_id)
    )

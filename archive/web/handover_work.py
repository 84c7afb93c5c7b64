"""Work on an open handover batch: scan files in (code + Enter), add catalogue lines one by one
or from a file, note discrepancies, complete or cancel. Scans swap only the work area (htmx)."""

from __future__ import annotations

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from archive.api.deps import CurrentActor, DbSession
from archive.api.uploads import saved_upload
from archive.identifiers import parse_date
from archive.services import handover, handover_catalogue
from archive.services.handover_lines import ItemIn
from archive.web.forms import FormError, attempt, outcome
from archive.web.handovers import BATCH_TEMPLATE, ScanView, batch_page
from archive.web.templating import hx_redirect, render

router = APIRouter()


def _int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None


@router.post("/handovers/{batch_id}/receive")
def receive(
    request: Request,
    batch_id: int,
    session: DbSession,
    actor: CurrentActor,
    scanned: str = Form(""),
) -> Response:
    """One scan: the matching line is received, an unknown code is recorded as an extra file."""
    result, error = outcome(
        session, lambda: handover.receive(session, actor, batch_id=batch_id, scanned=scanned)
    )
    scan = ScanView(scanned.strip(), result.item.file_code, result.matched) if result else None
    page = batch_page(session, actor, batch_id, scan=scan, scan_error=error)
    return render(request, BATCH_TEMPLATE, page, status=422 if error else 200, block="work")


def _line(
    file_code: str,
    title: str,
    box_number: str,
    sheet_count: str,
    start_date: str,
    end_date: str,
    ssn: str,
    full_name: str,
) -> ItemIn:
    """A typed line; a malformed date raises the catalogue's own refusal (identifier.date)."""
    return ItemIn(
        file_code=file_code,
        title=title,
        box_number=_int(box_number),
        sheet_count=_int(sheet_count),
        start_date=parse_date(start_date) if start_date.strip() else None,
        end_date=parse_date(end_date) if end_date.strip() else None,
        ssn=ssn.strip() or None,
        full_name=full_name,
    )


@router.post("/handovers/{batch_id}/items")
def add_item(
    request: Request,
    batch_id: int,
    session: DbSession,
    actor: CurrentActor,
    file_code: str = Form(""),
    title: str = Form(""),
    box_number: str = Form(""),
    sheet_count: str = Form(""),
    start_date: str = Form(""),
    end_date: str = Form(""),
    ssn: str = Form(""),
    full_name: str = Form(""),
) -> Response:
    error = attempt(
        session,
        lambda: handover.add_item(
            session,
            actor,
            batch_id=batch_id,
            data=_line(
                file_code, title, box_number, sheet_count, start_date, end_date, ssn, full_name
            ),
        ),
    )
    if error is None:
        return hx_redirect(request, f"/handovers/{batch_id}")
    line = {
        "file_code": file_code,
        "title": title,
        "box_number": box_number,
        "sheet_count": sheet_count,
        "start_date": start_date,
        "end_date": end_date,
        "ssn": ssn,
        "full_name": full_name,
    }
    return render(
        request,
        BATCH_TEMPLATE,
        batch_page(session, actor, batch_id, error=error, line=line),
        status=422,
    )


@router.post("/handovers/{batch_id}/catalogue")
def load_catalogue(
    request: Request,
    batch_id: int,
    session: DbSession,
    actor: CurrentActor,
    file: UploadFile = File(...),
) -> Response:
    """Every line of a catalogue file, all or nothing (bad rows are listed, nothing added)."""
    filename = file.filename or "catalogue.csv"
    with saved_upload(file) as path:
        error = attempt(
            session,
            lambda: handover_catalogue.load_catalogue(
                session, actor, batch_id=batch_id, source=path, filename=filename
            ),
        )
    if error is None:
        return hx_redirect(request, f"/handovers/{batch_id}")
    return render(
        request, BATCH_TEMPLATE, batch_page(session, actor, batch_id, error=error), status=422
    )


@router.post("/handovers/{batch_id}/items/{item_id}/discrepancy")
def record_discrepancy(
    request: Request,
    batch_id: int,
    item_id: int,
    session: DbSession,
    actor: CurrentActor,
    text: str = Form(""),
) -> Response:
    error = attempt(
        session,
        lambda: handover.record_discrepancy(
            session, actor, batch_id=batch_id, item_id=item_id, text=text
        ),
    )
    if error is None:
        return hx_redirect(request, f"/handovers/{batch_id}#item-{item_id}")
    return render(
        request, BATCH_TEMPLATE, batch_page(session, actor, batch_id, error=error), status=422
    )


def _closing(
    request: Request,
    batch_id: int,
    error: FormError | None,
    ok: str,
    session: DbSession,
    actor: CurrentActor,
) -> Response:
    if error is None:
        return hx_redirect(request, f"/handovers/{batch_id}?ok={ok}")
    return render(
        request, BATCH_TEMPLATE, batch_page(session, actor, batch_id, error=error), status=422
    )


@router.post("/handovers/{batch_id}/complete")
def complete(request: Request, batch_id: int, session: DbSession, actor: CurrentActor) -> Response:
    """Register the received files, mark the rest missing, close the batch."""
    error = attempt(session, lambda: handover.complete(session, actor, batch_id=batch_id))
    return _closing(request, batch_id, error, "handover.completed", session, actor)


@router.post("/handovers/{batch_id}/cancel")
def cancel(
    request: Request, batch_id: int, session: DbSession, actor: CurrentActor, reason: str = Form("")
) -> Response:
    error = attempt(
        session, lambda: handover.cancel(session, actor, batch_id=batch_id, reason=reason)
    )
    return _closing(request, batch_id, error, "handover.cancelled", session, actor)

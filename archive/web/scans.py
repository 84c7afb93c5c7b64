"""Scanning pages: upload a batch, follow its progress live, and place the pages no cover sheet
placed (the unassigned tray). Review and single pages are in `scan_review`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session

from archive.api.deps import CurrentActor, DbSession, get_runtime
from archive.api.uploads import page_enqueuer, saved_uploads
from archive.models import Office, ScanBatch
from archive.permissions import Actor, Perm
from archive.services import files as file_service
from archive.services import offices, pages, scan_batches, scan_intake
from archive.services.pages import PageView
from archive.services.scan_batches import BatchProgress
from archive.web.forms import FormError, attempt, notice, outcome
from archive.web.templating import hx_redirect, render
from scanners.storage import OriginalStore

router = APIRouter()
ACCEPT = ".pdf,.tif,.tiff,.png,.jpg,.jpeg"
RECENT = 10


@dataclass(frozen=True)
class ScansPage:
    offices: list[Office]
    office_id: int | None
    recent: list[BatchProgress]
    can_upload: bool
    can_see_pages: bool
    review_count: int
    accept: str = ACCEPT
    error: FormError | None = None
    form: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class BatchPage:
    batch: BatchProgress
    can_see_pages: bool

    @property
    def finished(self) -> bool:
        return self.batch.status == "done"


@dataclass(frozen=True)
class TrayPage:
    offices: list[Office]
    office_id: int | None
    pages: list[PageView]
    can_move: bool
    ok: str | None = None
    error: FormError | None = None
    hint: str | None = None  # a UI label key (nothing chosen), not a refusal of the service
    form: dict[str, str] = field(default_factory=dict)
    chosen: frozenset[int] = frozenset()


def scans_page(
    session: Session,
    actor: Actor,
    *,
    error: FormError | None = None,
    form: dict[str, str] | None = None,
) -> ScansPage:
    form = form or {}
    office_id = int(form["office_id"]) if form.get("office_id") else actor.office_id
    return ScansPage(
        offices=offices.list_offices(session, actor),
        office_id=office_id,
        recent=[
            scan_batches.progress(session, actor, batch.id)
            for batch in scan_batches.recent(session, actor, limit=RECENT)
        ],
        can_upload=actor.has(Perm.SCAN),
        can_see_pages=actor.has(Perm.PERSONAL_DATA),
        review_count=pages.review_count(session, actor) if actor.has(Perm.PERSONAL_DATA) else 0,
        error=error,
        form=form,
    )


@router.get("/scans")
def show_scans(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    return render(request, "scans/scans.html", scans_page(session, actor))


def _receive(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    office_id: int,
    target: str,
    uploads: Sequence[UploadFile],
) -> ScanBatch:
    """The upload as one batch; a typed or scanned file code receives every page."""
    settings = get_runtime(request).settings
    with saved_uploads(uploads, limit_mb=settings.upload_max_mb) as incoming:
        file = (
            file_service.get_by_code(session, actor, office_id=office_id, code=target)
            if target.strip()
            else None
        )
        return scan_intake.receive(
            session,
            actor,
            office_id=office_id,
            documents=incoming,
            store=OriginalStore(settings.originals_dir),
            target_file_id=file.id if file else None,
            queue=page_enqueuer(request),
        )


@router.post("/scans")
def upload_scans(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    office_id: int = Form(...),
    target: str = Form(""),
    files: list[UploadFile] | None = File(None),
) -> Response:
    """Take the uploaded documents in as one batch, then follow its progress."""
    uploads = [upload for upload in files or [] if upload.filename]
    batch, error = outcome(
        session,
        lambda: _receive(
            request, session, actor, office_id=office_id, target=target, uploads=uploads
        ),
    )
    if batch is not None:
        return hx_redirect(request, f"/scans/{batch.id}")
    form = {"office_id": str(office_id), "target": target}
    return render(
        request, "scans/scans.html", scans_page(session, actor, error=error, form=form), status=422
    )


@router.get("/scans/{batch_id:int}")
def show_batch(
    request: Request, batch_id: int, session: DbSession, actor: CurrentActor
) -> Response:
    """The batch's progress; htmx polls the `progress` block every second until it is done."""
    page = BatchPage(
        batch=scan_batches.progress(session, actor, batch_id),
        can_see_pages=actor.has(Perm.PERSONAL_DATA),
    )
    return render(request, "scans/batch.html", page, block="progress")


def tray_page(
    session: Session,
    actor: Actor,
    office_id: int | None,
    *,
    ok: str | None = None,
    error: FormError | None = None,
    hint: str | None = None,
    form: dict[str, str] | None = None,
    chosen: Sequence[int] = (),
) -> TrayPage:
    office = office_id or actor.office_id
    return TrayPage(
        offices=offices.list_offices(session, actor),
        office_id=office,
        pages=pages.tray(session, actor, office_id=office),
        can_move=actor.has(Perm.SCAN),
        ok=notice(ok),
        error=error,
        hint=hint,
        form=form or {},
        chosen=frozenset(chosen),
    )


@router.get("/scans/tray")
def show_tray(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    office_id: int | None = None,
    ok: str | None = None,
) -> Response:
    """Pages of finished batches that no cover sheet placed, as thumbnails to choose from."""
    return render(request, "scans/tray.html", tray_page(session, actor, office_id, ok=ok))


@router.post("/scans/tray/move")
def move_from_tray(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    office_id: int = Form(...),
    target: str = Form(""),
    page_ids: list[int] | None = Form(None),
) -> Response:
    """Move the chosen pages to the end of the file scanned or typed as the target."""
    form = {"target": target}
    chosen = page_ids or []
    if not chosen:
        page = tray_page(session, actor, office_id, hint="tray.none_chosen", form=form)
        return render(request, "scans/tray.html", page, status=422)
    error = attempt(
        session,
        lambda: pages.move(
            session,
            actor,
            page_ids=chosen,
            to_file_id=file_service.get_by_code(
                session, actor, office_id=office_id, code=target
            ).id,
        ),
    )
    if error is None:
        return hx_redirect(request, f"/scans/tray?office_id={office_id}&ok=pages.moved")
    page = tray_page(session, actor, office_id, error=error, form=form, chosen=chosen)
    return render(request, "scans/tray.html", page, status=422)

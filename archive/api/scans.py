"""Scans: intake (upload), batch progress, cover sheets, and the searchable PDF of a file."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel
from starlette.background import BackgroundTask

from archive.api.deps import CurrentActor, DbSession, get_runtime
from archive.api.schemas import ERRORS
from archive.api.uploads import page_enqueuer, saved_uploads
from archive.services import scan_batches, scan_exports, scan_intake
from archive.services.scan_batches import BatchProgress
from scanners.storage import OriginalStore

router = APIRouter(tags=["scans"], responses=ERRORS)
PDF = "application/pdf"


class BatchFileOut(BaseModel):
    file_id: int
    code: str
    title: str
    pages: int


class PageErrorOut(BaseModel):
    page_id: int
    batch_seq: int
    code: str


class BatchOut(BaseModel):
    """A scan batch: `pages_done` + `pages_failed` of `pages_new` are processed; pages already
    stored by an earlier intake are `pages_known` (linked, not stored again)."""

    id: int
    office_id: int
    source: str
    label: str
    status: str
    percent: int
    created_at: datetime
    finished_at: datetime | None
    pages_total: int
    pages_new: int
    pages_known: int
    pages_done: int
    pages_failed: int
    covers: int
    blank: int
    unassigned: int
    needs_review: int
    files: list[BatchFileOut]
    errors: list[PageErrorOut]
    documents: list[str]
    status_url: str


def batch_out(progress: BatchProgress) -> BatchOut:
    return BatchOut(
        **{key: value for key, value in vars(progress).items() if key not in ("files", "errors")},
        percent=progress.percent,
        files=[BatchFileOut(**vars(f)) for f in progress.files],
        errors=[PageErrorOut(**vars(e)) for e in progress.errors],
        status_url=f"/api/v1/scans/{progress.id}",
    )


@router.post("/scans", status_code=202, responses={202: {"model": BatchOut}})
def upload_scans(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    office_id: int = Form(..., description="The office whose archive receives the pages"),
    file_id: int | None = Form(
        None, description="Put every page in this file (unless a cover sheet says otherwise)"
    ),
    files: list[UploadFile] = File(..., description="PDF, TIFF (multi-page), PNG or JPEG"),
) -> JSONResponse:
    """Take scanned documents in as one batch: each is checked (a bad one refuses all, nothing
    stored), kept byte for byte, and its pages queued for reading; follow `status_url`."""
    settings = get_runtime(request).settings
    with saved_uploads(files, limit_mb=settings.upload_max_mb) as incoming:
        batch = scan_intake.receive(
            session,
            actor,
            office_id=office_id,
            documents=incoming,
            store=OriginalStore(settings.originals_dir),
            target_file_id=file_id,
            queue=page_enqueuer(request),
        )
    session.flush()
    body = batch_out(scan_batches.progress(session, actor, batch.id))
    return JSONResponse(
        body.model_dump(mode="json"), status_code=202, headers={"Location": body.status_url}
    )


@router.get("/scans/{scan_id}")
def get_batch(scan_id: int, session: DbSession, actor: CurrentActor) -> BatchOut:
    """A batch's progress; once done, the files its pages went to and what is unassigned."""
    return batch_out(scan_batches.progress(session, actor, scan_id))


@router.get("/scans")
def list_batches(
    session: DbSession, actor: CurrentActor, limit: int = Query(20, ge=1, le=200)
) -> list[BatchOut]:
    """The latest batches of the offices the caller can see."""
    return [
        batch_out(scan_batches.progress(session, actor, batch.id))
        for batch in scan_batches.recent(session, actor, limit=limit)
    ]


class CoverSheetsIn(BaseModel):
    file_ids: list[int]


def _pdf(content: bytes, filename: str) -> Response:
    return Response(
        content, media_type=PDF, headers={"Content-Disposition": f'inline; filename="{filename}"'}
    )


@router.post("/cover-sheets", response_class=Response, responses={200: {"content": {PDF: {}}}})
def print_cover_sheets(body: CoverSheetsIn, session: DbSession, actor: CurrentActor) -> Response:
    """Cover sheets (A4 PDF, one per file, in the order given) to put on top of each file."""
    return _pdf(scan_exports.cover_sheets(session, actor, file_ids=body.file_ids), "to-bia.pdf")


@router.get(
    "/files/{file_id}/cover-sheet.pdf",
    response_class=Response,
    responses={200: {"content": {PDF: {}}}},
)
def file_cover_sheet(file_id: int, session: DbSession, actor: CurrentActor) -> Response:
    """The cover sheet of one file."""
    return _pdf(scan_exports.cover_sheets(session, actor, file_ids=[file_id]), "to-bia.pdf")


@router.get(
    "/boxes/{box_id}/cover-sheets.pdf",
    response_class=Response,
    responses={200: {"content": {PDF: {}}}},
)
def box_cover_sheets(box_id: int, session: DbSession, actor: CurrentActor) -> Response:
    """Cover sheets of every file in a box, in shelf order."""
    return _pdf(scan_exports.box_cover_sheets(session, actor, box_id=box_id), "to-bia-hop.pdf")


@router.get(
    "/files/{file_id}/scans.pdf",
    response_class=FileResponse,
    responses={200: {"content": {PDF: {}}}},
)
def file_scans_pdf(
    request: Request, file_id: int, session: DbSession, actor: CurrentActor
) -> FileResponse:
    """The file's pages as one searchable PDF: the stored originals with an invisible text
    layer (the two-layer PDF of the digitisation standard)."""
    settings = get_runtime(request).settings
    folder = Path(tempfile.mkdtemp(prefix="archive-pdf-"))
    path = folder / "scans.pdf"
    try:
        with path.open("wb") as out:
            code = scan_exports.file_scans_pdf(
                session,
                actor,
                file_id=file_id,
                originals=OriginalStore(settings.originals_dir),
                out=out,
            )
    except BaseException:
        _remove(folder)
        raise
    return FileResponse(
        path,
        media_type=PDF,
        filename=f"{code}.pdf",
        background=BackgroundTask(_remove, folder),
    )


def _remove(folder: Path) -> None:
    for child in folder.iterdir():
        child.unlink()
    folder.rmdir()

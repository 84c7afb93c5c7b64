"""Catalogue imports (dry run, or a real run: at once, or queued as a job) and job progress."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from archive.api.deps import CurrentActor, DbSession, get_runtime
from archive.api.schemas import ERRORS
from archive.api.uploads import import_enqueuer, saved_upload
from archive.services import imports, jobs
from archive.services.imports import ImportReport

router = APIRouter(tags=["imports"], responses=ERRORS)


class RowErrorOut(BaseModel):
    row: int
    column: str
    value: str
    code: str
    message_vi: str
    message_en: str


class ImportOut(BaseModel):
    """The report of a dry run or of a finished import; `errors` lists every bad row."""

    filename: str
    source_sha256: str
    rows: int
    dry_run: bool
    ok: bool
    created: int
    people_created: int
    employers_created: int
    first_barcode: str | None
    last_barcode: str | None
    error_count: int
    errors: list[RowErrorOut]


class QueuedOut(BaseModel):
    job_id: int
    status_url: str


class JobOut(BaseModel):
    id: int
    kind: str
    status: str
    done: int
    total: int
    error_code: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    result: dict[str, Any]


def _report(report: ImportReport) -> ImportOut:
    summary = report.summary()
    return ImportOut(**{**summary, "ok": report.ok})


@router.post(
    "/imports",
    responses={200: {"model": ImportOut}, 201: {"model": ImportOut}, 202: {"model": QueuedOut}},
)
def import_catalogue(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    office_id: int = Form(..., description="The office whose register receives the files"),
    series_id: int = Form(..., description="The series of files without a Loại hồ sơ column"),
    dry_run: bool = Form(
        default=True, description="Only check: report every bad row, write nothing"
    ),
    file: UploadFile = File(
        ..., description="CSV or XLSX with Vietnamese (or English) column headers"
    ),
) -> JSONResponse:
    """Check (dry run: 200 with every bad row) or import a catalogue, all or nothing: 201 with the
    result for a small file, 202 with a job to follow for a large one; bad rows → 422 problem."""
    filename = file.filename or "catalogue.csv"
    settings = get_runtime(request).settings
    with saved_upload(file) as path:
        if dry_run:
            report = imports.dry_run(
                session,
                actor,
                office_id=office_id,
                series_id=series_id,
                source=path,
                filename=filename,
            )
            return JSONResponse(_report(report).model_dump(mode="json"), status_code=200)
        submitted = imports.submit_import(
            session,
            actor,
            office_id=office_id,
            series_id=series_id,
            source=path,
            filename=filename,
            data_dir=settings.data_dir,
            threshold=settings.import_job_threshold,
            enqueue=import_enqueuer(request),
        )
    if submitted.report is not None:
        return JSONResponse(_report(submitted.report).model_dump(mode="json"), status_code=201)
    assert submitted.job_id is not None
    url = f"/api/v1/jobs/{submitted.job_id}"
    body = QueuedOut(job_id=submitted.job_id, status_url=url).model_dump()
    return JSONResponse(body, status_code=202, headers={"Location": url})


@router.get("/jobs/{job_id}", tags=["jobs"])
def get_job(job_id: int, session: DbSession, actor: CurrentActor) -> JobOut:
    """A background job: status, progress (done of total) and its result."""
    job = jobs.get_job(session, actor, job_id)
    return JobOut(
        id=job.id,
        kind=job.kind,
        status=job.status,
        done=job.done,
        total=job.total,
        error_code=job.error_code,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        result=jobs.result_of(job),
    )

"""Import a catalogue (CSV/XLSX) into an office's register: a dry run lists every bad row and
writes nothing; a clean file is then imported at once, or as a job whose progress the page polls."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session

from archive.api.deps import CurrentActor, DbSession, get_runtime
from archive.api.uploads import import_enqueuer, saved_upload
from archive.errors import NotFound
from archive.models import Job, Office
from archive.permissions import Actor, Perm
from archive.services import imports, jobs, offices
from archive.services import series as series_service
from archive.services.imports import ImportReport
from archive.services.series import SeriesView
from archive.web.forms import FormError, outcome
from archive.web.templating import hx_redirect, render

router = APIRouter()
TEMPLATE = "imports/import.html"
# A kept upload is named by its content: data_dir/imports/<sha256>.<ext> (imports.store_source).
SOURCE_TOKEN = re.compile(r"^[0-9a-f]{64}\.(csv|xlsx)$")


@dataclass(frozen=True)
class ReportRow:
    row: int
    column: str
    value: str
    message_vi: str
    message_en: str


@dataclass(frozen=True)
class ImportPage:
    offices: list[Office]
    series: list[SeriesView]
    office_id: int | None
    series_id: int | None
    can_import: bool
    filename: str = ""
    checked_rows: int | None = None  # rows of a dry run
    bad_rows: list[ReportRow] = field(default_factory=list)
    bad_row_count: int = 0  # rows with at least one error (a row may have several)
    source_token: str = ""  # a clean dry run's kept file, for the confirm form
    imported: ImportReport | None = None
    error: FormError | None = None


@dataclass(frozen=True)
class JobPage:
    job: Job
    result: dict[str, Any]
    bad_rows: list[ReportRow]

    @property
    def finished(self) -> bool:
        return self.job.status in jobs.TERMINAL

    @property
    def percent(self) -> float:
        if self.job.status == "done":
            return 100.0
        return round(100 * self.job.done / self.job.total, 1) if self.job.total else 0.0


def _rows(errors: list[dict[str, Any]]) -> list[ReportRow]:
    return [
        ReportRow(
            int(e.get("row", 0)),
            str(e.get("column", "")),
            str(e.get("value", "")),
            str(e.get("message_vi") or e.get("message", "")),
            str(e.get("message_en") or e.get("message", "")),
        )
        for e in errors
    ]


def import_page(
    session: Session,
    actor: Actor,
    *,
    office_id: int | None = None,
    series_id: int | None = None,
    **extra: Any,
) -> ImportPage:
    return ImportPage(
        offices=offices.list_offices(session, actor),
        series=series_service.list_series(session, actor),
        office_id=office_id or actor.office_id,
        series_id=series_id,
        can_import=actor.has(Perm.IMPORT),
        **extra,
    )


@router.get("/imports")
def show_imports(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    return render(request, TEMPLATE, import_page(session, actor))


@router.post("/imports")
def check_upload(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    office_id: int = Form(...),
    series_id: int = Form(...),
    file: UploadFile = File(...),
) -> Response:
    """The dry run: every bad row, nothing written; a clean file is kept for the real run."""
    filename = file.filename or "catalogue.csv"
    data_dir = get_runtime(request).settings.data_dir
    with saved_upload(file) as path:
        report, error = outcome(
            session,
            lambda: imports.dry_run(
                session,
                actor,
                office_id=office_id,
                series_id=series_id,
                source=path,
                filename=filename,
            ),
        )
        token = imports.store_source(path, filename, data_dir).name if report and report.ok else ""
    extra: dict[str, Any] = {"filename": filename, "error": error, "source_token": token}
    if report is not None:
        extra.update(
            checked_rows=report.rows,
            bad_row_count=len({e.row for e in report.errors}),
            bad_rows=_rows([e.as_dict() for e in report.errors[: imports.MAX_REPORTED_ERRORS]]),
        )
    page = import_page(session, actor, office_id=office_id, series_id=series_id, **extra)
    return render(request, TEMPLATE, page, status=422 if error or page.bad_row_count else 200)


@router.post("/imports/run")
def run_import(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    office_id: int = Form(...),
    series_id: int = Form(...),
    source_token: str = Form(""),
    filename: str = Form(""),
) -> Response:
    """The real run of a checked file: small ones at once, large ones as a job (progress page)."""
    if not SOURCE_TOKEN.match(source_token):
        raise NotFound("import.source_missing")
    settings = get_runtime(request).settings
    source = settings.data_dir / "imports" / source_token
    if not source.is_file():
        raise NotFound("import.source_missing")
    submitted, error = outcome(
        session,
        lambda: imports.submit_import(
            session,
            actor,
            office_id=office_id,
            series_id=series_id,
            source=source,
            filename=filename,
            data_dir=settings.data_dir,
            threshold=settings.import_job_threshold,
            enqueue=import_enqueuer(request),
        ),
    )
    if submitted is not None and submitted.job_id is not None:
        return hx_redirect(request, f"/imports/jobs/{submitted.job_id}")
    extra: dict[str, Any] = {
        "filename": filename,
        "error": error,
        "imported": submitted.report if submitted else None,
    }
    if error is not None:
        extra.update(
            bad_rows=_rows(error.rows), bad_row_count=len({r.get("row") for r in error.rows})
        )
    page = import_page(session, actor, office_id=office_id, series_id=series_id, **extra)
    return render(request, TEMPLATE, page, status=422 if error else 200)


@router.get("/imports/jobs/{job_id}")
def show_job(request: Request, job_id: int, session: DbSession, actor: CurrentActor) -> Response:
    """The job's progress; htmx polls the `job` block every second until it ends."""
    job = jobs.get_job(session, actor, job_id)
    result = jobs.result_of(job)
    page = JobPage(job=job, result=result, bad_rows=_rows(list(result.get("errors", []))))
    return render(request, "imports/job.html", page, block="job")

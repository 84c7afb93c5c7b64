"""Catalogue import into the register: a dry run that lists every bad row, and a real run that
writes everything or nothing, fast enough for 400,000 rows (issue 2, item 6).

Progress is reported as (stage, done, total) in row units over two stages: reading and checking
the rows counts the first `rows`, writing them the second `rows`."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from archive import catalogue as cat
from archive.catalogue import Catalogue, RowError
from archive.catalogue.bulk import paused_gc
from archive.catalogue.reader import file_format, sha256_of
from archive.db import after_commit
from archive.errors import InvalidRows, NotFound
from archive.models import Office, Series
from archive.permissions import Actor, Perm, require, require_office
from archive.services import audit, import_writes, jobs
from archive.services.import_checks import Checked, check

Progress = Callable[[str, int, int], None]
MAX_REPORTED_ERRORS = 1000
IMPORT_JOB = "import"


@dataclass
class ImportReport:
    """What an import found or did; `errors` lists every bad row (empty when it went through)."""

    filename: str
    source_sha256: str
    rows: int
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = True
    created: int = 0
    people_created: int = 0
    employers_created: int = 0
    first_barcode: str | None = None
    last_barcode: str | None = None
    job_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, Any]:
        """Plain data for a job's result (at most 1,000 errors; `error_count` has them all)."""
        return {
            "filename": self.filename,
            "source_sha256": self.source_sha256,
            "rows": self.rows,
            "dry_run": self.dry_run,
            "created": self.created,
            "people_created": self.people_created,
            "employers_created": self.employers_created,
            "first_barcode": self.first_barcode,
            "last_barcode": self.last_barcode,
            "error_count": len(self.errors),
            "errors": [e.as_dict() for e in self.errors[:MAX_REPORTED_ERRORS]],
        }


def _authorise(
    session: Session, actor: Actor, office_id: int, series_id: int
) -> tuple[Office, Series]:
    require(actor, Perm.IMPORT)
    require_office(actor, office_id)
    office = session.get(Office, office_id)
    if office is None:
        raise NotFound("office.not_found", office_id=office_id)
    series = session.get(Series, series_id)
    if series is None:
        raise NotFound("series.not_found", code=series_id)
    return office, series


def read(source: Path, filename: str, *, progress: Progress | None = None) -> Catalogue:
    """Read and check a catalogue file without the database (the first half of the progress)."""

    def reading(done: int, total: int) -> None:
        if progress is not None:
            progress("read", done, 2 * total)

    return cat.load(source, filename, progress=reading)


def check_catalogue(
    session: Session, actor: Actor, *, office_id: int, series_id: int, catalogue: Catalogue
) -> ImportReport:
    """Every bad row of an already read catalogue, against the register; writes nothing."""
    office, series = _authorise(session, actor, office_id, series_id)
    with paused_gc():
        checked = check(session, office, series, catalogue)
    return ImportReport(
        catalogue.filename, catalogue.sha256, len(catalogue.rows), _all_errors(catalogue, checked)
    )


def dry_run(
    session: Session,
    actor: Actor,
    *,
    office_id: int,
    series_id: int,
    source: Path,
    filename: str,
    progress: Progress | None = None,
) -> ImportReport:
    """Check a catalogue file against the register and report every bad row; writes nothing.

    Refuses (raises) only what stops reading: format, header, empty or unreadable file."""
    _authorise(session, actor, office_id, series_id)
    catalogue = read(source, filename, progress=progress)
    return check_catalogue(
        session, actor, office_id=office_id, series_id=series_id, catalogue=catalogue
    )


def run_import(
    session: Session,
    actor: Actor,
    *,
    office_id: int,
    series_id: int,
    source: Path,
    filename: str,
    progress: Progress | None = None,
    job_id: int | None = None,
) -> ImportReport:
    """Import a catalogue file into the office's register, all or nothing, in the caller's
    transaction; refuses (InvalidRows, nothing written) if any row is bad."""
    _authorise(session, actor, office_id, series_id)
    catalogue = read(source, filename, progress=progress)
    return import_catalogue(
        session,
        actor,
        office_id=office_id,
        series_id=series_id,
        catalogue=catalogue,
        progress=progress,
        job_id=job_id,
    )


def import_catalogue(
    session: Session,
    actor: Actor,
    *,
    office_id: int,
    series_id: int,
    catalogue: Catalogue,
    progress: Progress | None = None,
    job_id: int | None = None,
) -> ImportReport:
    """Re-check an already read catalogue against the register and write it, all or nothing;
    refuses (InvalidRows, nothing written) if any row is bad."""
    office, series = _authorise(session, actor, office_id, series_id)
    with paused_gc():
        checked = check(session, office, series, catalogue)
        errors = _all_errors(catalogue, checked)
        if errors:
            raise InvalidRows([e.as_dict() for e in errors])
        total = len(catalogue.rows)

        def writing(done: int) -> None:
            if progress is not None:
                progress("write", total + done, 2 * total)

        written = import_writes.write(session, catalogue.rows, checked, writing)
    report = ImportReport(
        catalogue.filename,
        catalogue.sha256,
        total,
        dry_run=False,
        created=written.files,
        people_created=written.people,
        employers_created=written.employers,
        first_barcode=written.first_barcode,
        last_barcode=written.last_barcode,
        job_id=job_id,
    )
    audit.record(
        session,
        actor,
        "import.completed",
        object_type="import",
        object_id=job_id,
        office_id=office.id,
        changes={
            "files": [None, report.created],
            "source_sha256": [None, catalogue.sha256],
            "filename": [None, catalogue.filename],
            "people": [None, written.people],
        },
    )
    return report


def _all_errors(catalogue: Catalogue, checked: Checked) -> list[RowError]:
    return sorted([*catalogue.errors, *checked.errors], key=lambda e: e.row)


def store_source(source: Path, filename: str, data_dir: Path) -> Path:
    """Keep an uploaded catalogue as data_dir/imports/<sha256>.<ext> (kept once per content)."""
    ext = "xlsx" if file_format(source, filename) == "xlsx" else "csv"
    target = data_dir / "imports" / f"{sha256_of(source)}.{ext}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        shutil.copyfile(source, partial)
        partial.replace(target)
    return target


@dataclass
class Submitted:
    """A submitted import: run at once (`report`) or queued as a job (`job_id`)."""

    report: ImportReport | None = None
    job_id: int | None = None


def submit_import(
    session: Session,
    actor: Actor,
    *,
    office_id: int,
    series_id: int,
    source: Path,
    filename: str,
    data_dir: Path,
    threshold: int,
    enqueue: Callable[[int], None],
) -> Submitted:
    """Import a small catalogue now; keep a large one (more rows than `threshold`) under
    data_dir/imports and queue it as a job, enqueued once this transaction commits.

    Refuses at once a file without a header row; a small file with bad rows raises InvalidRows."""
    _authorise(session, actor, office_id, series_id)
    stored = store_source(source, filename, data_dir)
    with cat.open_sheet(stored, filename) as sheet:
        estimate = sheet.estimated_rows
    if estimate <= threshold:
        return Submitted(
            report=run_import(
                session,
                actor,
                office_id=office_id,
                series_id=series_id,
                source=stored,
                filename=filename,
            )
        )
    params = {
        "office_id": office_id,
        "series_id": series_id,
        "source": str(stored),
        "filename": filename,
        "actor": jobs.actor_params(actor),
    }
    job = jobs.create_job(
        session, actor, kind=IMPORT_JOB, office_id=office_id, params=params, total=2 * estimate
    )
    job_id = job.id
    after_commit(session, lambda: enqueue(job_id))
    return Submitted(job_id=job_id)

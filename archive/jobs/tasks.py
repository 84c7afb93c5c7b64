"""The project's tasks, registered on a huey instance by a factory (no import-time queue).

A task receives only a job id; it claims the job (so a job delivered twice runs once), does the
work in its own transactions with a Runtime built from Settings, and ends the job with a typed
outcome stored on the job row."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from huey import Huey

from archive.db import transaction
from archive.errors import ArchiveError, InvalidRows
from archive.runtime import Runtime
from archive.services import imports, jobs
from archive.settings import Settings

IMPORT_TASK = "archive.import_catalogue"
MAX_STORED_ERRORS = 1000
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Done:
    job_id: int


@dataclass(frozen=True)
class Skipped:
    """The job was not queued any more (done, failed or taken by another worker)."""

    job_id: int


@dataclass(frozen=True)
class Failed:
    job_id: int
    code: str


Outcome = Done | Skipped | Failed


@dataclass(frozen=True)
class Tasks:
    """The registered tasks of one huey instance; calling a task enqueues it."""

    huey: Huey
    import_catalogue: Any

    def enqueue_import(self, job_id: int) -> None:
        """Queue the import job `job_id` for a worker."""
        self.import_catalogue(job_id)


def register_tasks(huey: Huey, settings: Settings) -> Tasks:
    """Register the project's tasks on `huey`; each builds its Runtime from `settings`."""

    @huey.task(name=IMPORT_TASK)  # type: ignore[untyped-decorator]
    def import_catalogue(job_id: int) -> None:
        outcome = run_import_job(settings, job_id)
        log.info("import job %s: %s", job_id, outcome)

    return Tasks(huey=huey, import_catalogue=import_catalogue)


def run_import_job(settings: Settings, job_id: int) -> Outcome:
    """Run import job `job_id` once: read the file outside any transaction (progress live),
    then check and write it in one transaction that also marks the job done."""
    runtime = Runtime(settings)
    try:
        with transaction(runtime.sessions) as session:
            job = jobs.claim(session, job_id)
            params = jobs.params_of(job) if job is not None else None
        if params is None:
            return Skipped(job_id)
        return _import(runtime, job_id, params)
    finally:
        runtime.dispose()


def _import(runtime: Runtime, job_id: int, params: dict[str, Any]) -> Outcome:
    actor = jobs.actor_from_params(params["actor"])
    progress = jobs.JobProgress(runtime.sessions, job_id)
    try:
        catalogue = imports.read(Path(params["source"]), params["filename"], progress=progress)
        with transaction(runtime.sessions) as session:
            report = imports.import_catalogue(
                session,
                actor,
                office_id=params["office_id"],
                series_id=params["series_id"],
                catalogue=catalogue,
                progress=progress,
                job_id=job_id,
            )
            jobs.finish(session, job_id, result=report.summary())
        return Done(job_id)
    except InvalidRows as err:
        result = {"error_count": len(err.errors), "errors": err.errors[:MAX_STORED_ERRORS]}
        return _fail(runtime, job_id, err.code, result)
    except ArchiveError as err:
        return _fail(runtime, job_id, err.code, {"params": err.params})
    except Exception:
        _fail(runtime, job_id, "internal", {})
        raise


def _fail(runtime: Runtime, job_id: int, code: str, result: dict[str, Any]) -> Failed:
    with transaction(runtime.sessions) as session:
        jobs.fail(session, job_id, error_code=code, result=result)
    return Failed(job_id, code)

"""The project's tasks, registered on a huey instance by a factory (no import-time queue).

A task receives only a job id; it claims the job (so a job delivered twice runs once), does the
work in its own transactions with a Runtime built from Settings, and ends the job with a typed
outcome stored on the job row."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from huey import Huey, crontab

from archive.clock import local_today
from archive.db import transaction
from archive.errors import ArchiveError, InvalidRows
from archive.jobs import scan_tasks
from archive.jobs.queue import make_queue
from archive.permissions import Actor
from archive.runtime import Runtime
from archive.services import imports, jobs, overdue, reading_desk
from archive.services.imports import IMPORT_JOB
from archive.services.overdue import OverduePolicy, OverdueRun
from archive.services.reading_desk import StillOut
from archive.settings import Settings

IMPORT_TASK = "archive.import_catalogue"
PAGE_TASK = "archive.process_page"
INDEX_TASK = "archive.index_writer"
RECOVER_TASK = "archive.recover_stale_jobs"
FOLDER_TASK = "archive.poll_scan_folders"
OVERDUE_TASK = "archive.mark_overdue_loans"
READING_ROOM_TASK = "archive.flag_reading_room_files"
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
    process_page: Any
    index_writer: Any

    def enqueue_import(self, job_id: int) -> None:
        """Queue the import job `job_id` for a worker."""
        self.import_catalogue(job_id)

    def enqueue_pages(self, page_ids: list[int]) -> None:
        """Queue one task per page (workers take them in parallel, one page each)."""
        for page_id in page_ids:
            self.process_page(page_id)

    def enqueue_index(self) -> None:
        """Queue the index writer (it drains whatever the outbox holds)."""
        self.index_writer()


def register_tasks(huey: Huey, settings: Settings) -> Tasks:
    """Register the project's tasks on `huey`; each builds its Runtime from `settings`."""

    @huey.task(name=IMPORT_TASK)  # type: ignore[untyped-decorator]
    def import_catalogue(job_id: int) -> None:
        outcome = run_import_job(settings, job_id)
        log.info("import job %s: %s", job_id, outcome)

    @huey.task(name=PAGE_TASK)  # type: ignore[untyped-decorator]
    def process_page(page_id: int) -> None:
        outcome = scan_tasks.run_page(worker_runtime(), page_id)
        log.info("page %s: %s", page_id, outcome)

    @huey.task(name=INDEX_TASK, retries=1000)  # type: ignore[untyped-decorator]
    def index_writer() -> None:
        written = scan_tasks.run_index_writer(huey, worker_runtime())
        log.info("search index: %s files written", written)

    tasks = Tasks(
        huey=huey,
        import_catalogue=import_catalogue,
        process_page=process_page,
        index_writer=index_writer,
    )

    def worker_runtime() -> Runtime:
        return scan_tasks.wire_index_writer(scan_tasks.runtime_for(settings), tasks.enqueue_index)

    @huey.periodic_task(crontab(minute="*"), name=RECOVER_TASK)  # type: ignore[untyped-decorator]
    def recover() -> None:
        recover_stale_jobs(settings, tasks)
        recover_scans(settings, tasks, at_start=False)

    @huey.periodic_task(crontab(minute="*"), name=FOLDER_TASK)  # type: ignore[untyped-decorator]
    def poll_folders() -> None:
        picked = scan_tasks.poll_folders(worker_runtime(), tasks.enqueue_pages)
        if picked:
            log.info("hot folders: %s documents taken in", picked)

    @huey.periodic_task(crontab(minute="5"), name=OVERDUE_TASK)  # type: ignore[untyped-decorator]
    def overdue_loans() -> None:
        # Hourly rather than once a day: marking is idempotent per level, and a worker that was
        # down at dawn still marks the day's overdue loans as soon as it is back.
        run = mark_overdue_now(settings)
        if run.raised:
            log.info("overdue loans: %s raised a reminder level", run.raised)

    @huey.periodic_task(crontab(minute="*/15"), name=READING_ROOM_TASK)  # type: ignore[untyped-decorator]
    def reading_room_closing() -> None:
        # Every quarter hour: the check is idempotent, and whatever the closing time is set to,
        # files left out are flagged within 15 minutes of it.
        found = flag_still_out_now(settings)
        if found:
            log.info("reading room: %s files still out after closing", len(found))

    return tasks


def mark_overdue_now(settings: Settings) -> OverdueRun:
    """The daily overdue marking, for today in the archive's time zone."""
    runtime = scan_tasks.runtime_for(settings)
    with transaction(runtime.write_sessions) as session:
        return overdue.mark_overdue(
            session,
            Actor.system("overdue"),
            today=local_today(settings.timezone),
            policy=OverduePolicy(settings.overdue_level2_days, settings.overdue_level3_days),
        )


def flag_still_out_now(settings: Settings, *, now: datetime | None = None) -> list[StillOut]:
    """The reading room's closing-time check: files served on a day whose room has closed and
    not returned are flagged (once) and listed."""
    runtime = scan_tasks.runtime_for(settings)
    with transaction(runtime.write_sessions) as session:
        return reading_desk.flag_files_still_out(
            session,
            Actor.system("reading-room"),
            now=now or datetime.now(UTC),
            closes=settings.reading_room_closes,
            tz=settings.timezone,
        )


def recover_scans(settings: Settings, tasks: Tasks, *, at_start: bool) -> list[int]:
    """Queue again the pages a dead worker left (and, at start, all waiting pages); close the
    batches whose closer died; queue the index writer for anything left in the outbox."""
    pages, closed = scan_tasks.recover_pages(settings, at_start=at_start)
    if pages:
        log.warning("%s scanned pages queued again", len(pages))
        tasks.enqueue_pages(pages)
    if closed:
        log.warning("scan batches %s closed after their worker stopped", closed)
    tasks.enqueue_index()
    return pages


def recover_stale_jobs(settings: Settings, tasks: Tasks) -> list[int]:
    """Queue again the jobs a dead worker left running (their lease ran out); every worker runs
    this at start and each minute. Safe from several hosts at once: a job moves back to queued
    once, and a job delivered twice still runs once (claim)."""
    runtime = Runtime(settings)
    lease = timedelta(minutes=settings.job_lease_minutes)
    try:
        with transaction(runtime.sessions) as session:
            requeued = jobs.requeue_stale(session, lease=lease)
    finally:
        runtime.dispose()
    enqueue = {IMPORT_JOB: tasks.enqueue_import}
    for job_id, kind in requeued:
        log.warning("job %s (%s): its worker stopped; queued again", job_id, kind)
        enqueue[kind](job_id)
    return [job_id for job_id, _ in requeued]


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


class LazyTasks:
    """The app's handle on the queue: built on first use (most requests never queue anything)."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._tasks: Tasks | None = None

    @property
    def tasks(self) -> Tasks:
        if self._tasks is None:
            self._tasks = register_tasks(make_queue(self._settings), self._settings)
        return self._tasks

    def enqueue_import(self, job_id: int) -> None:
        self.tasks.enqueue_import(job_id)

    def enqueue_pages(self, page_ids: list[int]) -> None:
        self.tasks.enqueue_pages(page_ids)

    def enqueue_index(self) -> None:
        self.tasks.enqueue_index()

"""Import jobs: a real huey consumer (`archive worker`) runs a queued import to the end; a job runs
once; its progress and its failure are on the job row."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from archive.db import transaction
from archive.errors import Forbidden, NotFound
from archive.jobs import Done, Failed, Skipped, make_queue, register_tasks, run_import_job
from archive.models import AuditEvent, File, Job, Office, utcnow
from archive.services import imports, jobs
from archive.settings import Settings
from tests.archive.catalogue.samples import rows, write_csv
from tests.archive.jobs.conftest import Place
from tests.factories import archivist, make_layout, make_office
from tests.workers import kill_worker, start_worker, stop_worker

WORKER_REDIS_URL = (
    "redis://127.0.0.1:6379/14"  # not test_queue's database: they may run in parallel
)


def _submit(
    place: Place, path: Path, threshold: int | None = None, settings: Settings | None = None
) -> int:
    settings = settings or place.settings
    tasks = register_tasks(make_queue(settings), settings)
    with transaction(place.runtime.sessions) as session:
        submitted = imports.submit_import(
            session,
            archivist(place.office_id),
            office_id=place.office_id,
            series_id=place.series_id,
            source=path,
            filename=path.name,
            data_dir=place.settings.data_dir,
            threshold=place.settings.import_job_threshold if threshold is None else threshold,
            enqueue=tasks.enqueue_import,
        )
    assert submitted.job_id is not None and submitted.report is None
    return submitted.job_id


def _job(place: Place, job_id: int) -> Job:
    with transaction(place.runtime.sessions, write=False) as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def _files(place: Place) -> int:
    with transaction(place.runtime.sessions, write=False) as session:
        return session.scalar(select(func.count(File.id))) or 0


@pytest.mark.parametrize("queue", ["sqlite", "redis"])
def test_a_large_import_runs_to_the_end_on_a_realstart_worker(
    place: Place, tmp_path: Path, queue: str
) -> None:
    settings = place.settings
    if queue == "redis":
        settings = settings.model_copy(update={"queue_url": WORKER_REDIS_URL})
        make_queue(settings).flush()
    job_id = _submit(
        place, write_csv(tmp_path / "big.csv", rows(3000, per_box=80)), settings=settings
    )
    assert _job(place, job_id).status == "queued"
    worker = start_worker(settings)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job = _job(place, job_id)
            if job.status in jobs.TERMINAL:
                break
            time.sleep(0.05)
    finally:
        log = stop_worker(worker)
        make_queue(settings).flush()
    assert (job.status, job.error_code) == ("done", None), log
    assert job.done == job.total == 6000  # reading and writing, 3,000 rows each
    assert job.started_at is not None and job.finished_at is not None
    assert _files(place) == 3000
    result = jobs.result_of(job)
    assert (result["created"], result["people_created"], result["filename"]) == (
        3000,
        3000,
        "big.csv",
    )
    with transaction(place.runtime.sessions, write=False) as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "import.completed")
        ).one()
        assert (event.object_type, event.object_id, event.actor_label) == (
            "import",
            job_id,
            "archivist",
        )
    assert "Huey consumer started" in log and f"import job {job_id}: Done" in log
    # Delivered again (a retry, a second worker): the job is not redone.
    assert run_import_job(place.settings, job_id) == Skipped(job_id)
    assert _files(place) == 3000


def test_a_job_with_bad_rows_fails_with_every_reason_and_writes_nothing(
    place: Place, tmp_path: Path
) -> None:
    data = rows(5)
    data[2][9] = "123"
    job_id = _submit(place, write_csv(tmp_path / "bad.csv", data), threshold=2)
    assert run_import_job(place.settings, job_id) == Failed(job_id, "import.invalid_rows")
    job = _job(place, job_id)
    result = jobs.result_of(job)
    assert (job.status, job.error_code, result["error_count"]) == (
        "failed",
        "import.invalid_rows",
        1,
    )
    [error] = result["errors"]
    assert (error["row"], error["column"], error["code"]) == (4, "Mã số BHXH", "identifier.ssn")
    assert "phải gồm đúng 10 chữ số" in error["message"]
    assert _files(place) == 0
    assert run_import_job(place.settings, job_id) == Skipped(job_id)


def test_a_small_file_submitted_as_a_job_runs_once(place: Place, tmp_path: Path) -> None:
    job_id = _submit(place, write_csv(tmp_path / "ok.csv", rows(5)), threshold=2)
    assert run_import_job(place.settings, job_id) == Done(job_id)
    assert run_import_job(place.settings, job_id) == Skipped(job_id)
    assert _files(place) == 5


def test_progress_is_visible_to_other_readers_while_the_job_runs(place: Place) -> None:
    with transaction(place.runtime.sessions) as session:
        job_id = jobs.create_job(
            session,
            archivist(place.office_id),
            kind="import",
            office_id=place.office_id,
            params={},
            total=100,
        ).id
        assert jobs.claim(session, job_id) is not None
    progress = jobs.JobProgress(place.runtime.sessions, job_id, interval=0)
    progress("read", 40, 100)
    job = _job(place, job_id)
    assert (job.status, job.done, job.total, json.loads(job.result)) == (
        "running",
        40,
        100,
        {"stage": "read"},
    )


def test_a_job_is_shown_only_to_those_who_see_its_office(place: Place) -> None:
    with transaction(place.runtime.sessions) as session:
        other = make_office(session, "01", "BHXH huyện Duy Tiên")
        job_id = jobs.create_job(
            session, archivist(place.office_id), kind="import", office_id=place.office_id, params={}
        ).id
        assert jobs.get_job(session, archivist(place.office_id), job_id).id == job_id
        with pytest.raises(Forbidden):
            jobs.get_job(session, archivist(other.id), job_id)
        with pytest.raises(NotFound) as err:
            jobs.get_job(session, archivist(place.office_id), job_id + 1)
        assert err.value.code == "job.not_found"


def test_a_worker_killed_mid_import_leaves_nothing_half_written_and_the_job_reruns_once(
    place: Place, tmp_path: Path
) -> None:
    with transaction(place.runtime.sessions) as session:
        office = session.get(Office, place.office_id)
        assert office is not None
        make_layout(
            session,
            office,
            store_code="2",
            shelves=(1, 20),
            tiers=5,
            boxes_per_tier=2,
            profile_code="HOP_10_HUONG",
        )
    n_rows = 16_000  # 200 boxes of 80: long enough to be killed in the middle
    job_id = _submit(place, write_csv(tmp_path / "big.csv", rows(n_rows, per_box=80)))
    first = start_worker(place.settings, new_session=True)
    try:
        deadline = time.monotonic() + 60
        while _job(place, job_id).status == "queued" and time.monotonic() < deadline:
            time.sleep(0.005)
    finally:
        kill_worker(first)  # the consumer and its worker process, no goodbye
    job = _job(place, job_id)
    assert job.status == "running" and _files(place) == 0, "killed too late to prove anything"
    with transaction(place.runtime.sessions) as session:  # ten minutes pass: the lease runs out
        session.execute(
            update(Job).where(Job.id == job_id).values(heartbeat_at=utcnow() - timedelta(hours=1))
        )
    second = start_worker(place.settings)
    try:
        deadline = time.monotonic() + 90
        while _job(place, job_id).status not in jobs.TERMINAL and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        log = stop_worker(second)
    job = _job(place, job_id)
    assert (job.status, job.attempts) == ("done", 2), log
    assert _files(place) == n_rows

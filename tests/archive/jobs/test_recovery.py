"""A job left running by a worker that died is queued again once its lease runs out, runs to the
end exactly once, and a job that keeps dying is given up with a Vietnamese reason."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from archive.models import Job, utcnow
from archive.services import jobs
from tests.factories import ADMIN, make_office


def _running(session: Session, *, minutes_ago: int, attempts: int = 1) -> int:
    office = make_office(session)
    job = jobs.create_job(session, ADMIN, kind="import", office_id=office.id, params={}, total=10)
    assert jobs.claim(session, job.id) is not None
    session.execute(
        update(Job)
        .where(Job.id == job.id)
        .values(heartbeat_at=utcnow() - timedelta(minutes=minutes_ago), attempts=attempts)
    )
    return job.id


def test_a_job_whose_worker_died_is_queued_again_and_claimed_once(session: Session) -> None:
    job_id = _running(session, minutes_ago=30)
    assert jobs.requeue_stale(session, lease=timedelta(minutes=10)) == [(job_id, "import")]
    assert jobs.requeue_stale(session, lease=timedelta(minutes=10)) == []  # moved back once
    claimed = jobs.claim(session, job_id)
    assert claimed is not None and claimed.status == "running" and claimed.attempts == 2
    assert jobs.claim(session, job_id) is None  # delivered twice, runs once


def test_a_job_with_a_fresh_lease_is_left_alone(session: Session) -> None:
    _running(session, minutes_ago=2)
    assert jobs.requeue_stale(session, lease=timedelta(minutes=10)) == []


def test_progress_renews_the_lease(session: Session) -> None:
    job_id = _running(session, minutes_ago=30)
    jobs.set_progress(session, job_id, done=5, total=10)
    assert jobs.requeue_stale(session, lease=timedelta(minutes=10)) == []


def test_a_job_that_keeps_dying_is_abandoned(session: Session) -> None:
    job_id = _running(session, minutes_ago=30, attempts=jobs.MAX_ATTEMPTS)
    assert jobs.requeue_stale(session, lease=timedelta(minutes=10)) == []
    job = session.get(Job, job_id, populate_existing=True)
    assert job is not None and (job.status, job.error_code) == ("failed", "job.abandoned")

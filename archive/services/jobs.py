"""Background jobs: their state lives in the `jobs` table (the queue only carries the job id).

A job is queued → running → done | failed. Claiming is atomic, so a job delivered twice runs
once; progress is written in short transactions of its own so a reader sees it live."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Update, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from archive.db import transaction
from archive.errors import NotFound
from archive.models import Job, utcnow
from archive.permissions import Actor, Perm, require, require_office

TERMINAL = ("done", "failed")


def create_job(
    session: Session,
    actor: Actor,
    *,
    kind: str,
    office_id: int | None,
    params: dict[str, Any],
    total: int = 0,
) -> Job:
    """A new queued job, owned by the actor (flushed, so it has an id)."""
    if office_id is not None:
        require_office(actor, office_id)
    job = Job(
        kind=kind,
        status="queued",
        total=total,
        done=0,
        params=json.dumps(params, ensure_ascii=False, default=str),
        result="{}",
        office_id=office_id,
        created_by_id=actor.user_id,
        created_at=utcnow(),
    )
    session.add(job)
    session.flush()
    return job


def get_job(session: Session, actor: Actor, job_id: int) -> Job:
    """A job the actor may see (one of their offices', or their own); refuses any other."""
    require(actor, Perm.REGISTER_READ)
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound("job.not_found", job_id=job_id)
    if job.office_id is not None:
        require_office(actor, job.office_id)
    elif actor.office_ids is not None and job.created_by_id != actor.user_id:
        raise NotFound("job.not_found", job_id=job_id)
    return job


def params_of(job: Job) -> dict[str, Any]:
    """The job's parameters."""
    value: dict[str, Any] = json.loads(job.params or "{}")
    return value


def result_of(job: Job) -> dict[str, Any]:
    """The job's result (or, while it runs, what it reports about itself)."""
    value: dict[str, Any] = json.loads(job.result or "{}")
    return value


def _rows_updated(session: Session, stmt: Update) -> int:
    """How many rows a guarded UPDATE changed: the compare-and-set that moves a job's state."""
    result = session.execute(stmt.execution_options(synchronize_session=False))
    return cast(CursorResult[Any], result).rowcount


def claim(session: Session, job_id: int) -> Job | None:
    """Mark a queued job running and return it; None when it is not queued (already taken,
    done or failed), which is what makes a task idempotent."""
    claimed = _rows_updated(
        session,
        update(Job)
        .where(Job.id == job_id, Job.status == "queued")
        .values(
            status="running", started_at=utcnow(), heartbeat_at=utcnow(), attempts=Job.attempts + 1
        ),
    )
    if claimed != 1:
        return None
    job = session.get(Job, job_id, populate_existing=True)
    assert job is not None
    return job


MAX_ATTEMPTS = 3


def requeue_stale(
    session: Session, *, lease: timedelta, max_attempts: int = MAX_ATTEMPTS
) -> list[tuple[int, str]]:
    """Queue again the running jobs whose lease ran out (their worker died), as (id, kind) to
    enqueue after commit; a job that already had `max_attempts` fails as job.abandoned."""
    cutoff = utcnow() - lease
    last_sign = func.coalesce(Job.heartbeat_at, Job.started_at)
    stale = session.execute(
        select(Job.id, Job.kind, Job.attempts).where(Job.status == "running", last_sign < cutoff)
    ).all()
    requeued: list[tuple[int, str]] = []
    for job_id, kind, attempts in stale:
        if attempts >= max_attempts:
            fail(session, job_id, error_code="job.abandoned", result={"attempts": attempts})
            continue
        moved = _rows_updated(
            session,
            update(Job)
            .where(Job.id == job_id, Job.status == "running", last_sign < cutoff)
            .values(status="queued", heartbeat_at=None),
        )
        if moved == 1:
            requeued.append((job_id, kind))
    return requeued


def finish(session: Session, job_id: int, *, result: dict[str, Any]) -> None:
    """Mark a job done with its result, in the caller's transaction (so done means written)."""
    _end(session, job_id, "done", result, None)


def fail(session: Session, job_id: int, *, error_code: str, result: dict[str, Any]) -> None:
    """Mark a job failed with a stable error code and what is known about the failure."""
    _end(session, job_id, "failed", result, error_code)


def _end(
    session: Session, job_id: int, status: str, result: dict[str, Any], code: str | None
) -> None:
    values: dict[str, Any] = {
        "status": status,
        "finished_at": utcnow(),
        "error_code": code,
        "result": json.dumps(result, ensure_ascii=False, default=str),
    }
    if status == "done":
        values["done"] = Job.total
    session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def set_progress(session: Session, job_id: int, *, done: int, total: int, stage: str = "") -> None:
    """Record how far a running job is."""
    values: dict[str, Any] = {"done": done, "total": total, "heartbeat_at": utcnow()}
    if stage:
        values["result"] = json.dumps({"stage": stage})
    session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "running")
        .values(**values)
        .execution_options(synchronize_session=False)
    )


@dataclass
class JobProgress:
    """A progress callback `(stage, done, total)` that commits to the job row in its own short
    transaction, at most every `interval` seconds.

    On SQLite nothing else can write while the import's own write transaction is open, so
    `write` stages are not recorded there (the job jumps to done when the import commits)."""

    sessions: sessionmaker[Session]
    job_id: int
    interval: float = 0.5
    _last: float = 0.0

    @property
    def _sqlite(self) -> bool:
        return bool(self.sessions.kw["bind"].dialect.name == "sqlite")

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self._last < self.interval and done < total:
            return
        if stage == "write" and self._sqlite:
            return
        self._last = now
        with transaction(self.sessions) as session:
            set_progress(session, self.job_id, done=done, total=total, stage=stage)


def actor_params(actor: Actor) -> dict[str, Any]:
    """The actor as plain data, stored with a job so the worker acts (and audits) as them."""
    return {
        "user_id": actor.user_id,
        "label": actor.label,
        "roles": sorted(actor.roles),
        "office_id": actor.office_id,
        "office_ids": None if actor.office_ids is None else sorted(actor.office_ids),
    }


def actor_from_params(data: dict[str, Any]) -> Actor:
    """The actor a job was submitted by."""
    office_ids = data.get("office_ids")
    return Actor(
        user_id=data.get("user_id"),
        label=str(data.get("label", "")),
        roles=frozenset(data.get("roles", ())),
        office_id=data.get("office_id"),
        office_ids=None if office_ids is None else frozenset(office_ids),
    )

"""The whole scanning pipeline through a real worker, for bench/ocr.py's `ocr.throughput` figure.

A fresh SQLite data directory, `archive worker --workers 2` started and idle, then the page
images are taken in as one batch (intake: checks, content-addressed store, page rows) and the
clock runs until the batch is closed: every page rendered, looked at for a cover sheet, cleaned,
OCR'd, stored, and the batch assigned. What it returns is what a province would see."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from archive import migrate
from archive.db import transaction
from archive.jobs import make_queue, register_tasks
from archive.models import Page, ScanBatch, Series
from archive.permissions import Actor
from archive.runtime import Runtime
from archive.services import files, offices, scan_intake
from archive.settings import Settings
from scanners.storage import OriginalStore

ROOT = Path(__file__).resolve().parent.parent
ACTOR = Actor.system("bench")
READY_SECONDS = 4.0  # the consumer and its processes start, recover, and go idle


@dataclass(frozen=True)
class WorkerRun:
    """`seconds`: from the pages being queued to the batch closed (the worker's throughput);
    `intake_seconds`: the intake before that (checks, store, page rows), in the caller."""

    texts: list[str]
    seconds: float
    intake_seconds: float

    def pages_per_minute(self) -> float:
        return 60 * len(self.texts) / self.seconds

    def pages_per_minute_with_intake(self) -> float:
        return 60 * len(self.texts) / (self.seconds + self.intake_seconds)


def _settings(directory: Path, dpi: int) -> Settings:
    return Settings(
        env="test",
        data_dir=directory,
        database_url=f"sqlite:///{directory / 'archive.sqlite3'}",
        queue_url=f"sqlite:///{directory / 'queue.sqlite3'}",
        scan_dpi=dpi,
    )


def _prepare(runtime: Runtime) -> tuple[int, int]:
    migrate.upgrade(runtime.engine)
    with transaction(runtime.sessions) as session:
        office = offices.create_office(session, ACTOR, code="00", name="BHXH tỉnh")
        series_id = session.scalars(select(Series.id).where(Series.code == "HANH_CHINH")).one()
        file = files.create_file(
            session,
            ACTOR,
            files.FileIn(office_id=office.id, series_id=series_id, code="BENCH", title="Bench"),
        )
        return office.id, file.id


def _start(settings: Settings, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "ARCHIVE_ENV": "test",
        "ARCHIVE_DATA_DIR": str(settings.data_dir),
        "ARCHIVE_DATABASE_URL": settings.database_url,
        "ARCHIVE_QUEUE_URL": settings.queue_url,
        "ARCHIVE_SCAN_DPI": str(settings.scan_dpi),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "archive.cli", "worker", "--workers", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def run_through_worker(paths: list[Path], dpi: int, *, workers: int = 2) -> WorkerRun:
    """Take `paths` (page images) in as one batch and time a real worker reading them all."""
    with tempfile.TemporaryDirectory(prefix="bench-ocr-worker-") as tmp:
        settings = _settings(Path(tmp), dpi)
        runtime = Runtime(settings)
        office_id, file_id = _prepare(runtime)
        tasks = register_tasks(make_queue(settings), settings)
        worker = _start(settings, workers)
        try:
            time.sleep(READY_SECONDS)
            began = time.perf_counter()
            with transaction(runtime.sessions) as session:
                batch_id = scan_intake.receive(
                    session,
                    ACTOR,
                    office_id=office_id,
                    documents=[scan_intake.Incoming(p, p.name) for p in paths],
                    store=OriginalStore(settings.originals_dir),
                    source="cli",
                    target_file_id=file_id,
                    queue=tasks.enqueue_pages,
                ).id
            queued = time.perf_counter()
            while _status(runtime, batch_id) == "processing":
                if worker.poll() is not None:
                    raise RuntimeError("the worker stopped")
                time.sleep(0.05)
            done = time.perf_counter()
        finally:
            worker.send_signal(signal.SIGINT)
            worker.wait(timeout=30)
        texts = _texts(runtime, batch_id)
        runtime.dispose()
    return WorkerRun(texts, done - queued, queued - began)


def _status(runtime: Runtime, batch_id: int) -> str:
    with transaction(runtime.sessions, write=False) as session:
        return str(session.scalar(select(ScanBatch.status).where(ScanBatch.id == batch_id)))


def _texts(runtime: Runtime, batch_id: int) -> list[str]:
    with transaction(runtime.sessions, write=False) as session:
        return list(
            session.scalars(
                select(Page.text).where(Page.batch_id == batch_id).order_by(Page.batch_seq)
            )
        )

"""Issue 3, "Must show": a real worker (two processes) killed with SIGKILL in the middle of a
100-page batch, then started again, ends with exactly 100 pages stored and read, in order, each
once; the index writer then makes them searchable."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from huey.exceptions import TaskLockedException
from sqlalchemy import func, select
from sqlalchemy.orm import undefer

from archive.db import transaction
from archive.jobs import make_queue, register_tasks, scan_tasks
from archive.models import File, Page, ScanBatch
from archive.services import files, scan_intake, search_outbox
from archive.services.search_index import open_backend
from indexes.query import parse
from scanners.storage import OriginalStore
from tests.archive.jobs.conftest import Place
from tests.factories import ADMIN, series
from tests.scan_docs import image_pdf, text_png
from tests.workers import kill_worker, start_worker, stop_worker

PAGES = 100
LEASE = "2"


def _pdf() -> bytes:
    strips = [
        text_png([f"Trang {n:03d} hồ sơ Nguyễn Thị Mai Lan"], dpi=150, seed=n, height_inches=1.2)
        for n in range(1, PAGES + 1)
    ]
    return image_pdf(strips)


def _done(place: Place, batch_id: int) -> int:
    with transaction(place.runtime.sessions, write=False) as session:
        return int(
            session.scalar(
                select(func.count()).where(Page.batch_id == batch_id, Page.status == "done")
            )
            or 0
        )


def _batch_status(place: Place, batch_id: int) -> str:
    with transaction(place.runtime.sessions, write=False) as session:
        return str(session.scalar(select(ScanBatch.status).where(ScanBatch.id == batch_id)))


def _outbox(place: Place) -> int:
    with transaction(place.runtime.sessions, write=False) as session:
        return search_outbox.pending(session)


def _wait(condition: object, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.1)


def test_a_worker_killed_mid_batch_loses_no_page_and_reads_none_twice(
    place: Place, tmp_path: Path
) -> None:
    settings = place.settings
    pdf = tmp_path / "hop-100.pdf"
    pdf.write_bytes(_pdf())
    tasks = register_tasks(make_queue(settings), settings)
    with transaction(place.runtime.sessions) as session:
        file = files.create_file(
            session,
            ADMIN,
            files.FileIn(
                office_id=place.office_id,
                series_id=series(session, "HANH_CHINH").id,
                code="HS-100",
                title="Hồ sơ một trăm trang",
                sheet_count=PAGES,
            ),
        )
        batch_id = scan_intake.receive(
            session,
            ADMIN,
            office_id=place.office_id,
            documents=[scan_intake.Incoming(pdf, pdf.name)],
            store=OriginalStore(settings.originals_dir),
            target_file_id=file.id,
            queue=tasks.enqueue_pages,
        ).id
        file_id = file.id
    env = {"ARCHIVE_PAGE_LEASE_SECONDS": LEASE, "ARCHIVE_SCAN_DPI": "150"}
    first = start_worker(settings, workers=2, new_session=True, **env)
    try:
        _wait(lambda: _done(place, batch_id) >= 10, 120)
    finally:
        log = kill_worker(first)
    killed_at = _done(place, batch_id)
    print("killed at", killed_at, time.monotonic())
    assert 10 <= killed_at < PAGES, f"killed at {killed_at} pages: cannot prove anything\n{log}"
    time.sleep(float(LEASE) + 0.5)  # the dead worker's claims run out
    second = start_worker(settings, workers=2, **env)
    try:
        _wait(lambda: _batch_status(place, batch_id) == "done", 180)
        # The last page's commit queues the index writer; failing that, the worker's recovery
        # queues it each minute. (Runs that left marks here had the first worker killed while
        # it held the index lock, which the second never cleared: see test_queue.py.)
        _wait(lambda: _outbox(place) == 0, 90)
    finally:
        log = stop_worker(second)
    print("done", time.monotonic())
    assert _batch_status(place, batch_id) == "done", log
    assert _outbox(place) == 0, f"the index writer left marks\n{log}"
    with transaction(place.runtime.sessions, write=False) as session:
        pages = session.scalars(
            select(Page)
            .where(Page.batch_id == batch_id)
            .order_by(Page.batch_seq)
            .options(undefer(Page.text))
        ).all()
        assert len(pages) == PAGES
        assert all(p.status == "done" and p.text_source == "ocr" for p in pages)
        assert [p.position for p in pages] == list(range(1, PAGES + 1))
        assert all(p.file_id == file_id for p in pages)
        assert all(f"{n:03d}" in p.text for n, p in enumerate(pages, start=1)), [
            p.text for p in pages if not p.text
        ]
        assert session.get(File, file_id) is not None
    assert sum(1 for _ in OriginalStore(settings.originals_dir).iter_files()) == 1
    backend = open_backend(settings)
    try:
        hits = backend.search(parse("trang 057"), None).hits
    finally:
        backend.close()
    assert [hit.file_id for hit in hits] == [file_id], log


SCAN_REDIS_URL = "redis://127.0.0.1:6379/13"  # a database of its own: tests run in parallel


def test_on_redis_the_same_worker_reads_a_batch_and_the_index_writer_takes_its_lock(
    place: Place, tmp_path: Path
) -> None:
    """The Redis side of the queue seam: page tasks and the index writer (whose lock expires
    there) run on a real worker with ARCHIVE_QUEUE_URL=redis://…"""
    settings = place.settings.model_copy(update={"queue_url": SCAN_REDIS_URL})
    make_queue(settings).flush()
    pdf = tmp_path / "ba-trang.pdf"
    pdf.write_bytes(
        image_pdf(
            [
                text_png([f"Trang {n} hồ sơ Trần Văn Bình"], dpi=150, seed=n, height_inches=1.2)
                for n in (1, 2, 3)
            ]
        )
    )
    tasks = register_tasks(make_queue(settings), settings)
    with transaction(place.runtime.sessions) as session:
        file = files.create_file(
            session,
            ADMIN,
            files.FileIn(
                office_id=place.office_id,
                series_id=series(session, "HANH_CHINH").id,
                code="HS-REDIS",
                title="Hồ sơ ba trang",
            ),
        )
        batch_id = scan_intake.receive(
            session,
            ADMIN,
            office_id=place.office_id,
            documents=[scan_intake.Incoming(pdf, pdf.name)],
            store=OriginalStore(settings.originals_dir),
            target_file_id=file.id,
            queue=tasks.enqueue_pages,
        ).id
        file_id = file.id
    worker = start_worker(settings, workers=2, ARCHIVE_SCAN_DPI="150")
    try:
        _wait(lambda: _batch_status(place, batch_id) == "done" and _outbox(place) == 0, 90)
    finally:
        log = stop_worker(worker)
    assert (_batch_status(place, batch_id), _done(place, batch_id)) == ("done", 3), log
    backend = open_backend(settings)
    try:
        hits = backend.search(parse("tran van binh"), None).hits
    finally:
        backend.close()
    assert [hit.file_id for hit in hits] == [file_id], log


def test_the_index_writer_lock_on_redis_is_exclusive_expires_and_is_released_by_its_holder(
    place: Place,
) -> None:
    huey = make_queue(place.settings.model_copy(update={"queue_url": SCAN_REDIS_URL}))
    huey.flush()
    key = f"{huey.name}.lock.{scan_tasks.INDEX_LOCK}"
    with scan_tasks._index_lock(huey):
        assert 0 < huey.storage.conn.ttl(key) <= scan_tasks.INDEX_LOCK_SECONDS
        with pytest.raises(TaskLockedException), scan_tasks._index_lock(huey):
            pass
        huey.storage.conn.set(key, "another-holder")  # ours expired; another writer took it
    assert huey.storage.conn.get(key) == b"another-holder"  # not released by us
    huey.storage.conn.delete(key)
    with scan_tasks._index_lock(huey):
        pass
    assert huey.storage.conn.get(key) is None

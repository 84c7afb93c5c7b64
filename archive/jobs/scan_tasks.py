"""The worker's scanning and indexing work: one task per page, and the single index writer.

A page task claims its page (so a page delivered twice runs once), reads it outside any
transaction, and stores the outcome in a short transaction that also closes the batch when it was
the last page. The index writer drains the search outbox under a queue lock (one writer at a
time, whichever host it runs on)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import lru_cache

from huey import Huey
from huey.exceptions import RetryTask, TaskLockedException
from huey.storage import RedisStorage

from archive.db import transaction
from archive.errors import ArchiveError
from archive.jobs.queue import INDEX_LOCK
from archive.runtime import Runtime
from archive.services import scan_folders, scan_work, search_outbox
from archive.services.scan_work import PageResult, PageTask
from archive.services.search_index import open_backend
from archive.settings import Settings
from scanners.cleanup import CleanupOptions
from scanners.intake_checks import ScanKind
from scanners.ocr import OcrOptions
from scanners.pipeline import PageOutcome, PipelineOptions, process_page
from scanners.storage import DerivedStore, OriginalStore, StoreOptions
from scanners.words import words_to_json

log = logging.getLogger(__name__)
# Page images and thumbnails are made again from the originals at will: they are written whole
# (temp file + rename) but not fsynced, which costs a flush per image on every page.
DERIVED_WRITES = StoreOptions(fsync=False)
INDEX_LOCK_SECONDS = 900
RELEASE_IF_OURS = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
)
INDEX_RETRY_SECONDS = 2


@lru_cache(maxsize=4)
def runtime_for(settings: Settings) -> Runtime:
    """One Runtime per worker process and settings (engines are reused across tasks). Only
    ever called inside a worker process, never before the consumer forks them."""
    return Runtime(settings)


def wire_index_writer(runtime: Runtime, enqueue: Callable[[], None]) -> Runtime:
    """Make the runtime's sessions queue the index writer after commits that marked files."""
    runtime.session_info[search_outbox.NOTIFY] = enqueue
    return runtime


def pipeline_options(settings: Settings) -> PipelineOptions:
    return PipelineOptions(
        dpi=settings.scan_dpi,
        ocr=OcrOptions(
            languages=settings.ocr_languages, timeout_seconds=settings.ocr_timeout_seconds
        ),
        cleanup=CleanupOptions(),
    )


def _result(outcome: PageOutcome) -> PageResult:
    return PageResult(
        role=outcome.role,
        barcode=outcome.barcode,
        text=outcome.text,
        words=words_to_json(outcome.words),
        text_source=outcome.text_source,
        confidence=outcome.confidence,
        engine=outcome.engine,
        dpi=outcome.dpi,
        width=outcome.width,
        height=outcome.height,
    )


def run_page(runtime: Runtime, page_id: int) -> str:
    """Process page `page_id` once; returns what happened (for the log and the tests)."""
    settings = runtime.settings
    lease = timedelta(seconds=settings.page_lease_seconds)
    with transaction(runtime.write_sessions) as session:
        task = scan_work.claim_page(session, page_id, lease=lease)
    if task is None:
        return "skipped"
    try:
        outcome = process_page(
            OriginalStore(settings.originals_dir).path_of(task.sha256),
            ScanKind(task.kind),
            task.index,
            sha256=task.sha256,
            derived=DerivedStore(settings.derived_dir, DERIVED_WRITES),
            options=pipeline_options(settings),
        )
    except ArchiveError as err:
        log.warning("page %s: %s %s", page_id, err.code, err.params)
        return _fail(runtime, task, err.code or "scan.page_failed")
    except Exception:
        log.exception("page %s: unexpected failure", page_id)
        return _fail(runtime, task, "scan.page_failed")
    with transaction(runtime.write_sessions) as session:
        stored = scan_work.complete_page(
            session, task, _result(outcome), review_below=settings.ocr_review_below
        )
        scan_work.finish_batch_if_complete(session, task.batch_id)
    return "done" if stored else "lost-claim"


def run_page_in_process(settings: Settings, page_id: int) -> str:
    """`run_page` for a process pool (`archive scan --here`): one cached runtime per process."""
    return run_page(runtime_for(settings), page_id)


def _fail(runtime: Runtime, task: PageTask, code: str) -> str:
    with transaction(runtime.write_sessions) as session:
        scan_work.fail_page(session, task, code=code)
        scan_work.finish_batch_if_complete(session, task.batch_id)
    return "failed"


def run_index_writer(huey: Huey, runtime: Runtime) -> int:
    """Drain the search outbox as the only writer; when another writer holds the lock, try
    again shortly (the holder may have read the outbox before our marks were committed)."""
    try:
        with _index_lock(huey):
            backend = open_backend(runtime.settings)
            try:
                return search_outbox.drain(runtime.write_sessions, backend)
            finally:
                backend.close()
    except TaskLockedException:
        raise RetryTask(delay=INDEX_RETRY_SECONDS) from None


@contextmanager
def _index_lock(huey: Huey) -> Iterator[None]:
    """The index writer's lock; raises TaskLockedException when another writer holds it.

    On Redis (several worker hosts) it is a plain key set with NX and an expiry, so a writer
    that died cannot hold it for ever (huey's own lock expiry needs Redis 7.4's hash-field
    TTLs), released only by its holder. huey's SQLite storage (one host) keeps no expiry:
    there the consumer clears stale locks when it starts."""
    storage = huey.storage
    if not isinstance(storage, RedisStorage):
        with huey.lock_task(INDEX_LOCK):
            yield
        return
    key, token = f"{huey.name}.lock.{INDEX_LOCK}", uuid.uuid4().hex
    if not storage.conn.set(key, token, nx=True, ex=INDEX_LOCK_SECONDS):
        raise TaskLockedException(f"unable to acquire lock {INDEX_LOCK}")
    try:
        yield
    finally:
        storage.conn.eval(RELEASE_IF_OURS, 1, key, token)


def poll_folders(runtime: Runtime, queue: Callable[[list[int]], None]) -> int:
    """Take in what the watched scanner folders hold; returns how many documents were taken."""
    picked = scan_folders.pick_up(
        runtime.write_sessions, OriginalStore(runtime.settings.originals_dir), queue=queue
    )
    return sum(1 for item in picked if item.batch_id is not None)


def recover_pages(settings: Settings, *, at_start: bool) -> tuple[list[int], list[int]]:
    """Pages to queue again (their worker died; at start also every page still waiting, since
    the queue may have lost them) and batches closed now because their closer died."""
    runtime = Runtime(settings)  # not the cached one: this also runs in the parent, before forks
    lease = timedelta(seconds=settings.page_lease_seconds)
    try:
        with transaction(runtime.write_sessions) as session:
            pages = scan_work.stale_pages(session, lease=lease, include_pending=at_start)
            closed = [
                batch_id
                for batch_id in scan_work.unclosed_batches(session)
                if scan_work.finish_batch_if_complete(session, batch_id)
            ]
    finally:
        runtime.dispose()
    return pages, closed

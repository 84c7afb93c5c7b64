"""Uploads and queued work, shared by the API and the pages: an upload as a temporary file, and
the app's task queue (built once, on first use)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from fastapi import Request, UploadFile

from archive.errors import Invalid
from archive.jobs import LazyTasks
from archive.services.scan_intake import Incoming

CHUNK = 1024 * 1024


@contextmanager
def saved_upload(upload: UploadFile) -> Iterator[Path]:
    """The upload as a temporary file (the services read paths), removed afterwards."""
    suffix = Path(upload.filename or "").suffix.lower()
    with tempfile.TemporaryDirectory(prefix="archive-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        with path.open("wb") as out:
            shutil.copyfileobj(upload.file, out)
        yield path


@contextmanager
def saved_uploads(uploads: Sequence[UploadFile], *, limit_mb: int) -> Iterator[list[Incoming]]:
    """Several uploads as temporary files, each refused past `limit_mb` before it is complete."""
    limit = limit_mb * 1024 * 1024
    with tempfile.TemporaryDirectory(prefix="archive-upload-") as folder:
        saved = []
        for number, upload in enumerate(uploads, start=1):
            name = upload.filename or f"scan-{number}"
            path = Path(folder) / f"{number:04d}{Path(name).suffix.lower()[:10]}"
            _copy_limited(upload, path, limit, name, limit_mb)
            saved.append(Incoming(path=path, filename=name))
        yield saved


def _copy_limited(upload: UploadFile, path: Path, limit: int, name: str, limit_mb: int) -> None:
    written = 0
    with path.open("wb") as out:
        while chunk := upload.file.read(CHUNK):
            written += len(chunk)
            if written > limit:
                raise Invalid("scan.upload_too_large", filename=name, limit_mb=limit_mb)
            out.write(chunk)


def app_tasks(request: Request) -> LazyTasks:
    """The app's task queue (built on first use)."""
    tasks: LazyTasks = request.app.state.tasks
    return tasks


def import_enqueuer(request: Request) -> Callable[[int], None]:
    """Queue an import job on the app's task queue."""
    return app_tasks(request).enqueue_import


def page_enqueuer(request: Request) -> Callable[[list[int]], None]:
    """Queue page work (render, barcode, OCR) on the app's task queue."""
    return app_tasks(request).enqueue_pages

"""Uploads and queued work, shared by the API and the pages: an upload as a temporary file, and
the app's task queue (built once, on first use)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import Request, UploadFile

from archive.api.deps import get_runtime
from archive.jobs import make_queue, register_tasks


@contextmanager
def saved_upload(upload: UploadFile) -> Iterator[Path]:
    """The upload as a temporary file (the services read paths), removed afterwards."""
    suffix = Path(upload.filename or "").suffix.lower()
    with tempfile.TemporaryDirectory(prefix="archive-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        with path.open("wb") as out:
            shutil.copyfileobj(upload.file, out)
        yield path


def import_enqueuer(request: Request) -> Callable[[int], None]:
    """Queue an import job on the app's task queue."""

    def enqueue(job_id: int) -> None:
        tasks = getattr(request.app.state, "import_tasks", None)
        if tasks is None:
            settings = get_runtime(request).settings
            tasks = request.app.state.import_tasks = register_tasks(make_queue(settings), settings)
        tasks.enqueue_import(job_id)

    return enqueue

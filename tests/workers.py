"""Real `archive worker` processes for tests: started from Settings, stopped gracefully (SIGINT,
huey's stop) or killed without a goodbye (SIGKILL to the whole process group)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from archive.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def start_worker(
    settings: Settings, *, workers: int = 1, new_session: bool = False, **env: str
) -> subprocess.Popen[bytes]:
    """`archive worker --workers N` on these settings' database, queue and data directory."""
    values = {
        **os.environ,
        "ARCHIVE_ENV": "test",
        "ARCHIVE_DATA_DIR": str(settings.data_dir),
        "ARCHIVE_DATABASE_URL": settings.database_url,
        "ARCHIVE_QUEUE_URL": settings.queue_url,
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "archive.cli", "worker", "--workers", str(workers)],
        cwd=ROOT,
        env=values,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=new_session,
    )


def stop_worker(worker: subprocess.Popen[bytes]) -> str:
    """Stop gracefully and return what the worker printed."""
    worker.send_signal(signal.SIGINT)
    try:
        out, _ = worker.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        out, _ = worker.communicate()
    return out.decode(errors="replace")


def kill_worker(worker: subprocess.Popen[bytes]) -> str:
    """SIGKILL the consumer and its worker processes (started with new_session=True)."""
    os.killpg(worker.pid, signal.SIGKILL)
    out, _ = worker.communicate()
    return out.decode(errors="replace")

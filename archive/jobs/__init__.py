"""Background jobs: a huey queue built from Settings (SQLite by default, Redis when configured)
and the project's tasks. The job's state lives in the `jobs` table; huey carries only its id."""

from archive.jobs.queue import make_queue
from archive.jobs.tasks import (
    Done,
    Failed,
    LazyTasks,
    Outcome,
    Skipped,
    Tasks,
    register_tasks,
    run_import_job,
)

__all__ = [
    "Done",
    "Failed",
    "LazyTasks",
    "Outcome",
    "Skipped",
    "Tasks",
    "make_queue",
    "register_tasks",
    "run_import_job",
]

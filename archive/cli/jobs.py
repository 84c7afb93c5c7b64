"""`archive worker` (the background-job consumer) and `archive jobs show ID`."""

from __future__ import annotations

import logging
import os
from zoneinfo import ZoneInfo

import typer

from archive.cli.common import runtime, unit_of_work
from archive.i18n import message
from archive.jobs import make_queue, register_tasks
from archive.jobs.queue import make_consumer
from archive.jobs.tasks import recover_scans, recover_stale_jobs
from archive.models import Job
from archive.permissions import Actor
from archive.services import jobs

STATUS_VI = {"queued": "đang chờ", "running": "đang chạy", "done": "đã xong", "failed": "thất bại"}
STAGE_VI = {"read": "đọc và kiểm tra tệp", "write": "ghi dữ liệu"}

jobs_app = typer.Typer(help="Tác vụ chạy nền (nhập mục lục, …).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command()(worker)
    jobs_app.command(name="show")(show)
    app.add_typer(jobs_app, name="jobs")


def worker(
    workers: int = typer.Option(
        0, "--workers", "-w", min=0, help="Số tiến trình xử lý (0: một tiến trình cho mỗi lõi CPU)"
    ),
) -> None:
    """Run the background-job worker: N plain worker processes consuming the queue."""
    # OCR tasks (tesseract) must not start one OpenMP thread per core in every process:
    # measured 4x slower (reference/measurements.md); plain processes give the parallelism.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = runtime().settings
    huey = make_queue(settings)
    tasks = register_tasks(huey, settings)
    # Jobs and pages a dead worker left running are queued again now, then checked each minute.
    recover_stale_jobs(settings, tasks)
    recover_scans(settings, tasks, at_start=True)
    # One process per core: tesseract runs single-threaded in each (measured fastest).
    count = workers or os.cpu_count() or 1
    make_consumer(huey, count).run()


def show(job_id: int = typer.Argument(..., help="Số tác vụ")) -> None:
    """Show a job's status and progress."""
    rt = runtime()
    with unit_of_work(rt, write=False) as session:
        job = jobs.get_job(session, Actor.system("cli"), job_id)
        result = jobs.result_of(job)
    for line in describe(job, result, ZoneInfo(rt.settings.timezone)):
        typer.echo(line)


def describe(job: Job, result: dict[str, object], tz: ZoneInfo) -> list[str]:
    """The lines `jobs show` prints for a job."""
    percent = round(100 * job.done / job.total) if job.total else 0
    lines = [
        f"Tác vụ {job.id} ({job.kind}): {STATUS_VI.get(job.status, job.status)}",
        f"Tiến độ: {percent}% ({job.done}/{job.total})",
    ]
    stage = result.get("stage")
    if job.status == "running" and isinstance(stage, str):
        lines.append(f"Bước: {STAGE_VI.get(stage, stage)}")
    if job.status == "done" and "created" in result:
        lines.append(f"Đã nhập {result['created']} hồ sơ từ tệp “{result.get('filename', '')}”.")
    if job.error_code:
        params = result.get("params")
        values = {
            **(params if isinstance(params, dict) else {}),
            "count": result.get("error_count"),
        }
        lines.append(f"Lỗi: {message(job.error_code, **values)}")
        errors = result.get("errors")
        if isinstance(errors, list):
            lines.extend(
                f"  dòng {e['row']}, cột “{e['column']}”: {e['message']}" for e in errors[:20]
            )
    for label, at in (
        ("Tạo lúc", job.created_at),
        ("Bắt đầu", job.started_at),
        ("Kết thúc", job.finished_at),
    ):
        if at is not None:
            lines.append(f"{label}: {at.astimezone(tz):%d/%m/%Y %H:%M:%S}")
    return lines

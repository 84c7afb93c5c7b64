"""`archive scan`, `archive scans show`, `archive fixity` and `archive scan-folders …`."""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import typer

from archive.cli.common import runtime, unit_of_work
from archive.jobs import make_queue, register_tasks
from archive.jobs.scan_tasks import run_page_in_process
from archive.permissions import Actor
from archive.runtime import Runtime
from archive.services import files as file_service
from archive.services import fixity, offices, scan_batches, scan_folders, scan_intake, scan_work
from archive.services.scan_batches import BatchProgress
from archive.services.scan_intake import Incoming
from scanners.storage import OriginalStore, ProblemKind

CLI = Actor.system("cli")
PROBLEMS_VI = {
    ProblemKind.CORRUPT: "hỏng (mã băm không khớp)",
    ProblemKind.MISSING: "thiếu",
    ProblemKind.STRAY_TEMP: "tệp tạm còn sót",
    ProblemKind.UNEXPECTED: "tệp lạ trong kho bản gốc",
}
IDLE_HINT_SECONDS = 30
SUFFIXES = {".pdf", ".tif", ".tiff", ".png", ".jpg", ".jpeg"}
folders_app = typer.Typer(help="Thư mục quét được theo dõi (hot folder).", no_args_is_help=True)
scans_app = typer.Typer(help="Lô quét.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command(name="scan")(scan)
    app.command(name="fixity")(fixity_command)
    scans_app.command(name="show")(show)
    app.add_typer(scans_app, name="scans")
    folders_app.command(name="add")(add_folder)
    folders_app.command(name="list")(list_folders)
    folders_app.command(name="remove")(remove_folder)
    folders_app.command(name="poll")(poll)
    app.add_typer(folders_app, name="scan-folders")


def _documents(paths: list[Path]) -> list[Incoming]:
    found: list[Incoming] = []
    for path in paths:
        if path.is_dir():
            children = sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES)
            found.extend(Incoming(child, child.name) for child in children)
        elif path.is_file():
            found.append(Incoming(path, path.name))
        else:
            typer.echo(f"Không tìm thấy: {path}", err=True)
            raise typer.Exit(1)
    return found


def scan(
    paths: list[Path] = typer.Argument(..., help="Tệp PDF/TIFF/PNG/JPEG hoặc thư mục chứa chúng"),
    office: str = typer.Option("00", "--office", help="Mã đơn vị nhận (00: BHXH tỉnh)"),
    file_code: str | None = typer.Option(
        None, "--file", help="Mã hồ sơ nhận mọi trang (trừ khi tờ bìa quét chỉ định khác)"
    ),
    wait: bool = typer.Option(True, "--wait/--no-wait", help="Chờ xử lý xong, có thanh tiến độ"),
    here: bool = typer.Option(
        False,
        "--here",
        help="Xử lý ngay trong lệnh này (mỗi lõi CPU một tiến trình) thay vì worker",
    ),
) -> None:
    """Take scanned documents in as one batch: check, store, read (OCR) and assign the pages."""
    rt = runtime()
    documents = _documents(paths)
    tasks = None if here else register_tasks(make_queue(rt.settings), rt.settings)
    with unit_of_work(rt) as session:
        office_id = offices.get_by_code(session, office).id
        target = (
            file_service.get_by_code(session, CLI, office_id=office_id, code=file_code)
            if file_code
            else None
        )
        batch = scan_intake.receive(
            session,
            CLI,
            office_id=office_id,
            documents=documents,
            store=OriginalStore(rt.settings.originals_dir),
            source="cli",
            target_file_id=target.id if target else None,
            queue=tasks.enqueue_pages if tasks else None,
        )
        batch_id = batch.id
        typer.echo(
            f"Lô quét {batch_id}: {batch.pages_total} trang "
            f"({batch.pages_new} trang mới, {batch.pages_known} trang đã có)."
        )
    if here:
        _process_here(rt, batch_id)
    elif wait:
        _follow(rt, batch_id)
    _summary(rt, batch_id)


def _pending(rt: Runtime, batch_id: int) -> list[int]:
    with unit_of_work(rt, write=False) as session:
        return scan_work.pending_pages(session, batch_id)


def _process_here(rt: Runtime, batch_id: int) -> None:
    page_ids = _pending(rt, batch_id)
    with (
        ProcessPoolExecutor() as pool,
        typer.progressbar(length=len(page_ids), label="Đọc trang") as bar,
    ):
        for _ in pool.map(run_page_in_process, [rt.settings] * len(page_ids), page_ids):
            bar.update(1)


def _progress(rt: Runtime, batch_id: int) -> BatchProgress:
    with unit_of_work(rt, write=False) as session:
        return scan_batches.progress(session, CLI, batch_id)


def _follow(rt: Runtime, batch_id: int) -> None:
    state = _progress(rt, batch_id)
    hinted, changed = False, time.monotonic()
    with typer.progressbar(length=max(state.pages_new, 1), label="Đọc trang") as bar:
        shown = 0
        while True:
            state = _progress(rt, batch_id)
            done = state.pages_done + state.pages_failed
            if done != shown:
                changed = time.monotonic()
            bar.update(done - shown)
            shown = done
            if state.status != "processing":
                return
            if not hinted and time.monotonic() - changed > IDLE_HINT_SECONDS:
                hinted = True
                typer.echo(
                    "\nChưa trang nào được đọc: worker có đang chạy không (`archive worker`)? "
                    "Có thể thoát (Ctrl+C) và xem lại bằng `archive scans show "
                    f"{batch_id}`, hoặc dùng `--here`.",
                    err=True,
                )
            time.sleep(0.5)


def _summary(rt: Runtime, batch_id: int) -> None:
    state = _progress(rt, batch_id)
    typer.echo(
        f"Trạng thái: {state.status}; đã đọc {state.pages_done}, lỗi {state.pages_failed}, "
        f"tờ bìa {state.covers}, trang trắng {state.blank}, chưa gắn hồ sơ {state.unassigned}, "
        f"cần kiểm tra {state.needs_review}."
    )
    for item in state.files:
        typer.echo(f"  {item.code}: {item.pages} trang — {item.title}")
    for error in state.errors:
        typer.echo(f"  trang {error.batch_seq}: {error.code}", err=True)


def show(batch_id: int = typer.Argument(..., help="Số lô quét")) -> None:
    """Show a batch's progress and where its pages went."""
    _summary(runtime(), batch_id)


def fixity_command() -> None:
    """Re-hash every stored original and check that none the register refers to is missing."""
    rt = runtime()
    store = OriginalStore(rt.settings.originals_dir)
    with unit_of_work(rt) as session:
        report = fixity.check(session, CLI, store)
    typer.echo(
        f"Đã kiểm tra {report.checked} bản gốc; sổ đăng ký tham chiếu {report.referenced} bản gốc."
    )
    for problem in report.problems:
        typer.echo(f"  {PROBLEMS_VI[problem.kind]}: {problem.path}", err=True)
    if not report.ok:
        typer.echo(f"Phát hiện {len(report.problems)} vấn đề.", err=True)
        raise typer.Exit(1)
    typer.echo("Tất cả bản gốc nguyên vẹn.")


def add_folder(
    path: Path = typer.Argument(..., help="Thư mục máy quét ghi tệp vào"),
    office: str = typer.Option("00", "--office", help="Mã đơn vị"),
) -> None:
    """Watch a scanner's output folder for an office (the worker picks documents up)."""
    rt = runtime()
    with unit_of_work(rt) as session:
        office_id = offices.get_by_code(session, office).id
        row = scan_folders.add_folder(session, CLI, office_id=office_id, path=str(path.absolute()))
        typer.echo(f"Đang theo dõi {row.path} (thư mục {row.id}).")


def list_folders() -> None:
    """List the watched folders."""
    with unit_of_work(runtime(), write=False) as session:
        for row in scan_folders.list_folders(session, CLI):
            state = "đang theo dõi" if row.enabled else "tạm dừng"
            typer.echo(f"{row.id}\t{row.path}\t{state}")


def remove_folder(folder_id: int = typer.Argument(..., help="Số thư mục")) -> None:
    """Stop watching a folder."""
    with unit_of_work(runtime()) as session:
        scan_folders.remove_folder(session, CLI, folder_id=folder_id)
    typer.echo("Đã ngừng theo dõi.")


def poll(
    settle: float = typer.Option(
        scan_folders.SETTLE_SECONDS, "--settle", help="Giây tệp phải đứng yên trước khi nhận"
    ),
) -> None:
    """Pick up the watched folders' documents now (the worker does this each minute)."""
    rt = runtime()
    tasks = register_tasks(make_queue(rt.settings), rt.settings)
    picked = scan_folders.pick_up(
        rt.write_sessions,
        OriginalStore(rt.settings.originals_dir),
        queue=tasks.enqueue_pages,
        settle_seconds=settle,
    )
    for item in picked:
        outcome = f"lô {item.batch_id}" if item.batch_id else f"từ chối ({item.error_code})"
        typer.echo(f"{item.path.name}: {outcome}")
    typer.echo(f"Đã nhận {sum(1 for p in picked if p.batch_id)} tệp.")

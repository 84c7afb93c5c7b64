"""`archive migrate`, `archive setup` (first run) and `archive serve`."""

from __future__ import annotations

import os
from pathlib import Path

import typer
from sqlalchemy import func, select

from archive import migrate as migrations
from archive.cli.common import runtime, unit_of_work
from archive.clock import local_today
from archive.jobs import make_queue, register_tasks
from archive.models import File, Office
from archive.permissions import Actor
from archive.runtime import Runtime
from archive.services import accounts, offices
from archive.services.demo import build_demo
from archive.services.demo.scans import take_in_demo_scans
from archive.services.demo.use import take_in_demo_use
from archive.services.search_index import open_backend, reindex
from scanners.storage import OriginalStore

SETUP = Actor.system("setup")


def register(app: typer.Typer) -> None:
    app.command()(migrate)
    app.command()(setup)
    app.command()(serve)


def migrate() -> None:
    """Bring the database to the newest schema (Alembic upgrade head)."""
    rt = runtime()
    migrations.upgrade(rt.engine)
    typer.echo(f"Cơ sở dữ liệu đã cập nhật: {rt.engine.url.render_as_string(hide_password=True)}")


def _demo_scans(rt: Runtime, files: int, seed: int) -> None:
    tasks = register_tasks(make_queue(rt.settings), rt.settings)
    with unit_of_work(rt) as session:
        batch = take_in_demo_scans(
            session,
            SETUP,
            store=OriginalStore(rt.settings.originals_dir),
            queue=tasks.enqueue_pages,
            files=files,
            seed=seed,
        )
        if batch is not None:
            typer.echo(
                f"Đã nhận lô quét mẫu {batch.id} ({batch.pages_total} trang); worker sẽ đọc (OCR)."
            )


def _demo_use(rt: Runtime, seed: int) -> None:
    with unit_of_work(rt) as session:
        made = take_in_demo_use(session, SETUP, seed=seed, today=local_today(rt.settings.timezone))
    if made is None:
        return
    secret_file = rt.settings.data_dir / "demo-users.txt"
    _write_private(secret_file, f"{' '.join(made.usernames)}\n{made.password}\n")
    typer.echo(
        f"Đã tạo {made.loans} phiếu mượn mẫu ({made.overdue} quá hạn) và tài khoản mẫu "
        "lan, binh (người mượn), giam (lãnh đạo duyệt), hoa (lưu trữ) / mật khẩu: "
        f"{made.password} (lưu trong {secret_file})"
    )


def setup(
    demo_files: int = typer.Option(
        2000, help="Nạp dữ liệu mẫu với số hồ sơ này khi CSDL còn trống (0: không nạp)"
    ),
    seed: int = typer.Option(2019, help="Hạt giống dữ liệu mẫu"),
    demo_scans: int = typer.Option(
        3, help="Số hồ sơ mẫu được quét (tờ bìa + 2 trang mỗi hồ sơ) để worker đọc (0: không quét)"
    ),
    province: str = typer.Option(
        "BHXH tỉnh Hà Nam", help="Tên BHXH tỉnh khi không nạp dữ liệu mẫu"
    ),
) -> None:
    """First run: migrate, load demo data into an empty database, create the first administrator."""
    rt = runtime()
    migrations.upgrade(rt.engine)
    with unit_of_work(rt) as session:
        empty = not session.scalar(select(func.count(File.id)))
        has_office = session.scalar(select(Office.id).limit(1)) is not None
    if empty and demo_files > 0 and not has_office:
        with unit_of_work(rt) as session:
            summary = build_demo(session, SETUP, files=demo_files, seed=seed)
        typer.echo(f"Đã nạp dữ liệu mẫu: {summary}")
        # The demo is searchable at once (later, the worker keeps the index up to date).
        backend = open_backend(rt.settings)
        try:
            with unit_of_work(rt, write=False) as session:
                indexed = reindex(session, backend)
        finally:
            backend.close()
        typer.echo(f"Đã lập chỉ mục tìm kiếm {indexed} hồ sơ.")
        if demo_scans > 0:
            _demo_scans(rt, demo_scans, seed)
    with unit_of_work(rt) as session:
        if session.scalar(select(Office.id).limit(1)) is None:
            offices.create_office(session, SETUP, code="00", name=province)
        province_id = offices.get_by_code(session, "00").id
        password = accounts.bootstrap_admin(session, SETUP, office_id=province_id)
    if empty and demo_files > 0 and not has_office:
        _demo_use(rt, seed)  # after the administrator: bootstrap_admin waits for no user at all
    url = f"http://{rt.settings.host}:{rt.settings.port}/"
    secret_file = rt.settings.data_dir / "admin-password.txt"
    if password is not None:
        _write_private(secret_file, password + "\n")
        typer.echo(
            f"Đã tạo quản trị viên đầu tiên. Đăng nhập tại {url} với tài khoản: admin / mật khẩu: {password}"
        )
        typer.echo(
            f"(Mật khẩu cũng được lưu trong {secret_file}; hãy đổi bằng `archive users password admin`.)"
        )
    else:
        typer.echo(f"Đăng nhập tại {url} (mật khẩu quản trị ban đầu, nếu chưa đổi: {secret_file}).")


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def serve(
    host: str = typer.Option(None, help="Địa chỉ lắng nghe (mặc định ARCHIVE_HOST)"),
    port: int = typer.Option(None, help="Cổng (mặc định ARCHIVE_PORT)"),
    workers: int = typer.Option(1, help="Số tiến trình ứng dụng"),
) -> None:
    """Serve the web UI and the API."""
    import uvicorn

    settings = runtime().settings
    uvicorn.run(
        "archive.app:app_from_env",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        proxy_headers=True,
        log_level="info",
    )

"""`archive import PATH --office 00 --series CODE [--dry-run]`: a catalogue into the register.

Runs in this process (no worker needed): the file is read outside any transaction with a
progress bar, then checked and written in one transaction, all or nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from archive.catalogue import Catalogue
from archive.cli.common import runtime
from archive.db import transaction
from archive.errors import ArchiveError, InvalidRows
from archive.i18n import message
from archive.permissions import Actor
from archive.runtime import Runtime
from archive.services import imports, offices
from archive.services import series as series_service
from archive.services.imports import ImportReport

CLI_ACTOR = Actor.system("cli")
STAGES = {"read": "Đọc và kiểm tra tệp", "write": "Ghi vào sổ đăng ký"}


def register(app: typer.Typer) -> None:
    app.command(name="import")(import_catalogue)


class Bar:
    """A progress callback `(stage, done, total)` drawing a terminal progress bar."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._done = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self._bar is None:
            self._bar = typer.progressbar(
                length=max(total, 1), label=STAGES.get(stage, stage), file=None
            ).__enter__()
        self._bar.length = max(total, 1)
        self._bar.label = STAGES.get(stage, stage)
        self._bar.update(max(done - self._done, 0))
        self._done = max(done, self._done)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


def echo_error(text: str) -> None:
    typer.echo(text, err=True)


@contextmanager
def guarded() -> Iterator[None]:
    """Print a refusal in Vietnamese (every bad row for InvalidRows) and exit 1."""
    try:
        yield
    except InvalidRows as err:
        echo_error(message(err.code, **err.params))
        for row in err.errors:
            echo_error(f"  dòng {row['row']}, cột “{row['column']}”: {row['message']}")
        raise typer.Exit(1) from err
    except ArchiveError as err:
        echo_error(message(err.code, **err.params))
        raise typer.Exit(1) from err


def import_catalogue(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help="Tệp CSV hoặc XLSX"),
    office: str = typer.Option(..., "--office", help="Mã đơn vị (00 = BHXH tỉnh)"),
    series: str = typer.Option(..., "--series", help="Mã loại hồ sơ mặc định, vd. HUONG_MOT_LAN"),
    dry_run: bool = typer.Option(False, "--dry-run", help="Chỉ kiểm tra, không ghi dữ liệu"),
) -> None:
    """Import a catalogue (mục lục hồ sơ) into an office's register, all or nothing."""
    rt = runtime()
    bar = Bar()
    with guarded():
        with transaction(rt.sessions, write=False) as session:
            office_id = offices.get_by_code(session, office).id
            series_id = series_service.get_by_code(session, series).id
        try:
            catalogue = imports.read(path, path.name, progress=bar)
            if dry_run:
                with transaction(rt.sessions, write=False) as session:
                    report = imports.check_catalogue(
                        session,
                        CLI_ACTOR,
                        office_id=office_id,
                        series_id=series_id,
                        catalogue=catalogue,
                    )
            else:
                report = _write(rt, catalogue, office_id, series_id, bar)
        finally:
            bar.close()
    _print(report, catalogue)


def _write(
    rt: Runtime, catalogue: Catalogue, office_id: int, series_id: int, bar: Bar
) -> ImportReport:
    with transaction(rt.sessions) as session:
        return imports.import_catalogue(
            session,
            CLI_ACTOR,
            office_id=office_id,
            series_id=series_id,
            catalogue=catalogue,
            progress=bar,
        )


def _print(report: ImportReport, catalogue: Catalogue) -> None:
    if report.errors:
        rows = len({e.row for e in report.errors})
        echo_error(
            f"Tệp “{report.filename}” có {rows} dòng lỗi ({len(report.errors)} lỗi); "
            "chưa ghi dữ liệu nào:"
        )
        for error in report.errors:
            echo_error(f"  dòng {error.row}, cột “{error.column}”: {error.message_vi}")
        raise typer.Exit(1)
    if report.dry_run:
        typer.echo(
            f"Tệp “{report.filename}” hợp lệ: {report.rows} dòng, dòng tiêu đề cột là "
            f"dòng {catalogue.header.row}. Chưa ghi dữ liệu (chạy thử)."
        )
        return
    typer.echo(
        f"Đã nhập {report.created} hồ sơ từ tệp “{report.filename}” "
        f"(mã vạch {report.first_barcode} – {report.last_barcode}); "
        f"thêm {report.people_created} người hưởng, {report.employers_created} đơn vị."
    )
    typer.echo(f"SHA-256 của tệp: {report.source_sha256}")

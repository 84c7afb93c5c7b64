"""`archive import` (dry run and real run, in-process) and `archive jobs show`."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from archive.cli import app
from archive.db import transaction
from archive.jobs import run_import_job
from archive.services import imports
from tests.archive.catalogue.samples import TITLE_BLOCK, rows, write_csv, write_xlsx
from tests.archive.jobs.conftest import Place
from tests.factories import archivist


@pytest.fixture
def cli(place: Place, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("ARCHIVE_ENV", "test")
    monkeypatch.setenv("ARCHIVE_DATA_DIR", str(place.settings.data_dir))
    monkeypatch.setenv("ARCHIVE_DATABASE_URL", place.settings.database_url)
    monkeypatch.setenv("ARCHIVE_QUEUE_URL", place.settings.queue_url)
    return CliRunner()


def test_dry_run_prints_every_bad_row_in_vietnamese_and_exits_1(
    cli: CliRunner, tmp_path: Path
) -> None:
    data = rows(4)
    data[1][9] = "01110000021"
    data[3][3:5] = ["01/01/2020", "2019"]
    path = write_csv(tmp_path / "bad.csv", data, preamble=TITLE_BLOCK)
    result = cli.invoke(
        app, ["import", str(path), "--office", "00", "--series", "HUONG_MOT_LAN", "--dry-run"]
    )
    assert result.exit_code == 1
    assert "có 2 dòng lỗi" in result.output
    assert "dòng 5, cột “Mã số BHXH”: Mã số BHXH “01110000021” không hợp lệ" in result.output
    assert "dòng 7, cột “Thời gian kết thúc”: Thời gian bắt đầu phải trước" in result.output


def test_real_run_imports_and_prints_a_vietnamese_summary(cli: CliRunner, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ok.csv", rows(3, per_box=80))
    result = cli.invoke(app, ["import", str(path), "--office", "00", "--series", "huong_mot_lan"])
    assert result.exit_code == 0, result.output
    assert "Đã nhập 3 hồ sơ từ tệp “ok.csv”" in result.output
    again = cli.invoke(app, ["import", str(path), "--office", "00", "--series", "HUONG_MOT_LAN"])
    assert again.exit_code == 1
    assert "đã tồn tại trong đơn vị" in again.output  # nothing was written twice


def test_wrong_header_and_unknown_series_say_why(cli: CliRunner, tmp_path: Path) -> None:
    bad = write_xlsx(tmp_path / "bad.xlsx", rows(2), header=["STT", "Mã", "Nội dung"])
    result = cli.invoke(app, ["import", str(bad), "--office", "00", "--series", "HUONG_MOT_LAN"])
    assert result.exit_code == 1
    assert (
        "Không tìm thấy dòng tiêu đề cột hợp lệ; thiếu cột: Số ký hiệu hồ sơ, Tiêu đề hồ sơ."
        in result.output
    )
    ok = write_csv(tmp_path / "ok.csv", rows(1))
    result = cli.invoke(app, ["import", str(ok), "--office", "00", "--series", "KHONG_CO"])
    assert result.exit_code == 1 and "Không tìm thấy loại hồ sơ “KHONG_CO”" in result.output


def test_jobs_show_prints_status_and_progress(cli: CliRunner, place: Place, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ok.csv", rows(4))
    with transaction(place.runtime.sessions) as session:
        job_id = imports.submit_import(
            session,
            archivist(place.office_id),
            office_id=place.office_id,
            series_id=place.series_id,
            source=path,
            filename="ok.csv",
            data_dir=place.settings.data_dir,
            threshold=1,
            enqueue=lambda _: None,
        ).job_id
    assert job_id is not None
    queued = cli.invoke(app, ["jobs", "show", str(job_id)])
    assert queued.exit_code == 0 and f"Tác vụ {job_id} (import): đang chờ" in queued.output
    run_import_job(place.settings, job_id)
    done = cli.invoke(app, ["jobs", "show", str(job_id)])
    assert "đã xong" in done.output and "Tiến độ: 100% (8/8)" in done.output
    assert "Đã nhập 4 hồ sơ từ tệp “ok.csv”." in done.output
    missing = cli.invoke(app, ["jobs", "show", "999"])
    assert missing.exit_code == 1 and "Không tìm thấy tác vụ." in missing.output

"""`archive scan`, `archive fixity` and hot folders, on a real SQLite data directory.

Issue 3, "Must show": a 60-page PDF with 3 cover sheets lands as 57 pages on 3 files, each page
with searchable text and nothing in the tray; the same PDF again adds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from archive.cli import app
from archive.db import transaction
from archive.models import AuditEvent, File, Page, ScanBatch
from archive.services import files, scan_folders, search_outbox
from archive.services.search_index import open_backend
from indexes.query import parse
from scanners.storage import OriginalStore
from tests.archive.jobs.conftest import Place
from tests.factories import ADMIN, series
from tests.scan_docs import cover_png, image_pdf, text_png

CODES = ("HS-X", "HS-Y", "HS-Z")


@pytest.fixture
def cli(place: Place, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    for key, value in {
        "ARCHIVE_ENV": "test",
        "ARCHIVE_DATA_DIR": str(place.settings.data_dir),
        "ARCHIVE_DATABASE_URL": place.settings.database_url,
        "ARCHIVE_QUEUE_URL": place.settings.queue_url,
        "ARCHIVE_SCAN_DPI": "150",
    }.items():
        monkeypatch.setenv(key, value)
    return CliRunner()


def _files(place: Place) -> dict[str, File]:
    with transaction(place.runtime.sessions) as session:
        made = {
            code: files.create_file(
                session,
                ADMIN,
                files.FileIn(
                    office_id=place.office_id,
                    series_id=series(session, "HANH_CHINH").id,
                    code=code,
                    title=f"Hồ sơ {code}",
                    sheet_count=19,
                ),
            )
            for code in CODES
        }
    return made


def _sixty_pages(made: dict[str, File]) -> bytes:
    pages: list[bytes] = []
    number = 0
    for code in CODES:
        pages.append(cover_png(made[code].barcode))
        for _ in range(19):
            number += 1
            line = f"Hồ sơ {code} trang {number:02d} Nguyễn Thị Mai Lan"
            pages.append(text_png([line], dpi=150, seed=number, height_inches=1.0))
    return image_pdf(pages)


def test_sixty_pages_with_three_cover_sheets_land_as_57_pages_on_3_files(
    cli: CliRunner, place: Place, tmp_path: Path
) -> None:
    made = _files(place)
    pdf = tmp_path / "hop-60.pdf"
    pdf.write_bytes(_sixty_pages(made))
    first = cli.invoke(app, ["scan", str(pdf), "--here"])
    assert first.exit_code == 0, first.output
    assert "60 trang (60 trang mới, 0 trang đã có)" in first.output
    assert "chưa gắn hồ sơ 0" in first.output
    with transaction(place.runtime.sessions, write=False) as session:
        for code in CODES:
            pages = session.execute(
                select(Page.position, Page.text)
                .where(Page.file_id == made[code].id, Page.role == "content")
                .order_by(Page.position)
            ).all()
            assert [p.position for p in pages] == list(range(1, 20)), code
            assert all(f"Hồ sơ {code} trang" in p.text for p in pages), code
        assert session.scalar(select(func.count()).where(Page.file_id.is_(None))) == 0
    again = cli.invoke(app, ["scan", str(pdf), "--here"])
    assert again.exit_code == 0, again.output
    assert "60 trang (0 trang mới, 60 trang đã có)" in again.output
    with transaction(place.runtime.sessions, write=False) as session:
        assert session.scalar(select(func.count(Page.id))) == 60
        assert session.scalar(select(func.count(ScanBatch.id))) == 2
    backend = open_backend(place.settings)
    try:
        search_outbox.drain(place.runtime.sessions, backend)
        hits = backend.search(parse('"trang 45"'), None).hits
    finally:
        backend.close()
    assert [hit.file_id for hit in hits] == [made["HS-Z"].id]


def test_fixity_reports_a_changed_original_and_exits_1(
    cli: CliRunner, place: Place, tmp_path: Path
) -> None:
    made = _files(place)
    pdf = tmp_path / "mot.pdf"
    pdf.write_bytes(image_pdf([cover_png(made["HS-X"].barcode), text_png(["Trang một"])]))
    assert cli.invoke(app, ["scan", str(pdf), "--here"]).exit_code == 0
    healthy = cli.invoke(app, ["fixity"])
    assert healthy.exit_code == 0 and "Tất cả bản gốc nguyên vẹn" in healthy.output
    stored = next(OriginalStore(place.settings.originals_dir).iter_files())
    stored.chmod(0o644)
    stored.write_bytes(stored.read_bytes() + b"\n")  # a bit flipped by the disk, say
    broken = cli.invoke(app, ["fixity"])
    assert broken.exit_code == 1
    assert "hỏng (mã băm không khớp)" in broken.output
    stored.unlink()
    gone = cli.invoke(app, ["fixity"])
    assert gone.exit_code == 1 and "thiếu" in gone.output
    with transaction(place.runtime.sessions, write=False) as session:
        runs = session.scalars(
            select(AuditEvent.action).where(AuditEvent.action == "scan.fixity_checked")
        ).all()
    assert len(runs) == 3


def test_a_hot_folder_takes_settled_documents_in_and_files_refusals_with_a_reason(
    cli: CliRunner, place: Place, tmp_path: Path
) -> None:
    made = _files(place)
    folder = tmp_path / "may-quet"
    folder.mkdir()
    added = cli.invoke(app, ["scan-folders", "add", str(folder), "--office", "00"])
    assert added.exit_code == 0, added.output
    good = folder / "lan-1.pdf"
    good.write_bytes(image_pdf([cover_png(made["HS-Y"].barcode), text_png(["Trang hai"])]))
    (folder / "hong.pdf").write_bytes(b"MZ\x90\x00 not a pdf")
    polled = cli.invoke(app, ["scan-folders", "poll", "--settle", "0"])
    assert polled.exit_code == 0, polled.output
    assert "Đã nhận 1 tệp." in polled.output
    assert not good.exists() and list((folder / scan_folders.DONE_DIR).glob("*/lan-1.pdf"))
    reason = (folder / scan_folders.FAILED_DIR / "hong.pdf.txt").read_text(encoding="utf-8")
    assert "Loại tệp không được hỗ trợ" in reason
    with transaction(place.runtime.sessions, write=False) as session:
        batch = session.scalars(select(ScanBatch)).one()
        assert (batch.source, batch.pages_new) == ("folder", 2)
    # A document still being written (changed just now) is left for the next poll.
    (folder / "dang-ghi.pdf").write_bytes(b"%PDF-1.4 partial")
    assert "Đã nhận 0 tệp." in cli.invoke(app, ["scan-folders", "poll"]).output
    assert (folder / "dang-ghi.pdf").exists()

"""A citizen's digital copy, in Debian's Chromium against a live server (issue 5): registered at
the desk with an identity paper → approved by someone else, the fee quoted in đồng → paid with a
receipt → produced from the file's scanned pages → the certified PDF downloads, and every page
of it, read back with pdftotext, carries the certification footer with the request number.

The file's pages are scanned the cheapest real way: an image PDF taken in and each page read by
the real page task (render, tesseract) in this process, on the server's database and data
directory, before the server starts."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from archive.db import transaction
from archive.jobs import scan_tasks
from archive.runtime import Runtime
from archive.services import scan_intake, scan_work
from archive.settings import Settings
from scanners.storage import OriginalStore
from tests.archive.web.seed import Seeded
from tests.browser.conftest import log_in
from tests.browser.server import serve
from tests.factories import ADMIN
from tests.scan_docs import image_pdf, page_lines, text_png

pytestmark = pytest.mark.browser
FILE_CODE = "HS-2019-002"


@pytest.fixture
def scanned(db_path: Path, tmp_path: Path, seeded: Seeded) -> Settings:
    """Two pages of HS-2019-002 scanned, stored and read, as the worker would have done."""
    settings = Settings(
        env="test", data_dir=tmp_path / "data", database_url=f"sqlite:///{db_path}", scan_dpi=200
    )
    incoming = settings.data_dir / "incoming"
    incoming.mkdir(parents=True)
    document = incoming / "hs-2019-002.pdf"
    document.write_bytes(image_pdf([text_png(page_lines(n), seed=n) for n in (1, 2)]))
    runtime = Runtime(settings)
    try:
        with transaction(runtime.write_sessions) as session:
            batch = scan_intake.receive(
                session,
                ADMIN,
                office_id=seeded.office_id,
                documents=[scan_intake.Incoming(document, document.name)],
                store=OriginalStore(settings.originals_dir),
                target_file_id=seeded.file_ids[1],
            )
            batch_id = batch.id
        with transaction(runtime.sessions, write=False) as session:
            waiting = scan_work.pending_pages(session, batch_id)
        assert [scan_tasks.run_page(runtime, page_id) for page_id in waiting] == ["done", "done"]
    finally:
        runtime.dispose()
    return settings


@pytest.fixture
def base_url(db_path: Path, scanned: Settings) -> Iterator[str]:
    with serve(db_path, scanned.data_dir, settings=scanned) as url:
        yield url


def _as(page: Page, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, username)


def _page_text(pdf: Path, number: int) -> str:
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-f", str(number), "-l", str(number), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return " ".join(done.stdout.split())


def test_a_citizens_digital_copy_goes_from_the_desk_to_a_certified_download(
    page: Page, tmp_path: Path
) -> None:
    log_in(page)  # lan.nt, the archivist at the desk
    page.goto("/copies/new")
    page.get_by_role("radio", name="Công dân").check()
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Mai Lan")
    page.get_by_label("Loại giấy tờ tùy thân").select_option(label="CCCD")
    page.get_by_label("Số giấy tờ").fill("079 123 456 789")
    page.get_by_label("Loại bản sao").select_option(label="Bản sao số có xác nhận của lưu trữ")
    page.get_by_label("Hồ sơ và trang cần sao").fill(f"{FILE_CODE} 1-2")
    page.get_by_label("Mục đích").select_option(label="Giải quyết khiếu nại, tố cáo")
    page.get_by_role("button", name="Đăng ký yêu cầu").click()
    expect(page).to_have_url(re.compile(r"/copies/\d+\?ok=requested$"))
    expect(page.locator("h1 .badge")).to_have_text("Chờ duyệt")
    expect(page.locator("#copy-fee")).to_have_text("2.000 đ")  # 1.000 đ a scanned page
    expect(page.locator("#decide")).to_have_count(0)  # not by whoever registered it
    number = page.locator("#copy-number").inner_text()
    copy_url = page.url.split("?")[0]

    _as(page, "admin")
    page.goto(copy_url)
    page.get_by_role("button", name="Duyệt", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Đã duyệt yêu cầu cấp bản sao.")
    expect(page.locator("#copy-fee")).to_have_text("2.000 đ")

    _as(page, "lan.nt")
    page.goto(copy_url)
    page.get_by_label("Số biên lai").fill("0000123")
    page.get_by_role("button", name="Ghi biên lai thu phí").click()
    expect(page.get_by_role("status")).to_have_text("Đã ghi biên lai thu phí.")
    page.get_by_role("button", name="Tạo bản sao số").click()
    expect(page.get_by_role("status")).to_have_text("Đã sao xong.")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải bản sao số").click()
    pdf = tmp_path / "ban-sao.pdf"
    download.value.save_as(pdf)
    assert download.value.suggested_filename == f"ban-sao-{number}.pdf"
    for n in (1, 2):
        text = _page_text(pdf, n)
        assert f"Bản sao từ hồ sơ lưu trữ {FILE_CODE} · trang {n}/2" in text, text
        assert f"yêu cầu số {number}" in text, text
        assert f"Trang số {n}" in text, text  # the scanned page itself, not re-encoded

    page.get_by_role("button", name="Giao bản sao").click()
    expect(page.get_by_role("status")).to_have_text("Đã giao bản sao.")
    expect(page.locator("#copy-delivered")).to_contain_text("Nguyễn Thị Mai Lan")

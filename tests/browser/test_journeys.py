"""What an archivist does, in Debian's Chromium against a live server (issue 2, item 11)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.archive.web.seed import Seeded
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

BAD_CATALOGUE = (
    "Số TT,Số ký hiệu hồ sơ,Tiêu đề hồ sơ,Thời gian bắt đầu,Thời gian kết thúc,Số tờ,Hộp số,Mã số BHXH,Họ và tên\n"
    "1,MLT-2020-001,Hồ sơ hưởng một lần — Trần Văn Bình,02/03/2020,20/04/2020,12,2,0111063484,Trần Văn Bình\n"
    "2,MLT-2020-002,Hồ sơ hưởng một lần — Lê Thị Hoa,31/02/2020,20/04/2020,8,2,12345,Lê Thị Hoa\n"
)


def _files_in(db_path: Path) -> int:
    with sqlite3.connect(db_path) as conn:
        return int(conn.execute("SELECT count(*) FROM files").fetchone()[0])


def _scan(page: Page, selector: str, code: str) -> None:
    """As a USB barcode scanner does: the characters one by one, then Enter."""
    box = page.locator(selector)
    box.click()
    box.press_sequentially(code, delay=5)
    box.press("Enter")


def test_scan_a_box_see_its_files_move_one_and_read_the_move_in_its_history(
    page: Page, seeded: Seeded
) -> None:
    log_in(page)
    source, target = seeded.box_ids[0], seeded.box_ids[2]
    _scan(page, "#lookup-box", seeded.barcodes[source])
    expect(page).to_have_url(re.compile(rf"/boxes/{source}$"))
    expect(page.locator("#box-file-list tbody tr td:nth-child(2)")).to_have_text(
        ["HS-2019-001", "HS-2019-002", "HS-2019-003"]
    )
    page.locator("tr", has_text="HS-2019-002").get_by_role("button", name="Chuyển…").click()
    expect(page.locator("#move-target")).to_be_focused()
    page.locator("#move-form input[name=reason]").fill("Xếp theo năm")
    _scan(page, "#move-target", seeded.barcodes[target])
    expect(page.get_by_role("status")).to_have_text("Đã chuyển hồ sơ.")
    expect(page.locator("#box-file-list tbody tr td:nth-child(2)")).to_have_text(
        ["HS-2019-001", "HS-2019-003"]
    )
    _scan(page, "#lookup-box", seeded.barcodes[target])
    page.get_by_role("link", name="HS-2019-002").click()
    expect(page.locator("#file-path")).to_have_text("Kho 1 › Giá 01 › Tầng 2 › Hộp 003 › vị trí 1")
    move = page.locator("#history tr.action-file-moved")
    expect(move.locator(".move-from")).to_have_text("Kho 1 › Giá 01 › Tầng 1 › Hộp 001 › vị trí 2")
    expect(move.locator(".move-to")).to_have_text("Kho 1 › Giá 01 › Tầng 2 › Hộp 003 › vị trí 1")
    expect(move).to_contain_text("lan.nt")
    expect(move).to_contain_text("Xếp theo năm")


def test_import_with_bad_rows_shows_the_vietnamese_report_and_writes_nothing(
    page: Page, seeded: Seeded, db_path: Path
) -> None:
    before = _files_in(db_path)
    log_in(page)
    page.get_by_role("link", name="Nhập mục lục").click()
    page.get_by_label("Loại hồ sơ mặc định").select_option(
        label="Hồ sơ hưởng BHXH một lần, trợ cấp một lần"
    )
    page.get_by_label("Tệp").set_input_files(
        files=[
            {"name": "muc-luc.csv", "mimeType": "text/csv", "buffer": BAD_CATALOGUE.encode("utf-8")}
        ]
    )
    page.get_by_role("button", name="Kiểm tra (không ghi)").click()
    expect(page.locator("#import-report .error")).to_have_text(
        "Tệp có 1 dòng lỗi; chưa ghi dữ liệu nào."
    )
    expect(page.locator("#import-errors tbody tr td:nth-child(4)")).to_have_text(
        [
            "Ngày “31/02/2020” không hợp lệ (dd/mm/yyyy).",
            "Mã số BHXH “12345” không hợp lệ: phải gồm đúng 10 chữ số.",
        ]
    )
    expect(page.locator("#run-form")).to_have_count(0)
    assert _files_in(db_path) == before


def test_handover_create_scan_files_in_and_complete(
    page: Page, seeded: Seeded, db_path: Path
) -> None:
    before = _files_in(db_path)
    log_in(page)
    page.get_by_role("link", name="Giao nhận", exact=True).click()
    form = page.locator("#new-batch")
    form.get_by_label("Tên đợt giao nhận").fill("Công văn năm 2023 của BHXH huyện Duy Tiên")
    form.get_by_label("Loại hồ sơ").select_option(label="Công văn, hồ sơ nghiệp vụ chung")
    form.get_by_label("Mã đơn vị giao").fill("01")
    form.get_by_label("Người giao", exact=True).fill("Trần Văn Giao")
    form.get_by_role("button", name="Lập đợt giao nhận").click()
    expect(page.get_by_role("status")).to_have_text("Đã lập đợt giao nhận.")
    for code in ("CV-2023-001", "CV-2023-002", "CV-2023-003"):
        line = page.locator("#add-line")
        line.get_by_label("Số ký hiệu").fill(code)
        line.get_by_label("Tiêu đề").fill(f"Công văn {code}")
        line.get_by_label("Hộp số").fill("2")
        line.get_by_role("button", name="Thêm").click()
        expect(page.locator("#handover-lines tbody tr", has_text=code)).to_have_count(1)
    expect(page.locator("#scan-box")).to_be_focused()
    for n, code in enumerate(("CV-2023-001", "CV-2023-003"), start=1):
        _scan(page, "#scan-box", code)
        expect(page.locator("#scan-result .ok")).to_have_text(f"Đã nhận hồ sơ {code}")
        expect(page.locator("#count-received")).to_have_text(str(n))
        expect(page.locator("#scan-box")).to_be_focused()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Hoàn thành giao nhận").click()
    expect(page.get_by_role("status")).to_have_text(
        "Đã hoàn thành giao nhận; hồ sơ đã được đăng ký."
    )
    expect(page.locator("h1 .badge")).to_have_text("Đã hoàn thành")
    expect(page.locator("#count-missing")).to_have_text("1")
    assert _files_in(db_path) == before + 2

"""A reading-room visit, in Debian's Chromium against a live server (issue 5): the archivist
registers a visit → serves its file by scanning the barcode (keyboard only) → takes it back by
scanning → closes the visit → the usage register of the month lists it."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.archive.web.seed import Seeded
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser
FILE_CODE = "HS-2019-002"


def _barcode(db_path: Path, code: str) -> str:
    with sqlite3.connect(db_path) as conn:
        return str(conn.execute("SELECT barcode FROM files WHERE code = ?", (code,)).fetchone()[0])


def _scan(page: Page, code: str) -> None:
    """As a USB barcode scanner does into the focused box: the characters, then Enter."""
    page.keyboard.type(code, delay=5)
    page.keyboard.press("Enter")


def test_register_a_visit_serve_and_take_back_by_scanning_close_it_and_find_it_in_the_register(
    page: Page, seeded: Seeded, db_path: Path
) -> None:
    barcode = _barcode(db_path, FILE_CODE)
    log_in(page)
    page.goto("/reading-room")
    form = page.locator("#visit-form")
    form.get_by_label("Họ và tên người nghiên cứu").fill("Trần Thị Thanh Hương")
    form.get_by_label("Cơ quan, đơn vị").fill("Thanh tra Sở Lao động – Thương binh và Xã hội")
    form.get_by_label("Giấy tờ tùy thân").select_option(label="CCCD")
    form.get_by_label("Số giấy tờ").fill("079212345123")
    form.get_by_label("Mục đích nghiên cứu").select_option(label="Thanh tra, kiểm tra")
    form.get_by_label("Hồ sơ đề nghị").fill(FILE_CODE)
    form.get_by_role("button", name="Đăng ký lượt nghiên cứu").click()

    expect(page).to_have_url(re.compile(r"/visits/\d+\?ok=registered$"))
    expect(page.get_by_role("status")).to_have_text("Đã đăng ký lượt nghiên cứu.")
    number = page.locator("#visit-number").inner_text()
    item = page.locator(f"#visit-items tr[data-code='{FILE_CODE}'] .item-status")
    expect(page.locator("#serve-scan")).to_be_focused()
    _scan(page, barcode)
    expect(page.locator("#visit .ok")).to_have_text(f"Đã giao hồ sơ: {barcode}")
    expect(item).to_have_text("Đang đọc")
    # Nothing left to serve: the scanner's next input goes to taking files back.
    expect(page.locator("#return-scan")).to_be_focused()
    _scan(page, barcode)
    expect(page.locator("#visit .ok")).to_have_text(f"Đã nhận lại hồ sơ: {barcode}")
    expect(item).to_have_text("Đã trả")

    page.get_by_role("button", name="Kết thúc lượt nghiên cứu").click()
    expect(page.get_by_role("status")).to_have_text("Đã kết thúc lượt nghiên cứu.")
    expect(page.locator("h1 .badge")).to_have_text("Đã kết thúc")

    page.goto("/use-register")
    use = page.locator(f"#uses tr[data-reference='{number}']")
    expect(use).to_contain_text("Nghiên cứu tại chỗ")
    expect(use).to_contain_text("Trần Thị Thanh Hương")
    expect(use).to_contain_text(FILE_CODE)
    expect(use).to_contain_text("Đã phục vụ 1 hồ sơ tại phòng đọc")
    expect(page.locator("#use-counts [data-kind=reading] .value")).to_have_text("1")

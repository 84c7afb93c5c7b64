"""A passbook to the post office and back in the register, in Debian's Chromium against a live
server (issue 5): scanned onto a slip, sent, received, then found with "Sổ BHXH ở đâu?"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from archive.clock import local_today
from archive.db import make_engine, session_factory, transaction
from archive.permissions import Actor
from archive.services import passbooks
from archive.services.passbooks import PassbookIn
from tests.archive.web.seed import Seeded
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

NUMBER = "4803004239"
POST_OFFICE = "Bưu điện tỉnh Hà Nam"
SLIP_PDF = re.compile(r"^/api/v1/custody-transfers/\d+/slip\.pdf$")


@pytest.fixture
def passbook(db_path: Path, seeded: Seeded) -> str:
    """A passbook in the province archive, registered before the journey starts."""
    engine = make_engine(f"sqlite:///{db_path}")
    with transaction(session_factory(engine)) as session:
        data = PassbookIn(office_id=seeded.office_id, number=NUMBER, full_name="Nguyễn Thị Mai Lan")
        passbooks.register(session, Actor.system("test"), data)
    engine.dispose()
    return NUMBER


def _scan(page: Page, selector: str, code: str) -> None:
    """As a USB barcode scanner does: the characters one by one, then Enter."""
    box = page.locator(selector)
    box.press_sequentially(code, delay=5)
    box.press("Enter")


def test_send_a_passbook_to_the_post_office_by_scanning_receive_it_and_find_where_it_is(
    passbook: str, page: Page
) -> None:
    log_in(page)
    page.goto("/custody")
    page.get_by_role("link", name="Lập phiếu giao nhận").click()
    expect(page.locator("#to-name")).to_be_focused()
    page.locator("#to-kind").select_option(label="Bưu điện")
    page.locator("#to-name").fill(POST_OFFICE)
    page.locator("#to-person").fill("Võ Văn Bưu")
    page.locator("#to-person").press("Enter")  # on to the scan box, sending nothing
    expect(page.locator("#slip-scan")).to_be_focused()

    _scan(page, "#slip-scan", passbook)
    expect(page.locator("#slip-lines tbody tr")).to_have_count(1)
    expect(page.locator("#slip-lines tbody tr")).to_contain_text("Nguyễn Thị Mai Lan")
    expect(page.locator("#slip-scan")).to_be_focused()
    page.locator("#slip-scan").press("Enter")  # Enter on the empty box sends the slip

    expect(page.get_by_role("status")).to_contain_text("Đã lập phiếu giao nhận")
    expect(page.locator("h1 .badge")).to_have_text("Đang chuyển")
    expect(page.locator("#slip-to")).to_have_text(f"Bưu điện: {POST_OFFICE} (Võ Văn Bưu)")
    expect(page.locator("#print-slip")).to_have_attribute("href", SLIP_PDF)
    page.get_by_label("Người nhận").fill("Võ Văn Bưu")
    page.get_by_role("button", name="Xác nhận đã nhận").click()
    expect(page.locator("h1 .badge")).to_have_text("Đã nhận")

    page.goto("/custody")
    page.locator("main").get_by_role("link", name="Sổ BHXH ở đâu?").click()
    expect(page.locator("#where-box")).to_be_focused()
    _scan(page, "#where-box", passbook)
    today = local_today().strftime("%d/%m/%Y")
    expect(page.locator("#holder-now")).to_contain_text(f"Bưu điện: {POST_OFFICE} từ {today}")
    expect(page.locator("#not-in-transit")).to_have_text("Không đang chuyển.")
    expect(page.locator("#holders tbody tr td:first-child")).to_have_text(
        ["Kho lưu trữ: BHXH tỉnh Hà Nam", f"Bưu điện: {POST_OFFICE}"]
    )

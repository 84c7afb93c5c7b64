"""A loan from request to return, in Debian's Chromium against a live server (issue 5): a staff
member requests a file → the approver approves it from the inbox → the archivist hands it out at
the desk by scanning the borrower's card and the file → weeks later (the clock advanced, the
daily overdue run) the overdue list and the borrower's inbox show it → the archivist takes it
back by scanning → the file page shows it back in its box."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from archive import migrate
from archive.api import deps
from archive.db import make_engine, session_factory, transaction
from archive.models import Loan
from archive.permissions import Actor
from archive.services import overdue
from tests.browser.conftest import log_in
from tests.use_world import PASSWORD, make_use_world

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Loanable:
    path: Path
    file_id: int
    file_code: str
    file_barcode: str
    card: str


@pytest.fixture(scope="module")
def loan_template(tmp_path_factory: pytest.TempPathFactory) -> Loanable:
    path = tmp_path_factory.mktemp("loan-template") / "archive.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    with transaction(session_factory(engine)) as session:
        world = make_use_world(session, files=2)
        file = world.files[0]
        template = Loanable(path, file.id, file.code, file.barcode, world.borrower.card_code or "")
    engine.dispose()
    return template


@pytest.fixture
def db_path(loan_template: Loanable, tmp_path: Path) -> Path:
    return Path(shutil.copyfile(loan_template.path, tmp_path / "archive.sqlite3"))


def _scan(page: Page, code: str) -> None:
    """As a USB barcode scanner does: the characters one by one, then Enter."""
    box = page.locator("#desk-scan")
    expect(box).to_be_focused()
    box.press_sequentially(code, delay=5)
    box.press("Enter")


def _run_overdue(db_path: Path, today: date) -> None:
    """The daily overdue run on the server's database, on `today`."""
    engine = make_engine(f"sqlite:///{db_path}")
    try:
        with transaction(session_factory(engine)) as session:
            overdue.mark_overdue(session, Actor.system("overdue"), today=today)
    finally:
        engine.dispose()


def _due_date(db_path: Path) -> date:
    engine = make_engine(f"sqlite:///{db_path}")
    try:
        with transaction(session_factory(engine), write=False) as session:
            due = session.scalars(select(Loan.due_date)).one()
    finally:
        engine.dispose()
    assert due is not None
    return due


def test_request_approve_hand_out_overdue_and_return(
    page: Page, loan_template: Loanable, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    t = loan_template
    log_in(page, "lan", PASSWORD)
    page.get_by_role("link", name="Mượn hồ sơ").click()
    page.get_by_role("link", name="Đề nghị mượn hồ sơ").click()
    page.get_by_label("Hồ sơ (quét mã vạch").fill(t.file_code)
    page.get_by_role("button", name="Gửi đề nghị").click()
    expect(page.get_by_role("status")).to_have_text("Đã gửi đề nghị mượn hồ sơ.")
    expect(page.locator("h1 .badge")).to_have_text("Chờ duyệt")

    log_in(page, "giamdoc", PASSWORD)
    expect(page.locator("#unread-badge")).to_have_text("1")
    page.get_by_role("link", name="Thông báo").click()
    page.locator("#inbox article[data-kind='loan.requested']").get_by_role(
        "button", name="Duyệt cho mượn"
    ).click()
    expect(page.get_by_role("status")).to_have_text("Đã duyệt phiếu mượn.")
    expect(page.locator("#unread-badge")).to_have_count(0)

    log_in(page, "luutru", PASSWORD)
    page.get_by_role("link", name="Quầy cho mượn").click()
    _scan(page, t.card)
    expect(page.locator("#borrower-name")).to_have_text("Nguyễn Thị Lan")
    _scan(page, t.file_barcode)
    expect(page.locator("#desk-lines tbody tr td:nth-child(2)")).to_have_text([t.file_code])
    page.locator("#desk-scan").press("Enter")  # Enter on the empty box confirms
    expect(page.locator("#handed-out [role=status]")).to_contain_text("Đã giao hồ sơ theo phiếu")
    expect(page.locator("#print-slip")).to_have_attribute("href", re.compile(r"/slip\.pdf$"))
    expect(page.locator("#print-out-cards")).to_have_attribute(
        "href", re.compile(r"/out-cards\.pdf$")
    )
    expect(page.locator("#desk-scan")).to_be_focused()

    # Weeks later: the server's clock and the daily run both move on.
    later = _due_date(db_path) + timedelta(days=45)
    monkeypatch.setattr(deps, "local_today", lambda tz=None: later)
    _run_overdue(db_path, later)
    page.get_by_role("link", name="Mượn quá hạn").click()
    row = page.locator("#overdue tr[data-loan]")
    expect(row).to_have_count(1)
    expect(row.locator("td").first).to_have_text("Nguyễn Thị Lan")
    expect(row.locator(".level")).to_have_text("3")
    expect(row.locator("a.print-reminder")).to_have_count(3)

    log_in(page, "lan", PASSWORD)
    page.get_by_role("link", name="Thông báo").click()
    expect(page.locator("#inbox article[data-kind='loan.overdue']")).to_contain_text(
        "Phiếu mượn quá hạn"
    )

    log_in(page, "luutru", PASSWORD)
    page.goto("/loans/desk")
    page.get_by_role("link", name="Trả hồ sơ").click()
    _scan(page, t.file_barcode)
    expect(page.locator("#desk-lines tbody tr td:nth-child(2)")).to_have_text([t.file_code])
    page.locator("#desk-scan").press("Enter")
    expect(page.locator("#returned [role=status]")).to_have_text(
        "Đã nhận lại hồ sơ; hồ sơ đã về hộp."
    )
    page.goto(f"/files/{t.file_id}")
    expect(page.locator("#file-path")).to_have_text("Kho 1 › Giá 01 › Tầng 1 › Hộp 001 › vị trí 1")
    expect(page.locator("#out-card")).to_have_count(0)

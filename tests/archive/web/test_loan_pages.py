"""The loan pages through the real app, logged in through the real form: request, approval from
the inbox, the scanner desk (hand-out and return), a loan's page, overdue loans, the file page
while the file is out; refusals in Vietnamese on the same page, changing nothing."""

from __future__ import annotations

import subprocess
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from archive.clock import local_today
from archive.i18n import UI
from archive.models import AuditEvent, File, Loan, Notice, OutCard, User
from archive.models.loans import ITEM_STATUSES, LOAN_STATUSES, NOTICE_KINDS, OUT_KINDS
from archive.permissions import Actor
from archive.services import accounts, audit, loan_desk, loans, overdue
from archive.services.loans import LoanRequest
from archive.web import loan_desk as web_desk
from archive.web import loan_inbox as web_inbox
from archive.web import loans as web_loans
from tests.apps import make_app, make_user, seeded
from tests.archive.web.conftest import csrf_of, log_in, soup
from tests.use_world import PASSWORD, make_use_world

INSPECTOR = ("thanh.insp", "mật-khẩu-thử-nghiệm")
HOLDER = "Nguyễn Thị Lan, Phòng Chế độ BHXH"


@dataclass(frozen=True)
class World:
    """Plain values of the use world (its rows are not used after the seeding transaction)."""

    file_ids: list[int]
    barcodes: list[str]
    codes: list[str]
    borrower_card: str
    purpose_id: int


@pytest.fixture
def world(factory: sessionmaker[Session]) -> World:
    with seeded(factory) as session:
        w = make_use_world(session, files=3)
        return World(
            file_ids=[f.id for f in w.files],
            barcodes=[f.barcode for f in w.files],
            codes=[f.code for f in w.files],
            borrower_card=w.borrower.card_code or "",
            purpose_id=w.purpose.id,
        )


@pytest.fixture
def http(factory: sessionmaker[Session], world: World, tmp_path: Path) -> TestClient:
    make_user(factory, INSPECTOR[0], ("inspector",), password=INSPECTOR[1])
    return TestClient(make_app(factory, tmp_path), raise_server_exceptions=False)


def _as(http: TestClient, username: str) -> TestClient:
    http.cookies.clear()
    log_in(http, username, INSPECTOR[1] if username == INSPECTOR[0] else PASSWORD)
    return http


def _actor(session: Session, username: str) -> Actor:
    user = session.scalars(select(User).where(User.username == username)).one()
    return accounts.actor_for(session, user)


def _loan(
    factory: sessionmaker[Session],
    world: World,
    *idx: int,
    who: str = "lan",
    approve: bool = False,
    hand_out_on: date | None = None,
) -> int:
    """A loan of files `idx` requested by `who`, approved and handed out as asked."""
    with seeded(factory) as session:
        loan = loans.request_loan(
            session,
            _actor(session, who),
            LoanRequest(
                file_ids=tuple(world.file_ids[i] for i in idx), purpose_id=world.purpose_id
            ),
        )
        if approve or hand_out_on:
            loans.decide_loan(session, _actor(session, "giamdoc"), loan_id=loan.id, approve=True)
        if hand_out_on:
            loan_desk.hand_out(
                session,
                _actor(session, "luutru"),
                loan_id=loan.id,
                file_ids=[world.file_ids[i] for i in idx],
                today=hand_out_on,
            )
        return loan.id


def _counts(factory: sessionmaker[Session]) -> tuple[int, int, int]:
    with seeded(factory) as session:
        return (
            int(session.scalar(select(func.count(Loan.id))) or 0),
            int(session.scalar(select(func.count(AuditEvent.id))) or 0),
            int(session.scalar(select(func.count(OutCard.file_id))) or 0),
        )


def _post(client: TestClient, page_url: str, action: str, data: dict[str, Any], **kw: Any) -> Any:
    token = csrf_of(client.get(page_url).text)
    return client.post(action, data={"csrf_token": token, **data}, **kw)


def _error(html: str) -> tuple[str, str]:
    node = soup(html).select_one("#main .error")
    assert node is not None, html
    return str(node["data-code"]), node.get_text(strip=True)


def _desk(client: TestClient, token: str, htmx: bool = True, **data: Any) -> Any:
    headers = {"HX-Request": "true", "X-CSRF-Token": token} if htmx else {}
    return client.post(
        "/loans/desk", data={"csrf_token": token, **data}, headers=headers, follow_redirects=False
    )


def _hidden(html: str, name: str) -> list[str]:
    return [str(x["value"]) for x in soup(html).select(f"#desk-form input[name={name}]")]


def _pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "paper.pdf"
    path.write_bytes(content)
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True
    )
    return " ".join(unicodedata.normalize("NFC", done.stdout.decode()).split())


# Who may open which page: the others get the forbidden page with the permission message.
ROLES = {
    "lan": {"/loans", "/loans/new", "/inbox", "loan"},  # staff, the loan's borrower
    "giamdoc": {"/loans", "/loans/new", "/inbox", "loan"},  # approver
    "luutru": {"/loans", "/loans/new", "/inbox", "loan", "/loans/desk", "/loans/overdue"},
    INSPECTOR[0]: {"/inbox"},
}


def test_each_page_opens_for_its_roles_and_is_forbidden_to_the_others(
    http: TestClient, factory: sessionmaker[Session], world: World
) -> None:
    loan_id = _loan(factory, world, 0)
    pages = {"/loans", "/loans/new", "/loans/desk", "/loans/overdue", "/inbox", "loan"}
    for username, allowed in ROLES.items():
        client = _as(http, username)
        for page in sorted(pages):
            response = client.get(f"/loans/{loan_id}" if page == "loan" else page)
            assert response.status_code == (200 if page in allowed else 403), (username, page)
            if page not in allowed:
                assert _error(response.text)[0] in ("auth.permission", "auth.office_scope")
        nav = [a["href"] for a in soup(client.get("/inbox").text).select(".sidenav a")]
        assert ("/loans/desk" in nav) == ("/loans/desk" in allowed), username
    # Another staff member does not see Lan's loan.
    with seeded(factory) as session:
        accounts.create_user(
            session,
            Actor.system("test"),
            accounts.UserIn(
                username="hoa",
                full_name="Lê Thị Hoa",
                password=PASSWORD,
                office_id=session.scalars(select(User.office_id)).first() or 0,
                roles=("staff",),
            ),
        )
    response = _as(http, "hoa").get(f"/loans/{loan_id}")
    assert response.status_code == 403


def test_request_then_approve_from_the_inbox_with_the_unread_badge(
    http: TestClient, factory: sessionmaker[Session], world: World
) -> None:
    client = _as(http, "lan")
    response = _post(
        client,
        "/loans/new",
        "/loans/new",
        {
            "office_id": str(_office_id(factory)),
            "files": f"{world.codes[0]}\n{world.barcodes[1].lower()}",
            "purpose_id": str(world.purpose_id),
            "note": "Giải quyết hưởng một lần",
        },
    )
    assert response.status_code == 200 and "/loans/" in str(response.url)
    page = soup(response.text)
    assert page.select_one("[role=status]").get_text(strip=True) == "Đã gửi đề nghị mượn hồ sơ."
    assert page.select_one("h1 .badge").get_text(strip=True) == "Chờ duyệt"
    assert [tr["data-code"] for tr in page.select("#loan-items tbody tr")] == world.codes[:2]
    assert page.select_one("#decide") is None  # nobody approves their own request
    loan_url = str(response.url).split("?")[0]

    approver = _as(http, "giamdoc")
    inbox = soup(approver.get("/inbox").text)
    assert inbox.select_one(".sidenav a[href='/inbox'] [hx-get='/inbox/badge']")
    assert _badge(approver) == "1"
    notice = inbox.select_one("#inbox article[data-kind='loan.requested']")
    assert "Nguyễn Thị Lan" in notice.get_text(" ", strip=True)
    action = notice.select_one("form:has(button.approve)")["action"]
    response = _post(approver, "/inbox", action, {"approve": "1"})
    page = soup(response.text)
    assert page.select_one("[role=status]").get_text(strip=True) == "Đã duyệt phiếu mượn."
    assert _badge(approver) == ""  # deciding marked the notice read
    assert page.select_one("#inbox article .approve") is None

    borrower = _as(http, "lan")
    inbox = soup(borrower.get("/inbox").text)
    assert _badge(borrower) == "1"
    decided = inbox.select_one("#inbox article[data-kind='loan.decided']")
    assert "Đã duyệt" in decided.get_text(" ", strip=True)
    response = _post(borrower, "/inbox", decided.select_one("form")["action"], {})
    assert "unread" not in decided_class(response.text) and _badge(borrower) == ""
    history = soup(borrower.get(loan_url).text).select("#loan-history tbody tr td:nth-child(3)")
    assert [td.get_text(strip=True) for td in history] == ["Đề nghị mượn", "Duyệt cho mượn"]


def _badge(client: TestClient) -> str:
    """The unread count the navigation loads after each page ("" when none)."""
    badge = soup(client.get("/inbox/badge").text).select_one("#unread-badge")
    return badge.get_text(strip=True) if badge else ""


def decided_class(html: str) -> list[str]:
    return list(soup(html).select_one("#inbox article[data-kind='loan.decided']")["class"])


def _office_id(factory: sessionmaker[Session]) -> int:
    with seeded(factory) as session:
        return int(session.scalars(select(User.office_id).where(User.username == "lan")).one())


def test_refusals_are_shown_in_vietnamese_on_the_same_page_and_change_nothing(
    http: TestClient, factory: sessionmaker[Session], world: World
) -> None:
    client = _as(http, "lan")
    before = _counts(factory)
    response = _post(
        client,
        "/loans/new",
        "/loans/new",
        {
            "office_id": str(_office_id(factory)),
            "files": f"{world.codes[0]} HS-999",
            "purpose_id": str(world.purpose_id),
        },
    )
    assert response.status_code == 422
    assert _error(response.text) == (
        "file.not_found_code",
        "Không tìm thấy hồ sơ có mã “HS-999” trong đơn vị.",
    )
    assert soup(response.text).select_one("textarea[name=files]").get_text() == "HS-001 HS-999"
    assert _counts(factory) == before

    loan_id = _loan(factory, world, 0)
    approver = _as(http, "giamdoc")
    response = _post(
        approver, f"/loans/{loan_id}", f"/loans/{loan_id}/decide", {"approve": "0", "reason": ""}
    )
    assert response.status_code == 422
    assert _error(response.text) == ("loan.reason_required", "Vui lòng ghi lý do từ chối.")
    assert soup(response.text).select_one("h1 .badge").get_text(strip=True) == "Chờ duyệt"


def test_a_change_without_the_csrf_token_is_refused(
    http: TestClient, factory: sessionmaker[Session], world: World
) -> None:
    loan_id = _loan(factory, world, 0)
    client = _as(http, "giamdoc")
    before = _counts(factory)
    response = client.post(f"/loans/{loan_id}/decide", data={"approve": "1"})
    assert response.status_code == 401
    assert _error(response.text)[0] == "auth.csrf"
    response = client.post("/loans/desk", data={"scan": world.borrower_card, "csrf_token": "x"})
    assert response.status_code == 401
    assert _counts(factory) == before


def test_desk_hands_out_by_scanning_card_and_files_then_takes_them_back(
    http: TestClient, factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    loan_id = _loan(factory, world, 0, 1, approve=True)
    client = _as(http, "luutru")
    desk = client.get("/loans/desk").text
    token = csrf_of(desk)
    assert soup(desk).select_one("#desk-scan").has_attr("autofocus")
    assert soup(desk).select_one("#desk-prompt").get_text(strip=True) == "Quét thẻ người mượn"

    card = _desk(client, token, scan=world.borrower_card)
    assert card.status_code == 200 and card.text.lstrip().startswith('<div id="desk"')
    page = soup(card.text)
    assert page.select_one("#borrower-name").get_text(strip=True) == "Nguyễn Thị Lan"
    assert page.select_one("#desk-waiting").get_text(" ", strip=True).startswith("M")
    assert _hidden(card.text, "card") == [world.borrower_card]

    one = _desk(client, token, card=world.borrower_card, scan=world.barcodes[0].lower())
    assert _hidden(one.text, "scanned") == [world.barcodes[0]]
    two = _desk(
        client,
        token,
        card=world.borrower_card,
        scanned=_hidden(one.text, "scanned"),
        scan=world.barcodes[1],
    )
    rows = soup(two.text).select("#desk-lines tbody tr td:nth-child(2)")
    assert [td.get_text(strip=True) for td in rows] == world.codes[:2]
    assert _counts(factory)[2] == 0  # nothing is out until the confirmation

    done = _desk(
        client, token, card=world.borrower_card, scanned=_hidden(two.text, "scanned"), scan=""
    )
    assert done.status_code == 200 and done.headers["HX-Redirect"] == f"/loans/desk?done={loan_id}"
    page = soup(client.get(done.headers["HX-Redirect"]).text)
    assert "Đã giao hồ sơ theo phiếu" in page.select_one("#handed-out").get_text(" ", strip=True)
    slip = client.get(page.select_one("#print-slip")["href"])
    assert slip.headers["content-type"] == "application/pdf"
    assert "PHIẾU MƯỢN HỒ SƠ" in _pdf_text(slip.content, tmp_path)
    cards = client.get(page.select_one("#print-out-cards")["href"])
    assert _pdf_text(cards.content, tmp_path).count("PHIẾU THAY THẾ HỒ SƠ") == 2

    out = soup(client.get(f"/files/{world.file_ids[0]}").text).select_one("#out-card")
    assert out.get_text(" ", strip=True).startswith(f"{HOLDER} đến ")
    with seeded(factory) as session:
        file = session.get(File, world.file_ids[0])
        assert file is not None
        box_id = file.box_id
    slot = f"tr[data-file-id='{world.file_ids[0]}'] .out-card"
    in_box = soup(client.get(f"/boxes/{box_id}").text).select_one(slot)
    assert in_box.get_text(" ", strip=True).startswith(f"Đang cho mượn: {HOLDER} · đến ")

    # Back: the first file with two sheets fewer and damaged; the second as it went out.
    token = csrf_of(client.get("/loans/desk?mode=return").text)
    one = _desk(client, token, mode="return", scan=world.barcodes[0])
    assert _hidden(one.text, "barcode") == [world.barcodes[0]]
    assert "Nguyễn Thị Lan" in soup(one.text).select_one("#desk-lines").get_text()
    two = _desk(
        client,
        token,
        mode="return",
        barcode=[world.barcodes[0]],
        sheets=["9"],
        condition=["damaged"],
        note=[""],
        scan=world.barcodes[1],
    )
    sheets = [str(x.get("value", "")) for x in soup(two.text).select("input[name=sheets]")]
    assert sheets == ["9", ""]  # what was typed on the first line is kept
    back = _desk(
        client,
        token,
        htmx=False,
        mode="return",
        barcode=_hidden(two.text, "barcode"),
        sheets=["9", ""],
        condition=["damaged", "good"],
        note=["", ""],
        command="confirm",
    )
    assert back.status_code == 303
    assert back.headers["location"] == f"/loans/desk?mode=return&returned={loan_id}"
    loan = soup(client.get(f"/loans/{loan_id}").text)
    assert loan.select_one("h1 .badge").get_text(strip=True) == "Đã trả"
    discrepancy = loan.select_one(f"#loan-items tr[data-code='{world.codes[0]}']")
    assert "sheets 11 → 9" in discrepancy.get_text(" ", strip=True)
    assert soup(client.get(f"/files/{world.file_ids[0]}").text).select_one("#out-card") is None
    assert soup(client.get(f"/boxes/{box_id}").text).select_one(slot) is None
    assert _counts(factory)[2] == 0
    with seeded(factory) as session:  # the checks rolled back left the audit chain whole
        assert audit.verify(session).first_broken_id is None


def test_desk_refuses_in_place_unknown_cards_files_not_approved_and_files_already_out(
    http: TestClient, factory: sessionmaker[Session], world: World
) -> None:
    _loan(factory, world, 0, hand_out_on=local_today())  # Lan has HS-001
    _loan(factory, world, 0, 1, who="binh", approve=True)  # Bình is approved for both
    client = _as(http, "luutru")
    token = csrf_of(client.get("/loans/desk").text)
    before = _counts(factory)

    unknown = _desk(client, token, scan="U9999999999")
    assert unknown.status_code == 422
    assert _error(f'<main id="main">{unknown.text}</main>') == (
        "desk.card_unknown",
        "Không tìm thấy người mượn có thẻ “U9999999999”.",
    )
    with seeded(factory) as session:
        binh_card = session.scalars(select(User.card_code).where(User.username == "binh")).one()
    card = _desk(client, token, scan=binh_card)
    assert soup(card.text).select_one("#borrower-name").get_text(strip=True) == "Trần Văn Bình"

    refused = _desk(client, token, card=binh_card, scan=world.barcodes[2])
    assert _error(f'<main id="main">{refused.text}</main>') == (
        "desk.no_approved_loan",
        f"Trần Văn Bình không có phiếu mượn đã duyệt gồm các hồ sơ {world.codes[2]}.",
    )
    out = _desk(client, token, card=binh_card, scan=world.barcodes[0])
    assert _error(f'<main id="main">{out.text}</main>') == (
        "file.already_out",
        f"Hồ sơ {world.codes[0]} đang ở ngoài kho ({HOLDER}): không thể giao thêm lần nữa.",
    )
    assert _hidden(out.text, "scanned") == [] and _hidden(out.text, "card") == [binh_card]
    back = _desk(client, token, mode="return", scan=world.barcodes[1])
    assert _error(f'<main id="main">{back.text}</main>') == (
        "loan.file_not_on_loan",
        f"Hồ sơ {world.codes[1]} không đang được cho mượn.",
    )
    assert _counts(factory) == before


def test_overdue_loans_by_department_with_reminders_and_the_borrowers_notice(
    http: TestClient, factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    today = local_today()
    loan_id = _loan(factory, world, 0, hand_out_on=today - timedelta(days=40))
    with seeded(factory) as session:
        overdue.mark_overdue(session, Actor.system("overdue"), today=today)
    client = _as(http, "luutru")
    page = soup(client.get("/loans/overdue").text)
    assert page.select_one(".department-row").get_text(strip=True) == "Phòng Chế độ BHXH"
    row = page.select_one("#overdue tr[data-loan]")
    assert row.select_one("td").get_text(strip=True) == "Nguyễn Thị Lan"
    assert int(row.select_one(".days-late").get_text()) >= 15
    assert row.select_one(".level").get_text(strip=True) == "3"
    links = [a["href"] for a in row.select("a.print-reminder")]
    assert links == [f"/api/v1/loans/{loan_id}/reminder.pdf?level={n}" for n in (1, 2, 3)]
    letter = client.get(links[0])
    assert "Kính gửi: Ông/Bà Nguyễn Thị Lan" in _pdf_text(letter.content, tmp_path)
    assert client.get(links[1]).json()["code"] == "printing.reminder_needs_department_head"

    borrower = _as(http, "lan")
    loans_page = soup(borrower.get("/loans").text)
    assert "is-overdue" in loans_page.select_one("#loans tbody tr")["class"]
    notice = soup(borrower.get("/inbox").text).select_one(
        "#inbox article[data-kind='loan.overdue']"
    )
    assert "Phiếu mượn quá hạn" in notice.get_text(" ", strip=True)
    with seeded(factory) as session:
        assert session.scalar(select(func.count(Notice.id)).where(Notice.kind == "loan.overdue"))


def test_every_status_kind_and_condition_shown_has_labels_in_both_languages() -> None:
    keys = [
        *(f"loans.status.{s}" for s in LOAN_STATUSES),
        *(f"loans.item.{s}" for s in ITEM_STATUSES),
        *(f"loans.notice.{k}" for k in NOTICE_KINDS),
        *(f"loans.out_card.{k}" for k in OUT_KINDS),
        *(f"loans.condition.{c}" for c in web_desk.CONDITIONS),
        *(f"loans.ok.{k}" for k in web_loans.NOTICES | web_inbox.NOTICES),
    ]
    assert [k for k in keys if k not in UI] == []


def test_a_files_page_offers_its_loan_request_filled_in(http: TestClient, world: World) -> None:
    client = _as(http, "lan")
    link = soup(client.get(f"/files/{world.file_ids[0]}").text).select_one("#request-loan")
    form = soup(client.get(link["href"]).text)
    assert form.select_one("textarea[name=files]").get_text(strip=True) == world.codes[0]
    inspector = _as(http, INSPECTOR[0])  # may read the register, may not borrow
    assert (
        soup(inspector.get(f"/files/{world.file_ids[0]}").text).select_one("#request-loan") is None
    )

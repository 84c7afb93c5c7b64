"""The copy pages through the real app, logged in through the real form: who opens which page,
a citizen's request registered at the desk, approved by someone else with the fee quoted in
đồng, paid, produced and handed over; refusals in Vietnamese on the same page, changing
nothing; identity numbers masked without the personal-data permission; the price list."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from archive.clock import local_today
from archive.models import AuditEvent, CopyPrice, CopyRequest, User
from archive.permissions import Actor
from archive.services import accounts, copies, copy_views
from archive.services.copies import CopyIn, CopyItemIn
from tests.apps import make_app, make_user, seeded
from tests.archive.web.conftest import csrf_of, log_in, soup
from tests.use_world import PASSWORD, make_use_world

OTHERS = "mật-khẩu-thử-nghiệm"  # the inspector's and the administrator's
ID_NUMBER = "079123456789"


@dataclass(frozen=True)
class World:
    """Plain values of the use world (its rows are not used after the seeding transaction)."""

    office_id: int
    file_ids: list[int]
    barcodes: list[str]
    codes: list[str]
    purpose_id: int


@pytest.fixture
def world(factory: sessionmaker[Session]) -> World:
    with seeded(factory) as session:
        w = make_use_world(session, files=3)
        return World(
            office_id=w.office.id,
            file_ids=[f.id for f in w.files],
            barcodes=[f.barcode for f in w.files],
            codes=[f.code for f in w.files],
            purpose_id=w.purpose.id,
        )


@pytest.fixture
def http(factory: sessionmaker[Session], world: World, tmp_path: Path) -> TestClient:
    make_user(factory, "thanhtra", ("inspector",), password=OTHERS)
    make_user(factory, "quantri", ("administrator",), password=OTHERS)
    return TestClient(make_app(factory, tmp_path), raise_server_exceptions=False)


def _as(http: TestClient, username: str) -> TestClient:
    http.cookies.clear()
    log_in(http, username, OTHERS if username in ("thanhtra", "quantri") else PASSWORD)
    return http


def _actor(session: Session, username: str) -> Actor:
    user = session.scalars(select(User).where(User.username == username)).one()
    return accounts.actor_for(session, user)


def _post(client: TestClient, page_url: str, action: str, data: dict[str, Any], **kw: Any) -> Any:
    token = csrf_of(client.get(page_url).text)
    return client.post(action, data={"csrf_token": token, **data}, **kw)


def _error(html: str) -> tuple[str, str]:
    node = soup(html).select_one("#main .error")
    assert node is not None, html
    return str(node["data-code"]), node.get_text(strip=True)


def _counts(factory: sessionmaker[Session]) -> tuple[int, int, int]:
    """Requests, their audit events (logging in is audited too), prices."""
    with seeded(factory) as session:
        return (
            int(session.scalar(select(func.count(CopyRequest.id))) or 0),
            int(
                session.scalar(
                    select(func.count(AuditEvent.id)).where(
                        AuditEvent.object_type.in_(("copy", "copy_price"))
                    )
                )
                or 0
            ),
            int(session.scalar(select(func.count(CopyPrice.id))) or 0),
        )


def _citizen_form(world: World, **changes: str) -> dict[str, str]:
    return {
        "requester_kind": "citizen",
        "requester_name": "Nguyễn Thị Mai Lan",
        "organisation": "Xã Tân Bửu, huyện Bến Lức",
        "id_paper_kind": "citizen_id",
        "id_paper_number": "079 123 456 789",
        "kind": "certified",
        "office_id": str(world.office_id),
        "files": f"{world.codes[0]} 5, 1-3\n{world.barcodes[1].lower()}",
        "purpose_id": str(world.purpose_id),
        "note": "",
        **changes,
    }


def _request(
    factory: sessionmaker[Session], world: World, who: str = "luutru", *, approve: bool = False
) -> int:
    """A request: a citizen's (photocopy of HS-001 pages 1-3) at the desk, or `who`'s own."""
    with seeded(factory) as session:
        items = (CopyItemIn(world.file_ids[0], "1-3"),)
        if who == "luutru":
            data = CopyIn(
                "photocopy",
                "citizen",
                world.purpose_id,
                items,
                requester_name="Trần Thị Hoa",
                id_paper_kind="citizen_id",
                id_paper_number=ID_NUMBER,
            )
        else:
            data = CopyIn("photocopy", "internal", world.purpose_id, items)
        req = copies.request_copies(session, _actor(session, who), data)
        if approve:
            copies.decide_copies(session, _actor(session, "giamdoc"), copy_id=req.id, approve=True)
        return req.id


# Who may open which page: the others get the forbidden page with the permission message.
ROLES = {
    "lan": {"/copies", "/copies/new", "/copy-prices", "own"},  # staff who asked for a copy
    "binh": {"/copies", "/copies/new", "/copy-prices"},  # staff, someone else's request
    "giamdoc": {"/copies", "/copies/new", "/copy-prices", "own"},  # approver
    "luutru": {"/copies", "/copies/new", "/copy-prices", "own"},  # the desk
    "luutru03": {"/copies", "/copies/new", "/copy-prices"},  # another office's desk
    "thanhtra": {"/copies", "/copy-prices", "own"},  # inspector: control, no requests
}


def test_each_page_opens_for_its_roles_and_is_forbidden_to_the_others(
    http: TestClient, factory: sessionmaker[Session], world: World
) -> None:
    copy_id = _request(factory, world, "lan")
    for username, allowed in ROLES.items():
        client = _as(http, username)
        for page in ("/copies", "/copies/new", "/copy-prices", "own"):
            response = client.get(f"/copies/{copy_id}" if page == "own" else page)
            assert response.status_code == (200 if page in allowed else 403), (username, page)
            if page not in allowed:
                assert _error(response.text)[0] in ("auth.permission", "auth.office_scope")
        listed = client.get("/copies").context["page"]
        assert listed.total == (0 if username in ("binh", "luutru03") else 1), username
        # Only the desk registers citizens; an officer asks for themselves.
        if "/copies/new" in allowed:
            form = client.get("/copies/new").context["page"]
            assert form.desk == username.startswith("luutru"), username
    prices = _as(http, "quantri").get("/copy-prices").context["page"]
    assert prices.can_set and soup(http.get("/copy-prices").text).select_one("#price-form")
    assert soup(_as(http, "luutru").get("/copy-prices").text).select_one("#price-form") is None


def test_a_citizens_request_from_the_desk_to_delivery_with_the_fee_in_dong(
    http: TestClient, factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    desk = _as(http, "luutru")
    made = _post(desk, "/copies/new", "/copies/new", _citizen_form(world))
    assert made.status_code == 200 and "/copies/" in str(made.url), made.text
    page = soup(made.text)
    assert page.select_one("[role=status]").get_text(strip=True) == (
        "Đã đăng ký yêu cầu cấp bản sao."
    )
    assert page.select_one("h1 .badge").get_text(strip=True) == "Chờ duyệt"
    assert [tr["data-code"] for tr in page.select("#copy-items tbody tr[data-code]")] == (
        world.codes[:2]
    )
    # Certified: 2.000 đ a page for 4 + 12 pages, and 10.000 đ per request (seeded list).
    assert page.select_one("#copy-fee").get_text(strip=True) == "42.000 đ"
    assert page.select_one("#copy-identity .id-number").get_text() == ID_NUMBER
    assert page.select_one("#decide") is None  # the desk does not approve
    copy_url = str(made.url).split("?")[0]
    number = page.select_one("#copy-number").get_text(strip=True)
    assert number.startswith("C00")

    approver = _as(http, "giamdoc")
    shown = approver.get(copy_url)
    assert shown.context["page"].actions.decide and shown.context["page"].estimate
    decided = _post(approver, copy_url, f"{copy_url}/decide", {"approve": "1"})
    page = soup(decided.text)
    assert page.select_one("[role=status]").get_text(strip=True) == "Đã duyệt yêu cầu cấp bản sao."
    assert page.select_one("h1 .badge").get_text(strip=True) == "Đã duyệt"
    assert page.select_one("#copy-fee").get_text(strip=True) == "42.000 đ"
    assert "Lê Văn Giám" in page.select_one("#copy-decision").get_text()

    desk = _as(http, "luutru")
    assert "42.000 đ" in soup(desk.get(copy_url).text).select_one("#pay").get_text(" ")
    paid = _post(desk, copy_url, f"{copy_url}/pay", {"receipt_number": " 0001234 "})
    assert soup(paid.text).select_one("#copy-receipt").get_text(strip=True) == "0001234"
    assert soup(paid.text).select_one("#pay") is None
    produced = _post(desk, copy_url, f"{copy_url}/produce", {})
    page = soup(produced.text)
    assert page.select_one("h1 .badge").get_text(strip=True) == "Đã sao xong"
    assert page.select_one("#download-copy") is None  # a paper copy: nothing to download
    certification = desk.get(page.select_one("#print-certification")["href"])
    assert certification.headers["content-type"] == "application/pdf"
    slip = desk.get(page.select_one("#print-request")["href"])
    assert slip.content.startswith(b"%PDF")
    delivered = _post(desk, copy_url, f"{copy_url}/deliver", {"delivered_to": "Nguyễn Văn Bảo"})
    page = soup(delivered.text)
    assert page.select_one("h1 .badge").get_text(strip=True) == "Đã giao"
    assert page.select_one("#copy-delivered").get_text().endswith("Nguyễn Văn Bảo")
    assert page.select_one("#copy-actions") is None

    listed = soup(desk.get("/copies?status=delivered").text).select("#copies tbody tr")
    assert [tr["data-copy"] for tr in listed] == [number]
    assert soup(desk.get("/copies?status=requested").text).select_one("#no-copies")


def test_refusals_are_shown_in_vietnamese_on_the_same_page_and_change_nothing(
    http: TestClient, factory: sessionmaker[Session], world: World
) -> None:
    desk = _as(http, "luutru")
    before = _counts(factory)
    refused = _post(desk, "/copies/new", "/copies/new", _citizen_form(world, id_paper_number="   "))
    assert refused.status_code == 422
    assert _error(refused.text) == (
        "copy.identity_required",
        "Công dân yêu cầu bản sao phải xuất trình giấy tờ tùy thân: nhập loại và số giấy tờ.",
    )
    form = soup(refused.text)
    assert form.select_one("input[name=requester_name]")["value"] == "Nguyễn Thị Mai Lan"
    assert form.select_one("textarea[name=files]").get_text().startswith(world.codes[0])
    for files, expected in (
        (f"{world.codes[0]} 3-1", ("copy.pages", "Trang yêu cầu “3-1” không hợp lệ")),
        (f"{world.codes[0]} 10-12", ("copy.page_out_of_range", "Hồ sơ HS-001 chỉ có 11 trang")),
        ("HS-999 1", ("file.not_found_code", "Không tìm thấy hồ sơ có mã “HS-999”")),
    ):
        response = _post(desk, "/copies/new", "/copies/new", _citizen_form(world, files=files))
        code, text = _error(response.text)
        assert (code, text[: len(expected[1])]) == expected
    assert _counts(factory) == before

    copy_id = _request(factory, world)
    url = f"/copies/{copy_id}"
    approver = _as(http, "giamdoc")
    no_reason = _post(approver, url, f"{url}/decide", {"approve": "0", "reason": ""})
    assert no_reason.status_code == 422
    assert _error(no_reason.text) == ("copy.reason_required", "Vui lòng ghi lý do từ chối.")
    assert soup(no_reason.text).select_one("h1 .badge").get_text(strip=True) == "Chờ duyệt"
    _post(approver, url, f"{url}/decide", {"approve": "1"})

    desk = _as(http, "luutru")
    no_receipt = _post(desk, url, f"{url}/pay", {"receipt_number": " "})
    assert _error(no_receipt.text) == (
        "copy.receipt_required",
        "Vui lòng nhập số biên lai thu phí.",
    )
    _post(desk, url, f"{url}/produce", {})
    before = _counts(factory)
    unpaid = _post(desk, url, f"{url}/deliver", {"delivered_to": ""})
    number = unpaid.context["page"].req.number
    assert _error(unpaid.text) == (
        "copy.unpaid",
        f"Yêu cầu {number} chưa nộp phí 6.000 đồng: ghi biên lai trước khi giao bản sao.",
    )
    twice = _post(desk, url, f"{url}/produce", {})
    assert _error(twice.text) == (
        "copy.status",
        f"Yêu cầu {number} đang ở trạng thái “Đã sao xong”: không thể thực hiện thao tác này.",
    )
    assert soup(twice.text).select_one("h1 .badge").get_text(strip=True) == "Đã sao xong"
    assert _counts(factory) == before


def test_nobody_approves_a_request_they_registered(
    http: TestClient, factory: sessionmaker[Session], world: World
) -> None:
    admin = _as(http, "quantri")
    made = _post(admin, "/copies/new", "/copies/new", _citizen_form(world))
    url = str(made.url).split("?")[0]
    assert soup(made.text).select_one("#decide") is None
    before = _counts(factory)
    forced = _post(admin, url, f"{url}/decide", {"approve": "1"})
    code, text = _error(forced.text)
    assert code == "copy.self_approval" and text.startswith("Không được tự phê duyệt yêu cầu")
    assert _counts(factory) == before
    assert soup(_as(http, "giamdoc").get(url).text).select_one("#decide") is not None


def test_identity_numbers_are_masked_without_personal_data(
    http: TestClient, factory: sessionmaker[Session], world: World
) -> None:
    copy_id = _request(factory, world, approve=True)
    inspector = _as(http, "thanhtra")
    response = inspector.get(f"/copies/{copy_id}")
    page = soup(response.text)
    assert page.select_one("#copy-identity .id-number").get_text() == "*********789"
    assert ID_NUMBER not in response.text
    assert response.context["page"].actions == copy_views.CopyActions()
    assert page.select_one("#download-copy") is None and page.select_one("#copy-actions") is None
    listed = inspector.get("/copies")
    assert listed.context["page"].total == 1 and ID_NUMBER not in listed.text
    desk = soup(_as(http, "luutru").get(f"/copies/{copy_id}").text)
    assert desk.select_one("#copy-identity .id-number").get_text() == ID_NUMBER


def test_the_price_list_takes_a_new_price_from_a_date_and_refuses_bad_amounts(
    http: TestClient, factory: sessionmaker[Session], world: World
) -> None:
    quoted = _request(factory, world, approve=True)  # 3 pages at 2.000 đ
    admin = _as(http, "quantri")
    before = _counts(factory)
    for data, code in (
        ({"per_page": "hai nghìn"}, "copy_price.amount"),
        ({"per_page": "3.000", "valid_from": "31/02/2026"}, "identifier.date"),
    ):
        form = {"kind": "photocopy", "valid_from": local_today().isoformat(), **data}
        response = _post(admin, "/copy-prices", "/copy-prices", form)
        assert response.status_code == 422 and _error(response.text)[0] == code
    bad = _post(admin, "/copy-prices", "/copy-prices", {"kind": "photocopy", "per_page": "x"})
    assert _error(bad.text)[1] == "Giá không hợp lệ: x đồng (từ 0 đến 100.000.000 đồng)."
    assert soup(bad.text).select_one("input[name=per_page]")["value"] == "x"
    refused = _post(
        _as(http, "luutru"),
        "/copy-prices",
        "/copy-prices",
        {"kind": "photocopy", "per_page": "3000", "valid_from": local_today().isoformat()},
    )
    assert _error(refused.text)[0] == "auth.permission"
    assert _counts(factory) == before

    admin = _as(http, "quantri")
    form = {
        "kind": "photocopy",
        "per_page": "3.000",
        "per_request": "",
        "valid_from": local_today().isoformat(),
    }
    done = _post(admin, "/copy-prices", "/copy-prices", form)
    page = soup(done.text)
    assert page.select_one("[role=status]").get_text(strip=True) == "Đã thêm giá mới vào bảng giá."
    current = page.select_one("#prices tr.current[data-kind=photocopy]")
    assert current.select_one(".per-page").get_text(strip=True) == "3.000 đ"
    assert len(page.select("#prices tr[data-kind=photocopy]")) == 2
    # The request quoted before keeps its fee; a new one is estimated at the new price.
    assert soup(admin.get(f"/copies/{quoted}").text).select_one("#copy-fee").get_text(
        strip=True
    ) == ("6.000 đ")
    fresh = _request(factory, world)
    assert soup(admin.get(f"/copies/{fresh}").text).select_one("#copy-fee").get_text(
        strip=True
    ) == ("9.000 đ")


def test_an_officer_asks_for_their_own_copy_free_of_charge_and_htmx_is_redirected(
    http: TestClient, factory: sessionmaker[Session], world: World
) -> None:
    staff = _as(http, "lan")
    page = soup(staff.get("/copies/new").text)
    assert page.select_one("input[name=id_paper_number]") is None  # no citizen fields
    token = csrf_of(staff.get("/copies/new").text)
    response = staff.post(
        "/copies/new",
        data={
            "csrf_token": token,
            "requester_kind": "internal",
            "kind": "photocopy",
            "office_id": str(world.office_id),
            "files": f"{world.codes[2]}: 2",
            "purpose_id": str(world.purpose_id),
        },
        headers={"HX-Request": "true"},
        follow_redirects=False,
    )
    assert response.status_code == 200
    target = response.headers["HX-Redirect"]
    assert target.endswith("?ok=requested")
    shown = staff.get(target)
    req = shown.context["page"].req
    assert (req.requester_name, req.organisation, req.items[0].pages) == (
        "Nguyễn Thị Lan",
        "Phòng Chế độ BHXH",
        "2",
    )
    assert soup(shown.text).select_one("#copy-fee").get_text(strip=True) == "0 đ"

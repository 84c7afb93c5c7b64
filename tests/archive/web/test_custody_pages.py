"""The custody and passbook pages through the real app, logged in through the real form: a slip
scanned item by item, sent, printed and received; "Sổ BHXH ở đâu?" with the holder and the
history; registering, scanning at a review stage; the progress report; refusals in Vietnamese on
the same page, changing nothing."""

from __future__ import annotations

import subprocess
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from archive.clock import local_today
from archive.models import AuditEvent, CustodyTransfer, File, Passbook, User
from archive.permissions import Actor
from archive.services import accounts, custody, passbooks
from archive.services.custody import TransferIn
from archive.services.passbooks import PassbookIn
from tests.apps import make_user
from tests.apps import seeded as committed
from tests.archive.web.conftest import csrf_of, log_in, soup
from tests.archive.web.seed import Seeded

NUMBER = "4803004239"
OTHER = "0111063484"
POST_OFFICE = "Bưu điện tỉnh Hà Nam"
STAFF = ("hoa.staff", "mật-khẩu-thử-nghiệm")
SYSTEM = Actor.system("test")


def _register(factory: sessionmaker[Session], office_id: int, number: str, **values: Any) -> None:
    with committed(factory) as session:
        passbooks.register(
            session, SYSTEM, PassbookIn(office_id=office_id, number=number, **values)
        )


def _desk(session: Session) -> Actor:
    user = session.scalars(select(User).where(User.username == "lan.nt")).one()
    return accounts.actor_for(session, user)


def _counts(factory: sessionmaker[Session]) -> tuple[int, int]:
    with committed(factory) as session:
        return (
            int(session.scalar(select(func.count(CustodyTransfer.id))) or 0),
            int(session.scalar(select(func.count(AuditEvent.id))) or 0),
        )


def _error(html: str) -> tuple[str, str]:
    node = soup(html).select_one(".error[role=alert]")
    assert node is not None, html
    return str(node["data-code"]), node.get_text(strip=True)


def _hx(client: TestClient, url: str, token: str, data: dict[str, Any]) -> Any:
    headers = {"HX-Request": "true", "X-CSRF-Token": token}
    return client.post(url, data={"csrf_token": token, **data}, headers=headers)


def _items(html: str) -> list[str]:
    return [str(x["value"]) for x in soup(html).select("#slip-form input[name=item]")]


def _text(html: str, selector: str) -> str:
    node = soup(html).select_one(selector)
    assert node is not None, selector
    return node.get_text(" ", strip=True)


def _pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "slip.pdf"
    path.write_bytes(content)
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True
    )
    return " ".join(unicodedata.normalize("NFC", done.stdout.decode()).split())


TO_POST_OFFICE = {
    "from_kind": "archive",
    "to_kind": "post_office",
    "to_name": POST_OFFICE,
    "to_person": "Võ Văn Bưu",
}


def test_each_page_opens_for_its_roles_and_is_forbidden_to_the_others(
    app_client: TestClient, factory: sessionmaker[Session], seeded: Seeded
) -> None:
    _register(factory, seeded.office_id, NUMBER)
    with committed(factory) as session:
        slip = custody.send(
            session,
            _desk(session),
            TransferIn(
                office_id=seeded.office_id,
                from_kind="archive",
                to_kind="department",
                to_name="Phòng Cấp sổ, thẻ",
                passbook_numbers=(NUMBER,),
            ),
        )
    make_user(factory, STAFF[0], ("staff",), password=STAFF[1])
    pages = [
        "/custody",
        "/custody/new",
        f"/custody/{slip.id}",
        "/passbooks",
        f"/passbooks?number={NUMBER}",
        "/passbooks/progress",
    ]
    allowed = {
        "lan.nt": set(pages),  # archivist
        "admin": set(pages),
        "thanh.tt": {"/passbooks/progress"},  # inspector: reports only
        STAFF[0]: set(),
    }
    for username, opens in allowed.items():
        app_client.cookies.clear()
        log_in(app_client, username, *([STAFF[1]] if username == STAFF[0] else []))
        for url in pages:
            response = app_client.get(url)
            assert response.status_code == (200 if url in opens else 403), (username, url)
            if url not in opens:
                assert _error(response.text) == (
                    "auth.permission",
                    "Bạn không có quyền: "
                    + ("reports.read" if "progress" in url else "use.desk")
                    + ".",
                )


def test_a_slip_is_scanned_sent_printed_and_received_and_the_passbook_is_found_with_its_history(
    client_as: Callable[[str], TestClient],
    factory: sessionmaker[Session],
    seeded: Seeded,
    tmp_path: Path,
) -> None:
    _register(factory, seeded.office_id, NUMBER, full_name="Nguyễn Thị Mai Lan")
    with committed(factory) as session:
        barcode = session.scalar(select(File.barcode).where(File.id == seeded.file_ids[1]))
    client = client_as("lan.nt")
    new = client.get("/custody/new").text
    token = csrf_of(new)
    assert soup(new).select_one("#to-name").has_attr("autofocus")
    assert [o["value"] for o in soup(new).select("#to-kind option")][:5] == [
        "archive",
        "department",
        "post_office",
        "employer",
        "person",
    ]

    one = _hx(client, "/custody/new", token, {**TO_POST_OFFICE, "scan": "4803 004 239"})
    assert one.status_code == 200, one.text
    assert one.text.lstrip().startswith('<div id="slip"')
    assert _items(one.text) == [f"passbook:{NUMBER}"]
    assert _text(one.text, "#slip-result") == f"Đã thêm {NUMBER} · Nguyễn Thị Mai Lan"
    assert soup(one.text).select_one("#slip-scan").has_attr("autofocus")
    two = _hx(
        client, "/custody/new", token, {**TO_POST_OFFICE, "item": _items(one.text), "scan": barcode}
    )
    rows = soup(two.text).select("#slip-lines tbody tr")
    assert [(r["data-kind"], r["data-code"]) for r in rows] == [
        ("passbook", NUMBER),
        ("file", "HS-2019-002"),
    ]
    again = _hx(
        client, "/custody/new", token, {**TO_POST_OFFICE, "item": _items(two.text), "scan": NUMBER}
    )
    assert _items(again.text) == _items(two.text)
    assert _text(again.text, "#slip-result").startswith("Đã có trong phiếu:")
    assert _counts(factory)[0] == 0  # nothing is sent before the confirmation

    sent = _hx(client, "/custody/new", token, {**TO_POST_OFFICE, "item": _items(two.text)})
    url = sent.headers["HX-Redirect"]
    assert url.startswith("/custody/") and url.endswith("?ok=sent")
    slip = client.get(url).text
    assert _text(slip, "[role=status]").startswith("Đã lập phiếu giao nhận")
    assert _text(slip, "h1 .badge") == "Đang chuyển"
    assert _text(slip, "#slip-to") == f"Bưu điện: {POST_OFFICE} (Võ Văn Bưu)"
    number = _text(slip, "h1").split()[3]
    pdf = client.get(soup(slip).select_one("#print-slip")["href"])
    assert pdf.headers["content-type"] == "application/pdf"
    assert NUMBER in _pdf_text(pdf.content, tmp_path)
    listed = client.get("/custody").text
    assert [tr["data-slip"] for tr in soup(listed).select("#in-transit tbody tr")] == [number]
    moving = client.get(f"/passbooks?number={NUMBER}").text
    assert _text(moving, "#in-transit").startswith(f"Đang chuyển theo phiếu {number}")

    token = csrf_of(slip)
    received = client.post(
        f"/custody/{url.split('/')[2].split('?')[0]}/receive",
        data={"csrf_token": token, "received_by": "Trần Thị Nhận"},
    )
    assert _text(received.text, "[role=status]") == "Đã xác nhận bên nhận đã nhận."
    assert _text(received.text, "h1 .badge") == "Đã nhận"
    assert _text(received.text, "#slip-received").endswith("Trần Thị Nhận")
    assert soup(received.text).select_one("#slip-actions") is None
    assert soup(client.get("/custody").text).select_one("#none-in-transit") is not None

    where = client.get(f"/passbooks?number={NUMBER}").text
    today = local_today().strftime("%d/%m/%Y")
    assert _text(where, "#holder-now").startswith(f"Đang ở: Bưu điện: {POST_OFFICE} từ {today}")
    assert _text(where, "#not-in-transit") == "Không đang chuyển."
    holders = soup(where).select("#holders tbody tr td:first-child")
    assert [td.get_text(strip=True) for td in holders] == [
        "Kho lưu trữ: BHXH tỉnh Hà Nam",
        f"Bưu điện: {POST_OFFICE}",
    ]
    assert [tr["data-slip"] for tr in soup(where).select("#passbook-slips tbody tr")] == [number]
    assert _text(where, "#passbook-stages dd[data-stage=received]") == "—"


def test_register_then_scan_passbooks_through_the_review_stages_in_order(
    client_as: Callable[[str], TestClient], factory: sessionmaker[Session], seeded: Seeded
) -> None:
    client = client_as("lan.nt")
    page = client.get("/passbooks").text
    token = csrf_of(page)
    form = {
        "csrf_token": token,
        "office_id": str(seeded.office_id),
        "number": "4803-004-239",
        "full_name": "Nguyễn Thị Mai Lan",
        "holder_kind": "archive",
        "received": "1",
    }
    done = client.post("/passbooks", data=form)
    assert done.status_code == 200 and f"number={NUMBER}" in str(done.url)
    assert _text(done.text, "[role=status]") == "Đã đăng ký sổ BHXH."
    assert _text(done.text, "#holder-now").startswith("Đang ở: Kho lưu trữ: BHXH tỉnh Hà Nam")
    assert _text(done.text, "#passbook-stages dd[data-stage=received]") != "—"

    before = _counts(factory)
    twice = client.post("/passbooks", data=form)
    assert twice.status_code == 422
    assert _error(twice.text) == ("passbook.duplicate", f"Sổ BHXH số {NUMBER} đã được đăng ký.")
    assert soup(twice.text).select_one("#register-form input[name=full_name]")["value"] == (
        "Nguyễn Thị Mai Lan"
    )

    stamped = _hx(client, "/passbooks/stage", token, {"stage": "form03_printed", "scan": NUMBER})
    assert stamped.text.lstrip().startswith('<div id="stage-work"')
    assert _text(stamped.text, "#stage-result") == f"Đã ghi: {NUMBER}"
    assert soup(stamped.text).select_one("#stage-select option[selected]")["value"] == (
        "form03_printed"
    )
    again = _hx(
        client,
        "/passbooks/stage",
        token,
        {"stage": "form03_printed", "scan": NUMBER, "done": [NUMBER]},
    )
    assert _text(again.text, "#stage-result") == f"Đã ghi bước này từ trước: {NUMBER}"
    assert _text(again.text, "#stage-count") == "1"
    skipped = _hx(client, "/passbooks/stage", token, {"stage": "approved", "scan": NUMBER})
    assert skipped.status_code == 422
    assert _error(skipped.text) == (
        "passbook.stage_order",
        f"Sổ BHXH {NUMBER} chưa qua bước “Mẫu 03 đã thu về”: chưa thể ghi bước “Đã duyệt”.",
    )
    unknown = _hx(client, "/passbooks/stage", token, {"stage": "approved", "scan": OTHER})
    assert _error(unknown.text) == ("passbook.not_found", f"Không có sổ BHXH số {OTHER}.")
    assert _counts(factory) == (before[0], before[1] + 1)  # the one stamp, audited
    with committed(factory) as session:
        book = session.scalars(select(Passbook).where(Passbook.number == NUMBER)).one()
        assert book.form03_printed_at is not None and book.approved_at is None


def test_progress_counts_each_stage_per_office_with_a_total_and_a_date_window(
    client_as: Callable[[str], TestClient], factory: sessionmaker[Session], seeded: Seeded
) -> None:
    now = datetime.now(UTC)
    long_ago = now - timedelta(days=60)
    for n, office in enumerate((seeded.office_id, seeded.office_id, seeded.other_office_id)):
        _register(factory, office, f"480300423{n}", received_at=long_ago if n == 0 else now)
    with committed(factory) as session:
        numbers = ["4803004230", "4803004231"]
        passbooks.advance_stage(session, SYSTEM, numbers=numbers, stage="form03_printed", at=now)
        passbooks.advance_stage(
            session, SYSTEM, numbers=numbers[:1], stage="form03_handed_out", at=now
        )
    client = client_as("admin")  # every office
    page = soup(client.get("/passbooks/progress").text)
    heads = [th.get_text(strip=True) for th in page.select("#progress thead th")]
    assert heads == [
        "Đơn vị",
        "Số lượng 04",
        "Mẫu 03 đã in",
        "Mẫu 03 đã phát",
        "Mẫu 03 đã thu về",
        "Đã duyệt",
        "Đã in sổ",
    ]

    def cells(selector: str) -> list[str]:
        return [td.get_text(strip=True) for td in page.select(selector)][1:]

    assert cells("#progress tr[data-office='00'] td") == ["2", "2", "1", "0", "0", "0"]
    assert cells("#progress tr[data-office='01'] td") == ["1", "0", "0", "0", "0", "0"]
    assert cells("#progress-total th") == ["3", "2", "1", "0", "0", "0"]
    assert page.select_one("#progress-window").get_text(strip=True) == "Từ trước đến nay."

    today = local_today()
    week = (today - timedelta(days=7)).isoformat()
    page = soup(client.get(f"/passbooks/progress?since={week}&until={today.isoformat()}").text)
    assert cells("#progress-total th") == ["2", "2", "1", "0", "0", "0"]

    bad = client.get("/passbooks/progress?since=31/02/2026")
    assert bad.status_code == 422
    assert _error(bad.text) == ("identifier.date", "Ngày “31/02/2026” không hợp lệ (dd/mm/yyyy).")
    backwards = client.get("/passbooks/progress?since=2026-03-10&until=2026-03-01")
    assert _error(backwards.text) == (
        "report.period",
        "Khoảng thời gian không hợp lệ: từ 10/03/2026 đến 01/03/2026.",
    )


def test_refusals_are_shown_in_vietnamese_on_the_same_page_and_change_nothing(
    client_as: Callable[[str], TestClient], factory: sessionmaker[Session], seeded: Seeded
) -> None:
    _register(factory, seeded.office_id, NUMBER)
    client = client_as("lan.nt")
    token = csrf_of(client.get("/custody/new").text)
    before = _counts(factory)
    cases = [
        ({**TO_POST_OFFICE, "scan": "HS-999"}, "file.not_found_code"),
        ({**TO_POST_OFFICE, "scan": "0000000000"}, "passbook.not_found"),
        ({**TO_POST_OFFICE, "to_name": "", "scan": NUMBER}, "custody.holder_name"),
        (
            {**TO_POST_OFFICE, "to_kind": "archive", "to_name": "", "scan": NUMBER},
            "custody.same_holder",
        ),
    ]
    for data, code in cases:
        response = _hx(client, "/custody/new", token, data)
        assert response.status_code == 422, code
        assert _error(response.text)[0] == code
        assert _items(response.text) == []
    assert _error(_hx(client, "/custody/new", token, cases[0][0]).text)[1] == (
        "Không tìm thấy hồ sơ có mã “HS-999” trong đơn vị."
    )
    assert _error(_hx(client, "/custody/new", token, cases[2][0]).text)[1] == (
        "Vui lòng nhập tên bên giao và bên nhận."
    )
    assert _counts(factory) == before

    with committed(factory) as session:
        desk = _desk(session)
        data = TransferIn(office_id=seeded.office_id, **TO_POST_OFFICE, passbook_numbers=(NUMBER,))
        slip = custody.send(session, desk, data)
        custody.cancel(session, desk, transfer_id=slip.id, reason="Lập nhầm")
        other = custody.send(session, desk, data)
    before = _counts(factory)
    refused = _hx(
        client,
        "/custody/new",
        token,
        {**TO_POST_OFFICE, "to_kind": "department", "to_name": "Phòng Thu", "scan": NUMBER},
    )
    assert _error(refused.text) == (
        "custody.passbook_in_transit",
        f"Sổ BHXH {NUMBER} đang được chuyển theo phiếu {other.number} (đến {POST_OFFICE}): "
        "chưa thể giao tiếp.",
    )
    response = client.post(
        f"/custody/{slip.id}/receive", data={"csrf_token": token, "received_by": "Võ Văn Bưu"}
    )
    assert response.status_code == 422
    assert _error(response.text) == (
        "custody.status",
        f"Phiếu giao nhận {slip.number} đang ở trạng thái “Đã hủy”: "
        "không thể thực hiện thao tác này.",
    )
    assert soup(response.text).select_one("h1 .badge").get_text(strip=True) == "Đã hủy"
    assert _counts(factory) == before

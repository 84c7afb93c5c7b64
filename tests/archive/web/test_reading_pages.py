"""The reading-room, lookup and usage-register pages through the real app, logged in through the
real form: who may open them, a visit registered, served and taken back by scanning, approved by
someone else than its registrar, closed; refusals in Vietnamese on the same page, changing
nothing; identity numbers masked for inspectors; the register of the month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from archive.clock import local_today, zone
from archive.db import make_engine, session_factory, transaction
from archive.jobs import scan_tasks
from archive.jobs.tasks import flag_still_out_now
from archive.models import AuditEvent, Lookup, OutCard, ReadingVisit, User
from archive.permissions import Actor
from archive.services import accounts, loan_desk, loans, reading_desk, reading_room
from archive.services.loans import LoanRequest
from archive.services.reading_room import VisitIn
from archive.settings import Settings
from tests.apps import make_app, make_user, seeded
from tests.archive.web.conftest import csrf_of, log_in, soup
from tests.use_world import PASSWORD, make_use_world, restricted_file

INSPECTOR = ("thanh.insp", "mật-khẩu-thử-nghiệm")
ADMIN_USER = "quantri"
CCCD = "079212345123"
MASKED = "0792•••••123"


@dataclass(frozen=True)
class World:
    """Plain values of the use world (its rows are not used after the seeding transaction)."""

    office_id: int
    file_ids: list[int]
    barcodes: list[str]
    codes: list[str]
    purpose_id: int
    restricted_id: int


@pytest.fixture
def world(factory: sessionmaker[Session]) -> World:
    with seeded(factory) as session:
        w = make_use_world(session, files=3)
        vouchers = restricted_file(session, w)
        return World(
            office_id=w.office.id,
            file_ids=[f.id for f in w.files],
            barcodes=[f.barcode for f in w.files],
            codes=[f.code for f in w.files],
            purpose_id=w.purpose.id,
            restricted_id=vouchers.id,
        )


@pytest.fixture
def http(factory: sessionmaker[Session], world: World, tmp_path: Path) -> TestClient:
    return TestClient(make_app(factory, tmp_path), raise_server_exceptions=False)


@pytest.fixture
def inspector(factory: sessionmaker[Session], world: World) -> str:
    """An inspector: reads the registers and reports, without personal data."""
    make_user(factory, INSPECTOR[0], ("inspector",), password=INSPECTOR[1])
    return INSPECTOR[0]


def _as(http: TestClient, username: str) -> TestClient:
    http.cookies.clear()
    log_in(http, username, PASSWORD if username in ("lan", "giamdoc", "luutru") else INSPECTOR[1])
    return http


def _actor(session: Session, username: str) -> Actor:
    user = session.scalars(select(User).where(User.username == username)).one()
    return accounts.actor_for(session, user)


def _visit(
    factory: sessionmaker[Session], world: World, *file_ids: int, by: str = "luutru"
) -> tuple[int, str]:
    """A visit registered today through the service: (id, number)."""
    with seeded(factory) as session:
        visit = reading_room.register_visit(
            session,
            _actor(session, by),
            VisitIn(
                visitor_name="Trần Thị Thanh Hương",
                organisation="Thanh tra Sở LĐTBXH",
                id_paper_kind="citizen_id",
                id_paper_number=CCCD,
                purpose_id=world.purpose_id,
                file_ids=file_ids or (world.file_ids[0],),
            ),
            today=local_today(),
        )
        return visit.id, visit.number


def _counts(factory: sessionmaker[Session]) -> tuple[int, ...]:
    with seeded(factory) as session:
        return tuple(
            int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (ReadingVisit, AuditEvent, OutCard, Lookup)
        )


def _post(client: TestClient, page_url: str, action: str, data: dict[str, Any], **kw: Any) -> Any:
    token = csrf_of(client.get(page_url).text)
    return client.post(action, data={"csrf_token": token, **data}, **kw)


def _scan(client: TestClient, visit_id: int, box: str, code: str) -> Any:
    """One scan at the desk, as htmx sends it (Enter in the scan box)."""
    token = csrf_of(client.get(f"/visits/{visit_id}").text)
    return client.post(
        f"/visits/{visit_id}/{box}",
        data={"csrf_token": token, "scan": code},
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )


def _error(html: str) -> tuple[str, str]:
    node = soup(html).select_one("#main .error, #visit .error")
    assert node is not None, html
    return str(node["data-code"]), node.get_text(strip=True)


def _item_statuses(html: str) -> dict[str, str]:
    rows = soup(html).select("#visit-items tbody tr")
    return {
        str(r["data-code"]): r.select_one(".item-status").get_text(" ", strip=True) for r in rows
    }


PAGES = ("/reading-room", "/lookups", "/use-register", "/use-report", "visit", "slip")
# Who may open which page: the others get the forbidden page with the permission message.
ROLES = {
    "luutru": set(PAGES),  # archivist: the desk
    "giamdoc": set(PAGES),  # approver
    INSPECTOR[0]: set(PAGES),  # inspector: reads, with identity numbers masked
    "lan": set(),  # staff borrow files; they do not read the reading-room registers
}


def test_each_page_opens_for_its_roles_and_is_forbidden_to_the_others(
    http: TestClient, factory: sessionmaker[Session], world: World, inspector: str
) -> None:
    visit_id, _number = _visit(factory, world)
    urls = {"visit": f"/visits/{visit_id}", "slip": f"/visits/{visit_id}/slip.pdf"}
    for username, allowed in ROLES.items():
        client = _as(http, username)
        for page in PAGES:
            response = client.get(urls.get(page, page))
            assert response.status_code == (200 if page in allowed else 403), (username, page)
            if page not in allowed:
                assert _error(response.text)[0] == "auth.permission"
        if allowed:
            room = soup(client.get("/reading-room").text)
            # Only the desk registers visits and records lookups.
            desk = username == "luutru"
            assert (room.select_one("#visit-form") is not None) == desk, username
            assert (
                soup(client.get("/lookups").text).select_one("#lookup-form") is not None
            ) == desk
    slip = _as(http, "luutru").get(urls["slip"])
    assert slip.headers["content-type"] == "application/pdf" and slip.content.startswith(b"%PDF")


def test_register_a_visit_then_serve_take_back_and_close_by_scanning(
    http: TestClient, factory: sessionmaker[Session], world: World
) -> None:
    client = _as(http, "luutru")
    response = _post(
        client,
        "/reading-room",
        "/reading-room",
        {
            "office_id": str(world.office_id),
            "visitor_name": "Trần Thị Thanh Hương",
            "organisation": "Thanh tra Sở LĐTBXH",
            "id_paper_kind": "citizen_id",
            "id_paper_number": "0792 1234 5123",
            "purpose_id": str(world.purpose_id),
            "files": f"{world.codes[0]}\n{world.barcodes[1].lower()}",
        },
    )
    assert response.status_code == 200 and "ok=registered" in str(response.url)
    page = response.context["page"]
    visit_id = page.visit.id
    assert page.visit.status == "approved" and page.actions.serve and page.focus == "serve"
    assert soup(response.text).select_one("[role=status]").get_text(strip=True) == (
        "Đã đăng ký lượt nghiên cứu."
    )
    assert soup(response.text).select_one("#serve-scan").has_attr("autofocus")
    room = client.get("/reading-room").context["page"]
    assert [r.visit.id for r in room.current] == [visit_id] and room.current[0].id_number == CCCD

    served = _scan(client, visit_id, "serve", world.barcodes[0])
    assert served.status_code == 200
    html = soup(served.text)
    assert html.select_one("#visit")["data-status"] == "open"  # only the visit is swapped
    assert html.select_one("#visit .ok").get_text(" ", strip=True) == (
        f"Đã giao hồ sơ: {world.barcodes[0]}"
    )
    assert _item_statuses(served.text) == {world.codes[0]: "Đang đọc", world.codes[1]: "Chưa giao"}
    assert html.select_one("#serve-scan").has_attr("autofocus")  # the scanner goes on serving
    assert _counts(factory)[2] == 1  # the out-card in the file's slot

    back = _scan(client, visit_id, "return", world.barcodes[0])
    assert back.status_code == 200
    assert _item_statuses(back.text)[world.codes[0]] == "Đã trả"
    assert soup(back.text).select_one("#return-scan") is None  # nothing left to take back
    assert _counts(factory)[2] == 0

    closed = _post(client, f"/visits/{visit_id}", f"/visits/{visit_id}/close", {})
    assert closed.status_code == 200 and "ok=closed" in str(closed.url)
    assert closed.context["page"].visit.status == "closed"
    assert _item_statuses(closed.text) == {
        world.codes[0]: "Đã trả",
        world.codes[1]: "Không phục vụ",
    }
    ended = client.get("/reading-room").context["page"].ended
    assert [r.visit.id for r in ended] == [visit_id]


def test_a_refused_registration_shows_the_vietnamese_message_and_changes_nothing(
    http: TestClient, factory: sessionmaker[Session], world: World
) -> None:
    client = _as(http, "luutru")
    before = _counts(factory)
    form = {
        "office_id": str(world.office_id),
        "visitor_name": "Trần Thị Thanh Hương",
        "id_paper_kind": "citizen_id",
        "id_paper_number": "12345",
        "purpose_id": str(world.purpose_id),
        "files": world.codes[0],
    }
    response = _post(client, "/reading-room", "/reading-room", form)
    assert response.status_code == 422
    assert _error(response.text) == (
        "identifier.citizen_id",
        "Số định danh cá nhân “12345” không hợp lệ: phải gồm đúng 12 chữ số.",
    )
    typed = soup(response.text).select_one("#visit-form")
    assert typed.select_one("input[name=visitor_name]")["value"] == "Trần Thị Thanh Hương"
    assert typed.select_one("textarea[name=files]").get_text() == world.codes[0]

    unknown = _post(client, "/reading-room", "/reading-room", {**form, "files": "HS-999"})
    assert _error(unknown.text) == (
        "file.not_found_code",
        "Không tìm thấy hồ sơ có mã “HS-999” trong đơn vị.",
    )
    assert _counts(factory) == before


def test_desk_refusals_are_shown_on_the_visit_and_change_nothing(
    http: TestClient, factory: sessionmaker[Session], world: World
) -> None:
    visit_id, number = _visit(factory, world, world.file_ids[0])
    client = _as(http, "luutru")
    before = _counts(factory)

    stranger = _scan(client, visit_id, "serve", world.barcodes[2])
    assert stranger.status_code == 422
    assert _error(stranger.text) == (
        "visit.file_not_requested",
        f"Lượt nghiên cứu {number} không đề nghị hồ sơ: {world.codes[2]}.",
    )
    assert _counts(factory) == before

    _scan(client, visit_id, "serve", world.barcodes[0])
    still_out = _post(client, f"/visits/{visit_id}", f"/visits/{visit_id}/close", {})
    assert still_out.status_code == 422
    assert _error(still_out.text) == (
        "visit.files_still_out",
        f"Lượt nghiên cứu {number} chưa trả hồ sơ: {world.codes[0]}.",
    )
    with seeded(factory) as session:
        assert session.get(ReadingVisit, visit_id).status == "open"  # type: ignore[union-attr]


def test_a_restricted_visit_is_decided_by_an_approver_never_by_its_registrar(
    http: TestClient, factory: sessionmaker[Session], world: World
) -> None:
    make_user(factory, ADMIN_USER, ("administrator",), password=INSPECTOR[1])
    visit_id, number = _visit(factory, world, world.restricted_id, by=ADMIN_USER)
    # The registrar may approve in general, not this visit: no buttons, and a refusal if forced.
    own = _as(http, ADMIN_USER)
    assert not own.get(f"/visits/{visit_id}").context["page"].actions.decide
    forced = _post(own, f"/visits/{visit_id}", f"/visits/{visit_id}/decide", {"approve": "1"})
    assert forced.status_code == 422
    assert _error(forced.text) == (
        "visit.self_approval",
        f"Người đăng ký lượt nghiên cứu {number} không được tự phê duyệt.",
    )
    assert not _as(http, "luutru").get(f"/visits/{visit_id}").context["page"].actions.decide

    approver = _as(http, "giamdoc")
    room = approver.get("/reading-room").context["page"]
    assert [r.visit.id for r in room.waiting] == [visit_id]
    no_reason = _post(
        approver, f"/visits/{visit_id}", f"/visits/{visit_id}/decide", {"approve": "0"}
    )
    assert _error(no_reason.text) == ("visit.reason_required", "Vui lòng nêu lý do từ chối.")
    approved = _post(
        approver, f"/visits/{visit_id}", f"/visits/{visit_id}/decide", {"approve": "1"}
    )
    assert approved.status_code == 200 and "ok=approved" in str(approved.url)
    assert approved.context["page"].visit.status == "approved"
    assert approved.context["page"].staff.decided_by == "Lê Văn Giám"


def test_identity_numbers_are_masked_for_inspectors(
    http: TestClient, factory: sessionmaker[Session], world: World, inspector: str
) -> None:
    visit_id, _number = _visit(factory, world)

    def shown(username: str) -> tuple[str, str]:
        client = _as(http, username)
        room = soup(client.get("/reading-room").text).select_one("#visits-current .id-number")
        visit = soup(client.get(f"/visits/{visit_id}").text).select_one("#id-number")
        return room.get_text(strip=True), visit.get_text(strip=True)

    assert shown(inspector) == (MASKED, MASKED)
    assert shown("luutru") == (CCCD, CCCD)


def test_a_lookup_is_recorded_and_listed_and_a_refused_one_changes_nothing(
    http: TestClient, factory: sessionmaker[Session], world: World
) -> None:
    client = _as(http, "luutru")
    form = {
        "office_id": str(world.office_id),
        "asker_name": "Nguyễn Văn Hùng",
        "organisation": "Công ty May Duy Tiên",
        "channel": "phone",
        "purpose_id": str(world.purpose_id),
        "question": "Thời gian đóng BHXH năm 2015?",
        "answer": "Đóng đủ 12 tháng.",
        "file": world.barcodes[1],
    }
    before = _counts(factory)
    empty = _post(client, "/lookups", "/lookups", {**form, "question": "  "})
    assert empty.status_code == 422
    assert _error(empty.text) == (
        "lookup.question",
        "Vui lòng nhập nội dung cần tra cứu (tối đa 4000 ký tự).",
    )
    assert _counts(factory) == before

    done = _post(client, "/lookups", "/lookups", form)
    assert done.status_code == 200 and "ok=recorded" in str(done.url)
    rows = soup(done.text).select("#lookups tbody tr")
    assert len(rows) == 1
    cells = [td.get_text(" ", strip=True) for td in rows[0].select("td")]
    assert cells[1:] == [
        "Nguyễn Văn Hùng Công ty May Duy Tiên",
        "Điện thoại",
        "Giải quyết chế độ BHXH",
        "Thời gian đóng BHXH năm 2015?",
        "Đóng đủ 12 tháng.",
        world.codes[1],
    ]


def _month_of_uses(factory: sessionmaker[Session], world: World) -> tuple[str, str, str]:
    """A loan handed out today, a visit served today and a visit of last month: their numbers."""
    today = local_today()
    this_visit, this_number = _visit(factory, world, world.file_ids[0])
    old_visit, old_number = _visit(factory, world, world.file_ids[1])
    with seeded(factory) as session:
        desk = _actor(session, "luutru")
        reading_desk.serve_files(
            session, desk, visit_id=this_visit, file_ids=[world.file_ids[0]], today=today
        )
        loan = loans.request_loan(
            session,
            _actor(session, "lan"),
            LoanRequest(file_ids=(world.file_ids[2],), purpose_id=world.purpose_id),
        )
        loans.decide_loan(session, _actor(session, "giamdoc"), loan_id=loan.id, approve=True)
        loan_desk.hand_out(
            session, desk, loan_id=loan.id, file_ids=[world.file_ids[2]], today=today
        )
        session.execute(
            update(ReadingVisit)
            .where(ReadingVisit.id == old_visit)
            .values(visit_date=today.replace(day=1) - timedelta(days=3), status="closed")
        )
        return loan.number, this_number, old_number


def test_the_register_lists_the_uses_of_the_month_and_not_those_of_the_month_before(
    http: TestClient, factory: sessionmaker[Session], world: World
) -> None:
    loan_number, visit_number, old_number = _month_of_uses(factory, world)
    client = _as(http, "giamdoc")

    response = client.get("/use-register")
    assert response.status_code == 200
    page = response.context["page"]
    first = local_today().replace(day=1)
    assert page.period.first == first and page.register.office.id == world.office_id
    assert dict(page.counts) == {"loan": 1, "reading": 1, "lookup": 0, "copy": 0}
    rows = soup(response.text).select("#uses tbody tr")
    assert [(r["data-kind"], r["data-reference"]) for r in rows] == [
        ("loan", loan_number),
        ("reading", visit_number),
    ]
    assert "Nguyễn Thị Lan" in rows[0].get_text() and "Trần Thị Thanh Hương" in rows[1].get_text()
    pdf = client.get(soup(response.text).select_one("#print-register")["href"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    before = first - timedelta(days=1)
    earlier = client.get(f"/use-register?first={before.replace(day=1)}&last={before}")
    references = [r["data-reference"] for r in soup(earlier.text).select("#uses tbody tr")]
    assert references == [old_number]


def test_the_use_report_counts_this_month_and_refuses_a_bad_period_on_the_page(
    http: TestClient, factory: sessionmaker[Session], world: World, inspector: str
) -> None:
    _month_of_uses(factory, world)
    client = _as(http, inspector)

    report = client.get("/use-report").context["page"].report
    assert (report.totals.loans, report.totals.visits) == (1, 1)
    assert report.overdue_now == 0
    totals = soup(client.get("/use-report").text).select_one("#use-totals")
    assert [th.get_text(strip=True) for th in totals.select("th")][1:3] == ["1", "1"]

    bad = client.get("/use-report?first=31/02/2026")
    assert bad.status_code == 422
    assert _error(bad.text) == ("identifier.date", "Ngày “31/02/2026” không hợp lệ (dd/mm/yyyy).")
    backwards = client.get("/use-register?first=2026-03-31&last=2026-03-01")
    assert _error(backwards.text)[0] == "report.period"


def test_the_workers_closing_check_flags_a_file_left_out_and_the_room_shows_it(
    sqlite_template: Path, tmp_path: Path
) -> None:
    """The periodic task's function on its own database, as the worker runs it."""
    path = tmp_path / "worker.sqlite3"
    path.write_bytes(sqlite_template.read_bytes())
    settings = Settings(env="test", data_dir=tmp_path / "data", database_url=f"sqlite:///{path}")
    engine = make_engine(settings.database_url)
    factory = session_factory(engine)
    today = local_today()
    with transaction(factory) as session:
        w = make_use_world(session, files=1)
        desk = w.actor(session, w.archivist)
        visit = reading_room.register_visit(
            session,
            desk,
            VisitIn("Trần Văn Bình", "citizen_id", CCCD, w.purpose.id, (w.files[0].id,)),
            today=today,
        )
        reading_desk.serve_files(
            session, desk, visit_id=visit.id, file_ids=[w.files[0].id], today=today
        )
        code = w.files[0].code
    late = datetime.combine(today, time(23, 0), zone())
    try:
        first = flag_still_out_now(settings, now=late)
        again = flag_still_out_now(settings, now=late + timedelta(minutes=15))
    finally:
        scan_tasks.runtime_for(settings).dispose()
    assert [x.file_code for x in first] == [code] == [x.file_code for x in again]
    assert again[0].flagged_at == first[0].flagged_at  # flagged once

    client = TestClient(make_app(factory, tmp_path), raise_server_exceptions=False)
    log_in(client, "luutru", PASSWORD)
    row = soup(client.get("/reading-room").text).select_one("#visits-current tbody tr")
    assert "has-flagged" in row["class"] and "Chưa trả khi đóng cửa" in row.get_text()
    engine.dispose()

"""The archivist's pages through the real app, logged in through the real login form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, sessionmaker

from archive.db import transaction
from archive.models import AuditEvent, Box, BoxProfile, File, Movement
from archive.services import files
from archive.services.files import FileIn
from tests.archive.web.conftest import csrf_of, soup
from tests.archive.web.seed import Seeded
from tests.factories import ADMIN, series

Login = Callable[[str], TestClient]


def _codes(html: str) -> list[str]:
    return [
        row.select("td")[1].get_text(strip=True)
        for row in soup(html).select("#box-file-list tbody tr")
    ]


def _post_form(client: TestClient, page_url: str, action: str, data: dict[str, object]) -> Any:
    token = csrf_of(client.get(page_url).text)
    return client.post(action, data={"csrf_token": token, **data})


def test_box_page_lists_files_in_order_with_path_and_barcode(
    client_as: Login, seeded: Seeded
) -> None:
    client = client_as("lan.nt")
    box_id = seeded.box_ids[0]
    html = client.get(f"/boxes/{box_id}").text
    page = soup(html)
    assert _codes(html) == ["HS-2019-001", "HS-2019-002", "HS-2019-003"]
    positions = [
        row.select_one("td").get_text(strip=True) for row in page.select("#box-file-list tbody tr")
    ]
    assert positions == ["1", "2", "3"]
    assert page.select_one("#box-path").get_text(strip=True) == "Kho 1 › Giá 01 › Tầng 1 › Hộp 001"
    assert page.select_one("#box-barcode").get_text(strip=True) == seeded.barcodes[box_id]
    assert page.select_one("#box-fill").get_text(strip=True) == "3/16"
    assert "Nguyễn Thị Mai Lan" in page.select("#box-file-list tbody tr")[0].get_text()


def test_moving_a_file_shows_the_new_path_and_the_move_in_its_history(
    client_as: Login, seeded: Seeded
) -> None:
    client = client_as("lan.nt")
    file_id, target = seeded.file_ids[1], seeded.box_ids[2]
    response = _post_form(
        client,
        f"/files/{file_id}",
        f"/files/{file_id}/move",
        {"target": seeded.barcodes[target], "reason": "Xếp lại theo năm"},
    )
    assert response.status_code == 200 and str(response.url).endswith("?ok=file.moved")
    page = soup(response.text)
    assert page.select_one("[data-ok='file.moved']").get_text(strip=True) == "Đã chuyển hồ sơ."
    assert (
        page.select_one("#file-path").get_text(strip=True)
        == "Kho 1 › Giá 01 › Tầng 2 › Hộp 003 › vị trí 1"
    )
    rows = page.select("#history tbody tr")
    assert [r.select("td")[2].get_text(strip=True) for r in rows] == ["Đăng ký hồ sơ", "Chuyển hộp"]
    move = rows[1]
    assert (
        move.select_one(".move-from").get_text(strip=True)
        == "Kho 1 › Giá 01 › Tầng 1 › Hộp 001 › vị trí 2"
    )
    assert (
        move.select_one(".move-to").get_text(strip=True)
        == "Kho 1 › Giá 01 › Tầng 2 › Hộp 003 › vị trí 1"
    )
    assert "Xếp lại theo năm" in move.get_text() and "lan.nt" in move.get_text()
    # The box it left closed the gap.
    assert _codes(client.get(f"/boxes/{seeded.box_ids[0]}").text) == ["HS-2019-001", "HS-2019-003"]


def test_move_from_the_box_page_by_box_number(client_as: Login, seeded: Seeded) -> None:
    client = client_as("lan.nt")
    box_id = seeded.box_ids[0]
    response = _post_form(
        client,
        f"/boxes/{box_id}",
        f"/boxes/{box_id}/move-file",
        {"file_id": seeded.file_ids[0], "target": "2", "reason": ""},
    )
    assert str(response.url).endswith(f"/boxes/{box_id}?ok=file.moved")
    assert _codes(response.text) == ["HS-2019-002", "HS-2019-003"]
    assert _codes(client.get(f"/boxes/{seeded.box_ids[1]}").text) == ["HS-2019-001"]


def _state(
    factory: sessionmaker[Session],
) -> tuple[list[tuple[int, int | None, int | None]], int, int]:
    with transaction(factory, write=False) as session:
        placed = [
            tuple(r)
            for r in session.execute(select(File.id, File.box_id, File.position).order_by(File.id))
        ]
        moves = session.scalar(select(func.count(Movement.id))) or 0
        events = (
            session.scalar(
                select(func.count(AuditEvent.id)).where(AuditEvent.action == "file.moved")
            )
            or 0
        )
    return placed, moves, events


def test_refused_move_shows_the_vietnamese_message_and_changes_nothing(
    client_as: Login, seeded: Seeded, factory: sessionmaker[Session]
) -> None:
    client = client_as("lan.nt")
    file_id = seeded.file_ids[0]
    before = _state(factory)
    response = _post_form(client, f"/files/{file_id}", f"/files/{file_id}/move", {"target": "999"})
    assert response.status_code == 422
    error = soup(response.text).select_one("#main .error")
    assert error["data-code"] == "box.ref_not_found"
    assert (
        error.get_text(strip=True) == "Không tìm thấy hộp “999” (mã vạch hoặc số hộp trong đơn vị)."
    )
    assert soup(response.text).select_one("input[name=target]")["value"] == "999"
    response = _post_form(
        client,
        f"/files/{file_id}",
        f"/files/{file_id}/move",
        {"target": seeded.barcodes[seeded.box_ids[0]]},
    )
    assert (
        soup(response.text).select_one("#main .error").get_text(strip=True)
        == "Hồ sơ đã ở trong hộp này."
    )
    assert _state(factory) == before


def test_office_scoped_user_is_told_in_vietnamese_that_another_offices_box_is_not_allowed(
    client_as: Login, seeded: Seeded
) -> None:
    client = client_as("lan.nt")
    response = client.get(f"/boxes/{seeded.other_box_id}")
    assert response.status_code == 403
    error = soup(response.text).select_one("#main .error")
    assert error["data-code"] == "auth.office_scope"
    assert error.get_text(strip=True) == "Bạn không được truy cập hồ sơ của đơn vị này."
    # The header still names who is logged in after the refusal rolled the request back.
    assert "Người dùng lan.nt" in soup(response.text).select_one(".who").get_text()
    assert _codes(response.text) == []


def test_english_toggle_shows_english_labels(client_as: Login, seeded: Seeded) -> None:
    client = client_as("lan.nt")
    box_url = f"/boxes/{seeded.box_ids[0]}"
    assert soup(client.get(box_url).text).select_one("h1").get_text(strip=True) == "Hộp 001"
    response = client.get("/lang/en", headers={"referer": f"http://testserver{box_url}"})
    page = soup(response.text)
    assert str(response.url).endswith(box_url)
    assert page.select_one("h1").get_text(strip=True) == "Box 001"
    assert (
        page.select_one("#box-path").get_text(strip=True) == "Store 1 › Shelf 01 › Tier 1 › Box 001"
    )
    assert page.select_one("#move h2").get_text(strip=True) == "Move a file to another box"
    assert page.select_one("#lang-toggle").get_text(strip=True) == "Tiếng Việt"
    client.get("/lang/vi")
    assert (
        soup(client.get(box_url).text).select_one("#move h2").get_text(strip=True)
        == "Chuyển hồ sơ sang hộp khác"
    )


def test_moving_a_file_up_swaps_only_the_file_list_for_htmx(
    client_as: Login, seeded: Seeded
) -> None:
    client = client_as("lan.nt")
    box_id = seeded.box_ids[0]
    token = csrf_of(client.get(f"/boxes/{box_id}").text)
    response = client.post(
        f"/boxes/{box_id}/shift",
        data={"file_id": seeded.file_ids[2], "delta": -1},
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )
    assert response.status_code == 200
    assert "<html" not in response.text and response.text.strip().startswith(
        '<section id="box-files">'
    )
    assert _codes(response.text) == ["HS-2019-001", "HS-2019-003", "HS-2019-002"]
    refused = client.post(
        f"/boxes/{box_id}/shift",
        data={"file_id": seeded.file_ids[0], "delta": -1},
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )
    assert refused.status_code == 422
    assert soup(refused.text).select_one(".error")["data-code"] == "file.position"
    assert _codes(client.get(f"/boxes/{box_id}").text) == [
        "HS-2019-001",
        "HS-2019-003",
        "HS-2019-002",
    ]


def test_box_page_with_100_files_runs_no_query_per_file(
    client_as: Login, seeded: Seeded, factory: sessionmaker[Session]
) -> None:
    with transaction(factory) as session:
        profile = BoxProfile(
            code="HOP_THU_100", name="Hộp thử 100", width_cm=15.0, capacity_files=120
        )
        session.add(profile)
        session.flush()
        box = Box(
            office_id=seeded.office_id, number=500, profile_id=profile.id, barcode="B0000009999"
        )
        session.add(box)
        session.flush()
        kind = series(session, "HUONG_MOT_LAN").id
        for n in range(100):
            files.create_file(
                session,
                ADMIN,
                FileIn(
                    office_id=seeded.office_id,
                    series_id=kind,
                    code=f"MLT-{n:04d}",
                    title=f"Hồ sơ hưởng {n}",
                    box_id=box.id,
                    ssn=f"48{n:08d}",
                    full_name=f"Nguyễn Văn Số {n}",
                ),
            )
        box_id = box.id
    client = client_as("lan.nt")
    assert len(_codes(client.get(f"/boxes/{box_id}").text)) == 100
    # Its speed is a benchmark figure (bench/register.py, register.box_page_p95); here the
    # structure that keeps it fast: a fixed number of statements, none per file.
    statements: list[str] = []
    bind = factory.kw["bind"]

    def listener(*args: Any) -> None:
        statements.append(args[2])

    event.listen(bind, "before_cursor_execute", listener)
    try:
        client.get(f"/boxes/{box_id}")
    finally:
        event.remove(bind, "before_cursor_execute", listener)
    # 11: the session, the box's header, its files, their out-cards (issue 5), and the harness.
    assert 0 < len(statements) <= 11, statements


def test_store_page_shows_the_tree_and_adds_shelves_from_ranges(
    client_as: Login, seeded: Seeded
) -> None:
    client = client_as("lan.nt")
    stores = soup(client.get("/stores").text)
    assert [a.get_text(strip=True) for a in stores.select("#stores tbody a")] == ["Kho 1"]
    store_url = stores.select_one("#stores tbody a")["href"]
    page = soup(client.get(store_url).text)
    assert [h.get_text(" ", strip=True).split(" ")[0:2] for h in page.select(".shelf h2")] == [
        ["Giá", "01"],
        ["Giá", "02"],
    ]
    assert [a.get_text(strip=True) for a in page.select("#shelf-1 .boxchip")] == [
        "001",
        "002",
        "003",
        "004",
    ]
    form = {
        "shelf_from": 3,
        "shelf_to": 4,
        "tiers_per_shelf": 3,
        "boxes_per_tier": 4,
        "tier_length_cm": 100,
        "profile_id": page.select_one("select[name=profile_id] option")["value"],
    }
    done = _post_form(client, store_url, f"{store_url}/layout", form)
    assert str(done.url).endswith("?ok=layout.built")
    assert len(soup(done.text).select(".shelf")) == 4
    refused = _post_form(
        client, store_url, f"{store_url}/layout", {**form, "shelf_from": 4, "shelf_to": 5}
    )
    assert refused.status_code == 422
    assert (
        soup(refused.text).select_one("#main .error").get_text(strip=True)
        == "Các giá số 4 đã có trong kho."
    )
    assert len(soup(refused.text).select(".shelf")) == 4


def test_shelf_and_tier_pages_list_their_boxes(client_as: Login, seeded: Seeded) -> None:
    client = client_as("lan.nt")
    store_url = soup(client.get("/stores").text).select_one("#stores tbody a")["href"]
    store = soup(client.get(store_url).text)
    shelf = soup(client.get(store.select_one("#shelf-1 h2 a")["href"]).text)
    assert shelf.select_one("h1").get_text(strip=True) == "Kho 1 › Giá 01"
    tier = soup(client.get(shelf.select_one("tbody a")["href"]).text)
    assert [a.get_text(strip=True) for a in tier.select("#tier-boxes tbody a")] == [
        "Hộp 001",
        "Hộp 002",
    ]
    assert tier.select("#tier-boxes tbody tr")[0].select("td")[3].get_text(strip=True) == "3/16"


def test_file_page_shows_personal_data_only_to_those_entitled(
    client_as: Login, seeded: Seeded
) -> None:
    url = f"/files/{seeded.file_ids[0]}"
    archivist = client_as("lan.nt").get(url).text
    assert "4803004239" in archivist and "17/05/1980" in archivist
    inspector = client_as("thanh.tt").get(url).text
    assert "4803004239" not in inspector and "17/05/1980" not in inspector
    assert "Nguyễn Thị Mai Lan" in inspector
    assert "Bạn không có quyền xem thông tin cá nhân." in inspector
    assert soup(inspector).select_one("#move") is None  # an inspector cannot move files

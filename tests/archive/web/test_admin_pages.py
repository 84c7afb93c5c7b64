"""Series and retention, the audit trail, users and reports, through the real app."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.archive.web.conftest import csrf_of, soup
from tests.archive.web.seed import Seeded

Login = Callable[[str], TestClient]


def _series_url(client: TestClient, code: str) -> str:
    page = soup(client.get("/series").text)
    link = next(a for a in page.select("#series tbody a") if a.get_text(strip=True) == code)
    return str(link["href"])


def test_series_list_shows_current_retention_in_vietnamese(
    client_as: Login, seeded: Seeded
) -> None:
    page = soup(client_as("lan.nt").get("/series").text)
    rows = {
        r.select("td")[0].get_text(strip=True): r.select("td")[3].get_text(strip=True)
        for r in page.select("#series tbody tr")
    }
    assert rows["HUONG_HANG_THANG"] == "Vĩnh viễn"
    assert rows["HUONG_MOT_LAN"] == "70 năm, từ năm kết thúc hồ sơ"


def test_administrator_sets_a_new_retention_version(client_as: Login, seeded: Seeded) -> None:
    client = client_as("admin")
    url = _series_url(client, "KE_TOAN")
    token = csrf_of(client.get(url).text)
    response = client.post(
        f"{url}/retention",
        data={
            "csrf_token": token,
            "period_years": "20",
            "trigger": "fiscal_year_end",
            "note": "Quyết định 12/QĐ-BHXH",
        },
    )
    page = soup(response.text)
    assert (
        page.select_one("#current-retention")
        .get_text(" ", strip=True)
        .startswith("20 năm, từ năm kết thúc năm tài chính")
    )
    assert [r.select("td")[0].get_text(strip=True) for r in page.select("#versions tbody tr")] == [
        "2",
        "1",
    ]
    refused = client.post(
        f"{url}/retention", data={"csrf_token": token, "period_years": "", "trigger": "closed_year"}
    )
    assert refused.status_code == 422
    assert (
        soup(refused.text).select_one("#main .error").get_text(strip=True)
        == "Thời hạn lưu trữ không hợp lệ."
    )
    assert len(soup(refused.text).select("#versions tbody tr")) == 2


def test_archivist_sees_no_retention_form(client_as: Login, seeded: Seeded) -> None:
    client = client_as("lan.nt")
    assert (
        soup(client.get(_series_url(client, "KE_TOAN")).text).select_one("#retention-form") is None
    )


def test_inspector_filters_the_audit_trail(client_as: Login, seeded: Seeded) -> None:
    client = client_as("thanh.tt")
    page = soup(client.get("/audit").text)
    actions = [r.select("td")[3].get_text(strip=True) for r in page.select("#events tbody tr")]
    assert "Đăng ký hồ sơ" in actions and "Tạo kho" in actions
    filtered = soup(
        client.get(
            "/audit?action=file.created&object_type=&object_id=&office_id=&since=&until="
        ).text
    )
    rows = filtered.select("#events tbody tr")
    assert rows and {r.select("td")[3].get_text(strip=True) for r in rows} == {"Đăng ký hồ sơ"}
    # Only the inspector's own office (00) is in scope.
    assert {r.select("td")[5].get_text(strip=True) for r in rows} == {"00"}


def test_archivist_may_not_read_the_audit_trail(client_as: Login, seeded: Seeded) -> None:
    response = client_as("lan.nt").get("/audit")
    assert response.status_code == 403
    assert (
        soup(response.text).select_one("#main .error").get_text(strip=True)
        == "Bạn không có quyền: audit.read."
    )


def test_administrator_lists_and_creates_users(client_as: Login, seeded: Seeded) -> None:
    client = client_as("admin")
    page = soup(client.get("/users").text)
    assert [r.select_one("code").get_text() for r in page.select("#users tbody tr")] == [
        "admin",
        "lan.nt",
        "thanh.tt",
    ]
    token = csrf_of(client.get("/users").text)
    office_id = page.select_one("select[name=office_id] option")["value"]
    form = {
        "csrf_token": token,
        "username": "hoa.lt",
        "full_name": "Lê Thị Hoa",
        "password": "mot-mat-khau-dai",
        "office_id": office_id,
        "roles": ["archivist", "approver"],
        "department": "Phòng Tiếp nhận",
    }
    done = soup(client.post("/users", data=form).text)
    row = next(
        r for r in done.select("#users tbody tr") if r.select_one("code").get_text() == "hoa.lt"
    )
    assert (
        "Lê Thị Hoa" in row.get_text()
        and "Lưu trữ viên" in row.get_text()
        and "Lãnh đạo duyệt" in row.get_text()
    )
    refused = client.post("/users", data=form)
    assert refused.status_code == 422
    assert (
        soup(refused.text).select_one("#main .error").get_text(strip=True)
        == "Tên đăng nhập “hoa.lt” đã tồn tại."
    )


def test_users_page_is_for_administrators_only(client_as: Login, seeded: Seeded) -> None:
    response = client_as("lan.nt").get("/users")
    assert response.status_code == 403
    assert soup(response.text).select_one("#main .error")["data-code"] == "auth.permission"


def test_reports_show_holdings_occupancy_and_received(client_as: Login, seeded: Seeded) -> None:
    page = soup(client_as("lan.nt").get("/reports").text)
    kinds = {
        r.select("td")[0].get_text(strip=True): r.select("td")[1].get_text(strip=True)
        for r in page.select("#holdings-by-kind tbody tr")
    }
    assert kinds == {"Hồ sơ hưởng": "1", "Hồ sơ nghiệp vụ": "2", "Hồ sơ rà soát sổ BHXH": "0"}
    assert [
        r.select("td")[1].get_text(strip=True) for r in page.select("#store-occupancy tbody tr")
    ] == ["Kho 1"]
    assert page.select_one("#received tfoot").get_text(" ", strip=True).startswith("Tổng cộng 3")

"""Handovers and reports through HTTP: the whole check-in, refusals as problem+json, office scope."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from archive.services import offices
from tests.apps import bearer, make_app, make_user, seeded
from tests.factories import make_layout, make_office, series


@pytest.fixture
def app(factory: sessionmaker[Session], tmp_path: Path) -> TestClient:
    with seeded(factory) as session:
        province = make_office(session)
        make_office(session, "01", "BHXH huyện Duy Tiên")
        make_layout(session, province, shelves=(1, 1), tiers=1, boxes_per_tier=3)
    return TestClient(make_app(factory, tmp_path), raise_server_exceptions=True)


def _as(
    app: TestClient, factory: sessionmaker[Session], username: str, *, office_code: str = "00"
) -> TestClient:
    app.headers.update(
        bearer(make_user(factory, username, ("archivist",), office_code=office_code))
    )
    return app


def _ids(factory: sessionmaker[Session]) -> dict[str, int]:
    with seeded(factory) as session:
        return {
            "province": offices.get_by_code(session, "00").id,
            "district": offices.get_by_code(session, "01").id,
            "general": series(session, "HANH_CHINH").id,
        }


def _batch(client: TestClient, ids: dict[str, int]) -> int:
    created = client.post(
        "/api/v1/handovers",
        json={
            "office_id": ids["province"],
            "name": "Giao nộp hồ sơ Phòng Thu",
            "series_id": ids["general"],
            "source_department": "Phòng Thu",
            "giver_name": "Trần Văn Bình",
            "receiver_name": "Lê Thị Hoa",
        },
    )
    assert created.status_code == 201, created.text
    batch_id: int = created.json()["id"]
    for code, box, start, end in [
        ("TH-1", 1, "2017-01-01", "2017-12-31"),
        ("TH-2", 1, "2018-01-01", "2018-12-31"),
        ("TH-3", 2, "2016-01-01", "2016-12-31"),
    ]:
        line = {
            "file_code": code,
            "title": f"Hồ sơ {code}",
            "start_date": start,
            "end_date": end,
            "sheet_count": 10,
            "box_number": box,
        }
        client.post(f"/api/v1/handovers/{batch_id}/items", json=line).raise_for_status()
    return batch_id


def test_handover_check_in_through_http_ends_in_minutes(
    app: TestClient, factory: sessionmaker[Session]
) -> None:
    client, ids = _as(app, factory, "hoa"), _ids(factory)
    batch_id = _batch(client, ids)
    scan = f"/api/v1/handovers/{batch_id}/receive"
    assert client.post(scan, json={"scanned": "TH-1"}).json()["matched"] is True
    client.post(scan, json={"scanned": "TH-2"}).raise_for_status()
    extra = client.post(
        scan,
        json={
            "scanned": "TH-9",
            "details": {
                "title": "Công văn",
                "box_number": 2,
                "start_date": "2019-02-01",
                "end_date": "2019-03-01",
            },
        },
    )
    assert extra.json()["matched"] is False and extra.json()["item"]["status"] == "extra"
    again = client.post(scan, json={"scanned": "TH-1"})
    assert (again.status_code, again.json()["code"]) == (409, "handover.already_received")
    item_id = client.get(f"/api/v1/handovers/{batch_id}").json()["items"][1]["id"]
    noted = client.post(
        f"/api/v1/handovers/{batch_id}/items/{item_id}/discrepancy",
        json={"text": "Thực tế 12 tờ", "sheet_count": 12},
    )
    assert noted.json()["sheet_count"] == 12 and noted.json()["discrepancy"] == "Thực tế 12 tờ"

    done = client.post(f"/api/v1/handovers/{batch_id}/complete")
    assert done.status_code == 200 and done.json()["status"] == "completed"
    assert done.json()["counts"] == {"expected": 3, "received": 2, "missing": 1, "extra": 1}
    m = client.get(f"/api/v1/handovers/{batch_id}/minutes").json()
    assert (m["registered"], m["start_date"], m["end_date"]) == (3, "2017-01-01", "2019-03-01")
    assert (m["boxes"], m["shelf_metres"], m["total_sheets"]) == ([1, 2], 0.2, 22)
    assert [d["kind"] for d in m["discrepancies"]] == ["wrong_details", "missing", "extra"]
    closed = client.post(scan, json={"scanned": "TH-3"})
    assert (closed.status_code, closed.json()["code"]) == (409, "handover.closed")
    assert closed.headers["content-type"] == "application/problem+json"
    listed = client.get("/api/v1/handovers", params={"status": "completed"}).json()
    assert [b["id"] for b in listed] == [batch_id]


def test_district_archivist_cannot_see_the_provinces_batch(
    app: TestClient, factory: sessionmaker[Session]
) -> None:
    ids = _ids(factory)
    batch_id = _batch(_as(app, factory, "hoa"), ids)
    district = _as(app, factory, "duc", office_code="01")
    response = district.get(f"/api/v1/handovers/{batch_id}")
    assert (response.status_code, response.json()["code"]) == (403, "auth.office_scope")
    assert district.get("/api/v1/handovers").json() == []


def test_catalogue_upload_loads_lines_or_lists_every_bad_row(
    app: TestClient, factory: sessionmaker[Session]
) -> None:
    client = _as(app, factory, "hoa")
    batch_id = _batch(client, _ids(factory))
    good = "Số ký hiệu hồ sơ,Tiêu đề hồ sơ,Số tờ\nTH-10,Sổ thu 2015,40\nTH-11,Sổ thu 2016,38\n".encode()
    loaded = client.post(
        f"/api/v1/handovers/{batch_id}/catalogue", files={"file": ("muc-luc.csv", good)}
    )
    assert (loaded.status_code, loaded.json()) == (201, {"lines": 2})
    bad = "Số ký hiệu hồ sơ,Tiêu đề hồ sơ,Số tờ\nTH-1,Trùng,4\nTH-12,,4\n".encode()
    refused = client.post(
        f"/api/v1/handovers/{batch_id}/catalogue", files={"file": ("loi.csv", bad)}
    )
    assert (refused.status_code, refused.json()["code"]) == (422, "import.invalid_rows")
    assert [e["row"] for e in refused.json()["errors"]] == [2, 3]
    assert len(client.get(f"/api/v1/handovers/{batch_id}").json()["items"]) == 5


def test_reports_as_json(app: TestClient, factory: sessionmaker[Session]) -> None:
    client, ids = _as(app, factory, "hoa"), _ids(factory)
    batch_id = _batch(client, ids)
    client.post(
        f"/api/v1/handovers/{batch_id}/receive", json={"scanned": "TH-1"}
    ).raise_for_status()
    client.post(
        f"/api/v1/handovers/{batch_id}/receive", json={"scanned": "TH-8"}
    ).raise_for_status()
    client.post(f"/api/v1/handovers/{batch_id}/complete").raise_for_status()
    holdings = client.get("/api/v1/reports/holdings").json()
    assert [
        (r["series_code"], r["year"], r["files"], r["shelf_metres"]) for r in holdings["rows"]
    ] == [("HANH_CHINH", 2017, 1, 0.1), ("HANH_CHINH", "unknown", 1, 0.0)]
    assert [(k["key"], k["files"]) for k in holdings["by_kind"]] == [
        ("benefit", 0),
        ("operational", 2),
        ("passbook_review", 0),
    ]
    stores = client.get("/api/v1/reports/occupancy").json()
    assert [
        (s["store_code"], s["occupancy"]["boxes"], s["occupancy"]["files"]) for s in stores
    ] == [("1", 3, 1)]
    received = client.get(
        "/api/v1/reports/received",
        params={"since": "2000-01-01", "until": "2100-12-31", "group": "year"},
    ).json()
    assert (received["files"], received["handovers"]) == (2, 1)
    wrong = client.get("/api/v1/reports/holdings", params={"office": ids["district"]})
    assert (wrong.status_code, wrong.json()["code"]) == (403, "auth.office_scope")

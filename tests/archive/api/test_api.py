"""The register through HTTP: tokens, lookup with paths, problem+json refusals that change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from archive.models import AuditEvent, Box, File
from archive.services import offices
from tests.apps import bearer, make_app, make_user, seeded
from tests.factories import make_layout, make_office, profile, series


@pytest.fixture
def api(factory: sessionmaker[Session], tmp_path: Path) -> TestClient:
    with seeded(factory) as session:
        province = make_office(session)
        make_office(session, "01", "BHXH huyện Duy Tiên")
        make_layout(session, province, shelves=(1, 2), tiers=2, boxes_per_tier=2)
    client = TestClient(make_app(factory, tmp_path), raise_server_exceptions=True)
    client.headers.update(bearer(make_user(factory, "admin", ("administrator",), all_offices=True)))
    return client


def _ids(factory: sessionmaker[Session]) -> dict[str, int]:
    with seeded(factory) as session:
        boxes = session.scalars(select(Box.id).order_by(Box.number)).all()
        return {
            "box1": boxes[0],
            "box2": boxes[1],
            "benefit": series(session, "HUONG_MOT_LAN").id,
            "general": series(session, "HANH_CHINH").id,
            "province": offices.get_by_code(session, "00").id,
            "district": offices.get_by_code(session, "01").id,
            "profile": profile(session).id,
        }


def _counts(factory: sessionmaker[Session]) -> tuple[int, int]:
    with seeded(factory) as session:
        return (
            session.scalar(select(func.count(File.id))) or 0,
            session.scalar(select(func.count(AuditEvent.id))) or 0,
        )


def test_file_registered_then_found_by_barcode_with_full_path(
    api: TestClient, factory: sessionmaker[Session]
) -> None:
    ids = _ids(factory)
    created = api.post(
        "/api/v1/files",
        json={
            "office_id": ids["province"],
            "series_id": ids["benefit"],
            "code": "MLT-2015-000123",
            "title": "Hưởng BHXH một lần",
            "ssn": "4803004239",
            "full_name": "Nguyễn Thị Mai Lan",
            "birth_date": "1980-05-17",
            "box_id": ids["box2"],
        },
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["path"]["text"] == "Kho 1 › Giá 01 › Tầng 1 › Hộp 002 › vị trí 1"
    found = api.get("/api/v1/lookup", params={"q": body["barcode"]}).json()
    assert found["interpreted_as"] == "barcode"
    assert [h["path"]["text"] for h in found["hits"]] == [
        "Kho 1 › Giá 01 › Tầng 1 › Hộp 002 › vị trí 1"
    ]
    by_name = api.get("/api/v1/lookup", params={"q": "nguyen thi mai lan"}).json()
    assert by_name["hits"][0]["code"] == "MLT-2015-000123"


@pytest.mark.parametrize("case", ["ssn_11_digits", "duplicate_code", "foreign_box", "box_full"])
def test_bad_input_is_refused_as_problem_json_and_changes_nothing(
    api: TestClient, factory: sessionmaker[Session], case: str
) -> None:
    ids = _ids(factory)
    base = {
        "office_id": ids["province"],
        "series_id": ids["general"],
        "title": "Công văn",
        "box_id": ids["box1"],
    }
    api.post("/api/v1/files", json={**base, "code": "CV-1"}).raise_for_status()
    if case == "box_full":
        for n in range(2, 17):
            api.post("/api/v1/files", json={**base, "code": f"CV-{n}"}).raise_for_status()
    if case == "foreign_box":
        district_box = api.post(
            "/api/v1/boxes", json={"office_id": ids["district"], "profile_id": ids["profile"]}
        ).json()["id"]
    before = _counts(factory)
    payload = {
        "ssn_11_digits": {
            **base,
            "series_id": ids["benefit"],
            "code": "X",
            "ssn": "48030042391",
            "full_name": "A",
        },
        "duplicate_code": {**base, "code": "CV-1", "box_id": None},
        "foreign_box": {
            **base,
            "code": "X",
            "box_id": district_box if case == "foreign_box" else 0,
        },
        "box_full": {**base, "code": "CV-99"},
    }[case]
    response = api.post("/api/v1/files", json=payload)
    expected = {
        "ssn_11_digits": (422, "identifier.ssn"),
        "duplicate_code": (409, "file.duplicate_code"),
        "foreign_box": (422, "file.box_other_office"),
        "box_full": (409, "box.full"),
    }[case]
    assert (response.status_code, response.json()["code"]) == expected
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith(expected[1]) and problem["message_vi"] and problem["message_en"]
    assert problem["detail"] == problem["message_vi"]
    assert _counts(factory) == before


def test_english_detail_on_request(api: TestClient) -> None:
    response = api.get("/api/v1/lookup", params={"q": " "}, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("Enter a barcode")


def test_move_then_history_shows_from_and_to(
    api: TestClient, factory: sessionmaker[Session]
) -> None:
    ids = _ids(factory)
    file_id = api.post(
        "/api/v1/files",
        json={
            "office_id": ids["province"],
            "series_id": ids["general"],
            "code": "CV-1",
            "title": "Công văn",
            "box_id": ids["box1"],
        },
    ).json()["id"]
    moved = api.post(
        f"/api/v1/files/{file_id}/move", json={"box_id": ids["box2"], "reason": "Sắp xếp lại"}
    )
    assert moved.status_code == 200
    history = api.get(f"/api/v1/files/{file_id}/history").json()
    move = next(h for h in history if h["action"] == "file.moved")
    assert move["from_path"].endswith("Hộp 001 › vị trí 1") and move["to_path"].endswith(
        "Hộp 002 › vị trí 1"
    )
    assert move["actor"] == "admin"


def test_layout_and_occupancy_over_http(api: TestClient, factory: sessionmaker[Session]) -> None:
    ids = _ids(factory)
    store = api.post("/api/v1/stores", json={"office_id": ids["district"], "code": "1"}).json()
    layout = api.post(
        f"/api/v1/stores/{store['id']}/layout",
        json={
            "shelf_from": 1,
            "shelf_to": 12,
            "tiers_per_shelf": 5,
            "boxes_per_tier": 8,
            "profile_id": ids["profile"],
        },
    )
    assert layout.status_code == 201 and layout.json()["boxes"] == 480
    occ = api.get(f"/api/v1/stores/{store['id']}/occupancy").json()
    assert occ["store"]["boxes"] == 480 and occ["store"]["free_cm"] == 6000 - 4800
    assert len(occ["tiers"]) == 60


def test_token_from_password_and_bad_credentials(api: TestClient) -> None:
    ok = api.post(
        "/api/v1/auth/token", json={"username": "admin", "password": "mật-khẩu-thử-nghiệm"}
    )
    assert ok.status_code == 201
    me = api.get("/api/v1/me", headers=bearer(ok.json()["token"])).json()
    assert me["username"] == "admin" and "administrator" in me["roles"]
    bad = api.post("/api/v1/auth/token", json={"username": "admin", "password": "sai"})
    assert (bad.status_code, bad.json()["code"]) == (401, "auth.bad_credentials")
    assert api.get("/api/v1/me", headers=bearer("bhxh_nonsense")).json()["code"] == "auth.bad_token"


def test_openapi_is_complete_with_examples(api: TestClient) -> None:
    spec = api.get("/api/v1/openapi.json").json()
    assert "/api/v1/lookup" in spec["paths"]
    for name in ("FileIn", "LayoutIn", "MoveIn", "Problem"):
        schema = spec["components"]["schemas"][name]
        assert schema.get("examples"), name


def test_retention_rule_versions_are_kept(api: TestClient, factory: sessionmaker[Session]) -> None:
    series_id = _ids(factory)["general"]
    changed = api.post(
        f"/api/v1/series/{series_id}/retention", json={"period_years": 15, "trigger": "closed_year"}
    )
    assert changed.status_code == 201 and changed.json()["version"] == 2
    history = api.get(f"/api/v1/series/{series_id}/retention").json()
    assert [(r["version"], r["period_years"]) for r in history] == [(2, 15), (1, 10)]
    bad = api.post(
        f"/api/v1/series/{series_id}/retention",
        json={"period_years": None, "trigger": "closed_year"},
    )
    assert bad.json()["code"] == "retention.invalid"

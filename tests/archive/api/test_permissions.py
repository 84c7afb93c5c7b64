"""Every route, walked as every role: anonymous gets 401, a role without the permission gets 403,
a role with it gets past the check, and nobody ever gets a 500. A route missing from ROUTES fails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from archive.models import ROLES, Box, File, Page, Store
from archive.permissions import ROLE_PERMS, Perm
from archive.services import files, handover, jobs, scan_intake
from archive.services.handover_lines import ItemIn
from scanners.storage import OriginalStore
from tests.apps import bearer, make_app, make_user, seeded
from tests.archive.api import (
    routes_copies,
    routes_custody,
    routes_loans,
    routes_reading_room,
    routes_use_reports,
)
from tests.factories import ADMIN, make_layout, make_office, profile, series, small_png, write_png

ANY = "authenticated"
PUBLIC = "public"
# A multipart upload: a small valid catalogue.
MULTIPART_IMPORT: dict[str, Any] = {
    "__files__": {
        "file": ("muc-luc.csv", "Số ký hiệu hồ sơ,Tiêu đề hồ sơ\nIM-1,Hồ sơ\n".encode(), "text/csv")
    },
    "__data__": {"office_id": "{office_id}", "series_id": "{series_id}", "dry_run": "true"},
}
MULTIPART: dict[str, Any] = {
    "__files__": {
        "file": ("muc-luc.csv", "Số ký hiệu hồ sơ,Tiêu đề hồ sơ\nGN-5,Hồ sơ\n".encode(), "text/csv")
    }
}

MULTIPART_SCAN: dict[str, Any] = {
    "__files__": {"files": ("trang.png", small_png(), "image/png")},
    "__data__": {"office_id": "{office_id}"},
}

# (method, path) -> (required permission, JSON body, query). Bodies are valid, so that a refusal can
# only come from the permission check.
ROUTES: dict[tuple[str, str], tuple[Perm | str, dict[str, Any] | None, dict[str, str] | None]] = {
    ("POST", "/api/v1/auth/token"): (PUBLIC, {"username": "x", "password": "y"}, None),
    ("GET", "/api/v1/ping"): (PUBLIC, None, None),
    ("GET", "/api/v1/me"): (ANY, None, None),
    ("GET", "/api/v1/lookup"): (Perm.REGISTER_READ, None, {"q": "nguyen"}),
    ("GET", "/api/v1/search"): (Perm.REGISTER_READ, None, {"q": "nguyen"}),
    ("GET", "/api/v1/saved-searches"): (Perm.REGISTER_READ, None, None),
    ("POST", "/api/v1/saved-searches"): (
        Perm.REGISTER_READ,
        {"name": "Nguyễn Văn", "q": "nguyen van", "office": ["00"]},
        None,
    ),
    # Nobody's saved search: a reader gets past the check to "not found".
    ("DELETE", "/api/v1/saved-searches/{search_id}"): (Perm.REGISTER_READ, None, None),
    ("GET", "/api/v1/offices"): (Perm.REGISTER_READ, None, None),
    ("POST", "/api/v1/offices"): (
        Perm.USERS_MANAGE,
        {"code": "09", "name": "BHXH huyện Thử"},
        None,
    ),
    ("GET", "/api/v1/box-profiles"): (Perm.REGISTER_READ, None, None),
    ("GET", "/api/v1/stores"): (Perm.REGISTER_READ, None, None),
    ("POST", "/api/v1/stores"): (
        Perm.LOCATIONS_MANAGE,
        {"office_id": "{office_id}", "code": "9"},
        None,
    ),
    ("POST", "/api/v1/stores/{store_id}/layout"): (
        Perm.LOCATIONS_MANAGE,
        {
            "shelf_from": 50,
            "shelf_to": 50,
            "tiers_per_shelf": 1,
            "boxes_per_tier": 1,
            "profile_id": "{profile_id}",
        },
        None,
    ),
    ("GET", "/api/v1/stores/{store_id}/occupancy"): (Perm.REGISTER_READ, None, None),
    ("POST", "/api/v1/boxes"): (
        Perm.LOCATIONS_MANAGE,
        {"office_id": "{office_id}", "profile_id": "{profile_id}"},
        None,
    ),
    ("GET", "/api/v1/boxes/{box_id}"): (Perm.REGISTER_READ, None, None),
    ("POST", "/api/v1/boxes/{box_id}/move"): (Perm.REGISTER_WRITE, {"tier_id": "{tier_id}"}, None),
    ("PUT", "/api/v1/boxes/{box_id}/order"): (
        Perm.REGISTER_WRITE,
        {"file_ids": ["{file_id}"]},
        None,
    ),
    ("POST", "/api/v1/files"): (
        Perm.REGISTER_WRITE,
        {"office_id": "{office_id}", "series_id": "{series_id}", "code": "P-1", "title": "Hồ sơ"},
        None,
    ),
    ("GET", "/api/v1/files/{file_id}"): (Perm.REGISTER_READ, None, None),
    ("PATCH", "/api/v1/files/{file_id}"): (Perm.REGISTER_WRITE, {"notes": "ghi chú"}, None),
    ("POST", "/api/v1/files/{file_id}/move"): (
        Perm.REGISTER_WRITE,
        {"box_id": "{other_box_id}"},
        None,
    ),
    ("GET", "/api/v1/files/{file_id}/history"): (Perm.REGISTER_READ, None, None),
    ("GET", "/api/v1/series"): (Perm.REGISTER_READ, None, None),
    ("POST", "/api/v1/series/{series_id}/retention"): (
        Perm.SERIES_MANAGE,
        {"period_years": 12, "trigger": "closed_year"},
        None,
    ),
    ("GET", "/api/v1/series/{series_id}/retention"): (Perm.REGISTER_READ, None, None),
    ("GET", "/api/v1/users"): (Perm.USERS_MANAGE, None, None),
    ("POST", "/api/v1/users"): (
        Perm.USERS_MANAGE,
        {
            "username": "new.user",
            "full_name": "Người Mới",
            "password": "mật-khẩu-dài-đủ",
            "office_id": "{office_id}",
            "roles": ["staff"],
        },
        None,
    ),
    ("GET", "/api/v1/handovers"): (Perm.REGISTER_READ, None, None),
    ("POST", "/api/v1/handovers"): (
        Perm.HANDOVER,
        {
            "office_id": "{office_id}",
            "name": "Đợt giao nộp",
            "giver_name": "Phạm Văn Đức",
            "receiver_name": "Lê Thị Hoa",
            "source_department": "Phòng Thu",
            "series_id": "{series_id}",
        },
        None,
    ),
    ("GET", "/api/v1/handovers/{batch_id}"): (Perm.REGISTER_READ, None, None),
    ("POST", "/api/v1/handovers/{batch_id}/items"): (
        Perm.HANDOVER,
        {"file_code": "GN-9", "title": "Hồ sơ"},
        None,
    ),
    ("POST", "/api/v1/handovers/{batch_id}/catalogue"): (Perm.HANDOVER, MULTIPART, None),
    ("POST", "/api/v1/handovers/{batch_id}/receive"): (Perm.HANDOVER, {"scanned": "GN-1"}, None),
    ("POST", "/api/v1/handovers/{batch_id}/items/{item_id}/discrepancy"): (
        Perm.HANDOVER,
        {"text": "Thiếu 2 tờ"},
        None,
    ),
    ("POST", "/api/v1/handovers/{batch_id}/complete"): (Perm.HANDOVER, None, None),
    ("POST", "/api/v1/handovers/{batch_id}/cancel"): (Perm.HANDOVER, {"reason": "Rút lại"}, None),
    ("GET", "/api/v1/handovers/{batch_id}/minutes"): (Perm.REGISTER_READ, None, None),
    ("GET", "/api/v1/reports/holdings"): (Perm.REPORTS, None, None),
    ("GET", "/api/v1/reports/occupancy"): (Perm.REPORTS, None, None),
    ("GET", "/api/v1/reports/received"): (
        Perm.REPORTS,
        None,
        {"since": "2020-01-01", "until": "2030-12-31"},
    ),
    ("POST", "/api/v1/imports"): (Perm.IMPORT, MULTIPART_IMPORT, None),
    ("GET", "/api/v1/jobs/{job_id}"): (Perm.REGISTER_READ, None, None),
    ("GET", "/api/v1/audit/events"): (Perm.AUDIT_READ, None, None),
    ("GET", "/api/v1/audit/verify"): (Perm.AUDIT_READ, None, None),
    ("POST", "/api/v1/scans"): (Perm.SCAN, MULTIPART_SCAN, None),
    ("GET", "/api/v1/scans"): (Perm.REGISTER_READ, None, None),
    ("GET", "/api/v1/scans/{scan_id}"): (Perm.REGISTER_READ, None, None),
    ("POST", "/api/v1/cover-sheets"): (Perm.REGISTER_READ, {"file_ids": ["{file_id}"]}, None),
    ("GET", "/api/v1/files/{file_id}/cover-sheet.pdf"): (Perm.REGISTER_READ, None, None),
    ("GET", "/api/v1/boxes/{box_id}/cover-sheets.pdf"): (Perm.REGISTER_READ, None, None),
    ("GET", "/api/v1/files/{file_id}/scans.pdf"): (Perm.PERSONAL_DATA, None, None),
    ("GET", "/api/v1/files/{file_id}/pages"): (Perm.PERSONAL_DATA, None, None),
    ("PUT", "/api/v1/files/{file_id}/pages/order"): (
        Perm.SCAN,
        {"page_ids": ["{page_id}"]},
        None,
    ),
    ("POST", "/api/v1/files/{file_id}/pages"): (Perm.SCAN, {"page_ids": ["{page_id}"]}, None),
    ("GET", "/api/v1/pages/{page_id}"): (Perm.PERSONAL_DATA, None, None),
    ("GET", "/api/v1/pages/{page_id}/image"): (Perm.PERSONAL_DATA, None, None),
    ("DELETE", "/api/v1/pages/{page_id}"): (Perm.SCAN, {"reason": "trùng"}, None),
    ("PUT", "/api/v1/pages/{page_id}/text"): (Perm.SCAN, {"text": "Nguyễn Văn An"}, None),
    ("POST", "/api/v1/pages/{page_id}/accept"): (Perm.SCAN, None, None),
    ("POST", "/api/v1/pages/{page_id}/ocr"): (Perm.SCAN, None, None),
    ("GET", "/api/v1/scan-tray"): (Perm.PERSONAL_DATA, None, None),
    ("GET", "/api/v1/review-queue"): (Perm.PERSONAL_DATA, None, None),
}
NOT_WALKED = {"/api/v1/openapi.json", "/api/v1/docs", "/api/v1/docs/oauth2-redirect"}


for _area in (
    routes_loans,
    routes_reading_room,
    routes_copies,
    routes_custody,
    routes_use_reports,
):
    assert not ROUTES.keys() & _area.ROUTES.keys()
    ROUTES.update(_area.ROUTES)


def api_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every API operation, read from the OpenAPI document (which lists every included router)."""
    paths = app.openapi()["paths"]
    return {
        (method.upper(), path)
        for path, ops in paths.items()
        for method in ops
        if path not in NOT_WALKED
    }


def _fill(value: Any, ids: dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    return value


@pytest.fixture
def world(
    factory: sessionmaker[Session], tmp_path: Path
) -> tuple[TestClient, dict[str, Any], dict[str, str]]:
    with seeded(factory) as session:
        office = make_office(session)
        make_layout(session, office, shelves=(1, 1), tiers=2, boxes_per_tier=2)
        box, other = session.scalars(select(Box).order_by(Box.number)).all()[:2]
        file = files.create_file(
            session,
            ADMIN,
            files.FileIn(
                office_id=office.id,
                series_id=series(session, "HANH_CHINH").id,
                code="W-1",
                title="Hồ sơ",
                box_id=box.id,
            ),
        )
        tier_id = session.scalars(select(Box.tier_id).where(Box.number == 3)).one()
        batch = handover.create_batch(
            session,
            ADMIN,
            handover.BatchIn(
                office_id=office.id,
                name="Đợt 1",
                giver_name="Phạm Văn Đức",
                receiver_name="Lê Thị Hoa",
                source_department="Phòng Chế độ BHXH",
                series_id=series(session, "HANH_CHINH").id,
            ),
        )
        item = handover.add_item(
            session, ADMIN, batch_id=batch.id, data=ItemIn(file_code="GN-1", title="Hồ sơ")
        )
        scan = scan_intake.receive(
            session,
            ADMIN,
            office_id=office.id,
            documents=[scan_intake.Incoming(write_png(tmp_path / "p.png"), "p.png")],
            store=OriginalStore(tmp_path / "originals"),
        )
        job = jobs.create_job(
            session, ADMIN, kind="import", office_id=office.id, params={}, total=10
        )
        ids: dict[str, Any] = {
            "office_id": office.id,
            "store_id": session.scalars(select(Store.id)).one(),
            "box_id": box.id,
            "other_box_id": other.id,
            "file_id": file.id,
            "series_id": series(session).id,
            "profile_id": profile(session).id,
            "tier_id": tier_id or 0,
            "batch_id": batch.id,
            "item_id": item.id,
            "job_id": job.id,
            "scan_id": scan.id,
            "page_id": session.scalars(select(Page.id).where(Page.batch_id == scan.id)).one(),
            "search_id": 999_999,
            # Use of records: nobody's records, so an allowed role gets past the check to 404.
            "purpose_id": 1,
            "holiday_day": "2026-01-01",  # seeded by migration 0008
            "loan_id": 999_999,
            "visit_id": 999_999,
            "lookup_id": 999_999,
            "copy_id": 999_999,
            "transfer_id": 999_999,
            "passbook_id": 999_999,
            "notice_id": 999_999,
        }
    tokens = {role: make_user(factory, f"user.{role}", (role,)) for role in ROLES}
    return TestClient(make_app(factory, tmp_path), raise_server_exceptions=False), ids, tokens


def test_every_api_route_is_listed(factory: sessionmaker[Session], tmp_path: Path) -> None:
    app = make_app(factory, tmp_path)
    assert api_routes(app) == set(ROUTES), "add new routes to ROUTES with their permission"


def test_every_route_as_every_role(
    world: tuple[TestClient, dict[str, Any], dict[str, str]],
) -> None:
    client, ids, tokens = world
    for (method, template), (perm, body, query) in sorted(ROUTES.items(), key=lambda kv: kv[0][1]):
        path = template.format(**ids)
        query = _fill(query, ids)
        multipart = body is not None and "__files__" in body
        payload = _fill(body, ids) if body is not None and not multipart else None
        upload = body["__files__"] if multipart and body is not None else None
        form = _fill(body.get("__data__"), ids) if multipart and body is not None else None
        anonymous = client.request(
            method, path, json=payload, params=query, files=upload, data=form
        )
        if perm == PUBLIC:
            assert anonymous.status_code < 500, (method, path)
            continue
        assert anonymous.status_code == 401, (method, path, anonymous.text)
        for role, token in tokens.items():
            r = client.request(
                method,
                path,
                json=payload,
                params=query,
                files=upload,
                data=form,
                headers=bearer(token),
            )
            assert r.status_code < 500, (role, method, path, r.text)
            allowed = perm == ANY or perm in ROLE_PERMS[role]
            if allowed:
                assert r.status_code not in (401, 403), (role, method, path, r.text)
            else:
                assert (r.status_code, r.json()["code"]) == (403, "auth.permission"), (
                    role,
                    method,
                    path,
                    r.text,
                )


def test_office_scope_is_checked_on_object_routes(
    factory: sessionmaker[Session], world: tuple[TestClient, dict[str, Any], dict[str, str]]
) -> None:
    client, ids, _ = world
    with seeded(factory) as session:
        make_office(session, "01", "BHXH huyện Duy Tiên")
    outsider = make_user(factory, "district.archivist", ("archivist",), office_code="01")
    for path in (
        f"/api/v1/files/{ids['file_id']}",
        f"/api/v1/boxes/{ids['box_id']}",
        f"/api/v1/stores/{ids['store_id']}/occupancy",
        f"/api/v1/files/{ids['file_id']}/history",
    ):
        r = client.get(path, headers=bearer(outsider))
        assert (r.status_code, r.json()["code"]) == (403, "auth.office_scope"), path
    moved = client.post(
        f"/api/v1/files/{ids['file_id']}/move",
        json={"box_id": ids["other_box_id"]},
        headers=bearer(outsider),
    )
    assert moved.status_code == 403
    with seeded(factory) as session:
        file = session.get(File, ids["file_id"])
        assert file is not None and file.box_id == ids["box_id"]
    assert (
        client.get("/api/v1/lookup", params={"q": "W-1"}, headers=bearer(outsider)).json()["hits"]
        == []
    )

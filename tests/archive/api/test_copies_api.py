"""The copies API over HTTP: a citizen without an identity paper is refused with nothing stored;
a digital copy of real scans from request to delivery, downloaded twice byte for byte; masked
identity numbers; no self-approval; the price list."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from archive.clock import local_today
from archive.models import AuditEvent, CopyRequest
from tests.apps import bearer, make_app, make_user, seeded
from tests.scan_docs import image_pdf, page_lines, text_png
from tests.scan_world import ScanWorld, build_scan_world

ID_NUMBER = "079123456789"


def _request(file_id: int, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "digital",
        "requester_kind": "citizen",
        "requester_name": "Nguyễn Thị Mai Lan",
        "organisation": "Xã Tân Bửu",
        "id_paper_kind": "citizen_id",
        "id_paper_number": ID_NUMBER,
        "purpose_id": 1,
        "items": [{"file_id": file_id, "pages": "2"}],
    }
    return body | changes


def _pdftotext(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def _world(factory: sessionmaker[Session], tmp_path: Path) -> tuple[ScanWorld, TestClient]:
    world = build_scan_world(factory, tmp_path)
    app = make_app(factory, tmp_path, scan_dpi=200)
    return world, TestClient(app, raise_server_exceptions=False)


def test_a_citizen_without_an_identity_paper_gets_422_and_nothing_is_stored(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    world, http = _world(factory, tmp_path)
    desk = bearer(make_user(factory, "luutru", ("archivist",)))
    file_id = world.files["HS-A"].id
    for missing in ({"id_paper_number": None}, {"id_paper_kind": None}, {"id_paper_number": ""}):
        r = http.post(
            "/api/v1/copies", json=_request(file_id, kind="photocopy", **missing), headers=desk
        )
        assert (r.status_code, r.json()["code"]) == (422, "copy.identity_required"), r.text
    assert http.get("/api/v1/copies", headers=desk).json() == {"total": 0, "copies": []}
    with seeded(factory) as session:
        assert session.scalar(select(func.count(CopyRequest.id))) == 0
        assert (
            session.scalar(
                select(func.count(AuditEvent.id)).where(AuditEvent.action.like("copy.%"))
            )
            == 0
        )
    # With the paper, the same request goes in (a paper copy needs no scans, only sheets).
    r = http.post("/api/v1/copies", json=_request(file_id, kind="photocopy"), headers=desk)
    assert r.status_code == 201, r.text
    assert r.json()["id_paper_number"] == ID_NUMBER


def test_a_digital_copy_from_request_to_delivery_downloads_identically(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    world, http = _world(factory, tmp_path)
    file_id = world.files["HS-B"].id
    pages = [text_png(page_lines(n), seed=n) for n in (1, 2)]
    world.run_pages(world.take_in("hs-b.pdf", image_pdf(pages), target_file_id=file_id))
    admin = bearer(make_user(factory, "quantri", ("administrator",)))
    desk = bearer(make_user(factory, "luutru", ("archivist",)))
    approver = bearer(make_user(factory, "giamdoc", ("approver",)))
    inspector = bearer(make_user(factory, "thanhtra", ("inspector",)))

    price = {
        "kind": "digital",
        "per_page_dong": 1500,
        "per_request_dong": 5000,
        "valid_from": local_today().isoformat(),
    }
    assert http.post("/api/v1/copy-prices", json=price, headers=admin).status_code == 201
    assert http.post("/api/v1/copy-prices", json=price, headers=desk).status_code == 403
    listed = http.get("/api/v1/copy-prices", params={"kind": "digital"}, headers=inspector)
    assert listed.json()[0]["per_page_dong"] == 1500

    made = http.post("/api/v1/copies", json=_request(file_id), headers=desk)
    assert made.status_code == 201, made.text
    copy_id = made.json()["id"]
    url = f"/api/v1/copies/{copy_id}"
    decided = http.post(f"{url}/decision", json={"approve": True}, headers=approver).json()
    assert (decided["status"], decided["fee_dong"], decided["items"][0]["page_count"]) == (
        "approved",
        1500 + 5000,
        1,
    )
    produced = http.post(f"{url}/produce", headers=desk).json()
    assert produced["status"] == "produced" and produced["output_sha256"]

    first = http.get(f"{url}/copy.pdf", headers=desk)
    second = http.get(f"{url}/copy.pdf", headers=approver)
    assert first.headers["content-type"] == "application/pdf"
    assert first.content == second.content
    assert hashlib.sha256(second.content).hexdigest() == produced["output_sha256"]
    assert first.headers["etag"] == f'"{produced["output_sha256"]}"'
    text = _pdftotext(first.content, tmp_path)
    assert "Trang số 2" in text and "Trang số 1" not in text
    assert "HS-B · trang 1/1" in text and produced["number"] in text

    unpaid = http.post(f"{url}/deliver", json={}, headers=desk)
    assert (unpaid.status_code, unpaid.json()["code"]) == (409, "copy.unpaid")
    paid = http.post(f"{url}/payment", json={"receipt_number": "0000042"}, headers=desk)
    assert paid.json()["receipt_number"] == "0000042"
    delivered = http.post(f"{url}/deliver", json={"delivered_to": ""}, headers=desk).json()
    assert (delivered["status"], delivered["delivered_to"]) == ("delivered", "Nguyễn Thị Mai Lan")

    slip = _pdftotext(http.get(f"{url}/request.pdf", headers=desk).content, tmp_path)
    assert "PHIẾU YÊU CẦU CUNG CẤP BẢN SAO" in slip and "6.500 đ" in slip and ID_NUMBER in slip
    assert "0000042" in slip
    certification = http.get(f"{url}/certification.pdf", headers=desk)
    assert "XÁC NHẬN BẢN SAO LƯU TRỮ" in _pdftotext(certification.content, tmp_path)

    # An inspector checks the register without seeing identity numbers or the copy's content.
    seen = http.get(url, headers=inspector).json()
    assert seen["id_paper_number"] == "*********789"
    masked = _pdftotext(http.get(f"{url}/request.pdf", headers=inspector).content, tmp_path)
    assert "*********789" in masked and ID_NUMBER not in masked
    refused = http.get(f"{url}/copy.pdf", headers=inspector)
    assert (refused.status_code, refused.json()["code"]) == (403, "auth.permission")

    with seeded(factory) as session:
        actions = session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == "copy", AuditEvent.object_id == copy_id)
            .order_by(AuditEvent.id)
        ).all()
    assert actions == [
        "copy.requested",
        "copy.approved",
        "copy.produced",
        "copy.paid",
        "copy.delivered",
    ]


def test_nobody_approves_a_request_they_registered(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    world, http = _world(factory, tmp_path)
    admin = bearer(make_user(factory, "quantri", ("administrator",)))
    body = _request(world.files["HS-A"].id, kind="certified")
    copy_id = http.post("/api/v1/copies", json=body, headers=admin).json()["id"]
    r = http.post(f"/api/v1/copies/{copy_id}/decision", json={"approve": True}, headers=admin)
    assert (r.status_code, r.json()["code"]) == (403, "copy.self_approval")
    approver = bearer(make_user(factory, "giamdoc", ("approver",)))
    no_reason = http.post(
        f"/api/v1/copies/{copy_id}/decision", json={"approve": False}, headers=approver
    )
    assert (no_reason.status_code, no_reason.json()["code"]) == (422, "copy.reason_required")
    not_produced = http.get(f"/api/v1/copies/{copy_id}/certification.pdf", headers=admin)
    assert (not_produced.status_code, not_produced.json()["code"]) == (409, "copy.status")

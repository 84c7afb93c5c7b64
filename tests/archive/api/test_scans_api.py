"""The scans API over HTTP: upload → progress → pages on the file; the archivist's corrections;
the review queue; the searchable PDF and cover sheets read back with poppler; bad uploads."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from archive.models import AuditEvent, Box, ScanBatch
from tests.apps import bearer, make_app, make_user, seeded
from tests.scan_docs import cover_png, image_pdf, page_lines, text_png
from tests.scan_world import ScanWorld, build_scan_world
from tests.scanners.test_intake_checks import png_header_only


@pytest.fixture
def world(factory: sessionmaker[Session], tmp_path: Path) -> ScanWorld:
    return build_scan_world(factory, tmp_path, ocr_review_below=99.5)


@pytest.fixture
def client(world: ScanWorld, tmp_path: Path) -> tuple[TestClient, dict[str, str]]:
    app = make_app(world.factory, tmp_path, scan_dpi=200, ocr_review_below=99.5)
    token = make_user(world.factory, "scan.archivist", ("archivist",))
    return TestClient(app, raise_server_exceptions=False), bearer(token)


def _upload(
    client: TestClient, auth: dict[str, str], world: ScanWorld, *docs: tuple[str, bytes]
) -> dict:  # type: ignore[type-arg]
    r = client.post(
        "/api/v1/scans",
        data={"office_id": str(world.office_id)},
        files=[("files", (name, data, "application/pdf")) for name, data in docs],
        headers=auth,
    )
    assert r.status_code == 202, r.text
    return r.json()  # type: ignore[no-any-return]


def _pdftotext(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_upload_progress_pages_and_the_searchable_pdf(
    world: ScanWorld, client: tuple[TestClient, dict[str, str]], tmp_path: Path
) -> None:
    http, auth = client
    pdf = image_pdf(
        [cover_png(world.barcode("HS-A"))] + [text_png(page_lines(n), seed=n) for n in (1, 2, 3)]
    )
    queued = _upload(http, auth, world, ("hop-A.pdf", pdf))
    assert (queued["status"], queued["pages_new"], queued["percent"]) == ("processing", 4, 0)
    world.run_pages(queued["id"])
    state = http.get(queued["status_url"], headers=auth).json()
    assert (state["status"], state["percent"], state["covers"], state["unassigned"]) == (
        "done",
        100,
        1,
        0,
    )
    assert [(f["code"], f["pages"]) for f in state["files"]] == [("HS-A", 3)]
    file_id = world.files["HS-A"].id
    listing = http.get(f"/api/v1/files/{file_id}/pages", headers=auth).json()
    assert (listing["content_pages"], listing["sheet_count"], listing["sheets_match"]) == (
        3,
        2,
        False,
    )
    ids = [p["id"] for p in listing["pages"]]
    image = http.get(listing["pages"][0]["image_url"], headers=auth)
    thumb = http.get(listing["pages"][0]["thumbnail_url"], headers=auth)
    assert image.content[:3] == thumb.content[:3] == b"\xff\xd8\xff"  # JPEG views
    assert len(thumb.content) < len(image.content)
    page = http.get(f"/api/v1/pages/{ids[1]}", headers=auth).json()
    assert "Trang số 2" in page["text"] and page["words"]
    word = next(w for w in page["words"] if w["text"] == "Trang")
    assert 0 < word["left"] < page["page"]["width"] and 0 < word["top"] < page["page"]["height"]
    scans = http.get(f"/api/v1/files/{file_id}/scans.pdf", headers=auth)
    assert scans.headers["content-type"] == "application/pdf"
    text = _pdftotext(scans.content, tmp_path)
    assert all(f"Trang số {n}" in text for n in (1, 2, 3))
    assert "Nguyễn Thị Mai Lan" in text


def test_reorder_move_and_remove_are_audited_and_keep_positions_whole(
    world: ScanWorld, client: tuple[TestClient, dict[str, str]]
) -> None:
    http, auth = client
    pdf = image_pdf(
        [cover_png(world.barcode("HS-A"))] + [text_png(page_lines(n), seed=n) for n in (4, 5, 6)]
    )
    world.run_pages(_upload(http, auth, world, ("a.pdf", pdf))["id"])
    a, b = world.files["HS-A"].id, world.files["HS-B"].id
    ids = [p["id"] for p in http.get(f"/api/v1/files/{a}/pages", headers=auth).json()["pages"]]
    r = http.put(f"/api/v1/files/{a}/pages/order", json={"page_ids": ids[::-1]}, headers=auth)
    assert [p["id"] for p in r.json()["pages"]] == ids[::-1]
    bad = http.put(f"/api/v1/files/{a}/pages/order", json={"page_ids": ids[:2]}, headers=auth)
    assert (bad.status_code, bad.json()["code"]) == (422, "page.order_mismatch")
    moved = http.post(f"/api/v1/files/{b}/pages", json={"page_ids": [ids[0]]}, headers=auth)
    assert [p["id"] for p in moved.json()["pages"]] == [ids[0]]
    assert http.delete(f"/api/v1/pages/{ids[1]}", headers=auth).status_code == 204
    left = http.get(f"/api/v1/files/{a}/pages", headers=auth).json()["pages"]
    assert [(p["id"], p["position"]) for p in left] == [(ids[2], 1)]
    assert http.get(f"/api/v1/pages/{ids[1]}", headers=auth).status_code == 404
    with seeded(world.factory) as session:
        actions = session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.action.like("page.%"))
            .order_by(AuditEvent.id)
        ).all()
    assert actions == ["page.reordered", "page.moved", "page.removed"]


def test_the_review_queue_takes_corrections_acceptance_and_a_new_reading(
    world: ScanWorld, client: tuple[TestClient, dict[str, str]]
) -> None:
    http, auth = client
    pdf = image_pdf(
        [cover_png(world.barcode("HS-C"))] + [text_png(page_lines(n), seed=n) for n in (7, 8)]
    )
    world.run_pages(_upload(http, auth, world, ("c.pdf", pdf))["id"])
    queue = http.get("/api/v1/review-queue", headers=auth).json()
    assert len(queue) == 2  # the threshold is 99.5 here: every page is under it
    first, second = queue[0]["id"], queue[1]["id"]
    fixed = http.put(
        f"/api/v1/pages/{first}/text", json={"text": "Nguyễn Thị Mai Lan"}, headers=auth
    )
    assert (fixed.json()["text"], fixed.json()["page"]["text_source"]) == (
        "Nguyễn Thị Mai Lan",
        "manual",
    )
    accepted = http.post(f"/api/v1/pages/{second}/accept", headers=auth)
    assert accepted.json()["page"]["needs_review"] is False
    assert http.get("/api/v1/review-queue", headers=auth).json() == []
    again = http.post(f"/api/v1/pages/{first}/ocr", headers=auth)
    assert (again.status_code, again.json()["status"]) == (202, "pending")
    busy = http.put(f"/api/v1/pages/{first}/text", json={"text": "x"}, headers=auth)
    assert (busy.status_code, busy.json()["code"]) == (422, "page.still_processing")
    assert world.run_pages(again.json()["batch_id"]) == ["done"]
    reread = http.get(f"/api/v1/pages/{first}", headers=auth).json()
    assert reread["page"]["text_source"] == "ocr" and "Trang số" in reread["text"]


def _corrupt_pdf() -> bytes:
    data = image_pdf([text_png(page_lines(2))])
    start = data.index(b"/Type /Page")  # the page object is gone; %%EOF is still there
    return data[:start] + b"\x00" * 40 + data[start + 40 :]


BAD_UPLOADS = {
    "corrupt PDF": ("hong.pdf", _corrupt_pdf, "scan.pdf_corrupt"),
    "30,000 x 30,000 PNG": (
        "lon.png",
        lambda: png_header_only(30_000, 30_000),
        "scan.image_too_large",
    ),
    "zero bytes": ("rong.pdf", lambda: b"", "scan.empty"),
    ".exe renamed .pdf": (
        "setup.pdf",
        lambda: b"MZ\x90\x00" + b"\x00" * 200,
        "scan.unsupported_type",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_UPLOADS))
def test_one_bad_document_refuses_the_whole_upload_and_stores_nothing(
    world: ScanWorld, client: tuple[TestClient, dict[str, str]], case: str
) -> None:
    http, auth = client
    name, make, code = BAD_UPLOADS[case]
    good = image_pdf([text_png(page_lines(1))])
    r = http.post(
        "/api/v1/scans",
        data={"office_id": str(world.office_id)},
        files=[
            ("files", ("tot.pdf", good, "application/pdf")),
            ("files", (name, make(), "application/octet-stream")),
        ],
        headers=auth,
    )
    body = r.json()
    assert (r.status_code, body["code"]) == (422, code), body
    assert name in body["detail"] or body.get("filename") == name or name in str(body)
    assert r.headers["content-type"] == "application/problem+json"
    with seeded(world.factory) as session:
        assert session.scalar(select(func.count(ScanBatch.id))) == 0
    assert not world.store.root.exists() or sum(1 for _ in world.store.iter_files()) == 0


def test_cover_sheets_print_for_a_file_and_for_a_box(
    world: ScanWorld, client: tuple[TestClient, dict[str, str]], tmp_path: Path
) -> None:
    http, auth = client
    one = http.get(f"/api/v1/files/{world.files['HS-B'].id}/cover-sheet.pdf", headers=auth)
    text = _pdftotext(one.content, tmp_path)
    assert "TỜ BÌA QUÉT HỒ SƠ" in text and "HS-B" in text and world.barcode("HS-B") in text
    with seeded(world.factory) as session:
        box_id = session.scalars(select(Box.id)).one()
    box = http.get(f"/api/v1/boxes/{box_id}/cover-sheets.pdf", headers=auth)
    assert _pdftotext(box.content, tmp_path).count("TỜ BÌA QUÉT HỒ SƠ") == 3

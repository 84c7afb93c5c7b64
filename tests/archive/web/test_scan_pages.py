"""The scanning pages through the real app, logged in through the real form: upload with live
progress, the unassigned tray, the review queue, a page with its words highlighted, and the
scanned pages of a file. Pages are read by the real pipeline (render, zxing, tesseract)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from archive.models import AuditEvent, Page, ScanBatch
from tests.apps import make_app, make_user, seeded
from tests.archive.web.conftest import csrf_of, log_in, soup
from tests.scan_docs import cover_png, image_pdf, page_lines, text_png
from tests.scan_world import ScanWorld, build_scan_world

PASSWORD = "mật-khẩu-thử-nghiệm"
REVIEW_BELOW = 99.5  # every real OCR reading lands in the review queue


@pytest.fixture
def world(factory: sessionmaker[Session], tmp_path: Path) -> ScanWorld:
    return build_scan_world(factory, tmp_path, ocr_review_below=REVIEW_BELOW)


@pytest.fixture
def http(world: ScanWorld, tmp_path: Path) -> TestClient:
    app = make_app(world.factory, tmp_path, scan_dpi=200, ocr_review_below=REVIEW_BELOW)
    for name, role in (
        ("lan.scan", "archivist"),
        ("hoa.staff", "staff"),
        ("thanh.insp", "inspector"),
    ):
        make_user(world.factory, name, (role,), password=PASSWORD)
    return TestClient(app, raise_server_exceptions=False)


def _as(http: TestClient, username: str) -> TestClient:
    log_in(http, username, PASSWORD)
    return http


@pytest.fixture
def processed(world: ScanWorld) -> int:
    """A batch read by the pipeline: one page before any cover sheet (to the tray), then the
    cover sheet of HS-A and two pages for it."""
    pdf = image_pdf(
        [text_png(page_lines(0), seed=0), cover_png(world.barcode("HS-A"))]
        + [text_png(page_lines(n), seed=n) for n in (1, 2)]
    )
    batch_id = world.take_in("hop-A.pdf", pdf)
    assert world.run_pages(batch_id) == ["done"] * 4
    return batch_id


def _actions(world: ScanWorld) -> list[str]:
    with seeded(world.factory) as session:
        return list(
            session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.action.like("page.%"))
                .order_by(AuditEvent.id)
            )
        )


def _tray_ids(world: ScanWorld) -> list[int]:
    with seeded(world.factory) as session:
        return list(
            session.scalars(
                select(Page.id).where(
                    Page.file_id.is_(None), Page.role == "content", Page.removed_at.is_(None)
                )
            )
        )


def test_the_upload_page_renders_in_vietnamese_and_english(
    world: ScanWorld, http: TestClient
) -> None:
    client = _as(http, "lan.scan")
    page = soup(client.get("/scans").text)
    assert page.select_one("#upload h2").get_text(strip=True) == "Tải lên một lô quét"
    files = page.select_one("#upload-files")
    assert files.has_attr("multiple") and files["accept"] == ".pdf,.tif,.tiff,.png,.jpg,.jpeg"
    assert [
        o.get_text(strip=True).split(" · ")[0] for o in page.select("#upload-office option")
    ] == ["00"]
    assert "Quét" in [a.get_text(strip=True) for a in page.select(".sidenav a")]
    english = soup(client.get("/scans?lang=en").text)
    assert english.select_one("#upload h2").get_text(strip=True) == "Upload a scan batch"
    assert english.select_one("#upload button").get_text(strip=True) == "Upload"


def test_a_zero_byte_upload_is_refused_in_vietnamese_and_creates_nothing(
    world: ScanWorld, http: TestClient
) -> None:
    client = _as(http, "lan.scan")
    token = csrf_of(client.get("/scans").text)
    response = client.post(
        "/scans",
        data={"csrf_token": token, "office_id": str(world.office_id), "target": ""},
        files=[("files", ("rong.pdf", b"", "application/pdf"))],
    )
    assert response.status_code == 422
    error = soup(response.text).select_one("#main .error")
    assert error["data-code"] == "scan.empty"
    assert error.get_text(strip=True) == "Tệp rỗng (0 byte); không có gì để lưu."
    with seeded(world.factory) as session:
        assert session.scalar(select(func.count(ScanBatch.id))) == 0
    assert not world.store.root.exists() or sum(1 for _ in world.store.iter_files()) == 0


def test_an_upload_goes_to_its_progress_page_which_polls_until_done(
    world: ScanWorld, http: TestClient
) -> None:
    client = _as(http, "lan.scan")
    token = csrf_of(client.get("/scans").text)
    pdf = image_pdf([text_png(page_lines(3), seed=3)])
    response = client.post(
        "/scans",
        data={"csrf_token": token, "office_id": str(world.office_id), "target": "HS-B"},
        files=[("files", ("hs-b.pdf", pdf, "application/pdf"))],
    )
    assert response.status_code == 200
    found = re.search(r"/scans/(\d+)$", str(response.url))
    assert found, response.url
    batch_id = int(found.group(1))
    section = soup(response.text).select_one("#batch")
    assert section["data-status"] == "processing"
    assert section["hx-get"] == f"/scans/{batch_id}" and section["hx-trigger"] == "every 1s"
    assert section.select_one("#pages-total").get_text(strip=True) == "1"
    world.run_pages(batch_id)
    fragment = client.get(f"/scans/{batch_id}", headers={"HX-Request": "true"}).text
    assert not fragment.lstrip().startswith("<!doctype")
    done = soup(fragment).select_one("#batch")
    assert done["data-status"] == "done" and not done.has_attr("hx-get")
    assert done.select_one("#pages-done").get_text(strip=True) == "1"
    links = done.select("#batch-files a")
    assert [a.get_text(strip=True) for a in links] == ["HS-B"]
    assert links[0]["href"].startswith(f"/files/{world.files['HS-B'].id}")
    assert done.select_one("#count-review a")["href"] == "/scans/review"
    recent = soup(client.get("/scans").text).select("#recent-batches tbody tr")
    assert [row["data-batch-id"] for row in recent] == [str(batch_id)]


def test_the_tray_moves_chosen_pages_to_a_scanned_file_code_and_audits_it(
    world: ScanWorld, http: TestClient, processed: int
) -> None:
    client = _as(http, "lan.scan")
    batch = soup(client.get(f"/scans/{processed}").text)
    assert batch.select_one("#count-unassigned a")["href"].startswith("/scans/tray")
    html = client.get("/scans/tray").text
    waiting = _tray_ids(world)
    assert len(waiting) == 1
    boxes = soup(html).select("#tray-pages input[name=page_ids]")
    assert [int(box["value"]) for box in boxes] == waiting
    assert soup(html).select_one("#tray-pages img")["src"] == (
        f"/api/v1/pages/{waiting[0]}/image?thumbnail=true"
    )
    token = csrf_of(html)
    empty = client.post(
        "/scans/tray/move",
        data={"csrf_token": token, "office_id": str(world.office_id), "target": "HS-C"},
    )
    assert empty.status_code == 422 and "Chưa chọn trang nào." in empty.text
    unknown = client.post(
        "/scans/tray/move",
        data={
            "csrf_token": token,
            "office_id": str(world.office_id),
            "target": "HS-ZZZ",
            "page_ids": [str(waiting[0])],
        },
    )
    assert unknown.status_code == 422
    assert soup(unknown.text).select_one(".error").get_text(strip=True) == (
        "Không tìm thấy hồ sơ có mã “HS-ZZZ” trong đơn vị."
    )
    assert _tray_ids(world) == waiting and _actions(world) == []
    moved = client.post(
        "/scans/tray/move",
        data={
            "csrf_token": token,
            "office_id": str(world.office_id),
            "target": world.barcode("HS-C"),
            "page_ids": [str(waiting[0])],
        },
    )
    assert moved.status_code == 200 and "ok=pages.moved" in str(moved.url)
    page = soup(moved.text)
    assert page.select_one("[data-ok='pages.moved']").get_text(strip=True) == (
        "Đã chuyển trang vào hồ sơ."
    )
    assert page.select_one("#tray-empty") is not None
    assert _tray_ids(world) == [] and _actions(world) == ["page.moved"]
    file_page = soup(client.get(f"/files/{world.files['HS-C'].id}").text)
    assert [li["data-page-id"] for li in file_page.select("#page-list li")] == [str(waiting[0])]


def test_the_review_queue_saves_accepts_and_reads_again_with_audit(
    world: ScanWorld, http: TestClient, processed: int
) -> None:
    client = _as(http, "lan.scan")
    html = client.get("/scans/review").text
    page = soup(html)
    items = page.select(".review-item")
    assert len(items) == 3 and page.select_one("#review-total").get_text(strip=True) == "3"
    first, second, third = (int(item["data-page-id"]) for item in items)
    assert items[0].select_one("img")["src"] == f"/api/v1/pages/{first}/image"
    assert "Trang số" in items[0].select_one("textarea").get_text()
    assert [b.get_text(strip=True) for b in items[0].select("button")] == [
        "Lưu bản sửa",
        "Chấp nhận",
        "Đọc lại (OCR)",
    ]
    token = csrf_of(html)
    saved = client.post(
        f"/pages/{first}/text",
        data={"csrf_token": token, "text": "Nguyễn Thị Mai Lan", "back": "review"},
    )
    assert saved.status_code == 200 and "ok=page.text_corrected" in str(saved.url)
    assert soup(saved.text).select_one("#review-total").get_text(strip=True) == "2"
    accepted = client.post(f"/pages/{second}/accept", data={"csrf_token": token})
    assert accepted.status_code == 200
    assert soup(accepted.text).select_one("[data-ok]").get_text(strip=True) == (
        "Đã chấp nhận nội dung trang."
    )
    again = client.post(f"/pages/{third}/ocr", data={"csrf_token": token})
    assert again.status_code == 200 and "ok=page.ocr_requested" in str(again.url)
    refused = client.post(f"/pages/{second}/accept", data={"csrf_token": token})
    assert refused.status_code == 422
    assert soup(refused.text).select_one(".error").get_text(strip=True) == (
        f"Trang {second} không nằm trong danh sách cần kiểm tra."
    )
    assert _actions(world) == ["page.text_corrected", "page.review_accepted", "page.ocr_requested"]
    with seeded(world.factory) as session:
        fixed = session.get(Page, first)
        reread = session.get(Page, third)
        assert fixed is not None and reread is not None
        assert (fixed.text, fixed.text_source) == ("Nguyễn Thị Mai Lan", "manual")
        assert reread.status == "pending"
    shown = soup(client.get(f"/pages/{first}").text)
    assert shown.select_one("#page-text").get_text() == "Nguyễn Thị Mai Lan"


def test_a_page_highlights_the_searched_words_without_diacritics(
    world: ScanWorld, http: TestClient, processed: int
) -> None:
    client = _as(http, "lan.scan")
    page_id = world.pages_of("HS-A")[0].id
    plain = soup(client.get(f"/pages/{page_id}").text)
    assert plain.select_one("#page-image")["src"] == f"/api/v1/pages/{page_id}/image"
    assert plain.select("mark.hit") == []
    found = soup(client.get(f"/pages/{page_id}", params={"q": "trang SO"}).text)
    hits = found.select("#page-view mark.hit")
    assert {hit["title"] for hit in hits} >= {"Trang", "số"}
    for hit in hits:
        left, top, width, height = (float(v) for v in re.findall(r"([\d.]+)%", hit["style"]))
        assert 0 <= left < 100 and 0 <= top < 100 and 0 < width < 100 and 0 < height < 100
    english = soup(client.get(f"/pages/{page_id}?lang=en&q=trang").text)
    assert (
        english.select_one("#find-on-page label")
        .get_text(strip=True)
        .startswith("Find on the page")
    )


def test_the_file_page_shows_its_scans_reorders_and_removes_with_audit(
    world: ScanWorld, http: TestClient, processed: int
) -> None:
    client = _as(http, "lan.scan")
    file_id = world.files["HS-A"].id
    html = client.get(f"/files/{file_id}").text
    page = soup(html)
    section = page.select_one("#scans")
    assert section.select_one("h2").get_text(strip=True) == "Trang quét"
    assert " ".join(section.select_one("#sheet-check").get_text().split()) == (
        "Số tờ theo sổ 2 · Số trang đã quét 2"
    )
    before = [int(li["data-page-id"]) for li in section.select("#page-list li")]
    assert len(before) == 2
    assert section.select_one("#page-list img")["src"].endswith("?thumbnail=true")
    assert section.select_one("#page-list .flag-low") is not None  # under 99.5 here
    assert (
        section.select_one("#cover-sheet-link")["href"]
        == f"/api/v1/files/{file_id}/cover-sheet.pdf"
    )
    assert section.select_one("#scans-pdf-link")["href"] == f"/api/v1/files/{file_id}/scans.pdf"
    cover = client.get(section.select_one("#cover-sheet-link")["href"])
    assert cover.headers["content-type"] == "application/pdf"
    token = csrf_of(html)
    shifted = client.post(
        f"/files/{file_id}/pages/shift",
        data={"csrf_token": token, "page_id": str(before[1]), "delta": "-1"},
        headers={"HX-Request": "true"},
    )
    assert shifted.status_code == 200
    assert [int(li["data-page-id"]) for li in soup(shifted.text).select("#page-list li")] == (
        before[::-1]
    )
    removed = client.post(
        f"/files/{file_id}/pages/remove",
        data={"csrf_token": token, "page_id": str(before[0]), "reason": "Trang trùng"},
    )
    assert removed.status_code == 200 and "ok=page.removed" in str(removed.url)
    after = soup(removed.text)
    assert [int(li["data-page-id"]) for li in after.select("#page-list li")] == [before[1]]
    assert "Số trang đã quét 1" in " ".join(after.select_one("#sheet-check").get_text().split())
    assert _actions(world) == ["page.reordered", "page.removed"]
    with seeded(world.factory) as session:
        reason = session.scalar(
            select(AuditEvent.changes).where(AuditEvent.action == "page.removed")
        )
    assert "Trang trùng" in str(reason)
    english = soup(client.get(f"/files/{file_id}?lang=en").text)
    assert english.select_one("#scans h2").get_text(strip=True) == "Scanned pages"
    box = soup(client.get(f"/boxes/{world.files['HS-A'].box_id}").text)
    assert box.select_one("#box-cover-sheets").get_text(strip=True) == "In tờ bìa cả hộp"


def test_an_inspector_sees_no_pages_and_staff_cannot_upload(
    world: ScanWorld, http: TestClient, processed: int
) -> None:
    page_id = world.pages_of("HS-A")[0].id
    file_id = world.files["HS-A"].id
    inspector = _as(http, "thanh.insp")
    assert "Quét" not in [
        a.get_text(strip=True) for a in soup(inspector.get("/").text).select(".sidenav a")
    ]
    assert soup(inspector.get(f"/files/{file_id}").text).select_one("#scans") is None
    for url in (
        f"/pages/{page_id}",
        "/scans/tray",
        "/scans/review",
        f"/api/v1/pages/{page_id}/image",
    ):
        assert inspector.get(url).status_code == 403, url
    assert soup(inspector.get("/scans").text).select_one("#upload") is None
    inspector.cookies.clear()
    staff = _as(http, "hoa.staff")
    home = soup(staff.get("/").text)
    assert "Quét" in [a.get_text(strip=True) for a in home.select(".sidenav a")]
    html = staff.get("/scans").text
    assert soup(html).select_one("#upload") is None
    assert soup(staff.get(f"/files/{file_id}").text).select_one("#scans form") is None
    assert soup(staff.get("/scans/review").text).select(".review-item button") == []
    refused = staff.post(
        "/scans",
        data={
            "csrf_token": csrf_of(staff.get(f"/files/{file_id}").text),
            "office_id": str(world.office_id),
        },
        files=[("files", ("a.pdf", image_pdf([text_png(page_lines(1))]), "application/pdf"))],
    )
    assert refused.status_code == 422
    assert soup(refused.text).select_one("#main .error")["data-code"] == "auth.permission"
    with seeded(world.factory) as session:
        assert session.scalar(select(func.count(ScanBatch.id))) == 1

"""Scanning, in Debian's Chromium against a live server and a real worker (issue 3, item 9):
print a file's cover sheet → upload a PDF of [that cover sheet + 3 pages] → watch the progress →
the pages appear on the file → the one poorly scanned page waits in the review queue."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from playwright.sync_api import Page, expect

from archive.settings import Settings
from tests.archive.web.seed import Seeded
from tests.browser.conftest import log_in
from tests.browser.server import serve
from tests.scan_docs import FONT, image_pdf, page_lines, text_png
from tests.workers import start_worker, stop_worker

pytestmark = pytest.mark.browser
DPI = 200


@pytest.fixture
def base_url(db_path: Path, tmp_path: Path) -> Iterator[str]:
    """The app and a real `archive worker` (two processes) on one database, queue and data dir."""
    settings = Settings(
        env="test",
        data_dir=tmp_path / "data",
        database_url=f"sqlite:///{db_path}",
        queue_url=f"sqlite:///{tmp_path / 'queue.sqlite3'}",
        scan_dpi=DPI,
    )
    worker = start_worker(settings, workers=2, ARCHIVE_SCAN_DPI=str(DPI))
    try:
        with serve(db_path, settings.data_dir, settings=settings) as url:
            yield url
    finally:
        stop_worker(worker)


def _scanned(pdf: bytes) -> bytes:
    """The printed cover sheet as a 200-dpi greyscale scan, slightly askew and noisy."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cover.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(DPI), "-gray", "-png", "-singlefile", str(path), f"{folder}/c"],
            check=True,
        )
        image = Image.open(Path(folder) / "c.png").convert("L")
    image = image.rotate(0.5, fillcolor=255, resample=Image.Resampling.BILINEAR)
    return _png(_noise(image, sigma=6, seed=1))


def _poor_page() -> bytes:
    """A badly scanned page: small grey type, blurred and noisy. Tesseract still reads words
    from it, with a mean confidence near 20 (deterministic: fixed noise, same engine)."""
    width, height = round(8.27 * DPI), round(4 * DPI)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, round(8 * DPI / 72))
    for n, line in enumerate(page_lines(2) * 2):
        draw.text((round(0.8 * DPI), round((0.5 + 0.3 * n) * DPI)), line, font=font, fill=90)
    return _png(_noise(image.filter(ImageFilter.GaussianBlur(0.6)), sigma=30, seed=9))


def _noise(image: Image.Image, *, sigma: float, seed: int) -> Image.Image:
    rng = np.random.default_rng(seed)
    pixels = np.asarray(image, dtype=np.float32) + rng.normal(0, sigma, (image.height, image.width))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(DPI, DPI))
    return out.getvalue()


def test_print_a_cover_sheet_upload_the_scan_and_find_the_pages_on_the_file(
    page: Page, seeded: Seeded
) -> None:
    log_in(page)
    file_id = seeded.file_ids[1]
    page.goto(f"/files/{file_id}")
    expect(page.locator("#no-pages")).to_have_text("Hồ sơ chưa có trang quét nào.")
    link = page.get_by_role("link", name="In tờ bìa quét")
    cover = page.request.get(str(link.get_attribute("href")))
    assert cover.ok and cover.headers["content-type"] == "application/pdf"
    assert cover.body().startswith(b"%PDF")

    scan = image_pdf(
        [
            _scanned(cover.body()),
            text_png(page_lines(1), seed=1),
            _poor_page(),
            text_png(page_lines(3), seed=3),
        ]
    )
    page.get_by_role("link", name="Quét", exact=True).click()
    page.get_by_label("Tệp quét").set_input_files(
        files=[{"name": "hop-001.pdf", "mimeType": "application/pdf", "buffer": scan}]
    )
    page.get_by_role("button", name="Tải lên").click()
    expect(page).to_have_url(re.compile(r"/scans/\d+$"))
    expect(page.locator("#pages-total")).to_have_text("4")
    batch = page.locator("#batch")
    expect(batch).to_have_attribute("data-status", "done", timeout=45_000)
    expect(page.locator("#pages-done")).to_have_text("4")
    expect(page.locator("#count-covers")).to_have_text("1")
    expect(page.locator("#count-review")).to_have_text("1")
    expect(page.locator("#batch-files tbody tr td:nth-child(3)")).to_have_text(["3"])

    page.locator("#batch-files").get_by_role("link", name="HS-2019-002").click()
    thumbs = page.locator("#page-list li img")
    expect(thumbs).to_have_count(3)
    for n in range(3):
        expect(thumbs.nth(n)).to_have_js_property("complete", True)
        assert thumbs.nth(n).evaluate("img => img.naturalWidth") > 0
    expect(page.locator("#page-list li .flag-low")).to_have_count(1)
    expect(page.locator("#sheet-check")).to_contain_text("Số trang đã quét 3")

    page.get_by_role("link", name="Quét", exact=True).click()
    page.get_by_role("link", name="Trang cần kiểm tra").first.click()
    items = page.locator(".review-item")
    expect(items).to_have_count(1)
    expect(items.first.locator("h2")).to_contain_text("HS-2019-002")
    expect(items.first.get_by_role("button", name="Lưu bản sửa")).to_be_visible()
    poor = items.first.locator("img")
    expect(poor).to_have_js_property("complete", True)
    assert poor.evaluate("img => img.naturalWidth") > 0

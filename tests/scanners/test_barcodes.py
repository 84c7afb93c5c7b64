"""Cover sheets printed by our own code, rasterised by poppler, degraded like a scan, read back."""

from __future__ import annotations

import functools
import io
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFilter
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode import code128, eanbc, qr
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from archive.printing import fonts
from archive.printing.cover_sheet import CoverSheet, cover_sheets_pdf
from scanners.barcodes import (
    CoverStatus,
    DecodedCode,
    cover_reading,
    cover_value,
    is_file_barcode,
    read_codes,
)

VALUE = "F0300000042"
SHEET = CoverSheet(
    barcode=VALUE,
    file_code="BHXH-03/2015/HS-0042",
    title="Hồ sơ giải quyết chế độ hưu trí của người lao động huyện Thanh Trì, năm 2015",
    office_name="Bảo hiểm xã hội huyện Thanh Trì",
    location="Kho 1 › Giá 2 › Tầng 3 › Hộp 15",
    series_name="Hồ sơ hưởng chế độ hưu trí",
    dates="03/01/2015 – 28/12/2015",
    sheet_count=127,
)


def rasterise(pdf: bytes, dpi: int, directory: Path) -> Image.Image:
    """The first page as poppler renders it in greyscale, as a scanner driver would deliver it."""
    source = directory / f"page-{dpi}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(dpi),
            "-gray",
            "-singlefile",
            str(source),
            str(source.with_suffix("")),
        ],
        check=True,
    )
    with Image.open(source.with_suffix(".pgm")) as page:
        return page.copy()


@functools.cache
def noise_tile(seed: int) -> NDArray[np.int16]:
    """Gaussian sensor noise (sigma 12), tiled over the page: generating it per pixel is slow."""
    tile = np.random.default_rng(seed).normal(0, 12, (509, 509))
    return tile.round().astype(np.int16)


def degrade(page: Image.Image, *, angle: float, seed: int) -> Image.Image:
    """A sheet-fed scan: skewed, soft, noisy, a dark shadow at the edge, saved as a poor JPEG."""
    page = page.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255)
    page = page.filter(ImageFilter.GaussianBlur(1.0))
    pixels = np.asarray(page, dtype=np.int32)
    height, width = pixels.shape
    edge = np.arange(width, dtype=np.float32) / (width * 0.03)
    shadow = (64 + 192 * (1 - np.exp(-edge))).astype(np.int32)  # dark at the left edge
    noise = np.tile(noise_tile(seed), (height // 509 + 1, width // 509 + 1))[:height, :width]
    pixels = (pixels * shadow[None, :] >> 8) + noise
    noisy = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L")
    buffer = io.BytesIO()
    noisy.save(buffer, "JPEG", quality=40)
    with Image.open(io.BytesIO(buffer.getvalue())) as jpeg:
        return jpeg.convert("L")


def white_out(page: Image.Image, code: DecodedCode) -> Image.Image:
    """The page with one symbol (and a margin around it) painted over in white."""
    assert code.position is not None
    box = code.position
    margin = (box.right - box.left) // 4
    covered = page.copy()
    ImageDraw.Draw(covered).rectangle(
        (box.left - margin, box.top - margin, box.right + margin, box.bottom + margin), fill=255
    )
    return covered


def drawn_page(draw: Callable[[Canvas], None]) -> bytes:
    """A one-page PDF made by calling `draw(canvas)`: content pages and foreign labels."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@pytest.fixture(scope="module")
def clean_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Image.Image]:
    pdf = cover_sheets_pdf([SHEET])
    directory = tmp_path_factory.mktemp("cover")
    return {dpi: rasterise(pdf, dpi, directory) for dpi in (200, 300)}


@pytest.fixture(scope="module")
def scans(clean_pages: dict[int, Image.Image]) -> dict[int, Image.Image]:
    """One degraded scan per resolution, shared by the tests that only read it."""
    return {
        dpi: degrade(page, angle=-2.0 if dpi == 300 else 1.0, seed=dpi)
        for dpi, page in clean_pages.items()
    }


@pytest.mark.parametrize("dpi", [200, 300])
def test_degraded_cover_sheet_yields_its_value_from_both_codes(
    scans: dict[int, Image.Image], dpi: int
) -> None:
    codes = read_codes(scans[dpi])

    assert {(c.format, c.value) for c in codes} == {("Code128", VALUE), ("QRCode", VALUE)}
    reading = cover_reading(codes, is_file_barcode)
    assert (reading.status, reading.value, reading.confirmed) == (CoverStatus.FOUND, VALUE, True)


@pytest.mark.parametrize(("angle", "seed"), [(-1.5, 2), (2.0, 3)])
def test_other_skews_and_noise_read_at_200_dpi(
    clean_pages: dict[int, Image.Image], angle: float, seed: int
) -> None:
    codes = read_codes(degrade(clean_pages[200], angle=angle, seed=seed))

    assert {(c.format, c.value) for c in codes} == {("Code128", VALUE), ("QRCode", VALUE)}
    reading = cover_reading(codes, is_file_barcode)
    assert (reading.status, reading.value, reading.confirmed) == (CoverStatus.FOUND, VALUE, True)


@pytest.mark.parametrize("dpi", [200, 300])
@pytest.mark.parametrize("kept", ["Code128", "QRCode"])
def test_one_code_alone_is_enough(scans: dict[int, Image.Image], dpi: int, kept: str) -> None:
    page = scans[dpi]
    other = next(c for c in read_codes(page) if c.format != kept)
    codes = read_codes(white_out(page, other))

    assert [(c.format, c.value) for c in codes] == [(kept, VALUE)]
    reading = cover_reading(codes, is_file_barcode)
    assert (reading.value, reading.confirmed) == (VALUE, False)


def test_sheet_fed_sideways_is_read_from_its_qr_or_on_request_both(
    clean_pages: dict[int, Image.Image],
) -> None:
    turned = clean_pages[200].rotate(90, expand=True)

    assert {c.format for c in read_codes(turned)} == {"QRCode"}
    assert {c.format for c in read_codes(turned, sideways=True)} == {"Code128", "QRCode"}
    assert {c.format for c in read_codes(turned.rotate(90, expand=True))} == {"Code128", "QRCode"}


def test_positions_are_in_pixels_of_the_page_given(clean_pages: dict[int, Image.Image]) -> None:
    # The 300-dpi page is read at half size first; boxes must still point at the full page.
    page = clean_pages[300]
    for code in read_codes(page):
        assert code.position is not None
        box = code.position
        assert 0 <= box.left < box.right <= page.width
        assert 0 <= box.top < box.bottom <= page.height
        # both symbols are over 28 mm wide, over 330 px at 300 dpi (half that if not scaled back)
        assert box.right - box.left > 330


def test_path_and_bytes_read_the_same_as_an_image(
    clean_pages: dict[int, Image.Image], tmp_path: Path
) -> None:
    png = tmp_path / "cover.png"
    clean_pages[200].save(png)

    values = {c.value for c in read_codes(png)} | {c.value for c in read_codes(png.read_bytes())}
    assert values == {VALUE}


def test_content_page_gives_no_code(tmp_path: Path) -> None:
    def text_page(canvas: Canvas) -> None:
        fonts.register_fonts((fonts.SANS,))
        canvas.setFont(fonts.SANS, 11)
        for line in range(50):
            canvas.drawString(
                20 * mm,
                270 * mm - line * 5 * mm,
                f"Dòng {line}: Quyết định hưởng lương hưu 0300000042",
            )

    page = degrade(rasterise(drawn_page(text_page), 300, tmp_path), angle=1.0, seed=7)
    codes = read_codes(page)

    assert codes == ()
    assert cover_reading(codes, is_file_barcode).status is CoverStatus.NONE


def test_foreign_barcodes_give_no_cover_value(tmp_path: Path) -> None:
    def labels(canvas: Canvas) -> None:
        code128.Code128("ABC123", barWidth=0.5 * mm, barHeight=20 * mm).drawOn(
            canvas, 30 * mm, 200 * mm
        )
        ean = Drawing(60 * mm, 40 * mm)
        ean.add(eanbc.Ean13BarcodeWidget("590123412345", barWidth=0.5 * mm, barHeight=25 * mm))
        renderPDF.draw(ean, canvas, 30 * mm, 100 * mm)

    codes = read_codes(rasterise(drawn_page(labels), 200, tmp_path))

    assert [(c.format, c.value) for c in codes] == [("Code128", "ABC123")]  # EAN-13 not looked for
    assert cover_value(codes, is_file_barcode) is None


def test_codes_that_disagree_are_a_conflict_not_a_guess(tmp_path: Path) -> None:
    def mismatched(canvas: Canvas) -> None:
        code128.Code128(VALUE, barWidth=0.5 * mm, barHeight=20 * mm).drawOn(
            canvas, 30 * mm, 200 * mm
        )
        square = Drawing(40 * mm, 40 * mm)
        square.add(qr.QrCodeWidget("F0300000043", barWidth=40 * mm, barHeight=40 * mm))
        renderPDF.draw(square, canvas, 30 * mm, 100 * mm)

    codes = read_codes(rasterise(drawn_page(mismatched), 200, tmp_path))
    reading = cover_reading(codes, is_file_barcode)

    assert reading.status is CoverStatus.CONFLICT
    assert set(reading.values) == {VALUE, "F0300000043"}
    assert cover_value(codes, is_file_barcode) is None


def test_only_values_the_caller_owns_count() -> None:
    codes = (
        DecodedCode("ABC123", "Code128"),
        DecodedCode("B0300000015", "QRCode"),  # a box label: ours, but not a file
        DecodedCode(VALUE, "DataMatrix"),
    )

    assert cover_value(codes, is_file_barcode) == VALUE
    assert cover_value(codes, lambda value: value.startswith("B")) == "B0300000015"
    assert not is_file_barcode("f0300000042")


def test_code_too_fine_for_the_fast_pass_is_found_at_full_resolution(tmp_path: Path) -> None:
    # 0.2 mm modules are 2.4 px at 300 dpi but 1.2 px in the half-size first pass.
    def fine_label(canvas: Canvas) -> None:
        code128.Code128(VALUE, barWidth=0.2 * mm, barHeight=15 * mm).drawOn(
            canvas, 30 * mm, 200 * mm
        )

    codes = read_codes(rasterise(drawn_page(fine_label), 300, tmp_path))

    assert cover_value(codes, is_file_barcode) == VALUE

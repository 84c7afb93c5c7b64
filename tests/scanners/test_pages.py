"""Page images from accepted originals: PDF pages via poppler, image frames via Pillow (issue 3)."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from scanners.intake_checks import ScanKind
from scanners.pages import (
    PageImage,
    PageRenderFailed,
    page_count,
    real_text,
    render_page,
    text_layer,
)
from scanners.searchable_pdf import DEFAULT_FONT, register_font

SENTENCE = "Quyết định hưởng chế độ ốm đau của bà Nguyễn Thị Mai, mã số 4803004239"


def text_pdf(path: Path, *lines: str, pagesize: tuple[float, float] = A4) -> Path:
    """One page per line, each line drawn as real text in DejaVu Sans (full diacritics)."""
    font = register_font(DEFAULT_FONT)
    pdf = canvas.Canvas(str(path), pagesize=pagesize)
    for line in lines:
        pdf.setFont(font, 12)
        pdf.drawString(72, pagesize[1] - 72, line)
        pdf.showPage()
    pdf.save()
    return path


def image_only_pdf(path: Path) -> Path:
    """An A4 page that is nothing but an embedded PNG: a scanner's PDF without OCR."""
    scan = Image.new("L", (200, 280), 255)
    ImageDraw.Draw(scan).rectangle((20, 20, 180, 40), fill=0)
    buf = io.BytesIO()
    scan.save(buf, format="PNG")
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 0, 0, *A4)
    pdf.showPage()
    pdf.save()
    return path


def rotated_pdf(path: Path) -> Path:
    """A portrait page with a black block at its top-left corner, shown turned by /Rotate 90."""
    source = io.BytesIO()
    pdf = canvas.Canvas(source, pagesize=A4)
    pdf.rect(0, A4[1] - 100, 100, 100, fill=1)
    pdf.showPage()
    pdf.save()
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.pages[0].rotate(90)
    with path.open("wb") as out:
        writer.write(out)
    return path


def save_image(path: Path, image: Image.Image, **params: Any) -> Path:
    image.save(path, **params)
    return path


def decoded(page: PageImage) -> Image.Image:
    image = Image.open(io.BytesIO(page.png))
    image.load()
    return image


def test_pdf_page_renders_as_greyscale_png_at_the_asked_dpi(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "text.pdf", SENTENCE)
    page = render_page(path, ScanKind.PDF, 0, dpi=100)
    image = decoded(page)
    assert (page.index, page.dpi) == (0, 100)
    assert (
        (page.width, page.height) == image.size == (827, 1170)
    )  # A4 at 100 dpi; pdftoppm rounds up
    assert image.mode == "L"
    assert [round(v) for v in image.info["dpi"]] == [100, 100]
    assert image.getextrema() == (0, 255)  # black text on white


def test_pdf_page_with_real_text_keeps_it_in_nfc(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", SENTENCE)
    path = text_pdf(tmp_path / "text.pdf", decomposed)
    page = render_page(path, ScanKind.PDF, 0, dpi=50)
    assert page.text_layer is not None
    assert unicodedata.is_normalized("NFC", page.text_layer)
    assert "Nguyễn Thị Mai" in page.text_layer
    assert text_layer(path, 0) == page.text_layer


def test_page_number_or_image_only_page_is_not_a_text_layer(tmp_path: Path) -> None:
    numbered = text_pdf(tmp_path / "numbered.pdf", "1", "Trang 12 / 2024 - 03")
    scanned = image_only_pdf(tmp_path / "scanned.pdf")
    assert text_layer(numbered, 0) is None
    assert text_layer(numbered, 1) is None
    assert text_layer(scanned, 0) is None
    assert render_page(scanned, ScanKind.PDF, 0, dpi=30).text_layer is None


def test_text_layer_rule_counts_letters_and_refuses_unmapped_glyphs() -> None:
    assert real_text("   \n 4803004239  0912345678 ") is None
    assert real_text("Họ và tên: Nguyễn Thị Mai Lan") == "Họ và tên: Nguyễn Thị Mai Lan"
    assert real_text("\ue000\ue001\ue002 " * 10 + "Nguyễn Thị Mai Lan Anh") is None


def test_landscape_page_renders_landscape(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "wide.pdf", SENTENCE, pagesize=landscape(A4))
    page = render_page(path, ScanKind.PDF, 0, dpi=50)
    assert (page.width, page.height) == (585, 414)


def test_rotated_page_renders_upright_as_a_viewer_shows_it(tmp_path: Path) -> None:
    page = render_page(rotated_pdf(tmp_path / "rotated.pdf"), ScanKind.PDF, 0, dpi=50)
    image = decoded(page)
    assert (page.width, page.height) == (585, 414)
    # /Rotate 90 turns the page clockwise: its top-left corner is now at the top right.
    assert image.getpixel((page.width - 10, 10)) == 0
    assert image.getpixel((10, 10)) == 255


def test_pdf_page_count_and_missing_page(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "two.pdf", SENTENCE, SENTENCE)
    assert page_count(path, ScanKind.PDF) == 2
    with pytest.raises(PageRenderFailed) as info:
        render_page(path, ScanKind.PDF, 2, dpi=50)
    assert info.value.code == "scan.page_render_failed"


def test_render_timeout_raises_render_failed(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "text.pdf", SENTENCE)
    with pytest.raises(PageRenderFailed) as info:
        render_page(path, ScanKind.PDF, 0, timeout_seconds=0.000_1)
    assert info.value.code == "scan.page_render_failed"
    assert info.value.params == {"page": 1, "reason": "timeout", "seconds": 0.000_1}


def test_unreadable_pdf_raises_render_failed(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"\x00" * 64)
    with pytest.raises(PageRenderFailed) as info:
        render_page(path, ScanKind.PDF, 0, dpi=50)
    assert info.value.code == "scan.page_render_failed"


def test_multi_page_tiff_frames_keep_their_own_dpi(tmp_path: Path) -> None:
    first = Image.new("L", (120, 160), 200)
    fax = Image.new("1", (130, 170), 1)  # 1-bit, as a fax or a bitonal scanner writes it
    ImageDraw.Draw(fax).rectangle((10, 10, 60, 30), fill=0)
    third = Image.new("RGB", (100, 140), (250, 0, 0))
    path = tmp_path / "batch.tif"
    first.save(path, save_all=True, append_images=[fax, third], dpi=(150, 150))
    assert page_count(path, ScanKind.TIFF) == 3
    page = render_page(path, ScanKind.TIFF, 1, dpi=300)
    image = decoded(page)
    assert (page.index, page.dpi, page.width, page.height) == (1, 150, 130, 170)
    assert image.mode == "L"
    assert [round(v) for v in image.info["dpi"]] == [150, 150]
    assert image.getpixel((20, 20)) == 0
    assert image.getpixel((100, 100)) == 255
    assert page.text_layer is None


def test_group4_fax_tiff_with_fax_resolution_gets_square_pixels(tmp_path: Path) -> None:
    fax = Image.new("1", (204, 98), 1)
    path = save_image(tmp_path / "fax.tif", fax, compression="group4", dpi=(204, 98))
    page = render_page(path, ScanKind.TIFF, 0)
    assert (page.dpi, page.width, page.height) == (204, 204, 204)


@pytest.mark.parametrize(
    ("name", "params", "dpi"),
    [
        ("with_dpi.png", {"dpi": (300, 300)}, 300),
        ("no_dpi.png", {}, 120),
        ("with_dpi.jpg", {"dpi": (150, 150)}, 150),
        ("no_dpi.jpg", {}, 120),
        ("absurd_dpi.png", {"dpi": (5000, 5000)}, 120),
    ],
)
def test_single_image_keeps_a_plausible_dpi_or_assumes_the_default(
    tmp_path: Path, name: str, params: dict[str, object], dpi: int
) -> None:
    path = save_image(tmp_path / name, Image.new("RGB", (90, 60), (30, 60, 90)), **params)
    kind = ScanKind.PNG if name.endswith(".png") else ScanKind.JPEG
    assert page_count(path, kind) == 1
    page = render_page(path, kind, 0, dpi=120)
    assert (page.dpi, page.width, page.height) == (dpi, 90, 60)
    assert decoded(page).mode == "L"
    with pytest.raises(PageRenderFailed):
        render_page(path, kind, 1)


def test_transparent_png_is_flattened_on_white(tmp_path: Path) -> None:
    path = save_image(tmp_path / "clear.png", Image.new("RGBA", (20, 20), (0, 0, 0, 0)))
    assert decoded(render_page(path, ScanKind.PNG, 0)).getpixel((5, 5)) == 255


def test_a_pdf_with_only_an_owner_password_renders_with_its_text(tmp_path: Path) -> None:
    """Printers "encrypt" with an owner password and an empty user password: still readable."""
    plain = text_pdf(tmp_path / "plain.pdf", "Hồ sơ hưởng chế độ thai sản của Nguyễn Thị Mai Lan")
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="", owner_password="may-in", algorithm="AES-128")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as out:
        writer.write(out)
    page = render_page(locked, ScanKind.PDF, 0, dpi=72)
    assert page.text_layer is not None and "Nguyễn Thị Mai Lan" in page.text_layer
    assert page_count(locked, ScanKind.PDF) == 1

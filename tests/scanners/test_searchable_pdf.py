"""The searchable PDF of a file's scans, read back with poppler and pypdf (issue 3, item 8)."""

from __future__ import annotations

import html
import io
import re
import subprocess
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw
from pypdf import PdfReader, PdfWriter
from pypdf.generic import RectangleObject
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from scanners.intake_checks import ScanKind
from scanners.pages import render_page
from scanners.searchable_pdf import (
    DEFAULT_FONT,
    PRODUCER,
    SourcePage,
    register_font,
    write_searchable_pdf,
)
from scanners.words import Word

# Boxes in pixels of a 100-dpi image: "Nguyễn Thị Mai Lan" on one line, the insurance number below.
WORDS = (
    Word(20, 20, 90, 24, "Nguyễn", 91.0, 0),
    Word(120, 20, 40, 24, "Thị", 88.0, 0),
    Word(170, 20, 45, 24, "Mai", 95.0, 0),
    Word(225, 20, 45, 24, "Lan", 93.0, 0),
    Word(20, 70, 160, 22, "4803004239", 97.0, 1),
)
WordBox = tuple[str, float, float, float, float]


def tool(*args: str | Path) -> str:
    return subprocess.run(
        [str(arg) for arg in args], capture_output=True, check=True, text=True
    ).stdout


def bbox_pages(pdf: Path) -> list[list[WordBox]]:
    """Each page's words as pdftotext -bbox reports them (points, upright, origin top left)."""
    out = tool("pdftotext", "-bbox", pdf, "-")
    word = re.compile(r'<word xMin="(.*?)" yMin="(.*?)" xMax="(.*?)" yMax="(.*?)">(.*?)</word>')
    return [
        [(html.unescape(t), float(a), float(b), float(c), float(d)) for a, b, c, d, t in rows]
        for rows in (word.findall(page) for page in out.split("</page>")[:-1])
    ]


def expected_boxes(words: Sequence[Word], scale_x: float, scale_y: float) -> list[WordBox]:
    return [
        (w.text, w.left * scale_x, w.top * scale_y, (w.left + w.width) * scale_x,
         (w.top + w.height) * scale_y)
        for w in words
    ]  # fmt: skip


def assert_boxes_close(found: list[WordBox], expected: list[WordBox], tolerance: float) -> None:
    assert [box[0] for box in found] == [box[0] for box in expected]
    for got, want in zip(found, expected, strict=True):
        assert got[1:] == pytest.approx(want[1:], abs=tolerance), got[0]


def scan(size: tuple[int, int], mode: str = "L") -> Image.Image:
    """A blank page with one dark bar, in the given mode."""
    image = Image.new("L", size, 255)
    ImageDraw.Draw(image).rectangle((10, 10, size[0] // 2, 30), fill=0)
    return image.convert(mode)


def image_page(path: Path, kind: ScanKind, index: int, size: tuple[int, int], dpi: int,
               words: Sequence[Word] = WORDS) -> SourcePage:  # fmt: skip
    return SourcePage(path, kind, index, dpi, size[0], size[1], words, has_text_layer=False)


def write(
    tmp_path: Path, pages: Sequence[SourcePage], title: str = "Hồ sơ 01.2024", author: str = ""
) -> Path:
    out = tmp_path / "searchable.pdf"
    with out.open("wb") as f:
        write_searchable_pdf(pages, f, title=title, author=author)
    return out


def image_only_pdf(path: Path) -> Path:
    """Three pages that are nothing but a PNG each: portrait, /Rotate 90, landscape with a
    media box that does not start at the origin."""
    png = io.BytesIO()
    scan((200, 280)).save(png, format="PNG")
    source = io.BytesIO()
    pdf = canvas.Canvas(source, pagesize=A4)
    for size in (A4, A4, landscape(A4)):
        pdf.setPageSize(size)
        pdf.drawImage(ImageReader(io.BytesIO(png.getvalue())), 0, 0, *size)
        pdf.showPage()
    pdf.save()
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.pages[1].rotate(90)
    width, height = landscape(A4)
    writer.pages[2].mediabox = RectangleObject((-40, 25, width - 40, height + 25))
    with path.open("wb") as out:
        writer.write(out)
    return path


def test_image_originals_keep_their_pixels_and_size(tmp_path: Path) -> None:
    png = tmp_path / "a.png"
    scan((300, 200)).save(png, dpi=(100, 100))
    jpeg = tmp_path / "b.jpg"
    scan((300, 150), "RGB").save(jpeg, dpi=(150, 150), quality=80)
    tiff = tmp_path / "c.tif"
    scan((200, 100)).save(tiff, save_all=True, append_images=[scan((240, 120), "1")])
    pages = [
        image_page(png, ScanKind.PNG, 0, (300, 200), 100),
        image_page(jpeg, ScanKind.JPEG, 0, (300, 150), 150),
        image_page(tiff, ScanKind.TIFF, 0, (200, 100), 100),
        image_page(tiff, ScanKind.TIFF, 1, (240, 120), 100),
    ]
    out = write(tmp_path, pages)

    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in PdfReader(out).pages]
    for size, expected in zip(
        sizes, [(216, 144), (144, 72), (144, 72), (172.8, 86.4)], strict=True
    ):
        assert size == pytest.approx(expected)
    rows = [line.split() for line in tool("pdfimages", "-list", out).splitlines()[2:]]
    # page, num, type, width, height, color, comp, bpc, enc
    assert [(r[0], r[3], r[4], r[5], r[7], r[8]) for r in rows] == [
        ("1", "300", "200", "gray", "8", "image"),
        ("2", "300", "150", "rgb", "8", "jpeg"),
        ("3", "200", "100", "gray", "8", "image"),
        ("4", "240", "120", "gray", "1", "image"),
    ]
    tool("pdfimages", "-all", out, tmp_path / "x")
    assert (tmp_path / "x-001.jpg").read_bytes() == jpeg.read_bytes()  # DCT bytes untouched
    with Image.open(tmp_path / "x-003.png") as fax, Image.open(tiff) as original:
        original.seek(1)
        assert ImageChops.difference(fax.convert("L"), original.convert("L")).getbbox() is None


def test_words_come_out_in_nfc_where_their_boxes_are(tmp_path: Path) -> None:
    decomposed = [
        Word(w.left, w.top, w.width, w.height, unicodedata.normalize("NFD", w.text), 90.0)
        for w in WORDS
    ]
    png = tmp_path / "a.png"
    scan((300, 120)).save(png, dpi=(100, 100))
    out = write(tmp_path, [image_page(png, ScanKind.PNG, 0, (300, 120), 100, decomposed)])

    text = tool("pdftotext", out, "-")
    assert unicodedata.is_normalized("NFC", text)
    assert "Nguyễn Thị Mai Lan" in text
    assert "4803004239" in text
    assert_boxes_close(bbox_pages(out)[0], expected_boxes(WORDS, 0.72, 0.72), tolerance=1.0)


def test_image_only_pdf_pages_get_text_over_them_upright(tmp_path: Path) -> None:
    original = image_only_pdf(tmp_path / "scanned.pdf")
    pages, rendered = [], []
    for index in range(3):
        page = render_page(original, ScanKind.PDF, index, dpi=50)
        assert page.text_layer is None
        rendered.append(page)
        pages.append(SourcePage(original, ScanKind.PDF, index, 50, page.width, page.height,
                                WORDS, has_text_layer=False))  # fmt: skip
    out = write(tmp_path, pages)

    reader = PdfReader(out)
    assert [p.rotation for p in reader.pages] == [0, 90, 0]
    assert reader.pages[2].mediabox.lower_left == (-40, 25)
    assert len(tool("pdfimages", "-list", out).splitlines()) == 2 + 3  # the scan, on each page
    upright = [(595.2756, 841.8898), (841.8898, 595.2756), (841.8898, 595.2756)]
    for found, (width, height), page in zip(bbox_pages(out), upright, rendered, strict=True):
        scale = (width / page.width, height / page.height)
        assert_boxes_close(found, expected_boxes(WORDS, *scale), tolerance=1.5)


def test_text_layer_pdf_page_is_copied_unchanged(tmp_path: Path) -> None:
    source = tmp_path / "text.pdf"
    pdf = canvas.Canvas(str(source), pagesize=A4)
    pdf.setFont(register_font(DEFAULT_FONT), 12)
    pdf.drawString(72, 770, "Quyết định hưởng chế độ thai sản số 123/QĐ-BHXH")
    pdf.showPage()
    pdf.save()
    page = SourcePage(source, ScanKind.PDF, 0, 50, 414, 585, WORDS, has_text_layer=True)
    out = write(tmp_path, [page])

    copied = PdfReader(out).pages[0].get_contents()
    original = PdfReader(source).pages[0].get_contents()
    assert copied is not None and original is not None
    assert copied.get_data() == original.get_data()
    text = tool("pdftotext", out, "-")
    assert "Quyết định hưởng chế độ thai sản" in text
    assert "Nguyễn" not in text  # OCR words of a page with its own text are not added


def test_same_page_listed_twice_carries_its_words_once_each_time(tmp_path: Path) -> None:
    original = image_only_pdf(tmp_path / "scanned.pdf")
    page = SourcePage(original, ScanKind.PDF, 0, 50, 414, 585, WORDS[:1], has_text_layer=False)
    out = write(tmp_path, [page, page])
    assert [[box[0] for box in words] for words in bbox_pages(out)] == [["Nguyễn"], ["Nguyễn"]]


def test_image_listed_twice_is_embedded_once(tmp_path: Path) -> None:
    png = tmp_path / "a.png"
    scan((300, 120)).save(png)
    page = image_page(png, ScanKind.PNG, 0, (300, 120), 100, WORDS[:1])
    out = write(tmp_path, [page, page])
    rows = [line.split() for line in tool("pdfimages", "-list", out).splitlines()[2:]]
    assert [(row[0], row[10]) for row in rows] == [("1", rows[0][10]), ("2", rows[0][10])]
    assert [[box[0] for box in words] for words in bbox_pages(out)] == [["Nguyễn"], ["Nguyễn"]]


def test_metadata_names_title_author_and_producer(tmp_path: Path) -> None:
    png = tmp_path / "a.png"
    scan((50, 50)).save(png)
    out = write(tmp_path, [image_page(png, ScanKind.PNG, 0, (50, 50), 100, ())],
                title="Hồ sơ hưởng BHXH một lần", author="BHXH tỉnh Quảng Nam")  # fmt: skip
    meta = PdfReader(out).metadata
    assert meta is not None
    assert (meta.title, meta.author, meta.producer) == (
        "Hồ sơ hưởng BHXH một lần",
        "BHXH tỉnh Quảng Nam",
        PRODUCER,
    )


def test_no_pages_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one page"):
        write_searchable_pdf([], io.BytesIO(), title="x")

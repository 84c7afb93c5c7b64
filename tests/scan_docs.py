"""Scanned documents for tests, made the way a scanner makes them: our own cover sheets printed,
rasterised with poppler and slightly degraded; short Vietnamese text pages rendered in DejaVu;
all put into an image-only PDF (what a sheet-fed scanner or a multifunction printer writes)."""

from __future__ import annotations

import io
import subprocess
import tempfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from archive.printing.cover_sheet import CoverSheet, cover_sheets_pdf

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LINES = (
    "Quyết định hưởng trợ cấp mai táng",
    "Bà Nguyễn Thị Mai Lan, mã số 4803004239",
    "Bảo hiểm xã hội huyện Đức Hòa",
    "Số 4027/BHXH-ST ngày 15/03/2015",
    "Ông Phan Ngọc Hoàng Đình Thục",
    "Trợ cấp một lần khi nghỉ hưu",
)


@lru_cache(maxsize=64)
def cover_png(barcode: str, dpi: int = 200) -> bytes:
    """Our cover sheet for `barcode`, printed and rasterised at `dpi`, lightly degraded."""
    sheet = CoverSheet(
        barcode=barcode,
        file_code=f"HS-{barcode}",
        title="Hồ sơ giải quyết chế độ",
        office_name="BHXH tỉnh Long An",
        location="Kho 1 › Giá 01 › Tầng 1 › Hộp 001",
        series_name="Hồ sơ hưởng chế độ",
        dates="02/03/2015 – 20/04/2015",
        sheet_count=3,
    )
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "cover.pdf"
        pdf.write_bytes(cover_sheets_pdf([sheet]))
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(dpi),
                "-gray",
                "-png",
                "-singlefile",
                str(pdf),
                str(Path(folder) / "c"),
            ],
            check=True,
        )
        image = Image.open(Path(folder) / "c.png").convert("L")
    image = image.rotate(0.7, fillcolor=255, resample=Image.Resampling.BILINEAR)
    return _png(_noisy(image, seed=len(barcode)), dpi)


def text_png(
    lines: Sequence[str], *, dpi: int = 200, seed: int = 0, height_inches: float = 4.0
) -> bytes:
    """A page strip (A4 wide, `height_inches` tall) with these lines in 12 pt DejaVu, scanned-
    looking: small pages keep real OCR fast enough for tests."""
    width, height = round(8.27 * dpi), round(height_inches * dpi)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, round(12 * dpi / 72))
    y = round(0.5 * dpi)
    for line in lines:
        draw.text((round(0.8 * dpi), y), line, font=font, fill=20)
        y += round(0.3 * dpi)
    return _png(_noisy(image.filter(ImageFilter.GaussianBlur(0.4)), seed=seed), dpi)


def _noisy(image: Image.Image, *, seed: int) -> Image.Image:
    rng = np.random.default_rng(seed)
    pixels = np.asarray(image, dtype=np.float32) + rng.normal(0, 6, (image.height, image.width))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def _png(image: Image.Image, dpi: int) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()


def image_pdf(pages: Sequence[bytes]) -> bytes:
    """An image-only PDF, one page per PNG, each page sized by its own resolution (no text)."""
    out = io.BytesIO()
    pdf = Canvas(out)
    for png in pages:
        with Image.open(io.BytesIO(png)) as image:
            dpi = float(image.info.get("dpi", (150, 150))[0])
            width, height = image.width * 72 / dpi, image.height * 72 / dpi
        pdf.setPageSize((width, height))
        pdf.drawImage(ImageReader(io.BytesIO(png)), 0, 0, width, height)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def page_lines(number: int) -> list[str]:
    """Two distinct lines for content page `number` (a word of its own to search for)."""
    return [LINES[number % len(LINES)], f"Trang số {number} của hồ sơ lưu trữ"]

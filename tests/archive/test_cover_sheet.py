"""Cover sheets as printed: Vietnamese text that extracts back exactly, one page per file."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from archive.errors import Invalid
from archive.printing import fonts
from archive.printing.cover_sheet import HEADING, INSTRUCTIONS, CoverSheet, cover_sheets_pdf

SHEET = CoverSheet(
    barcode="F0300000042",
    file_code="BHXH-03/2015/HS-0042",
    title="Hồ sơ giải quyết chế độ hưu trí của người lao động huyện Thanh Trì, năm 2015",
    office_name="Bảo hiểm xã hội huyện Thanh Trì",
    location="Kho 1 › Giá 2 › Tầng 3 › Hộp 15",
    series_name="Hồ sơ hưởng chế độ hưu trí",
    dates="03/01/2015 – 28/12/2015",
    sheet_count=127,
)
LONG_TITLE = (
    "Hồ sơ giải quyết chế độ ốm đau, thai sản, dưỡng sức phục hồi sức khỏe & tai nạn lao động "
    "<đợt 2> của người lao động thuộc các doanh nghiệp ngoài quốc doanh trên địa bàn quận "
    "Hoàng Mai, thành phố Hà Nội, kèm theo quyết định hưởng, bảng thanh toán và biên bản "
    "đối chiếu của Phòng Chế độ bảo hiểm xã hội, năm 2015 - 2016. "
) * 3


def extract(pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "sheets.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *args, str(path), "-"], check=True, capture_output=True
    )
    return done.stdout.decode()


def words(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_every_field_extracts_back_exactly(tmp_path: Path) -> None:
    text = words(extract(cover_sheets_pdf([SHEET]), tmp_path))

    for expected in (
        HEADING,
        SHEET.office_name,
        SHEET.file_code,
        SHEET.title,
        SHEET.series_name,
        SHEET.dates,
        "Số tờ: 127",
        SHEET.location,
        SHEET.barcode,
        INSTRUCTIONS,
    ):
        assert words(expected) in text


def test_long_title_wraps_inside_its_box_and_extracts_back(tmp_path: Path) -> None:
    pdf = cover_sheets_pdf([replace(SHEET, title=LONG_TITLE)])

    assert words(LONG_TITLE) in words(extract(pdf, tmp_path))  # markup characters kept as text
    boxes = extract(pdf, tmp_path, "-bbox")
    found = re.findall(r'xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', boxes)
    page_width = 595.3
    assert all(float(x_max) <= page_width - 56 for x_max, _, _ in found)  # inside the 20 mm margin
    title_bottom = max(float(y) for _, y, word in found if word == "2016.")
    series_top = min(float(y) for _, y, word in found if word == "Loại")
    assert title_bottom < series_top


def test_title_too_long_for_any_size_is_cut_not_spilled(tmp_path: Path) -> None:
    pdf = cover_sheets_pdf([replace(SHEET, title=LONG_TITLE * 8)])
    text = words(extract(pdf, tmp_path))

    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert text.index("Hồ sơ giải quyết") < text.index("Loại hồ sơ:") < text.index("Vị trí")


def test_several_sheets_print_one_page_each_in_order(tmp_path: Path) -> None:
    sheets = [replace(SHEET, barcode=f"F03000000{n}", file_code=f"HS-{n}") for n in (41, 42, 43)]
    reader = PdfReader(io.BytesIO(cover_sheets_pdf(sheets)))

    assert len(reader.pages) == 3
    for page, sheet in zip(reader.pages, sheets, strict=True):
        assert page.mediabox.width == pytest.approx(595.3, abs=0.5)
        text = page.extract_text()
        assert sheet.file_code in text
        assert sheet.barcode in text


def test_fonts_are_embedded_dejavu(tmp_path: Path) -> None:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(cover_sheets_pdf([SHEET]))
    listing = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)

    rows = listing.stdout.splitlines()[2:]
    assert rows
    assert all("DejaVu" in row and " yes " in row for row in rows)  # name and "emb yes"


def test_same_sheets_print_the_same_bytes() -> None:
    assert cover_sheets_pdf([SHEET]) == cover_sheets_pdf([SHEET])


def test_no_sheets_is_refused() -> None:
    with pytest.raises(Invalid) as refused:
        cover_sheets_pdf([])
    assert refused.value.code == "printing.no_cover_sheets"


def test_missing_font_is_a_clear_refusal(tmp_path: Path) -> None:
    with pytest.raises(fonts.FontMissing) as refused:
        fonts.find_font_file(fonts.SANS, dirs=(tmp_path,))
    assert refused.value.params == {"font": "DejaVuSans", "searched": str(tmp_path)}


def test_registering_fonts_twice_is_harmless() -> None:
    fonts.register_fonts((fonts.SANS,))
    fonts.register_fonts((fonts.SANS,))

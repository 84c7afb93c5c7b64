"""Staff cards: ten to an A4 page, the name and department read back, the barcode decodes."""

from __future__ import annotations

import io
import subprocess
import unicodedata
from pathlib import Path

import pytest
import zxingcpp
from pypdf import PdfReader

from archive.errors import Invalid
from archive.printing.staff_cards import StaffCard, staff_cards_pdf
from scanners.intake_checks import ScanKind
from scanners.pages import render_page

CARD = StaffCard(
    office_name="Bảo hiểm xã hội tỉnh Long An",
    full_name="Nguyễn Thị Mai Lan",
    department="Phòng Chế độ bảo hiểm xã hội",
    username="lan",
    card_code="U0000000012",
)


def test_cards_read_back_and_their_barcodes_decode(tmp_path: Path) -> None:
    cards = [CARD] + [
        StaffCard(CARD.office_name, f"Trần Văn {n}", "Phòng Thu", f"u{n}", f"U00{n:08d}")
        for n in range(1, 11)
    ]
    pdf = staff_cards_pdf(cards)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2  # 11 cards, ten to a page
    path = tmp_path / "the.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True
    ).stdout.decode()
    flat = " ".join(unicodedata.normalize("NFC", text).split())
    for expected in ("THẺ MƯỢN HỒ SƠ LƯU TRỮ", CARD.full_name, CARD.department, "U0000000012"):
        assert expected in flat
    image = render_page(path, ScanKind.PDF, 0, dpi=200).image
    found = {r.text for r in zxingcpp.read_barcodes(image)}
    assert {"U0000000012", "U0000000001"} <= found


def test_no_cards_or_an_unprintable_code_is_refused() -> None:
    with pytest.raises(Invalid):
        staff_cards_pdf([])
    with pytest.raises(Invalid):
        staff_cards_pdf([StaffCard("x", "y", "z", "u", "Ư-mã")])

"""The shared official layout and Vietnamese wording, read back from real PDFs."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from archive.errors import Invalid
from archive.printing import official as doc
from archive.printing.official import Column, Issuer, Signature

ISSUER = Issuer("Bảo hiểm xã hội Việt Nam", "Bảo hiểm xã hội tỉnh Long An", "Long An")
LONG_TITLE = (
    "Hồ sơ giải quyết chế độ ốm đau, thai sản, dưỡng sức phục hồi sức khỏe & tai nạn lao động "
    "<đợt 2> của người lao động thuộc các doanh nghiệp ngoài quốc doanh trên địa bàn huyện "
    "Cần Giuộc, tỉnh Long An, kèm theo quyết định hưởng và bảng thanh toán, năm 2015 - 2016."
)


def extract(pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *args, str(path), "-"], check=True, capture_output=True
    )
    return done.stdout.decode()


def words(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (0, "Không đồng"),
        (5, "Năm đồng"),
        (10, "Mười đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (101, "Một trăm linh một đồng"),
        (105, "Một trăm linh năm đồng"),
        (1_000, "Một nghìn đồng"),
        (1_001, "Một nghìn không trăm linh một đồng"),
        (15_000, "Mười lăm nghìn đồng"),
        (125_000, "Một trăm hai mươi lăm nghìn đồng"),
        (1_000_000, "Một triệu đồng"),
        (2_005_000, "Hai triệu không trăm linh năm nghìn đồng"),
        (1_250_000_000, "Một tỷ hai trăm năm mươi triệu đồng"),
        (11, "Mười một đồng"),
        (25, "Hai mươi lăm đồng"),
        (110, "Một trăm mười đồng"),
        (1_010_000, "Một triệu không trăm mười nghìn đồng"),
        (1_000_000_000_005, "Một nghìn tỷ không trăm linh năm đồng"),
    ],
)
def test_amount_in_words_reads_vietnamese(amount: int, expected: str) -> None:
    assert doc.amount_in_words(amount) == expected


def test_negative_amount_is_refused() -> None:
    with pytest.raises(Invalid) as refused:
        doc.amount_in_words(-1)
    assert refused.value.code == "printing.negative_number"


def test_money_dates_and_long_dates_are_written_the_vietnamese_way() -> None:
    assert doc.format_dong(125_000) == "125.000 đ"
    assert doc.format_dong(1_250_000_000) == "1.250.000.000 đ"
    assert doc.format_dong(0) == "0 đ"
    assert doc.format_date(date(2026, 3, 5)) == "05/03/2026"
    assert doc.long_date(date(2026, 3, 5)) == "ngày 05 tháng 3 năm 2026"
    assert doc.long_date(date(2026, 2, 15)) == "ngày 15 tháng 02 năm 2026"  # Decree 30
    assert doc.place_date("Long An", date(2026, 12, 31)) == "Long An, ngày 31 tháng 12 năm 2026"


def official_paper(orientation: doc.Orientation = "portrait") -> bytes:
    rows = [(str(n), f"HS-{n:03d}", LONG_TITLE if n == 2 else f"Hồ sơ số {n}") for n in (1, 2, 3)]
    return doc.build_pdf(
        [
            doc.heading(ISSUER, number="15/PM-LT", dated=date(2026, 3, 5)),
            doc.barcode("PM-2026-000123"),
            *doc.title("PHIẾU THỬ NGHIỆM", "(Bản dùng thử)"),
            doc.paragraph("Đoạn văn bản thường, có dấu: Nguyễn Thị Mai Lan."),
            *doc.key_values([("Người mượn", "Phan Ngọc Hoàng Đình Thục")]),
            doc.table(
                [Column("STT", 0.1, "center"), Column("Mã hồ sơ", 0.2), Column("Tiêu đề", 0.7)],
                rows,
            ),
            doc.signatures(
                [Signature("NGƯỜI MƯỢN", "Nguyễn Văn An"), Signature("TL. GIÁM ĐỐC\nTRƯỞNG PHÒNG")]
            ),
        ],
        title="Phiếu thử nghiệm",
        orientation=orientation,
    )


def test_heading_title_and_blocks_extract_back_exactly(tmp_path: Path) -> None:
    text = words(extract(official_paper(), tmp_path))

    for expected in (
        "BẢO HIỂM XÃ HỘI VIỆT NAM",
        "BẢO HIỂM XÃ HỘI TỈNH LONG AN",
        "Số: 15/PM-LT",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Long An, ngày 05 tháng 3 năm 2026",
        "PM-2026-000123",
        "PHIẾU THỬ NGHIỆM",
        "(Bản dùng thử)",
        "Đoạn văn bản thường, có dấu: Nguyễn Thị Mai Lan.",
        "Người mượn: Phan Ngọc Hoàng Đình Thục",
        "NGƯỜI MƯỢN",
        "(Ký, ghi rõ họ tên)",
        "Nguyễn Văn An",
        "TL. GIÁM ĐỐC TRƯỞNG PHÒNG",
        "Trang 1/1",
    ):
        assert expected in text


def test_long_table_cell_wraps_inside_its_column_without_losing_text(tmp_path: Path) -> None:
    pdf = official_paper()

    assert words(LONG_TITLE) in words(extract(pdf, tmp_path))  # markup characters kept as text
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert float(page.mediabox.width) == pytest.approx(595.3, abs=1)
    assert float(page.mediabox.height) == pytest.approx(841.9, abs=1)
    right_margin = 595.3 - 15 * 72 / 25.4
    x_max = re.findall(r'xMax="([\d.]+)"', extract(pdf, tmp_path, "-bbox"))
    assert x_max
    assert all(float(x) <= right_margin + 0.5 for x in x_max)


def test_landscape_pages_are_a4_turned(tmp_path: Path) -> None:
    page = PdfReader(io.BytesIO(official_paper("landscape"))).pages[0]

    assert float(page.mediabox.width) == pytest.approx(841.9, abs=1)
    assert float(page.mediabox.height) == pytest.approx(595.3, abs=1)


def test_a_table_over_several_pages_repeats_its_header_and_numbers_the_pages(
    tmp_path: Path,
) -> None:
    rows = [(str(n), f"Dòng thứ {n:03d}") for n in range(1, 151)]
    pdf = doc.build_pdf(
        [doc.table([Column("Số", 0.2), Column("Nội dung cột", 0.8)], rows)], title="Bảng"
    )
    pages = extract(pdf, tmp_path).split("\f")[:-1]

    assert len(pages) > 2
    for number, page in enumerate(pages, start=1):
        assert "Nội dung cột" in page
        assert f"Trang {number}/{len(pages)}" in page
    found = [line for page in pages for line in page.split() if line.isdigit() and len(line) == 3]
    assert sorted(set(found)) == [f"{n:03d}" for n in range(1, 151)]


def test_a_cell_longer_than_a_page_is_kept_whole(tmp_path: Path) -> None:
    essay = " ".join(f"từ{n:04d}" for n in range(1, 1201))
    pdf = doc.build_pdf(
        [doc.table([Column("STT", 0.1), Column("Nội dung", 0.9)], [("1", essay)])],
        title="Bảng",
        orientation="landscape",
    )

    assert words(extract(pdf, tmp_path)).count("từ") == 1200


def test_fonts_are_embedded_dejavu(tmp_path: Path) -> None:
    path = tmp_path / "paper.pdf"
    path.write_bytes(official_paper())
    listing = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)

    rows = listing.stdout.splitlines()[2:]
    assert rows
    assert all("DejaVu" in row and " yes " in row for row in rows)


def test_same_paper_prints_the_same_bytes() -> None:
    assert official_paper() == official_paper()


def test_a_barcode_value_code128_cannot_carry_is_refused() -> None:
    with pytest.raises(Invalid) as refused:
        doc.barcode("PM-Đ-1")
    assert refused.value.code == "printing.barcode_value"

"""Reading CSV and XLSX catalogues: encodings, delimiters, the header row, Excel's cell types."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest

from archive.catalogue import load
from archive.catalogue.reader import decode
from archive.errors import Invalid
from tests.archive.catalogue.samples import (
    ENGLISH,
    TITLE_BLOCK,
    rows,
    write_csv,
    write_xlsx,
)

VOWEL_MARKS = {"\u0302", "\u0306", "\u031b"}


def to_cp1258(text: str) -> bytes:
    """Text as Windows-1258 writes Vietnamese: letters with vowel marks, tones combining."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize(
            "NFC", parts[0] + "".join(m for m in parts[1:] if m in VOWEL_MARKS)
        )
        out += (base + "".join(m for m in parts[1:] if m not in VOWEL_MARKS)).encode("cp1258")
    return out


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "utf-16"])
def test_csv_in_any_usual_encoding_and_delimiter(
    tmp_path: Path, encoding: str, delimiter: str
) -> None:
    path = write_csv(tmp_path / "c.csv", rows(3), encoding=encoding, delimiter=delimiter)
    catalogue = load(path, "c.csv")
    assert catalogue.errors == []
    assert [r.file_code for r in catalogue.rows] == [
        "HS-2019-00001",
        "HS-2019-00002",
        "HS-2019-00003",
    ]
    assert catalogue.rows[0].full_name == "Phan Ngọc Hoàng Đình Thục"


def test_windows_1258_csv_is_read_and_normalised(tmp_path: Path) -> None:
    plain = tmp_path / "plain.csv"
    write_csv(plain, rows(2), encoding="utf-8")
    text = plain.read_text(encoding="utf-8")
    legacy = tmp_path / "legacy.csv"
    legacy.write_bytes(to_cp1258(text))
    assert decode(legacy.read_bytes()) != text  # tones come as combining marks …
    catalogue = load(legacy, "legacy.csv")
    assert catalogue.rows[1].full_name == "Trần Văn Đức"  # … and are normalised to NFC
    assert catalogue.rows[1].title == "Hồ sơ hưởng BHXH một lần của Trần Văn Đức"


def test_header_on_row_three_under_a_title_block(tmp_path: Path) -> None:
    for path in (
        write_csv(tmp_path / "c.csv", rows(2), preamble=TITLE_BLOCK),
        write_xlsx(tmp_path / "c.xlsx", rows(2), preamble=TITLE_BLOCK),
    ):
        catalogue = load(path, path.name)
        assert catalogue.header.row == 3
        assert [r.row for r in catalogue.rows] == [4, 5]  # Excel's own row numbers


def test_english_headers_are_accepted(tmp_path: Path) -> None:
    catalogue = load(write_csv(tmp_path / "en.csv", rows(1), header=ENGLISH), "en.csv")
    row = catalogue.rows[0]
    assert (row.file_code, row.ssn, row.start_date, row.end_date) == (
        "HS-2019-00001",
        "0111000001",
        date(2019, 3, 1),
        date(2019, 12, 31),
    )


def test_xlsx_with_a_wrong_header_row_is_refused_naming_the_missing_columns(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "bad.xlsx", rows(2), header=["STT", "Mã", "Nội dung", "Ghi chú"])
    with pytest.raises(Invalid) as err:
        load(path, "bad.xlsx")
    assert err.value.code == "import.header"
    assert err.value.params["missing"] == "Số ký hiệu hồ sơ, Tiêu đề hồ sơ"


def test_header_beyond_the_first_fifteen_rows_is_not_found(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "late.csv", rows(1), preamble=[["…"]] * 15)
    with pytest.raises(Invalid) as err:
        load(path, "late.csv")
    assert err.value.code == "import.header"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("scan.pdf", b"%PDF-1.4", "import.format"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "import.format"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "import.unreadable"),
    ],
)
def test_unsupported_or_broken_files_are_refused(
    tmp_path: Path, name: str, content: bytes, code: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(Invalid) as err:
        load(path, name)
    assert err.value.code == code


def test_a_header_without_data_is_empty(tmp_path: Path) -> None:
    with pytest.raises(Invalid) as err:
        load(write_csv(tmp_path / "c.csv", []), "c.csv")
    assert err.value.code == "import.empty"


def test_xlsx_numbers_and_dates_as_excel_stores_them(tmp_path: Path) -> None:
    data = [
        [
            1,
            "HS-1",
            "Hồ sơ 1",
            datetime(2015, 2, 1),
            date(2016, 3, 31),
            12.0,
            "",
            "",
            1,
            111063484,
            "Nguyễn Thị Mai Lan",
            datetime(1965, 6, 15),
            "YN0405Z",
        ],
        [
            2,
            "HS-2",
            "Hồ sơ 2",
            "01/02/2015",
            "2016",
            7,
            "",
            "",
            1.0,
            4803004239.0,
            "Trần Văn Đức",
            "15/06/65",
            "TZ0394Z",
        ],
        [3, "HS-3", "Hồ sơ 3", 2015, 2016, 3, "", "", 1, "111063484", "Lê Thị Hương", "", ""],
    ]
    catalogue = load(write_xlsx(tmp_path / "c.xlsx", data), "c.xlsx")
    first, second, third = catalogue.rows
    assert first.ssn == "0111063484"  # a numeric cell lost its leading zero: given back
    assert (first.start_date, first.end_date, first.sheet_count) == (
        date(2015, 2, 1),
        date(2016, 3, 31),
        12,
    )
    assert first.birth_date == date(1965, 6, 15)
    assert second.ssn == "4803004239" and second.box_number == 1
    assert (second.end_date, second.birth_date) == (date(2016, 12, 31), date(1965, 6, 15))
    assert (third.start_date, third.end_date) == (date(2015, 1, 1), date(2016, 12, 31))
    assert third.ssn is None  # nine digits typed as text: refused, not guessed
    [error] = catalogue.errors
    assert (error.row, error.column, error.value, error.code) == (
        4,
        "Mã số BHXH",
        "111063484",
        "identifier.ssn",
    )

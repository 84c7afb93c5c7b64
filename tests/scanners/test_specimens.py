"""Synthetic scanned pages are deterministic A4 greyscale PNGs with their dpi and NFC truth."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

from PIL import Image

from scanners.specimens import (
    character_error_rate,
    edit_distance,
    fold,
    make_blank_page,
    make_page,
    write_specimens,
)


def test_page_is_deterministic_from_its_seed() -> None:
    first, again, other = make_page(5, dpi=200), make_page(5, dpi=200), make_page(6, dpi=200)
    assert first == again
    assert other.text != first.text


def test_page_is_a4_greyscale_and_carries_its_dpi() -> None:
    specimen = make_page(1, dpi=200, kind="table")
    image = Image.open(io.BytesIO(specimen.png))
    assert image.mode == "L"
    assert image.size == (round(8.27 * 200), round(11.69 * 200))
    assert [round(value) for value in image.info["dpi"]] == [200, 200]
    assert specimen.dpi == 200


def test_truth_is_nfc_vietnamese_with_numbers_dates_and_document_numbers() -> None:
    text = make_page(2, dpi=200, degrade=False).text
    assert unicodedata.is_normalized("NFC", text)
    assert re.search(r"\b\d{10}\b", text)
    assert re.search(r"\b\d{2}/\d{2}/\d{4}\b", text)
    assert re.search(r"\b\d+/BHXH-ST\b", text)
    assert "Bảo hiểm xã hội" in text or "BẢO HIỂM XÃ HỘI" in text
    assert any(ch in text for ch in "ễặẫỗữ")  # stacked diacritics, not just one mark


def test_table_page_truth_has_one_line_per_row() -> None:
    lines = make_page(3, dpi=200, kind="table").text.splitlines()
    assert lines[1] == "STT Họ và tên Mã số BHXH Ngày sinh Số tiền (đồng)"
    assert all(re.fullmatch(r"\d+ .+ \d{10} \d{2}/\d{2}/\d{4} [\d.]+", row) for row in lines[2:])


def test_degraded_page_differs_from_clean_render_but_blank_page_has_no_text() -> None:
    assert make_page(4, dpi=200).png != make_page(4, dpi=200, degrade=False).png
    blank = make_blank_page(4, dpi=200)
    assert blank.text == ""
    assert Image.open(io.BytesIO(blank.png)).size == (1654, 2338)


def test_write_specimens_writes_image_and_truth_per_seed(tmp_path: Path) -> None:
    written = write_specimens(tmp_path, range(10, 12), dpi=200)
    assert [path.name for path, _ in written] == ["000010-200.png", "000011-200.png"]
    for path, specimen in written:
        assert path.read_bytes() == specimen.png
        assert path.with_suffix(".txt").read_text(encoding="utf-8") == specimen.text


def test_character_error_rate_counts_edits_over_truth_length() -> None:
    assert edit_distance("kitten", "sitting") == 3
    assert character_error_rate(["Bảo  hiểm\nxã hội"], ["Bảo hiểm xã hội"]) == 0.0
    assert character_error_rate(["Bảo hiểm"], ["Bao hiểm"]) == 12.5
    assert character_error_rate(["Bảo hiểm"], ["Bao hiem"], folded=True) == 0.0
    assert fold("Phan Ngọc Hoàng Đình Thục") == "Phan Ngoc Hoang Dinh Thuc"

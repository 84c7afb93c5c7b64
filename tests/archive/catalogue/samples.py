"""Catalogue files for tests: written with csv and openpyxl, fixed content, no randomness."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HEADER = [
    "Số TT",
    "Số ký hiệu hồ sơ",
    "Tiêu đề hồ sơ",
    "Thời gian bắt đầu",
    "Thời gian kết thúc",
    "Số tờ",
    "Thời hạn bảo quản",
    "Ghi chú",
    "Hộp số",
    "Mã số BHXH",
    "Họ và tên",
    "Ngày sinh",
    "Mã đơn vị",
]
ENGLISH = [
    "No.",
    "File code",
    "Title",
    "Start date",
    "End date",
    "Sheets",
    "Retention",
    "Notes",
    "Box",
    "SSN",
    "Full name",
    "Date of birth",
    "Employer code",
]
TITLE_BLOCK = [["BẢO HIỂM XÃ HỘI TỈNH HÀ NAM"], ["MỤC LỤC HỒ SƠ HƯỞNG BHXH MỘT LẦN"]]
NAMES = [
    "Nguyễn Thị Mai Lan",
    "Phan Ngọc Hoàng Đình Thục",
    "Trần Văn Đức",
    "Lê Thị Hương",
    "Đỗ Minh Quân",
]


def benefit_row(i: int, *, box: int | str = "", code: str | None = None) -> list[Any]:
    """One valid benefit-file row; SSNs 0111000000+i (leading zero kept)."""
    name = NAMES[i % len(NAMES)]
    return [
        i,
        code or f"HS-2019-{i:05d}",
        f"Hồ sơ hưởng BHXH một lần của {name}",
        "01/03/2019",
        "2019",
        12 + i % 30,
        "70 năm",
        "",
        box,
        f"{111000000 + i:010d}",
        name,
        "15/06/1965",
        "YN0405Z",
    ]


def rows(
    n: int, *, first: int = 1, per_box: int | None = None, box_from: int = 1
) -> list[list[Any]]:
    """`n` valid rows; with `per_box`, filling boxes box_from, box_from+1, … in order."""
    out = []
    for k in range(n):
        box: int | str = "" if per_box is None else box_from + k // per_box
        out.append(benefit_row(first + k, box=box))
    return out


def write_csv(
    path: Path,
    data: Sequence[Sequence[Any]],
    *,
    header: Sequence[str] = HEADER,
    encoding: str = "utf-8-sig",
    delimiter: str = ",",
    preamble: Sequence[Sequence[Any]] = (),
) -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        out = csv.writer(fh, delimiter=delimiter)
        out.writerows(preamble)
        out.writerow(header)
        out.writerows(data)
    return path


def write_xlsx(
    path: Path,
    data: Sequence[Sequence[Any]],
    *,
    header: Sequence[str] = HEADER,
    preamble: Sequence[Sequence[Any]] = (),
) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for line in [*preamble, list(header), *data]:
        sheet.append(list(line))
    workbook.save(path)
    return path

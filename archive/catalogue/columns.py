"""The catalogue's columns: canonical keys, the Vietnamese header and the accepted aliases.

Headers are matched on a key that ignores case, tone and vowel marks, đ/d, spaces and
punctuation, so "Số ký hiệu hồ sơ", "so ky hieu ho so", "SỐ, KÝ HIỆU HỒ SƠ" and "File code"
all name the same column (issue 2, item 6)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from archive.text import fold

_NOT_ALNUM = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Column:
    """One known column: its key in code, its header in Vietnamese and English, its aliases."""

    key: str
    vi: str
    en: str
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("seq", "Số TT", "No.", ("STT", "TT", "Số thứ tự", "No", "Number", "Seq")),
    Column(
        "file_code",
        "Số ký hiệu hồ sơ",
        "File code",
        (
            "Số, ký hiệu hồ sơ",
            "Số hồ sơ",
            "Ký hiệu hồ sơ",
            "Mã hồ sơ",
            "Số ký hiệu",
            "File number",
            "File no",
            "Code",
        ),
    ),
    Column(
        "title",
        "Tiêu đề hồ sơ",
        "Title",
        ("Tiêu đề", "Tên hồ sơ", "Trích yếu", "File title", "Description"),
    ),
    Column(
        "start_date",
        "Thời gian bắt đầu",
        "Start date",
        ("Ngày bắt đầu", "Từ ngày", "Bắt đầu", "Start", "From", "Date from"),
    ),
    Column(
        "end_date",
        "Thời gian kết thúc",
        "End date",
        ("Ngày kết thúc", "Đến ngày", "Kết thúc", "End", "To", "Date to"),
    ),
    Column(
        "date_range",
        "Thời gian tài liệu",
        "Date range",
        ("Thời gian", "Thời gian bắt đầu - kết thúc", "Dates"),
    ),
    Column(
        "sheet_count",
        "Số tờ",
        "Sheets",
        ("Số lượng tờ", "Số tờ trang", "Sheet count", "Pages", "Number of sheets"),
    ),
    Column(
        "retention",
        "Thời hạn bảo quản",
        "Retention",
        ("Thời hạn lưu trữ", "THBQ", "Retention period"),
    ),
    Column("notes", "Ghi chú", "Notes", ("Note", "Remarks", "Comment")),
    Column("box_number", "Hộp số", "Box", ("Số hộp", "Hộp", "Box number", "Box no")),
    Column(
        "ssn",
        "Mã số BHXH",
        "Social insurance number",
        ("Mã BHXH", "Số BHXH", "Mã số bảo hiểm xã hội", "SSN", "SI number", "Insurance number"),
    ),
    Column("full_name", "Họ và tên", "Full name", ("Họ tên", "Tên người hưởng", "Name")),
    Column(
        "birth_date",
        "Ngày sinh",
        "Date of birth",
        ("Ngày tháng năm sinh", "Năm sinh", "Birth date", "Birthdate", "DOB"),
    ),
    Column(
        "employer_code",
        "Mã đơn vị",
        "Employer code",
        ("Mã ĐVSDLĐ", "Mã đơn vị SDLĐ", "Employer", "Unit code"),
    ),
    Column(
        "employer_name",
        "Tên đơn vị",
        "Employer name",
        ("Tên ĐVSDLĐ", "Tên đơn vị SDLĐ", "Unit name"),
    ),
    Column(
        "passbook_number", "Số sổ BHXH", "Passbook number", ("Số sổ", "Passbook", "Passbook no")
    ),
    Column(
        "citizen_id",
        "Số định danh",
        "Citizen ID",
        (
            "Số định danh cá nhân",
            "CCCD",
            "Số CCCD",
            "Căn cước công dân",
            "CMND/CCCD",
            "Personal ID",
            "National ID",
        ),
    ),
    Column("benefit_type", "Chế độ", "Benefit type", ("Loại chế độ", "Chế độ hưởng", "Benefit")),
    Column("series", "Loại hồ sơ", "Series", ("Mã loại hồ sơ", "Record type", "Series code")),
    Column(
        "district_office",
        "Mã huyện",
        "District office",
        (
            "Mã huyện/Đơn vị BHXH",
            "Đơn vị BHXH",
            "Mã đơn vị BHXH",
            "BHXH huyện",
            "Office code",
            "Office",
        ),
    ),
)
BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}
# The columns a catalogue cannot do without (the header row must name both).
REQUIRED = ("file_code", "title")
# A header row names at least this many known columns.
MIN_KNOWN = 3


def header_key(text: str) -> str:
    """The matching form of a header: folded, with every space and punctuation mark removed."""
    # Lower-cased first: archive.text.fold leaves "Ð" (U+00D0) as "ð".
    return _NOT_ALNUM.sub("", fold(text.lower()))


def _build_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for column in COLUMNS:
        for name in (column.vi, column.en, *column.aliases):
            key = header_key(name)
            if index.setdefault(key, column.key) != column.key:
                raise ValueError(f"header alias {name!r} names two columns")
    return index


_INDEX = _build_index()


@lru_cache(maxsize=4096)
def match_header(text: str) -> str | None:
    """The key of the known column this header names, or None."""
    return _INDEX.get(header_key(text))


def label(key: str, lang: str = "vi") -> str:
    """The column's header in the user's language."""
    column = BY_KEY[key]
    return column.en if lang == "en" else column.vi

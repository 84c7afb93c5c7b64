"""Reading one cell of a catalogue: text, dates, counts and identifiers, from CSV text or the
typed values of an XLSX cell (Excel dates, numbers that lost their leading zeros)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from archive.catalogue.reader import Cell
from archive.errors import Invalid
from archive.identifiers import (
    normalise_employer_code,
    normalise_file_code,
    parse_citizen_id,
    parse_office_code,
    parse_ssn,
    parse_year_or_date,
)
from archive.text import nfc

_DIGITS_DOT_ZERO = re.compile(r"^(\d+)\.0+$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})$")


def display(value: object) -> str:
    """A cell as the user sees it in Excel (4803004239.0 → "4803004239", a date as dd/mm/yyyy)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def _number_text(value: Cell) -> tuple[str, bool]:
    """(digits as text, whether the cell was numeric); float artefacts lose their `.0`."""
    if isinstance(value, bool):
        return str(value), False
    if isinstance(value, int):
        return str(value), True
    if isinstance(value, float):
        return (str(int(value)), True) if value.is_integer() else (repr(value), True)
    text = display(value)
    match = _DIGITS_DOT_ZERO.match(text)
    return (match[1] if match else text), False


def parse_ssn_cell(value: Cell) -> str:
    """A 10-digit social-insurance number; a numeric Excel cell gets its lost leading 0 back."""
    if type(value) is str and len(value) == 10 and value.isascii() and value.isdigit():
        return value
    text, numeric = _number_text(value)
    if numeric and len(text) == 9:
        text = "0" + text
    if len(text) == 10 and text.isascii() and text.isdigit():
        return text
    return parse_ssn(text)


def parse_citizen_id_cell(value: Cell) -> str:
    """A 12-digit citizen ID; numeric cells get back the leading zeros of the province code."""
    text, numeric = _number_text(value)
    if numeric and 10 <= len(text) < 12:
        text = text.zfill(12)
    return parse_citizen_id(text)


def parse_passbook_cell(value: Cell) -> str:
    """A passbook number: letters and digits, at most 20 (numeric cells as for the SSN)."""
    text, numeric = _number_text(value)
    if numeric and len(text) == 9:
        text = "0" + text
    text = text.replace(" ", "").upper()
    if not text or len(text) > 20 or not text.isascii() or not text.isalnum():
        raise Invalid("import.passbook", value=text)
    return text


@lru_cache(maxsize=1 << 17)
def _date_text(text: str, end: bool) -> date:
    dmy = _DMY.match(text)
    if dmy:  # dd/mm/yyyy, without strptime's cost; dd/mm/yy in the century not in the future
        year = int(dmy[3])
        if len(dmy[3]) == 2:
            year += 2000 if 2000 + year <= date.today().year else 1900
        try:
            return date(year, int(dmy[2]), int(dmy[1]))
        except ValueError:
            raise Invalid("identifier.date", value=text) from None
    if text.endswith(" 00:00:00"):
        text = text[:-9]
    return parse_year_or_date(text, end=end)


def parse_date_cell(value: Cell, *, end: bool = False) -> date:
    """A date from an Excel date cell or text (dd/mm/yyyy, dd/mm/yy, yyyy, mm/yyyy, ISO)."""
    if type(value) is str:
        return _date_text(value.strip(), end)
    if isinstance(value, datetime):  # before date: a datetime is a date
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = display(value)
        if len(text) != 4:
            raise Invalid("identifier.date", value=text)
        return _date_text(text, end)
    return _date_text(display(value), end)


def parse_end_date_cell(value: Cell) -> date:
    """An end date: a bare year or month ends on its last day."""
    return parse_date_cell(value, end=True)


def parse_count(value: Cell) -> int:
    """A sheet count: a whole number ≥ 0."""
    if type(value) is str and value.isascii() and value.isdigit():
        return int(value)
    text, _ = _number_text(value)
    if not text.isdigit():
        raise Invalid("file.sheet_count", value=text)
    return int(text)


def parse_box_number(value: Cell) -> int:
    """A box number: a whole number > 0."""
    text = value if type(value) is str and value.isascii() else _number_text(value)[0]
    if not text.isdigit() or int(text) <= 0:
        raise Invalid("import.box_number", value=text)
    return int(text)


def clean_text(value: Cell) -> str:
    """A text cell in NFC, white space collapsed (ASCII text skips the normalisation)."""
    if type(value) is str:
        return " ".join(value.split()) if value.isascii() else nfc(value)
    return nfc(display(value))


def _text(max_len: int | None = None) -> Callable[[Cell], str]:

    def parse(value: Cell) -> str:
        text = clean_text(value)
        if max_len is not None and len(text) > max_len:
            raise Invalid("import.too_long", max=max_len)
        return text

    return parse


def parse_file_code(value: Cell) -> str:
    """A file code as written, trimmed and collapsed; at most 64 characters."""
    text = clean_text(value)
    if not text or len(text) > 64:
        return normalise_file_code(text)  # refuses, with the identifier's own message
    return text


def parse_employer_cell(value: Cell) -> str:
    """An employer unit code (soft check: letters and digits)."""
    return normalise_employer_code(display(value))


def _office(value: Cell) -> str:
    text, _ = _number_text(value)
    return parse_office_code(text)


# Field lengths follow the columns of `files`, `people` and `employers` (PostgreSQL enforces them).
PARSERS: dict[str, Callable[[Cell], Any]] = {
    "file_code": parse_file_code,
    "title": _text(),
    "start_date": parse_date_cell,
    "end_date": parse_end_date_cell,
    "sheet_count": parse_count,
    "retention": _text(100),
    "notes": _text(),
    "box_number": parse_box_number,
    "ssn": parse_ssn_cell,
    "full_name": _text(200),
    "birth_date": parse_date_cell,
    "employer_code": parse_employer_cell,
    "employer_name": _text(300),
    "passbook_number": parse_passbook_cell,
    "citizen_id": parse_citizen_id_cell,
    "benefit_type": _text(100),
    "series": _text(),
    "district_office": _office,
}
# Columns whose values recur from row to row (dates, names, employers): their parsed values
# are remembered per file, which is most of the speed of reading 400,000 rows.
REPEATING = frozenset(
    {
        "start_date",
        "end_date",
        "birth_date",
        "sheet_count",
        "retention",
        "notes",
        "box_number",
        "full_name",
        "employer_code",
        "employer_name",
        "benefit_type",
        "series",
        "district_office",
    }
)

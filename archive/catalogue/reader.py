"""Reading a catalogue file: CSV (any usual encoding and delimiter) or XLSX (first sheet).

The reader finds the header row, maps its columns to known keys and yields the data rows with
their spreadsheet row numbers; it knows nothing of the database (issue 2, item 6)."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any, Literal

from archive.catalogue.columns import MIN_KNOWN, REQUIRED, label, match_header
from archive.errors import Invalid

# A cell as it comes out of the file: text from CSV; typed values from XLSX (datetime is a date).
Cell = str | int | float | date | bool | None
Format = Literal["csv", "xlsx"]

MAX_BYTES = 200 * 1024 * 1024
HEADER_SEARCH_ROWS = 15
HEADER_SEARCH_CHARS = 1 << 20
DELIMITERS = (",", ";", "\t")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass(frozen=True)
class Header:
    """The header row: its row number, and where each known column is (0-based index)."""

    row: int
    columns: dict[str, int]
    labels: dict[str, str] = field(default_factory=dict)
    ignored: tuple[str, ...] = ()

    def label(self, key: str) -> str:
        """The column's header as the file writes it (or the standard Vietnamese one)."""
        return self.labels.get(key) or label(key)


@dataclass
class Sheet:
    """An opened catalogue: header, a row-count estimate for progress, and the data rows."""

    format: Format
    sha256: str
    header: Header
    estimated_rows: int
    rows: Iterator[tuple[int, Sequence[Cell]]]


def _cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _score(cells: Sequence[Cell]) -> Header:
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    ignored: list[str] = []
    for index, value in enumerate(cells):
        text = _cell_text(value)
        if not text:
            continue
        key = match_header(text)
        if key is None or key in columns:
            ignored.append(text)
            continue
        columns[key] = index
        labels[key] = " ".join(text.split())
    return Header(row=0, columns=columns, labels=labels, ignored=tuple(ignored))


def _is_header(header: Header) -> bool:
    return len(header.columns) >= MIN_KNOWN and all(k in header.columns for k in REQUIRED)


def scan_header(rows: Iterable[Sequence[Cell]]) -> Header:
    """The first of the first 15 rows naming ≥ 3 known columns, file code and title among them;
    if there is none, the row naming most known columns, with `row` 0."""
    best = Header(row=0, columns={})
    for number, cells in enumerate(islice(rows, HEADER_SEARCH_ROWS), start=1):
        header = _score(cells)
        if _is_header(header):
            return Header(number, header.columns, header.labels, header.ignored)
        if len(header.columns) > len(best.columns):
            best = header
    return best


def find_header(rows: Iterable[Sequence[Cell]]) -> Header:
    """The header row (see `scan_header`); refuses (`import.header`) naming the missing columns."""
    header = scan_header(rows)
    if header.row == 0:
        raise Invalid("import.header", missing=_missing(header))
    return header


def _missing(best: Header) -> str:
    found = best.columns
    missing = [label(k) for k in REQUIRED if k not in found]
    if not missing:  # both required columns, too few others: name the usual ones
        missing = [label(k) for k in ("start_date", "end_date", "sheet_count") if k not in found]
    return ", ".join(missing)


def file_format(path: Path, filename: str) -> Format:
    """CSV or XLSX, from the file's first bytes and name; refuses anything else (`import.format`)."""
    with path.open("rb") as fh:
        magic = fh.read(4)
    suffix = Path(filename).suffix.lower()
    if magic == _ZIP_MAGIC or suffix in XLSX_SUFFIXES:
        return "xlsx"
    if magic == _OLE_MAGIC or suffix not in CSV_SUFFIXES:
        raise Invalid("import.format")
    return "csv"


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def open_sheet(path: Path, filename: str, *, max_bytes: int = MAX_BYTES) -> Iterator[Sheet]:
    """Open a catalogue file and find its header; refuses unknown formats, unreadable or too
    large files and files without a recognisable header row."""
    try:
        size = path.stat().st_size
    except OSError as err:
        raise Invalid("import.unreadable", reason=err.strerror or str(err)) from err
    if size > max_bytes:
        raise Invalid("import.too_large", size=size, max=max_bytes)
    kind = file_format(path, filename)
    if kind == "csv":
        yield _open_csv(path)
        return
    with _open_xlsx(path) as sheet:
        yield sheet


def decode(data: bytes) -> str:
    """Text of a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1258/1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "cp1258", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Invalid("import.unreadable", reason="không nhận ra bảng mã ký tự (encoding)")


def _csv_header(text: str) -> tuple[str, Header]:
    """The delimiter under which a header row is found (the one naming most columns)."""
    candidates: list[tuple[str, Header]] = []
    head = text[:HEADER_SEARCH_CHARS]  # the header is near the top: never scan the whole file
    for delimiter in DELIMITERS:
        try:
            rows = csv.reader(io.StringIO(head), delimiter=delimiter)
            candidates.append((delimiter, scan_header(rows)))
        except csv.Error as err:
            raise Invalid("import.unreadable", reason=str(err)) from err
    found = [c for c in candidates if c[1].row > 0] or candidates
    delimiter, header = max(found, key=lambda item: len(item[1].columns))
    if header.row == 0:
        raise Invalid("import.header", missing=_missing(header))
    return delimiter, header


def _open_csv(path: Path) -> Sheet:
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    text = decode(data)
    del data
    delimiter, header = _csv_header(text)
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return Sheet("csv", sha, header, max(lines - header.row, 0), _csv_rows(reader, header.row))


def _csv_rows(reader: Iterator[list[str]], header_row: int) -> Iterator[tuple[int, Sequence[Cell]]]:
    try:
        yield from enumerate(islice(reader, header_row, None), header_row + 1)
    except csv.Error as err:
        raise Invalid("import.unreadable", reason=str(err)) from err


@contextmanager
def _open_xlsx(path: Path) -> Iterator[Sheet]:
    import openpyxl  # imported here: loading it costs time the CSV path never needs

    sha = sha256_of(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise Invalid("import.unreadable", reason=str(err) or type(err).__name__) from err
    try:
        if not workbook.worksheets:
            raise Invalid("import.empty")
        sheet: Any = workbook.worksheets[0]
        header = find_header(sheet.iter_rows(min_row=1, values_only=True))
        estimate = max(int(sheet.max_row or 0) - header.row, 0)
        rows = enumerate(sheet.iter_rows(min_row=header.row + 1, values_only=True), header.row + 1)
        yield Sheet("xlsx", sha, header, estimate, rows)
    finally:
        workbook.close()

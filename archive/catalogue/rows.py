"""Typed catalogue rows and their validation, without the database.

Every bad cell becomes a RowError carrying the spreadsheet's own row number, the column as the
file names it, the value and the reason in Vietnamese and English (issue 2, item 6).

Rows are read in chunks, column by column: a column whose values recur (dates, names, boxes)
parses each distinct value once, which keeps a 400,000-row file within a few seconds."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from itertools import islice, repeat
from pathlib import Path
from typing import Any

from archive.catalogue.bulk import paused_gc
from archive.catalogue.cells import PARSERS, REPEATING, display, parse_date_cell
from archive.catalogue.reader import Cell, Header, Sheet, open_sheet
from archive.errors import Invalid
from archive.i18n import message

Progress = Callable[[int, int], None]
CHUNK_ROWS = 10_000
MEMO_MAX = 200_000
_RANGE_SPLIT = re.compile(r"\s+[-–—]\s+|\s*[–—]\s*|\s+(?:đến|to)\s+", re.IGNORECASE)
_YEAR_RANGE = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")


@dataclass(slots=True)
class CatalogueRow:
    """One data row, typed; fields whose cell was bad are left empty and named in `bad`."""

    row: int
    file_code: str = ""
    title: str = ""
    start_date: date | None = None
    end_date: date | None = None
    sheet_count: int | None = None
    retention: str = ""
    notes: str = ""
    box_number: int | None = None
    ssn: str | None = None
    full_name: str = ""
    birth_date: date | None = None
    employer_code: str | None = None
    employer_name: str = ""
    passbook_number: str | None = None
    citizen_id: str | None = None
    benefit_type: str = ""
    series: str = ""
    district_office: str | None = None
    bad: set[str] = field(default_factory=set)

    def mark_bad(self, key: str) -> None:
        self.bad.add(key)


@dataclass(frozen=True)
class RowError:
    """Why one cell (or row) is refused; `row` is the spreadsheet's row number."""

    row: int
    column: str
    value: str
    code: str
    message_vi: str
    message_en: str

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON, `InvalidRows` and the CLI (`message` is the Vietnamese one)."""
        return {**asdict(self), "message": self.message_vi}


def row_error(row: int, column: str, value: object, code: str, /, **params: Any) -> RowError:
    """A RowError with its messages filled in from the catalogue in archive.i18n."""
    text = display(value)
    params = {**params, "value": text, "column": column}
    return RowError(
        row, column, text, code, message(code, "vi", **params), message(code, "en", **params)
    )


def error_from(row: int, column: str, value: object, err: Invalid) -> RowError:
    """The RowError for a refusal raised while reading a cell (the cell's own value is shown)."""
    params = {k: v for k, v in err.params.items() if k not in ("value", "column")}
    return row_error(row, column, value, err.code, **params)


@dataclass
class Catalogue:
    """A read catalogue: every typed row and every error found without the database."""

    filename: str
    sha256: str
    format: str
    header: Header
    rows: list[CatalogueRow]
    errors: list[RowError]

    def label(self, key: str) -> str:
        return self.header.label(key)


DATE_KEYS = ("start_date", "end_date", "birth_date")
FIELD_ORDER = tuple(f.name for f in fields(CatalogueRow) if f.name not in ("row", "bad"))
DEFAULTS: dict[str, Any] = {
    f.name: f.default for f in fields(CatalogueRow) if f.name in FIELD_ORDER
}


@dataclass(frozen=True)
class _Bad:
    """A cell value refused by its parser (kept in the per-column memo)."""

    error: Invalid


@dataclass(frozen=True)
class _Field:
    key: str
    index: int
    parse: Callable[[Cell], Any]
    column: str
    memo: dict[Any, Any] | None


@dataclass(frozen=True)
class _Plan:
    """Which parser reads which cell, worked out once per file from its header."""

    fields: tuple[_Field, ...]
    date_range: tuple[int, str] | None
    labels: dict[str, str]
    today: date


def _plan(header: Header, today: date) -> _Plan:
    fields_ = tuple(
        _Field(key, index, PARSERS[key], header.label(key), {} if key in REPEATING else None)
        for key, index in header.columns.items()
        if key in PARSERS
    )
    date_range = None
    if "date_range" in header.columns and not {"start_date", "end_date"} & header.columns.keys():
        date_range = (header.columns["date_range"], header.label("date_range"))
    labels = {key: header.label(key) for key in PARSERS}
    return _Plan(fields_, date_range, labels, today)


def _parse(f: _Field, value: Cell) -> Any:
    if value is None or value == "":
        return DEFAULTS[f.key]
    try:
        return f.parse(value)
    except Invalid as err:
        return _Bad(err)


def _column(f: _Field, raw: list[Cell]) -> list[Any]:
    """The parsed column; refused cells are `_Bad`. A repeating column parses each distinct
    value once (so 1 and 1.0 from XLSX share a parse, which is the same number)."""
    memo = f.memo
    if memo is None:
        return [_parse(f, value) for value in raw]
    if len(memo) > MEMO_MAX:
        memo.clear()
    for value in set(raw).difference(memo):
        memo[value] = _parse(f, value)
    return list(map(memo.__getitem__, raw))


def _record_bad(
    f: _Field,
    numbers: list[int],
    raw: list[Cell],
    parsed: list[Any],
    bad: dict[int, set[str]],
    errors: list[RowError],
) -> None:
    default = DEFAULTS[f.key]
    for i, value in enumerate(parsed):
        if type(value) is _Bad:
            errors.append(error_from(numbers[i], f.column, raw[i], value.error))
            bad.setdefault(i, set()).add(f.key)
            parsed[i] = default


def _read_chunk(
    numbers: list[int], chunk: list[Sequence[Cell]], plan: _Plan, errors: list[RowError]
) -> list[CatalogueRow]:
    """Typed rows of a chunk of non-blank rows, column by column."""
    bad: dict[int, set[str]] = {}
    columns: dict[str, list[Any]] = {}
    for f in plan.fields:
        index = f.index
        raw = [cells[index] if index < len(cells) else None for cells in chunk]
        parsed = columns[f.key] = _column(f, raw)
        if any(type(value) is _Bad for value in parsed):
            _record_bad(f, numbers, raw, parsed, bad, errors)
    n = len(chunk)
    args = [columns[k] if k in columns else repeat(DEFAULTS[k], n) for k in FIELD_ORDER]
    rows = list(map(CatalogueRow, numbers, *args))
    for i, keys in bad.items():
        rows[i].bad.update(keys)
    if plan.date_range is not None:
        for row, cells in zip(rows, chunk, strict=True):
            _read_range(row, cells, plan, errors)
    _check_rows(rows, plan, errors)
    return rows


def split_range(text: str) -> tuple[str, str]:
    """`01/2015 - 12/2016`, `2015–2016`, `2015 đến 2016` → the two ends (one end: both the same)."""
    year_range = _YEAR_RANGE.match(text)
    if year_range:
        return year_range[1], year_range[2]
    parts = _RANGE_SPLIT.split(text, maxsplit=1)
    return (parts[0], parts[1]) if len(parts) == 2 else (text, text)


def _read_range(
    row: CatalogueRow, cells: Sequence[Cell], plan: _Plan, errors: list[RowError]
) -> None:
    assert plan.date_range is not None
    index, column = plan.date_range
    value = cells[index] if index < len(cells) else None
    if value is None or value == "":
        return
    start: Cell
    end: Cell
    if isinstance(value, date | int | float):
        start = end = value
    else:
        start, end = split_range(display(value))
    try:
        row.start_date = parse_date_cell(start)
        row.end_date = parse_date_cell(end, end=True)
    except Invalid as err:
        row.mark_bad("start_date")
        errors.append(error_from(row.row, column, value, err))


def _check_rows(rows: list[CatalogueRow], plan: _Plan, errors: list[RowError]) -> None:
    """Rules between cells of a row: required cells, dates in order and not in the future."""
    labels, today = plan.labels, plan.today
    for row in [r for r in rows if not r.file_code and "file_code" not in r.bad]:
        errors.append(row_error(row.row, labels["file_code"], "", "import.required"))
    for row in [r for r in rows if not r.title and "title" not in r.bad]:
        errors.append(row_error(row.row, labels["title"], "", "file.title"))
    for key in DATE_KEYS:
        # An end date given as a year or month of this year ends after today: that is fine.
        limit = date(today.year, 12, 31) if key == "end_date" else today
        for row in [r for r in rows if (getattr(r, key) or limit) > limit]:
            row.mark_bad(key)
            errors.append(row_error(row.row, labels[key], getattr(row, key), "import.date_future"))
    for row in [r for r in rows if r.start_date and r.end_date and r.start_date > r.end_date]:
        row.mark_bad("end_date")
        errors.append(row_error(row.row, labels["end_date"], row.end_date, "file.dates_order"))


def _chunks(sheet: Sheet) -> Iterator[tuple[list[int], list[Sequence[Cell]], int]]:
    """Non-blank rows in chunks: (row numbers, cells, rows read so far including blank ones)."""
    read = 0
    while True:
        block = list(islice(sheet.rows, CHUNK_ROWS))
        if not block:
            return
        read += len(block)
        kept = [(number, cells) for number, cells in block if any(cells)]
        yield [n for n, _ in kept], [c for _, c in kept], read


def read_sheet(sheet: Sheet, filename: str, *, progress: Progress | None = None) -> Catalogue:
    """Type and check every row of an opened sheet; refuses a sheet without data (`import.empty`)."""
    plan = _plan(sheet.header, date.today())
    rows: list[CatalogueRow] = []
    errors: list[RowError] = []
    for numbers, chunk, read in _chunks(sheet):
        rows.extend(_read_chunk(numbers, chunk, plan, errors))
        if progress is not None:
            progress(read, max(sheet.estimated_rows, read))
    if not rows:
        raise Invalid("import.empty")
    if progress is not None:
        progress(len(rows), len(rows))
    errors.sort(key=lambda e: e.row)
    return Catalogue(filename, sheet.sha256, sheet.format, sheet.header, rows, errors)


def load(path: Path, filename: str, *, progress: Progress | None = None) -> Catalogue:
    """Read and check a CSV or XLSX catalogue without the database (handover reuses this).

    Refuses unreadable files, unknown formats and a missing header row; bad rows are reported
    in `Catalogue.errors`, never raised."""
    with paused_gc(), open_sheet(path, filename) as sheet:
        return read_sheet(sheet, filename, progress=progress)

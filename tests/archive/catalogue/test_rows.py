"""Row checks without the database: every bad cell is reported with row, column, value, reason."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from archive.catalogue import load
from tests.archive.catalogue.samples import TITLE_BLOCK, benefit_row, rows, write_csv


def _row(i: int, **changes: object) -> list[object]:
    row = benefit_row(i)
    columns = {
        "code": 1,
        "title": 2,
        "start": 3,
        "end": 4,
        "sheets": 5,
        "ssn": 9,
        "name": 10,
        "birth": 11,
    }
    for key, value in changes.items():
        row[columns[key]] = value
    return row


def test_every_bad_cell_is_reported_with_excel_row_and_vietnamese_reason(tmp_path: Path) -> None:
    data = [
        _row(1),
        _row(2, ssn="01110000021"),  # 11 digits
        _row(3, start="31/02/2019"),  # no such day
        _row(4, start="01/01/2020", end="31/12/2019"),  # ends before it starts
        _row(5, sheets="mười"),
        _row(6, code="", title=""),
        _row(7, birth="01/01/2999"),
    ]
    catalogue = load(write_csv(tmp_path / "c.csv", data, preamble=TITLE_BLOCK), "c.csv")
    found = [(e.row, e.column, e.value, e.code) for e in catalogue.errors]
    assert found == [
        (5, "Mã số BHXH", "01110000021", "identifier.ssn"),
        (6, "Thời gian bắt đầu", "31/02/2019", "identifier.date"),
        (7, "Thời gian kết thúc", "31/12/2019", "file.dates_order"),
        (8, "Số tờ", "mười", "file.sheet_count"),
        (9, "Số ký hiệu hồ sơ", "", "import.required"),
        (9, "Tiêu đề hồ sơ", "", "file.title"),
        (10, "Ngày sinh", "01/01/2999", "import.date_future"),
    ]
    messages = {e.code: e.message_vi for e in catalogue.errors}
    assert (
        messages["identifier.ssn"]
        == "Mã số BHXH “01110000021” không hợp lệ: phải gồm đúng 10 chữ số."
    )
    assert messages["file.dates_order"] == "Thời gian bắt đầu phải trước thời gian kết thúc."
    assert messages["import.required"] == "Cột “Số ký hiệu hồ sơ” không được để trống."
    assert all(e.message_en and e.message_en != e.message_vi for e in catalogue.errors)
    assert len(catalogue.rows) == 7  # bad rows are still there, with the bad cells left empty
    assert catalogue.rows[1].ssn is None and "ssn" in catalogue.rows[1].bad


def test_dates_in_every_usual_form(tmp_path: Path) -> None:
    data = [
        _row(1, start="05/2015", end="06/2016"),
        _row(2, start="2015", end="2016"),
        _row(3, start="1/2/15", end="2015-03-01"),
        _row(4, start="01/02/2015 00:00:00", end=""),
    ]
    starts_ends = [
        (r.start_date, r.end_date) for r in load(write_csv(tmp_path / "c.csv", data), "c.csv").rows
    ]
    assert starts_ends == [
        (date(2015, 5, 1), date(2016, 6, 30)),
        (date(2015, 1, 1), date(2016, 12, 31)),
        (date(2015, 2, 1), date(2015, 3, 1)),
        (date(2015, 2, 1), None),
    ]


def test_one_date_range_column_is_split(tmp_path: Path) -> None:
    header = ["STT", "Số ký hiệu hồ sơ", "Tiêu đề hồ sơ", "Thời gian tài liệu", "Số tờ"]
    data = [
        [1, "A", "Hồ sơ A", "01/2015 - 12/2016", 3],
        [2, "B", "Hồ sơ B", "2015–2017", 4],
        [3, "C", "Hồ sơ C", "2018", 5],
        [4, "D", "Hồ sơ D", "15/13/2018 - 2019", 6],
    ]
    catalogue = load(write_csv(tmp_path / "c.csv", data, header=header), "c.csv")
    assert [(r.start_date, r.end_date) for r in catalogue.rows[:3]] == [
        (date(2015, 1, 1), date(2016, 12, 31)),
        (date(2015, 1, 1), date(2017, 12, 31)),
        (date(2018, 1, 1), date(2018, 12, 31)),
    ]
    assert [(e.row, e.column, e.code) for e in catalogue.errors] == [
        (5, "Thời gian tài liệu", "identifier.date")
    ]


def test_blank_rows_are_skipped_but_keep_the_numbering(tmp_path: Path) -> None:
    data = [benefit_row(1), [""] * 13, [], benefit_row(2)]
    catalogue = load(write_csv(tmp_path / "c.csv", data), "c.csv")
    assert [r.row for r in catalogue.rows] == [2, 5]


def test_a_large_file_reports_progress_and_every_row(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    catalogue = load(
        write_csv(tmp_path / "c.csv", rows(25_000)),
        "c.csv",
        progress=lambda done, total: seen.append((done, total)),
    )
    assert len(catalogue.rows) == 25_000 and catalogue.errors == []
    assert seen[0] == (10_000, 25_000) and seen[-1] == (25_000, 25_000)
    assert len({r.file_code for r in catalogue.rows}) == 25_000

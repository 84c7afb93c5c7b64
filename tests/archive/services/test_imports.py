"""Catalogue import into the register, on SQLite and PostgreSQL: every bad row reported, all or
nothing, one audit event (issue 2, item 6)."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.errors import Forbidden, Invalid, InvalidRows
from archive.models import AuditEvent, Box, File, Job, Office, Person, SearchOutbox
from archive.services import files, imports, people
from archive.services.files import FileIn
from tests.archive.catalogue.samples import (
    ENGLISH,
    HEADER,
    TITLE_BLOCK,
    benefit_row,
    rows,
    write_csv,
    write_xlsx,
)
from tests.factories import ADMIN, archivist, make_layout, make_office, series


def _counts(session: Session) -> tuple[int, int, int]:
    events = select(func.count(AuditEvent.id)).where(AuditEvent.action == "import.completed")
    return (
        session.scalar(select(func.count(File.id))) or 0,
        session.scalar(select(func.count(Person.id))) or 0,
        session.scalar(events) or 0,
    )


def _register(session: Session, boxes: int = 2) -> tuple[Office, int]:
    """Office 00 with boxes 1…`boxes` (16 files each) and one file already in box 2."""
    office = make_office(session)
    make_layout(session, office, shelves=(1, 1), tiers=1, boxes_per_tier=boxes)
    box2 = session.scalar(select(Box.id).where(Box.number == 2))
    files.create_file(
        session,
        ADMIN,
        FileIn(
            office_id=office.id,
            series_id=series(session).id,
            code="HS-CU-001",
            title="Hồ sơ cũ",
            box_id=box2,
            ssn="0111000099",
            full_name="Nguyễn Văn Cũ",
        ),
    )
    return office, series(session).id


def _run(
    session: Session, office: Office, series_id: int, path: Path, *, dry: bool = False
) -> imports.ImportReport:
    call = imports.dry_run if dry else imports.run_import
    return call(
        session,
        archivist(office.id),
        office_id=office.id,
        series_id=series_id,
        source=path,
        filename=path.name,
    )


def _bad_catalogue(tmp_path: Path) -> Path:
    data = [benefit_row(1, box=1)]
    data.append(benefit_row(2, box=1))
    data[-1][9] = "01110000021"  # 11 digits
    data.append(benefit_row(3, box=1))
    data[-1][3] = "30/02/2019"  # no such day
    data.append(benefit_row(4, box=1))
    data[-1][3:5] = ["01/01/2019", "31/12/2018"]  # ends before it starts
    data.append(benefit_row(5, box=1, code="HS-2019-00001"))  # repeats row 4's code
    data.append(benefit_row(6, box=1, code="HS-CU-001"))  # already registered
    data.append(benefit_row(7, box=99))  # no such box
    data += rows(16, first=8, per_box=16, box_from=2)  # box 2 holds 1 of 16: the 16th overflows
    data.append(benefit_row(24))
    data[-1][9:11] = ["0111000099", "Trần Thị Khác"]  # the number belongs to someone else
    return write_csv(tmp_path / "bad.csv", data, preamble=TITLE_BLOCK)


EXPECTED_BAD = [
    (5, "Mã số BHXH", "identifier.ssn"),
    (6, "Thời gian bắt đầu", "identifier.date"),
    (7, "Thời gian kết thúc", "file.dates_order"),
    (8, "Số ký hiệu hồ sơ", "import.duplicate_in_file"),
    (9, "Số ký hiệu hồ sơ", "file.duplicate_code"),
    (10, "Hộp số", "import.box_unknown"),
    (26, "Hộp số", "import.box_capacity"),
    (27, "Họ và tên", "person.name_mismatch"),
]


def test_dry_run_reports_every_bad_row_in_vietnamese_and_writes_nothing(
    session: Session, tmp_path: Path
) -> None:
    office, series_id = _register(session)
    before = _counts(session)
    report = _run(session, office, series_id, _bad_catalogue(tmp_path), dry=True)
    assert [(e.row, e.column, e.code) for e in report.errors] == EXPECTED_BAD
    messages = {e.code: e.message_vi for e in report.errors}
    assert messages["import.duplicate_in_file"] == (
        "Số ký hiệu hồ sơ “HS-2019-00001” bị lặp lại (đã có ở dòng 4)."
    )
    assert messages["import.box_unknown"] == "Hộp số 99 không có trong kho của đơn vị."
    assert messages["import.box_capacity"] == (
        "Hộp số 2 không đủ chỗ: chứa tối đa 16 hồ sơ, đã có 1, tệp thêm 16."
    )
    assert messages["person.name_mismatch"] == (
        "Mã số BHXH 0111000099 đã gắn với “Nguyễn Văn Cũ”, khác với “Trần Thị Khác”."
    )
    assert (report.rows, report.created, report.dry_run) == (24, 0, True)
    assert _counts(session) == before


def test_real_run_with_one_bad_row_writes_nothing(session: Session, tmp_path: Path) -> None:
    office, series_id = _register(session)
    before = _counts(session)
    with pytest.raises(InvalidRows) as err:
        _run(session, office, series_id, _bad_catalogue(tmp_path))
    assert [(e["row"], e["code"]) for e in err.value.errors] == [(r, c) for r, _, c in EXPECTED_BAD]
    assert err.value.errors[0]["message"].startswith("Mã số BHXH “01110000021” không hợp lệ")
    assert _counts(session) == before


def test_real_run_writes_every_file_with_place_barcode_person_and_one_audit_event(
    session: Session, tmp_path: Path
) -> None:
    office, series_id = _register(session)
    path = write_csv(tmp_path / "ok.csv", rows(15, per_box=15, box_from=2) + rows(3, first=16))
    report = _run(session, office, series_id, path)
    assert (report.rows, report.created, report.people_created, report.errors) == (18, 18, 18, [])
    imported = session.scalars(
        select(File).where(File.code.like("HS-2019-%")).order_by(File.id)
    ).all()
    box2 = session.scalar(select(Box.id).where(Box.number == 2))
    assert [f.position for f in imported[:15]] == list(range(2, 17))  # after the file already there
    assert {f.box_id for f in imported[:15]} == {box2} and imported[15].box_id is None
    assert len({f.barcode for f in imported}) == 18 and imported[0].barcode.startswith("F00")
    first = imported[0]
    assert (first.title, first.start_date, first.end_date, first.sheet_count) == (
        "Hồ sơ hưởng BHXH một lần của Phan Ngọc Hoàng Đình Thục",
        date(2019, 3, 1),
        date(2019, 12, 31),
        13,
    )
    assert first.created_at.tzinfo is not None
    person = session.get(Person, first.person_id)
    assert person is not None
    assert (person.ssn, person.full_name, person.name_folded, person.birth_date) == (
        "0111000001",
        "Phan Ngọc Hoàng Đình Thục",
        "phan ngoc hoang dinh thuc",
        date(1965, 6, 15),
    )
    [event] = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "import.completed")
    ).all()
    changes = json.loads(event.changes)
    assert changes["files"] == [None, 18] and changes["filename"] == [None, "ok.csv"]
    assert changes["source_sha256"] == [None, report.source_sha256]


def test_english_headers_and_a_known_person_in_another_spelling(
    session: Session, tmp_path: Path
) -> None:
    office, series_id = _register(session)
    people.ensure_person(session, ssn="0111000001", full_name="Phan Ngọc Hoàng Đình Thục")
    data = rows(2)
    data[0][10] = "PHAN NGOC HOANG DINH THUC"  # same person, typed without marks
    report = _run(session, office, series_id, write_csv(tmp_path / "en.csv", data, header=ENGLISH))
    assert (report.created, report.people_created) == (2, 1)
    person = session.scalar(select(Person).where(Person.ssn == "0111000001"))
    assert person is not None and person.birth_date == date(1965, 6, 15)  # filled in by the file


def test_details_filled_in_for_a_known_person_mark_their_earlier_files_for_the_index(
    session: Session, tmp_path: Path
) -> None:
    office, series_id = _register(session)  # HS-CU-001 of 0111000099, no birth date yet
    earlier = session.scalar(select(File.id).where(File.code == "HS-CU-001"))
    session.execute(SearchOutbox.__table__.delete())
    data = rows(1)
    data[0][9:11] = ["0111000099", "Nguyễn Văn Cũ"]
    _run(session, office, series_id, write_csv(tmp_path / "cu.csv", data))
    singles = session.scalars(select(SearchOutbox.file_id).where(SearchOutbox.file_id_to.is_(None)))
    assert list(singles) == [earlier]  # the new file is in the import's range mark
    session.execute(SearchOutbox.__table__.delete())
    people.ensure_person(
        session, ssn="0111000099", full_name="Nguyen Van Cu", citizen_id="035065000099"
    )
    assert list(session.scalars(select(SearchOutbox.file_id))) == sorted(
        session.scalars(select(File.id).where(File.person.has(ssn="0111000099")))
    )
    people.ensure_person(session, ssn="0111000099", full_name="Nguyễn Văn Cũ")  # nothing new
    assert session.scalar(select(func.count(SearchOutbox.id))) == 2


def test_xlsx_with_a_wrong_header_row_changes_nothing(session: Session, tmp_path: Path) -> None:
    office, series_id = _register(session)
    before = _counts(session)
    path = write_xlsx(
        tmp_path / "bad.xlsx",
        rows(3),
        header=["STT", "Mã", "Nội dung", "Năm"],
        preamble=TITLE_BLOCK,
    )
    for dry in (True, False):
        with pytest.raises(Invalid) as err:
            _run(session, office, series_id, path, dry=dry)
        assert err.value.code == "import.header"
    assert _counts(session) == before


def test_xlsx_import_with_a_series_column(session: Session, tmp_path: Path) -> None:
    office, series_id = _register(session)
    header = [*HEADER, "Loại hồ sơ"]
    data = [
        [*benefit_row(1), ""],
        [*benefit_row(2), "THU"],
        [*benefit_row(3), "Hồ sơ thu BHXH, BHYT, BHTN"],
        [*benefit_row(4), "KHONG_CO"],
    ]
    data[1][9:11] = ["", ""]  # collection files need no person
    path = write_xlsx(tmp_path / "s.xlsx", data, header=header, preamble=TITLE_BLOCK)
    report = _run(session, office, series_id, path, dry=True)
    assert [(e.row, e.column, e.code) for e in report.errors] == [
        (7, "Loại hồ sơ", "series.not_found")
    ]
    data.pop()
    report = _run(session, office, series_id, write_xlsx(tmp_path / "s2.xlsx", data, header=header))
    kinds = session.scalars(
        select(File.series_id).where(File.code.like("HS-2019-%")).order_by(File.id)
    ).all()
    assert kinds[0] == series_id and kinds[1] == kinds[2] == series(session, "THU").id


def test_benefit_files_need_the_person(session: Session, tmp_path: Path) -> None:
    office, series_id = _register(session)
    data = rows(2)
    data[0][9:11] = ["", ""]
    data[1][10] = ""
    report = _run(session, office, series_id, write_csv(tmp_path / "p.csv", data), dry=True)
    assert [(e.row, e.code) for e in report.errors] == [
        (2, "file.person_required"),
        (3, "person.name"),
    ]


def test_import_needs_the_permission_and_the_office(session: Session, tmp_path: Path) -> None:
    office, series_id = _register(session)
    other = make_office(session, "01", "BHXH huyện Duy Tiên")
    path = write_csv(tmp_path / "ok.csv", rows(1))
    staff = archivist(office.id, roles=frozenset({"staff"}))
    for actor in (staff, archivist(other.id)):
        with pytest.raises(Forbidden):
            imports.dry_run(
                session,
                actor,
                office_id=office.id,
                series_id=series_id,
                source=path,
                filename="ok.csv",
            )


def test_a_large_catalogue_is_queued_and_a_small_one_runs_at_once(
    session: Session, tmp_path: Path
) -> None:
    office, series_id = _register(session, boxes=4)
    queued: list[int] = []
    small = write_csv(tmp_path / "small.csv", rows(3))
    done = imports.submit_import(
        session,
        archivist(office.id),
        office_id=office.id,
        series_id=series_id,
        source=small,
        filename="small.csv",
        data_dir=tmp_path / "data",
        threshold=5,
        enqueue=queued.append,
    )
    assert done.report is not None and done.report.created == 3 and done.job_id is None
    large = write_csv(tmp_path / "large.csv", rows(6, first=10))
    submitted = imports.submit_import(
        session,
        archivist(office.id),
        office_id=office.id,
        series_id=series_id,
        source=large,
        filename="large.csv",
        data_dir=tmp_path / "data",
        threshold=5,
        enqueue=queued.append,
    )
    assert submitted.report is None and submitted.job_id is not None
    assert queued == []  # enqueued only once the transaction commits
    job = session.get(Job, submitted.job_id)
    assert job is not None and (job.status, job.kind, job.office_id) == (
        "queued",
        "import",
        office.id,
    )
    kept = Path(json.loads(job.params)["source"])  # data_dir/imports/<sha256>.csv
    assert kept.parent == tmp_path / "data" / "imports" and kept.suffix == ".csv"
    assert (
        kept.read_bytes() == large.read_bytes()
        and kept.stem == hashlib.sha256(kept.read_bytes()).hexdigest()
    )


def test_three_thousand_rows_in_one_go(session: Session, tmp_path: Path) -> None:
    office = make_office(session)
    make_layout(
        session, office, shelves=(1, 4), tiers=5, boxes_per_tier=2, profile_code="HOP_10_HUONG"
    )
    path = write_csv(tmp_path / "big.csv", rows(3000, per_box=80))
    report = imports.run_import(
        session,
        ADMIN,
        office_id=office.id,
        series_id=series(session).id,
        source=path,
        filename="big.csv",
    )
    assert report.created == 3000
    assert session.scalar(select(func.count(File.id)).where(File.box_id.isnot(None))) == 3000
    last = session.scalar(select(func.max(File.position)))
    assert last == 80


def test_citizen_ids_district_offices_and_employers(session: Session, tmp_path: Path) -> None:
    office, series_id = _register(session)
    make_office(session, "03", "BHXH huyện Kim Bảng")
    people.ensure_person(
        session, ssn="0111000777", full_name="Lê Văn Có", citizen_id="035090000001"
    )
    header = [*HEADER, "Số định danh", "Mã huyện", "Tên đơn vị"]
    data = [
        [*benefit_row(1), 35090000002, "03", "Công ty Bình Minh"],  # numeric: its 0 comes back
        [*benefit_row(2), "035090000001", "", ""],  # held by 0111000777
        [*benefit_row(3), "", "09", ""],  # no such office
    ]
    path = write_xlsx(tmp_path / "c.xlsx", data, header=header)
    report = _run(session, office, series_id, path, dry=True)
    assert [(e.row, e.column, e.code) for e in report.errors] == [
        (3, "Số định danh", "person.citizen_id_taken"),
        (4, "Mã huyện", "import.office_unknown"),
    ]
    assert (
        report.errors[0].message_vi
        == "Số định danh “035090000001” đã gắn với mã số BHXH 0111000777."
    )
    report = _run(
        session, office, series_id, write_xlsx(tmp_path / "ok.xlsx", data[:1], header=header)
    )
    file = session.scalar(select(File).where(File.code == "HS-2019-00001"))
    assert file is not None and file.district_office_id is not None and file.employer_id is not None
    person = session.get(Person, file.person_id)
    assert person is not None and person.citizen_id == "035090000002"

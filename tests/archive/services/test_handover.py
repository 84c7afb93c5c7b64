"""Handover in (giao nhận): catalogue, scanning, discrepancies, completion, minutes; both databases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.errors import Conflict, Forbidden, Invalid, InvalidRows, NotFound
from archive.models import (
    AuditEvent,
    Box,
    Employer,
    File,
    HandoverBatch,
    HandoverItem,
    Office,
    Person,
)
from archive.services import handover
from archive.services.handover import BatchIn
from archive.services.handover_catalogue import load_catalogue
from archive.services.handover_lines import ItemIn
from archive.services.handover_queries import list_batches, list_items, minutes
from tests.factories import ADMIN, archivist, make_layout, make_office, series


def _general_batch(session: Session, office: Office) -> HandoverBatch:
    return handover.create_batch(
        session,
        ADMIN,
        BatchIn(
            office_id=office.id,
            name="Giao nộp hồ sơ Phòng Thu năm 2019",
            giver_name="Trần Văn Bình",
            giver_position="Trưởng phòng Thu",
            receiver_name="Lê Thị Hoa",
            receiver_position="Văn thư lưu trữ",
            series_id=series(session, "HANH_CHINH").id,
            source_department="Phòng Thu",
            legal_basis="Quyết định 346/QĐ-BHXH",
            condition="Tài liệu còn tốt",
        ),
    )


def _line(code: str, box: int | None, start: date, end: date, sheets: int) -> ItemIn:
    return ItemIn(
        file_code=code,
        title=f"Hồ sơ {code}",
        start_date=start,
        end_date=end,
        sheet_count=sheets,
        box_number=box,
        retention_text="10 năm",
    )


def _catalogue_of_three(session: Session) -> tuple[Office, HandoverBatch]:
    office = make_office(session)
    make_layout(session, office, shelves=(1, 1), tiers=1, boxes_per_tier=3)
    batch = _general_batch(session, office)
    lines = [
        _line("TH-001", 1, date(2017, 3, 1), date(2017, 12, 31), 20),
        _line("TH-002", 1, date(2018, 1, 5), date(2018, 6, 30), 15),
        _line("TH-003", 2, date(2016, 1, 1), date(2016, 5, 1), 9),
    ]
    for line in lines:
        handover.add_item(session, ADMIN, batch_id=batch.id, data=line)
    return office, batch


def test_catalogue_scan_extra_complete_registers_received_files_in_their_boxes(
    session: Session,
) -> None:
    _, batch = _catalogue_of_three(session)
    assert handover.receive(session, ADMIN, batch_id=batch.id, scanned="TH-001").matched
    assert handover.receive(session, ADMIN, batch_id=batch.id, scanned=" th-002 ").matched
    extra = handover.receive(
        session,
        ADMIN,
        batch_id=batch.id,
        scanned="TH-099",
        details=ItemIn(
            title="Công văn đến 2019",
            start_date=date(2019, 2, 1),
            end_date=date(2019, 11, 30),
            sheet_count=7,
            box_number=2,
        ),
    )
    assert not extra.matched and extra.item.status == "extra"

    handover.complete(session, ADMIN, batch_id=batch.id)

    registered = session.execute(
        select(File.code, Box.number, File.position, File.sheet_count)
        .join(Box, Box.id == File.box_id)
        .where(File.handover_id == batch.id)
        .order_by(File.code)
    ).all()
    assert [tuple(r) for r in registered] == [
        ("TH-001", 1, 1, 20),
        ("TH-002", 1, 2, 15),
        ("TH-099", 2, 1, 7),
    ]
    statuses = {
        code: status
        for code, status in session.execute(
            select(HandoverItem.file_code, HandoverItem.status).where(
                HandoverItem.batch_id == batch.id
            )
        )
    }
    assert statuses == {
        "TH-001": "received",
        "TH-002": "received",
        "TH-003": "missing",
        "TH-099": "extra",
    }
    m = minutes(session, ADMIN, batch.id)
    assert (
        m.counts.expected,
        m.counts.received,
        m.counts.missing,
        m.counts.extra,
        m.registered,
    ) == (3, 2, 1, 1, 3)
    assert (m.start_date, m.end_date) == (date(2017, 3, 1), date(2019, 11, 30))
    assert m.boxes == (1, 2) and m.shelf_metres == pytest.approx(0.2) and m.total_sheets == 42
    assert [(d.kind, d.file_code) for d in m.discrepancies] == [
        ("missing", "TH-003"),
        ("extra", "TH-099"),
    ]
    assert [c.file_code for c in m.catalogue] == ["TH-001", "TH-002", "TH-099"]
    assert (m.giver.name, m.receiver.position, m.status) == (
        "Trần Văn Bình",
        "Văn thư lưu trữ",
        "completed",
    )
    assert m.legal_basis == "Quyết định 346/QĐ-BHXH" and m.office_code == "00"


def test_scanning_the_same_file_twice_is_refused(session: Session) -> None:
    _, batch = _catalogue_of_three(session)
    handover.receive(session, ADMIN, batch_id=batch.id, scanned="TH-001")
    handover.receive(session, ADMIN, batch_id=batch.id, scanned="TH-777")
    for scanned in ("TH-001", "TH-777"):
        with pytest.raises(Conflict) as err:
            handover.receive(session, ADMIN, batch_id=batch.id, scanned=scanned)
        assert err.value.code == "handover.already_received"


def test_closed_batch_refuses_every_change(session: Session) -> None:
    _, batch = _catalogue_of_three(session)
    item = handover.receive(session, ADMIN, batch_id=batch.id, scanned="TH-001").item
    handover.complete(session, ADMIN, batch_id=batch.id)
    changes: list[Callable[[], object]] = [
        lambda: handover.add_item(
            session,
            ADMIN,
            batch_id=batch.id,
            data=_line("X", None, date(2019, 1, 1), date(2019, 1, 2), 1),
        ),
        lambda: handover.receive(session, ADMIN, batch_id=batch.id, scanned="TH-002"),
        lambda: handover.record_discrepancy(
            session, ADMIN, batch_id=batch.id, item_id=item.id, text="x"
        ),
        lambda: handover.complete(session, ADMIN, batch_id=batch.id),
        lambda: handover.cancel(session, ADMIN, batch_id=batch.id),
    ]
    for change in changes:
        with pytest.raises(Conflict) as err:
            change()
        assert err.value.code == "handover.closed"


def test_completion_refuses_nothing_received_and_unknown_box_changing_nothing(
    session: Session,
) -> None:
    _, batch = _catalogue_of_three(session)
    with pytest.raises(Conflict) as err:
        handover.complete(session, ADMIN, batch_id=batch.id)
    assert err.value.code == "handover.nothing_received"
    handover.receive(
        session, ADMIN, batch_id=batch.id, scanned="TH-404", details=ItemIn(box_number=99)
    )
    with pytest.raises(NotFound) as missing_box:
        handover.complete(session, ADMIN, batch_id=batch.id)
    assert missing_box.value.code == "handover.box_not_found"
    assert session.scalar(select(func.count(File.id))) == 0
    assert session.get(HandoverBatch, batch.id).status == "open"  # type: ignore[union-attr]


def test_discrepancy_corrects_sheet_count_and_is_listed_in_the_minutes(session: Session) -> None:
    _, batch = _catalogue_of_three(session)
    item = handover.receive(session, ADMIN, batch_id=batch.id, scanned="TH-001").item
    handover.record_discrepancy(
        session,
        ADMIN,
        batch_id=batch.id,
        item_id=item.id,
        text="Thực tế 22 tờ, danh mục ghi 20",
        corrections={"sheet_count": 22},
    )
    with pytest.raises(Invalid):
        handover.record_discrepancy(
            session,
            ADMIN,
            batch_id=batch.id,
            item_id=item.id,
            text="x",
            corrections={"file_code": "Y"},
        )
    handover.complete(session, ADMIN, batch_id=batch.id)
    assert session.scalar(select(File.sheet_count).where(File.code == "TH-001")) == 22
    wrong = [
        d for d in minutes(session, ADMIN, batch.id).discrepancies if d.kind == "wrong_details"
    ]
    assert [(d.file_code, d.text) for d in wrong] == [("TH-001", "Thực tế 22 tờ, danh mục ghi 20")]
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "handover")
    ).all()
    assert {
        "handover.created",
        "handover.item_added",
        "handover.item_received",
        "handover.discrepancy_recorded",
        "handover.completed",
    } <= set(actions)


def _passbook_batch(session: Session) -> tuple[Office, HandoverBatch]:
    province = make_office(session)
    district = make_office(session, "01", "BHXH huyện Duy Tiên")
    make_layout(
        session, province, shelves=(1, 1), tiers=1, boxes_per_tier=1, profile_code="HOP_10_SO"
    )
    batch = handover.create_batch(
        session,
        ADMIN,
        BatchIn(
            office_id=province.id,
            name="Rà soát sổ — Công ty May Duy Tiên",
            kind="passbook_review",
            giver_name="Phạm Văn Đức",
            receiver_name="Lê Thị Hoa",
            source_office_id=district.id,
            employer_code="YN0405Z",
            employer_name="Công ty May Duy Tiên",
        ),
    )
    people = [
        ("4803004239", "Nguyễn Thị Mai Lan"),
        ("0111063484", "Phan Ngọc Hoàng"),
        ("2201234567", "Đỗ Văn Tú"),
    ]
    for ssn, name in people:
        handover.add_item(
            session,
            ADMIN,
            batch_id=batch.id,
            data=ItemIn(passbook_number=ssn, ssn=ssn, full_name=name, box_number=1),
        )
    return district, batch


def test_passbook_batch_is_listed_by_number_and_received_by_scanning_it(session: Session) -> None:
    district, batch = _passbook_batch(session)
    assert batch.series_id == series(session, "RA_SOAT_SO").id
    lines = list_items(session, ADMIN, batch.id)
    assert [i.passbook_number for i in lines] == ["0111063484", "2201234567", "4803004239"]
    assert lines[0].title == "Phan Ngọc Hoàng — 0111063484" and lines[0].file_code == "0111063484"
    result = handover.receive(session, ADMIN, batch_id=batch.id, scanned="0111 063 484")
    assert result.matched and result.item.full_name == "Phan Ngọc Hoàng"
    handover.complete(session, ADMIN, batch_id=batch.id)
    file = session.execute(select(File).where(File.handover_id == batch.id)).scalar_one()
    employer = session.get(Employer, file.employer_id)
    person = session.get(Person, file.person_id)
    assert file.passbook_number == "0111063484" and file.district_office_id == district.id
    assert employer is not None and employer.code == "YN0405Z"
    assert person is not None and person.ssn == "0111063484"


def test_passbook_batch_needs_its_district_and_employer(session: Session) -> None:
    office = make_office(session)
    data = BatchIn(
        office_id=office.id,
        name="Rà soát",
        kind="passbook_review",
        giver_name="A",
        receiver_name="B",
    )
    with pytest.raises(Invalid) as err:
        handover.create_batch(session, ADMIN, data)
    assert err.value.code == "handover.district_required"


def test_office_scoped_archivist_cannot_see_another_offices_batch(session: Session) -> None:
    _, batch = _catalogue_of_three(session)
    district = make_office(session, "01", "BHXH huyện Duy Tiên")
    outsider = archivist(district.id)
    with pytest.raises(Forbidden) as err:
        handover.get_batch(session, outsider, batch.id)
    assert err.value.code == "auth.office_scope"
    with pytest.raises(Forbidden):
        handover.receive(session, outsider, batch_id=batch.id, scanned="TH-001")
    assert list_batches(session, outsider) == []
    [mine] = list_batches(session, archivist(batch.office_id))
    assert (mine.batch.id, mine.counts.expected, mine.counts.received) == (batch.id, 3, 0)


def test_catalogue_file_loads_all_lines_or_reports_every_bad_row(
    session: Session, tmp_path: Path
) -> None:
    _, batch = _catalogue_of_three(session)
    good = tmp_path / "muc-luc.csv"
    good.write_text(
        "STT,Số ký hiệu hồ sơ,Tiêu đề hồ sơ,Thời gian bắt đầu,Thời gian kết thúc,Số tờ,Hộp số\n"
        "1,TH-010,Sổ thu 2015,01/01/2015,31/12/2015,40,3\n"
        "2,TH-011,Sổ thu 2016,01/01/2016,31/12/2016,38,3\n",
        encoding="utf-8",
    )
    assert load_catalogue(session, ADMIN, batch_id=batch.id, source=good, filename=good.name) == 2
    bad = tmp_path / "muc-luc-loi.csv"
    bad.write_text(
        "STT,Số ký hiệu hồ sơ,Tiêu đề hồ sơ,Số tờ\n1,TH-001,Trùng,3\n2,TH-020,,4\n3,TH-021,Tốt,-1\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidRows) as err:
        load_catalogue(session, ADMIN, batch_id=batch.id, source=bad, filename=bad.name)
    assert sorted(e["row"] for e in err.value.errors) == [2, 3, 4]
    assert "handover.duplicate_item" in {e["code"] for e in err.value.errors}
    codes = [i.file_code for i in list_items(session, ADMIN, batch.id)]
    assert codes == ["TH-001", "TH-002", "TH-003", "TH-010", "TH-011"]


def test_passbook_catalogue_may_leave_file_code_and_title_blank(
    session: Session, tmp_path: Path
) -> None:
    _, batch = _passbook_batch(session)
    source = tmp_path / "ra-soat.csv"
    source.write_text(
        "STT,Số ký hiệu hồ sơ,Tiêu đề hồ sơ,Số sổ BHXH,Họ và tên,Mã số BHXH\n"
        "1,,,3603001122,Vũ Thị Hằng,3603001122\n"
        "2,,,,Không Số,\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidRows) as err:
        load_catalogue(session, ADMIN, batch_id=batch.id, source=source, filename=source.name)
    assert {e["row"] for e in err.value.errors} == {3}
    source.write_text(
        "STT,Số ký hiệu hồ sơ,Tiêu đề hồ sơ,Số sổ BHXH,Họ và tên,Mã số BHXH\n"
        "1,,,3603001122,Vũ Thị Hằng,3603001122\n",
        encoding="utf-8",
    )
    assert (
        load_catalogue(session, ADMIN, batch_id=batch.id, source=source, filename=source.name) == 1
    )
    line = list_items(session, ADMIN, batch.id)[2]
    assert (line.file_code, line.title, line.ssn) == (
        "3603001122",
        "Vũ Thị Hằng — 3603001122",
        "3603001122",
    )


def test_cancelled_batch_registers_nothing_and_refuses_scans(session: Session) -> None:
    _, batch = _catalogue_of_three(session)
    handover.receive(session, ADMIN, batch_id=batch.id, scanned="TH-001")
    handover.cancel(session, ADMIN, batch_id=batch.id, reason="Đơn vị giao rút lại")
    assert batch.status == "cancelled" and session.scalar(select(func.count(File.id))) == 0
    with pytest.raises(Conflict) as err:
        handover.receive(session, ADMIN, batch_id=batch.id, scanned="TH-002")
    assert err.value.code == "handover.closed"

"""The register's core rules, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.errors import Conflict, Invalid
from archive.models import AuditEvent, Box, File, Shelf, Tier
from archive.services import file_views, files, locations, occupancy
from archive.services.files import FileIn
from tests.factories import ADMIN, make_layout, make_office, series


def _file(
    session: Session, office_id: int, code: str, box_id: int | None = None, **kw: Any
) -> File:
    data = FileIn(
        office_id=office_id,
        series_id=series(session, "HANH_CHINH").id,
        code=code,
        title=f"Hồ sơ {code}",
        box_id=box_id,
        **kw,
    )
    return files.create_file(session, ADMIN, data)


def test_layout_from_ranges_creates_shelves_tiers_boxes_with_barcodes(session: Session) -> None:
    office = make_office(session)
    result = make_layout(session, office, shelves=(1, 12), tiers=5, boxes_per_tier=8)
    assert (result.shelves, result.tiers, result.boxes) == (12, 60, 480)
    assert session.scalar(select(func.count(Shelf.id))) == 12
    assert session.scalar(select(func.count(Tier.id))) == 60
    codes = session.scalars(select(Box.barcode)).all()
    assert len(set(codes)) == 480 and all(c.startswith("B00") and c.isascii() for c in codes)
    assert (result.first_box_number, result.last_box_number) == (1, 480)


def test_layout_refuses_overlapping_shelves_and_changes_nothing(session: Session) -> None:
    office = make_office(session)
    result = make_layout(session, office, shelves=(1, 3))
    with pytest.raises(Conflict) as err:
        locations.build_layout(
            session,
            ADMIN,
            store_id=result.store_id,
            shelf_from=3,
            shelf_to=5,
            tiers_per_shelf=2,
            boxes_per_tier=2,
            profile_id=1,
        )
    assert err.value.code == "layout.shelf_exists"
    assert session.scalar(select(func.count(Shelf.id))) == 3


def test_file_path_reads_store_shelf_tier_box_position(session: Session) -> None:
    office = make_office(session)
    make_layout(session, office, shelves=(1, 3), tiers=2, boxes_per_tier=2)
    box = session.scalar(select(Box).where(Box.number == 7))
    assert box is not None
    _file(session, office.id, "HS-001", box.id)
    second = _file(session, office.id, "HS-002", box.id)
    assert files.path_of(session, second).text() == "Kho 1 › Giá 02 › Tầng 2 › Hộp 007 › vị trí 2"
    assert (
        files.path_of(session, second).text("en")
        == "Store 1 › Shelf 02 › Tier 2 › Box 007 › position 2"
    )


def test_duplicate_file_code_is_refused_within_an_office(session: Session) -> None:
    office = make_office(session)
    _file(session, office.id, "HS-001")
    with pytest.raises(Conflict) as err:
        _file(session, office.id, "HS-001")
    assert err.value.code == "file.duplicate_code"
    other = make_office(session, "01", "BHXH huyện Duy Tiên")
    assert _file(session, other.id, "HS-001").office_id == other.id


def test_box_over_capacity_is_refused(session: Session) -> None:
    office = make_office(session)
    make_layout(session, office, shelves=(1, 1), tiers=1, boxes_per_tier=1)
    box = session.scalar(select(Box))
    assert box is not None
    for n in range(16):
        _file(session, office.id, f"HS-{n:03d}", box.id)
    with pytest.raises(Conflict) as err:
        _file(session, office.id, "HS-999", box.id)
    assert err.value.code == "box.full"


def test_file_cannot_move_into_another_offices_box(session: Session) -> None:
    province, district = make_office(session), make_office(session, "01", "BHXH huyện Duy Tiên")
    make_layout(session, province, shelves=(1, 1), tiers=1, boxes_per_tier=1)
    make_layout(session, district, shelves=(1, 1), tiers=1, boxes_per_tier=1)
    own = session.scalar(select(Box).where(Box.office_id == province.id))
    foreign = session.scalar(select(Box).where(Box.office_id == district.id))
    assert own is not None and foreign is not None
    file = _file(session, province.id, "HS-001", own.id)
    with pytest.raises(Invalid) as err:
        files.move_file(session, ADMIN, file_id=file.id, box_id=foreign.id)
    assert err.value.code == "file.box_other_office"
    assert (file.box_id, file.position) == (own.id, 1)


def test_move_closes_the_gap_and_is_kept_in_history(session: Session) -> None:
    office = make_office(session)
    make_layout(session, office, shelves=(1, 1), tiers=1, boxes_per_tier=2)
    a, b = session.scalars(select(Box).order_by(Box.number)).all()
    f1, f2, f3 = (_file(session, office.id, f"HS-{n}", a.id) for n in (1, 2, 3))
    _file(session, office.id, "HS-9", b.id)
    files.move_file(session, ADMIN, file_id=f2.id, box_id=b.id, position=1, reason="Sắp xếp lại")
    session.refresh(f3)
    assert [(f.code, f.position) for f in files.files_in_box(session, ADMIN, a.id)] == [
        ("HS-1", 1),
        ("HS-3", 2),
    ]
    assert [f.code for f in files.files_in_box(session, ADMIN, b.id)] == ["HS-2", "HS-9"]
    moves = [h for h in file_views.history(session, ADMIN, f2.id) if h.action == "file.moved"]
    assert len(moves) == 1
    assert moves[0].from_path.endswith("Hộp 001 › vị trí 2")
    assert moves[0].to_path.endswith("Hộp 002 › vị trí 1")
    assert moves[0].reason == "Sắp xếp lại"
    assert f1.position == 1


def test_reorder_box_sets_the_new_order_and_refuses_a_wrong_list(session: Session) -> None:
    office = make_office(session)
    make_layout(session, office, shelves=(1, 1), tiers=1, boxes_per_tier=1)
    box = session.scalar(select(Box))
    assert box is not None
    ids = [_file(session, office.id, f"HS-{n}", box.id).id for n in range(4)]
    files.reorder_box(session, ADMIN, box_id=box.id, file_ids=list(reversed(ids)))
    assert [f.id for f in files.files_in_box(session, ADMIN, box.id)] == list(reversed(ids))
    with pytest.raises(Invalid):
        files.reorder_box(session, ADMIN, box_id=box.id, file_ids=ids[:3])


def test_occupancy_counts_space_and_files_per_tier_shelf_store(session: Session) -> None:
    office = make_office(session)
    result = make_layout(session, office, shelves=(1, 2), tiers=2, boxes_per_tier=3)
    box = session.scalar(select(Box).where(Box.number == 1))
    assert box is not None
    for n in range(5):
        _file(session, office.id, f"HS-{n}", box.id)
    occ = occupancy.of_store(session, ADMIN, store_id=result.store_id)
    assert occ.store.length_cm == 400 and occ.store.used_cm == 120 and occ.store.free_cm == 280
    assert occ.store.files == 5 and occ.store.boxes == 12 and occ.store.file_capacity == 12 * 16
    assert occ.shelves[1].files == 5 and occ.shelves[2].files == 0
    assert occ.tiers[0].occupancy.files == 5 and occ.tiers[0].occupancy.used_cm == 30


def test_benefit_file_links_the_person_and_refuses_an_11_digit_number(session: Session) -> None:
    office = make_office(session)
    benefit = series(session, "HUONG_MOT_LAN")
    data = FileIn(
        office_id=office.id,
        series_id=benefit.id,
        code="MOT-LAN-1",
        title="Hưởng BHXH một lần",
        ssn="4803004239",
        full_name="Nguyễn Thị Mai Lan",
        birth_date=date(1980, 5, 17),
    )
    file = files.create_file(session, ADMIN, data)
    assert file.person_id is not None
    before = session.scalar(select(func.count(AuditEvent.id)))
    bad = FileIn(
        office_id=office.id,
        series_id=benefit.id,
        code="MOT-LAN-2",
        title="x",
        ssn="48030042391",
        full_name="Trần Văn B",
    )
    with pytest.raises(Invalid) as err:
        files.create_file(session, ADMIN, bad)
    assert err.value.code == "identifier.ssn"
    assert session.scalar(select(func.count(File.id))) == 1
    assert session.scalar(select(func.count(AuditEvent.id))) == before


def test_every_change_is_audited_in_an_unbroken_chain(session: Session) -> None:
    from archive.services import audit

    office = make_office(session)
    make_layout(session, office, shelves=(1, 1), tiers=1, boxes_per_tier=2)
    _file(session, office.id, "HS-1")
    report = audit.verify(session)
    assert report.first_broken_id is None and report.checked >= 4
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()[1]
    event.changes = '{"tampered": true}'
    session.flush()
    assert audit.verify(session).first_broken_id == event.id

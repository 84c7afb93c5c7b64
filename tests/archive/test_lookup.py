"""Lookup: barcodes, numbers, employer codes and names (diacritic-insensitive, exact first)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.errors import Invalid
from archive.models import Box, Shelf, Store, Tier
from archive.services import files, lookup
from archive.services.files import FileIn
from archive.services.lookup import Narrowing
from tests.factories import ADMIN, archivist, make_layout, make_office, series


def _benefit(
    session: Session,
    office_id: int,
    code: str,
    ssn: str,
    name: str,
    born: date,
    box_id: int | None = None,
    employer: str | None = None,
) -> None:
    files.create_file(
        session,
        ADMIN,
        FileIn(
            office_id=office_id,
            series_id=series(session, "HUONG_MOT_LAN").id,
            code=code,
            title=f"Hưởng BHXH một lần — {name}",
            ssn=ssn,
            full_name=name,
            birth_date=born,
            box_id=box_id,
            employer_code=employer,
        ),
    )


@pytest.fixture
def world(session: Session) -> dict[str, int]:
    province = make_office(session)
    district = make_office(session, "01", "BHXH huyện Duy Tiên")
    make_layout(session, province, shelves=(1, 3), tiers=2, boxes_per_tier=8)
    make_layout(session, district, shelves=(1, 1), tiers=1, boxes_per_tier=2)
    box = session.scalar(select(Box).where(Box.office_id == province.id, Box.number == 45))
    foreign = session.scalar(select(Box).where(Box.office_id == district.id, Box.number == 1))
    assert box is not None and foreign is not None
    _benefit(
        session,
        province.id,
        "MLT-1",
        "4803004239",
        "Nguyễn Thị Mai Lan",
        date(1980, 5, 17),
        box.id,
        "YN0405Z",
    )
    _benefit(
        session, province.id, "MLT-2", "0111063484", "Nguyễn Thị Mai Lân", date(1975, 1, 2), box.id
    )
    _benefit(
        session, province.id, "MLT-3", "0111063485", "Nguyen Thi Mai Lan", date(1990, 3, 3), box.id
    )
    _benefit(
        session,
        district.id,
        "MLT-1",
        "0111063486",
        "Nguyễn Thị Mai Lan",
        date(1980, 5, 17),
        foreign.id,
    )
    _benefit(session, province.id, "MLT-4", "0111063487", "Đặng Văn Đình", date(1960, 7, 8), box.id)
    return {"province": province.id, "district": district.id, "box": box.id}


def test_box_barcode_answers_with_the_full_path(session: Session, world: dict[str, int]) -> None:
    box = session.get(Box, world["box"])
    assert box is not None
    result = lookup.lookup(session, ADMIN, box.barcode)
    assert result.interpreted_as == "barcode"
    assert [h.path.text() for h in result.hits] == ["Kho 1 › Giá 03 › Tầng 2 › Hộp 045"]


@pytest.mark.parametrize("kind", ["store", "shelf", "tier"])
def test_every_place_barcode_is_found(session: Session, world: dict[str, int], kind: str) -> None:
    model = {"store": Store, "shelf": Shelf, "tier": Tier}[kind]
    code = session.scalars(select(model.barcode).order_by(model.id)).first()
    assert code is not None
    (hit,) = lookup.lookup(session, ADMIN, code.lower()).hits
    assert hit.kind == kind and hit.path.text().startswith("Kho 1")


def test_file_barcode_and_code_give_position_in_box(
    session: Session, world: dict[str, int]
) -> None:
    by_code = lookup.lookup(session, ADMIN, "MLT-2", narrow=Narrowing(office_id=world["province"]))
    (hit,) = by_code.hits
    assert hit.path.text() == "Kho 1 › Giá 03 › Tầng 2 › Hộp 045 › vị trí 2"
    (again,) = lookup.lookup(session, ADMIN, hit.barcode).hits
    assert again.id == hit.id


def test_ssn_finds_exactly_its_files(session: Session, world: dict[str, int]) -> None:
    result = lookup.lookup(session, ADMIN, "4803 004 239")
    assert result.interpreted_as == "ssn"
    assert [h.code for h in result.hits] == ["MLT-1"]


def test_name_without_diacritics_finds_all_and_exact_comes_first(
    session: Session, world: dict[str, int]
) -> None:
    folded = lookup.lookup(session, ADMIN, "nguyen thi mai lan")
    assert {h.person_name for h in folded.hits} == {
        "Nguyễn Thị Mai Lan",
        "Nguyễn Thị Mai Lân",
        "Nguyen Thi Mai Lan",
    }
    assert len(folded.hits) == 4
    exact = lookup.lookup(session, ADMIN, "Nguyễn Thị Mai Lan")
    assert [h.match for h in exact.hits][:2] == ["exact", "exact"]
    assert {h.person_name for h in exact.hits[:2]} == {"Nguyễn Thị Mai Lan"}
    assert all(h.match == "folded" for h in exact.hits[2:])


def test_d_with_stroke_matches_d(session: Session, world: dict[str, int]) -> None:
    (hit,) = lookup.lookup(session, ADMIN, "dang van dinh").hits
    assert hit.person_name == "Đặng Văn Đình"
    assert [h.person_name for h in lookup.lookup(session, ADMIN, "van dinh").hits] == [
        "Đặng Văn Đình"
    ]


def test_names_narrow_by_birth_date_office_and_employer(
    session: Session, world: dict[str, int]
) -> None:
    born = lookup.lookup(
        session, ADMIN, "nguyen thi mai lan", narrow=Narrowing(birth_date=date(1980, 5, 17))
    )
    assert len(born.hits) == 2
    office = lookup.lookup(
        session, ADMIN, "nguyen thi mai lan", narrow=Narrowing(office_id=world["district"])
    )
    assert [h.office_code for h in office.hits] == ["01"]
    employer = lookup.lookup(
        session, ADMIN, "nguyen thi mai lan", narrow=Narrowing(employer_code="yn0405z")
    )
    assert [h.code for h in employer.hits] == ["MLT-1"]
    assert [h.code for h in lookup.lookup(session, ADMIN, "YN0405Z").hits] == ["MLT-1"]


def test_office_scope_hides_other_offices(session: Session, world: dict[str, int]) -> None:
    district_user = archivist(world["district"])
    hits = lookup.lookup(session, district_user, "nguyen thi mai lan").hits
    assert [h.office_code for h in hits] == ["01"]
    box = session.get(Box, world["box"])
    assert box is not None
    assert lookup.lookup(session, district_user, box.barcode).hits == []


def test_empty_query_is_refused(session: Session, world: dict[str, int]) -> None:
    with pytest.raises(Invalid) as err:
        lookup.lookup(session, ADMIN, "   ")
    assert err.value.code == "lookup.empty"

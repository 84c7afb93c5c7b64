"""Reports on a small hand-built holding: exact counts and shelf metres, office scope, periods."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.errors import Forbidden, Invalid
from archive.models import Box, File, HandoverBatch, Office
from archive.services import files, occupancy, reports
from archive.services.files import FileIn
from tests.factories import ADMIN, archivist, make_layout, make_office, series


@dataclass(frozen=True)
class Holding:
    province: Office
    district: Office


def _box(session: Session, office: Office, number: int) -> int:
    box_id = session.scalar(select(Box.id).where(Box.office_id == office.id, Box.number == number))
    assert box_id is not None
    return box_id


def _file(
    session: Session,
    office: Office,
    code: str,
    series_code: str,
    box: int | None,
    start: date | None = None,
    end: date | None = None,
    **kw: Any,
) -> File:
    box_id = _box(session, office, box) if box is not None else None
    data = FileIn(
        office_id=office.id,
        series_id=series(session, series_code).id,
        code=code,
        title=code,
        start_date=start,
        end_date=end,
        box_id=box_id,
        **kw,
    )
    return files.create_file(session, ADMIN, data)


def _holding(session: Session) -> Holding:
    """Province: box 1 two 2019 files; box 2 a 2020 file and a benefit file dated by its start
    only; one unboxed file without dates; box 3 only a destroyed file. District: box 1 three
    passbook-review files of 2021. Every box is 10 cm wide."""
    province, district = make_office(session), make_office(session, "01", "BHXH huyện Duy Tiên")
    make_layout(session, province, shelves=(1, 1), tiers=1, boxes_per_tier=3)
    make_layout(
        session, district, shelves=(1, 1), tiers=1, boxes_per_tier=1, profile_code="HOP_10_SO"
    )
    y2019 = (date(2019, 1, 2), date(2019, 12, 30))
    _file(session, province, "CV-1", "HANH_CHINH", 1, *y2019)
    _file(session, province, "CV-2", "HANH_CHINH", 1, *y2019)
    _file(session, province, "CV-3", "HANH_CHINH", 2, date(2020, 1, 1), date(2020, 6, 1))
    _file(
        session,
        province,
        "MLT-1",
        "HUONG_MOT_LAN",
        2,
        date(2020, 5, 1),
        None,
        ssn="4803004239",
        full_name="Nguyễn Thị Mai Lan",
    )
    _file(session, province, "CV-4", "HANH_CHINH", None)
    _file(
        session, province, "CV-OLD", "HANH_CHINH", 3, date(2001, 1, 1), date(2001, 2, 1)
    ).status = "destroyed"
    for n in range(3):
        _file(session, district, f"RS-{n}", "RA_SOAT_SO", 1, date(2021, 3, 1), date(2021, 9, 1))
    session.flush()
    return Holding(province, district)


def test_holdings_rows_and_hanam_totals_sum_to_the_boxes_metres(session: Session) -> None:
    _holding(session)
    report = reports.holdings(session, ADMIN)
    rows = [(r.office_code, r.series_code, r.year, r.files, r.shelf_metres) for r in report.rows]
    assert rows == [
        ("00", "HUONG_MOT_LAN", 2020, 1, 0.05),
        ("00", "HANH_CHINH", 2019, 2, 0.1),
        ("00", "HANH_CHINH", 2020, 1, 0.05),
        ("00", "HANH_CHINH", None, 1, 0.0),
        ("01", "RA_SOAT_SO", 2021, 3, 0.1),
    ]
    assert [(t.key, t.files, t.shelf_metres) for t in report.by_kind] == [
        ("benefit", 1, 0.05),
        ("operational", 4, 0.15),
        ("passbook_review", 3, 0.1),
    ]
    assert [(t.key, t.files, t.shelf_metres) for t in report.by_office] == [
        ("00", 5, 0.2),
        ("01", 3, 0.1),
    ]
    assert [(t.key, t.files) for t in report.by_series] == [
        ("HUONG_MOT_LAN", 1),
        ("HANH_CHINH", 4),
        ("RA_SOAT_SO", 3),
    ]
    assert (report.total.files, report.total.shelf_metres) == (8, 0.3)


def test_holdings_are_scoped_to_the_actors_offices(session: Session) -> None:
    holding = _holding(session)
    district_archivist = archivist(holding.district.id)
    mine = reports.holdings(session, district_archivist)
    assert [(r.office_code, r.files) for r in mine.rows] == [("01", 3)]
    assert (mine.total.files, mine.total.shelf_metres) == (3, 0.1)
    assert reports.holdings(session, ADMIN, office_id=holding.province.id).total.files == 5
    with pytest.raises(Forbidden) as err:
        reports.holdings(session, district_archivist, office_id=holding.province.id)
    assert err.value.code == "auth.office_scope"
    with pytest.raises(Forbidden):
        reports.holdings(session, archivist(holding.district.id, roles=frozenset({"staff"})))


def test_occupancy_by_store_matches_the_single_store_figures(session: Session) -> None:
    holding = _holding(session)
    rows = reports.occupancy_by_store(session, ADMIN)
    assert [(r.office_code, r.store_code) for r in rows] == [("00", "1"), ("01", "1")]
    province = rows[0].occupancy
    assert (province.length_cm, province.used_cm, province.boxes, province.files) == (100, 30, 3, 5)
    single = occupancy.of_store(session, ADMIN, store_id=rows[0].store_id).store
    fields = ("length_cm", "used_cm", "boxes", "files", "file_capacity")
    assert [getattr(province, f) for f in fields] == [getattr(single, f) for f in fields]
    assert [
        r.office_code for r in reports.occupancy_by_store(session, archivist(holding.district.id))
    ] == ["01"]


def _at(session: Session, code: str, when: datetime) -> None:
    file = session.execute(select(File).where(File.code == code)).scalar_one()
    file.created_at = when


def test_received_per_month_in_local_time_with_completed_handovers(session: Session) -> None:
    holding = _holding(session)
    _at(session, "CV-1", datetime(2024, 3, 10, 3, 0, tzinfo=UTC))
    _at(session, "CV-2", datetime(2024, 3, 31, 18, 0, tzinfo=UTC))  # 1 April, 01:00 in Hà Nội
    _at(session, "CV-3", datetime(2024, 4, 15, 9, 0, tzinfo=UTC))
    _at(session, "RS-0", datetime(2024, 4, 20, 9, 0, tzinfo=UTC))
    _at(session, "CV-4", datetime(2024, 6, 1, 9, 0, tzinfo=UTC))  # outside the period
    session.add(
        HandoverBatch(
            office_id=holding.province.id,
            name="Đợt 1",
            series_id=series(session, "HANH_CHINH").id,
            giver_name="A",
            receiver_name="B",
            status="completed",
            completed_at=datetime(2024, 4, 2, 2, 0, tzinfo=UTC),
        )
    )
    session.flush()
    report = reports.received(
        session, ADMIN, since=date(2024, 3, 1), until=date(2024, 4, 30), group="month"
    )
    assert [(r.period, r.office_code, r.files, r.handovers) for r in report.rows] == [
        ("2024-03", "00", 1, 0),
        ("2024-04", "00", 2, 1),
        ("2024-04", "01", 1, 0),
    ]
    assert [(p.period, p.period_start, p.files) for p in report.periods] == [
        ("2024-03", date(2024, 3, 1), 1),
        ("2024-04", date(2024, 4, 1), 3),
    ]
    assert (report.files, report.handovers) == (4, 1)
    days = reports.received(
        session,
        archivist(holding.district.id),
        since=date(2024, 4, 1),
        until=date(2024, 4, 30),
        group="day",
    )
    assert [(r.period, r.files) for r in days.rows] == [("2024-04-20", 1)]
    with pytest.raises(Invalid) as err:
        reports.received(
            session, ADMIN, since=date(2024, 1, 1), until=date(2024, 2, 1), group="week"
        )
    assert err.value.code == "report.group"

"""A small searchable world shared by the search tests: one person's files in two offices, a
namesake differing only in diacritics, and a third person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import Box, File, Office
from archive.services import files
from tests.factories import ADMIN, make_layout, make_office, series

LAN = ("4803004239", "Nguyễn Thị Mai Lan", date(1961, 3, 2))
LAN_FOLDED_TWIN = ("4803004240", "Nguyễn Thị Mài Lân", date(1970, 5, 6))
BINH = ("4803004241", "Trần Văn Bình", date(1958, 1, 9))


@dataclass(frozen=True)
class World:
    main: Office
    district: Office
    boxes: list[Box]
    codes: dict[str, int]


def add_file(
    session: Session,
    office: Office,
    code: str,
    person: tuple[str, str, date],
    *,
    box: Box | None = None,
    year: int = 2015,
) -> File:
    ssn, name, born = person
    return files.create_file(
        session,
        ADMIN,
        files.FileIn(
            office_id=office.id,
            series_id=series(session).id,
            code=code,
            title="Hồ sơ hưởng trợ cấp một lần",
            end_date=date(year, 12, 31),
            box_id=box.id if box is not None else None,
            ssn=ssn,
            full_name=name,
            birth_date=born,
        ),
    )


def build_world(session: Session) -> World:
    main = make_office(session)
    district = make_office(session, "01", "BHXH huyện Duy Tiên")
    make_layout(session, main, shelves=(1, 1), tiers=1, boxes_per_tier=2)
    boxes = list(session.scalars(select(Box).order_by(Box.number)))
    made = [
        add_file(session, main, "HS-1", LAN, box=boxes[0], year=2015),
        add_file(session, main, "HS-2", LAN, box=boxes[0], year=2016),
        add_file(session, district, "HS-3", LAN, year=2017),
        add_file(session, main, "HS-4", LAN_FOLDED_TWIN, box=boxes[1], year=2015),
        add_file(session, district, "HS-5", LAN_FOLDED_TWIN, year=2018),
        add_file(session, main, "HS-6", BINH, box=boxes[1], year=2015),
        add_file(session, district, "HS-7", BINH, year=2015),
    ]
    return World(main, district, boxes, {f.code: f.id for f in made})

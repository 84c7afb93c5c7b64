"""A small archive for page and browser tests: two offices, a layout each, users, a few files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import Box, File, User, UserRole
from archive.services import files
from archive.services.files import FileIn
from tests.factories import ADMIN, make_layout, make_office, series

PASSWORD = "mat-khau-rat-dai-2024"
TITLES = [
    "Hồ sơ hưởng BHXH một lần — Nguyễn Thị Mai Lan",
    "Công văn về rà soát sổ BHXH năm 2019",
    "Danh sách giải quyết chế độ ốm đau quý IV/2020",
]


@dataclass(frozen=True)
class Seeded:
    office_id: int
    other_office_id: int
    box_ids: list[int]  # boxes of the province office, by number (1…8)
    other_box_id: int  # a box of the district office
    file_ids: list[int]  # the files of box 1, in order
    barcodes: dict[int, str]  # box id -> barcode


def _box_ids(session: Session, office_id: int) -> list[int]:
    return list(
        session.scalars(select(Box.id).where(Box.office_id == office_id).order_by(Box.number))
    )


@cache
def _password_hash() -> str:
    """Hashed once per process: argon2 is slow on purpose, and every test seeds three users."""
    return PasswordHasher().hash(PASSWORD)


def _user(
    session: Session, username: str, office_id: int, *roles: str, all_offices: bool = False
) -> None:
    user = User(
        username=username,
        full_name=f"Người dùng {username}",
        password_hash=_password_hash(),
        office_id=office_id,
        all_offices=all_offices,
    )
    session.add(user)
    session.flush()
    session.add_all(UserRole(user_id=user.id, role=role) for role in roles)


def seed(session: Session) -> Seeded:
    """Offices 00 and 01, store 1 in each, users lan.nt (archivist, 00), admin, thanh.tt (inspector)."""
    province = make_office(session)
    district = make_office(session, "01", "BHXH huyện Duy Tiên")
    make_layout(session, province, shelves=(1, 2), tiers=2, boxes_per_tier=2)
    make_layout(session, district, shelves=(1, 1), tiers=1, boxes_per_tier=2)
    boxes = _box_ids(session, province.id)
    other = _box_ids(session, district.id)
    file_ids = []
    for n, title in enumerate(TITLES, start=1):
        benefit = n == 1
        data = FileIn(
            office_id=province.id,
            series_id=series(session, "HUONG_MOT_LAN" if benefit else "HANH_CHINH").id,
            code=f"HS-2019-{n:03d}",
            title=title,
            start_date=date(2019, n, 2),
            end_date=date(2019, n + 2, 20),
            sheet_count=10 * n,
            box_id=boxes[0],
            ssn="4803004239" if benefit else None,
            full_name="Nguyễn Thị Mai Lan" if benefit else "",
            birth_date=date(1980, 5, 17) if benefit else None,
        )
        file_ids.append(files.create_file(session, ADMIN, data).id)
    files.create_file(
        session,
        ADMIN,
        FileIn(
            office_id=district.id,
            series_id=series(session, "HANH_CHINH").id,
            code="DT-2020-001",
            title="Hồ sơ của BHXH huyện Duy Tiên",
            box_id=other[0],
        ),
    )
    _user(session, "lan.nt", province.id, "archivist")
    _user(session, "admin", province.id, "administrator", all_offices=True)
    _user(session, "thanh.tt", province.id, "inspector")
    barcodes = {b.id: b.barcode for b in session.scalars(select(Box))}
    return Seeded(province.id, district.id, boxes, other[0], file_ids, barcodes)


def file_count(session: Session) -> int:
    return len(session.scalars(select(File.id)).all())

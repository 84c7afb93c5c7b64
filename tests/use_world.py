"""A small world for the use of records (issue 5): two offices, boxed files, and real users with
real roles — a borrower, a second borrower, an approver, an archivist at each office."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import Box, File, Office, UsePurpose, User
from archive.permissions import Actor
from archive.services import accounts
from archive.services.accounts import UserIn
from archive.services.files import FileIn, create_file
from tests.factories import ADMIN, make_layout, make_office, series

PASSWORD = "mật-khẩu-dài-đủ"
# A Monday with no holiday in the following three weeks (in the seeded calendar).
MONDAY = date(2026, 3, 2)


@dataclass(frozen=True)
class UseWorld:
    office: Office
    district: Office
    files: list[File]
    district_files: list[File]
    borrower: User
    other_borrower: User
    approver: User
    archivist: User
    district_archivist: User
    district_staff: User
    purpose: UsePurpose

    def actor(self, session: Session, user: User) -> Actor:
        return accounts.actor_for(session, user)


def make_user(
    session: Session,
    username: str,
    office: Office,
    roles: tuple[str, ...],
    *,
    full_name: str = "",
    department: str = "",
) -> User:
    return accounts.create_user(
        session,
        ADMIN,
        UserIn(
            username=username,
            full_name=full_name or username,
            password=PASSWORD,
            office_id=office.id,
            roles=roles,
            department=department,
        ),
    )


def purpose(session: Session, code: str = "GIAI_QUYET_CHE_DO") -> UsePurpose:
    return session.execute(select(UsePurpose).where(UsePurpose.code == code)).scalar_one()


def _files(session: Session, office: Office, prefix: str, count: int) -> list[File]:
    make_layout(session, office, shelves=(1, 1), tiers=1, boxes_per_tier=2)
    box = session.scalars(select(Box).where(Box.office_id == office.id).order_by(Box.id)).first()
    assert box is not None
    return [
        create_file(
            session,
            ADMIN,
            FileIn(
                office_id=office.id,
                series_id=series(session, "HUONG_MOT_LAN").id,
                code=f"{prefix}-{n:03d}",
                title=f"Hồ sơ hưởng BHXH một lần – Nguyễn Văn {chr(65 + n)}",
                sheet_count=10 + n,
                box_id=box.id,
                ssn=f"48000{office.code}{n:03d}",
                full_name=f"Nguyễn Văn {chr(65 + n)}",
            ),
        )
        for n in range(1, count + 1)
    ]


def make_use_world(session: Session, *, files: int = 6) -> UseWorld:
    office = make_office(session, "00", "BHXH tỉnh Long An")
    district = make_office(session, "03", "BHXH huyện Bến Lức")
    world = UseWorld(
        office=office,
        district=district,
        files=_files(session, office, "HS", files),
        district_files=_files(session, district, "BL", 2),
        borrower=make_user(
            session,
            "lan",
            office,
            ("staff",),
            full_name="Nguyễn Thị Lan",
            department="Phòng Chế độ BHXH",
        ),
        other_borrower=make_user(
            session, "binh", office, ("staff",), full_name="Trần Văn Bình", department="Phòng Thu"
        ),
        approver=make_user(session, "giamdoc", office, ("approver",), full_name="Lê Văn Giám"),
        archivist=make_user(session, "luutru", office, ("archivist",), full_name="Phạm Thị Hoa"),
        district_archivist=make_user(
            session, "luutru03", district, ("archivist",), full_name="Võ Thị Mai"
        ),
        district_staff=make_user(
            session,
            "cuong03",
            district,
            ("staff",),
            full_name="Đỗ Văn Cường",
            department="Bộ phận Chế độ",
        ),
        purpose=purpose(session),
    )
    session.flush()
    return world


def restricted_file(session: Session, world: UseWorld, code: str = "KT-001") -> File:
    """A file of a series marked restricted (accounting vouchers, here)."""
    vouchers = series(session, "KE_TOAN")
    vouchers.restricted = True
    return create_file(
        session,
        ADMIN,
        FileIn(
            office_id=world.office.id,
            series_id=vouchers.id,
            code=code,
            title="Chứng từ kế toán quý I/2019",
            sheet_count=40,
            box_id=world.files[0].box_id,
        ),
    )

"""Demo use of records: staff who borrow, approve and work the desk, and a few weeks of loans —
returned, out, overdue, waiting for approval — so the run command's demo shows the loans desk,
the inbox, the overdue list and the usage register with something in them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from random import Random

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import Department, File, Loan, Office, User
from archive.permissions import Actor
from archive.services import accounts, loan_desk, loans, overdue
from archive.services.accounts import UserIn
from archive.services.loans import LoanRequest
from archive.services.use_purposes import list_purposes

DEPARTMENT = "Phòng Chế độ BHXH"
# username, full name, role, department
PEOPLE = (
    ("lan", "Nguyễn Thị Lan", "staff", DEPARTMENT),
    ("binh", "Trần Văn Bình", "staff", "Phòng Thu"),
    ("giam", "Lê Văn Giám", "approver", "Ban Giám đốc"),
    ("hoa", "Phạm Thị Hoa", "archivist", "Bộ phận Tiếp nhận và Trả kết quả"),
)
HEADS = {
    DEPARTMENT: ("Hoàng Văn Trưởng", "Trưởng phòng Chế độ BHXH"),
    "Phòng Thu": ("Đỗ Thị Thu", "Trưởng phòng Thu"),
}


@dataclass(frozen=True)
class DemoUse:
    password: str
    usernames: tuple[str, ...]
    loans: int
    overdue: int


def _people(session: Session, actor: Actor, office: Office, password: str) -> dict[str, User]:
    made = {}
    for username, name, role, department in PEOPLE:
        made[username] = accounts.create_user(
            session,
            actor,
            UserIn(
                username=username,
                full_name=name,
                password=password,
                office_id=office.id,
                roles=(role,),
                department=department,
            ),
        )
    for department, (head, position) in HEADS.items():
        session.add(
            Department(office_id=office.id, name=department, head_name=head, head_position=position)
        )
    session.flush()
    return made


def take_in_demo_use(session: Session, actor: Actor, *, seed: int, today: date) -> DemoUse | None:
    """Demo staff and loans at the provincial office; None if demo staff exist already."""
    if session.scalar(select(User.id).where(User.username == PEOPLE[0][0])) is not None:
        return None
    office = session.scalars(select(Office).where(Office.code == "00")).one()
    files = list(
        session.scalars(
            select(File)
            .where(File.office_id == office.id, File.status == "active", File.box_id.is_not(None))
            .order_by(File.id)
            .limit(40)
        )
    )
    if len(files) < 12:
        return None
    password = secrets.token_urlsafe(9)
    people = _people(session, actor, office, password)
    rng = Random(f"demo:{seed}:use")
    rng.shuffle(files)
    purposes = list_purposes(session)
    approver = accounts.actor_for(session, people["giam"])
    desk = accounts.actor_for(session, people["hoa"])
    made: list[Loan] = []
    # (borrower, files, days ago handed out or None, returned after N days or None)
    plan = [
        ("lan", 2, 40, 9),
        ("binh", 1, 33, 12),
        ("lan", 1, 30, None),  # overdue, level 2
        ("binh", 2, 17, None),  # overdue, level 1
        ("lan", 1, 3, None),  # out, not due
        ("binh", 1, None, None),  # approved, waiting at the desk
        ("lan", 2, "requested", None),  # waiting for the approver
    ]
    for n, (who, count, ago, back_after) in enumerate(plan):
        chosen = [files.pop() for _ in range(count)]
        borrower = accounts.actor_for(session, people[who])
        loan = loans.request_loan(
            session,
            borrower,
            LoanRequest(
                file_ids=tuple(f.id for f in chosen),
                purpose_id=purposes[n % 3].id,
                note="Hồ sơ cần đối chiếu khi giải quyết chế độ" if n % 2 == 0 else "",
            ),
        )
        made.append(loan)
        if ago == "requested":
            continue
        loans.decide_loan(session, approver, loan_id=loan.id, approve=True)
        if ago is None:
            continue
        assert isinstance(ago, int)
        out_day = today - timedelta(days=ago)
        loan_desk.hand_out(
            session, desk, loan_id=loan.id, file_ids=[f.id for f in chosen], today=out_day
        )
        loan.handed_out_at = datetime.combine(out_day, time(2, 30), UTC)
        if back_after is not None:
            loan_desk.return_files(
                session, desk, lines=[loan_desk.ReturnLine(f.barcode) for f in chosen]
            )
            loan.returned_at = datetime.combine(out_day + timedelta(days=back_after), time(8), UTC)
        session.flush()
    run = overdue.mark_overdue(session, actor, today=today)
    return DemoUse(
        password=password,
        usernames=tuple(p[0] for p in PEOPLE),
        loans=len(made),
        overdue=run.raised,
    )

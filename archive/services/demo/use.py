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

from archive.models import PASSBOOK_STAGES, Department, File, Loan, Office, User
from archive.permissions import Actor
from archive.services import (
    accounts,
    copies,
    custody,
    loan_desk,
    loans,
    lookups,
    overdue,
    passbooks,
    reading_desk,
    reading_room,
)
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


def _other_uses(
    session: Session,
    desk: Actor,
    approver: Actor,
    office: Office,
    files: list[File],
    purpose_id: int,
    today: date,
) -> None:
    """A reading-room visit today with a file out, a lookup, a citizen's copy request."""
    visit = reading_room.register_visit(
        session,
        desk,
        reading_room.VisitIn(
            visitor_name="Trần Thị Thanh Hương",
            organisation="Thanh tra tỉnh",
            id_paper_kind="citizen_id",
            id_paper_number="080185001234",
            purpose_id=purpose_id,
            file_ids=(files[0].id, files[1].id),
        ),
        today=today,
    )
    reading_desk.serve_files(session, desk, visit_id=visit.id, file_ids=(files[0].id,), today=today)
    lookups.record_lookup(
        session,
        desk,
        lookups.LookupIn(
            asker_name="Võ Văn Hỏi",
            organisation="Công ty TNHH May Long An",
            channel="phone",
            purpose_id=purpose_id,
            question=f"Hồ sơ {files[2].code} còn lưu tại kho không?",
            answer="Còn lưu, hẹn đến đọc tại phòng đọc",
            file_id=files[2].id,
        ),
    )
    request = copies.request_copies(
        session,
        desk,
        copies.CopyIn(
            kind="photocopy",
            requester_kind="citizen",
            purpose_id=purpose_id,
            items=(copies.CopyItemIn(file_id=files[3].id, pages="1-2"),),
            requester_name="Phạm Văn Dân",
            id_paper_kind="citizen_id",
            id_paper_number="080190004321",
        ),
    )
    copies.decide_copies(session, approver, copy_id=request.id, approve=True)


def _passbooks(session: Session, desk: Actor, office: Office, today: date) -> None:
    """Passbooks of the demo's passbook-review files through the first review stages, and one on
    its way to the post office."""
    numbers = [
        number
        for number in session.scalars(
            select(File.passbook_number)
            .where(File.office_id == office.id, File.passbook_number.is_not(None))
            .order_by(File.id)
            .limit(6)
        )
        if number is not None
    ]
    received = datetime.combine(today - timedelta(days=20), time(2), UTC)
    for number in numbers:
        passbooks.register(
            session,
            desk,
            passbooks.PassbookIn(office_id=office.id, number=number, received_at=received),
        )
    for depth, stage in enumerate(PASSBOOK_STAGES[1:4], start=1):
        at = received + timedelta(days=3 * depth)
        passbooks.advance_stage(session, desk, numbers=numbers[: 6 - depth], stage=stage, at=at)
    if numbers:
        custody.send(
            session,
            desk,
            custody.TransferIn(
                office_id=office.id,
                from_kind="archive",
                to_kind="post_office",
                to_name="Bưu điện tỉnh Long An",
                to_person="Nguyễn Văn Bưu",
                passbook_numbers=(numbers[0],),
            ),
        )


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
    _other_uses(session, desk, approver, office, files, purposes[0].id, today)
    _passbooks(session, desk, office, today)
    return DemoUse(
        password=password,
        usernames=tuple(p[0] for p in PEOPLE),
        loans=len(made),
        overdue=run.raised,
    )

"""Loans: request, approval by another person, hand-out with out-cards, return with checks,
renewals, loans between offices, overdue levels and notices; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.errors import Conflict, Forbidden, Invalid, NotFound
from archive.models import AuditEvent, Box, Department, Loan, OutCard, SearchOutbox
from archive.services import loan_desk, loans, notices, overdue, workdays
from archive.services.files import move_file
from archive.services.loan_desk import ReturnLine
from archive.services.loans import LoanRequest
from tests.factories import ADMIN
from tests.use_world import MONDAY, UseWorld, make_use_world


@pytest.fixture
def world(session: Session) -> UseWorld:
    return make_use_world(session)


def _approved(session: Session, world: UseWorld, file_idx: tuple[int, ...] = (0, 1)) -> Loan:
    borrower = world.actor(session, world.borrower)
    loan = loans.request_loan(
        session,
        borrower,
        LoanRequest(
            file_ids=tuple(world.files[i].id for i in file_idx), purpose_id=world.purpose.id
        ),
    )
    return loans.decide_loan(
        session, world.actor(session, world.approver), loan_id=loan.id, approve=True
    )


def _actions(session: Session, loan: Loan) -> list[str]:
    return list(
        session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == "loan", AuditEvent.object_id == loan.id)
            .order_by(AuditEvent.id)
        )
    )


def test_a_loan_goes_from_request_to_return_and_every_step_is_audited(
    session: Session, world: UseWorld
) -> None:
    loan = _approved(session, world)
    desk = world.actor(session, world.archivist)
    assert loan.status == "approved" and loan.number.startswith("M00")

    loan = loan_desk.desk_hand_out(
        session,
        desk,
        card=world.borrower.card_code or "",
        scanned=[world.files[0].barcode, world.files[1].barcode.lower()],
        today=MONDAY,
    )
    assert loan.status == "out"
    # 10 working days from Monday 2 March 2026: Monday 16 March.
    assert loan.due_date == date(2026, 3, 16)
    card = session.get(OutCard, world.files[0].id)
    assert card is not None and card.holder == "Nguyễn Thị Lan, Phòng Chế độ BHXH"
    assert card.until == date(2026, 3, 16)
    assert world.files[0].status == "on_loan"

    loans_back = loan_desk.return_files(
        session,
        desk,
        lines=[
            ReturnLine(world.files[0].barcode, sheets=world.files[0].sheet_count),
            ReturnLine(world.files[1].barcode, sheets=world.files[1].sheet_count - 2),
        ],
    )
    assert [x.status for x in loans_back] == ["returned"]
    assert session.get(OutCard, world.files[0].id) is None
    assert world.files[0].status == "active"
    short = next(i for i in loan.items if i.file_id == world.files[1].id)
    assert short.discrepancy == f"sheets {short.sheets_out} → {short.sheets_out - 2}"
    assert _actions(session, loan) == [
        "loan.requested",
        "loan.approved",
        "loan.handed_out",
        "loan.returned",
    ]


def test_nobody_approves_their_own_loan(session: Session, world: UseWorld) -> None:
    approver = world.actor(session, world.approver)
    own = loans.request_loan(
        session, approver, LoanRequest(file_ids=(world.files[0].id,), purpose_id=world.purpose.id)
    )
    with pytest.raises(Forbidden) as err:
        loans.decide_loan(session, approver, loan_id=own.id, approve=True)
    assert err.value.code == "loan.self_approval"
    staff = world.actor(session, world.borrower)
    with pytest.raises(Forbidden):
        loans.decide_loan(session, staff, loan_id=own.id, approve=True)


def test_a_refusal_needs_a_reason_and_tells_the_borrower(session: Session, world: UseWorld) -> None:
    borrower = world.actor(session, world.borrower)
    loan = loans.request_loan(
        session, borrower, LoanRequest(file_ids=(world.files[0].id,), purpose_id=world.purpose.id)
    )
    approver = world.actor(session, world.approver)
    assert [n.kind for n in notices.inbox(session, approver)] == ["loan.requested"]
    with pytest.raises(Invalid):
        loans.decide_loan(session, approver, loan_id=loan.id, approve=False)
    loans.decide_loan(session, approver, loan_id=loan.id, approve=False, reason="Hồ sơ mật")
    [notice] = notices.inbox(session, borrower)
    assert notice.kind == "loan.decided" and notice.params["reason"] == "Hồ sơ mật"
    with pytest.raises(Conflict):
        loans.decide_loan(session, approver, loan_id=loan.id, approve=True)


def test_a_file_cannot_be_out_in_two_loans(session: Session, world: UseWorld) -> None:
    first = _approved(session, world, (0,))
    second = _approved(session, world, (0, 2))
    desk = world.actor(session, world.archivist)
    loan_desk.hand_out(session, desk, loan_id=first.id, file_ids=[world.files[0].id], today=MONDAY)
    with pytest.raises(Conflict) as err:
        loan_desk.hand_out(
            session,
            desk,
            loan_id=second.id,
            file_ids=[world.files[0].id, world.files[2].id],
            today=MONDAY,
        )
    assert err.value.code == "file.already_out"
    assert err.value.params["holder"].startswith("Nguyễn Thị Lan")


def test_a_file_on_loan_cannot_move_to_another_box(session: Session, world: UseWorld) -> None:
    loan = _approved(session, world, (0,))
    loan_desk.hand_out(
        session,
        world.actor(session, world.archivist),
        loan_id=loan.id,
        file_ids=[world.files[0].id],
        today=MONDAY,
    )
    other_box = session.scalars(
        select(Box.id).where(Box.office_id == world.office.id).order_by(Box.id.desc())
    ).first()
    assert other_box is not None
    with pytest.raises(Conflict):
        move_file(session, ADMIN, file_id=world.files[0].id, box_id=other_box)


def _marked(session: Session) -> list[int]:
    """The files marked for the index writer, oldest mark first (status is a search filter)."""
    return list(session.scalars(select(SearchOutbox.file_id).order_by(SearchOutbox.id)))


def test_hand_out_and_return_mark_only_the_files_that_changed_status(
    session: Session, world: UseWorld
) -> None:
    loan = _approved(session, world, (0, 1))
    desk = world.actor(session, world.archivist)
    session.execute(SearchOutbox.__table__.delete())
    loan_desk.hand_out(session, desk, loan_id=loan.id, file_ids=[world.files[0].id], today=MONDAY)
    assert _marked(session) == [world.files[0].id]  # files[1] was not served: unchanged
    loan_desk.return_files(session, desk, lines=[ReturnLine(world.files[0].barcode)])
    assert _marked(session) == [world.files[0].id, world.files[0].id]


def test_files_not_handed_out_are_not_served_and_a_partial_return_keeps_the_loan_out(
    session: Session, world: UseWorld
) -> None:
    loan = _approved(session, world, (0, 1, 2))
    desk = world.actor(session, world.archivist)
    loan_desk.hand_out(
        session,
        desk,
        loan_id=loan.id,
        file_ids=[world.files[0].id, world.files[1].id],
        today=MONDAY,
    )
    assert {i.file_id: i.status for i in loan.items}[world.files[2].id] == "not_served"
    loan_desk.return_files(session, desk, lines=[ReturnLine(world.files[0].barcode)])
    assert loan.status == "out"
    assert _actions(session, loan)[-1] == "loan.partly_returned"
    loan_desk.return_files(session, desk, lines=[ReturnLine(world.files[1].barcode)])
    assert loan.status == "returned"


def test_the_desk_needs_an_approved_loan_for_the_scanned_files(
    session: Session, world: UseWorld
) -> None:
    borrower = world.actor(session, world.borrower)
    loans.request_loan(
        session, borrower, LoanRequest(file_ids=(world.files[0].id,), purpose_id=world.purpose.id)
    )
    desk = world.actor(session, world.archivist)
    with pytest.raises(NotFound) as err:
        loan_desk.desk_hand_out(
            session, desk, card="lan", scanned=[world.files[0].barcode], today=MONDAY
        )
    assert err.value.code == "desk.no_approved_loan"
    with pytest.raises(NotFound):
        loan_desk.desk_hand_out(session, desk, card="U99", scanned=["x"], today=MONDAY)


def test_a_loan_to_another_office_is_sent_then_received_there(
    session: Session, world: UseWorld
) -> None:
    desk = world.actor(session, world.archivist)
    loan = loans.request_loan(
        session,
        desk,
        LoanRequest(
            file_ids=(world.files[3].id,),
            purpose_id=world.purpose.id,
            borrower_id=world.district_staff.id,
        ),
    )
    assert loan.to_office_id == world.district.id
    loans.decide_loan(session, world.actor(session, world.approver), loan_id=loan.id, approve=True)
    loan_desk.hand_out(session, desk, loan_id=loan.id, file_ids=[world.files[3].id], today=MONDAY)
    assert loan.status == "sent"
    with pytest.raises(Forbidden):  # the lending office cannot sign for the receiving one
        loan_desk.receive_loan(
            session, world.actor(session, world.borrower), loan_id=loan.id, received_by="x"
        )
    loan_desk.receive_loan(session, world.actor(session, world.district_archivist), loan_id=loan.id)
    assert loan.status == "out" and loan.received_by_name == "luutru03"


def test_renewals_follow_the_purpose_limit_and_skip_holidays(
    session: Session, world: UseWorld
) -> None:
    loan = _approved(session, world, (0,))
    desk = world.actor(session, world.archivist)
    loan_desk.hand_out(session, desk, loan_id=loan.id, file_ids=[world.files[0].id], today=MONDAY)
    workdays.add_holiday(session, ADMIN, day=date(2026, 3, 17), name="Nghỉ bù")
    borrower = world.actor(session, world.borrower)
    loans.renew_loan(session, borrower, loan_id=loan.id, today=MONDAY)
    # 5 working days after Monday 16 March, Tuesday 17 March a holiday: Tuesday 24 March.
    assert loan.due_date == date(2026, 3, 24) and loan.renewals == 1
    with pytest.raises(Conflict) as err:
        loans.renew_loan(session, borrower, loan_id=loan.id, today=MONDAY)
    assert err.value.code == "loan.renewal_limit"
    with pytest.raises(Forbidden):  # another borrower cannot renew it
        loans.renew_loan(
            session, world.actor(session, world.other_borrower), loan_id=loan.id, today=MONDAY
        )


def test_overdue_levels_rise_once_and_notify_borrower_and_desk(
    session: Session, world: UseWorld
) -> None:
    loan = _approved(session, world, (0,))
    desk = world.actor(session, world.archivist)
    loan_desk.hand_out(session, desk, loan_id=loan.id, file_ids=[world.files[0].id], today=MONDAY)
    assert loan.due_date == date(2026, 3, 16)

    assert overdue.mark_overdue(session, ADMIN, today=date(2026, 3, 16)).raised == 0
    first = overdue.mark_overdue(session, ADMIN, today=date(2026, 3, 17))
    assert (first.raised, loan.overdue_level) == (1, 1)
    assert overdue.mark_overdue(session, ADMIN, today=date(2026, 3, 17)).raised == 0
    overdue.mark_overdue(session, ADMIN, today=date(2026, 3, 23))  # 5 working days late
    assert loan.overdue_level == 2
    overdue.mark_overdue(session, ADMIN, today=date(2026, 4, 7))  # 16 working days (30/4 later)
    assert loan.overdue_level == 3 and loan.overdue_since == date(2026, 3, 17)

    inbox = notices.inbox(session, world.actor(session, world.borrower))
    levels = [n.level for n in inbox if n.kind == "loan.overdue"]
    assert sorted(levels) == [1, 2, 3]
    assert len(notices.inbox(session, desk)) == 3
    [line] = overdue.overdue_loans(session, desk, today=date(2026, 4, 7))
    assert (line.number, line.days_late, line.file_codes) == (loan.number, 16, ("HS-001",))


def test_reminders_from_level_two_go_to_the_department_head(
    session: Session, world: UseWorld
) -> None:
    loan = _approved(session, world, (0,))
    desk = world.actor(session, world.archivist)
    loan_desk.hand_out(session, desk, loan_id=loan.id, file_ids=[world.files[0].id], today=MONDAY)
    session.add(
        Department(
            office_id=world.office.id,
            name="Phòng Chế độ BHXH",
            head_name="Hoàng Văn Trưởng",
            head_position="Trưởng phòng Chế độ BHXH",
        )
    )
    session.flush()
    with pytest.raises(Conflict):
        overdue.reminder_loan(session, desk, loan_id=loan.id, level=1)
    overdue.mark_overdue(session, ADMIN, today=MONDAY + timedelta(days=30))
    assert overdue.reminder_addressee(session, loan, 1).name == "Nguyễn Thị Lan"
    assert overdue.reminder_addressee(session, loan, 2).name == "Hoàng Văn Trưởng"
    assert overdue.reminder_addressee(session, loan, 3).position == "Trưởng phòng Chế độ BHXH"


def test_borrowers_see_only_their_own_loans(session: Session, world: UseWorld) -> None:
    mine = _approved(session, world, (0,))
    other = world.actor(session, world.other_borrower)
    with pytest.raises(Forbidden):
        loans.get_loan(session, other, mine.id)
    assert loans.list_loans(session, other, loans.LoanFilter()) == ([], 0)
    listed, total = loans.list_loans(
        session, world.actor(session, world.archivist), loans.LoanFilter()
    )
    assert total == 1 and listed[0].id == mine.id

"""The usage register: every use of a month (loans, visits, lookups, copies) and nothing else,
by local date at the month's edges; printed, it reads back line for line."""

from __future__ import annotations

import subprocess
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from archive.errors import Forbidden, Invalid
from archive.models import CopyItem, CopyRequest, Loan, Lookup, ReadingVisit, VisitItem
from archive.services import loan_desk, loans
from archive.services.loans import LoanRequest
from archive.services.usage_register import usage_register
from archive.services.usage_register_pdf import register_pdf
from archive.services.use_reports import use_report
from tests.factories import ADMIN
from tests.use_world import MONDAY, UseWorld, make_use_world

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
# Hanoi is UTC+7: 16:30 UTC on 31 March is 23:30 local, still March; 17:10 UTC is 1 April.
LAST_MARCH_EVENING = datetime(2026, 3, 31, 16, 30, tzinfo=UTC)
FIRST_APRIL_NIGHT = datetime(2026, 3, 31, 17, 10, tzinfo=UTC)
END_OF_FEBRUARY = datetime(2026, 2, 28, 16, 59, tzinfo=UTC)


@pytest.fixture
def world(session: Session) -> UseWorld:
    return make_use_world(session)


def _loan_out_at(session: Session, world: UseWorld, file_index: int, at: datetime) -> Loan:
    loan = loans.request_loan(
        session,
        world.actor(session, world.borrower),
        LoanRequest(file_ids=(world.files[file_index].id,), purpose_id=world.purpose.id),
    )
    loans.decide_loan(session, world.actor(session, world.approver), loan_id=loan.id, approve=True)
    loan_desk.hand_out(
        session,
        world.actor(session, world.archivist),
        loan_id=loan.id,
        file_ids=[world.files[file_index].id],
        today=MONDAY,
    )
    loan.handed_out_at = at  # as if handed out then
    session.flush()
    return loan


def _other_uses(session: Session, world: UseWorld) -> None:
    office = world.office.id
    clerk = world.archivist.id
    visit = ReadingVisit(
        number="R0000000001",
        office_id=office,
        visitor_name="Trần Thị Thanh Tra",
        organisation="Thanh tra tỉnh Long An",
        id_paper_kind="citizen_id",
        id_paper_number="080123456789",
        purpose_id=world.purpose.id,
        visit_date=date(2026, 3, 10),
        status="closed",
        registered_by_id=clerk,
    )
    april_visit = ReadingVisit(
        number="R0000000002",
        office_id=office,
        visitor_name="Ngoài kỳ",
        id_paper_kind="citizen_id",
        id_paper_number="080123456780",
        purpose_id=world.purpose.id,
        visit_date=date(2026, 4, 1),
        status="closed",
        registered_by_id=clerk,
    )
    session.add_all([visit, april_visit])
    session.flush()
    session.add(VisitItem(visit_id=visit.id, file_id=world.files[2].id, status="returned"))
    session.add_all(
        [
            Lookup(
                office_id=office,
                asked_at=datetime(2026, 3, 5, 2, 0, tzinfo=UTC),
                asker_name="Lê Văn Hỏi",
                channel="phone",
                purpose_id=world.purpose.id,
                question="Hồ sơ HS-004 còn lưu không?",
                answer="Còn lưu tại Kho 1",
                file_id=world.files[3].id,
                answered_by_id=clerk,
            ),
            Lookup(
                office_id=office,
                asked_at=END_OF_FEBRUARY,
                asker_name="Tháng trước",
                channel="phone",
                purpose_id=world.purpose.id,
                question="?",
                answered_by_id=clerk,
            ),
        ]
    )
    copy = CopyRequest(
        number="C0000000001",
        office_id=office,
        kind="certified",
        requester_kind="citizen",
        requester_name="Phạm Văn Dân",
        id_paper_kind="citizen_id",
        id_paper_number="080111222333",
        purpose_id=world.purpose.id,
        status="delivered",
        registered_by_id=clerk,
        requested_at=datetime(2026, 3, 20, 3, 0, tzinfo=UTC),
        delivered_at=datetime(2026, 3, 21, 3, 0, tzinfo=UTC),
        fee_dong=16_000,
    )
    session.add(copy)
    session.flush()
    session.add(CopyItem(request_id=copy.id, file_id=world.files[4].id, pages="1-3", page_count=3))
    session.flush()


def test_the_register_of_a_month_lists_every_use_of_the_month_and_nothing_else(
    session: Session, world: UseWorld
) -> None:
    march = _loan_out_at(session, world, 0, LAST_MARCH_EVENING)
    _loan_out_at(session, world, 1, FIRST_APRIL_NIGHT)
    _other_uses(session, world)

    register = usage_register(
        session, ADMIN, office_id=world.office.id, first=MARCH[0], last=MARCH[1]
    )
    assert [(u.used_on, u.kind, u.user_name) for u in register.uses] == [
        (date(2026, 3, 5), "lookup", "Lê Văn Hỏi"),
        (date(2026, 3, 10), "reading", "Trần Thị Thanh Tra"),
        (date(2026, 3, 20), "copy", "Phạm Văn Dân"),
        (date(2026, 3, 31), "loan", "Nguyễn Thị Lan"),
    ]
    loan_use = register.uses[-1]
    assert loan_use.reference == march.number and loan_use.file_codes == ("HS-001",)
    assert loan_use.result == "Đang mượn, hạn 16/03/2026" and loan_use.served_by == "Phạm Thị Hoa"
    assert register.uses[2].result == "Đã cấp 3 trang bản sao chứng thực lưu trữ ngày 21/03/2026"
    assert (register.count("loan"), register.count("copy")) == (1, 1)


def test_the_printed_register_reads_back(session: Session, world: UseWorld, tmp_path: Path) -> None:
    _loan_out_at(session, world, 0, LAST_MARCH_EVENING)
    _other_uses(session, world)
    pdf = register_pdf(
        session, ADMIN, office_id=world.office.id, first=MARCH[0], last=MARCH[1], today=MARCH[1]
    )
    path = tmp_path / "so.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True
    ).stdout.decode()
    flat = " ".join(unicodedata.normalize("NFC", text).split())
    for expected in ("SỔ THEO DÕI KHAI THÁC SỬ DỤNG", "Trần Thị Thanh Tra", "Lê Văn Hỏi", "HS-001"):
        assert expected in flat
    assert "Tháng trước" not in flat and "Ngoài kỳ" not in flat


def test_the_register_is_refused_outside_scope_and_for_a_reversed_period(
    session: Session, world: UseWorld
) -> None:
    with pytest.raises(Forbidden):
        usage_register(
            session,
            world.actor(session, world.district_archivist),
            office_id=world.office.id,
            first=MARCH[0],
            last=MARCH[1],
        )
    with pytest.raises(Invalid):
        usage_register(session, ADMIN, office_id=world.office.id, first=MARCH[1], last=MARCH[0])


def test_the_use_report_counts_per_purpose_and_measures_loans(
    session: Session, world: UseWorld
) -> None:
    returned = _loan_out_at(session, world, 0, datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    loan_desk.return_files(
        session,
        world.actor(session, world.archivist),
        lines=[loan_desk.ReturnLine(world.files[0].barcode)],
    )
    returned.returned_at = datetime(2026, 3, 12, 2, 0, tzinfo=UTC)
    still_out = _loan_out_at(session, world, 1, datetime(2026, 3, 3, 2, 0, tzinfo=UTC))
    _other_uses(session, world)
    session.flush()

    report = use_report(session, ADMIN, first=MARCH[0], last=MARCH[1], today=date(2026, 4, 2))
    [row] = report.rows
    assert (row.office_code, row.purpose) == ("00", "Giải quyết chế độ BHXH")
    assert (row.loans, row.visits, row.lookups, row.copies) == (2, 1, 1, 1)
    assert report.average_loan_days == 10.0 and report.loans_returned == 1
    assert (report.longest_loan_days, report.longest_loan_number) == (30, still_out.number)
    assert report.overdue_now == 1  # still out, due 16 March

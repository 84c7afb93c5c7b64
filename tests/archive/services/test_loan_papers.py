"""The papers of a loan printed from the register (slip, out-cards, reminders), read back with
pdftotext; on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy.orm import Session

from archive.errors import ArchiveError, Conflict, Forbidden, Invalid
from archive.models import Department, Loan
from archive.permissions import Actor
from archive.services import loan_desk, loan_papers, loans, overdue
from archive.services.loan_desk import ReturnLine
from archive.services.loans import LoanRequest
from archive.services.paper_issuer import issuer_for
from tests.use_world import MONDAY, UseWorld, make_use_world

SYSTEM = Actor.system("overdue-test")
# Three weeks after MONDAY's hand-out: the loan (due 16/03/2026) is 15 working days late.
LATE = date(2026, 4, 6)


@pytest.fixture
def world(session: Session) -> UseWorld:
    world = make_use_world(session)
    world.office.place = "Long An"
    session.flush()
    return world


def text_of(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True
    )
    return " ".join(unicodedata.normalize("NFC", done.stdout.decode()).split())


def _approved(session: Session, world: UseWorld, *file_idx: int) -> Loan:
    loan = loans.request_loan(
        session,
        world.actor(session, world.borrower),
        LoanRequest(
            file_ids=tuple(world.files[i].id for i in file_idx),
            purpose_id=world.purpose.id,
            note="Giải quyết hưởng một lần",
        ),
    )
    return loans.decide_loan(
        session, world.actor(session, world.approver), loan_id=loan.id, approve=True
    )


def _out(session: Session, world: UseWorld, *file_idx: int) -> Loan:
    _approved(session, world, *file_idx)
    return loan_desk.desk_hand_out(
        session,
        world.actor(session, world.archivist),
        card=world.borrower.card_code or "",
        scanned=[world.files[i].barcode for i in file_idx],
        today=MONDAY,
    )


def test_loan_slip_prints_the_loan_as_registered_with_each_files_box_slot(
    session: Session, world: UseWorld, tmp_path: Path
) -> None:
    loan = _out(session, world, 0, 1)
    pdf = loan_papers.loan_slip(session, world.actor(session, world.borrower), loan.id)

    text = text_of(pdf, tmp_path)
    for expected in (
        "BẢO HIỂM XÃ HỘI VIỆT NAM",
        "BHXH TỈNH LONG AN",
        "Long An, ngày",
        "PHIẾU MƯỢN HỒ SƠ",
        f"Số: {loan.number}",
        "Người mượn: Nguyễn Thị Lan",
        "Đơn vị: Phòng Chế độ BHXH, BHXH tỉnh Long An",
        "Mục đích mượn: Giải quyết chế độ",
        "Người duyệt: Lê Văn Giám, ngày",
        "Hạn trả: 16/03/2026",
        "HS-001",
        "HS-002",
        "Kho 1 / Giá 01 / Tầng 1 / Hộp 001 / vị trí 1",
        "Tổng số: 2 hồ sơ, 23 tờ.",
        "Phạm Thị Hoa",  # the archivist who handed the files out signs as the giver
    ):
        assert expected in text, expected


def test_slip_before_hand_out_prints_the_due_date_a_hand_out_today_would_give(
    session: Session, world: UseWorld, tmp_path: Path
) -> None:
    borrower = world.actor(session, world.borrower)
    loan = loans.request_loan(
        session, borrower, LoanRequest(file_ids=(world.files[2].id,), purpose_id=world.purpose.id)
    )
    text = text_of(loan_papers.loan_slip(session, borrower, loan.id, today=MONDAY), tmp_path)
    assert "Người duyệt: Chưa phê duyệt" in text
    assert "Hạn trả: 16/03/2026" in text  # 10 working days after Monday 2 March
    assert "Ngày giao hồ sơ: ……" in text


def test_slip_is_refused_to_other_borrowers_and_for_refused_loans(
    session: Session, world: UseWorld
) -> None:
    borrower = world.actor(session, world.borrower)
    loan = loans.request_loan(
        session, borrower, LoanRequest(file_ids=(world.files[0].id,), purpose_id=world.purpose.id)
    )
    with pytest.raises(Forbidden):
        loan_papers.loan_slip(session, world.actor(session, world.other_borrower), loan.id)
    loans.decide_loan(
        session,
        world.actor(session, world.approver),
        loan_id=loan.id,
        approve=False,
        reason="Không đúng mục đích",
    )
    with pytest.raises(Conflict) as refused:
        loan_papers.loan_slip(session, borrower, loan.id)
    assert refused.value.code == "loan.status"


def test_out_cards_one_per_file_still_out_with_holder_due_date_and_slot(
    session: Session, world: UseWorld, tmp_path: Path
) -> None:
    loan = _out(session, world, 0, 1, 2)
    desk = world.actor(session, world.archivist)
    loan_desk.return_files(session, desk, lines=[ReturnLine(world.files[1].barcode)])

    pdf = loan_papers.out_cards(session, desk, loan.id)
    (tmp_path / "cards.pdf").write_bytes(pdf)
    assert len(PdfReader(tmp_path / "cards.pdf").pages) == 1  # two cards, one A4 sheet
    text = text_of(pdf, tmp_path)
    assert text.count("PHIẾU THAY THẾ HỒ SƠ") == 2
    assert "HS-001" in text and "HS-003" in text and "HS-002" not in text
    for expected in (
        "Lý do xuất: Cho mượn",
        "Vị trí: Kho 1 / Giá 01 / Tầng 1 / Hộp 001 / vị trí 3",
        "Người giữ hồ sơ: Nguyễn Thị Lan, Phòng Chế độ BHXH",
        "Thời gian: Từ ngày",
        "đến ngày 16/03/2026",
        f"Số phiếu: {loan.number}",
        world.files[0].barcode,
    ):
        assert expected in text, expected


def test_out_cards_are_for_the_desk_and_only_while_files_are_out(
    session: Session, world: UseWorld
) -> None:
    loan = _approved(session, world, 0)
    with pytest.raises(Forbidden):
        loan_papers.out_cards(session, world.actor(session, world.borrower), loan.id)
    with pytest.raises(Conflict):
        loan_papers.out_cards(session, world.actor(session, world.archivist), loan.id)
    with pytest.raises(Forbidden):  # the district desk does not keep these files
        loan_papers.out_cards(session, world.actor(session, world.district_archivist), loan.id)


def test_first_reminder_goes_to_the_borrower_with_days_late(
    session: Session, world: UseWorld, tmp_path: Path
) -> None:
    loan = _out(session, world, 0)
    overdue.mark_overdue(session, SYSTEM, today=date(2026, 3, 17))
    desk = world.actor(session, world.archivist)
    pdf = loan_papers.reminder_letter(session, desk, loan.id, 1, date(2026, 3, 17))

    text = text_of(pdf, tmp_path)
    for expected in (
        "GIẤY NHẮC TRẢ HỒ SƠ MƯỢN QUÁ HẠN",
        "(Nhắc lần 1)",
        f"Số: {loan.number}/NT1",
        "Kính gửi: Ông/Bà Nguyễn Thị Lan, Phòng Chế độ BHXH",
        f"Theo phiếu mượn số {loan.number} ngày",
        "HS-001",
        "16/03/2026",
        "trước ngày 20/03/2026",  # three working days after the letter
        "PHỤ TRÁCH LƯU TRỮ",
        "Phạm Thị Hoa",
    ):
        assert expected in text, expected


def test_higher_reminders_need_the_department_head_on_record(
    session: Session, world: UseWorld, tmp_path: Path
) -> None:
    loan = _out(session, world, 0, 1)
    overdue.mark_overdue(session, SYSTEM, today=date(2026, 3, 17))
    overdue.mark_overdue(session, SYSTEM, today=LATE)
    desk = world.actor(session, world.archivist)
    with pytest.raises(Invalid) as missing:
        loan_papers.reminder_letter(session, desk, loan.id, 2, LATE)
    assert missing.value.code == "printing.reminder_needs_department_head"

    session.add(
        Department(
            office_id=world.office.id,
            name="Phòng Chế độ BHXH",
            head_name="Trần Quốc Khánh",
            head_position="Trưởng phòng Chế độ BHXH",
        )
    )
    session.flush()
    text = text_of(loan_papers.reminder_letter(session, desk, loan.id, 3, LATE), tmp_path)
    for expected in (
        "(Nhắc lần 3 – lần cuối)",
        "Kính gửi: Ông/Bà Trần Quốc Khánh, Trưởng phòng Chế độ BHXH",
        "ông/bà Nguyễn Thị Lan (Phòng Chế độ BHXH)",
        "đã nhắc trả hồ sơ vào ngày",  # the borrower's earlier overdue notices
        "hoàn trả ngay",
        "HS-002",
    ):
        assert expected in text, expected


@pytest.mark.parametrize(
    ("who", "level", "code"),
    [
        ("borrower", 1, "auth.permission"),
        ("archivist", 2, "loan.not_overdue_at"),
        ("archivist", 4, "loan.reminder_level"),
    ],
)
def test_reminders_are_refused_before_their_level_and_to_borrowers(
    session: Session, world: UseWorld, who: str, level: int, code: str
) -> None:
    loan = _out(session, world, 0)
    overdue.mark_overdue(session, SYSTEM, today=MONDAY + timedelta(days=15))
    actor = world.actor(session, getattr(world, who))
    with pytest.raises(ArchiveError) as refused:
        loan_papers.reminder_letter(session, actor, loan.id, level, MONDAY + timedelta(days=15))
    assert refused.value.code == code


def test_papers_are_headed_by_the_governing_body_and_dated_at_the_office_place(
    session: Session, world: UseWorld
) -> None:
    district = issuer_for(session, world.district)
    assert (district.governing_body, district.place) == ("BHXH tỉnh Long An", "Bến Lức")
    province = issuer_for(session, world.office)
    assert (province.governing_body, province.place) == ("Bảo hiểm xã hội Việt Nam", "Long An")

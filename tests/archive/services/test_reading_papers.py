"""The reading-room request slip printed from the register, read back with pdftotext; on SQLite
and PostgreSQL."""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from archive.errors import Conflict, Forbidden
from archive.models import File, ReadingVisit
from archive.services import reading_desk, reading_papers, reading_room
from archive.services.reading_room import VisitIn
from tests.use_world import MONDAY, UseWorld, make_use_world, make_user, purpose, restricted_file

CCCD = "079212345123"


@pytest.fixture
def world(session: Session) -> UseWorld:
    world = make_use_world(session, files=3)
    world.office.place = "Long An"
    session.flush()
    return world


def text_of(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "slip.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True
    )
    return " ".join(unicodedata.normalize("NFC", done.stdout.decode()).split())


def _visit(session: Session, world: UseWorld, files: list[File]) -> ReadingVisit:
    return reading_room.register_visit(
        session,
        world.actor(session, world.archivist),
        VisitIn(
            visitor_name="Trần Thị Thanh Hương",
            organisation="Thanh tra Sở Lao động – Thương binh và Xã hội",
            id_paper_kind="citizen_id",
            id_paper_number=CCCD,
            purpose_id=purpose(session, "THANH_TRA").id,
            file_ids=tuple(f.id for f in files),
        ),
        today=MONDAY,
    )


def test_slip_prints_the_visit_as_registered_and_how_each_file_was_served(
    session: Session, world: UseWorld, tmp_path: Path
) -> None:
    visit = _visit(session, world, world.files[:3])
    desk = world.actor(session, world.archivist)
    reading_desk.serve_files(
        session,
        desk,
        visit_id=visit.id,
        barcodes=[world.files[0].barcode, world.files[1].barcode],
        today=MONDAY,
    )
    reading_desk.return_files(session, desk, visit_id=visit.id, barcodes=[world.files[0].barcode])

    text = text_of(reading_papers.reading_slip_pdf(session, desk, visit.id), tmp_path)

    for expected in (
        "BẢO HIỂM XÃ HỘI VIỆT NAM",
        "BHXH TỈNH LONG AN",
        f"Số: {visit.number}",
        "Long An, ngày 02 tháng 3 năm 2026",
        "PHIẾU YÊU CẦU NGHIÊN CỨU TÀI LIỆU",
        "Họ và tên người yêu cầu: Trần Thị Thanh Hương",
        "Cơ quan, tổ chức: Thanh tra Sở Lao động – Thương binh và Xã hội",
        f"Giấy tờ tùy thân: CCCD số {CCCD}",
        "Mục đích nghiên cứu: Thanh tra, kiểm tra",
        "Ngày nghiên cứu: 02/03/2026",
        "Phê duyệt: Không cần phê duyệt",
        "NGƯỜI YÊU CẦU NGƯỜI DUYỆT CÁN BỘ LƯU TRỮ",
        "Trần Thị Thanh Hương Phạm Thị Hoa",
    ):
        assert expected in text, expected
    # Files in the order requested, with their sheets and what became of them (HS-003 waits).
    assert "1 HS-001 Hồ sơ hưởng BHXH một lần – Nguyễn Văn B 11 Đã trả" in text
    assert "2 HS-002 Hồ sơ hưởng BHXH một lần – Nguyễn Văn C 12 Đang nghiên cứu" in text
    assert "3 HS-003 Hồ sơ hưởng BHXH một lần – Nguyễn Văn D 13 NGƯỜI YÊU CẦU" in text


def test_slip_masks_the_identity_number_for_a_reader_without_personal_data(
    session: Session, world: UseWorld, tmp_path: Path
) -> None:
    visit = _visit(session, world, world.files[:1])
    inspector = make_user(session, "thanh.insp", world.office, ("inspector",))

    text = text_of(
        reading_papers.reading_slip_pdf(session, world.actor(session, inspector), visit.id),
        tmp_path,
    )

    assert "Giấy tờ tùy thân: CCCD số 0792•••••123" in text
    assert CCCD not in text


def test_slip_of_a_restricted_visit_names_its_approver_and_the_day(
    session: Session, world: UseWorld, tmp_path: Path
) -> None:
    vouchers = restricted_file(session, world)
    visit = _visit(session, world, [vouchers])
    approver = world.actor(session, world.approver)
    before = text_of(reading_papers.reading_slip_pdf(session, approver, visit.id), tmp_path)
    reading_room.decide_visit(session, approver, visit_id=visit.id, approve=True)

    after = text_of(reading_papers.reading_slip_pdf(session, approver, visit.id), tmp_path)

    assert "Phê duyệt: Chưa phê duyệt" in before
    slip = reading_papers.reading_slip(session, approver, visit.id)
    assert slip.approval is not None and slip.approval.by == "Lê Văn Giám"
    assert f"Phê duyệt: Lê Văn Giám, ngày {slip.approval.on:%d/%m/%Y}" in after
    assert "KT-001" in after and "Chứng từ kế toán quý I/2019" in after


def test_no_slip_for_a_refused_visit_nor_for_a_reader_without_the_right(
    session: Session, world: UseWorld
) -> None:
    visit = _visit(session, world, [restricted_file(session, world)])
    with pytest.raises(Forbidden):
        reading_papers.reading_slip_pdf(session, world.actor(session, world.borrower), visit.id)
    reading_room.decide_visit(
        session,
        world.actor(session, world.approver),
        visit_id=visit.id,
        approve=False,
        reason="Hồ sơ chưa được giải mật",
    )
    with pytest.raises(Conflict) as refused:
        reading_papers.reading_slip_pdf(session, world.actor(session, world.approver), visit.id)
    assert refused.value.code == "visit.status"

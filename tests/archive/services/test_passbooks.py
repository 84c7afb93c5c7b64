"""Passbooks under review: registered from a passbook-review handover batch or one by one,
scanned through the stages in order (idempotently), counted per office and stage in the progress
report; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.errors import Conflict, Forbidden, Invalid, NotFound
from archive.models import PASSBOOK_STAGES, AuditEvent, HandoverBatch, Office, Passbook
from archive.services import handover, passbooks
from archive.services.handover import BatchIn
from archive.services.handover_lines import ItemIn
from archive.services.passbooks import PassbookIn, ProgressRow
from tests.factories import ADMIN, archivist, make_layout, make_office, series

# 09:00 on Monday 2 March 2026 in Hà Nội is 02:00 UTC.
T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
WORKERS = [
    ("4803004239", "Nguyễn Thị Mai Lan"),
    ("0111063484", "Phan Ngọc Hoàng"),
    ("2201234567", "Đỗ Văn Tú"),
]


@pytest.fixture
def offices(session: Session) -> tuple[Office, Office]:
    province = make_office(session, "00", "BHXH tỉnh Hà Nam")
    district = make_office(session, "01", "BHXH huyện Duy Tiên")
    return province, district


def _batch(session: Session, province: Office, district: Office) -> HandoverBatch:
    make_layout(
        session, province, shelves=(1, 1), tiers=1, boxes_per_tier=1, profile_code="HOP_10_SO"
    )
    batch = handover.create_batch(
        session,
        ADMIN,
        BatchIn(
            office_id=province.id,
            name="Rà soát sổ — Công ty May Duy Tiên",
            kind="passbook_review",
            giver_name="Phạm Văn Đức",
            receiver_name="Lê Thị Hoa",
            source_office_id=district.id,
            employer_code="YN0405Z",
            employer_name="Công ty May Duy Tiên",
        ),
    )
    for ssn, name in WORKERS:
        handover.add_item(
            session,
            ADMIN,
            batch_id=batch.id,
            data=ItemIn(passbook_number=ssn, ssn=ssn, full_name=name, box_number=1),
        )
    return batch


def _register(session: Session, office: Office, *numbers: str) -> list[Passbook]:
    return [
        passbooks.register(session, ADMIN, PassbookIn(office_id=office.id, number=n))
        for n in numbers
    ]


def test_passbooks_of_a_review_batch_are_registered_once_held_by_the_archive(
    session: Session, offices: tuple[Office, Office]
) -> None:
    province, district = offices
    batch = _batch(session, province, district)
    for ssn, _ in WORKERS[:2]:
        handover.receive(session, ADMIN, batch_id=batch.id, scanned=ssn)
    handover.complete(session, ADMIN, batch_id=batch.id)

    done = passbooks.register_from_batch(session, ADMIN, batch_id=batch.id)
    assert done.created == ("0111063484", "4803004239") and done.existing == ()
    book = session.scalars(select(Passbook).where(Passbook.number == "4803004239")).one()
    assert (book.office_id, book.holder_kind, book.holder_name) == (
        district.id,
        "archive",
        province.name,
    )
    assert book.full_name == "Nguyễn Thị Mai Lan" and book.file_id is not None
    assert book.person_id is not None and book.employer_id == batch.employer_id
    assert book.received_at is not None and book.received_at == book.holder_since

    again = passbooks.register_from_batch(session, ADMIN, batch_id=batch.id)
    assert again.created == () and again.existing == ("0111063484", "4803004239")
    assert session.scalar(select(func.count()).select_from(Passbook)) == 2
    actions = session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.object_type == "handover", AuditEvent.object_id == batch.id
        )
    ).all()
    assert actions.count("passbook.registered_from_batch") == 2


def test_only_a_completed_passbook_review_batch_registers_passbooks(
    session: Session, offices: tuple[Office, Office]
) -> None:
    province, district = offices
    batch = _batch(session, province, district)
    with pytest.raises(Conflict, match=r"passbook\.batch_open"):
        passbooks.register_from_batch(session, ADMIN, batch_id=batch.id)
    general = handover.create_batch(
        session,
        ADMIN,
        BatchIn(
            office_id=province.id,
            name="Phòng Thu",
            giver_name="A",
            receiver_name="B",
            source_department="Phòng Thu",
            series_id=series(session, "HANH_CHINH").id,
        ),
    )
    with pytest.raises(Invalid, match=r"passbook\.batch_kind"):
        passbooks.register_from_batch(session, ADMIN, batch_id=general.id)
    with pytest.raises(Forbidden, match=r"auth\.permission"):
        passbooks.register_from_batch(
            session, archivist(province.id, roles=frozenset({"staff"})), batch_id=batch.id
        )


def test_one_passbook_is_registered_by_hand_and_refuses_a_duplicate_or_bad_number(
    session: Session, offices: tuple[Office, Office]
) -> None:
    province, _ = offices
    desk = archivist(province.id)
    book = passbooks.register(
        session,
        desk,
        PassbookIn(
            office_id=province.id,
            number=" 4803 004-239 ",
            full_name="Nguyễn Thị Mai Lan",
            ssn="4803004239",
            holder_kind="employer",
            holder_name="Công ty May Duy Tiên",
        ),
    )
    assert book.number == "4803004239" and book.holder_kind == "employer"
    assert book.received_at is None and book.person_id is not None
    for data, error in [
        (PassbookIn(office_id=province.id, number="4803004239"), "passbook.duplicate"),
        (PassbookIn(office_id=province.id, number="48/03"), "passbook.number"),
        (PassbookIn(office_id=province.id, number="1", holder_kind="moon"), "custody.holder_kind"),
        (
            PassbookIn(office_id=province.id, number="1", holder_kind="person"),
            "custody.holder_name",
        ),
    ]:
        with pytest.raises((Conflict, Invalid)) as refused:
            passbooks.register(session, desk, data)
        assert refused.value.code == error
    with pytest.raises(Forbidden, match=r"auth\.office_scope"):
        passbooks.register(session, archivist(999), PassbookIn(office_id=province.id, number="2"))
    assert session.scalar(select(func.count()).select_from(Passbook)) == 1


def test_stages_go_in_order_and_a_refused_scan_changes_nothing(
    session: Session, offices: tuple[Office, Office]
) -> None:
    province, _ = offices
    first, second = _register(session, province, "111", "222")
    passbooks.advance_stage(session, ADMIN, numbers=["111"], stage="received", at=T0)
    with pytest.raises(Conflict) as refused:
        passbooks.advance_stage(
            session, ADMIN, numbers=["111", "222"], stage="form03_printed", at=T0
        )
    assert refused.value.code == "passbook.stage_order"
    assert refused.value.params == {
        "number": "222",
        "stage": "form03_printed",
        "previous": "received",
    }
    assert first.form03_printed_at is None
    with pytest.raises(Conflict, match=r"passbook\.stage_before_previous"):
        passbooks.advance_stage(
            session, ADMIN, numbers=["111"], stage="form03_printed", at=T0 - timedelta(hours=1)
        )
    with pytest.raises(Invalid, match=r"passbook\.stage"):
        passbooks.advance_stage(session, ADMIN, numbers=["111"], stage="lost", at=T0)
    with pytest.raises(Invalid, match=r"passbook\.naive_time"):
        passbooks.advance_stage(
            session, ADMIN, numbers=["111"], stage="received", at=datetime(2026, 3, 2, 9)
        )
    with pytest.raises(NotFound, match=r"passbook\.not_found"):
        passbooks.advance_stage(session, ADMIN, numbers=["111", "999"], stage="received", at=T0)
    with pytest.raises(Invalid, match=r"passbook\.no_numbers"):
        passbooks.advance_stage(session, ADMIN, numbers=[" "], stage="received", at=T0)
    assert second.received_at is None


def test_scanning_a_stage_twice_keeps_the_first_time_and_is_audited_once(
    session: Session, offices: tuple[Office, Office]
) -> None:
    province, _ = offices
    (book,) = _register(session, province, "111")
    for stage in PASSBOOK_STAGES:
        done = passbooks.advance_stage(session, ADMIN, numbers=["111"], stage=stage, at=T0)
        assert done.advanced == ("111",)
    later = passbooks.advance_stage(
        session, ADMIN, numbers=["1-1-1"], stage="approved", at=T0 + timedelta(days=1)
    )
    assert later.advanced == () and later.already == ("111",)
    assert book.approved_at == T0
    stages = session.scalars(
        select(AuditEvent.changes).where(
            AuditEvent.action == "passbook.stage", AuditEvent.object_id == book.id
        )
    ).all()
    assert len(stages) == len(PASSBOOK_STAGES)


def _progress_world(session: Session, province: Office, district: Office) -> None:
    """Province: 3 received, 2 with Mẫu 03 printed, 1 handed out. District: 2 received (one on
    the next day), 1 all the way to a printed passbook."""
    _register(session, province, "P1", "P2", "P3")
    _register(session, district, "D1", "D2")
    scans = [
        (["P1", "P2", "P3", "D1"], "received", T0),
        (["D2"], "received", T0 + timedelta(days=1)),
        (["P1", "P2", "D1"], "form03_printed", T0 + timedelta(hours=1)),
        (["P1", "D1"], "form03_handed_out", T0 + timedelta(hours=2)),
        (["D1"], "form03_returned", T0 + timedelta(hours=3)),
        (["D1"], "approved", T0 + timedelta(hours=4)),
        (["D1"], "passbook_printed", T0 + timedelta(hours=5)),
    ]
    for numbers, stage, at in scans:
        passbooks.advance_stage(session, ADMIN, numbers=numbers, stage=stage, at=at)


def test_progress_counts_per_office_and_stage_match_what_was_scanned(
    session: Session, offices: tuple[Office, Office]
) -> None:
    province, district = offices
    _progress_world(session, province, district)
    report = passbooks.progress(session, ADMIN)
    assert report.rows == (
        ProgressRow(province.id, "00", province.name, 3, 2, 1, 0, 0, 0),
        ProgressRow(district.id, "01", district.name, 2, 1, 1, 1, 1, 1),
    )
    assert report.total == ProgressRow(None, "", "", 5, 3, 2, 1, 1, 1)

    monday = passbooks.progress(session, ADMIN, since=date(2026, 3, 2), until=date(2026, 3, 2))
    assert [r.received for r in monday.rows] == [3, 1] and monday.total.received == 4
    tuesday = passbooks.progress(session, ADMIN, since=date(2026, 3, 3))
    assert tuesday.total == ProgressRow(None, "", "", 1, 0, 0, 0, 0, 0)

    mine = passbooks.progress(session, archivist(district.id))
    assert [r.office_code for r in mine.rows] == ["01"] and mine.total.received == 2
    assert passbooks.progress(session, ADMIN, office_id=province.id).total.received == 3
    with pytest.raises(Forbidden, match=r"auth\.office_scope"):
        passbooks.progress(session, archivist(district.id), office_id=province.id)
    with pytest.raises(Invalid, match=r"report\.period"):
        passbooks.progress(session, ADMIN, since=date(2026, 3, 3), until=date(2026, 3, 2))


def test_progress_of_no_passbooks_is_a_zero_total(session: Session) -> None:
    report = passbooks.progress(session, ADMIN)
    assert report.rows == () and report.total == ProgressRow(None, "", "", 0, 0, 0, 0, 0, 0)

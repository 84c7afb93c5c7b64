"""Copies: a citizen's identity paper, pages checked against the file, the fee quoted from the
price list at approval and kept, approval by someone else, payment before delivery, masked
identity numbers, every step audited; a digital copy of real scans, certified on every page and
stored under its SHA-256; on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from archive.clock import local_date, local_today
from archive.errors import Conflict, Forbidden, Invalid
from archive.models import AuditEvent, BarcodeCounter, CopyPrice, CopyRequest, Office
from archive.services import accounts, copies, copy_papers, copy_prices
from archive.services.copies import CopyIn, CopyItemIn
from scanners.storage import DerivedStore, OriginalStore
from tests.apps import seeded
from tests.factories import ADMIN
from tests.scan_docs import image_pdf, page_lines, text_png
from tests.scan_world import build_scan_world
from tests.use_world import UseWorld, make_use_world, make_user

# Migration 0008 seeds a price list valid from 1 January 2026; prices set today supersede it.
TODAY = local_today()


@pytest.fixture
def world(session: Session) -> UseWorld:
    return make_use_world(session)


def citizen(
    world: UseWorld, *items: CopyItemIn, kind: str = "photocopy", **changes: object
) -> CopyIn:
    data = CopyIn(
        kind=kind,
        requester_kind="citizen",
        purpose_id=world.purpose.id,
        items=items or (CopyItemIn(world.files[0].id, "1-3,5"),),
        requester_name="Nguyễn Thị Mai Lan",
        organisation="Xã Tân Bửu, huyện Bến Lức",
        id_paper_kind="citizen_id",
        id_paper_number="079 123 456 789",
    )
    return replace(data, **changes)  # type: ignore[arg-type]


def _actions(session: Session, req: CopyRequest) -> list[str]:
    return list(
        session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == "copy", AuditEvent.object_id == req.id)
            .order_by(AuditEvent.id)
        )
    )


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_citizen_without_an_identity_paper_is_refused_and_nothing_is_stored(
    session: Session, world: UseWorld
) -> None:
    desk = world.actor(session, world.archivist)
    counters = session.scalar(select(func.count(BarcodeCounter.kind)))
    for missing in ({"id_paper_number": None}, {"id_paper_number": "  "}, {"id_paper_kind": None}):
        with pytest.raises(Invalid) as err:
            copies.request_copies(session, desk, citizen(world, **missing))
        assert err.value.code == "copy.identity_required"
    with pytest.raises(Invalid) as err:
        copies.request_copies(session, desk, citizen(world, id_paper_number="12345"))
    assert err.value.code == "copy.citizen_id"
    assert session.scalar(select(func.count(CopyRequest.id))) == 0
    assert (
        session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.object_type == "copy"))
        == 0
    )
    assert session.scalar(select(func.count(BarcodeCounter.kind))) == counters


def test_pages_are_checked_against_the_file(session: Session, world: UseWorld) -> None:
    desk = world.actor(session, world.archivist)
    file = world.files[0]  # 11 sheets
    assert copy_prices.parse_pages(" 5; 1 – 3,2,4 ") == "1-5"
    assert copy_prices.parse_pages("7,1-2,9-10") == "1-2,7,9-10"
    for bad in ("0", "3-1", "a", "1,,2", "1-"):
        with pytest.raises(Invalid) as err:
            copy_prices.parse_pages(bad)
        assert err.value.code == "copy.pages"
    with pytest.raises(Invalid) as err:
        copies.request_copies(session, desk, citizen(world, CopyItemIn(file.id, "10-12")))
    assert (err.value.code, err.value.params["page"], err.value.params["total"]) == (
        "copy.page_out_of_range",
        12,
        11,
    )
    # A digital copy counts scanned pages: this file has none.
    with pytest.raises(Invalid) as err:
        copies.request_copies(session, desk, citizen(world, CopyItemIn(file.id), kind="digital"))
    assert err.value.code == "copy.file_without_pages"
    req = copies.request_copies(session, desk, citizen(world, CopyItemIn(file.id, "5,1-3")))
    assert [item.pages for item in req.items] == ["1-3,5"]
    assert req.number.startswith("C00") and req.id_paper_number == "079123456789"


def test_the_fee_is_quoted_at_approval_and_kept_when_the_price_list_changes(
    session: Session, world: UseWorld
) -> None:
    copy_prices.set_price(
        session, ADMIN, kind="certified", per_page=2_000, per_request=10_000, valid_from=TODAY
    )
    copy_prices.set_price(session, ADMIN, kind="photocopy", per_page=500, valid_from=TODAY)
    desk = world.actor(session, world.archivist)
    approver = world.actor(session, world.approver)
    items = (CopyItemIn(world.files[0].id, "1-3,5"), CopyItemIn(world.files[1].id))  # 4 + 12
    first = copies.request_copies(session, desk, citizen(world, *items, kind="certified"))
    copies.decide_copies(session, approver, copy_id=first.id, approve=True)
    assert [item.page_count for item in first.items] == [4, 12]
    assert first.fee_dong == 2_000 * 16 + 10_000

    copy_prices.set_price(
        session, ADMIN, kind="certified", per_page=3_000, per_request=15_000, valid_from=TODAY
    )
    session.refresh(first)
    assert first.fee_dong == 42_000
    slip = _pdf_text(copy_papers.request_form_pdf(session, desk, copy_id=first.id))
    assert "2.000 đ" in slip and "42.000 đ" in slip and "3.000 đ" not in slip
    assert "Bốn mươi hai nghìn đồng" in slip

    second = copies.request_copies(
        session, desk, citizen(world, CopyItemIn(world.files[0].id, "1-2"), kind="certified")
    )
    copies.decide_copies(session, approver, copy_id=second.id, approve=True)
    assert second.fee_dong == 3_000 * 2 + 15_000
    listed = copy_prices.list_prices(session, kind="certified")
    assert [(p.per_page_dong, p.per_request_dong) for p in listed[:2]] == [
        (3_000, 15_000),
        (2_000, 10_000),
    ]


def test_a_request_without_a_price_cannot_be_approved_but_an_officers_own_is_free(
    session: Session, world: UseWorld
) -> None:
    session.execute(delete(CopyPrice).where(CopyPrice.kind == "photocopy"))  # not seeded here
    desk = world.actor(session, world.archivist)
    approver = world.actor(session, world.approver)
    req = copies.request_copies(session, desk, citizen(world))
    with pytest.raises(Conflict) as err:
        copies.decide_copies(session, approver, copy_id=req.id, approve=True)
    assert err.value.code == "copy.no_price"
    own = copies.request_copies(
        session,
        world.actor(session, world.borrower),
        CopyIn(
            kind="photocopy",
            requester_kind="internal",
            purpose_id=world.purpose.id,
            items=(CopyItemIn(world.files[2].id, "2"),),
        ),
    )
    assert (own.requester_name, own.organisation) == ("Nguyễn Thị Lan", "Phòng Chế độ BHXH")
    copies.decide_copies(session, approver, copy_id=own.id, approve=True)
    assert (own.status, own.fee_dong, own.items[0].page_count) == ("approved", 0, 1)
    with pytest.raises(Conflict) as err:
        copies.record_payment(session, desk, copy_id=own.id, receipt_number="0001")
    assert err.value.code == "copy.nothing_to_pay"


def test_nobody_approves_a_request_they_registered_or_asked_for(
    session: Session, world: UseWorld
) -> None:
    chief = make_user(session, "truongphong", world.office, ("administrator",))
    admin = world.actor(session, chief)
    copy_prices.set_price(session, ADMIN, kind="photocopy", per_page=500, valid_from=TODAY)
    registered = copies.request_copies(session, admin, citizen(world))
    with pytest.raises(Forbidden) as err:
        copies.decide_copies(session, admin, copy_id=registered.id, approve=True)
    assert err.value.code == "copy.self_approval"
    approver = world.actor(session, world.approver)
    asked = copies.request_copies(
        session,
        approver,
        CopyIn("photocopy", "internal", world.purpose.id, (CopyItemIn(world.files[0].id),)),
    )
    with pytest.raises(Forbidden) as err:
        copies.decide_copies(session, approver, copy_id=asked.id, approve=True)
    assert err.value.code == "copy.self_approval"
    with pytest.raises(Forbidden) as err:
        copies.decide_copies(
            session, world.actor(session, world.archivist), copy_id=asked.id, approve=True
        )
    assert err.value.code == "auth.permission"
    # Someone else decides; a refusal needs its reason; a decided request is not decided twice.
    with pytest.raises(Invalid):
        copies.decide_copies(session, admin, copy_id=asked.id, approve=False)
    copies.decide_copies(session, admin, copy_id=asked.id, approve=False, reason="Hồ sơ mật")
    assert (asked.status, asked.decision_reason) == ("refused", "Hồ sơ mật")
    copies.decide_copies(session, approver, copy_id=registered.id, approve=True)
    with pytest.raises(Conflict) as twice:
        copies.decide_copies(session, approver, copy_id=registered.id, approve=False, reason="x")
    assert twice.value.code == "copy.status"
    assert _actions(session, asked) == ["copy.requested", "copy.refused"]


def test_a_paper_copy_goes_from_request_to_delivery_and_every_step_is_audited(
    session: Session, world: UseWorld, tmp_path: Path
) -> None:
    copy_prices.set_price(session, ADMIN, kind="certified", per_page=2_000, valid_from=TODAY)
    desk = world.actor(session, world.archivist)
    req = copies.request_copies(session, desk, citizen(world, kind="certified"))
    copies.decide_copies(
        session, world.actor(session, world.approver), copy_id=req.id, approve=True
    )
    derived = DerivedStore(tmp_path / "derived")
    originals = OriginalStore(tmp_path / "originals")
    copies.produce_copies(session, desk, copy_id=req.id, originals=originals, derived=derived)
    assert (req.status, req.output_sha256) == ("produced", None)
    with pytest.raises(Conflict) as err:
        copies.deliver_copies(session, desk, copy_id=req.id)
    assert err.value.code == "copy.unpaid"
    copies.record_payment(session, desk, copy_id=req.id, receipt_number=" 0001234 ")
    with pytest.raises(Conflict) as err:
        copies.record_payment(session, desk, copy_id=req.id, receipt_number="0001235")
    assert err.value.code == "copy.already_paid"
    copies.deliver_copies(session, desk, copy_id=req.id)
    assert (req.status, req.receipt_number, req.delivered_to) == (
        "delivered",
        "0001234",
        "Nguyễn Thị Mai Lan",
    )
    assert _actions(session, req) == [
        "copy.requested",
        "copy.approved",
        "copy.produced",
        "copy.paid",
        "copy.delivered",
    ]
    certification = _pdf_text(copy_papers.certification_pdf(session, desk, copy_id=req.id))
    assert "XÁC NHẬN BẢN SAO LƯU TRỮ" in certification and world.files[0].code in certification
    with pytest.raises(Conflict) as err:
        copies.copy_pdf(session, desk, copy_id=req.id, derived=derived)
    assert err.value.code == "copy.no_output"


def test_identity_numbers_are_masked_without_personal_data(
    session: Session, world: UseWorld, tmp_path: Path
) -> None:
    desk = world.actor(session, world.archivist)
    req = copies.request_copies(session, desk, citizen(world))
    inspector = world.actor(session, make_user(session, "thanhtra", world.office, ("inspector",)))
    [seen], total = copies.list_copies(session, inspector, copies.CopyFilter())
    assert total == 1 and seen.id == req.id
    assert copies.id_number_shown(inspector, seen.id_paper_number) == "*********789"
    assert copies.id_number_shown(desk, seen.id_paper_number) == "079123456789"
    slip = _pdf_text(copy_papers.request_form_pdf(session, inspector, copy_id=req.id))
    assert "*********789" in slip and "079123456789" not in slip
    assert "079123456789" in _pdf_text(copy_papers.request_form_pdf(session, desk, copy_id=req.id))
    with pytest.raises(Forbidden) as err:
        copies.copy_pdf(session, inspector, copy_id=req.id, derived=DerivedStore(tmp_path))
    assert err.value.code == "auth.permission"
    # An officer sees only their own requests; another office's archivist none of this one.
    assert copies.list_copies(
        session, world.actor(session, world.borrower), copies.CopyFilter()
    ) == (
        [],
        0,
    )
    with pytest.raises(Forbidden):
        copies.get_copy(session, world.actor(session, world.district_archivist), req.id)


def _pdftotext(pdf: bytes, folder: Path, page: int) -> str:
    path = folder / "copy.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_a_digital_copy_certifies_every_chosen_scanned_page_and_is_stored_by_its_hash(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    scans = build_scan_world(factory, tmp_path)
    file = scans.files["HS-A"]
    pages = [text_png(page_lines(n), seed=n) for n in (1, 2, 3)]
    scans.run_pages(scans.take_in("hs-a.pdf", image_pdf(pages), target_file_id=file.id))
    derived = DerivedStore(tmp_path / "derived")
    with seeded(factory) as session:
        office = session.get(Office, scans.office_id)
        assert office is not None
        desk = accounts.actor_for(session, make_user(session, "luutru", office, ("archivist",)))
        approver = accounts.actor_for(session, make_user(session, "giamdoc", office, ("approver",)))
        copy_prices.set_price(
            session, ADMIN, kind="digital", per_page=1_000, per_request=20_000, valid_from=TODAY
        )
        data = CopyIn(
            kind="digital",
            requester_kind="citizen",
            purpose_id=1,
            items=(CopyItemIn(file.id, "4"),),
            requester_name="Phan Ngọc Hoàng Đình Thục",
            id_paper_kind="passport",
            id_paper_number="C1234567",
        )
        with pytest.raises(Invalid) as err:  # three pages scanned, whatever the sheet count
            copies.request_copies(session, desk, data)
        assert err.value.code == "copy.page_out_of_range"
        req = copies.request_copies(
            session, desk, replace(data, items=(CopyItemIn(file.id, "1,3"),))
        )
        copies.decide_copies(session, approver, copy_id=req.id, approve=True)
        assert req.fee_dong == 1_000 * 2 + 20_000
        copies.record_payment(session, desk, copy_id=req.id, receipt_number="0000042")
        copies.produce_copies(session, desk, copy_id=req.id, originals=scans.store, derived=derived)
        number, sha256, produced_at = req.number, req.output_sha256, req.produced_at
        stored = copies.copy_pdf(session, desk, copy_id=req.id, derived=derived)
    assert sha256 is not None and produced_at is not None
    assert hashlib.sha256(stored.content).hexdigest() == sha256 == stored.sha256
    assert derived.path_of(sha256, "copy.pdf").read_bytes() == stored.content

    reader = PdfReader(io.BytesIO(stored.content))
    assert len(reader.pages) == 2
    day = local_date(produced_at).strftime("%d/%m/%Y")
    for n, scanned in ((1, 1), (2, 3)):
        text = _pdftotext(stored.content, tmp_path, n)
        footer = f"HS-A · trang {n}/2 · ngày {day} · yêu cầu số {number} · BHXH tỉnh Hà Nam"
        assert footer in text, text
        assert f"Trang số {scanned}" in text, text
        assert "Bản sao từ hồ sơ lưu trữ" in reader.pages[n - 1].extract_text()
    assert "Trang số 2" not in _pdftotext(stored.content, tmp_path, 1) + _pdftotext(
        stored.content, tmp_path, 2
    )

    with seeded(factory) as session:
        again = copies.copy_pdf(session, ADMIN, copy_id=req.id, derived=derived)
        assert again.content == stored.content
        assert _actions(session, req) == [
            "copy.requested",
            "copy.approved",
            "copy.paid",
            "copy.produced",
        ]
    derived.path_of(sha256, "copy.pdf").chmod(0o644)
    derived.path_of(sha256, "copy.pdf").write_bytes(stored.content + b"%")
    with seeded(factory) as session, pytest.raises(Conflict) as corrupt:
        copies.copy_pdf(session, ADMIN, copy_id=req.id, derived=derived)
    assert corrupt.value.code == "copy.output_corrupt"

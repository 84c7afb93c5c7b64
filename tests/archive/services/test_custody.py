"""Custody slips: passbooks and files handed between the archive, departments and the post office;
"where is passbook X?" always answered; in-transit and out-card refusals; every step audited.
On SQLite and PostgreSQL, and with real concurrent connections for two slips at once."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from archive.db import session_factory, transaction
from archive.errors import Conflict, Forbidden, Invalid, NotFound
from archive.models import AuditEvent, CustodyTransfer, OutCard, Passbook, User
from archive.permissions import Actor
from archive.services import (
    accounts,
    custody,
    custody_papers,
    custody_views,
    loan_desk,
    loans,
    passbooks,
)
from archive.services.custody import TransferIn
from archive.services.loans import LoanRequest
from archive.services.passbooks import PassbookIn
from tests.databases import own_database
from tests.factories import ADMIN, make_office
from tests.use_world import MONDAY, PASSWORD, UseWorld, make_use_world

NUMBER = "4803004239"
CARD_DEPT = "Phòng Cấp sổ, thẻ"
POST = "Bưu điện huyện Bến Lức"


@pytest.fixture
def world(session: Session) -> UseWorld:
    return make_use_world(session)


def _desk(session: Session, world: UseWorld) -> Actor:
    return world.actor(session, world.archivist)


def _passbook(session: Session, world: UseWorld, number: str = NUMBER) -> Passbook:
    return passbooks.register(
        session,
        _desk(session, world),
        PassbookIn(office_id=world.office.id, number=number, full_name="Nguyễn Thị Mai Lan"),
    )


def _slip(
    world: UseWorld, giver: tuple[str, str], to: tuple[str, str], **items: object
) -> TransferIn:
    return TransferIn(
        office_id=world.office.id,
        from_kind=giver[0],
        from_name=giver[1],
        to_kind=to[0],
        to_name=to[1],
        to_person="Nguyễn Thị Lan",
        **items,  # type: ignore[arg-type]
    )


ARCHIVE = ("archive", "")
DEPT = ("department", CARD_DEPT)
POST_OFFICE = ("post_office", POST)


def _actions(session: Session, transfer_id: int) -> list[str]:
    return list(
        session.scalars(
            select(AuditEvent.action)
            .where(
                AuditEvent.object_type == "custody_transfer", AuditEvent.object_id == transfer_id
            )
            .order_by(AuditEvent.id)
        )
    )


def test_where_is_a_passbook_after_two_moves_names_holder_since_and_who_had_it_before(
    session: Session, world: UseWorld
) -> None:
    desk = _desk(session, world)
    book = _passbook(session, world)
    assert custody_views.where_is_passbook(session, desk, NUMBER).holder_name == world.office.name

    first = custody.send(session, desk, _slip(world, ARCHIVE, DEPT, passbook_numbers=(NUMBER,)))
    assert first.number.startswith("G00") and first.status == "sent"
    moving = custody_views.where_is_passbook(session, desk, "4803-004-239")
    assert moving.in_transit and moving.holder_kind == "archive"
    assert moving.pending is not None and moving.pending.number == first.number
    first = custody.receive(session, desk, transfer_id=first.id)
    assert first.received_by_name == "Nguyễn Thị Lan"

    second = custody.send(
        session, desk, _slip(world, DEPT, POST_OFFICE, passbook_numbers=(NUMBER,))
    )
    second = custody.receive(session, desk, transfer_id=second.id, received_by="Võ Văn Bưu")

    where = custody_views.where_is_passbook(session, desk, NUMBER)
    assert (where.holder_kind, where.holder_name) == ("post_office", POST)
    assert where.holder_since == second.received_at and not where.in_transit
    assert [(t.kind, t.name, t.since, t.until) for t in where.previous_holders] == [
        ("archive", world.office.name, None, first.received_at),
        ("department", CARD_DEPT, first.received_at, second.received_at),
    ]
    assert [(s.number, s.status, s.received_by_name) for s in where.slips] == [
        (first.number, "received", "Nguyễn Thị Lan"),
        (second.number, "received", "Võ Văn Bưu"),
    ]
    assert where.full_name == "Nguyễn Thị Mai Lan"
    assert custody_views.where_is_passbook_id(session, desk, book.id) == where
    for slip in (first, second):
        assert _actions(session, slip.id) == ["custody.sent", "custody.received"]


def test_a_passbook_in_transit_cannot_be_sent_again_until_received_or_cancelled(
    session: Session, world: UseWorld
) -> None:
    desk = _desk(session, world)
    _passbook(session, world)
    sent = custody.send(session, desk, _slip(world, ARCHIVE, DEPT, passbook_numbers=(NUMBER,)))
    with pytest.raises(Conflict) as refused:
        custody.send(session, desk, _slip(world, ARCHIVE, POST_OFFICE, passbook_numbers=(NUMBER,)))
    assert refused.value.code == "custody.passbook_in_transit"
    assert refused.value.params["slip"] == sent.number

    cancelled = custody.cancel(session, desk, transfer_id=sent.id, reason="Lập nhầm")
    assert cancelled.status == "cancelled"
    where = custody_views.where_is_passbook(session, desk, NUMBER)
    assert not where.in_transit and where.holder_kind == "archive" and where.previous_holders == ()
    assert _actions(session, sent.id) == ["custody.sent", "custody.cancelled"]
    with pytest.raises(Conflict, match=r"custody\.status"):
        custody.receive(session, desk, transfer_id=sent.id)
    again = custody.send(
        session, desk, _slip(world, ARCHIVE, POST_OFFICE, passbook_numbers=(NUMBER,))
    )
    assert again.status == "sent"


def test_the_database_refuses_a_passbook_another_desk_sent_after_it_was_read(
    session: Session, world: UseWorld
) -> None:
    desk = _desk(session, world)
    book = _passbook(session, world)
    first = custody.send(session, desk, _slip(world, ARCHIVE, DEPT, passbook_numbers=(NUMBER,)))
    # This desk's copy was read before the other slip: it still says "not in transit".
    set_committed_value(book, "pending_transfer_id", None)
    with pytest.raises(Conflict) as refused:
        custody.send(session, desk, _slip(world, ARCHIVE, POST_OFFICE, passbook_numbers=(NUMBER,)))
    assert refused.value.code == "custody.passbook_in_transit"
    assert book.pending_transfer_id == first.id


def test_a_passbook_is_sent_only_by_the_holder_who_has_it(
    session: Session, world: UseWorld
) -> None:
    desk = _desk(session, world)
    _passbook(session, world)
    with pytest.raises(Conflict) as refused:
        custody.send(session, desk, _slip(world, DEPT, POST_OFFICE, passbook_numbers=(NUMBER,)))
    assert refused.value.code == "custody.passbook_not_with_giver"
    assert refused.value.params["holder"] == world.office.name
    # The holder's name is matched without regard to case or diacritics.
    custody.send(
        session,
        desk,
        _slip(world, ("archive", world.office.name.upper()), DEPT, passbook_numbers=(NUMBER,)),
    )


def test_a_file_handed_to_a_department_has_an_out_card_and_cannot_be_lent_meanwhile(
    session: Session, world: UseWorld
) -> None:
    desk = _desk(session, world)
    file = world.files[0]
    out = custody.send(session, desk, _slip(world, ARCHIVE, DEPT, file_barcodes=(file.barcode,)))
    card = session.get(OutCard, file.id)
    assert card is not None and (card.kind, card.transfer_id) == ("custody", out.id)
    assert card.holder == f"Nguyễn Thị Lan, {CARD_DEPT}"
    assert [(line.kind, line.code) for line in out.lines] == [("file", file.code)]

    borrower = world.actor(session, world.borrower)
    loan = loans.request_loan(
        session, borrower, LoanRequest(file_ids=(file.id,), purpose_id=world.purpose.id)
    )
    loans.decide_loan(session, world.actor(session, world.approver), loan_id=loan.id, approve=True)
    # A refused hand-out rolls back (here its savepoint; in a request, the transaction).
    with pytest.raises(Conflict, match=r"file\.already_out"), session.begin_nested():
        loan_desk.hand_out(session, desk, loan_id=loan.id, file_ids=[file.id], today=MONDAY)
    with pytest.raises(Conflict, match=r"file\.already_out"):
        custody.send(session, desk, _slip(world, ARCHIVE, POST_OFFICE, file_barcodes=(file.code,)))

    custody.receive(session, desk, transfer_id=out.id)
    back = custody.send(session, desk, _slip(world, DEPT, ARCHIVE, file_barcodes=(file.barcode,)))
    assert session.get(OutCard, file.id) is not None  # in transit to the archive: still out
    custody.receive(session, desk, transfer_id=back.id)
    assert session.get(OutCard, file.id) is None
    history = custody_views.file_custody_history(session, desk, file.id)
    assert history.holder is None and [s.number for s in history.slips] == [out.number, back.number]
    lent = loan_desk.hand_out(session, desk, loan_id=loan.id, file_ids=[file.id], today=MONDAY)
    assert lent.status == "out"


def test_a_file_between_two_outside_holders_carries_its_out_card_and_cancel_restores_it(
    session: Session, world: UseWorld
) -> None:
    desk = _desk(session, world)
    file = world.files[1]
    first = custody.send(session, desk, _slip(world, ARCHIVE, DEPT, file_barcodes=(file.barcode,)))
    with pytest.raises(Conflict, match=r"custody\.file_in_transit"):
        custody.send(session, desk, _slip(world, DEPT, POST_OFFICE, file_barcodes=(file.barcode,)))
    custody.receive(session, desk, transfer_id=first.id)
    with pytest.raises(Conflict, match=r"custody\.file_not_with_giver"):
        custody.send(session, desk, _slip(world, POST_OFFICE, DEPT, file_barcodes=(file.barcode,)))
    onward = custody.send(
        session, desk, _slip(world, DEPT, POST_OFFICE, file_barcodes=(file.barcode,))
    )
    moving = custody_views.file_custody_history(session, desk, file.id)
    assert moving.in_transit and moving.holder == f"Nguyễn Thị Lan, {POST}"

    custody.cancel(session, desk, transfer_id=onward.id)
    card = session.get(OutCard, file.id)
    assert card is not None and card.transfer_id == first.id
    assert card.holder == f"Nguyễn Thị Lan, {CARD_DEPT}"
    assert not custody_views.file_custody_history(session, desk, file.id).in_transit


def test_bad_slips_are_refused_and_nothing_is_recorded(session: Session, world: UseWorld) -> None:
    desk = _desk(session, world)
    _passbook(session, world)
    f = world.files[0]
    for data, code in [
        (_slip(world, ("moon", "x"), DEPT, passbook_numbers=(NUMBER,)), "custody.holder_kind"),
        (
            _slip(world, ARCHIVE, ("department", " "), passbook_numbers=(NUMBER,)),
            "custody.holder_name",
        ),
        (_slip(world, DEPT, ("department", "phòng cấp sổ, thẻ")), "custody.same_holder"),
        (_slip(world, ARCHIVE, DEPT), "custody.no_items"),
        (
            _slip(world, ("archive", world.district.name), DEPT, file_barcodes=(f.barcode,)),
            "custody.file_other_archive",
        ),
        (_slip(world, ARCHIVE, DEPT, passbook_numbers=("12-ab?",)), "passbook.number"),
        (
            _slip(world, ARCHIVE, DEPT, file_barcodes=(world.district_files[0].barcode,)),
            "auth.office_scope",
        ),
    ]:
        with pytest.raises((Invalid, Forbidden)) as refused:
            custody.send(session, desk, data)
        assert refused.value.code == code
    with pytest.raises(NotFound, match=r"passbook\.not_found"):
        custody.send(session, desk, _slip(world, ARCHIVE, DEPT, passbook_numbers=("111",)))
    assert session.scalar(select(func.count()).select_from(CustodyTransfer)) == 0
    assert session.scalar(select(func.count()).select_from(OutCard)) == 0


def test_slips_are_listed_and_read_within_the_office_scope(
    session: Session, world: UseWorld
) -> None:
    desk = _desk(session, world)
    _passbook(session, world)
    sent = custody.send(session, desk, _slip(world, ARCHIVE, DEPT, passbook_numbers=(NUMBER,)))
    views, total = custody_views.list_transfers(session, desk, status="sent")
    assert total == 1 and views[0].lines[0].name == "Nguyễn Thị Mai Lan"
    assert custody_views.list_transfers(session, desk, status="received") == ([], 0)
    with pytest.raises(Invalid, match=r"custody\.status_unknown"):
        custody_views.list_transfers(session, desk, status="lost")
    outsider = world.actor(session, world.district_archivist)
    assert custody_views.list_transfers(session, outsider) == ([], 0)
    for call in (
        lambda: custody_views.get_transfer(session, outsider, sent.id),
        lambda: custody.receive(session, outsider, transfer_id=sent.id),
        lambda: custody_views.where_is_passbook(session, outsider, NUMBER),
    ):
        with pytest.raises(Forbidden, match=r"auth\.office_scope"):
            call()
    staff = world.actor(session, world.borrower)
    with pytest.raises(Forbidden, match=r"auth\.permission"):
        custody_views.where_is_passbook(session, staff, NUMBER)
    with pytest.raises(NotFound, match=r"custody\.not_found"):
        custody_views.get_transfer(session, desk, 999_999)


def test_the_printed_slip_lists_files_and_passbooks(
    session: Session, world: UseWorld, tmp_path: Path
) -> None:
    desk = _desk(session, world)
    _passbook(session, world)
    file = world.files[2]
    sent = custody.send(
        session,
        desk,
        _slip(world, ARCHIVE, DEPT, passbook_numbers=(NUMBER,), file_barcodes=(file.barcode,)),
    )
    pdf, number = custody_papers.slip_pdf(session, desk, sent.id)
    assert pdf.startswith(b"%PDF") and number == sent.number
    path = tmp_path / "slip.pdf"
    path.write_bytes(pdf)
    printed = " ".join(
        subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True
        )
        .stdout.decode()
        .split()
    )
    for expected in ("PHIẾU GIAO NHẬN HỒ SƠ, SỔ BHXH", NUMBER, file.code, CARD_DEPT, "Sổ BHXH"):
        assert expected in printed, expected


# ---- Two slips sending the same passbook at once, on real concurrent connections ----

DESKS = 6


@pytest.fixture(params=["sqlite", "postgresql"])
def desk_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated database of its own: these tests commit for real, from several connections."""
    with own_database(request.param, tmp_path, connections=DESKS) as engine:
        yield engine


def test_slips_sending_the_same_passbook_at_once_exactly_one_goes(desk_engine: Engine) -> None:
    factory = session_factory(desk_engine)
    with transaction(factory) as session:
        # One office per desk: each slip numbers from its own counter, so nothing but the
        # passbook itself makes the desks wait for each other.
        offices = [make_office(session, f"{n:02d}", f"BHXH đơn vị {n:02d}") for n in range(DESKS)]
        user = accounts.create_user(
            session,
            ADMIN,
            accounts.UserIn(
                username="luutru",
                full_name="Phạm Thị Hoa",
                password=PASSWORD,
                office_id=offices[0].id,
                roles=("archivist",),
                all_offices=True,
            ),
        )
        passbooks.register(
            session, ADMIN, PassbookIn(office_id=offices[0].id, number=NUMBER, full_name="Lan")
        )
        user_id, office_ids, holder = user.id, [o.id for o in offices], offices[0].name

    barrier = threading.Barrier(DESKS) if desk_engine.dialect.name == "postgresql" else None

    def desk(office_id: int) -> str:
        try:
            with transaction(factory, write=barrier is None) as session:
                found = session.get(User, user_id)
                assert found is not None
                actor = accounts.actor_for(session, found)
                if barrier is not None:
                    barrier.wait(timeout=30)
                custody.send(
                    session,
                    actor,
                    TransferIn(
                        office_id=office_id,
                        from_kind="archive",
                        from_name=holder,
                        to_kind="department",
                        to_name=f"Phòng {office_id}",
                        passbook_numbers=(NUMBER,),
                    ),
                )
            return "ok"
        except Conflict as err:
            return err.code

    with ThreadPoolExecutor(DESKS) as pool:
        outcomes = list(pool.map(desk, office_ids))

    assert outcomes.count("ok") == 1
    assert set(outcomes) == {"ok", "custody.passbook_in_transit"}
    with transaction(factory, write=False) as session:
        sent = session.scalars(select(CustodyTransfer)).all()
        book = session.scalars(select(Passbook)).one()
        assert len(sent) == 1 and book.pending_transfer_id == sent[0].id

"""Custody moves (giao nhận hồ sơ, sổ BHXH): handover slips moving files and passbooks from one
holder to another (the archive, a department, the post office, an employer…), sent then received
or cancelled. Reading them back (slips, where a passbook is now) is in `custody_views`, the
printed slip in `custody_papers`.

A passbook on a slip sent but not yet received is in transit (`pending_transfer_id`); setting it
is a compare-and-set in the database, so of two slips sending the same passbook at once exactly
one goes. A file leaves its box only through `out_cards`: handed out by the archive it gets an
out-card naming its holder, handed back to the archive the card is removed; between two holders
outside the archive the card follows the file (it names the latest slip, compare-and-set too)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from archive.errors import Conflict, Invalid, NotFound
from archive.i18n import ui
from archive.models import (
    HOLDER_KINDS,
    CustodyItem,
    CustodyTransfer,
    File,
    Office,
    OutCard,
    Passbook,
    utcnow,
)
from archive.permissions import Actor, Perm, require, require_office
from archive.services import audit, barcodes, out_cards, passbooks
from archive.services.custody_views import TransferView, find_file, get_transfer, transfer_row
from archive.services.status_change import change_status
from archive.text import fold, nfc

MAX_ITEMS = 500


@dataclass(frozen=True)
class TransferIn:
    """A slip to send: the office issuing it, giver and receiver, files (by barcode or code) and
    passbooks (by number). A blank archive name means the issuing office's archive."""

    office_id: int
    from_kind: str
    to_kind: str
    from_name: str = ""
    to_name: str = ""
    from_person: str = ""
    to_person: str = ""
    file_barcodes: tuple[str, ...] = ()
    passbook_numbers: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Party:
    kind: str
    name: str
    person: str

    def same_holder(self, kind: str, name: str) -> bool:
        return self.kind == kind and fold(self.name) == fold(name)

    def text(self) -> str:
        return ", ".join(p for p in (self.person, self.name) if p)


def _office(session: Session, office_id: int) -> Office:
    office = session.get(Office, office_id)
    if office is None:
        raise NotFound("office.not_found", office_id=office_id)
    return office


def _party(office: Office, kind: str, name: str, person: str) -> Party:
    if kind not in HOLDER_KINDS:
        raise Invalid("custody.holder_kind", value=kind)
    name = nfc(name) or (office.name if kind == "archive" else "")
    if not name:
        raise Invalid("custody.holder_name", kind=kind)
    return Party(kind, name, nfc(person))


def _files(session: Session, actor: Actor, office: Office, scanned: Sequence[str]) -> list[File]:
    found: dict[int, File] = {}
    for value in scanned:
        text = nfc(value)
        if not text:
            continue
        file = find_file(session, office.id, text)
        if file is None:
            raise NotFound("file.not_found_code", code=text)
        require_office(actor, file.office_id)
        if file.office_id != office.id:
            raise Invalid("custody.file_other_office", code=file.code, office=office.name)
        found[file.id] = file
    return list(found.values())


def _scanned_passbooks(session: Session, actor: Actor, numbers: Sequence[str]) -> list[Passbook]:
    found: dict[int, Passbook] = {}
    for value in numbers:
        if value.strip():
            passbook = passbooks.get_by_number(session, actor, value)
            found[passbook.id] = passbook
    return list(found.values())


def _passbook_refusal(session: Session, passbook: Passbook, giver: Party) -> Conflict:
    session.refresh(passbook)
    if passbook.pending_transfer_id is not None:
        slip = session.get(CustodyTransfer, passbook.pending_transfer_id)
        return Conflict(
            "custody.passbook_in_transit",
            number=passbook.number,
            slip=slip.number if slip else "",
            to=slip.to_name if slip else "",
        )
    return Conflict(
        "custody.passbook_not_with_giver",
        number=passbook.number,
        holder=passbook.holder_name,
        giver=giver.name,
    )


def _check_passbook(session: Session, passbook: Passbook, giver: Party) -> None:
    if passbook.pending_transfer_id is not None or not giver.same_holder(
        passbook.holder_kind, passbook.holder_name
    ):
        raise _passbook_refusal(session, passbook, giver)


def _hold_passbook(
    session: Session, transfer: CustodyTransfer, passbook: Passbook, giver: Party
) -> None:
    """Put the passbook in transit on this slip, compare-and-set with its holder included:
    another slip sent or received meanwhile makes it miss."""
    done = session.execute(
        update(Passbook)
        .where(
            Passbook.id == passbook.id,
            Passbook.pending_transfer_id.is_(None),
            Passbook.holder_kind == passbook.holder_kind,
            Passbook.holder_name == passbook.holder_name,
        )
        .values(pending_transfer_id=transfer.id)
        .execution_options(synchronize_session=False)
    )
    if not getattr(done, "rowcount", 0):
        raise _passbook_refusal(session, passbook, giver)
    session.refresh(passbook)


def _check_file(session: Session, file: File, giver: Party) -> CustodyTransfer | None:
    """Out of the archive: the file must be in its box. From another holder: its out-card must
    name a received slip to that holder (returned)."""
    card = out_cards.card_of(session, file.id)
    if giver.kind == "archive":
        if card is not None:
            raise Conflict("file.already_out", code=file.code, holder=card.holder)
        return None
    if card is None or card.kind != "custody" or card.transfer_id is None:
        holder = card.holder if card is not None else ui("custody.holder.archive")
        raise Conflict("custody.file_not_with_giver", code=file.code, holder=holder)
    previous = session.get(CustodyTransfer, card.transfer_id)
    assert previous is not None
    if previous.status != "received":
        raise Conflict("custody.file_in_transit", code=file.code, slip=previous.number)
    if not giver.same_holder(previous.to_kind, previous.to_name):
        raise Conflict("custody.file_not_with_giver", code=file.code, holder=card.holder)
    return previous


def _send_file(
    session: Session,
    actor: Actor,
    transfer: CustodyTransfer,
    file: File,
    previous: CustodyTransfer | None,
    to: Party,
) -> None:
    """Out of the archive: an out-card (the database refuses a file already out). From another
    holder: the card moves from the previous slip to this one, compare-and-set."""
    if previous is None:
        source = out_cards.Source(kind="custody", transfer_id=transfer.id)
        out_cards.take_out(
            session, file=file, source=source, holder=to.text(), until=None, by_id=actor.user_id
        )
        return
    done = session.execute(
        update(OutCard)
        .where(OutCard.file_id == file.id, OutCard.transfer_id == previous.id)
        .values(transfer_id=transfer.id, holder=to.text())
        .execution_options(synchronize_session=False)
    )
    if not getattr(done, "rowcount", 0):
        raise Conflict("custody.file_in_transit", code=file.code, slip="")
    card = out_cards.card_of(session, file.id)
    if card is not None:
        session.refresh(card)


def send(session: Session, actor: Actor, data: TransferIn) -> TransferView:
    """Send files and passbooks with a slip; refuses an empty slip, one holder on both sides, a
    passbook in transit or not with the giver, a file already out (or not with the giver)."""
    require(actor, Perm.USE_DESK)
    require_office(actor, data.office_id)
    if actor.user_id is None:
        raise Invalid("custody.user_required")
    office = _office(session, data.office_id)
    giver = _party(office, data.from_kind, data.from_name, data.from_person)
    to = _party(office, data.to_kind, data.to_name, data.to_person)
    if giver.same_holder(to.kind, to.name):
        raise Invalid("custody.same_holder", holder=giver.name)
    files = _files(session, actor, office, data.file_barcodes)
    for party in (giver, to):
        # A file leaves and comes back to its own office's boxes, never another archive's.
        if files and party.kind == "archive" and not party.same_holder("archive", office.name):
            raise Invalid("custody.file_other_archive", archive=party.name, office=office.name)
    books = _scanned_passbooks(session, actor, data.passbook_numbers)
    if not files and not books:
        raise Invalid("custody.no_items")
    if len(files) + len(books) > MAX_ITEMS:
        raise Invalid("custody.too_many", max=MAX_ITEMS)
    # Checked before anything is written, so that a refusal leaves no trace; the writes below
    # check again in the database for a slip sent by another desk meanwhile.
    for passbook in books:
        _check_passbook(session, passbook, giver)
    previous = {f.id: _check_file(session, f, giver) for f in files}
    transfer = CustodyTransfer(
        number=barcodes.allocate(session, "transfer", office.code)[0],
        office_id=office.id,
        from_kind=giver.kind,
        from_name=giver.name,
        from_person=giver.person,
        to_kind=to.kind,
        to_name=to.name,
        to_person=to.person,
        note=nfc(data.note),
        status="sent",
        sent_at=utcnow(),
        sent_by_id=actor.user_id,
    )
    session.add(transfer)
    session.flush()
    for passbook in books:
        _hold_passbook(session, transfer, passbook, giver)
    for file in files:
        _send_file(session, actor, transfer, file, previous[file.id], to)
    session.add_all(CustodyItem(transfer_id=transfer.id, passbook_id=p.id) for p in books)
    session.add_all(CustodyItem(transfer_id=transfer.id, file_id=f.id) for f in files)
    session.flush()
    _audit(
        session,
        actor,
        "custody.sent",
        transfer,
        files=[f.code for f in files],
        passbooks=[p.number for p in books],
    )
    return get_transfer(session, actor, transfer.id)


def _audit(
    session: Session, actor: Actor, action: str, transfer: CustodyTransfer, **changes: object
) -> None:
    audit.record(
        session,
        actor,
        action,
        object_type="custody_transfer",
        object_id=transfer.id,
        office_id=transfer.office_id,
        changes={
            "number": transfer.number,
            "from": [transfer.from_kind, transfer.from_name],
            "to": [transfer.to_kind, transfer.to_name],
            **changes,
        },
    )


def _transition(session: Session, transfer: CustodyTransfer, **values: object) -> None:
    """Compare-and-set a sent slip's status: of two desks receiving or cancelling it, one wins."""
    change_status(session, transfer, from_=("sent",), conflict="custody.status", **values)


def _file_items(transfer: CustodyTransfer) -> list[File]:
    return [item.file for item in transfer.items if item.file is not None]


def receive(
    session: Session, actor: Actor, *, transfer_id: int, received_by: str = ""
) -> TransferView:
    """The receiver signs for a sent slip: its passbooks change holder (since now) and leave
    transit; its files handed to the archive go back to their slots. Refuses a slip not sent."""
    transfer = transfer_row(session, actor, transfer_id)
    now = utcnow()
    name = nfc(received_by) or transfer.to_person or actor.label
    _transition(
        session,
        transfer,
        status="received",
        received_at=now,
        received_by_name=name,
        received_by_id=actor.user_id,
    )
    session.execute(
        update(Passbook)
        .where(Passbook.pending_transfer_id == transfer.id)
        .values(
            holder_kind=transfer.to_kind,
            holder_name=transfer.to_name,
            holder_since=now,
            pending_transfer_id=None,
        )
    )
    files = _file_items(transfer)
    if transfer.to_kind == "archive":
        source = out_cards.Source(kind="custody", transfer_id=transfer.id)
        for file in files:
            out_cards.put_back(session, file=file, source=source)
    _audit(session, actor, "custody.received", transfer, received_by=name)
    return get_transfer(session, actor, transfer.id)


def _previous_slip(session: Session, file_id: int, transfer_id: int) -> CustodyTransfer | None:
    return session.scalar(
        select(CustodyTransfer)
        .join(CustodyItem, CustodyItem.transfer_id == CustodyTransfer.id)
        .where(
            CustodyItem.file_id == file_id,
            CustodyTransfer.status == "received",
            CustodyTransfer.id != transfer_id,
        )
        .order_by(CustodyTransfer.received_at.desc(), CustodyTransfer.id.desc())
        .limit(1)
    )


def cancel(session: Session, actor: Actor, *, transfer_id: int, reason: str = "") -> TransferView:
    """Withdraw a slip sent but not received: everything stays with the giver (passbooks leave
    transit, files out of the archive go back to their slots). Refuses a slip not sent."""
    transfer = transfer_row(session, actor, transfer_id)
    _transition(session, transfer, status="cancelled")
    session.execute(
        update(Passbook)
        .where(Passbook.pending_transfer_id == transfer.id)
        .values(pending_transfer_id=None)
    )
    source = out_cards.Source(kind="custody", transfer_id=transfer.id)
    for file in _file_items(transfer):
        if transfer.from_kind == "archive":
            out_cards.put_back(session, file=file, source=source)
            continue
        previous = _previous_slip(session, file.id, transfer.id)
        assert previous is not None  # it was sent from the holder of a received slip
        back = Party(previous.to_kind, previous.to_name, previous.to_person)
        session.execute(
            update(OutCard)
            .where(OutCard.file_id == file.id, OutCard.transfer_id == transfer.id)
            .values(transfer_id=previous.id, holder=back.text())
        )
    _audit(session, actor, "custody.cancelled", transfer, reason=nfc(reason))
    return get_transfer(session, actor, transfer.id)

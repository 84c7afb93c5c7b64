"""Custody moves (giao nhận hồ sơ, sổ BHXH): handover slips moving files and passbooks from one
holder to another (the archive, a department, the post office, an employer…), sent then received
or cancelled; and where a passbook or a file is now, and who had it before.

A passbook on a slip sent but not yet received is in transit (`pending_transfer_id`); setting it
is a compare-and-set in the database, so of two slips sending the same passbook at once exactly
one goes. A file leaves its box only through `out_cards`: handed out by the archive it gets an
out-card naming its holder, handed back to the archive the card is removed; between two holders
outside the archive the card follows the file (it names the latest slip, compare-and-set too)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from archive.clock import local_date
from archive.errors import Conflict, Invalid, NotFound
from archive.i18n import ui
from archive.models import (
    HOLDER_KINDS,
    PASSBOOK_STAGES,
    CustodyItem,
    CustodyTransfer,
    File,
    Office,
    OutCard,
    Passbook,
    utcnow,
)
from archive.models.custody import TRANSFER_STATUSES
from archive.permissions import Actor, Perm, require, require_office
from archive.printing import use_forms
from archive.printing.official import Issuer
from archive.services import audit, barcodes, out_cards, passbooks
from archive.services.files import get_file
from archive.text import fold, nfc

MAX_ITEMS = 500
NATIONAL_BODY = "Bảo hiểm xã hội Việt Nam"
PROVINCE_CODE = "00"


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
class Line:
    """One item of a slip: a file (code, title) or a passbook (number, worker's name)."""

    kind: str  # "file" or "passbook"
    item_id: int  # the file's or the passbook's id
    code: str
    name: str  # empty when the actor may not read personal data


@dataclass(frozen=True)
class TransferView:
    """A slip as read back: its parties, dates, status and items."""

    id: int
    number: str
    office_id: int
    status: str
    from_kind: str
    from_name: str
    from_person: str
    to_kind: str
    to_name: str
    to_person: str
    note: str
    sent_at: datetime
    received_at: datetime | None
    received_by_name: str
    lines: tuple[Line, ...]


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
        file = session.scalar(
            select(File).where(
                or_(
                    File.barcode == text.upper(),
                    (File.office_id == office.id) & (File.code == text),
                )
            )
        )
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


def _transfer(session: Session, actor: Actor, transfer_id: int) -> CustodyTransfer:
    require(actor, Perm.USE_DESK)
    transfer = session.scalar(
        select(CustodyTransfer)
        .where(CustodyTransfer.id == transfer_id)
        .options(selectinload(CustodyTransfer.items).selectinload(CustodyItem.file))
    )
    if transfer is None:
        raise NotFound("custody.not_found", transfer_id=transfer_id)
    require_office(actor, transfer.office_id)
    return transfer


def _transition(session: Session, transfer: CustodyTransfer, **values: object) -> None:
    """Compare-and-set a sent slip's status: of two desks receiving or cancelling it, one wins."""
    done = session.execute(
        update(CustodyTransfer)
        .where(CustodyTransfer.id == transfer.id, CustodyTransfer.status == "sent")
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.refresh(transfer, ["status", *values])
    if not getattr(done, "rowcount", 0):
        raise Conflict("custody.status", number=transfer.number, status=transfer.status)


def _file_items(transfer: CustodyTransfer) -> list[File]:
    return [item.file for item in transfer.items if item.file is not None]


def receive(
    session: Session, actor: Actor, *, transfer_id: int, received_by: str = ""
) -> TransferView:
    """The receiver signs for a sent slip: its passbooks change holder (since now) and leave
    transit; its files handed to the archive go back to their slots. Refuses a slip not sent."""
    transfer = _transfer(session, actor, transfer_id)
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
    transfer = _transfer(session, actor, transfer_id)
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


def _views(
    session: Session, actor: Actor, transfers: Sequence[CustodyTransfer]
) -> list[TransferView]:
    """Views of slips whose items (and items' files) are loaded; passbooks in one query."""
    ids = {i.passbook_id for t in transfers for i in t.items if i.passbook_id is not None}
    books = {p.id: p for p in session.scalars(select(Passbook).where(Passbook.id.in_(ids)))}
    personal = actor.has(Perm.PERSONAL_DATA)
    out = []
    for t in transfers:
        lines = []
        for item in t.items:
            if item.file is not None:
                lines.append(Line("file", item.file.id, item.file.code, item.file.title))
            elif item.passbook_id is not None:
                book = books[item.passbook_id]
                lines.append(
                    Line("passbook", book.id, book.number, book.full_name if personal else "")
                )
        out.append(
            TransferView(
                id=t.id,
                number=t.number,
                office_id=t.office_id,
                status=t.status,
                from_kind=t.from_kind,
                from_name=t.from_name,
                from_person=t.from_person,
                to_kind=t.to_kind,
                to_name=t.to_name,
                to_person=t.to_person,
                note=t.note,
                sent_at=t.sent_at,
                received_at=t.received_at,
                received_by_name=t.received_by_name,
                lines=tuple(lines),
            )
        )
    return out


def get_transfer(session: Session, actor: Actor, transfer_id: int) -> TransferView:
    """A slip with its items; refuses unknown slips and other offices' slips."""
    return _views(session, actor, [_transfer(session, actor, transfer_id)])[0]


def list_transfers(
    session: Session,
    actor: Actor,
    *,
    status: str | None = None,
    office_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[TransferView], int]:
    """Slips of the actor's offices, newest first, and how many there are in all."""
    require(actor, Perm.USE_DESK)
    conditions = []
    if status is not None:
        if status not in TRANSFER_STATUSES:
            raise Invalid("custody.status_unknown", value=status)
        conditions.append(CustodyTransfer.status == status)
    if office_id is not None:
        require_office(actor, office_id)
        conditions.append(CustodyTransfer.office_id == office_id)
    elif actor.office_ids is not None:
        conditions.append(CustodyTransfer.office_id.in_(actor.office_ids))
    total = session.scalar(select(func.count(CustodyTransfer.id)).where(*conditions)) or 0
    stmt = (
        select(CustodyTransfer)
        .where(*conditions)
        .options(selectinload(CustodyTransfer.items).selectinload(CustodyItem.file))
        .order_by(CustodyTransfer.sent_at.desc(), CustodyTransfer.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return _views(session, actor, list(session.scalars(stmt))), int(total)


@dataclass(frozen=True)
class SlipSummary:
    """A slip in an item's history: from whom to whom, sent and received when."""

    id: int
    number: str
    status: str
    from_kind: str
    from_name: str
    from_person: str
    to_kind: str
    to_name: str
    to_person: str
    sent_at: datetime
    received_at: datetime | None
    received_by_name: str

    @classmethod
    def of(cls, t: CustodyTransfer) -> SlipSummary:
        return cls(
            t.id,
            t.number,
            t.status,
            t.from_kind,
            t.from_name,
            t.from_person,
            t.to_kind,
            t.to_name,
            t.to_person,
            t.sent_at,
            t.received_at,
            t.received_by_name,
        )


@dataclass(frozen=True)
class Tenure:
    """Someone who had the item: from when (None: since it was registered) until when."""

    kind: str
    name: str
    since: datetime | None
    until: datetime | None


@dataclass(frozen=True)
class Whereabouts:
    """Where a passbook is now, since when, whether it is in transit, who had it before and
    every slip that moved it (oldest first)."""

    passbook_id: int
    number: str
    office_id: int
    full_name: str
    holder_kind: str
    holder_name: str
    holder_since: datetime
    in_transit: bool
    pending: SlipSummary | None
    stages: dict[str, datetime | None]
    previous_holders: tuple[Tenure, ...]
    slips: tuple[SlipSummary, ...]


def _slips_of(session: Session, condition: ColumnElement[bool]) -> list[CustodyTransfer]:
    return list(
        session.scalars(
            select(CustodyTransfer)
            .join(CustodyItem, CustodyItem.transfer_id == CustodyTransfer.id)
            .where(condition)
            .order_by(CustodyTransfer.sent_at, CustodyTransfer.id)
        )
    )


def where_is_passbook(session: Session, actor: Actor, number: str) -> Whereabouts:
    """Where a known passbook is now and has been; refuses an unknown number."""
    return whereabouts(session, actor, passbooks.get_by_number(session, actor, number))


def where_is_passbook_id(session: Session, actor: Actor, passbook_id: int) -> Whereabouts:
    """Where a passbook is now and has been, by its id; refuses an unknown one."""
    return whereabouts(session, actor, passbooks.get_passbook(session, actor, passbook_id))


def whereabouts(session: Session, actor: Actor, book: Passbook) -> Whereabouts:
    """Where a passbook the actor may handle is now, since when, and every slip that moved it."""
    slips = _slips_of(session, CustodyItem.passbook_id == book.id)
    before, since = [], None
    for slip in slips:
        if slip.status == "received":
            before.append(Tenure(slip.from_kind, slip.from_name, since, slip.received_at))
            since = slip.received_at
    pending = next((s for s in slips if s.id == book.pending_transfer_id), None)
    return Whereabouts(
        passbook_id=book.id,
        number=book.number,
        office_id=book.office_id,
        full_name=book.full_name if actor.has(Perm.PERSONAL_DATA) else "",
        holder_kind=book.holder_kind,
        holder_name=book.holder_name,
        holder_since=book.holder_since,
        in_transit=pending is not None,
        pending=SlipSummary.of(pending) if pending is not None else None,
        stages={s: getattr(book, f"{s}_at") for s in PASSBOOK_STAGES},
        previous_holders=tuple(before),
        slips=tuple(SlipSummary.of(s) for s in slips),
    )


@dataclass(frozen=True)
class FileCustody:
    """A file's custody: its out-card now (if it is out on a slip) and every slip that moved it."""

    file_id: int
    code: str
    holder: str | None  # None: in its box (or out for another reason, see `out_kind`)
    out_kind: str | None
    out_since: datetime | None
    in_transit: bool
    slips: tuple[SlipSummary, ...]


def file_custody_history(session: Session, actor: Actor, file_id: int) -> FileCustody:
    """Where a file is on custody slips, and each slip that moved it (oldest first)."""
    require(actor, Perm.USE_DESK)
    file = get_file(session, actor, file_id)
    slips = _slips_of(session, CustodyItem.file_id == file.id)
    card = out_cards.card_of(session, file.id)
    current = next((s for s in slips if card is not None and s.id == card.transfer_id), None)
    return FileCustody(
        file_id=file.id,
        code=file.code,
        holder=card.holder if card is not None else None,
        out_kind=card.kind if card is not None else None,
        out_since=card.since if card is not None else None,
        in_transit=current is not None and current.status == "sent",
        slips=tuple(SlipSummary.of(s) for s in slips),
    )


def _issuer(session: Session, office: Office) -> Issuer:
    """The slip's heading: a district is under its province's office, the province under the
    national body."""
    body = NATIONAL_BODY
    if office.code != PROVINCE_CODE:
        province = session.scalar(select(Office.name).where(Office.code == PROVINCE_CODE))
        body = province or NATIONAL_BODY
    return Issuer(governing_body=body, office_name=office.name, place=office.place or office.name)


def slip_pdf(session: Session, actor: Actor, transfer_id: int) -> tuple[bytes, str]:
    """The printed handover slip (phiếu giao nhận) and its number."""
    view = get_transfer(session, actor, transfer_id)
    office = _office(session, view.office_id)
    kinds = {"file": use_forms.CustodyItemKind.FILE, "passbook": use_forms.CustodyItemKind.PASSBOOK}
    slip = use_forms.CustodySlip(
        issuer=_issuer(session, office),
        slip_number=view.number,
        handed_on=local_date(view.sent_at),
        giver=use_forms.Holder(
            ui(f"custody.holder.{view.from_kind}"), view.from_name, view.from_person
        ),
        receiver=use_forms.Holder(
            ui(f"custody.holder.{view.to_kind}"),
            view.to_name,
            view.to_person or view.received_by_name,
        ),
        items=tuple(use_forms.CustodyItem(kinds[x.kind], x.code, x.name) for x in view.lines),
    )
    return use_forms.custody_slip_pdf(slip), view.number

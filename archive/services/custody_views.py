"""Reading custody moves (giao nhận hồ sơ, sổ BHXH): slips as read back, where a passbook is now
and who had it before, a file's custody slips, and what a value scanned for a slip names.

The moves themselves (send, receive, cancel) are in `custody`; the printed slip in
`custody_papers`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, selectinload

from archive.errors import Invalid, NotFound
from archive.models import PASSBOOK_STAGES, CustodyItem, CustodyTransfer, File, Office, Passbook
from archive.models.custody import TRANSFER_STATUSES
from archive.permissions import Actor, Perm, require, require_office
from archive.services import offices, out_cards, passbooks
from archive.services.files import get_file
from archive.services.handover_lines import number_of
from archive.text import nfc


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


def find_file(session: Session, office_id: int, scanned: str) -> File | None:
    """The file a scanned value names: its barcode (any office), or its code in the office."""
    return session.scalar(
        select(File).where(
            or_(
                File.barcode == scanned.upper(),
                (File.office_id == office_id) & (File.code == scanned),
            )
        )
    )


def transfer_row(session: Session, actor: Actor, transfer_id: int) -> CustodyTransfer:
    """A slip with its items and their files loaded; refuses without use.desk, unknown slips
    and other offices' slips."""
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
    return _views(session, actor, [transfer_row(session, actor, transfer_id)])[0]


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


def desk_offices(session: Session, actor: Actor) -> list[Office]:
    """The offices whose slips and passbooks the actor handles, by code; refuses without
    use.desk."""
    require(actor, Perm.USE_DESK)
    return offices.list_offices(session, actor)


def scanned_item(session: Session, actor: Actor, *, office_id: int, value: str) -> Line:
    """What a value scanned for a slip of the office names: a file (barcode, or code in the
    office), else a passbook (number). Refuses a value naming neither (as a passbook number when
    it is digits only, as a file code otherwise) and items of offices the actor does not see."""
    require(actor, Perm.USE_DESK)
    require_office(actor, office_id)
    text = nfc(value)
    file = find_file(session, office_id, text)
    if file is not None:
        require_office(actor, file.office_id)
        return Line("file", file.id, file.code, file.title)
    try:
        book = passbooks.get_by_number(session, actor, text)
    except (Invalid, NotFound):
        if number_of(text).isdigit():
            raise
        raise NotFound("file.not_found_code", code=text) from None
    name = book.full_name if actor.has(Perm.PERSONAL_DATA) else ""
    return Line("passbook", book.id, book.number, name)


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

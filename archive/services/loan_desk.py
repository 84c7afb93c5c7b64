"""The loans desk: hand-out (scan the borrower's card and the files), receipt at another office,
and return by scanning (sheet count and condition checked against the register)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from archive.errors import Conflict, Invalid, NotFound
from archive.models import File, Loan, LoanItem, OutCard, User, utcnow
from archive.permissions import Actor, Perm, require, require_office
from archive.services import audit, out_cards, search_outbox
from archive.services.loans import _transition, get_loan
from archive.services.workdays import due_after
from archive.text import nfc

GOOD_CONDITION = "good"


def borrower_by_card(session: Session, card: str) -> User:
    """The user whose staff card (or username) was scanned."""
    value = nfc(card).strip()
    if not value:
        raise Invalid("desk.card_required")
    user = session.scalar(
        select(User).where(or_(User.card_code == value.upper(), User.username == value.lower()))
    )
    if user is None or not user.active:
        raise NotFound("desk.card_unknown", card=value)
    return user


def _file_by_scan(session: Session, actor: Actor, value: str) -> File:
    text = nfc(value).strip()
    file = session.scalar(select(File).where(File.barcode == text.upper()))
    if file is None:
        raise NotFound("file.not_found_code", code=text)
    require_office(actor, file.office_id)
    return file


def holder_text(loan: Loan) -> str:
    return ", ".join(p for p in (loan.borrower_name, loan.borrower_department) if p)


def hand_out(
    session: Session, actor: Actor, *, loan_id: int, file_ids: Sequence[int], today: date
) -> Loan:
    """Start an approved loan with the files on the desk: each gets an out-card in its slot and
    the status "on loan"; requested files not handed out are marked not served. A loan to
    another office is "sent" until that office receives it."""
    require(actor, Perm.USE_DESK)
    return _start(session, actor, get_loan(session, actor, loan_id), set(file_ids), today)


def _start(session: Session, actor: Actor, loan: Loan, wanted: set[int], today: date) -> Loan:
    require_office(actor, loan.office_id)
    if not wanted:
        raise Invalid("loan.no_files")
    items = {item.file_id: item for item in loan.items}
    strangers = wanted - items.keys()
    if strangers:
        codes = session.scalars(select(File.code).where(File.id.in_(strangers)).order_by(File.code))
        raise Conflict("loan.file_not_requested", number=loan.number, codes=", ".join(codes))
    due = due_after(session, today, loan.purpose.loan_days)
    now = utcnow()
    _transition(
        session,
        loan,
        from_=("approved",),
        status="sent" if loan.to_office_id is not None else "out",
        handed_out_at=now,
        handed_out_by_id=actor.user_id,
        due_date=due,
    )
    source = out_cards.Source(kind="loan", loan_id=loan.id)
    for file_id, item in items.items():
        if file_id not in wanted:
            item.status = "not_served"
            continue
        file = item.file
        out_cards.take_out(
            session,
            file=file,
            source=source,
            holder=holder_text(loan),
            until=due,
            by_id=actor.user_id,
        )
        file.status = "on_loan"
        item.status = "out"
        item.sheets_out = file.sheet_count
    search_outbox.mark(session, [i.file_id for i in items.values() if i.status == "out"])
    session.flush()
    audit.record(
        session,
        actor,
        "loan.handed_out",
        object_type="loan",
        object_id=loan.id,
        office_id=loan.office_id,
        changes={
            "number": loan.number,
            "files": sorted(i.file.code for i in loan.items if i.status == "out"),
            "not_served": sorted(i.file.code for i in loan.items if i.status == "not_served"),
            "due_date": due,
            "status": loan.status,
        },
    )
    return loan


def desk_hand_out(
    session: Session, actor: Actor, *, card: str, scanned: Sequence[str], today: date
) -> Loan:
    """The desk flow: the borrower's card and the files' barcodes find the approved loan they
    belong to, and it starts."""
    require(actor, Perm.USE_DESK)
    borrower = borrower_by_card(session, card)
    files = [_file_by_scan(session, actor, value) for value in scanned if value.strip()]
    if not files:
        raise Invalid("loan.no_files")
    ids = {f.id for f in files}
    candidates = session.scalars(
        select(Loan.id)
        .join(LoanItem, LoanItem.loan_id == Loan.id)
        .where(
            Loan.borrower_id == borrower.id,
            Loan.status == "approved",
            LoanItem.file_id.in_(ids),
        )
        .group_by(Loan.id)
        .order_by(Loan.id)
    ).all()
    for loan_id in candidates:
        loan = get_loan(session, actor, loan_id)
        if ids <= {item.file_id for item in loan.items}:
            return _start(session, actor, loan, ids, today)
    raise NotFound(
        "desk.no_approved_loan",
        borrower=borrower.full_name,
        codes=", ".join(f.code for f in files),
    )


def receive_loan(session: Session, actor: Actor, *, loan_id: int, received_by: str = "") -> Loan:
    """The second step of a loan to another office: the files arrived there."""
    require(actor, Perm.USE_DESK)
    loan = get_loan(session, actor, loan_id)
    if loan.to_office_id is None:
        raise Conflict("loan.not_between_offices", number=loan.number)
    require_office(actor, loan.to_office_id)
    name = nfc(received_by).strip() or actor.label
    _transition(
        session,
        loan,
        from_=("sent",),
        status="out",
        received_at=utcnow(),
        received_by_name=name,
    )
    audit.record(
        session,
        actor,
        "loan.received",
        object_type="loan",
        object_id=loan.id,
        office_id=loan.to_office_id,
        changes={"number": loan.number, "received_by": name},
    )
    return loan


@dataclass(frozen=True)
class ReturnLine:
    """One file back at the desk: its barcode, the sheets counted, its condition."""

    barcode: str
    sheets: int | None = None
    condition: str = GOOD_CONDITION
    note: str = ""


def _discrepancy(item: LoanItem, line: ReturnLine) -> str:
    found = []
    if line.sheets is not None and item.sheets_out is not None and line.sheets != item.sheets_out:
        found.append(f"sheets {item.sheets_out} → {line.sheets}")
    if line.condition.strip() and line.condition.strip() != GOOD_CONDITION:
        found.append(f"condition: {line.condition.strip()}")
    if line.note.strip():
        found.append(nfc(line.note).strip())
    return "; ".join(found)


def return_files(session: Session, actor: Actor, *, lines: Sequence[ReturnLine]) -> list[Loan]:
    """Files back at the desk, by barcode, from one or several loans: each goes back to its slot
    (out-card removed), differences from the register are recorded; a loan with every file back
    is returned. Returns the loans touched."""
    require(actor, Perm.USE_DESK)
    if not lines:
        raise Invalid("loan.no_files")
    touched: dict[int, Loan] = {}
    changes: dict[int, list[dict[str, object]]] = {}
    now = utcnow()
    for line in lines:
        if line.sheets is not None and line.sheets < 0:
            raise Invalid("loan.sheets_negative", value=line.sheets)
        file = _file_by_scan(session, actor, line.barcode)
        card = session.get(OutCard, file.id)
        if card is None or card.kind != "loan" or card.loan_id is None:
            raise Conflict("loan.file_not_on_loan", code=file.code)
        loan = touched.get(card.loan_id) or get_loan(session, actor, card.loan_id)
        touched[loan.id] = loan
        item = next(i for i in loan.items if i.file_id == file.id)
        out_cards.put_back(session, file=file, source=out_cards.Source("loan", loan_id=loan.id))
        item.status = "returned"
        item.returned_at = now
        item.returned_to_id = actor.user_id
        item.sheets_back = line.sheets if line.sheets is not None else item.sheets_out
        item.condition_back = nfc(line.condition).strip() or GOOD_CONDITION
        item.discrepancy = _discrepancy(item, line)
        file.status = "active"
        search_outbox.mark(session, [file.id])  # status is a search filter and facet
        changes.setdefault(loan.id, []).append(
            {"file": file.code, "sheets": item.sheets_back, "discrepancy": item.discrepancy}
        )
    session.flush()
    for loan in touched.values():
        complete = all(i.status in ("returned", "not_served") for i in loan.items)
        if complete:
            _transition(session, loan, from_=("out", "sent"), status="returned", returned_at=now)
        audit.record(
            session,
            actor,
            "loan.returned" if complete else "loan.partly_returned",
            object_type="loan",
            object_id=loan.id,
            office_id=loan.office_id,
            changes={"number": loan.number, "files": changes[loan.id]},
        )
    return list(touched.values())

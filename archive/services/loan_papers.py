"""The papers of a loan, filled from the register: the loan slip (phiếu mượn), the out-cards left
in the box slots (phiếu thay thế) and the overdue reminder letters (giấy nhắc trả).

Each function checks who may print, builds the frozen form of `archive.printing` and returns
the PDF bytes; printing itself never reads the database."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.clock import DEFAULT_TZ, local_date
from archive.errors import Conflict, Invalid
from archive.models import File, Loan, LoanItem, Notice, Office, OutCard, User
from archive.permissions import Actor, Perm, require, require_office
from archive.printing.official import Signature
from archive.printing.out_cards import OutCard as OutCardForm
from archive.printing.out_cards import out_cards_pdf
from archive.printing.use_forms import Approval, FileLine, LoanSlip, loan_slip_pdf
from archive.printing.use_reminders import (
    DepartmentHead,
    OverdueFile,
    ReminderLetter,
    reminder_letter_pdf,
)
from archive.services import loans, overdue
from archive.services.files import path_of
from archive.services.paper_issuer import issuer_for
from archive.services.workdays import due_after, holidays_around, working_days_between

PATH_JOIN = " / "  # "Kho 1 / Giá 01 / Tầng 1 / Hộp 001 / vị trí 2", as the forms print it
LOAN_REASON = "Cho mượn"
ARCHIVE_SIGNER = "PHỤ TRÁCH LƯU TRỮ"
# Working days a reminder of level 1 or 2 gives to bring the files back; level 3 asks for now.
RETURN_WITHIN_DAYS = 3
ITEM_NOTES = {"not_served": "Không giao", "returned": "Đã trả"}


def _office(session: Session, office_id: int) -> Office:
    office = session.get(Office, office_id)
    assert office is not None  # a foreign key
    return office


def _name(session: Session, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id is not None else None
    return user.full_name if user is not None else ""


def _location(session: Session, file: File) -> str:
    return PATH_JOIN.join(path_of(session, file).parts("vi"))


def _file_line(session: Session, item: LoanItem, tz: str) -> FileLine:
    note = ITEM_NOTES.get(item.status, "")
    if item.status == "returned" and item.returned_at is not None:
        note = f"{note} {local_date(item.returned_at, tz).strftime('%d/%m/%Y')}"
    return FileLine(
        file_code=item.file.code,
        title=item.file.title,
        sheet_count=item.sheets_out if item.sheets_out is not None else item.file.sheet_count,
        location=_location(session, item.file),
        note=note,
    )


def loan_slip(
    session: Session,
    actor: Actor,
    loan_id: int,
    *,
    today: date | None = None,
    tz: str = DEFAULT_TZ,
) -> bytes:
    """The loan slip of a loan the actor may see (their own, or the desk's and approvers'
    offices'). Before the hand-out the due date printed is the one a hand-out on `today` (or,
    without it, on the request day) would give. Refuses refused and cancelled loans."""
    require(actor, Perm.LOAN_REQUEST)
    loan = loans.get_loan(session, actor, loan_id)
    if loan.status in ("refused", "cancelled"):
        raise Conflict("loan.status", number=loan.number, status=loan.status)
    requested_on = local_date(loan.requested_at, tz)
    due = loan.due_date or due_after(session, today or requested_on, loan.purpose.loan_days)
    approval = None
    if loan.decided_by_id is not None and loan.decided_at is not None:
        approval = Approval(_name(session, loan.decided_by_id), local_date(loan.decided_at, tz))
    slip = LoanSlip(
        issuer=issuer_for(session, _office(session, loan.office_id)),
        loan_number=loan.number,
        borrower_name=loan.borrower_name,
        borrower_department=loan.borrower_department,
        borrower_office=_office(session, loan.to_office_id or loan.office_id).name,
        purpose=loan.purpose.name,
        requested_on=requested_on,
        due_on=due,
        files=tuple(_file_line(session, item, tz) for item in loan.items),
        approval=approval,
        handed_out_on=local_date(loan.handed_out_at, tz) if loan.handed_out_at else None,
        handed_out_by=_name(session, loan.handed_out_by_id),
    )
    return loan_slip_pdf(slip)


def out_cards(session: Session, actor: Actor, loan_id: int, *, tz: str = DEFAULT_TZ) -> bytes:
    """One out-card per file of the loan still out, with the box slot it came from; for the desk
    of the office that keeps the files. Refuses a loan with no file out."""
    require(actor, Perm.USE_DESK)
    loan = loans.get_loan(session, actor, loan_id)
    require_office(actor, loan.office_id)
    out = [item.file for item in loan.items if item.status == "out"]
    if loan.status not in ("out", "sent") or not out:
        raise Conflict("loan.status", number=loan.number, status=loan.status)
    cards = {
        card.file_id: card
        for card in session.scalars(select(OutCard).where(OutCard.loan_id == loan.id))
    }
    office = _office(session, loan.office_id)
    forms = []
    for file in out:
        card = cards.get(file.id)
        since = card.since if card is not None else loan.handed_out_at
        forms.append(
            OutCardForm(
                office_name=office.name,
                reason=LOAN_REASON,
                file_code=file.code,
                file_barcode=file.barcode,
                title=file.title,
                location=_location(session, file),
                holder_name=loan.borrower_name,
                holder_unit=loan.borrower_department,
                out_on=local_date(since, tz) if since else local_date(loan.requested_at, tz),
                due_on=card.until if card is not None else loan.due_date,
                reference=loan.number,
            )
        )
    return out_cards_pdf(forms)


def _earlier_reminders(session: Session, loan: Loan, level: int, tz: str) -> tuple[date, ...]:
    """The days the borrower was notified of the loan's lower overdue levels (inbox notices)."""
    sent = session.scalars(
        select(Notice.created_at)
        .where(
            Notice.loan_id == loan.id,
            Notice.user_id == loan.borrower_id,
            Notice.kind == "loan.overdue",
            Notice.level < level,
        )
        .order_by(Notice.level)
    )
    return tuple(local_date(at, tz) for at in sent)


def reminder_letter(
    session: Session,
    actor: Actor,
    loan_id: int,
    level: int,
    today: date,
    *,
    tz: str = DEFAULT_TZ,
) -> bytes:
    """The overdue reminder of `level` (1–3) for a loan the daily run has raised to it, dated
    `today`; level 1 goes to the borrower, levels 2 and 3 to their department head. Refuses a
    level 2 or 3 letter when no head of the borrower's department is on record."""
    loan = overdue.reminder_loan(session, actor, loan_id=loan_id, level=level)
    addressee = overdue.reminder_addressee(session, loan, level)
    head = None
    if level >= 2:
        # reminder_addressee falls back to the borrower when no head is on record; a letter
        # asking someone to chase themselves is not sent.
        if (addressee.name, addressee.position) == (loan.borrower_name, loan.borrower_department):
            raise Invalid(
                "printing.reminder_needs_department_head",
                level=level,
                department=loan.borrower_department,
            )
        head = DepartmentHead(addressee.name, addressee.position)
    assert loan.due_date is not None  # a loan out has one
    holidays = holidays_around(session, loan.due_date, span_days=(today - loan.due_date).days + 1)
    late = working_days_between(loan.due_date, today, holidays)
    files = tuple(
        OverdueFile(item.file.code, item.file.title, loan.due_date, late)
        for item in loan.items
        if item.status == "out"
    )
    letter = ReminderLetter(
        issuer=issuer_for(session, _office(session, loan.office_id)),
        number=f"{loan.number}/NT{level}",
        issued_on=today,
        level=level,
        loan_number=loan.number,
        lent_on=local_date(loan.handed_out_at or loan.requested_at, tz),
        borrower_name=loan.borrower_name,
        borrower_department=loan.borrower_department,
        files=files,
        signer=Signature(ARCHIVE_SIGNER, _name(session, actor.user_id)),
        department_head=head,
        return_by=due_after(session, today, RETURN_WITHIN_DAYS) if level < 3 else None,
        earlier_reminders=_earlier_reminders(session, loan, level, tz),
    )
    return reminder_letter_pdf(letter)

"""The loans desk, built for a barcode scanner: one input keeps the focus. Hand-out: scan the
borrower's card, then each file (Enter on an empty input, the "Xác nhận" button or the XACNHAN
barcode confirms). Return: scan each file coming back, correct the sheets counted or the
condition on its line, confirm.

Every scan is checked by running the real hand-out or return in a savepoint that is always
rolled back, so the desk refuses exactly what the confirmation would refuse and a refused scan
changes nothing. The card and the scanned lines travel in the form; htmx swaps only the desk."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, TypeVar

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from archive.api.deps import CurrentActor, DbSession, Today
from archive.models import Loan
from archive.permissions import Actor
from archive.services import loan_desk, loan_views, loans
from archive.services.loan_desk import GOOD_CONDITION, ReturnLine
from archive.services.loan_views import DeskBorrower
from archive.text import fold, nfc
from archive.web.forms import FormError, outcome, trial
from archive.web.templating import hx_redirect, render

router = APIRouter()
TEMPLATE = "loans/desk.html"
MODES = ("out", "return")
CONDITIONS = (GOOD_CONDITION, "damaged", "incomplete", "wet")
# Words a scanner (a printed command barcode) or a keyboard may send instead of a barcode.
COMMANDS = {"XACNHAN": "confirm", "HUY": "reset", "HUYBO": "reset"}
T = TypeVar("T")
FormList = Annotated[list[str], Form()]


@dataclass(frozen=True)
class OutLine:
    """A file scanned for hand-out, and the approved loan it belongs to."""

    barcode: str
    file_code: str
    title: str
    loan_number: str


@dataclass(frozen=True)
class BackLine:
    """A file scanned coming back, with what the desk counted."""

    barcode: str
    file_code: str
    title: str
    loan_number: str
    holder: str
    sheets_out: int | None
    sheets: str = ""
    condition: str = GOOD_CONDITION
    note: str = ""


@dataclass(frozen=True)
class DeskPage:
    mode: str
    borrower: DeskBorrower | None = None
    out_lines: list[OutLine] = field(default_factory=list)
    due_date: date | None = None  # what a hand-out now would give
    back_lines: list[BackLine] = field(default_factory=list)
    conditions: tuple[str, ...] = CONDITIONS
    handed_out: Loan | None = None  # the loan the last confirmation started
    returned: list[Loan] = field(default_factory=list)  # the loans the last return touched
    error: FormError | None = None

    @property
    def card(self) -> str:
        return self.borrower.card_code if self.borrower else ""

    @property
    def prompt(self) -> str:
        """The label key of what the desk waits for."""
        if self.mode == "return":
            return "loans.desk.scan_back"
        return "loans.desk.scan_file" if self.borrower else "loans.desk.scan_card"


def _scanned(value: str) -> str:
    return nfc(value).strip().upper()


def _command(value: str) -> str | None:
    return COMMANDS.get(fold(value).replace(" ", "").upper())


# --- hand-out --------------------------------------------------------------------------------


def _out_preview(
    session: Session, actor: Actor, card: str, scanned: Sequence[str], today: date
) -> tuple[tuple[list[OutLine], date | None] | None, FormError | None]:
    def run() -> tuple[list[OutLine], date | None]:
        loan = loan_desk.desk_hand_out(session, actor, card=card, scanned=scanned, today=today)
        files = {item.file.barcode: item.file for item in loan.items}
        lines = [OutLine(b, files[b].code, files[b].title, loan.number) for b in scanned]
        return lines, loan.due_date

    if not scanned:
        return ([], None), None
    return trial(session, run)


def _out_page(
    session: Session,
    actor: Actor,
    card: str,
    scanned: list[str],
    today: date,
    error: FormError | None = None,
) -> DeskPage:
    """The hand-out side with its lines checked; the borrower is read after the check, whose
    rollback expires the loans it touched."""
    preview, refused = _out_preview(session, actor, card, scanned, today)
    lines, due = preview or ([], None)
    borrower = loan_views.desk_borrower(session, actor, card)
    return DeskPage("out", borrower, lines, due, error=error or refused)


def _hand_out_step(
    request: Request,
    session: Session,
    actor: Actor,
    today: date,
    card: str,
    scan: str,
    scanned: list[str],
) -> Response:
    command = _command(scan)
    if command == "reset" or not (card or scan.strip()):
        return _show(request, DeskPage("out", loan_views.desk_borrower(session, actor, "")))
    if not card:
        borrower, error = outcome(session, lambda: loan_views.desk_borrower(session, actor, scan))
        return _show(request, DeskPage("out", borrower, error=error))
    value = _scanned(scan)
    if command == "confirm" or (not value and scanned):
        loan, error = outcome(
            session,
            lambda: loan_desk.desk_hand_out(
                session, actor, card=card, scanned=scanned, today=today
            ),
        )
        if loan is not None:
            return hx_redirect(request, f"/loans/desk?done={loan.id}")
        return _show(request, _out_page(session, actor, card, scanned, today, error))
    if not value or value in scanned:
        return _show(request, _out_page(session, actor, card, scanned, today))
    preview, error = _out_preview(session, actor, card, [*scanned, value], today)
    if preview is None:
        return _show(request, _out_page(session, actor, card, scanned, today, error))
    borrower = loan_views.desk_borrower(session, actor, card)
    return _show(request, DeskPage("out", borrower, *preview))


# --- return ----------------------------------------------------------------------------------


def _return_lines(lines: Sequence[BackLine]) -> tuple[list[ReturnLine], FormError | None]:
    out = []
    for line in lines:
        sheets = line.sheets.strip()
        if sheets and not sheets.isdigit():
            return [], FormError("loan.sheets_negative", {"value": sheets})
        out.append(
            ReturnLine(line.barcode, int(sheets) if sheets else None, line.condition, line.note)
        )
    return out, None


def _back_preview(
    session: Session, actor: Actor, typed: list[BackLine]
) -> tuple[list[BackLine] | None, FormError | None]:
    """The typed lines completed from the register (file, loan, holder), or the refusal."""
    lines, error = _return_lines(typed)
    if error is not None:
        return None, error

    def run() -> list[BackLine]:
        touched = loan_desk.return_files(session, actor, lines=lines)
        found = {i.file.barcode: (x, i) for x in touched for i in x.items}
        out = []
        for line in typed:
            loan, item = found[line.barcode]
            out.append(
                BackLine(
                    line.barcode,
                    item.file.code,
                    item.file.title,
                    loan.number,
                    loan_desk.holder_text(loan),
                    item.sheets_out,
                    line.sheets,
                    line.condition,
                    line.note,
                )
            )
        return out

    return trial(session, run) if typed else ([], None)


def _typed(
    barcodes: list[str], sheets: list[str], conditions: list[str], notes: list[str]
) -> list[BackLine]:
    def at(values: list[str], n: int, default: str = "") -> str:
        return values[n] if n < len(values) else default

    return [
        BackLine(
            barcode=_scanned(b),
            file_code="",
            title="",
            loan_number="",
            holder="",
            sheets_out=None,
            sheets=at(sheets, n),
            condition=at(conditions, n, GOOD_CONDITION),
            note=at(notes, n),
        )
        for n, b in enumerate(barcodes)
    ]


def _back_page(
    session: Session, actor: Actor, typed: list[BackLine], error: FormError | None = None
) -> DeskPage:
    lines, refused = _back_preview(session, actor, typed)
    return DeskPage("return", back_lines=lines or typed, error=error or refused)


def _return_step(
    request: Request, session: Session, actor: Actor, scan: str, typed: list[BackLine]
) -> Response:
    loan_views.desk_borrower(session, actor, "")  # the desk's permission, checked first
    command = _command(scan)
    value = _scanned(scan)
    if command == "reset":
        return _show(request, DeskPage("return"))
    if command == "confirm" or (not value and typed):
        touched, error = _confirm_return(session, actor, typed)
        if touched:
            ids = ",".join(str(x.id) for x in touched)
            return hx_redirect(request, f"/loans/desk?mode=return&returned={ids}")
        return _show(request, _back_page(session, actor, typed, error))
    if not value or value in {line.barcode for line in typed}:
        return _show(request, _back_page(session, actor, typed))
    more = [*typed, *_typed([value], [], [], [])]
    checked, error = _back_preview(session, actor, more)
    if checked is None:
        return _show(request, _back_page(session, actor, typed, error))
    return _show(request, DeskPage("return", back_lines=checked))


def _confirm_return(
    session: Session, actor: Actor, typed: list[BackLine]
) -> tuple[list[Loan] | None, FormError | None]:
    lines, error = _return_lines(typed)
    if error is not None:
        return None, error
    return outcome(session, lambda: loan_desk.return_files(session, actor, lines=lines))


# --- routes ----------------------------------------------------------------------------------


def _show(request: Request, page: DeskPage) -> Response:
    return render(request, TEMPLATE, page, status=422 if page.error else 200, block="desk")


def _ids(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip().isdigit()]


@router.get("/loans/desk")
def show_desk(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    mode: str = "out",
    done: int | None = None,
    returned: str = "",
) -> Response:
    """The desk, empty, or after a confirmation: the loan handed out (with its papers to print)
    or the loans the files came back to."""
    loan_views.desk_borrower(session, actor, "")
    page = DeskPage(
        mode if mode in MODES else "out",
        handed_out=loans.get_loan(session, actor, done) if done is not None else None,
        returned=[loans.get_loan(session, actor, x) for x in _ids(returned)],
    )
    return render(request, TEMPLATE, page)


@router.post("/loans/desk")
def desk_scan(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    today: Today,
    mode: Annotated[str, Form()] = "out",
    card: Annotated[str, Form()] = "",
    scan: Annotated[str, Form()] = "",
    command: Annotated[str, Form()] = "",
    scanned: FormList = [],  # noqa: B006 - FastAPI reads the default
    barcode: FormList = [],  # noqa: B006
    sheets: FormList = [],  # noqa: B006
    condition: FormList = [],  # noqa: B006
    note: FormList = [],  # noqa: B006
) -> Response:
    """One scan (or a confirmation) at the desk."""
    scan = {"confirm": "XACNHAN", "reset": "HUY"}.get(command, scan)
    if mode == "return":
        return _return_step(request, session, actor, scan, _typed(barcode, sheets, condition, note))
    return _hand_out_step(
        request, session, actor, today, card.strip(), scan, [_scanned(s) for s in scanned]
    )

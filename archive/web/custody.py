"""Custody slips (phiếu giao nhận hồ sơ, sổ BHXH): the slips in transit and the recent ones, a new
slip built for a barcode scanner, and a slip's page (print, receive, cancel).

On a new slip the giver and receiver are chosen first, then each file barcode or passbook number
is scanned (code + Enter). Every scan is checked by sending the whole slip in a savepoint that is
always rolled back, so a scan is refused exactly as the confirmation would refuse it and a refused
scan changes nothing. Enter on an empty scan box, the "Xác nhận" button or the XACNHAN barcode
sends the slip; the scanned items travel in the form and htmx swaps only the slip."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Annotated, TypeVar

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from archive.api.deps import CurrentActor, DbSession, language
from archive.i18n import UI, ui
from archive.models import HOLDER_KINDS, Office
from archive.permissions import Actor
from archive.services import custody, custody_views
from archive.services.custody import TransferIn
from archive.services.custody_views import Line, TransferView
from archive.text import fold, nfc
from archive.web.forms import FormError, outcome, trial
from archive.web.templating import LOCAL_TZ, hx_redirect, render

router = APIRouter()
LIST_TEMPLATE = "custody/list.html"
NEW_TEMPLATE = "custody/new.html"
SLIP_TEMPLATE = "custody/slip.html"
# Notices a slip page may show after a redirect (?ok=…); each has a label "custody.ok.<key>".
NOTICES = frozenset({"sent", "received", "cancelled"})
# Words a scanner (a printed command barcode) or a keyboard may send instead of an item.
COMMANDS = {"XACNHAN": "confirm", "HUY": "reset", "HUYBO": "reset"}
RECENT = 20
ITEM_KINDS = ("file", "passbook")
T = TypeVar("T")
FormList = Annotated[list[str], Form()]


def custody_notice(ok: str | None) -> str | None:
    return ok if ok in NOTICES else None


def readable(error: FormError | None, lang: str) -> FormError | None:
    """The refusal with the codes among its params (a slip's status, review stages, a stage's
    time) put in the reader's words."""
    if error is None:
        return None
    params = dict(error.params)
    for key, prefix in (
        ("status", "custody.status."),
        ("stage", "passbook.stage."),
        ("previous", "passbook.stage."),
    ):
        value = params.get(key)
        if isinstance(value, str) and f"{prefix}{value}" in UI:
            params[key] = ui(f"{prefix}{value}", lang)
    at = params.get("previous_at")
    if isinstance(at, str):
        when = datetime.fromisoformat(at).astimezone(LOCAL_TZ)
        params["previous_at"] = when.strftime("%d/%m/%Y %H:%M")
    for key in ("since", "until"):  # a report's period
        day = params.get(key)
        if isinstance(day, str) and len(day) == 10:
            params[key] = date.fromisoformat(day).strftime("%d/%m/%Y")
    return replace(error, params=params)


@dataclass(frozen=True)
class Item:
    """A scanned item as the form carries it: a file code or a passbook number."""

    kind: str
    code: str

    @property
    def value(self) -> str:
        return f"{self.kind}:{self.code}"


@dataclass(frozen=True)
class SlipForm:
    """The new slip as typed and scanned so far."""

    office_id: int | None = None
    from_kind: str = "archive"
    from_name: str = ""
    from_person: str = ""
    to_kind: str = "department"
    to_name: str = ""
    to_person: str = ""
    note: str = ""
    items: tuple[Item, ...] = ()

    def transfer_in(self) -> TransferIn:
        return TransferIn(
            office_id=self.office_id or 0,
            from_kind=self.from_kind,
            to_kind=self.to_kind,
            from_name=self.from_name,
            to_name=self.to_name,
            from_person=self.from_person,
            to_person=self.to_person,
            file_barcodes=tuple(i.code for i in self.items if i.kind == "file"),
            passbook_numbers=tuple(i.code for i in self.items if i.kind == "passbook"),
            note=self.note,
        )


@dataclass(frozen=True)
class NewSlipPage:
    form: SlipForm
    offices: list[Office]
    kinds: tuple[str, ...]
    lines: list[Line] = field(default_factory=list)  # the items in scan order
    last: Line | None = None  # what the last scan added
    repeated: bool = False  # the last scan was already on the slip
    error: FormError | None = None

    @property
    def focus(self) -> str:
        """Where the keyboard starts: the receiver's name until there is one, then the scan box."""
        f = self.form
        return "to_name" if not (f.items or f.to_name or f.to_kind == "archive") else "scan"


@dataclass(frozen=True)
class CustodyPage:
    in_transit: list[TransferView]
    in_transit_total: int
    recent: list[TransferView]
    ok: str | None = None


@dataclass(frozen=True)
class SlipPage:
    slip: TransferView
    ok: str | None = None
    error: FormError | None = None
    form: dict[str, str] = field(default_factory=dict)

    @property
    def open(self) -> bool:
        """Sent, not yet received nor cancelled: it can be received or cancelled."""
        return self.slip.status == "sent"


def custody_page(session: Session, actor: Actor, ok: str | None = None) -> CustodyPage:
    moving, total = custody_views.list_transfers(session, actor, status="sent")
    recent, _ = custody_views.list_transfers(session, actor, limit=RECENT)
    return CustodyPage(moving, total, recent, custody_notice(ok))


def _preview(
    session: Session, actor: Actor, form: SlipForm
) -> tuple[list[Line] | None, FormError | None]:
    """The slip's lines in scan order as sending it would record them, or the refusal."""
    if not form.items:
        return [], None
    view, error = trial(session, lambda: custody.send(session, actor, form.transfer_in()))
    if view is None:
        return None, error
    found = {(line.kind, line.code): line for line in view.lines}
    return [found.get((i.kind, i.code), Line(i.kind, 0, i.code, "")) for i in form.items], None


def new_slip_page(
    session: Session,
    actor: Actor,
    form: SlipForm,
    *,
    lines: list[Line] | None = None,
    last: Line | None = None,
    repeated: bool = False,
    error: FormError | None = None,
) -> NewSlipPage:
    """The new slip; its lines checked again unless given (bare codes if they are refused)."""
    offices = custody_views.desk_offices(session, actor)
    refused = None
    if lines is None:
        lines, refused = _preview(session, actor, form)
    bare = [Line(i.kind, 0, i.code, "") for i in form.items]
    return NewSlipPage(
        form=form,
        offices=offices,
        kinds=HOLDER_KINDS,
        lines=bare if lines is None else lines,
        last=last,
        repeated=repeated,
        error=error or refused,
    )


def slip_page(
    session: Session,
    actor: Actor,
    transfer_id: int,
    *,
    ok: str | None = None,
    error: FormError | None = None,
    form: dict[str, str] | None = None,
) -> SlipPage:
    slip = custody_views.get_transfer(session, actor, transfer_id)
    return SlipPage(slip, custody_notice(ok), error, form or {})


def _items(values: Sequence[str]) -> tuple[Item, ...]:
    out: dict[Item, None] = {}
    for value in values:
        kind, _, code = value.partition(":")
        if kind in ITEM_KINDS and code:
            out[Item(kind, code)] = None
    return tuple(out)


def _command(value: str) -> str | None:
    return COMMANDS.get(fold(value).replace(" ", "").upper())


def _show(request: Request, page: NewSlipPage) -> Response:
    return render(request, NEW_TEMPLATE, page, status=422 if page.error else 200, block="slip")


def _scan_step(
    request: Request, session: Session, actor: Actor, form: SlipForm, scan: str
) -> Response:
    lang = language(request)
    command = _command(scan)
    if command == "reset":
        return _show(request, new_slip_page(session, actor, replace(form, items=())))
    value = nfc(scan)
    if command == "confirm" or (not value and form.items):
        view, error = outcome(session, lambda: custody.send(session, actor, form.transfer_in()))
        if view is not None:
            return hx_redirect(request, f"/custody/{view.id}?ok=sent")
        return _show(request, new_slip_page(session, actor, form, error=readable(error, lang)))
    if not value:
        return _show(request, new_slip_page(session, actor, form))
    line, error = outcome(
        session,
        lambda: custody_views.scanned_item(
            session, actor, office_id=form.office_id or 0, value=value
        ),
    )
    if line is None:
        return _show(request, new_slip_page(session, actor, form, error=error))
    item = Item(line.kind, line.code)
    if item in form.items:
        return _show(request, new_slip_page(session, actor, form, last=line, repeated=True))
    more = replace(form, items=(*form.items, item))
    lines, error = _preview(session, actor, more)
    if lines is None:
        return _show(request, new_slip_page(session, actor, form, error=readable(error, lang)))
    return _show(request, new_slip_page(session, actor, more, lines=lines, last=line))


@router.get("/custody")
def list_slips(
    request: Request, session: DbSession, actor: CurrentActor, ok: str | None = None
) -> Response:
    return render(request, LIST_TEMPLATE, custody_page(session, actor, ok))


@router.get("/custody/new")
def new_slip(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    form = SlipForm(office_id=actor.office_id)
    return render(request, NEW_TEMPLATE, new_slip_page(session, actor, form))


@router.post("/custody/new")
def scan_slip(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    office_id: Annotated[str, Form()] = "",
    from_kind: Annotated[str, Form()] = "archive",
    from_name: Annotated[str, Form()] = "",
    from_person: Annotated[str, Form()] = "",
    to_kind: Annotated[str, Form()] = "department",
    to_name: Annotated[str, Form()] = "",
    to_person: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    scan: Annotated[str, Form()] = "",
    command: Annotated[str, Form()] = "",
    item: FormList = [],  # noqa: B006 - FastAPI reads the default
) -> Response:
    """One scan (or the confirmation, or starting over) on a new slip."""
    form = SlipForm(
        int(office_id) if office_id.isdigit() else actor.office_id,
        from_kind,
        from_name,
        from_person,
        to_kind,
        to_name,
        to_person,
        note,
        _items(item),
    )
    scan = {"confirm": "XACNHAN", "reset": "HUY"}.get(command, scan)
    return _scan_step(request, session, actor, form, scan)


@router.get("/custody/{transfer_id}")
def show_slip(
    request: Request,
    transfer_id: int,
    session: DbSession,
    actor: CurrentActor,
    ok: str | None = None,
) -> Response:
    return render(request, SLIP_TEMPLATE, slip_page(session, actor, transfer_id, ok=ok))


def _done(
    request: Request,
    session: Session,
    actor: Actor,
    transfer_id: int,
    error: FormError | None,
    ok: str,
    form: dict[str, str],
) -> Response:
    if error is None:
        return hx_redirect(request, f"/custody/{transfer_id}?ok={ok}")
    error = readable(error, language(request))
    page = slip_page(session, actor, transfer_id, error=error, form=form)
    return render(request, SLIP_TEMPLATE, page, status=422)


@router.post("/custody/{transfer_id}/receive")
def receive_slip(
    request: Request,
    transfer_id: int,
    session: DbSession,
    actor: CurrentActor,
    received_by: Annotated[str, Form()] = "",
) -> Response:
    """The receiver signs for the slip (who received it: default the slip's receiver)."""
    _, error = outcome(
        session,
        lambda: custody.receive(session, actor, transfer_id=transfer_id, received_by=received_by),
    )
    form = {"received_by": received_by}
    return _done(request, session, actor, transfer_id, error, "received", form)


@router.post("/custody/{transfer_id}/cancel")
def cancel_slip(
    request: Request,
    transfer_id: int,
    session: DbSession,
    actor: CurrentActor,
    reason: Annotated[str, Form()] = "",
) -> Response:
    """Withdraw a slip not yet received: everything stays with the giver."""
    _, error = outcome(
        session, lambda: custody.cancel(session, actor, transfer_id=transfer_id, reason=reason)
    )
    return _done(request, session, actor, transfer_id, error, "cancelled", {"reason": reason})

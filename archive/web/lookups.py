"""The lookup register (sổ tra cứu): record a question answered from the records without a
visit (asker, channel, purpose, question, answer, optionally the file consulted) and read this
month's lookups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from archive.api.deps import CurrentActor, DbSession, Today, get_runtime
from archive.models import LOOKUP_CHANNELS, Lookup, Office, UsePurpose
from archive.permissions import Actor, Perm
from archive.services import files as file_service
from archive.services import lookups, offices
from archive.services.lookups import LookupIn
from archive.services.use_purposes import list_purposes
from archive.web.forms import FormError, outcome
from archive.web.templating import hx_redirect, render

router = APIRouter()
TEMPLATE = "reading/lookups.html"


@dataclass(frozen=True)
class LookupForm:
    """The form as typed; the file by its code or barcode, in the chosen office."""

    office_id: int | None = None
    asker_name: str = ""
    organisation: str = ""
    channel: str = "in_person"
    purpose_id: int | None = None
    question: str = ""
    answer: str = ""
    file: str = ""


@dataclass(frozen=True)
class LookupRow:
    lookup: Lookup
    file_code: str


@dataclass(frozen=True)
class LookupsPage:
    first: date
    last: date
    rows: list[LookupRow]
    can_record: bool
    form: LookupForm
    offices: list[Office]
    purposes: list[UsePurpose]
    channels: tuple[str, ...] = LOOKUP_CHANNELS
    ok: bool = False
    error: FormError | None = None


def lookups_page(
    session: Session,
    actor: Actor,
    today: date,
    tz: str,
    *,
    form: LookupForm | None = None,
    ok: bool = False,
    error: FormError | None = None,
) -> LookupsPage:
    first = today.replace(day=1)
    found = lookups.list_lookups(session, actor, period=(first, today), tz=tz)
    codes = {
        fid: file_service.get_file(session, actor, fid).code
        for fid in {x.file_id for x in found if x.file_id is not None}
    }
    can_record = actor.has(Perm.USE_DESK)
    return LookupsPage(
        first=first,
        last=today,
        rows=[LookupRow(x, codes.get(x.file_id, "") if x.file_id else "") for x in found],
        can_record=can_record,
        form=form or LookupForm(office_id=actor.office_id),
        offices=offices.list_offices(session, actor) if can_record else [],
        purposes=list_purposes(session) if can_record else [],
        ok=ok,
        error=error,
    )


@router.get("/lookups")
def show_lookups(
    request: Request, session: DbSession, actor: CurrentActor, today: Today, ok: str = ""
) -> Response:
    tz = get_runtime(request).settings.timezone
    page = lookups_page(session, actor, today, tz, ok=ok == "recorded")
    return render(request, TEMPLATE, page)


def _record(session: Session, actor: Actor, form: LookupForm) -> Lookup:
    file_id = None
    if form.file.strip():
        office_id = form.office_id or actor.office_id or 0
        file_id = file_service.get_by_code(session, actor, office_id=office_id, code=form.file).id
    data = LookupIn(
        asker_name=form.asker_name,
        channel=form.channel,
        purpose_id=form.purpose_id or 0,
        question=form.question,
        organisation=form.organisation,
        answer=form.answer,
        file_id=file_id,
        office_id=form.office_id,
    )
    return lookups.record_lookup(session, actor, data)


def _int(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


@router.post("/lookups")
def record_lookup(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    today: Today,
    office_id: str = Form(""),
    asker_name: str = Form(""),
    organisation: str = Form(""),
    channel: str = Form(""),
    purpose_id: str = Form(""),
    question: str = Form(""),
    answer: str = Form(""),
    file: str = Form(""),
) -> Response:
    form = LookupForm(
        _int(office_id),
        asker_name,
        organisation,
        channel,
        _int(purpose_id),
        question,
        answer,
        file,
    )
    recorded, error = outcome(session, lambda: _record(session, actor, form))
    if recorded is not None:
        return hx_redirect(request, "/lookups?ok=recorded")
    tz = get_runtime(request).settings.timezone
    page = lookups_page(session, actor, today, tz, form=form, error=error)
    return render(request, TEMPLATE, page, status=422)

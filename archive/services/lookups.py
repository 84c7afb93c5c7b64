"""Lookups (tra cứu): questions answered from the records without a visit — by phone, letter,
at the counter or for another department — registered like every other use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from archive.clock import DEFAULT_TZ, day_bounds
from archive.errors import Forbidden, Invalid, NotFound
from archive.models import LOOKUP_CHANNELS, File, Lookup, utcnow
from archive.permissions import Actor, Perm, require, require_office
from archive.services import audit
from archive.services.files import get_file
from archive.services.loans import get_purpose
from archive.services.reading_room import require_reader, restricted_files
from archive.text import nfc

MAX_PERIOD_DAYS = 366
MAX_TEXT = 4000


@dataclass(frozen=True)
class LookupIn:
    """A question and its answer; the office is the file's, else the given one, else the actor's."""

    asker_name: str
    channel: str
    purpose_id: int
    question: str
    organisation: str = ""
    answer: str = ""
    file_id: int | None = None
    office_id: int | None = None


def _text(value: str, code: str, *, max_length: int, required: bool = False) -> str:
    # Keep the writer's line breaks in questions and answers; only tidy each line.
    cleaned = "\n".join(nfc(line) for line in value.strip().splitlines()).strip()
    if (required and not cleaned) or len(cleaned) > max_length:
        raise Invalid(code, max=max_length)
    return cleaned


def _office_and_file(session: Session, actor: Actor, data: LookupIn) -> tuple[int, File | None]:
    if data.file_id is None:
        office_id = data.office_id if data.office_id is not None else actor.office_id
        if office_id is None:
            raise Invalid("lookup.office_required")
        require_office(actor, office_id)
        return office_id, None
    file = get_file(session, actor, data.file_id)
    if data.office_id is not None and data.office_id != file.office_id:
        raise Invalid("lookup.office_mismatch", code=file.code)
    if restricted_files(session, [file]) and not actor.has(Perm.USE_APPROVE):
        # Restricted series require approval for any use; a lookup has no approval step, so
        # only someone who may approve answers it.
        raise Forbidden("lookup.restricted", code=file.code)
    return file.office_id, file


def record_lookup(session: Session, actor: Actor, data: LookupIn) -> Lookup:
    """Register a question answered from the records. Refuses unknown channels, empty questions,
    and a lookup about a file of a restricted series by someone who may not approve its use."""
    require(actor, Perm.USE_DESK)
    if actor.user_id is None:
        raise Invalid("lookup.answerer_required")
    if data.channel not in LOOKUP_CHANNELS:
        raise Invalid("lookup.channel", value=data.channel)
    asker = _text(data.asker_name, "lookup.asker_name", max_length=200, required=True)
    organisation = _text(data.organisation, "lookup.organisation", max_length=300)
    question = _text(data.question, "lookup.question", max_length=MAX_TEXT, required=True)
    answer = _text(data.answer, "lookup.answer", max_length=MAX_TEXT)
    purpose = get_purpose(session, data.purpose_id)
    office_id, file = _office_and_file(session, actor, data)
    lookup = Lookup(
        office_id=office_id,
        asked_at=utcnow(),
        asker_name=asker,
        organisation=organisation,
        channel=data.channel,
        purpose_id=purpose.id,
        question=question,
        answer=answer,
        file_id=file.id if file is not None else None,
        answered_by_id=actor.user_id,
    )
    session.add(lookup)
    session.flush()
    audit.record(
        session,
        actor,
        "lookup.recorded",
        object_type="lookup",
        object_id=lookup.id,
        office_id=office_id,
        changes={
            "asker": asker,
            "organisation": organisation,
            "channel": data.channel,
            "purpose": purpose.code,
            "file": file.code if file is not None else None,
        },
    )
    return _load(session, lookup.id)


def _load(session: Session, lookup_id: int) -> Lookup:
    lookup = session.scalar(
        select(Lookup)
        .options(selectinload(Lookup.purpose))
        .where(Lookup.id == lookup_id)
        .execution_options(populate_existing=True)
    )
    if lookup is None:
        raise NotFound("lookup.not_found", lookup_id=lookup_id)
    return lookup


def get_lookup(session: Session, actor: Actor, lookup_id: int) -> Lookup:
    """A lookup of the actor's offices."""
    require_reader(actor)
    lookup = _load(session, lookup_id)
    require_office(actor, lookup.office_id)
    return lookup


def list_lookups(
    session: Session,
    actor: Actor,
    *,
    period: tuple[date, date],
    office_id: int | None = None,
    tz: str = DEFAULT_TZ,
    limit: int = 500,
) -> list[Lookup]:
    """Lookups asked in the period (local days, both included) in the actor's offices, oldest
    first. Refuses a period that ends before it starts or spans more than a year."""
    require_reader(actor)
    first, last = period
    if last < first or (last - first).days >= MAX_PERIOD_DAYS:
        raise Invalid("lookup.period", since=first.isoformat(), until=last.isoformat())
    start, end = day_bounds(first, last, tz)
    stmt = (
        select(Lookup)
        .options(selectinload(Lookup.purpose))
        .where(Lookup.asked_at >= start, Lookup.asked_at < end)
    )
    if office_id is not None:
        require_office(actor, office_id)
        stmt = stmt.where(Lookup.office_id == office_id)
    elif actor.office_ids is not None:
        stmt = stmt.where(Lookup.office_id.in_(actor.office_ids))
    return list(session.scalars(stmt.order_by(Lookup.asked_at, Lookup.id).limit(limit)))

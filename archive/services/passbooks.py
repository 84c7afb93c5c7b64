"""Passbooks (sổ BHXH) under review (letter 4027/BHXH-ST): registering them (from a
passbook-review handover batch, or one by one), scanning them through the review stages, and the
progress report per office and stage.

Where a passbook is lives in `custody_views`; the slips that move it in `custody`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from archive.clock import DEFAULT_TZ, day_bounds
from archive.errors import Conflict, Invalid, NotFound
from archive.models import (
    HOLDER_KINDS,
    PASSBOOK_STAGES,
    File,
    HandoverItem,
    Office,
    Passbook,
    Person,
    utcnow,
)
from archive.permissions import Actor, Perm, require, require_office
from archive.services import audit, handover, people
from archive.services.files import get_file
from archive.services.handover_lines import PASSBOOK, number_of
from archive.text import nfc

MAX_SCAN = 2000
# The timestamp column of each stage, in report order.
STAGE_COLUMNS: dict[str, Any] = {
    stage: getattr(Passbook, f"{stage}_at") for stage in PASSBOOK_STAGES
}


def clean_number(value: str) -> str:
    """A passbook number as scanned or typed, without spaces, dots or dashes; refuses anything but
    1–20 ASCII letters and digits."""
    cleaned = number_of(value)
    if not cleaned or len(cleaned) > 20 or not cleaned.isascii() or not cleaned.isalnum():
        raise Invalid("passbook.number", value=value)
    return cleaned


def _office(session: Session, office_id: int) -> Office:
    office = session.get(Office, office_id)
    if office is None:
        raise NotFound("office.not_found", office_id=office_id)
    return office


def get_passbook(session: Session, actor: Actor, passbook_id: int) -> Passbook:
    """A passbook the actor may handle; refuses unknown ones and other offices' passbooks."""
    require(actor, Perm.USE_DESK)
    passbook = session.get(Passbook, passbook_id)
    if passbook is None:
        raise NotFound("passbook.not_found_id", passbook_id=passbook_id)
    require_office(actor, passbook.office_id)
    return passbook


def get_by_number(session: Session, actor: Actor, number: str) -> Passbook:
    """The passbook with this number (spaces and dashes ignored), if the actor may handle it."""
    require(actor, Perm.USE_DESK)
    passbook = session.scalar(select(Passbook).where(Passbook.number == clean_number(number)))
    if passbook is None:
        raise NotFound("passbook.not_found", number=nfc(number))
    require_office(actor, passbook.office_id)
    return passbook


@dataclass(frozen=True)
class PassbookIn:
    """One passbook registered by hand: its number, office, worker and where it is now."""

    office_id: int
    number: str
    full_name: str = ""
    ssn: str | None = None
    employer_code: str | None = None
    employer_name: str = ""
    file_id: int | None = None
    holder_kind: str = "archive"
    holder_name: str = ""  # blank for the archive: the office's name
    received_at: datetime | None = None  # the "received" stage (Số lượng 04), if it came in


def _person_id(session: Session, ssn: str | None, full_name: str) -> int | None:
    """The worker, created if new when both number and name are known; a number alone links only
    an existing person."""
    if not ssn:
        return None
    if full_name:
        return people.ensure_person(session, ssn=ssn, full_name=full_name).id
    return session.scalar(select(Person.id).where(Person.ssn == ssn))


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise Invalid("passbook.naive_time", at=at.isoformat())
    return at


def register(session: Session, actor: Actor, data: PassbookIn) -> Passbook:
    """Register one passbook with its current holder; refuses a number already registered, an
    unknown holder kind, and a non-archive holder without a name."""
    require(actor, Perm.USE_DESK)
    require_office(actor, data.office_id)
    office = _office(session, data.office_id)
    number = clean_number(data.number)
    if data.holder_kind not in HOLDER_KINDS:
        raise Invalid("custody.holder_kind", value=data.holder_kind)
    holder_name = nfc(data.holder_name) or (office.name if data.holder_kind == "archive" else "")
    if not holder_name:
        raise Invalid("custody.holder_name", kind=data.holder_kind)
    if session.scalar(select(Passbook.id).where(Passbook.number == number)) is not None:
        raise Conflict("passbook.duplicate", number=number)
    file_id = get_file(session, actor, data.file_id).id if data.file_id is not None else None
    employer = (
        people.ensure_employer(session, code=data.employer_code, name=data.employer_name)
        if data.employer_code
        else None
    )
    passbook = Passbook(
        number=number,
        office_id=office.id,
        person_id=_person_id(session, data.ssn, nfc(data.full_name)),
        full_name=nfc(data.full_name),
        employer_id=employer.id if employer else None,
        file_id=file_id,
        holder_kind=data.holder_kind,
        holder_name=holder_name,
        holder_since=utcnow(),
        received_at=_aware(data.received_at) if data.received_at else None,
    )
    session.add(passbook)
    session.flush()
    audit.record(
        session,
        actor,
        "passbook.registered",
        object_type="passbook",
        object_id=passbook.id,
        office_id=passbook.office_id,
        changes={"number": number, "holder": [data.holder_kind, holder_name]},
    )
    return passbook


@dataclass(frozen=True)
class Registered:
    """What registering a batch did: passbooks created, and numbers already registered."""

    office_id: int
    created: tuple[str, ...]
    existing: tuple[str, ...]


def register_from_batch(session: Session, actor: Actor, *, batch_id: int) -> Registered:
    """Register the passbooks of a completed passbook-review handover batch's received lines,
    held by the receiving archive, counted as received when their line was scanned. Numbers
    already registered are skipped (running it twice is harmless). Refuses another kind of batch,
    an open batch and a batch with no received passbook."""
    require(actor, Perm.USE_DESK)
    batch = handover.get_batch(session, actor, batch_id)
    if batch.kind != PASSBOOK:
        raise Invalid("passbook.batch_kind", batch_id=batch.id)
    if batch.status != "completed":
        raise Conflict("passbook.batch_open", batch_id=batch.id)
    # Progress is reported per district: the office whose workers' passbooks these are.
    office_id = batch.source_office_id or batch.office_id
    require_office(actor, office_id)
    items = list(
        session.scalars(
            select(HandoverItem)
            .where(
                HandoverItem.batch_id == batch.id,
                HandoverItem.status.in_(handover.TAKEN),
                HandoverItem.passbook_number.is_not(None),
            )
            .order_by(HandoverItem.passbook_number, HandoverItem.row_no)
        )
    )
    if not items:
        raise Conflict("passbook.batch_empty", batch_id=batch.id)
    numbers = [clean_number(i.passbook_number or "") for i in items]
    existing = set(session.scalars(select(Passbook.number).where(Passbook.number.in_(numbers))))
    archive = _office(session, batch.office_id)
    now = utcnow()
    created = []
    for item, number in zip(items, numbers, strict=True):
        if number in existing:
            continue
        existing.add(number)
        came_in = item.received_at or now
        if item.file_id is not None:
            person_id = session.scalar(select(File.person_id).where(File.id == item.file_id))
        else:
            person_id = _person_id(session, item.ssn, item.full_name)
        session.add(
            Passbook(
                number=number,
                office_id=office_id,
                person_id=person_id,
                full_name=item.full_name,
                employer_id=batch.employer_id,
                file_id=item.file_id,
                holder_kind="archive",
                holder_name=archive.name,
                holder_since=came_in,
                received_at=came_in,
            )
        )
        created.append(number)
    session.flush()
    skipped = tuple(n for n in numbers if n not in created)
    audit.record(
        session,
        actor,
        "passbook.registered_from_batch",
        object_type="handover",
        object_id=batch.id,
        office_id=office_id,
        changes={"created": created, "existing": list(skipped)},
    )
    return Registered(office_id=office_id, created=tuple(created), existing=skipped)


@dataclass(frozen=True)
class StageResult:
    """A scan at a stage: passbooks newly stamped, and those that already were (left as they were)."""

    stage: str
    at: datetime
    advanced: tuple[str, ...]
    already: tuple[str, ...]


def _scanned(session: Session, actor: Actor, numbers: Sequence[str]) -> list[Passbook]:
    cleaned = list(dict.fromkeys(clean_number(n) for n in numbers if n.strip()))
    if not cleaned:
        raise Invalid("passbook.no_numbers")
    if len(cleaned) > MAX_SCAN:
        raise Invalid("passbook.too_many", max=MAX_SCAN)
    found = {
        p.number: p for p in session.scalars(select(Passbook).where(Passbook.number.in_(cleaned)))
    }
    unknown = [n for n in cleaned if n not in found]
    if unknown:
        raise NotFound("passbook.not_found", number=", ".join(unknown[:10]))
    for passbook in found.values():
        require_office(actor, passbook.office_id)
    return [found[n] for n in cleaned]


def _check_order(passbook: Passbook, stage: str, at: datetime) -> None:
    """Refuses a stage whose earlier stage is missing, or stamped later than `at`."""
    index = PASSBOOK_STAGES.index(stage)
    if index == 0:
        return
    previous = PASSBOOK_STAGES[index - 1]
    previous_at: datetime | None = getattr(passbook, f"{previous}_at")
    if previous_at is None:
        raise Conflict(
            "passbook.stage_order", number=passbook.number, stage=stage, previous=previous
        )
    if previous_at > at:
        raise Conflict(
            "passbook.stage_before_previous",
            number=passbook.number,
            stage=stage,
            previous=previous,
            previous_at=previous_at.isoformat(),
        )


def advance_stage(
    session: Session, actor: Actor, *, numbers: Sequence[str], stage: str, at: datetime
) -> StageResult:
    """Stamp scanned passbooks at a review stage. Stages go in order: a stage whose earlier stage
    is missing or later than `at` refuses the whole scan (nothing changes). A passbook already at
    the stage keeps its time (scanning twice is harmless)."""
    require(actor, Perm.USE_DESK)
    if stage not in PASSBOOK_STAGES:
        raise Invalid("passbook.stage", value=stage)
    at = _aware(at)
    passbooks = _scanned(session, actor, numbers)
    column = STAGE_COLUMNS[stage]
    todo = [p for p in passbooks if getattr(p, f"{stage}_at") is None]
    for passbook in todo:
        _check_order(passbook, stage, at)
    advanced = []
    for passbook in todo:
        # Compare-and-set: of two desks scanning the same passbook at once, the first time stays.
        done = session.execute(
            update(Passbook)
            .where(Passbook.id == passbook.id, column.is_(None))
            .values({column.key: at})
            .execution_options(synchronize_session=False)
        )
        session.refresh(passbook)
        if not getattr(done, "rowcount", 0):
            continue
        advanced.append(passbook.number)
        audit.record(
            session,
            actor,
            "passbook.stage",
            object_type="passbook",
            object_id=passbook.id,
            office_id=passbook.office_id,
            changes={"number": passbook.number, "stage": stage, f"{stage}_at": [None, at]},
        )
    already = tuple(p.number for p in passbooks if p.number not in advanced)
    return StageResult(stage=stage, at=at, advanced=tuple(advanced), already=already)


@dataclass(frozen=True)
class ProgressRow:
    """One office's passbooks at each stage (the columns used in practice), or the total row."""

    office_id: int | None
    office_code: str
    office_name: str
    received: int  # Số lượng 04
    form03_printed: int
    form03_handed_out: int
    form03_returned: int
    approved: int
    passbook_printed: int


@dataclass(frozen=True)
class ProgressReport:
    since: date | None
    until: date | None
    rows: tuple[ProgressRow, ...]
    total: ProgressRow


def _stage_counts(
    session: Session,
    offices: frozenset[int] | None,
    start: datetime | None,
    end: datetime | None,
) -> dict[int, list[int]]:
    counts = []
    for column in STAGE_COLUMNS.values():
        within = column.is_not(None)
        if start is not None:
            within = within & (column >= start)
        if end is not None:
            within = within & (column < end)
        counts.append(func.coalesce(func.sum(case((within, 1), else_=0)), 0))
    stmt = select(Passbook.office_id, *counts).group_by(Passbook.office_id)
    if offices is not None:
        stmt = stmt.where(Passbook.office_id.in_(offices))
    return {int(row[0]): [int(v) for v in row[1:]] for row in session.execute(stmt)}


def progress(
    session: Session,
    actor: Actor,
    *,
    office_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    tz: str = DEFAULT_TZ,
) -> ProgressReport:
    """Passbooks per office at each review stage, with a total row: all time, or stamped within
    [since, until] (local days, `until` included). Refuses a period ending before it starts."""
    require(actor, Perm.REPORTS)
    offices = actor.office_ids
    if office_id is not None:
        require_office(actor, office_id)
        offices = frozenset({office_id})
    if since is not None and until is not None and since > until:
        raise Invalid("report.period", since=since.isoformat(), until=until.isoformat())
    start = day_bounds(since, since, tz)[0] if since is not None else None
    end = day_bounds(until, until, tz)[1] if until is not None else None
    counts = _stage_counts(session, offices, start, end)
    names = {o.id: o for o in session.scalars(select(Office).where(Office.id.in_(counts)))}
    rows = tuple(
        ProgressRow(oid, names[oid].code, names[oid].name, *values)
        for oid, values in sorted(counts.items(), key=lambda kv: names[kv[0]].code)
    )
    sums = [sum(r) for r in zip(*counts.values(), strict=True)] if counts else [0] * 6
    return ProgressReport(since, until, rows, ProgressRow(None, "", "", *sums))

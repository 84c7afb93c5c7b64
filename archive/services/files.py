"""Files (hồ sơ): register, edit, move between boxes, re-order within a box, history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, joinedload

from archive.errors import Conflict, Invalid, NotFound
from archive.identifiers import normalise_file_code
from archive.models import Box, BoxProfile, File, Office, OutCard, Series
from archive.permissions import Actor, Perm, require, require_office
from archive.services import audit, barcodes, people, search_outbox
from archive.services.locations import get_box
from archive.services.movements import Move, record_move
from archive.services.paths import LocationPath, file_path
from archive.services.places import find_box
from archive.text import nfc

MOVABLE_STATUSES = ("active",)


@dataclass(frozen=True)
class FileIn:
    """What a new file is registered with; person and passbook parts depend on the series."""

    office_id: int
    series_id: int
    code: str
    title: str
    start_date: date | None = None
    end_date: date | None = None
    sheet_count: int = 0
    notes: str = ""
    box_id: int | None = None
    ssn: str | None = None
    full_name: str = ""
    birth_date: date | None = None
    citizen_id: str | None = None
    benefit_type: str = ""
    passbook_number: str | None = None
    employer_code: str | None = None
    employer_name: str = ""
    district_office_id: int | None = None
    handover_id: int | None = None


def get_file(session: Session, actor: Actor, file_id: int) -> File:
    """A file the actor may see; refuses unknown files and other offices' files."""
    require(actor, Perm.REGISTER_READ)
    file = session.get(File, file_id)
    if file is None:
        raise NotFound("file.not_found", file_id=file_id)
    require_office(actor, file.office_id)
    return file


def get_by_code(session: Session, actor: Actor, *, office_id: int, code: str) -> File:
    """The office's file with this code (or barcode), if the actor may see it."""
    require(actor, Perm.REGISTER_READ)
    require_office(actor, office_id)
    text = code.strip()
    file = session.scalar(
        select(File).where(
            File.office_id == office_id, or_(File.code == text, File.barcode == text.upper())
        )
    )
    if file is None:
        raise NotFound("file.not_found_code", code=text)
    return file


def _check_basics(code: str, title: str, start: date | None, end: date | None, sheets: int) -> None:
    if not nfc(title):
        raise Invalid("file.title")
    if start and end and start > end:
        raise Invalid("file.dates_order", code=code)
    if sheets < 0:
        raise Invalid("file.sheet_count", value=sheets)


def _box_for_file(session: Session, box_id: int, office_id: int) -> tuple[Box, int]:
    """The box and the next free position in it; refuses another office's box or a full one."""
    box = session.get(Box, box_id)
    if box is None:
        raise NotFound("box.not_found", box_id=box_id)
    if box.office_id != office_id:
        raise Invalid("file.box_other_office", box_id=box_id)
    capacity = session.scalar(
        select(BoxProfile.capacity_files).where(BoxProfile.id == box.profile_id)
    )
    count, last = session.execute(
        select(func.count(File.id), func.coalesce(func.max(File.position), 0)).where(
            File.box_id == box_id
        )
    ).one()
    if capacity is not None and count >= capacity:
        raise Conflict("box.full", number=box.number, capacity=capacity)
    return box, int(last or 0) + 1


def create_file(session: Session, actor: Actor, data: FileIn) -> File:
    """Register a file with its barcode; refuses a duplicate code, a full or foreign box, bad identifiers."""
    require(actor, Perm.REGISTER_WRITE)
    require_office(actor, data.office_id)
    office = session.get(Office, data.office_id)
    if office is None:
        raise NotFound("office.not_found", office_id=data.office_id)
    series = session.get(Series, data.series_id)
    if series is None:
        raise NotFound("series.not_found", code=data.series_id)
    code = normalise_file_code(data.code)
    _check_basics(code, data.title, data.start_date, data.end_date, data.sheet_count)
    if session.scalar(select(File.id).where(File.office_id == office.id, File.code == code)):
        raise Conflict("file.duplicate_code", code=code)
    person_id = None
    if data.ssn:
        person_id = people.ensure_person(
            session,
            ssn=data.ssn,
            full_name=data.full_name,
            birth_date=data.birth_date,
            citizen_id=data.citizen_id,
        ).id
    elif series.kind == "benefit":
        raise Invalid("file.person_required", code=code)
    employer_id = None
    if data.employer_code:
        employer_id = people.ensure_employer(
            session, code=data.employer_code, name=data.employer_name
        ).id
    position = None
    if data.box_id is not None:
        _, position = _box_for_file(session, data.box_id, office.id)
    (barcode,) = barcodes.allocate(session, "file", office.code)
    file = File(
        office_id=office.id,
        series_id=series.id,
        code=code,
        title=nfc(data.title),
        start_date=data.start_date,
        end_date=data.end_date,
        sheet_count=data.sheet_count,
        notes=nfc(data.notes),
        box_id=data.box_id,
        position=position,
        barcode=barcode,
        person_id=person_id,
        benefit_type=nfc(data.benefit_type),
        passbook_number=data.passbook_number,
        employer_id=employer_id,
        district_office_id=data.district_office_id,
        handover_id=data.handover_id,
    )
    session.add(file)
    session.flush()
    audit.record(
        session,
        actor,
        "file.created",
        object_type="file",
        object_id=file.id,
        office_id=office.id,
        changes={k: [None, v] for k, v in _snapshot(file).items()},
    )
    search_outbox.mark(session, [file.id])
    return file


EDITABLE = ("title", "start_date", "end_date", "sheet_count", "notes", "benefit_type", "series_id")


def _snapshot(file: File) -> dict[str, Any]:
    return {
        "code": file.code,
        "title": file.title,
        "start_date": file.start_date,
        "end_date": file.end_date,
        "sheet_count": file.sheet_count,
        "notes": file.notes,
        "series_id": file.series_id,
        "box_id": file.box_id,
        "position": file.position,
        "status": file.status,
        "benefit_type": file.benefit_type,
    }


def update_file(session: Session, actor: Actor, *, file_id: int, changes: dict[str, Any]) -> File:
    """Change a file's description (not its place: see move_file); refuses unknown fields."""
    require(actor, Perm.REGISTER_WRITE)
    file = get_file(session, actor, file_id)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise Invalid("request.invalid", detail=", ".join(sorted(unknown)))
    before = _snapshot(file)
    for key, value in changes.items():
        setattr(file, key, nfc(value) if isinstance(value, str) else value)
    if "series_id" in changes and session.get(Series, file.series_id) is None:
        raise NotFound("series.not_found", code=file.series_id)
    _check_basics(file.code, file.title, file.start_date, file.end_date, file.sheet_count)
    session.flush()
    audit.record(
        session,
        actor,
        "file.updated",
        object_type="file",
        object_id=file.id,
        office_id=file.office_id,
        changes=audit.diff(before, _snapshot(file)),
    )
    search_outbox.mark(session, [file.id])
    return file


def _shift(session: Session, box_id: int, from_position: int, delta: int) -> None:
    """Shift positions ≥ `from_position` by `delta` without tripping UNIQUE(box, position):
    first to negatives, then back (PostgreSQL checks uniqueness row by row)."""
    rows = (File.box_id == box_id) & (File.position >= from_position)
    session.execute(
        update(File)
        .where(rows)
        .values(position=-(File.position + delta))
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(File)
        .where((File.box_id == box_id) & (File.position < 0))
        .values(position=-File.position)
        .execution_options(synchronize_session=False)
    )


def path_of(session: Session, file: File) -> LocationPath:
    """Where the file is now."""
    office_code = session.scalar(select(Office.code).where(Office.id == file.office_id))
    assert office_code is not None
    return file_path(session, file.box_id, file.position, office_code)


def move_file(
    session: Session,
    actor: Actor,
    *,
    file_id: int,
    box_id: int,
    position: int | None = None,
    reason: str = "",
) -> File:
    """Move a file into another box (at its end, or at `position`), closing the gap it leaves.

    Refuses a box of another office, a full box, and files that are out (on loan, destroyed)."""
    require(actor, Perm.REGISTER_WRITE)
    file = get_file(session, actor, file_id)
    if file.status not in MOVABLE_STATUSES:
        raise Conflict("file.not_movable", status=file.status)
    card = session.get(OutCard, file.id)
    if card is not None:
        raise Conflict("file.out", code=file.code, holder=card.holder)
    if file.box_id == box_id:
        raise Invalid("file.same_box", file_id=file_id)
    target, end = _box_for_file(session, box_id, file.office_id)
    require_office(actor, target.office_id)
    if position is not None and not 1 <= position <= end:
        raise Invalid("file.position", value=position)
    before_path = path_of(session, file)
    from_box, from_position = file.box_id, file.position
    file.box_id, file.position = None, None
    session.flush()
    if from_box is not None and from_position is not None:
        _shift(session, from_box, from_position + 1, -1)
    if position is not None and position < end:
        _shift(session, box_id, position, +1)
    file.box_id, file.position = box_id, position or end
    session.flush()
    after_path = path_of(session, file)
    record_move(
        session,
        actor,
        Move(
            kind="file",
            object_id=file.id,
            office_id=file.office_id,
            from_ref=from_box,
            from_position=from_position,
            from_path=before_path,
            to_ref=box_id,
            to_position=file.position,
            to_path=after_path,
            reason=reason,
        ),
    )
    search_outbox.mark(session, [file.id])  # its box number is indexed (a filter)
    return file


def files_in_box(session: Session, actor: Actor, box_id: int) -> list[File]:
    """The files of a box in their order, with person and series loaded."""
    get_box(session, actor, box_id)
    return list(
        session.scalars(
            select(File)
            .where(File.box_id == box_id)
            .order_by(File.position)
            .options(joinedload(File.person), joinedload(File.series))
        )
    )


def reorder_box(session: Session, actor: Actor, *, box_id: int, file_ids: list[int]) -> list[File]:
    """Put the files of a box in the given order; refuses a list that is not exactly its files."""
    require(actor, Perm.REGISTER_WRITE)
    current = files_in_box(session, actor, box_id)
    if sorted(f.id for f in current) != sorted(file_ids) or len(set(file_ids)) != len(file_ids):
        raise Invalid("box.order_mismatch", box_id=box_id)
    before = [f.id for f in current]
    session.execute(
        update(File)
        .where(File.box_id == box_id)
        .values(position=-File.position)
        .execution_options(synchronize_session=False)
    )
    by_id = {f.id: f for f in current}
    for index, fid in enumerate(file_ids, start=1):
        session.execute(
            update(File)
            .where(File.id == fid)
            .values(position=index)
            .execution_options(synchronize_session=False)
        )
        by_id[fid].position = index
    session.flush()
    box = session.get(Box, box_id)
    assert box is not None
    audit.record(
        session,
        actor,
        "box.reordered",
        object_type="box",
        object_id=box_id,
        office_id=box.office_id,
        changes={"order": [before, file_ids]},
    )
    return [by_id[fid] for fid in file_ids]


def move_file_to(
    session: Session, actor: Actor, *, file_id: int, target: str, reason: str = ""
) -> File:
    """Move a file to the end of the box a desk scanned or typed (barcode, or number in the
    file's office); refuses what move_file refuses and an unknown box."""
    file = get_file(session, actor, file_id)
    box = find_box(session, actor, office_id=file.office_id, ref=target)
    return move_file(session, actor, file_id=file_id, box_id=box.id, reason=reason)


def shift_file(session: Session, actor: Actor, *, file_id: int, delta: int) -> list[File]:
    """Move a file up (delta < 0) or down within its box; refuses a file not in a box or a step
    past either end."""
    file = get_file(session, actor, file_id)
    if file.box_id is None or file.position is None:
        raise Invalid("file.position", value=delta)
    order = [f.id for f in files_in_box(session, actor, file.box_id)]
    index = order.index(file.id)
    target = index + delta
    if not 0 <= target < len(order):
        raise Invalid("file.position", value=target + 1)
    order.insert(target, order.pop(index))
    return reorder_box(session, actor, box_id=file.box_id, file_ids=order)

"""What the file page shows: a file's details with its person, series and place, and its history
(registration, edits and moves), read in as few queries as possible."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from archive.models import AuditEvent, Box, File, Movement, Office, Series
from archive.permissions import Actor, Perm
from archive.services.files import get_file, path_of
from archive.services.locations import get_box
from archive.services.paths import LocationPath, box_paths


@dataclass(frozen=True)
class HistoryEntry:
    at: Any
    actor_label: str
    action: str
    from_path: str = ""
    to_path: str = ""
    reason: str = ""
    changes: dict[str, Any] = field(default_factory=dict)


def history(session: Session, actor: Actor, file_id: int) -> list[HistoryEntry]:
    """Everything that happened to a file, oldest first: registration, edits and moves."""
    file = get_file(session, actor, file_id)
    out = [
        HistoryEntry(
            at=m.at,
            actor_label=m.actor_label,
            action="file.moved",
            from_path=m.from_path,
            to_path=m.to_path,
            reason=m.reason,
        )
        for m in session.scalars(select(Movement).where(Movement.file_id == file.id))
    ]
    events = session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_type == "file",
            AuditEvent.object_id == file.id,
            AuditEvent.action != "file.moved",
        )
    )
    out += [
        HistoryEntry(
            at=e.at, actor_label=e.actor_label, action=e.action, changes=json.loads(e.changes)
        )
        for e in events
    ]
    return sorted(out, key=lambda entry: entry.at)


# --- Helpers for the web pages (issue 2, item 11) ------------------------------------------


@dataclass(frozen=True)
class FileDetail:
    """A file with everything its page shows; personal data only for entitled actors."""

    file: File
    series: Series
    office: Office
    box: Box | None
    path: LocationPath
    person_name: str = ""
    ssn: str = ""
    birth_date: date | None = None
    citizen_id: str = ""
    passbook_number: str = ""
    employer_code: str = ""
    employer_name: str = ""
    personal_shown: bool = False


_LOADED = (
    joinedload(File.series),
    joinedload(File.office),
    joinedload(File.box),
    joinedload(File.person),
    joinedload(File.employer),
)


def _detail(actor: Actor, file: File, path: LocationPath) -> FileDetail:
    personal = actor.has(Perm.PERSONAL_DATA)
    person, employer = file.person, file.employer
    return FileDetail(
        file=file,
        series=file.series,
        office=file.office,
        box=file.box,
        path=path,
        person_name=person.full_name if person else "",
        ssn=person.ssn if person and personal else "",
        birth_date=person.birth_date if person and personal else None,
        citizen_id=(person.citizen_id or "") if person and personal else "",
        passbook_number=(file.passbook_number or "") if personal else "",
        employer_code=employer.code if employer else "",
        employer_name=employer.name if employer else "",
        personal_shown=personal,
    )


def file_detail(session: Session, actor: Actor, file_id: int) -> FileDetail:
    """A file with series, office, box, person and employer loaded in one query; refuses unknown
    files and other offices' files."""
    get_file(session, actor, file_id)
    file = session.scalars(select(File).where(File.id == file_id).options(*_LOADED)).one()
    return _detail(actor, file, path_of(session, file))


def box_details(session: Session, actor: Actor, box_id: int) -> list[FileDetail]:
    """The files of a box in order, each with everything shown about it (two queries, whatever
    the number of files); refuses unknown boxes and other offices' boxes."""
    get_box(session, actor, box_id)
    base = box_paths(session, [box_id])[box_id]
    files = session.scalars(
        select(File).where(File.box_id == box_id).order_by(File.position).options(*_LOADED)
    )
    return [_detail(actor, f, replace(base, position=f.position)) for f in files]

"""Files: register, read, edit, move, history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from archive.api.deps import CurrentActor, DbSession
from archive.api.schemas import ERRORS, PathOut
from archive.models import Employer, File, Office, Person, Series
from archive.permissions import Actor, Perm
from archive.services import file_views, files

router = APIRouter(tags=["files"], responses=ERRORS)


class FileIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "office_id": 1,
                    "series_id": 2,
                    "code": "MLT-2015-000123",
                    "title": "Hồ sơ hưởng BHXH một lần — Nguyễn Thị Mai Lan",
                    "start_date": "2015-03-02",
                    "end_date": "2015-04-20",
                    "sheet_count": 24,
                    "box_id": 45,
                    "ssn": "4803004239",
                    "full_name": "Nguyễn Thị Mai Lan",
                    "birth_date": "1980-05-17",
                    "benefit_type": "BHXH một lần",
                }
            ]
        }
    )
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


class FilePatch(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"sheet_count": 26, "notes": "Bổ sung 2 tờ"}]},
    )
    title: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    sheet_count: int | None = None
    notes: str | None = None
    benefit_type: str | None = None
    series_id: int | None = None


class MoveIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"box_id": 46, "position": 1, "reason": "Xếp lại theo năm"}]
        }
    )
    box_id: int
    position: int | None = None
    reason: str = ""


class FileOut(BaseModel):
    id: int
    office_code: str
    series_code: str
    series_name: str
    code: str
    title: str
    start_date: date | None
    end_date: date | None
    sheet_count: int
    notes: str
    status: str
    barcode: str
    box_id: int | None
    position: int | None
    path: PathOut
    person_name: str
    ssn: str
    birth_date: date | None
    benefit_type: str
    passbook_number: str | None
    employer_code: str
    employer_name: str


class HistoryOut(BaseModel):
    at: datetime
    actor: str
    action: str
    from_path: str
    to_path: str
    reason: str
    changes: dict[str, Any]


def file_out(session: DbSession, actor: Actor, file: File) -> FileOut:
    """The API shape of a file; personal data only for actors entitled to it."""
    office = session.get(Office, file.office_id)
    series = session.get(Series, file.series_id)
    person = session.get(Person, file.person_id) if file.person_id else None
    employer = session.get(Employer, file.employer_id) if file.employer_id else None
    assert office is not None and series is not None
    personal = actor.has(Perm.PERSONAL_DATA)
    return FileOut(
        id=file.id,
        office_code=office.code,
        series_code=series.code,
        series_name=series.name,
        code=file.code,
        title=file.title,
        start_date=file.start_date,
        end_date=file.end_date,
        sheet_count=file.sheet_count,
        notes=file.notes,
        status=file.status,
        barcode=file.barcode,
        box_id=file.box_id,
        position=file.position,
        path=PathOut.of(files.path_of(session, file)),
        person_name=person.full_name if person else "",
        ssn=person.ssn if person and personal else "",
        birth_date=person.birth_date if person and personal else None,
        benefit_type=file.benefit_type,
        passbook_number=file.passbook_number if personal else None,
        employer_code=employer.code if employer else "",
        employer_name=employer.name if employer else "",
    )


@router.post("/files", status_code=201)
def create_file(body: FileIn, session: DbSession, actor: CurrentActor) -> FileOut:
    """Register a file; it gets its barcode and, in a box, the next position."""
    return file_out(
        session, actor, files.create_file(session, actor, files.FileIn(**body.model_dump()))
    )


@router.get("/files/{file_id}")
def get_file(file_id: int, session: DbSession, actor: CurrentActor) -> FileOut:
    """A file with its full location path."""
    return file_out(session, actor, files.get_file(session, actor, file_id))


@router.patch("/files/{file_id}")
def update_file(file_id: int, body: FilePatch, session: DbSession, actor: CurrentActor) -> FileOut:
    """Change a file's description."""
    changes = body.model_dump(exclude_unset=True)
    return file_out(
        session, actor, files.update_file(session, actor, file_id=file_id, changes=changes)
    )


@router.post("/files/{file_id}/move")
def move_file(file_id: int, body: MoveIn, session: DbSession, actor: CurrentActor) -> FileOut:
    """Move a file to another box (at the end, or at a position)."""
    file = files.move_file(
        session,
        actor,
        file_id=file_id,
        box_id=body.box_id,
        position=body.position,
        reason=body.reason,
    )
    return file_out(session, actor, file)


@router.get("/files/{file_id}/history")
def history(file_id: int, session: DbSession, actor: CurrentActor) -> list[HistoryOut]:
    """Registration, edits and moves of a file, oldest first."""
    return [
        HistoryOut(
            at=h.at,
            actor=h.actor_label,
            action=h.action,
            from_path=h.from_path,
            to_path=h.to_path,
            reason=h.reason,
            changes=h.changes,
        )
        for h in file_views.history(session, actor, file_id)
    ]

"""Files: register, read, edit, move, history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from archive.api.deps import CurrentActor, DbSession
from archive.api.schemas import ERRORS, PathOut
from archive.permissions import Actor
from archive.services import file_views, files
from archive.services.file_views import FileDetail

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


def file_out(d: FileDetail) -> FileOut:
    """The API shape of a file (personal data already blanked by the service when not entitled)."""
    f = d.file
    return FileOut(
        id=f.id,
        office_code=d.office.code,
        series_code=d.series.code,
        series_name=d.series.name,
        code=f.code,
        title=f.title,
        start_date=f.start_date,
        end_date=f.end_date,
        sheet_count=f.sheet_count,
        notes=f.notes,
        status=f.status,
        barcode=f.barcode,
        box_id=f.box_id,
        position=f.position,
        path=PathOut.of(d.path),
        person_name=d.person_name,
        ssn=d.ssn,
        birth_date=d.birth_date,
        benefit_type=f.benefit_type,
        passbook_number=d.passbook_number or None,
        employer_code=d.employer_code,
        employer_name=d.employer_name,
    )


def detail_out(session: DbSession, actor: Actor, file_id: int) -> FileOut:
    return file_out(file_views.file_detail(session, actor, file_id))


@router.post("/files", status_code=201)
def create_file(body: FileIn, session: DbSession, actor: CurrentActor) -> FileOut:
    """Register a file; it gets its barcode and, in a box, the next position."""
    file = files.create_file(session, actor, files.FileIn(**body.model_dump()))
    return detail_out(session, actor, file.id)


@router.get("/files/{file_id}")
def get_file(file_id: int, session: DbSession, actor: CurrentActor) -> FileOut:
    """A file with its full location path."""
    return detail_out(session, actor, file_id)


@router.patch("/files/{file_id}")
def update_file(file_id: int, body: FilePatch, session: DbSession, actor: CurrentActor) -> FileOut:
    """Change a file's description."""
    changes = body.model_dump(exclude_unset=True)
    files.update_file(session, actor, file_id=file_id, changes=changes)
    return detail_out(session, actor, file_id)


@router.post("/files/{file_id}/move")
def move_file(file_id: int, body: MoveIn, session: DbSession, actor: CurrentActor) -> FileOut:
    """Move a file to another box (at the end, or at a position)."""
    files.move_file(
        session,
        actor,
        file_id=file_id,
        box_id=body.box_id,
        position=body.position,
        reason=body.reason,
    )
    return detail_out(session, actor, file_id)


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

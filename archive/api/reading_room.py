"""API of the reading room (nghiên cứu tại chỗ) and lookups (tra cứu) (issue 5): visits, their
approval, files served and returned, the closing-time check; questions answered without a visit."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from archive.api.deps import CurrentActor, DbSession, Today, get_runtime
from archive.api.schemas import ERRORS
from archive.models import Lookup, ReadingVisit
from archive.permissions import Actor
from archive.services import lookups, reading_desk, reading_room
from archive.services.lookups import LookupIn
from archive.services.reading_desk import StillOut
from archive.services.reading_room import VisitFilter, VisitIn
from archive.settings import Settings

router = APIRouter(tags=["use of records"], responses=ERRORS)

IdPaperKind = Literal["citizen_id", "passport", "staff_card", "other"]
Channel = Literal["in_person", "phone", "letter", "internal", "online"]


def _settings(request: Request) -> Settings:
    return get_runtime(request).settings


AppSettings = Annotated[Settings, Depends(_settings)]


class VisitBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "visitor_name": "Trần Thị Thanh Hương",
                    "organisation": "Thanh tra Sở Lao động – Thương binh và Xã hội",
                    "id_paper_kind": "citizen_id",
                    "id_paper_number": "079212345123",
                    "purpose_id": 2,
                    "file_ids": [15, 16],
                    "note": "Đoàn thanh tra theo Quyết định 346/QĐ-BHXH",
                }
            ]
        },
    )
    visitor_name: str = Field(max_length=200)
    organisation: str = Field("", max_length=300)
    id_paper_kind: IdPaperKind
    id_paper_number: str = Field(max_length=40)
    purpose_id: int
    visit_date: date | None = Field(None, description="The day of the visit; today if omitted")
    file_ids: list[int] = Field(min_length=1, max_length=reading_room.MAX_FILES_PER_VISIT)
    note: str = Field("", max_length=2000)


class DecisionBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"approve": False, "reason": "Hồ sơ chưa giải mật"}]},
    )
    approve: bool
    reason: str = Field("", max_length=2000, description="Required for a refusal")


class FilesBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"barcodes": ["F0000000123"]}]}
    )
    file_ids: list[int] = Field([], max_length=reading_room.MAX_FILES_PER_VISIT)
    barcodes: list[str] = Field(
        [], max_length=reading_room.MAX_FILES_PER_VISIT, description="As scanned at the desk"
    )


class VisitItemOut(BaseModel):
    file_id: int
    file_code: str
    barcode: str
    title: str
    status: str
    served_at: datetime | None
    returned_at: datetime | None
    flagged_at: datetime | None


class VisitOut(BaseModel):
    id: int
    number: str
    office_id: int
    visitor_name: str
    organisation: str
    id_paper_kind: str
    id_paper_number: str = Field(description="Masked (0792•••••123) without personal_data.read")
    purpose_id: int
    purpose_code: str
    purpose_name: str
    note: str
    visit_date: date
    status: str
    needs_approval: bool
    registered_by_id: int
    registered_at: datetime
    decided_by_id: int | None
    decided_at: datetime | None
    decision_reason: str
    closed_at: datetime | None
    items: list[VisitItemOut]

    @classmethod
    def of(cls, visit: ReadingVisit, actor: Actor) -> VisitOut:
        return cls(
            id=visit.id,
            number=visit.number,
            office_id=visit.office_id,
            visitor_name=visit.visitor_name,
            organisation=visit.organisation,
            id_paper_kind=visit.id_paper_kind,
            id_paper_number=reading_room.shown_id_number(actor, visit.id_paper_number),
            purpose_id=visit.purpose_id,
            purpose_code=visit.purpose.code,
            purpose_name=visit.purpose.name,
            note=visit.note,
            visit_date=visit.visit_date,
            status=visit.status,
            needs_approval=visit.needs_approval,
            registered_by_id=visit.registered_by_id,
            registered_at=visit.registered_at,
            decided_by_id=visit.decided_by_id,
            decided_at=visit.decided_at,
            decision_reason=visit.decision_reason,
            closed_at=visit.closed_at,
            items=[
                VisitItemOut(
                    file_id=i.file_id,
                    file_code=i.file.code,
                    barcode=i.file.barcode,
                    title=i.file.title,
                    status=i.status,
                    served_at=i.served_at,
                    returned_at=i.returned_at,
                    flagged_at=i.flagged_at,
                )
                for i in visit.items
            ],
        )


class VisitPage(BaseModel):
    total: int
    items: list[VisitOut]


class StillOutOut(BaseModel):
    visit_id: int
    visit_number: str
    visit_date: date
    holder: str
    file_id: int
    file_code: str
    served_at: datetime | None
    flagged_at: datetime

    @classmethod
    def of(cls, x: StillOut) -> StillOutOut:
        return cls(
            visit_id=x.visit_id,
            visit_number=x.visit_number,
            visit_date=x.visit_date,
            holder=x.holder,
            file_id=x.file_id,
            file_code=x.file_code,
            served_at=x.served_at,
            flagged_at=x.flagged_at,
        )


class LookupBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "asker_name": "Nguyễn Văn Hùng",
                    "organisation": "Công ty May Duy Tiên",
                    "channel": "phone",
                    "purpose_id": 4,
                    "question": "Thời gian đóng BHXH của bà Nguyễn Thị Mai Lan năm 2015?",
                    "answer": "Đóng đủ 12 tháng, theo hồ sơ MLT-2015-000123.",
                    "file_id": 123,
                }
            ]
        },
    )
    asker_name: str = Field(max_length=200)
    organisation: str = Field("", max_length=300)
    channel: Channel
    purpose_id: int
    question: str = Field(max_length=lookups.MAX_TEXT)
    answer: str = Field("", max_length=lookups.MAX_TEXT)
    file_id: int | None = None
    office_id: int | None = Field(None, description="Needed when no file is named")


class LookupOut(BaseModel):
    id: int
    office_id: int
    asked_at: datetime
    asker_name: str
    organisation: str
    channel: str
    purpose_id: int
    purpose_code: str
    question: str
    answer: str
    file_id: int | None
    answered_by_id: int

    @classmethod
    def of(cls, x: Lookup) -> LookupOut:
        return cls(
            id=x.id,
            office_id=x.office_id,
            asked_at=x.asked_at,
            asker_name=x.asker_name,
            organisation=x.organisation,
            channel=x.channel,
            purpose_id=x.purpose_id,
            purpose_code=x.purpose.code,
            question=x.question,
            answer=x.answer,
            file_id=x.file_id,
            answered_by_id=x.answered_by_id,
        )


@router.post("/visits", status_code=201)
def register_visit(
    body: VisitBody, session: DbSession, actor: CurrentActor, today: Today
) -> VisitOut:
    """Register a reading-room visit; approved at once unless a file's series is restricted."""
    data = VisitIn(**body.model_dump(exclude={"file_ids"}), file_ids=tuple(body.file_ids))
    visit = reading_room.register_visit(session, actor, data, today=today)
    return VisitOut.of(visit, actor)


@router.get("/visits")
def list_visits(
    session: DbSession,
    actor: CurrentActor,
    status: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI reads the default
    office_id: int | None = None,
    day_from: date | None = None,
    day_to: date | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> VisitPage:
    """The register of visits in the user's offices, newest day first."""
    filters = VisitFilter(
        status=tuple(status), office_id=office_id, day_from=day_from, day_to=day_to
    )
    found, total = reading_room.list_visits(session, actor, filters, limit=limit, offset=offset)
    return VisitPage(total=total, items=[VisitOut.of(v, actor) for v in found])


@router.get("/reading-room/today")
def visits_today(session: DbSession, actor: CurrentActor, today: Today) -> list[VisitOut]:
    """The desk's day: today's approved and open visits, and earlier visits still open."""
    found = reading_room.open_visits_today(session, actor, today=today)
    return [VisitOut.of(v, actor) for v in found]


@router.get("/visits/{visit_id}")
def get_visit(visit_id: int, session: DbSession, actor: CurrentActor) -> VisitOut:
    """One visit with its files."""
    return VisitOut.of(reading_room.get_visit(session, actor, visit_id), actor)


@router.post("/visits/{visit_id}/decision")
def decide_visit(
    visit_id: int, body: DecisionBody, session: DbSession, actor: CurrentActor
) -> VisitOut:
    """Approve or refuse a visit to a restricted series (never by whoever registered it)."""
    visit = reading_room.decide_visit(
        session, actor, visit_id=visit_id, approve=body.approve, reason=body.reason
    )
    return VisitOut.of(visit, actor)


@router.post("/visits/{visit_id}/serve")
def serve_files(
    visit_id: int, body: FilesBody, session: DbSession, actor: CurrentActor, today: Today
) -> VisitOut:
    """Hand requested files to the visitor: each gets a reading-room out-card for the day."""
    visit = reading_desk.serve_files(
        session,
        actor,
        visit_id=visit_id,
        file_ids=body.file_ids,
        barcodes=body.barcodes,
        today=today,
    )
    return VisitOut.of(visit, actor)


@router.post("/visits/{visit_id}/return")
def return_files(
    visit_id: int, body: FilesBody, session: DbSession, actor: CurrentActor
) -> VisitOut:
    """Files back from the reading room to their boxes."""
    visit = reading_desk.return_files(
        session, actor, visit_id=visit_id, file_ids=body.file_ids, barcodes=body.barcodes
    )
    return VisitOut.of(visit, actor)


@router.post("/visits/{visit_id}/close")
def close_visit(visit_id: int, session: DbSession, actor: CurrentActor) -> VisitOut:
    """End a visit once every served file is back."""
    return VisitOut.of(reading_desk.close_visit(session, actor, visit_id=visit_id), actor)


@router.post("/reading-room/closing-check")
def closing_check(
    session: DbSession, actor: CurrentActor, settings: AppSettings
) -> list[StillOutOut]:
    """Flag the files still out after the reading room closed (idempotent), and list them."""
    found = reading_desk.flag_files_still_out(
        session,
        actor,
        now=datetime.now(UTC),
        closes=settings.reading_room_closes,
        tz=settings.timezone,
    )
    return [StillOutOut.of(x) for x in found]


@router.post("/lookups", status_code=201)
def record_lookup(body: LookupBody, session: DbSession, actor: CurrentActor) -> LookupOut:
    """Register a question answered from the records without a visit."""
    return LookupOut.of(lookups.record_lookup(session, actor, LookupIn(**body.model_dump())))


@router.get("/lookups")
def list_lookups(
    session: DbSession,
    actor: CurrentActor,
    today: Today,
    settings: AppSettings,
    since: date | None = Query(None, description="First day; the first of this month if omitted"),
    until: date | None = Query(None, description="Last day; today if omitted"),
    office_id: int | None = None,
) -> list[LookupOut]:
    """The register of lookups of a period (local days, both included)."""
    period = (since or today.replace(day=1), until or today)
    found = lookups.list_lookups(
        session, actor, period=period, office_id=office_id, tz=settings.timezone
    )
    return [LookupOut.of(x) for x in found]


@router.get("/lookups/{lookup_id}")
def get_lookup(lookup_id: int, session: DbSession, actor: CurrentActor) -> LookupOut:
    """One lookup."""
    return LookupOut.of(lookups.get_lookup(session, actor, lookup_id))

"""API of the use of records' settings: purposes of use with their loan policy, and the public
holidays due dates skip (issue 5)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from archive.api.deps import CurrentActor, DbSession
from archive.api.schemas import ERRORS
from archive.models import UsePurpose
from archive.permissions import Perm, require
from archive.services import use_purposes, workdays
from archive.services.use_purposes import PurposeIn

router = APIRouter(tags=["use of records"], responses=ERRORS)


class PurposeBody(BaseModel):
    code: str = Field(examples=["GIAI_QUYET_CHE_DO"])
    name: str = Field(examples=["Giải quyết chế độ BHXH"])
    name_en: str = ""
    loan_days: int = Field(10, description="Working days a loan for this purpose lasts")
    max_renewals: int = 1
    renewal_days: int = 5
    active: bool = True


class PurposeOut(PurposeBody):
    id: int

    @classmethod
    def of(cls, p: UsePurpose) -> PurposeOut:
        return cls(
            id=p.id,
            code=p.code,
            name=p.name,
            name_en=p.name_en,
            loan_days=p.loan_days,
            max_renewals=p.max_renewals,
            renewal_days=p.renewal_days,
            active=p.active,
        )


class HolidayBody(BaseModel):
    day: date
    name: str = Field(examples=["Tết Nguyên đán"])


@router.get("/use-purposes")
def list_purposes(session: DbSession, actor: CurrentActor) -> list[PurposeOut]:
    """Purposes of use with their loan policy (active ones, or all for use.settings)."""
    require(actor, Perm.LOAN_REQUEST)
    everything = actor.has(Perm.USE_SETTINGS)
    return [
        PurposeOut.of(p) for p in use_purposes.list_purposes(session, include_inactive=everything)
    ]


@router.post("/use-purposes", status_code=201)
def create_purpose(body: PurposeBody, session: DbSession, actor: CurrentActor) -> PurposeOut:
    return PurposeOut.of(
        use_purposes.create_purpose(session, actor, PurposeIn(**body.model_dump()))
    )


@router.put("/use-purposes/{purpose_id}")
def update_purpose(
    purpose_id: int, body: PurposeBody, session: DbSession, actor: CurrentActor
) -> PurposeOut:
    purpose = use_purposes.update_purpose(
        session, actor, purpose_id=purpose_id, data=PurposeIn(**body.model_dump())
    )
    return PurposeOut.of(purpose)


@router.get("/holidays")
def list_holidays(
    session: DbSession, actor: CurrentActor, year: int | None = None
) -> list[HolidayBody]:
    """Public holidays on record (not working days for due dates)."""
    require(actor, Perm.LOAN_REQUEST)
    return [HolidayBody(day=h.day, name=h.name) for h in workdays.list_holidays(session, year=year)]


@router.post("/holidays", status_code=201)
def add_holiday(body: HolidayBody, session: DbSession, actor: CurrentActor) -> HolidayBody:
    holiday = workdays.add_holiday(session, actor, day=body.day, name=body.name)
    return HolidayBody(day=holiday.day, name=holiday.name)


@router.delete("/holidays/{holiday_day}", status_code=204)
def remove_holiday(holiday_day: date, session: DbSession, actor: CurrentActor) -> Response:
    workdays.remove_holiday(session, actor, day=holiday_day)
    return Response(status_code=204)

"""GET /lookup: barcode, file code, numbers, employer codes, names → objects with their path."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from sqlalchemy.orm import Session

from archive.api.deps import in_one_thread
from archive.api.schemas import ERRORS, PathOut
from archive.permissions import Actor
from archive.services import lookup as lookup_service
from archive.services import offices

router = APIRouter(tags=["lookup"], responses=ERRORS)


class HitOut(BaseModel):
    kind: str
    id: int
    label: str
    code: str
    barcode: str
    office_code: str
    match: str
    path: PathOut
    person_name: str
    ssn: str
    birth_date: date | None
    series_name: str
    status: str
    employer_code: str


class LookupOut(BaseModel):
    query: str
    interpreted_as: str
    count: int
    hits: list[HitOut]


@router.get("/lookup")
async def lookup(
    request: Request,
    q: str = Query(
        ...,
        description="Barcode, file code, 10-digit social-insurance number, 12-digit "
        "citizen ID, health card, employer code or a name (diacritics optional)",
        examples=["B0000000045", "4803004239", "YN0405Z", "nguyen thi mai lan"],
    ),
    birth_date: date | None = Query(None, description="Narrow names by birth date"),
    office: str | None = Query(None, description="Narrow to an office code, e.g. 01"),
    employer: str | None = Query(None, description="Narrow to an employer code"),
    limit: int = Query(100, ge=1, le=500),
) -> LookupOut:
    """Find what was scanned or typed; every hit carries its full location path."""

    def work(session: Session, actor: Actor) -> LookupOut:
        office_id = offices.get_by_code(session, office).id if office else None
        narrow = lookup_service.Narrowing(
            birth_date=birth_date, office_id=office_id, employer_code=employer
        )
        result = lookup_service.lookup(session, actor, q, narrow=narrow, limit=limit)
        hits = [HitOut(**{**h.__dict__, "path": PathOut.of(h.path)}) for h in result.hits]
        return LookupOut(
            query=result.query, interpreted_as=result.interpreted_as, count=len(hits), hits=hits
        )

    # Authentication and the lookup on one thread: the scanner at the desk calls this constantly.
    return await in_one_thread(request, work)

"""Saved searches: the user's own named searches, stored in our query model (issue 4)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from archive.api.deps import CurrentActor, DbSession
from archive.api.schemas import ERRORS
from archive.services import saved_searches
from archive.services.saved_searches import SavedSearchView
from indexes.query import Sort, parse

router = APIRouter(tags=["search"], responses=ERRORS)


class SavedSearchIn(BaseModel):
    """A name, and the search as GET /search takes it (q and filters)."""

    name: str = Field(examples=["Nguyễn Văn, BHXH huyện Duy Tiên"])
    q: str = Field("", examples=['nguyen van "tro cap"'])
    office: list[str] = []
    series: list[str] = []
    year_from: int | None = None
    year_to: int | None = None
    status: list[str] = []
    box: str | None = None
    has_scans: bool | None = None
    sort: Sort = Sort.RELEVANCE


class SavedSearchOut(BaseModel):
    id: int
    name: str
    query: dict[str, Any] = Field(
        description="Our query model (versioned JSON), never engine syntax"
    )
    created_at: datetime

    @classmethod
    def of(cls, view: SavedSearchView) -> SavedSearchOut:
        return cls(
            id=view.id,
            name=view.name,
            query=json.loads(view.query.to_json()),
            created_at=view.created_at,
        )


@router.get("/saved-searches")
def list_saved_searches(session: DbSession, actor: CurrentActor) -> list[SavedSearchOut]:
    """The user's own saved searches, by name."""
    return [SavedSearchOut.of(v) for v in saved_searches.list_mine(session, actor)]


@router.post("/saved-searches", status_code=201)
def save_search(body: SavedSearchIn, session: DbSession, actor: CurrentActor) -> SavedSearchOut:
    """Save a search under a name of the user's (names are unique per user)."""
    query = parse(
        body.q,
        office_codes=body.office,
        series_codes=body.series,
        statuses=body.status,
        year_from=body.year_from,
        year_to=body.year_to,
        box_number=body.box,
        has_scans=body.has_scans,
        sort=body.sort,
    )
    return SavedSearchOut.of(saved_searches.save(session, actor, name=body.name, query=query))


@router.delete("/saved-searches/{search_id}", status_code=204)
def delete_saved_search(search_id: int, session: DbSession, actor: CurrentActor) -> Response:
    """Delete one of the user's saved searches (another user's is not found)."""
    saved_searches.delete(session, actor, search_id=search_id)
    return Response(status_code=204)

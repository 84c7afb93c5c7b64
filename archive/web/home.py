"""The overview page and the lookup every page carries (a USB scanner types code + Enter)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from archive.api.deps import CurrentActor, DbSession
from archive.services import lookup as lookup_service
from archive.services import offices
from archive.services.lookup import Hit
from archive.services.reports_overview import Overview, overview
from archive.web.templating import hx_redirect, render

router = APIRouter()

OBJECT_URLS = {
    "file": "/files/{id}",
    "box": "/boxes/{id}",
    "tier": "/tiers/{id}",
    "shelf": "/shelves/{id}",
    "store": "/stores/{id}",
}


def object_url(hit: Hit) -> str:
    return OBJECT_URLS[hit.kind].format(id=hit.id)


@dataclass(frozen=True)
class HomePage:
    overview: Overview


@dataclass(frozen=True)
class LookupPage:
    query: str
    interpreted_as: str
    hits: list[Hit]
    urls: list[str]
    birth_date: date | None
    office: str
    employer: str


@router.get("/")
def home(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    return render(request, "home.html", HomePage(overview=overview(session, actor)))


@router.get("/lookup")
def lookup(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    q: str = "",
    birth_date: date | None = None,
    office: str = "",
    employer: str = "",
) -> Response:
    """A barcode or identifier lands on its object (scan + Enter) or lists its exact hits; plain
    words, and identifiers the register does not hold, go to the full-text search (issue 4)."""
    office_id = offices.get_by_code(session, office).id if office else None
    narrow = lookup_service.Narrowing(
        birth_date=birth_date, office_id=office_id, employer_code=employer or None
    )
    result = lookup_service.lookup(session, actor, q, narrow=narrow)
    narrowed = bool(birth_date or office or employer)
    if not narrowed and (result.interpreted_as == "name" or not result.hits):
        # Names are words like any other: the full-text search finds them in the register and
        # on scanned pages, exact diacritics first. A number found nowhere in the register may
        # still be on a page.
        return hx_redirect(request, "/search?" + urlencode({"q": result.query}))
    if len(result.hits) == 1 and not narrowed:
        return hx_redirect(request, object_url(result.hits[0]))
    page = LookupPage(
        query=result.query,
        interpreted_as=result.interpreted_as,
        hits=result.hits,
        urls=[object_url(h) for h in result.hits],
        birth_date=birth_date,
        office=office,
        employer=employer,
    )
    return render(request, "lookup.html", page)

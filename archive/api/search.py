"""GET /search: full-text search in our query model, scoped to the user, with facets (issue 4)."""

from __future__ import annotations

import threading
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from archive.api.deps import CurrentActor, DbSession, get_runtime
from archive.api.schemas import ERRORS, PathOut
from archive.services import search as search_service
from archive.services.search_index import open_backend
from indexes.backend import FacetCount, SearchBackend
from indexes.query import Sort, parse

router = APIRouter(tags=["search"], responses=ERRORS)
_OPENING = threading.Lock()


def search_backend(request: Request) -> SearchBackend:
    """The app's search backend, opened once per process on first use."""
    state = request.app.state
    backend: SearchBackend | None = getattr(state, "search_backend", None)
    if backend is None:
        with _OPENING:  # two first requests at once must not open two backends
            backend = getattr(state, "search_backend", None)
            if backend is None:
                backend = open_backend(get_runtime(request).settings)
                state.search_backend = backend
    return backend


Backend = Annotated[SearchBackend, Depends(search_backend)]


class SnippetOut(BaseModel):
    page_number: int
    text: str
    highlights: list[tuple[int, int]]


class SearchHitOut(BaseModel):
    file_id: int
    code: str
    title: str
    status: str
    office_code: str
    series_code: str
    series_name: str
    person_name: str
    ssn: str
    birth_date: date | None
    path: PathOut
    score: float
    pages: list[SnippetOut]

    @classmethod
    def of(cls, hit: search_service.SearchHit) -> SearchHitOut:
        pages = [
            SnippetOut(
                page_number=p.page_number,
                text=p.snippet.text,
                highlights=list(p.snippet.highlights),
            )
            for p in hit.pages
        ]
        fields = {k: v for k, v in hit.__dict__.items() if k not in ("path", "pages")}
        return cls(**fields, path=PathOut.of(hit.path), pages=pages)


class FacetOut(BaseModel):
    value: str
    count: int


class FacetsOut(BaseModel):
    office: list[FacetOut]
    series: list[FacetOut]
    year: list[FacetOut]
    status: list[FacetOut]


class SearchOut(BaseModel):
    total: int
    fuzzy: bool
    page: int
    size: int
    hits: list[SearchHitOut]
    facets: FacetsOut


def _facets(counts: tuple[FacetCount, ...]) -> list[FacetOut]:
    return [FacetOut(value=c.value, count=c.count) for c in counts]


@router.get("/search")
def search(
    session: DbSession,
    actor: CurrentActor,
    backend: Backend,
    q: str = Query(
        "",
        description='Words, "phrases", -exclusions and prefixes (nguy*); diacritics optional',
        examples=["nguyen thi mai lan", "4803004239", '"tro cap mai tang" 2015'],
    ),
    office: list[str] = Query([], description="Office codes (repeatable), e.g. 01"),
    series: list[str] = Query([], description="Series codes (repeatable)"),
    year_from: int | None = Query(None),
    year_to: int | None = Query(None),
    status: list[str] = Query([], description="File statuses (repeatable), e.g. active"),
    box: str | None = Query(None, description="Box number, e.g. 045"),
    has_scans: bool | None = Query(None),
    sort: Sort = Query(Sort.RELEVANCE),
    page: int = Query(1, ge=1),
    size: int = Query(20, ge=1, le=100),
) -> SearchOut:
    """Files matching the query within the user's offices, best pages with highlights, facets."""
    query = parse(
        q,
        office_codes=office,
        series_codes=series,
        statuses=status,
        year_from=year_from,
        year_to=year_to,
        box_number=box,
        has_scans=has_scans,
        sort=sort,
        page=page,
        size=size,
    )
    result = search_service.search(session, actor, backend, query)
    facets = result.facets
    return SearchOut(
        total=result.total,
        fuzzy=result.fuzzy,
        page=query.page,
        size=query.size,
        hits=[SearchHitOut.of(hit) for hit in result.hits],
        facets=FacetsOut(
            office=_facets(facets.office),
            series=_facets(facets.series),
            year=_facets(facets.year),
            status=_facets(facets.status),
        ),
    )

"""Full-text search over the register: the actor's scope as the index ACL, hits re-checked
against the database before display (issue 4)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from archive.models import File, Office
from archive.permissions import Actor, Perm, require
from archive.services.file_rows import FILE_ROWS, row_path
from archive.services.paths import LocationPath
from archive.services.search_index import NOT_INDEXED_STATUSES, box_key
from indexes.backend import Facets, PageHit, SearchBackend
from indexes.query import Query


@dataclass(frozen=True)
class SearchHit:
    """One file found, as the database has it now, with its best pages from the index."""

    file_id: int
    code: str
    title: str
    status: str
    office_code: str
    series_code: str
    series_name: str
    path: LocationPath
    score: float
    pages: tuple[PageHit, ...]
    person_name: str = ""
    ssn: str = ""
    birth_date: date | None = None


@dataclass(frozen=True)
class SearchPage:
    """One page of results: hits, the total within the actor's scope, facets, fuzzy or not."""

    query: Query
    total: int
    fuzzy: bool
    hits: tuple[SearchHit, ...]
    facets: Facets


def office_scope(session: Session, actor: Actor) -> frozenset[str] | None:
    """The office codes the actor may see (None: every office), as the index ACL."""
    if actor.office_ids is None:
        return None
    if not actor.office_ids:
        return frozenset()
    codes = session.scalars(select(Office.code).where(Office.id.in_(actor.office_ids)))
    return frozenset(codes)


def search(session: Session, actor: Actor, backend: SearchBackend, query: Query) -> SearchPage:
    """Files matching `query` that the actor may see; refuses actors without REGISTER_READ.

    The index may lag the database: a hit whose file is gone, destroyed or now in an office
    outside the actor's scope is dropped and not counted."""
    require(actor, Perm.REGISTER_READ)
    acl = office_scope(session, actor)
    if query.box_number is not None:
        query = replace(query, box_number=box_key(query.box_number))
    results = backend.search(query, acl)
    rows = _current_rows(session, [hit.file_id for hit in results.hits])
    personal = actor.has(Perm.PERSONAL_DATA)
    hits: list[SearchHit] = []
    for hit in results.hits:
        row = rows.get(hit.file_id)
        if (
            row is None
            or row.status in NOT_INDEXED_STATUSES
            or not actor.sees_office(row.office_id)
        ):
            continue
        hits.append(_search_hit(row, hit.score, hit.pages, personal=personal))
    dropped = len(results.hits) - len(hits)
    return SearchPage(
        query=query,
        total=max(results.total - dropped, len(hits)),
        fuzzy=results.fuzzy,
        hits=tuple(hits),
        facets=_scoped_facets(results.facets, acl),
    )


def _scoped_facets(facets: Facets, acl: frozenset[str] | None) -> Facets:
    """Office counts only for offices in scope (the backend filters already; this makes sure)."""
    if acl is None:
        return facets
    return replace(facets, office=tuple(f for f in facets.office if f.value in acl))


def _current_rows(session: Session, file_ids: list[int]) -> dict[int, Row[*tuple[Any, ...]]]:
    """The files as the database has them now, with their paths, in one query."""
    if not file_ids:
        return {}
    return {row.id: row for row in session.execute(FILE_ROWS.where(File.id.in_(file_ids)))}


def _search_hit(
    row: Row[*tuple[Any, ...]], score: float, pages: tuple[PageHit, ...], *, personal: bool
) -> SearchHit:
    path = row_path(row)
    return SearchHit(
        file_id=row.id,
        code=row.code,
        title=row.title,
        status=row.status,
        office_code=row.office_code,
        series_code=row.series_code,
        series_name=row.series_name,
        path=path,
        score=score,
        # Page text is the file's content (numbers, birth dates, addresses): only for readers
        # entitled to personal data, like the page images themselves.
        pages=pages if personal else (),
        person_name=row.full_name or "",
        ssn=row.ssn if row.ssn and personal else "",
        birth_date=row.birth_date if personal else None,
    )

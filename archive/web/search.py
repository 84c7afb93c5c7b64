"""The search page: full-text results with highlighted snippets linking to the page images, a
facet sidebar that narrows the query, pagination, and the user's saved searches (issue 4)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from math import ceil
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi import Query as QueryParam
from fastapi.responses import Response
from sqlalchemy.orm import Session

from archive.api.deps import CurrentActor, DbSession
from archive.api.search import Backend
from archive.permissions import Actor, Perm
from archive.services import offices, saved_searches, series
from archive.services import pages as page_service
from archive.services import search as search_service
from archive.services.search import SearchHit
from archive.web.forms import FormError, attempt, outcome
from archive.web.templating import hx_redirect, render
from indexes.backend import FacetCount, PageHit
from indexes.query import Query, QueryInvalid, Sort, parse

router = APIRouter()
TEMPLATE = "search.html"
FACETS = ("office", "series", "year", "status")
NOTICES = frozenset({"search.saved", "search.deleted"})
Params = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Snippet:
    """A best page of a hit: its text cut into (text, highlighted) parts, and where it opens."""

    page_number: int
    parts: tuple[tuple[str, bool], ...]
    url: str | None  # None: the reader may not open scanned pages, or the page has moved


@dataclass(frozen=True)
class Result:
    hit: SearchHit
    snippets: tuple[Snippet, ...]


@dataclass(frozen=True)
class FacetLink:
    value: str
    label: str
    count: int
    href: str
    active: bool  # already in the query: the link takes it out again


@dataclass(frozen=True)
class SavedLink:
    id: int
    name: str
    href: str


@dataclass(frozen=True)
class SearchPage:
    q: str
    params: Params  # the search as URL parameters (no page): hidden fields of the forms
    searched: bool
    total: int = 0
    fuzzy: bool = False
    results: tuple[Result, ...] = ()
    facets: dict[str, tuple[FacetLink, ...]] = field(default_factory=dict)
    page: int = 1
    size: int = 20
    page_count: int = 0
    page_links: tuple[tuple[int, str], ...] = ()
    sort: str = Sort.RELEVANCE.value
    sorts: tuple[str, ...] = tuple(s.value for s in Sort)
    saved: tuple[SavedLink, ...] = ()
    error: FormError | None = None
    ok: str | None = None
    save_name: str = ""

    def href(self, page: int) -> str:
        return _href(self.params, page=page)


def query_text(query: Query) -> str:
    """The typed form of a query's text (what the search box shows for a saved search)."""
    parts = list(query.words)
    parts += [f'"{p}"' for p in query.phrases]
    parts += [f'-"{x}"' if " " in x else f"-{x}" for x in query.excluded]
    parts += [f"{p}*" for p in query.prefixes]
    return " ".join(parts)


def query_params(query: Query) -> Params:
    """The page's URL parameters for `query` (page left out): saved searches run through it."""
    out: list[tuple[str, str]] = []
    if query.has_text or query.excluded:
        out.append(("q", query_text(query)))
    out += [("office", v) for v in query.office_codes]
    out += [("series", v) for v in query.series_codes]
    out += [("status", v) for v in query.statuses]
    if query.year_from is not None:
        out.append(("year_from", str(query.year_from)))
    if query.year_to is not None:
        out.append(("year_to", str(query.year_to)))
    if query.box_number is not None:
        out.append(("box", query.box_number))
    if query.has_scans is not None:
        out.append(("has_scans", "true" if query.has_scans else "false"))
    if query.sort != Sort.RELEVANCE:
        out.append(("sort", query.sort.value))
    return tuple(out)


def _href(params: Params, *, page: int = 1, ok: str | None = None) -> str:
    values = list(params) + ([("page", str(page))] if page > 1 else [])
    values += [("ok", ok)] if ok else []
    query = urlencode(values)
    return "/search" + (f"?{query}" if query else "")


def _int(value: str, name: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit():
        raise QueryInvalid(field=name, value=value)
    return int(value)


@dataclass(frozen=True)
class SearchForm:
    """The page's parameters as typed in the URL or posted with a form."""

    q: str = ""
    office: tuple[str, ...] = ()
    series: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    year_from: str = ""
    year_to: str = ""
    box: str = ""
    has_scans: str = ""
    sort: str = ""
    page: str = ""

    def query(self) -> Query:
        """Our query from these parameters; refuses bad values (QueryInvalid)."""
        if self.has_scans not in ("", "true", "false"):
            raise QueryInvalid(field="has_scans", value=self.has_scans)
        return parse(
            self.q,
            office_codes=[v for v in self.office if v],
            series_codes=[v for v in self.series if v],
            statuses=[v for v in self.status if v],
            year_from=_int(self.year_from, "year_from"),
            year_to=_int(self.year_to, "year_to"),
            box_number=self.box.strip() or None,
            has_scans=None if not self.has_scans else self.has_scans == "true",
            sort=self.sort or Sort.RELEVANCE.value,
            page=_int(self.page, "page") or 1,
        )


def _toggle(query: Query, facet: str, value: str) -> tuple[Query, bool]:
    """`query` narrowed by a facet value, or widened again when it already holds it."""
    if facet == "year":
        year = int(value)
        if query.year_from == year and query.year_to == year:
            return Query(**{**query.__dict__, "year_from": None, "year_to": None}), True
        return Query(**{**query.__dict__, "year_from": year, "year_to": year}), False
    name = {"office": "office_codes", "series": "series_codes", "status": "statuses"}[facet]
    held: tuple[str, ...] = getattr(query, name)
    if value in held:
        return Query(**{**query.__dict__, name: tuple(v for v in held if v != value)}), True
    return Query(**{**query.__dict__, name: (*held, value)}), False


def _facets(
    session: Session, actor: Actor, query: Query, counts: dict[str, tuple[FacetCount, ...]]
) -> dict[str, tuple[FacetLink, ...]]:
    office_names = {o.code: o.name for o in offices.list_offices(session, actor)}
    series_names = {v.series.code: v.series.name for v in series.list_series(session, actor)}
    labels = {"office": office_names, "series": series_names}
    out: dict[str, tuple[FacetLink, ...]] = {}
    for facet in FACETS:
        links = []
        for count in counts[facet]:
            narrowed, active = _toggle(query, facet, count.value)
            label = labels.get(facet, {}).get(count.value, count.value)
            href = _href(query_params(narrowed))
            links.append(FacetLink(count.value, label, count.count, href, active))
        out[facet] = tuple(links)
    return out


def _parts(text: str, spans: Sequence[tuple[int, int]]) -> tuple[tuple[str, bool], ...]:
    parts: list[tuple[str, bool]] = []
    at = 0
    for start, end in sorted(spans):
        if start < at or end <= start:
            continue
        parts += [(text[at:start], False), (text[start:end], True)]
        at = end
    parts.append((text[at:], False))
    return tuple(p for p in parts if p[0])


def _page_words(query: Query, page: PageHit) -> str:
    """What to highlight on the page image: the query's words and the words the index matched
    on that page (a prefix or a near match is highlighted as the page spells it)."""
    matched = [page.snippet.text[a:b] for a, b in page.snippet.highlights]
    words = [*query.words, *query.phrases, *matched]
    return " ".join(dict.fromkeys(w for w in words if w))


def _results(
    session: Session, actor: Actor, query: Query, hits: Sequence[SearchHit]
) -> tuple[Result, ...]:
    """Hits with their snippets; page text is personal data, so only its readers see it."""
    if not actor.has(Perm.PERSONAL_DATA):
        return tuple(Result(hit, ()) for hit in hits)
    places = [(hit.file_id, p.page_number) for hit in hits for p in hit.pages]
    ids = page_service.page_ids_at(session, actor, places)
    results = []
    for hit in hits:
        snippets = []
        for p in hit.pages:
            page_id = ids.get((hit.file_id, p.page_number))
            url = (
                None
                if page_id is None
                else f"/pages/{page_id}?{urlencode({'q': _page_words(query, p)})}"
            )
            snippets.append(
                Snippet(p.page_number, _parts(p.snippet.text, p.snippet.highlights), url)
            )
        results.append(Result(hit, tuple(snippets)))
    return tuple(results)


def _saved(session: Session, actor: Actor) -> tuple[SavedLink, ...]:
    return tuple(
        SavedLink(s.id, s.name, _href(query_params(s.query)))
        for s in saved_searches.list_mine(session, actor)
    )


def search_page(
    session: Session,
    actor: Actor,
    backend: Backend,
    form: SearchForm,
    *,
    error: FormError | None = None,
    ok: str | None = None,
    save_name: str = "",
) -> SearchPage:
    """The page for these parameters: a refused query shows its message and nothing else."""
    saved = _saved(session, actor)
    query, refused = outcome(session, form.query)
    q = form.q
    if query is None:
        return SearchPage(q=q, params=(), searched=False, saved=saved, error=refused)
    shown = query_params(query)
    if replace(query, page=1, sort=Sort.RELEVANCE) == Query():  # nothing asked yet
        return SearchPage(q=q, params=shown, searched=False, saved=saved, error=error, ok=ok)
    found = search_service.search(session, actor, backend, query)
    page_count = ceil(found.total / query.size)
    nearby = range(max(1, query.page - 4), min(page_count, query.page + 4) + 1)
    facets = found.facets
    counts = {
        "office": facets.office,
        "series": facets.series,
        "year": facets.year,
        "status": facets.status,
    }
    return SearchPage(
        q=q,
        params=shown,
        searched=True,
        total=found.total,
        fuzzy=found.fuzzy,
        results=_results(session, actor, query, found.hits),
        facets=_facets(session, actor, query, counts),
        page=query.page,
        size=query.size,
        page_count=page_count,
        page_links=tuple((n, _href(shown, page=n)) for n in nearby),
        sort=query.sort.value,
        saved=saved,
        error=error,
        ok=ok,
        save_name=save_name,
    )


@router.get("/search")
def show_search(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    backend: Backend,
    q: str = "",
    office: list[str] = QueryParam([]),
    series: list[str] = QueryParam([]),
    status: list[str] = QueryParam([]),
    year_from: str = "",
    year_to: str = "",
    box: str = "",
    has_scans: str = "",
    sort: str = "",
    page: str = "",
    ok: str | None = None,
) -> Response:
    """Files matching the query in the reader's offices, with facets and saved searches."""
    form = SearchForm(
        q,
        tuple(office),
        tuple(series),
        tuple(status),
        year_from,
        year_to,
        box,
        has_scans,
        sort,
        page,
    )
    shown = search_page(session, actor, backend, form, ok=ok if ok in NOTICES else None)
    status_code = 422 if shown.error is not None else 200
    return render(request, TEMPLATE, shown, status=status_code, lookup_query=q)


@router.post("/search/saved")
def save_search(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    backend: Backend,
    name: str = Form(""),
    q: str = Form(""),
    office: list[str] = Form([]),
    series: list[str] = Form([]),
    status: list[str] = Form([]),
    year_from: str = Form(""),
    year_to: str = Form(""),
    box: str = Form(""),
    has_scans: str = Form(""),
    sort: str = Form(""),
) -> Response:
    """Save the search shown under a name; the page comes back with it in the list."""
    form = SearchForm(
        q, tuple(office), tuple(series), tuple(status), year_from, year_to, box, has_scans, sort
    )
    saved, error = outcome(
        session, lambda: saved_searches.save(session, actor, name=name, query=form.query())
    )
    if saved is not None:
        return hx_redirect(request, _href(query_params(saved.query), ok="search.saved"))
    shown = search_page(session, actor, backend, form, error=error, save_name=name)
    return render(request, TEMPLATE, shown, status=422, lookup_query=q)


@router.post("/search/saved/{search_id}/delete")
def delete_search(
    request: Request, search_id: int, session: DbSession, actor: CurrentActor, backend: Backend
) -> Response:
    """Delete one of the reader's saved searches."""
    error = attempt(session, lambda: saved_searches.delete(session, actor, search_id=search_id))
    if error is None:
        return hx_redirect(request, "/search?ok=search.deleted")
    shown = search_page(session, actor, backend, SearchForm(), error=error)
    return render(request, TEMPLATE, shown, status=404 if "not_found" in error.code else 422)

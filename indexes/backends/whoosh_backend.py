"""Whoosh (pure Python): the search backend for small archives without native wheels (issue 4).

Whoosh only splits on white space here: the exact and folded token streams come from our
analyser, and queries are built as Whoosh query objects from our tokens (never parsed), so
Whoosh folds nothing itself and folding is identical in every backend.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import sorting
from whoosh.analysis import SpaceSeparatedTokenizer, StopFilter
from whoosh.fields import BOOLEAN, ID, NUMERIC, STORED, TEXT, Schema
from whoosh.index import IndexError as WhooshIndexError
from whoosh.index import LockError
from whoosh.searching import Searcher
from whoosh.util.filelock import LockBase
from whoosh.writing import IndexingError

from indexes.analyzer import Token, analyze, index_text
from indexes.backend import (
    EXACT_BOOST,
    META_BOOST,
    FacetCount,
    Facets,
    Hit,
    IndexOptions,
    IndexWriteFailed,
    Results,
)
from indexes.backends.directory import open_marked
from indexes.documents import FileDoc
from indexes.query import Query, Sort, typed_with_diacritics
from indexes.snippets import AnalysedPage, TextMatcher, best_pages

SCHEMA_VERSION = 1
WRITER_LOCK = "archive-writer"
# Placed between field values and pages: dropped as a stop word without renumbering, it leaves a
# position gap so a phrase never spans a title and a name, or two pages. Our analyser never
# yields it (tokens are letters, digits and document numbers).
VALUE_GAP = "|"
_FACETS = {"office": "office", "series": "series", "year": "year_key", "status": "status"}
# Sort field and descending flag; files without a year sort last by date (empty key).
_ORDER: dict[Sort, tuple[str | None, bool]] = {
    Sort.RELEVANCE: (None, False),
    Sort.DATE: ("year_key", True),
    Sort.FILE_CODE: ("code", False),
}
_WRITE_ERRORS = (OSError, ValueError, RuntimeError, WhooshIndexError, LockError, IndexingError)


def _schema() -> Schema:
    # Built-in Whoosh classes only: the schema is pickled into the index's table of contents.
    analyzer = SpaceSeparatedTokenizer() | StopFilter(
        stoplist=[VALUE_GAP], minsize=1, maxsize=None, renumber=False
    )
    streams = {
        name: TEXT(analyzer=analyzer, phrase=True)
        for name in ("meta_exact", "meta_folded", "text_exact", "text_folded")
    }
    return Schema(
        file_id=ID(stored=True, unique=True),
        office=ID(sortable=True),
        series=ID(sortable=True),
        status=ID(sortable=True),
        code=ID(sortable=True),
        box=ID,
        year=NUMERIC(int, bits=32, signed=True),
        year_key=ID(sortable=True),
        has_scans=BOOLEAN,
        pages=STORED,
        **streams,
    )


def _open_index(path: Path) -> whoosh_index.Index:
    """Open our index at `path`, or create it in an empty or missing directory; never clobber."""
    return open_marked(
        path,
        {"backend": "whoosh", "schema": SCHEMA_VERSION},
        open_existing=lambda p: whoosh_index.open_dir(str(p)),
        create=lambda p: whoosh_index.create_in(str(p), _schema()),
        open_errors=(WhooshIndexError, OSError, ValueError, EOFError),
    )


class WhooshBackend:
    """A Whoosh index directory; changes are buffered until `commit`, one writer lock is kept."""

    def __init__(self, options: IndexOptions) -> None:
        self._options = options
        self._index = _open_index(options.path)
        self._lock: LockBase | None = None
        # Whoosh readers seek shared file handles: one searcher per thread, all closed on close.
        self._local = threading.local()
        self._searchers: set[Searcher] = set()
        self._searchers_lock = threading.Lock()
        # file_id -> the new document, or None for a deletion; applied in order on commit.
        self._pending: dict[int, FileDoc | None] = {}

    def add(self, docs: Sequence[FileDoc]) -> None:
        """Add or replace these files (by file_id), visible after `commit`."""
        self._hold_writer_lock()
        for doc in docs:
            self._pending.pop(doc.file_id, None)
            self._pending[doc.file_id] = doc

    def delete(self, file_ids: Sequence[int]) -> None:
        """Remove these files, visible after `commit`; unknown ids are ignored."""
        self._hold_writer_lock()
        for file_id in file_ids:
            self._pending.pop(file_id, None)
            self._pending[file_id] = None

    def commit(self) -> None:
        """Make pending changes durable and visible; raises IndexWriteFailed on failure."""
        if not self._pending:
            return
        pending, self._pending = self._pending, {}
        # One process: Whoosh's multi-process writer gains nothing without multisegment
        # (measurements.md), so `writer_threads` is not used here.
        limit_mb = max(1, self._options.writer_heap_bytes // 1_000_000)
        with self._write_errors():
            writer = self._index.writer(limitmb=limit_mb)
        with self._write_errors(), _cancel_on_error(writer):
            for file_id, doc in pending.items():
                writer.delete_by_term("file_id", str(file_id))
                if doc is not None:
                    writer.add_document(**_document(doc))
            writer.commit()

    def close(self) -> None:
        """Cancel pending changes, close every searcher and release the writer lock."""
        self._pending = {}
        with self._searchers_lock:
            searchers, self._searchers = self._searchers, set()
        for searcher in searchers:
            searcher.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def search(self, query: Query, acl_offices: frozenset[str] | None) -> Results:
        """Files matching `query` within `acl_offices` (None: every office); fuzzy when none."""
        searcher = self._current_searcher()
        wanted = self._full_query(query, acl_offices, _text_clauses(query, fuzzy=False))
        found, fuzzy = self._run(searcher, query, wanted), False
        if len(found) == 0 and query.has_text:
            wanted = self._full_query(query, acl_offices, _text_clauses(query, fuzzy=True))
            found, fuzzy = self._run(searcher, query, wanted), True
        matcher = TextMatcher.for_query(query)
        hits = tuple(
            self._hit(hit.fields(), hit.score, query, matcher)
            for hit in found[query.offset : query.offset + query.size]
        )
        return Results(hits, len(found), _facets(found), fuzzy)

    # -- writing ------------------------------------------------------------------------------

    def _hold_writer_lock(self) -> None:
        """Take the single-writer lock on first change and keep it until `close`."""
        if self._lock is not None:
            return
        lock = self._index.storage.lock(WRITER_LOCK)
        with self._write_errors():
            acquired = lock.acquire(blocking=False)
        if not acquired:
            raise IndexWriteFailed(path=str(self._options.path), reason="another writer is open")
        self._lock = lock

    @contextmanager
    def _write_errors(self) -> Iterator[None]:
        """Turn an engine failure into IndexWriteFailed (never delete or recreate the index)."""
        try:
            yield
        except _WRITE_ERRORS as exc:
            raise IndexWriteFailed(path=str(self._options.path), reason=str(exc)) from exc

    # -- querying -----------------------------------------------------------------------------

    def _current_searcher(self) -> Searcher:
        """This thread's searcher on the latest commit (by any process), reused while current."""
        searcher: Searcher | None = getattr(self._local, "searcher", None)
        if searcher is not None and searcher in self._searchers and searcher.up_to_date():
            return searcher
        if searcher is not None:
            with self._searchers_lock:
                self._searchers.discard(searcher)
            searcher.close()
        searcher = self._local.searcher = self._index.searcher()
        with self._searchers_lock:
            self._searchers.add(searcher)
        return searcher

    def _full_query(
        self, query: Query, acl_offices: frozenset[str] | None, text: list[wq.Query]
    ) -> wq.Query:
        # Filters go inside the query rather than through `search(filter=...)`: Whoosh treats a
        # filter that matches nothing as no filter at all, which would leak other offices.
        scored: wq.Query = wq.And(text) if text else wq.Every()
        excluded = [q for q in (_exclusion(part) for part in query.excluded) if q is not None]
        if excluded:
            scored = wq.AndNot(scored, _any(excluded))
        filters = _filters(query, acl_offices)
        # Require scores by its left side only, so relevance comes from the text alone.
        return wq.Require(scored, wq.And(filters)) if filters else scored

    def _run(self, searcher: Searcher, query: Query, wanted: wq.Query) -> Any:
        facets = sorting.Facets()
        for name, column in _FACETS.items():
            facets.add_facet(name, sorting.FieldFacet(column, maptype=sorting.Count))
        sort_field, reverse = _ORDER[query.sort]
        return searcher.search(
            wanted,
            limit=query.offset + query.size,
            sortedby=sort_field,
            reverse=reverse,
            groupedby=facets,
        )

    def _hit(self, fields: dict[str, Any], score: Any, query: Query, matcher: TextMatcher) -> Hit:
        pages = [AnalysedPage.from_json(page) for page in json.loads(fields.get("pages") or "[]")]
        chosen = best_pages(
            pages, matcher, limit=self._options.best_pages, chars=self._options.snippet_chars
        )
        relevance = float(score or 0.0) if query.sort is Sort.RELEVANCE else 0.0
        return Hit(int(fields["file_id"]), relevance, chosen)


@contextmanager
def _cancel_on_error(writer: Any) -> Iterator[None]:
    """Cancel every buffered change of `writer` when applying them fails, then re-raise."""
    try:
        yield
    except BaseException:
        writer.cancel()
        raise


def _token_clause(token: Token, *, fuzzy: bool, exact: bool) -> wq.Query:
    """One token anywhere: folded in metadata or text, exact forms boosted above."""
    # Numbers and codes stay exact even in the fuzzy pass: one digit off is another person.
    if fuzzy and not any(ch.isdigit() for ch in token.folded):
        return _any(
            wq.FuzzyTerm(field, token.folded, maxdist=1, prefixlength=0)
            for field in ("meta_folded", "text_folded")
        )
    clauses: list[wq.Query] = [
        wq.Term("meta_folded", token.folded, boost=META_BOOST),
        wq.Term("text_folded", token.folded),
    ]
    if exact:
        clauses.append(wq.Term("meta_exact", token.exact, boost=META_BOOST * EXACT_BOOST))
        clauses.append(wq.Term("text_exact", token.exact, boost=EXACT_BOOST))
    return _any(clauses)


def _phrase_clause(tokens: list[Token], *, exact: bool) -> wq.Query:
    """Consecutive tokens in one field value; an exact-diacritic phrase is boosted."""
    folded = [t.folded for t in tokens]
    accented = [t.exact for t in tokens]
    clauses: list[wq.Query] = [
        wq.Phrase("meta_folded", folded, boost=META_BOOST),
        wq.Phrase("text_folded", folded),
    ]
    if exact:
        clauses.append(wq.Phrase("meta_exact", accented, boost=META_BOOST * EXACT_BOOST))
        clauses.append(wq.Phrase("text_exact", accented, boost=EXACT_BOOST))
    return _any(clauses)


def _prefix_clause(token: Token) -> wq.Query:
    return _any(wq.Prefix(field, token.folded) for field in ("meta_folded", "text_folded"))


def _text_clauses(query: Query, *, fuzzy: bool) -> list[wq.Query]:
    """Required clauses: every word token, every phrase, every prefix; exact forms boosted
    when the query was typed with diacritics."""
    exact = typed_with_diacritics(query)
    clauses: list[wq.Query] = []
    for word in query.words:
        clauses.extend(_token_clause(t, fuzzy=fuzzy, exact=exact) for t in analyze(word))
    for phrase in query.phrases:
        tokens = analyze(phrase)
        if fuzzy or len(tokens) == 1:
            clauses.extend(_token_clause(t, fuzzy=fuzzy, exact=exact) for t in tokens)
        elif tokens:
            clauses.append(_phrase_clause(tokens, exact=exact))
    clauses.extend(_prefix_clause(t) for p in query.prefixes for t in analyze(p)[:1])
    return clauses


def _exclusion(part: str) -> wq.Query | None:
    """A word typed with diacritics excludes only that exact word; without, any folding."""
    tokens = analyze(part)
    if not tokens:
        return None
    if any(t.exact != t.folded for t in tokens):
        fields, words = ("meta_exact", "text_exact"), [t.exact for t in tokens]
    else:
        fields, words = ("meta_folded", "text_folded"), [t.folded for t in tokens]
    if len(words) == 1:
        return _any(wq.Term(field, words[0]) for field in fields)
    return _any(wq.Phrase(field, words) for field in fields)


def _filters(query: Query, acl_offices: frozenset[str] | None) -> list[wq.Query]:
    """Restrictions without scoring; an empty office scope matches nothing (wq.NullQuery)."""
    filters: list[wq.Query] = []
    if acl_offices is not None:
        filters.append(_one_of("office", sorted(acl_offices)))
    for field, values in (
        ("office", query.office_codes),
        ("series", query.series_codes),
        ("status", query.statuses),
    ):
        if values:
            filters.append(_one_of(field, list(values)))
    if query.year_from is not None or query.year_to is not None:
        filters.append(wq.NumericRange("year", query.year_from, query.year_to))
    if query.box_number is not None:
        filters.append(wq.Term("box", query.box_number))
    if query.has_scans is not None:
        filters.append(wq.Term("has_scans", query.has_scans))
    return filters


def _one_of(field: str, values: list[str]) -> wq.Query:
    if not values:
        return wq.NullQuery
    return _any(wq.Term(field, value) for value in values)


def _any(queries: Iterable[wq.Query]) -> wq.Query:
    return wq.Or(list(queries))


def _facets(found: Any) -> Facets:
    counts = {name: _buckets(found.groups(name)) for name in _FACETS}
    return Facets(**counts)


def _buckets(groups: dict[Any, int]) -> tuple[FacetCount, ...]:
    # A file without a value (no year) has an empty column value: not a facet bucket.
    pairs = [(str(key), int(count)) for key, count in groups.items() if key not in (None, "")]
    pairs.sort(key=lambda pair: (-pair[1], pair[0]))
    return tuple(FacetCount(value, count) for value, count in pairs)


def _document(doc: FileDoc) -> dict[str, Any]:
    """The Whoosh fields of one file: filters, sort keys, token streams and stored pages."""
    fields: dict[str, Any] = {
        "file_id": str(doc.file_id),
        "office": doc.office_code,
        "series": doc.series_code,
        "status": doc.status,
        "code": doc.code,
        "has_scans": doc.has_scans,
    }
    if doc.box_number is not None:
        fields["box"] = doc.box_number
    if doc.year is not None:
        fields["year"] = doc.year
        fields["year_key"] = f"{doc.year:04d}"
    meta = [index_text(value) for value in doc.metadata_values()]
    analysed = [AnalysedPage.of(number, page) for number, page in doc.pages]
    text = [(page.exact, page.folded) for page in analysed]
    gap = f" {VALUE_GAP} "
    for name, streams in (("meta", meta), ("text", text)):
        if streams:
            fields[f"{name}_exact"] = gap.join(exact for exact, _ in streams)
            fields[f"{name}_folded"] = gap.join(folded for _, folded in streams)
    fields["pages"] = json.dumps([page.to_json() for page in analysed], ensure_ascii=False)
    return fields

"""tantivy (embedded, Rust core): the default search backend (issue 4).

tantivy only splits on white space here: the exact and folded token streams come from our
analyser, so folding is identical in every backend.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy

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
_FACETS = ("office", "series", "year", "status")
_FACET_SIZE = 1000


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("file_id", stored=True, indexed=True, fast=True)
    for name in ("office", "series", "status", "box", "code"):
        builder.add_text_field(name, stored=False, fast=True, tokenizer_name="raw")
    builder.add_integer_field("year", indexed=True, fast=True)
    builder.add_boolean_field("has_scans", indexed=True, fast=True)
    for name in ("meta_exact", "meta_folded", "text_exact", "text_folded"):
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    builder.add_bytes_field("pages", stored=True, indexed=False)
    return builder.build()


def _open_index(path: Path, schema: tantivy.Schema) -> tantivy.Index:
    return open_marked(
        path,
        {"backend": "tantivy", "schema": SCHEMA_VERSION},
        open_existing=lambda p: tantivy.Index.open(str(p)),
        create=lambda p: tantivy.Index(schema, path=str(p), reuse=False),
        open_errors=(ValueError, RuntimeError, OSError),
    )


class TantivyBackend:
    """A tantivy index directory; the one writer is opened on first change and kept."""

    def __init__(self, options: IndexOptions) -> None:
        self._options = options
        self._schema = _schema()
        self._index = _open_index(options.path, self._schema)
        self._writer: tantivy.IndexWriter | None = None

    def add(self, docs: Sequence[FileDoc]) -> None:
        """Add or replace these files (by file_id), visible after `commit`."""
        writer = self._writer_or_open()
        with self._cancel_on_error():
            for doc in docs:
                writer.delete_documents_by_query(self._id_query(doc.file_id))
                writer.add_document(_document(doc))

    def delete(self, file_ids: Sequence[int]) -> None:
        """Remove these files, visible after `commit`; unknown ids are ignored."""
        writer = self._writer_or_open()
        with self._cancel_on_error():
            for file_id in file_ids:
                writer.delete_documents_by_query(self._id_query(file_id))

    def commit(self) -> None:
        """Make pending changes durable and visible; raises IndexWriteFailed on failure."""
        if self._writer is not None:
            with self._cancel_on_error():
                self._writer.commit()
        self._index.reload()

    def close(self) -> None:
        """Cancel pending changes and release the writer lock."""
        if self._writer is not None:
            self._writer.rollback()
            self._writer = None

    def search(self, query: Query, acl_offices: frozenset[str] | None) -> Results:
        """Files matching `query` within `acl_offices` (None: every office); fuzzy when none.

        The facets are counted on another thread while the top hits are found and their
        snippets made: tantivy releases the GIL, so the two passes overlap (the facet pass is a
        third to a half of a common phrase's time)."""
        searcher = self._index.searcher()
        # Facets need the match set, not scores: exact forms only boost files the folded forms
        # already match, so the facet pass leaves them out.
        matching = self._full_query(
            query, acl_offices, self._text_clauses(query, fuzzy=False, exact=False)
        )
        facets = _FACET_POOL.submit(self._facets, searcher, matching)
        tq = self._full_query(query, acl_offices, self._text_clauses(query, fuzzy=False))
        result, fuzzy = self._run(searcher, query, tq), False
        if _count(result) == 0 and query.has_text:
            facets.result()  # nothing matched: nothing was counted
            tq = self._full_query(query, acl_offices, self._text_clauses(query, fuzzy=True))
            result, fuzzy = self._run(searcher, query, tq), True
            matching = self._full_query(
                query, acl_offices, self._text_clauses(query, fuzzy=True, exact=False)
            )
            facets = _FACET_POOL.submit(self._facets, searcher, matching)
        matcher = TextMatcher.for_query(query)
        hits = tuple(
            self._hit(searcher, query, score, addr, matcher) for score, addr in result.hits
        )
        return Results(hits, _count(result), facets.result(), fuzzy)

    # -- writing ------------------------------------------------------------------------------

    def _writer_or_open(self) -> tantivy.IndexWriter:
        if self._writer is None:
            opts = self._options
            try:
                self._writer = self._index.writer(opts.writer_heap_bytes, opts.writer_threads)
            except (ValueError, RuntimeError, OSError) as exc:
                raise IndexWriteFailed(path=str(opts.path), reason=str(exc)) from exc
        return self._writer

    @contextmanager
    def _cancel_on_error(self) -> Iterator[None]:
        """On a writer failure cancel every pending change and raise (never recreate)."""
        try:
            yield
        except (ValueError, RuntimeError, OSError) as exc:
            if self._writer is not None:
                try:
                    self._writer.rollback()
                finally:
                    self._writer = None
            raise IndexWriteFailed(path=str(self._options.path), reason=str(exc)) from exc

    def _id_query(self, file_id: int) -> tantivy.Query:
        return tantivy.Query.term_query(self._schema, "file_id", file_id)

    # -- querying -----------------------------------------------------------------------------

    def _term(self, field: str, value: str, boost: float) -> tantivy.Query:
        return tantivy.Query.boost_query(
            tantivy.Query.term_query(self._schema, field, value), boost
        )

    def _token_clause(self, token: Token, *, fuzzy: bool, exact: bool) -> Clause:
        """One token anywhere: folded in metadata or text (required), exact forms boosted above
        (optional: they only score files the folded forms already match)."""
        # Numbers and codes stay exact even in the fuzzy pass: one digit off is another person.
        if fuzzy and not any(ch.isdigit() for ch in token.folded):
            fuzzy_terms = _any(
                tantivy.Query.fuzzy_term_query(self._schema, field, token.folded)
                for field in ("meta_folded", "text_folded")
            )
            return Clause(fuzzy_terms, ())
        required = _any(
            [
                self._term("meta_folded", token.folded, META_BOOST),
                self._term("text_folded", token.folded, 1.0),
            ]
        )
        if not exact:
            return Clause(required, ())
        boosts = (
            self._term("meta_exact", token.exact, META_BOOST * EXACT_BOOST),
            self._term("text_exact", token.exact, EXACT_BOOST),
        )
        return Clause(required, boosts)

    def _phrase_clause(self, tokens: list[Token], *, exact: bool) -> Clause:
        """Consecutive tokens in one field value (required, folded). Typed with diacritics, the
        phrase's words in their exact forms are optional boosts: as terms, not as a second
        phrase, since the folded phrase already places them (an exact phrase query cost twice
        the whole search on common phrases, bench/search.py)."""
        folded = [t.folded for t in tokens]
        required = _any(
            [
                self._phrase("meta_folded", folded, META_BOOST),
                self._phrase("text_folded", folded, 1.0),
            ]
        )
        if not exact:
            return Clause(required, ())
        boosts = tuple(
            query
            for word in dict.fromkeys(t.exact for t in tokens)
            for query in (
                self._term("meta_exact", word, META_BOOST * EXACT_BOOST),
                self._term("text_exact", word, EXACT_BOOST),
            )
        )
        return Clause(required, boosts)

    def _phrase(self, field: str, words: list[str], boost: float) -> tantivy.Query:
        phrase = tantivy.Query.phrase_query(self._schema, field, list[str | tuple[int, str]](words))
        return tantivy.Query.boost_query(phrase, boost)

    def _prefix_clause(self, token: Token) -> Clause:
        prefix = _any(
            tantivy.Query.phrase_prefix_query(self._schema, field, [token.folded])
            for field in ("meta_folded", "text_folded")
        )
        return Clause(prefix, ())

    def _part_clauses(self, part: str, *, fuzzy: bool, exact: bool) -> list[Clause]:
        tokens = analyze(part)
        if fuzzy or len(tokens) == 1:
            return [self._token_clause(token, fuzzy=fuzzy, exact=exact) for token in tokens]
        return [self._phrase_clause(tokens, exact=exact)] if tokens else []

    def _text_clauses(self, query: Query, *, fuzzy: bool, exact: bool = True) -> list[Clause]:
        """Required clauses: every word token, every phrase, every prefix; exact forms boosted
        when the query was typed with diacritics (and `exact`: the facet pass leaves them out,
        the match set is the same)."""
        exact = exact and typed_with_diacritics(query)
        clauses: list[Clause] = []
        for word in query.words:
            clauses.extend(
                self._token_clause(token, fuzzy=fuzzy, exact=exact) for token in analyze(word)
            )
        for phrase in query.phrases:
            clauses.extend(self._part_clauses(phrase, fuzzy=fuzzy, exact=exact))
        clauses.extend(self._prefix_clause(t) for p in query.prefixes for t in analyze(p)[:1])
        return clauses

    def _exclusion(self, part: str) -> tantivy.Query | None:
        """A word typed with diacritics excludes only that exact word; without, any folding."""
        tokens = analyze(part)
        if not tokens:
            return None
        if any(t.exact != t.folded for t in tokens):
            fields, words = ("meta_exact", "text_exact"), [t.exact for t in tokens]
        else:
            fields, words = ("meta_folded", "text_folded"), [t.folded for t in tokens]
        if len(words) == 1:
            return _any(tantivy.Query.term_query(self._schema, f, words[0]) for f in fields)
        return _any(self._phrase(f, words, 1.0) for f in fields)

    def _filters(self, query: Query, acl_offices: frozenset[str] | None) -> list[tantivy.Query]:
        schema = self._schema
        filters: list[tantivy.Query] = []
        if acl_offices is not None:
            filters.append(tantivy.Query.term_set_query(schema, "office", sorted(acl_offices)))
        for field, values in (
            ("office", query.office_codes),
            ("series", query.series_codes),
            ("status", query.statuses),
        ):
            if values:
                filters.append(tantivy.Query.term_set_query(schema, field, list(values)))
        if query.year_from is not None or query.year_to is not None:
            filters.append(
                tantivy.Query.range_query(
                    schema, "year", tantivy.FieldType.Integer, query.year_from, query.year_to
                )
            )
        if query.box_number is not None:
            filters.append(tantivy.Query.term_query(schema, "box", query.box_number))
        if query.has_scans is not None:
            filters.append(tantivy.Query.term_query(schema, "has_scans", query.has_scans))
        return filters

    def _full_query(
        self, query: Query, acl_offices: frozenset[str] | None, text: list[Clause]
    ) -> tantivy.Query:
        must = [c.required for c in text] or [tantivy.Query.all_query()]
        filters = self._filters(query, acl_offices)
        # Filters and ACL restrict without scoring, so relevance comes from the text alone; the
        # exact-form boosts are optional clauses beside the required ones: the score is the same
        # sum, but they are only evaluated on the files the required clauses already match.
        subqueries = [(tantivy.Occur.Must, q) for q in must]
        subqueries += [(tantivy.Occur.Should, b) for c in text for b in c.boosts]
        subqueries += [
            (tantivy.Occur.Must, tantivy.Query.const_score_query(f, 0.0)) for f in filters
        ]
        for part in query.excluded:
            excluded = self._exclusion(part)
            if excluded is not None:
                subqueries.append((tantivy.Occur.MustNot, excluded))
        return tantivy.Query.boolean_query(subqueries)

    def _run(
        self, searcher: tantivy.Searcher, query: Query, tq: tantivy.Query
    ) -> tantivy.SearchResult:
        order = {
            Sort.RELEVANCE: (None, tantivy.Order.Desc),
            Sort.DATE: ("year", tantivy.Order.Desc),
            Sort.FILE_CODE: ("code", tantivy.Order.Asc),
        }[query.sort]
        return searcher.search(
            tq, query.size, count=True, order_by_field=order[0], offset=query.offset, order=order[1]
        )

    def _hit(
        self,
        searcher: tantivy.Searcher,
        query: Query,
        score: Any,
        address: tantivy.DocAddress,
        matcher: TextMatcher,
    ) -> Hit:
        doc = searcher.doc(address)
        stored = json.loads(bytes(doc.get_first("pages") or b"[]"))
        pages = [AnalysedPage.from_json(page) for page in stored]
        chosen = best_pages(
            pages, matcher, limit=self._options.best_pages, chars=self._options.snippet_chars
        )
        relevance = float(score) if query.sort is Sort.RELEVANCE else 0.0
        return Hit(int(doc["file_id"][0]), relevance, chosen)

    def _facets(self, searcher: tantivy.Searcher, tq: tantivy.Query) -> Facets:
        aggs = {name: {"terms": {"field": name, "size": _FACET_SIZE}} for name in _FACETS}
        found = searcher.aggregate(tq, aggs)
        counts = {name: _buckets(found.get(name, {})) for name in _FACETS}
        return Facets(**counts)


# Facet passes run here, beside the top-hits pass of the same search (see `search`).
_FACET_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="tantivy-facets")


@dataclass(frozen=True)
class Clause:
    """A part of the query: what a file must match, and the optional boosts it may also match."""

    required: tantivy.Query
    boosts: tuple[tantivy.Query, ...]


def _buckets(agg: dict[str, Any]) -> tuple[FacetCount, ...]:
    pairs = [(_key(b["key"]), int(b["doc_count"])) for b in agg.get("buckets", [])]
    pairs.sort(key=lambda pair: (-pair[1], pair[0]))
    return tuple(FacetCount(value, count) for value, count in pairs)


def _key(key: Any) -> str:
    return str(int(key)) if isinstance(key, int | float) else str(key)


def _any(queries: Iterable[tantivy.Query]) -> tantivy.Query:
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in queries])


def _count(result: tantivy.SearchResult) -> int:
    # `count` exists at run time (count=True) but is missing from tantivy's bundled stub.
    return int(result.count)  # type: ignore[attr-defined]


def _document(doc: FileDoc) -> tantivy.Document:
    out = tantivy.Document()
    out.add_integer("file_id", doc.file_id)
    for field, value in (
        ("office", doc.office_code),
        ("series", doc.series_code),
        ("status", doc.status),
        ("code", doc.code),
        ("box", doc.box_number),
    ):
        if value is not None:
            out.add_text(field, value)
    if doc.year is not None:
        out.add_integer("year", doc.year)
    out.add_boolean("has_scans", doc.has_scans)
    # One value per metadata field and per page: tantivy leaves a position gap between values,
    # so a phrase never spans a title and a name, or two pages.
    for value in doc.metadata_values():
        meta_exact, meta_folded = index_text(value)
        out.add_text("meta_exact", meta_exact)
        out.add_text("meta_folded", meta_folded)
    pages: list[list[object]] = []
    for number, text in doc.pages:
        page = AnalysedPage.of(number, text)
        out.add_text("text_exact", page.exact)
        out.add_text("text_folded", page.folded)
        pages.append(page.to_json())
    out.add_bytes("pages", json.dumps(pages, ensure_ascii=False).encode("utf-8"))
    return out

"""The fixed mixed query set of bench/search.py, and each engine answering it without our layer.

The raw side is what a developer would write against the engine directly: the same folded terms
(our analyser's tokens, since the index holds them), the same filters, top 20 and the count. It
skips what our layer adds: exact-form ranking tiers (PostgreSQL), facets, fuzzy fallback, stored
pages and snippets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from random import Random
from typing import Any

import psycopg
import tantivy
from search_data import Corpus
from whoosh import query as wq

from archive.text import fold
from indexes.analyzer import analyze
from indexes.backend import EXACT_BOOST, META_BOOST
from indexes.documents import FileDoc
from indexes.query import Query, parse

TOP = 20
_DOC_NUMBER = re.compile(r"\b\d{3,4}/BHXH-[A-ZĐ]+")


@dataclass(frozen=True)
class BenchQuery:
    """One query as a user types it, with its filters and the office scope of the searcher."""

    kind: str
    text: str
    filters: dict[str, Any] = field(default_factory=dict)
    acl: frozenset[str] | None = None

    def parsed(self) -> Query:
        return parse(self.text, size=TOP, **self.filters)

    def label(self) -> str:
        extra = " ".join(f"{k}={v}" for k, v in self.filters.items())
        scope = f" acl={','.join(sorted(self.acl))}" if self.acl is not None else ""
        return f"[{self.kind}] {self.text} {extra}{scope}".strip()


def query_set(corpus: Corpus, eligible: Sequence[FileDoc], seed: int) -> list[BenchQuery]:
    """About forty queries drawn (fixed seed) from files every benchmarked index holds."""
    rng = Random(f"bench:{seed}:queries")
    people = [doc for doc in eligible if doc.ssn and doc.person_name]
    picks = rng.sample(people, 16)
    numbers = sorted(
        {
            m
            for doc in rng.sample(list(eligible), 50)
            for _, t in doc.pages[:1]
            for m in _DOC_NUMBER.findall(t)
        }
    )
    out = [BenchQuery("ssn", doc.ssn or "") for doc in picks[:5]]
    out += [BenchQuery("folded name", fold(doc.person_name)) for doc in picks[5:10]]
    out += [BenchQuery("exact name", doc.person_name) for doc in picks[10:14]]
    out += [BenchQuery("exact name", word) for word in ("Nguyễn", "Hương", "Dũng")]
    out += [BenchQuery("phrase", f'"{doc.person_name}"') for doc in picks[14:16]]
    out += [
        BenchQuery("phrase", '"trợ cấp mai táng"'),
        BenchQuery("phrase", '"hưu trí"'),
        BenchQuery("words", "bảo hiểm thất nghiệp"),
        BenchQuery("words", "nguyen van"),
    ]
    first = picks[0]
    out += [
        BenchQuery(
            "filtered", "nguyen", {"office_codes": ["03"], "year_from": 2010, "year_to": 2020}
        ),
        BenchQuery("filtered", "trợ cấp", {"series_codes": ["HUONG_MOT_LAN"]}),
        BenchQuery("filtered", fold(first.person_name), {"office_codes": [first.office_code]}),
        BenchQuery("filtered", "hưu trí", {"year_from": 2015, "year_to": 2018}),
        BenchQuery("filtered", "Trần Thị", {"series_codes": ["RA_SOAT_SO"], "year_from": 2018}),
        BenchQuery("acl", "nguyen thi", acl=frozenset({"05"})),
        BenchQuery("acl", "mai táng", acl=frozenset({"00", "07"})),
    ]
    out += [BenchQuery("prefix", text) for text in ("nguy*", "huon*", "4895*", "YN04*")]
    out += [BenchQuery("document number", number) for number in numbers[:5]]
    out.append(BenchQuery("document number", "4027/BHXH-ST"))
    return out


@dataclass(frozen=True)
class Terms:
    """A query's parts as folded tokens: what the raw engine is asked for."""

    words: list[tuple[str, str]]  # (folded, exact)
    phrases: list[list[str]]
    prefixes: list[str]

    @classmethod
    def of(cls, query: Query) -> Terms:
        words = [(t.folded, t.exact) for w in query.words for t in analyze(w)]
        phrases = [[t.folded for t in analyze(p)] for p in query.phrases]
        prefixes = [analyze(p)[0].folded for p in query.prefixes if analyze(p)]
        return cls(words, phrases, prefixes)


Raw = Callable[[BenchQuery], int]


# -- tantivy ---------------------------------------------------------------------------------


def tantivy_raw(index: tantivy.Index) -> Raw:
    """The tantivy API directly: boolean term/phrase/prefix query, filters, top 20 + count."""
    schema = index.schema
    searcher = index.searcher()
    q_ = tantivy.Query

    def either(queries: list[tantivy.Query]) -> tantivy.Query:
        return q_.boolean_query([(tantivy.Occur.Should, q) for q in queries])

    def term(f: str, v: str, boost: float) -> tantivy.Query:
        return q_.boost_query(q_.term_query(schema, f, v), boost)

    def run(bq: BenchQuery) -> int:
        query, terms = bq.parsed(), Terms.of(bq.parsed())
        must: list[tantivy.Query] = []
        for folded, exact in terms.words:
            clauses = [term("meta_folded", folded, META_BOOST), term("text_folded", folded, 1)]
            if exact != folded:
                clauses += [term("meta_exact", exact, META_BOOST * EXACT_BOOST)]
                clauses += [term("text_exact", exact, EXACT_BOOST)]
            must.append(either(clauses))
        for words in terms.phrases:
            must.append(
                either(
                    [
                        q_.phrase_query(schema, f, list[Any](words))
                        for f in ("meta_folded", "text_folded")
                    ]
                )
            )
        for prefix in terms.prefixes:
            must.append(
                either(
                    [
                        q_.phrase_prefix_query(schema, f, [prefix])
                        for f in ("meta_folded", "text_folded")
                    ]
                )
            )
        offices = query.office_codes or (tuple(sorted(bq.acl)) if bq.acl else ())
        if offices:
            must.append(q_.term_set_query(schema, "office", list(offices)))
        if query.series_codes:
            must.append(q_.term_set_query(schema, "series", list(query.series_codes)))
        if query.year_from is not None or query.year_to is not None:
            must.append(
                q_.range_query(
                    schema, "year", tantivy.FieldType.Integer, query.year_from, query.year_to
                )
            )
        found = searcher.search(
            q_.boolean_query([(tantivy.Occur.Must, q) for q in must]), TOP, count=True
        )
        ids = [searcher.doc(address)["file_id"][0] for _, address in found.hits]
        assert len(ids) <= TOP
        return int(found.count)  # type: ignore[attr-defined]

    return run


# -- Whoosh ----------------------------------------------------------------------------------


def whoosh_raw(searcher: Any) -> Raw:
    """Whoosh's searcher directly: And of Or(term…) / Phrase / Prefix and filters, top 20."""

    def run(bq: BenchQuery) -> int:
        query, terms = bq.parsed(), Terms.of(bq.parsed())
        must: list[wq.Query] = []
        for folded, exact in terms.words:
            clauses = [
                wq.Term("meta_folded", folded, boost=META_BOOST),
                wq.Term("text_folded", folded),
            ]
            if exact != folded:
                clauses += [
                    wq.Term("meta_exact", exact, boost=META_BOOST * EXACT_BOOST),
                    wq.Term("text_exact", exact, boost=EXACT_BOOST),
                ]
            must.append(wq.Or(clauses))
        for words in terms.phrases:
            must.append(wq.Or([wq.Phrase(f, words) for f in ("meta_folded", "text_folded")]))
        for prefix in terms.prefixes:
            must.append(wq.Or([wq.Prefix(f, prefix) for f in ("meta_folded", "text_folded")]))
        offices = query.office_codes or (tuple(sorted(bq.acl)) if bq.acl else ())
        if offices:
            must.append(wq.Or([wq.Term("office", o) for o in offices]))
        if query.series_codes:
            must.append(wq.Or([wq.Term("series", s) for s in query.series_codes]))
        if query.year_from is not None or query.year_to is not None:
            must.append(wq.NumericRange("year", query.year_from, query.year_to))
        found = searcher.search(wq.And(must), limit=TOP)
        ids = [hit["file_id"] for hit in found]
        assert len(ids) <= TOP
        return len(found)

    return run


# -- PostgreSQL ------------------------------------------------------------------------------


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def postgres_raw(conn: psycopg.Connection[Any], schema: str) -> Raw:
    """Plain SQL with psycopg: GIN match, filters, count(*) and top 20 by ts_rank."""
    doc = "d.terms"

    def run(bq: BenchQuery) -> int:
        query, terms = bq.parsed(), Terms.of(bq.parsed())
        parts = [_lexeme(f) for f, _ in terms.words]
        parts += [_lexeme(p) + ":*" for p in terms.prefixes]
        parts += [" & ".join(_lexeme(w) for w in words) for words in terms.phrases]
        where, params = [f"{doc} @@ CAST(%(q)s AS tsquery)"], {"q": " & ".join(parts)}
        for i, words in enumerate(terms.phrases):
            params[f"ph{i}"] = " <-> ".join(_lexeme(w) for w in words)
            where.append(
                f"(d.meta_folded @@ CAST(%(ph{i})s AS tsquery) OR EXISTS (SELECT 1 FROM"
                f" {schema}.pages p WHERE p.file_id = d.file_id"
                f" AND p.folded @@ CAST(%(ph{i})s AS tsquery)))"
            )
        offices = query.office_codes or (tuple(sorted(bq.acl)) if bq.acl else ())
        if offices:
            where.append("d.office = ANY(%(offices)s)")
            params["offices"] = list(offices)
        if query.series_codes:
            where.append("d.series = ANY(%(series)s)")
            params["series"] = list(query.series_codes)
        if query.year_from is not None:
            where.append("d.year >= %(y0)s")
            params["y0"] = query.year_from
        if query.year_to is not None:
            where.append("d.year <= %(y1)s")
            params["y1"] = query.year_to
        cond = " AND ".join(where)
        with conn.transaction():
            count = conn.execute(
                f"SELECT count(*) FROM {schema}.documents d WHERE {cond}", params
            ).fetchone()
            conn.execute(
                f"SELECT d.file_id FROM {schema}.documents d WHERE {cond}"
                f" ORDER BY ts_rank({doc}, CAST(%(q)s AS tsquery)) DESC LIMIT {TOP}",
                params,
            ).fetchall()
        return int(count[0]) if count else 0

    return run

"""Our query model as PostgreSQL statements: match, facets, a bounded ranking, fuzzy (issue 4)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, text

from indexes.analyzer import Token, analyze
from indexes.backends import postgres_sql as sql
from indexes.query import Query, Sort, typed_with_diacritics
from indexes.snippets import TextMatcher

_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


@dataclass(frozen=True)
class QueryPlan:
    """The WHERE clause of one query: its word match, the rest (phrases, exclusions, filters)."""

    schema: str
    match: str
    rest: str
    params: Mapping[str, object]
    clauses: tuple[sql.Clause, ...]

    @property
    def where(self) -> str:
        """The whole condition."""
        return f"{self.match} AND {self.rest}"

    @classmethod
    def build(
        cls,
        schema: str,
        query: Query,
        acl_offices: frozenset[str] | None,
        fuzzy: Mapping[str, Sequence[str]] | None = None,
    ) -> QueryPlan:
        """The plan of `query`; with `fuzzy` (folded word → its neighbours) the near pass."""
        stmt = sql.Statement(schema)
        clauses = _text_clauses(query, fuzzy)
        match, conditions = "TRUE", []
        if clauses:
            required = " & ".join(sql.as_terms(c.folded) for c in clauses)
            match = f"{sql.ALL_FOLDED} @@ {stmt.tsquery(required)}"
            conditions += [
                sql.phrase_anywhere(stmt, c.folded, exact=False) for c in clauses if c.phrase
            ]
        for part in query.excluded:
            excluded = sql.exclusion(stmt, part)
            if excluded is not None:
                conditions.append(excluded)
        conditions += _filters(stmt, query, acl_offices)
        rest = " AND ".join(conditions) or "TRUE"
        return cls(schema, match, rest, dict(stmt.params), tuple(clauses))

    def facets(self) -> tuple[str, dict[str, object]]:
        """One pass over the match: (kind, value, count) rows for office, series, year, status."""
        return (
            "SELECT CASE WHEN grouping(d.office) = 0 THEN 'office'"
            " WHEN grouping(d.series) = 0 THEN 'series'"
            " WHEN grouping(d.year) = 0 THEN 'year' ELSE 'status' END,"
            " COALESCE(d.office, d.series, d.year::text, d.status), count(*)"
            f" FROM {self.schema}.documents d WHERE {self.where}"
            " GROUP BY GROUPING SETS ((d.office), (d.series), (d.year), (d.status))",
            dict(self.params),
        )

    def hits(self, query: Query, candidates: int) -> tuple[str, dict[str, object]]:
        """(file_id, score) rows of the requested page, in the query's sort order."""
        stmt = sql.Statement(self.schema, dict(self.params))
        page = f" LIMIT {stmt.bind(query.size)} OFFSET {stmt.bind(query.offset)}"
        base = f"SELECT d.file_id FROM {self.schema}.documents d WHERE {self.rest}"
        if query.sort is not Sort.RELEVANCE or not self.clauses:
            order = {
                Sort.DATE: "d.year DESC NULLS LAST, d.file_id",
                Sort.FILE_CODE: 'd.code COLLATE "C", d.file_id',
                Sort.RELEVANCE: "d.file_id",
            }[query.sort]
            unranked = f"SELECT d.file_id, 0.0 FROM {self.schema}.documents d WHERE {self.where}"
            return f"{unranked} ORDER BY {order}{page}", stmt.params
        # Only each tier's first `candidates` files (by id: the same set for every page) are
        # scored, never every match. `+ 0` keeps the planner off a primary-key walk that would
        # test every row's tsvector for a rare word.
        limit = stmt.bind(candidates)
        # A tier's metadata match implies the word match, which is left out so that the tier's
        # small metadata index drives the scan, not a per-row test of every page's words.
        tiers = [f"{base} AND {tier}" for tier in (*self._tiers(stmt), self.match)]
        union = " UNION ".join(f"({t} ORDER BY d.file_id + 0 LIMIT {limit})" for t in tiers)
        ranked = (
            f"SELECT d.file_id, {sql.score(stmt, self.clauses)} AS score, 0 AS part"
            f" FROM candidates c JOIN {self.schema}.documents d USING (file_id)"
        )
        if query.offset + query.size > candidates:
            # Past the ranked candidates, the remaining matches follow unranked, by id.
            ranked += (
                f" UNION ALL SELECT d.file_id, 0, 1 FROM {self.schema}.documents d"
                f" WHERE {self.where} AND d.file_id NOT IN (SELECT file_id FROM candidates)"
            )
        return (
            f"WITH candidates AS ({union}) SELECT file_id, score FROM ({ranked}) r"
            f" ORDER BY part, score DESC, file_id{page}",
            stmt.params,
        )

    def _tiers(self, stmt: sql.Statement) -> list[str]:
        """Candidate tiers, best first: every word exact in metadata, every word in metadata."""
        tiers: list[str] = []
        if any(c.exact is not None for c in self.clauses):
            exact = " & ".join(c.exact or c.folded for c in self.clauses)
            tiers.append(f"d.meta_exact @@ {stmt.tsquery(exact)}")
        folded = " & ".join(c.folded for c in self.clauses)
        tiers.append(f"d.meta_folded @@ {stmt.tsquery(folded)}")
        return tiers


def _text_clauses(query: Query, fuzzy: Mapping[str, Sequence[str]] | None) -> list[sql.Clause]:
    """Required clauses: every word token, every phrase, every prefix (as in every backend);
    exact forms boosted when the query was typed with diacritics."""
    exact = typed_with_diacritics(query)
    clauses = [_token(t, fuzzy, exact) for word in query.words for t in analyze(word)]
    for phrase in query.phrases:
        tokens = analyze(phrase)
        if fuzzy is not None or len(tokens) == 1:
            clauses += [_token(t, fuzzy, exact) for t in tokens]
        elif tokens:
            clauses.append(sql.phrase_clause(tokens, exact=exact))
    clauses += [sql.prefix_clause(t) for p in query.prefixes for t in analyze(p)[:1]]
    return clauses


def _token(token: Token, fuzzy: Mapping[str, Sequence[str]] | None, exact: bool) -> sql.Clause:
    # Numbers and codes stay exact even in the fuzzy pass: one digit off is another person.
    if fuzzy is None or _numeric(token.folded):
        return sql.token_clause(token, exact=exact)
    return sql.token_clause(token, fuzzy.get(token.folded) or [token.folded])


def _filters(stmt: sql.Statement, query: Query, acl_offices: frozenset[str] | None) -> list[str]:
    """Filter and ACL conditions on plain columns: they restrict, they never score."""
    conditions: list[str] = []
    if acl_offices is not None:
        conditions.append(f"d.office = ANY({stmt.bind(sorted(acl_offices))})")
    for column, values in (
        ("office", query.office_codes),
        ("series", query.series_codes),
        ("status", query.statuses),
    ):
        if values:
            conditions.append(f"d.{column} = ANY({stmt.bind(list(values))})")
    if query.year_from is not None:
        conditions.append(f"d.year >= {stmt.bind(query.year_from)}")
    if query.year_to is not None:
        conditions.append(f"d.year <= {stmt.bind(query.year_to)}")
    if query.box_number is not None:
        conditions.append(f"d.box = {stmt.bind(query.box_number)}")
    if query.has_scans is not None:
        conditions.append(f"d.has_scans = {stmt.bind(query.has_scans)}")
    return conditions


def best_pages_sql(
    schema: str, matcher: TextMatcher, file_ids: list[int], limit: int
) -> tuple[str, dict[str, object]]:
    """(file_id, page_number, body) of each hit's `limit` best pages, scored like `best_pages`.

    A page scores one per folded or prefix match and one more per exact-diacritic match, counted
    from its tsvector positions, so only the chosen pages are analysed again for snippets.
    """
    words = [sql.lexeme(w) for w in sorted(matcher.folded)]
    words += [f"{sql.lexeme(p)}:*" for p in matcher.prefixes]
    scored = (
        "(SELECT coalesce(sum(cardinality(f.positions)), 0) FROM unnest(p.folded) f"
        " WHERE f.lexeme = ANY(:folded) OR f.lexeme LIKE ANY(:prefixes))"
        " + (SELECT coalesce(sum(cardinality(e.positions)), 0) FROM unnest(p.exact) e"
        " WHERE e.lexeme = ANY(:exact))"
    )
    return (
        "SELECT file_id, page_number, body FROM (SELECT p.file_id, p.page_number, p.body,"
        f" row_number() OVER (PARTITION BY p.file_id ORDER BY {scored} DESC, p.page_number,"
        f" p.seq) AS rank FROM {schema}.pages p"
        " WHERE p.file_id = ANY(:ids) AND p.folded @@ CAST(:any AS tsquery)) ranked"
        " WHERE rank <= :limit ORDER BY file_id, rank",
        {
            "ids": file_ids,
            "any": " | ".join(words),
            "folded": sorted(matcher.folded),
            "prefixes": [p.replace("%", "").replace("_", "") + "%" for p in matcher.prefixes],
            "exact": sorted(matcher.exact),
            "limit": limit,
        },
    )


def fuzzy_expansions(conn: Connection, schema: str, query: Query) -> dict[str, list[str]]:
    """Indexed folded terms one edit (Damerau) from each non-numeric query word."""
    words = {
        t.folded
        for part in (*query.words, *query.phrases)
        for t in analyze(part)
        if not _numeric(t.folded)
    }
    near = {word: _edits(word) for word in words}
    if not near:
        return {}
    candidates = sorted(set().union(*near.values()))
    found = set(
        conn.execute(
            text(f"SELECT term FROM {schema}.terms WHERE term = ANY(:c)"), {"c": candidates}
        ).scalars()
    )
    return {word: sorted(found & edits) for word, edits in near.items()}


def _edits(word: str) -> set[str]:
    """The word and every string one deletion, transposition, replacement or insertion away."""
    letters = sorted(set(_ALPHABET) | set(word))
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in letters}
    inserts = {a + c + b for a, b in splits for c in letters}
    return ({word} | deletes | transposes | replaces | inserts) - {""}


def _numeric(folded: str) -> bool:
    return any(ch.isdigit() for ch in folded)

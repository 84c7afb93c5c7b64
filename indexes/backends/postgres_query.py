"""Our query model as PostgreSQL statements: match, facets, a bounded ranking, fuzzy (issue 4)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, text

from indexes.analyzer import Token, analyze
from indexes.backends import postgres_sql as sql
from indexes.query import Query, Sort, typed_with_diacritics
from indexes.snippets import TextMatcher

_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


@dataclass(frozen=True)
class QueryPlan:
    """The conditions of one query: its `terms` index match, and the rest (filters on plain
    columns first, then what page positions must confirm)."""

    schema: str
    match: str
    rest: str
    params: Mapping[str, object]
    clauses: tuple[sql.Clause, ...]
    negated: tuple[str, ...]

    @property
    def where(self) -> str:
        """The whole condition."""
        return f"{self.rest} AND {self.match}"

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
        conditions = _filters(stmt, query, acl_offices)
        negated: list[str] = []
        for part in query.excluded:
            word = sql.excluded_word(part) if clauses else None
            if word is not None:
                negated.append(word)  # answered by the index beside the words
                continue
            excluded = sql.exclusion(stmt, part)
            if excluded is not None:
                conditions.append(excluded)
        conditions += [
            sql.phrase_anywhere(stmt, c.folded, exact=False) for c in clauses if c.checked
        ]
        match = _match(stmt, clauses, negated)
        rest = " AND ".join(conditions) or "TRUE"
        return cls(schema, match, rest, dict(stmt.params), tuple(clauses), tuple(negated))

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

    def ordered(self, query: Query) -> tuple[str, dict[str, object]]:
        """(file_id, 0.0) rows of the requested page in a field's order (or by id)."""
        stmt = sql.Statement(self.schema, dict(self.params))
        order = {
            Sort.DATE: "d.year DESC NULLS LAST, d.file_id",
            Sort.FILE_CODE: 'd.code COLLATE "C", d.file_id',
            Sort.RELEVANCE: "d.file_id",
        }[query.sort]
        return (
            f"SELECT d.file_id, 0.0 FROM {self.schema}.documents d WHERE {self.where}"
            f" ORDER BY {order} LIMIT {stmt.bind(query.size)} OFFSET {stmt.bind(query.offset)}",
            stmt.params,
        )

    def tiers(self, candidates: int) -> list[tuple[str, dict[str, object]]]:
        """Statements giving the metadata tiers' first `candidates` file ids, best first: every
        word exact in metadata, every word in metadata. Ids are kept in id order, so every page
        of results ranks the same set; `+ 0` keeps the planner off a primary-key walk."""
        out: list[tuple[str, dict[str, object]]] = []
        for tier in self._meta_tiers():
            stmt = sql.Statement(self.schema, dict(self.params))
            condition = tier(stmt)
            # A metadata tier implies the words, so the small metadata index drives it; the
            # match joins only to apply the words the index excludes.
            if self.negated:
                condition += f" AND {self.match}"
            out.append(
                (
                    f"SELECT d.file_id FROM {self.schema}.documents d WHERE {self.rest}"
                    f" AND {condition} ORDER BY d.file_id + 0 LIMIT {stmt.bind(candidates)}",
                    stmt.params,
                )
            )
        return out

    def first_matches(self, candidates: int, *, walk: bool) -> tuple[str, dict[str, object]]:
        """The last tier: the match's first `candidates` file ids. `walk`: the match is so
        common that a primary-key walk meets enough of it soon (run it without bitmaps);
        otherwise the index collects the match and its lowest ids are kept."""
        stmt = sql.Statement(self.schema, dict(self.params))
        order = "d.file_id" if walk else "d.file_id + 0"
        return (
            f"SELECT d.file_id FROM {self.schema}.documents d WHERE {self.where}"
            f" ORDER BY {order} LIMIT {stmt.bind(candidates)}",
            stmt.params,
        )

    def scores(self, file_ids: Sequence[int]) -> tuple[str, dict[str, object]]:
        """(file_id, score) of these candidates."""
        stmt = sql.Statement(self.schema, dict(self.params))
        return (
            f"SELECT d.file_id, {sql.score(stmt, self.clauses)} FROM {self.schema}.documents d"
            f" WHERE d.file_id = ANY({stmt.bind(list(file_ids))})",
            stmt.params,
        )

    def unranked(
        self, ranked: Sequence[int], limit: int, offset: int
    ) -> tuple[str, dict[str, object]]:
        """(file_id, 0.0) of the matches past the ranked candidates, by id."""
        stmt = sql.Statement(self.schema, dict(self.params))
        return (
            f"SELECT d.file_id, 0.0 FROM {self.schema}.documents d WHERE {self.where}"
            f" AND d.file_id <> ALL({stmt.bind(list(ranked))}) ORDER BY d.file_id"
            f" LIMIT {stmt.bind(limit)} OFFSET {stmt.bind(offset)}",
            stmt.params,
        )

    def _meta_tiers(self) -> list[Callable[[sql.Statement], str]]:
        """Conditions of the metadata tiers: every word exact, every word (folded)."""
        tiers: list[Callable[[sql.Statement], str]] = []
        if any(c.exact is not None for c in self.clauses):
            exact = " & ".join(c.exact or c.folded for c in self.clauses)
            tiers.append(lambda stmt: f"d.meta_exact @@ {stmt.tsquery(exact)}")
        folded = " & ".join(c.folded for c in self.clauses)
        tiers.append(lambda stmt: f"d.meta_folded @@ {stmt.tsquery(folded)}")
        return tiers


def _match(stmt: sql.Statement, clauses: Sequence[sql.Clause], negated: Sequence[str]) -> str:
    """The `terms` index condition: every clause, none of the excluded words. Files whose word
    runs did not all fit answer a phrase by their words and page positions instead."""
    if not clauses:
        return "TRUE"
    nots = [f"!{word}" for word in negated]
    indexed = " & ".join([c.indexed for c in clauses] + nots)
    match = f"d.terms @@ {stmt.tsquery(indexed)}"
    if not any(c.uses_runs for c in clauses):
        return match
    words = " & ".join([c.words for c in clauses] + nots)
    checks = " AND ".join(
        sql.phrase_anywhere(stmt, c.folded, exact=False) for c in clauses if c.uses_runs
    )
    incomplete = (
        f"SELECT d.file_id FROM {stmt.schema}.documents d WHERE NOT d.runs_complete"
        f" AND d.terms @@ {stmt.tsquery(words)} AND {checks}"
    )
    return f"({match} OR d.file_id = ANY(ARRAY({incomplete})))"


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
    if fuzzy is None or sql.numeric(token.folded):
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
        if not sql.numeric(t.folded)
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

"""SQL of the PostgreSQL search backend: its schema, tsvector values and query clauses (issue 4).

tsvector and tsquery values are written from our analyser's tokens, never parsed by PostgreSQL:
`to_tsvector('simple', '4027/bhxh-st 01.ht.2015.0001')` splits codes the analyser keeps whole, and
PostgreSQL's `unaccent` would fold differently from the other backends (and is only STABLE).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from indexes.analyzer import Token, analyze, index_text
from indexes.backend import EXACT_BOOST, META_BOOST
from indexes.documents import FileDoc

BACKEND = "postgresql"
SCHEMA_VERSION = 1
# Advisory-lock namespaces (first key); the second key is hashtext(schema name).
WRITER_LOCK = 0x5345
SETUP_LOCK = 0x5346
MAX_POSITION = 16383  # PostgreSQL clamps tsvector positions here
MAX_POSITIONS_PER_LEXEME = 256
# Longer OCR garbage would make PostgreSQL refuse the whole batch; nobody searches for it.
MAX_LEXEME_BYTES = 2046
MAX_TERM_CHARS = 64  # the fuzzy vocabulary only needs words someone could type
ALL_FOLDED = "(d.meta_folded || d.text_folded)"
ALL_EXACT = "(d.meta_exact || d.text_exact)"
META, EXACT = META_BOOST, EXACT_BOOST
_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}\Z")


def schema_name(name: str) -> str:
    """The quoted schema identifier; refuses anything but a plain lower-case SQL name."""
    if not _NAME.match(name) or name.startswith("pg_"):
        raise ValueError(f"not a usable schema name for the search index: {name!r}")
    return f'"{name}"'


def ddl(schema: str) -> list[str]:
    """Idempotent statements creating the index tables in `schema` (quoted) and its marker row."""
    s = schema
    return [
        f"CREATE SCHEMA IF NOT EXISTS {s}",
        f"CREATE TABLE IF NOT EXISTS {s}.index_meta"
        " (backend text PRIMARY KEY, schema_version integer NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS {s}.documents (file_id bigint PRIMARY KEY,"
        " office text NOT NULL, series text NOT NULL, year integer, status text NOT NULL,"
        " box text, has_scans boolean NOT NULL, code text NOT NULL,"
        " meta_exact tsvector NOT NULL, meta_folded tsvector NOT NULL,"
        " text_exact tsvector NOT NULL, text_folded tsvector NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS {s}.pages (file_id bigint NOT NULL"
        f" REFERENCES {s}.documents ON DELETE CASCADE, seq integer NOT NULL,"
        " page_number integer NOT NULL, body text NOT NULL,"
        " exact tsvector NOT NULL, folded tsvector NOT NULL, PRIMARY KEY (file_id, seq))",
        f"CREATE TABLE IF NOT EXISTS {s}.terms (term text PRIMARY KEY)",
        f"CREATE INDEX IF NOT EXISTS documents_all_folded ON {s}.documents"
        " USING gin ((meta_folded || text_folded))",
        f"CREATE INDEX IF NOT EXISTS documents_all_exact ON {s}.documents"
        " USING gin ((meta_exact || text_exact))",
        f"CREATE INDEX IF NOT EXISTS documents_meta_exact ON {s}.documents USING gin (meta_exact)",
        f"CREATE INDEX IF NOT EXISTS documents_meta_folded ON {s}.documents"
        " USING gin (meta_folded)",
        f"CREATE INDEX IF NOT EXISTS documents_office ON {s}.documents (office)",
        f"CREATE INDEX IF NOT EXISTS documents_year ON {s}.documents (year)",
        f'CREATE INDEX IF NOT EXISTS documents_code ON {s}.documents (code COLLATE "C")',
        f"CREATE INDEX IF NOT EXISTS pages_folded ON {s}.pages USING gin (folded)",
        f"CREATE INDEX IF NOT EXISTS pages_exact ON {s}.pages USING gin (exact)",
        f"INSERT INTO {s}.index_meta VALUES ('{BACKEND}', {SCHEMA_VERSION}) ON CONFLICT DO NOTHING",
    ]


# -- values ------------------------------------------------------------------------------------


def lexeme(token: str) -> str:
    """A token quoted for a tsvector or tsquery literal."""
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector(values: Iterable[Sequence[str]], *, positions: bool = True) -> str:
    """A tsvector literal of token lists, a position gap between lists (no phrase spans two)."""
    where: dict[str, list[int]] = {}
    position = 0
    for tokens in values:
        for token in tokens:
            position += 1
            if len(token.encode("utf-8")) > MAX_LEXEME_BYTES:
                continue
            found = where.setdefault(token, [])
            at = min(position, MAX_POSITION)
            if len(found) < MAX_POSITIONS_PER_LEXEME and (not found or found[-1] != at):
                found.append(at)
        position += 1
    if not positions:
        return " ".join(lexeme(token) for token in where)
    return " ".join(f"{lexeme(t)}:{','.join(map(str, at))}" for t, at in where.items())


@dataclass(frozen=True)
class Rows:
    """What one file writes: its documents row, its pages rows and its folded terms."""

    document: dict[str, object]
    pages: list[dict[str, object]]
    terms: set[str]


def rows(doc: FileDoc) -> Rows:
    """The rows of a file, each value and page analysed once."""
    meta = [index_text(value) for value in doc.metadata_values()]
    texts = [index_text(body) for _, body in doc.pages]
    pages = [
        {
            "file_id": doc.file_id,
            "seq": seq,
            "page_number": number,
            "body": body,
            "exact": tsvector([exact.split()]),
            "folded": tsvector([folded.split()]),
        }
        for seq, ((number, body), (exact, folded)) in enumerate(zip(doc.pages, texts, strict=True))
    ]
    document = {
        "file_id": doc.file_id,
        "office": doc.office_code,
        "series": doc.series_code,
        "year": doc.year,
        "status": doc.status,
        "box": doc.box_number,
        "has_scans": doc.has_scans,
        "code": doc.code,
        "meta_exact": tsvector(exact.split() for exact, _ in meta),
        "meta_folded": tsvector(folded.split() for _, folded in meta),
        "text_exact": tsvector((exact.split() for exact, _ in texts), positions=False),
        "text_folded": tsvector((folded.split() for _, folded in texts), positions=False),
    }
    terms = {
        term
        for _, folded in (*meta, *texts)
        for term in folded.split()
        if len(term) <= MAX_TERM_CHARS
    }
    return Rows(document, pages, terms)


# -- queries -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clause:
    """One required part of a text query: tsqueries over folded and (if accented) exact forms."""

    folded: str
    exact: str | None = None
    phrase: bool = False


def as_terms(tsquery: str) -> str:
    """The tsquery with phrase operators relaxed to AND (for vectors without positions)."""
    return tsquery.replace(" <-> ", " & ")


@dataclass
class Statement:
    """Bound parameters of a statement on the index in `schema` (quoted); `bind` adds one."""

    schema: str
    params: dict[str, object] = field(default_factory=dict)

    def bind(self, value: object) -> str:
        """A fresh placeholder bound to `value`."""
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def tsquery(self, value: str) -> str:
        """A placeholder cast to tsquery."""
        return f"CAST({self.bind(value)} AS tsquery)"


def token_clause(
    token: Token, expansions: Sequence[str] | None = None, *, exact: bool = False
) -> Clause:
    """A word: its folded form (or, fuzzy, its vocabulary neighbours), plus its exact form when
    the query was typed with diacritics."""
    if expansions is not None:
        return Clause("(" + " | ".join(lexeme(t) for t in expansions) + ")")
    return Clause(lexeme(token.folded), lexeme(token.exact) if exact else None)


def phrase_clause(tokens: Sequence[Token], *, exact: bool = False) -> Clause:
    """Consecutive words within one metadata value or one page."""
    folded = " <-> ".join(lexeme(t.folded) for t in tokens)
    accented = " <-> ".join(lexeme(t.exact) for t in tokens)
    return Clause(f"({folded})", f"({accented})" if exact else None, phrase=True)


def prefix_clause(token: Token) -> Clause:
    """A folded word beginning."""
    return Clause(f"{lexeme(token.folded)}:*")


def phrase_anywhere(stmt: Statement, tsquery: str, *, exact: bool) -> str:
    """A condition: the phrase occurs in one metadata value or within one page of the file."""
    meta, page = ("d.meta_exact", "p.exact") if exact else ("d.meta_folded", "p.folded")
    q = stmt.tsquery(tsquery)
    return (
        f"({meta} @@ {q} OR EXISTS (SELECT 1 FROM {stmt.schema}.pages p"
        f" WHERE p.file_id = d.file_id AND {page} @@ {q}))"
    )


def exclusion(stmt: Statement, part: str) -> str | None:
    """A condition removing files with `part`: exactly if typed with diacritics, else folded."""
    tokens = analyze(part)
    if not tokens:
        return None
    accented = any(t.exact != t.folded for t in tokens)
    words = [t.exact if accented else t.folded for t in tokens]
    if len(words) == 1:
        column = ALL_EXACT if accented else ALL_FOLDED
        return f"NOT ({column} @@ {stmt.tsquery(lexeme(words[0]))})"
    phrase = " <-> ".join(lexeme(w) for w in words)
    return f"NOT {phrase_anywhere(stmt, phrase, exact=accented)}"


def score(stmt: Statement, clauses: Sequence[Clause]) -> str:
    """The relevance of a candidate: per clause, exact above folded, metadata above page text."""
    parts: list[str] = []
    for clause in clauses:
        folded = stmt.tsquery(clause.folded)
        parts.append(f"{META} * (d.meta_folded @@ {folded})::int")
        parts.append(f"(d.text_folded @@ {stmt.tsquery(as_terms(clause.folded))})::int")
        if clause.exact is not None:
            exact = stmt.tsquery(clause.exact)
            parts.append(f"{META * EXACT} * (d.meta_exact @@ {exact})::int")
            text = stmt.tsquery(as_terms(clause.exact))
            parts.append(f"{EXACT} * (d.text_exact @@ {text})::int")
    return " + ".join(parts) or "0"

"""SQL of the PostgreSQL search backend: its schema, tsvector values and query clauses (issue 4).

tsvector and tsquery values are written from our analyser's tokens, never parsed by PostgreSQL:
`to_tsvector('simple', '4027/bhxh-st 01.ht.2015.0001')` splits codes the analyser keeps whole, and
PostgreSQL's `unaccent` would fold differently from the other backends (and is only STABLE).

A file is matched through one GIN index over `documents.terms`: its folded words and its *word
runs* (every 2 to 4 consecutive words of one metadata value or one page, as one lexeme marked
`~`). GIN stores no positions, so `<->` would make PostgreSQL re-read every candidate's vector;
a run lexeme answers a phrase of up to four words from the index alone (bench/search.py at
1,000,000 pages: "trợ cấp mai táng" 7 s → well under a second). Longer phrases, and phrases with
numbers (kept out of runs: every date would be a new lexeme), are checked against the pages'
positions after the index has narrowed the files down.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from indexes.analyzer import Token, analyze, index_text
from indexes.backend import EXACT_BOOST, META_BOOST
from indexes.documents import FileDoc

BACKEND = "postgresql"
SCHEMA_VERSION = 2
# Advisory-lock namespaces (first key); the second key is hashtext(schema name).
WRITER_LOCK = 0x5345
SETUP_LOCK = 0x5346
MAX_POSITION = 16383  # PostgreSQL clamps tsvector positions here
MAX_POSITIONS_PER_LEXEME = 256
# Longer OCR garbage would make PostgreSQL refuse the whole batch; nobody searches for it.
MAX_LEXEME_BYTES = 2046
MAX_TERM_CHARS = 64  # the fuzzy vocabulary (and word runs) only need words someone could type
RUN_WORDS = 4  # phrases of up to this many words are answered by the index alone
RUN_MARK = "~"  # never part of a token, so a run never answers a word or a prefix
# A tsvector holds under 1 MB of lexemes. A file's runs stop at this budget (about 40,000 runs:
# some fifty pages of prose); such a file is marked and its phrases are checked on its pages.
MAX_RUN_BYTES = 768_000
# A file's vectors without positions stop here, so no file makes PostgreSQL refuse the write
# (which would hold up every later change behind it). Only thousands of pages of OCR garbage
# have this many distinct words; those past it are not found at the file level.
MAX_VECTOR_BYTES = 1_000_000
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
        # The vectors live out of line (toast_tuple_target): counts and facets over a quarter
        # of a million matches then read a heap of ~100-byte rows, not 2 KB ones.
        f"CREATE TABLE IF NOT EXISTS {s}.documents (file_id bigint PRIMARY KEY,"
        " office text NOT NULL, series text NOT NULL, year integer, status text NOT NULL,"
        " box text, has_scans boolean NOT NULL, code text NOT NULL,"
        " runs_complete boolean NOT NULL, terms tsvector NOT NULL,"
        " meta_exact tsvector NOT NULL, meta_folded tsvector NOT NULL,"
        " text_exact tsvector NOT NULL) WITH (toast_tuple_target = 128)",
        f"CREATE TABLE IF NOT EXISTS {s}.pages (file_id bigint NOT NULL"
        f" REFERENCES {s}.documents ON DELETE CASCADE, seq integer NOT NULL,"
        " page_number integer NOT NULL, body text NOT NULL,"
        " exact tsvector NOT NULL, folded tsvector NOT NULL, PRIMARY KEY (file_id, seq))",
        f"CREATE TABLE IF NOT EXISTS {s}.terms (term text PRIMARY KEY)",
        f"CREATE INDEX IF NOT EXISTS documents_terms ON {s}.documents USING gin (terms)",
        f"CREATE INDEX IF NOT EXISTS documents_meta_exact ON {s}.documents USING gin (meta_exact)",
        f"CREATE INDEX IF NOT EXISTS documents_meta_folded ON {s}.documents"
        " USING gin (meta_folded)",
        # No index on office or year: the planner would scan one and test every row's vector
        # rather than combine it with the terms index (filters only: the heap is small).
        f'CREATE INDEX IF NOT EXISTS documents_code ON {s}.documents (code COLLATE "C")',
        f"CREATE INDEX IF NOT EXISTS documents_runs_incomplete ON {s}.documents (file_id)"
        " WHERE NOT runs_complete",
        f"INSERT INTO {s}.index_meta VALUES ('{BACKEND}', {SCHEMA_VERSION}) ON CONFLICT DO NOTHING",
    ]


# -- values ------------------------------------------------------------------------------------


def lexeme(token: str) -> str:
    """A token quoted for a tsvector or tsquery literal."""
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector(values: Iterable[Sequence[str]]) -> str:
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
    return " ".join(f"{lexeme(t)}:{','.join(map(str, at))}" for t, at in where.items())


def numeric(folded: str) -> bool:
    """A number or code: never fuzzy, never inside a word run."""
    return any(ch.isdigit() for ch in folded)


def runnable(folded: str) -> bool:
    """Whether a word can be part of a word run (not a number, not OCR garbage)."""
    return len(folded) <= MAX_TERM_CHARS and not numeric(folded)


def run_lexeme(words: Sequence[str]) -> str:
    """The lexeme of consecutive folded words."""
    return RUN_MARK + " ".join(words)


def word_runs(tokens: Sequence[str]) -> Iterator[str]:
    """Lexemes of every 2 to RUN_WORDS consecutive runnable words of one value or page."""
    run: list[str] = []
    for token in tokens:
        if not runnable(token):
            run = []
            continue
        run = [*run[1 - RUN_WORDS :], token]
        for size in range(2, len(run) + 1):
            yield run_lexeme(run[-size:])


def lexemes(words: Iterable[str], budget: int = MAX_VECTOR_BYTES) -> tuple[dict[str, None], int]:
    """The distinct words in order while `budget` bytes last, and what is left (below zero:
    some did not fit)."""
    seen: dict[str, None] = {}
    for word in words:
        if word in seen or len(word.encode("utf-8")) > MAX_LEXEME_BYTES:
            continue
        budget -= len(word.encode("utf-8")) + 8  # the string, its 4-byte entry, alignment
        if budget < 0:
            break
        seen[word] = None
    return seen, budget


def lexeme_set(values: Iterable[Sequence[str]]) -> str:
    """A tsvector literal of the distinct tokens, without positions, within the budget."""
    seen, _ = lexemes(token for tokens in values for token in tokens)
    return " ".join(lexeme(token) for token in seen)


def terms_vector(words: Iterable[str], values: Iterable[Sequence[str]]) -> tuple[str, bool]:
    """The `terms` literal: every folded word, then word runs while the budget lasts; and
    whether every word and run fitted."""
    seen, left = lexemes(words)
    budget, complete = min(left, MAX_RUN_BYTES), left >= 0
    for tokens in values if complete else ():
        for lexeme_ in word_runs(tokens):
            if lexeme_ in seen:
                continue
            budget -= len(lexeme_.encode("utf-8")) + 8
            if budget < 0:
                complete = False
                break
            seen[lexeme_] = None
        if not complete:
            break
    return " ".join(lexeme(t) for t in seen), complete


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
    folded_values = [folded.split() for _, folded in (*meta, *texts)]
    terms, complete = terms_vector(
        (word for words in folded_values for word in words), folded_values
    )
    document = {
        "file_id": doc.file_id,
        "office": doc.office_code,
        "series": doc.series_code,
        "year": doc.year,
        "status": doc.status,
        "box": doc.box_number,
        "has_scans": doc.has_scans,
        "code": doc.code,
        "runs_complete": complete,
        "terms": terms,
        "meta_exact": tsvector(exact.split() for exact, _ in meta),
        "meta_folded": tsvector(folded.split() for _, folded in meta),
        "text_exact": lexeme_set(exact.split() for exact, _ in texts),
    }
    vocabulary = {term for words in folded_values for term in words if len(term) <= MAX_TERM_CHARS}
    return Rows(document, pages, vocabulary)


# -- queries -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clause:
    """One required part of a text query: tsqueries over folded and (if accented) exact forms.

    `indexed` is what the `terms` index is asked: the words, or a phrase's word runs. It decides
    alone unless `checked`: then a phrase is confirmed on page positions (over four words, or
    with a number). `words` asks for the words only (files whose runs did not all fit).
    """

    folded: str
    indexed: str
    exact: str | None = None
    phrase: bool = False
    checked: bool = False

    @property
    def words(self) -> str:
        return as_terms(self.folded)

    @property
    def uses_runs(self) -> bool:
        return self.phrase and not self.checked


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
        either = "(" + " | ".join(lexeme(t) for t in expansions) + ")"
        return Clause(either, either)
    word = lexeme(token.folded)
    return Clause(word, word, lexeme(token.exact) if exact else None)


def phrase_clause(tokens: Sequence[Token], *, exact: bool = False) -> Clause:
    """Consecutive words within one metadata value or one page."""
    words = [t.folded for t in tokens]
    folded = " <-> ".join(lexeme(w) for w in words)
    accented = " <-> ".join(lexeme(t.exact) for t in tokens)
    indexed, checked = phrase_runs(words)
    return Clause(
        f"({folded})", indexed, f"({accented})" if exact else None, phrase=True, checked=checked
    )


def phrase_runs(words: Sequence[str]) -> tuple[str, bool]:
    """The `terms` tsquery narrowing a phrase to files with its words and word runs, and
    whether page positions must still confirm it (it is longer than a run, or has a number)."""
    parts: list[list[str]] = [[]]
    for word in words:
        if runnable(word):
            parts[-1].append(word)
        elif parts[-1]:
            parts.append([])
    runs = [
        run_lexeme(part[i : i + RUN_WORDS])
        for part in parts
        if len(part) > 1
        for i in range(max(1, len(part) - RUN_WORDS + 1))
    ]
    exact = len(runs) == 1 and len(words) <= RUN_WORDS and all(map(runnable, words))
    if exact:
        return lexeme(runs[0]), False
    required = sorted(set(words)) + runs  # a run implies its words: they only help numbers
    return "(" + " & ".join(lexeme(t) for t in required) + ")", True


def prefix_clause(token: Token) -> Clause:
    """A folded word beginning."""
    prefix = f"{lexeme(token.folded)}:*"
    return Clause(prefix, prefix)


def phrase_anywhere(stmt: Statement, tsquery: str, *, exact: bool) -> str:
    """A condition: the phrase occurs in one metadata value or within one page of the file."""
    meta, page = ("d.meta_exact", "p.exact") if exact else ("d.meta_folded", "p.folded")
    q = stmt.tsquery(tsquery)
    return (
        f"({meta} @@ {q} OR EXISTS (SELECT 1 FROM {stmt.schema}.pages p"
        f" WHERE p.file_id = d.file_id AND {page} @@ {q}))"
    )


def excluded_word(part: str) -> str | None:
    """The folded word an unaccented one-word exclusion removes (the index can negate it)."""
    tokens = analyze(part)
    if len(tokens) == 1 and tokens[0].exact == tokens[0].folded:
        return lexeme(tokens[0].folded)
    return None


def exclusion(stmt: Statement, part: str) -> str | None:
    """A condition removing files with `part`: exactly if typed with diacritics, else folded."""
    tokens = analyze(part)
    if not tokens:
        return None
    accented = any(t.exact != t.folded for t in tokens)
    words = [t.exact if accented else t.folded for t in tokens]
    if len(words) == 1:
        column = ALL_EXACT if accented else "d.terms"
        return f"NOT ({column} @@ {stmt.tsquery(lexeme(words[0]))})"
    phrase = " <-> ".join(lexeme(w) for w in words)
    return f"NOT {phrase_anywhere(stmt, phrase, exact=accented)}"


def score(stmt: Statement, clauses: Sequence[Clause]) -> str:
    """The relevance of a candidate, which has every clause somewhere: per clause, metadata
    above page text, exact above folded."""
    parts: list[str] = []
    for clause in clauses:
        parts.append(f"{META} * (d.meta_folded @@ {stmt.tsquery(clause.folded)})::int")
        if clause.exact is not None:
            exact = stmt.tsquery(clause.exact)
            parts.append(f"{META * EXACT} * (d.meta_exact @@ {exact})::int")
            text = stmt.tsquery(as_terms(clause.exact))
            parts.append(f"{EXACT} * (d.text_exact @@ {text})::int")
    return " + ".join(parts) or "0"

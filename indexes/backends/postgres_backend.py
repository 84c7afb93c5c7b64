"""PostgreSQL full-text search: the backend when several app hosts share one database (issue 4).

The index is derived data this backend owns, in its own schema (`search` unless told otherwise),
apart from the Alembic-managed `public` tables. Documents carry filter columns and tsvectors of our
analyser's tokens; pages keep their text for snippets. Relevance is computed only for a bounded
candidate set (measurements.md: ranking every match is what costs).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from indexes.backend import (
    FacetCount,
    Facets,
    Hit,
    IndexOptions,
    IndexOutdated,
    IndexUnusable,
    IndexWriteFailed,
    PageHit,
    Results,
)
from indexes.backends import postgres_sql as sql
from indexes.backends.postgres_query import QueryPlan, best_pages_sql, fuzzy_expansions
from indexes.documents import FileDoc
from indexes.query import Query, Sort
from indexes.snippets import TextMatcher, page_snippet

# Each candidate tier (every word exact in metadata, in metadata, anywhere) gives at most this
# many files to score; past them, matches follow unranked (measurements.md: ranking costs).
CANDIDATES = 200
# The last tier walks ids when at least one file in this many matches (about WALK_SHARE *
# CANDIDATES rows read); rarer matches are collected from the index instead.
WALK_SHARE = 5
ANALYZE_AFTER = 10_000  # files written by one writer before it refreshes the statistics
FACETS = ("office", "series", "year", "status")


class PostgresBackend:
    """An index in one PostgreSQL schema; the single writer holds an advisory lock until close."""

    def __init__(
        self,
        options: IndexOptions,
        *,
        database: str | URL | Engine,
        schema: str = "search",
        candidates: int = CANDIDATES,
    ) -> None:
        self._options = options
        self._candidates = candidates
        self._name = schema
        self._schema = sql.schema_name(schema)
        self._owns_engine = not isinstance(database, Engine)
        self._engine = database if isinstance(database, Engine) else create_engine(database)
        self._writer: Connection | None = None
        self._pending: dict[int, FileDoc | None] = {}
        self._unanalysed = 0  # files written since this writer last refreshed the statistics
        try:
            self._open()
        except BaseException:
            self._dispose()
            raise

    # -- opening -----------------------------------------------------------------------------

    def _open(self) -> None:
        """Create the schema on first use; refuse a schema we did not write (never drop it)."""
        try:
            with self._engine.begin() as conn:
                conn.execute(
                    text("SELECT pg_advisory_xact_lock(:k, hashtext(:s))"),
                    {"k": sql.SETUP_LOCK, "s": self._name},
                )
                tables = set(
                    conn.execute(
                        text(
                            "SELECT c.relname FROM pg_class c JOIN pg_namespace n"
                            " ON n.oid = c.relnamespace WHERE n.nspname = :s"
                        ),
                        {"s": self._name},
                    ).scalars()
                )
                if tables:
                    self._check_marker(conn, tables)
                    return
                for statement in sql.ddl(self._schema):
                    conn.execute(text(statement))
        except SQLAlchemyError as exc:
            raise IndexUnusable(schema=self._name, reason=str(exc)) from exc

    def _check_marker(self, conn: Connection, tables: set[str]) -> None:
        expected = {"backend": sql.BACKEND, "schema": sql.SCHEMA_VERSION}
        found: object = None
        if "index_meta" in tables:
            rows = conn.execute(
                text(f"SELECT backend, schema_version FROM {self._schema}.index_meta")
            )
            found = [{"backend": b, "schema": v} for b, v in rows]
        if found != [expected]:
            ours = isinstance(found, list) and [f["backend"] for f in found] == [sql.BACKEND]
            refusal = IndexOutdated if ours else IndexUnusable
            raise refusal(schema=self._name, found=found, expected=expected)

    # -- writing -----------------------------------------------------------------------------

    def add(self, docs: Sequence[FileDoc]) -> None:
        """Add or replace these files (by file_id), visible after `commit`."""
        self._lock()
        for doc in docs:
            self._pending[doc.file_id] = doc

    def delete(self, file_ids: Sequence[int]) -> None:
        """Remove these files, visible after `commit`; unknown ids are ignored."""
        self._lock()
        for file_id in file_ids:
            self._pending[file_id] = None

    def commit(self) -> None:
        """Apply pending changes in one transaction; raises IndexWriteFailed and cancels them."""
        if not self._pending:
            return
        writer = self._lock()
        pending, self._pending = self._pending, {}
        docs = [doc for doc in pending.values() if doc is not None]
        try:
            with writer.begin():
                self._write(writer, list(pending), docs)
            self._unanalysed += len(pending)
            if self._unanalysed >= ANALYZE_AFTER:
                # A reindex writes the whole archive in minutes; autovacuum would notice late
                # and, until then, the planner would take a million files for none.
                with writer.begin():
                    writer.execute(text(f"ANALYZE {self._schema}.documents"))
                self._unanalysed = 0
        except SQLAlchemyError as exc:
            self._release(invalidate=True)
            raise IndexWriteFailed(schema=self._name, reason=str(exc)) from exc

    def _write(self, conn: Connection, file_ids: list[int], docs: list[FileDoc]) -> None:
        s = self._schema
        conn.execute(
            text(f"DELETE FROM {s}.documents WHERE file_id = ANY(:ids)"), {"ids": file_ids}
        )
        if not docs:
            return
        written = [sql.rows(doc) for doc in docs]
        conn.execute(
            text(
                f"INSERT INTO {s}.documents VALUES (:file_id, :office, :series, :year, :status,"
                " :box, :has_scans, :code, :runs_complete, CAST(:terms AS tsvector),"
                " CAST(:meta_exact AS tsvector), CAST(:meta_folded AS tsvector),"
                " CAST(:text_exact AS tsvector))"
            ),
            [row.document for row in written],
        )
        pages = [page for row in written for page in row.pages]
        if pages:
            conn.execute(
                text(
                    f"INSERT INTO {s}.pages VALUES (:file_id, :seq, :page_number, :body,"
                    " CAST(:exact AS tsvector), CAST(:folded AS tsvector))"
                ),
                pages,
            )
        terms = sorted(set().union(*(row.terms for row in written)))
        conn.execute(
            text(
                f"INSERT INTO {s}.terms SELECT unnest(CAST(:terms AS text[]))"
                " ON CONFLICT DO NOTHING"
            ),
            {"terms": terms},
        )

    def _lock(self) -> Connection:
        """The writer connection, holding the index's advisory lock; a second writer raises."""
        if self._writer is not None:
            return self._writer
        try:
            conn = self._engine.connect()
        except SQLAlchemyError as exc:
            raise IndexWriteFailed(schema=self._name, reason=str(exc)) from exc
        try:
            locked = conn.execute(
                text("SELECT pg_try_advisory_lock(:k, hashtext(:s))"),
                {"k": sql.WRITER_LOCK, "s": self._name},
            ).scalar_one()
            conn.commit()
        except SQLAlchemyError as exc:
            conn.invalidate()
            raise IndexWriteFailed(schema=self._name, reason=str(exc)) from exc
        if not locked:
            conn.close()
            raise IndexWriteFailed(schema=self._name, reason="another writer holds the index")
        self._writer = conn
        return conn

    def _release(self, *, invalidate: bool = False) -> None:
        """Give up the writer lock; an invalidated connection drops it with the session."""
        conn, self._writer = self._writer, None
        if conn is None:
            return
        try:
            if not invalidate:
                conn.rollback()
                conn.execute(
                    text("SELECT pg_advisory_unlock(:k, hashtext(:s))"),
                    {"k": sql.WRITER_LOCK, "s": self._name},
                )
                conn.commit()
                conn.close()
                return
        except SQLAlchemyError:
            pass  # closing the session below releases the lock anyway
        conn.invalidate()
        conn.close()

    def close(self) -> None:
        """Cancel pending changes, release the writer lock and (if ours) the engine."""
        self._pending = {}
        self._release()
        self._dispose()

    def _dispose(self) -> None:
        if self._owns_engine:
            self._engine.dispose()

    # -- searching ---------------------------------------------------------------------------

    def search(self, query: Query, acl_offices: frozenset[str] | None) -> Results:
        """Files matching `query` within `acl_offices` (None: every office); fuzzy when none."""
        # One snapshot for counts, hits and pages, even while the writer commits.
        with self._engine.connect() as conn:
            conn.execution_options(isolation_level="REPEATABLE READ")
            plan = QueryPlan.build(self._schema, query, acl_offices)
            results = self._run(conn, query, plan)
            if results.total == 0 and query.has_text:
                expansions = fuzzy_expansions(conn, self._schema, query)
                plan = QueryPlan.build(self._schema, query, acl_offices, fuzzy=expansions)
                results = self._run(conn, query, plan)
                results = Results(results.hits, results.total, results.facets, fuzzy=True)
        return results

    def _run(self, conn: Connection, query: Query, plan: QueryPlan) -> Results:
        # GIN answers our tsqueries without rechecking rows, so a bitmap scan never reads the
        # out-of-line vectors; the cost model does not know, and would rather test every row's
        # vector for a common word (seconds at 1,000,000 pages). Compiling (JIT) would cost
        # more than these short statements.
        _set_local(conn, jit="off", **(BITMAPS_ONLY if plan.clauses else {}))
        facets, total = self._facets(conn, plan)
        if total == 0 or query.offset >= total:
            return Results((), total, facets)
        if query.sort is Sort.RELEVANCE and plan.clauses:
            rows = self._ranked(conn, query, plan, total)
        else:
            statement, params = plan.ordered(query)
            rows = [(int(f), float(s)) for f, s in conn.execute(text(statement), params)]
        pages = self._pages(conn, query, [file_id for file_id, _ in rows])
        hits = tuple(Hit(file_id, score, pages.get(file_id, ())) for file_id, score in rows)
        return Results(hits, total, facets)

    def _ranked(
        self, conn: Connection, query: Query, plan: QueryPlan, total: int
    ) -> list[tuple[int, float]]:
        """The requested page by relevance: the tiers' first candidates scored, best first;
        past them, the remaining matches by id."""
        found: dict[int, None] = {}
        for statement, params in plan.tiers(self._candidates):
            found.update(dict.fromkeys(conn.execute(text(statement), params).scalars()))
        files = conn.execute(
            text("SELECT reltuples FROM pg_class WHERE oid = CAST(:t AS regclass)"),
            {"t": f"{self._schema}.documents"},
        ).scalar_one()
        # Walking ids visits about files / total rows per match: cheap when a fair share of
        # the archive matches, and it skips collecting a quarter of a million ids. Never
        # analysed (-1): collect, whose cost is bounded by the match.
        walk = 0 <= float(files) < total * WALK_SHARE
        if walk:
            _set_local(conn, enable_indexscan="on", enable_bitmapscan="off")
        statement, params = plan.first_matches(self._candidates, walk=walk)
        found.update(dict.fromkeys(conn.execute(text(statement), params).scalars()))
        if walk:
            _set_local(conn, **BITMAPS_ONLY)
        statement, params = plan.scores(list(found))
        scored = sorted(
            ((int(f), float(s)) for f, s in conn.execute(text(statement), params)),
            key=lambda row: (-row[1], row[0]),
        )
        rows = scored[query.offset : query.offset + query.size]
        missing = min(query.offset + query.size, total) - len(scored)
        if missing > 0:
            offset = max(0, query.offset - len(scored))
            statement, params = plan.unranked(list(found), min(missing, query.size), offset)
            rows += [(int(f), 0.0) for f, _ in conn.execute(text(statement), params)]
        return rows

    def _facets(self, conn: Connection, plan: QueryPlan) -> tuple[Facets, int]:
        """Counts per office, series, year and status over the scoped match, and the total."""
        facets_sql, params = plan.facets()
        found: dict[str, list[tuple[str, int]]] = {kind: [] for kind in FACETS}
        for kind, value, count in conn.execute(text(facets_sql), params):
            if value is not None:
                found[kind].append((str(value), int(count)))
        counts = {
            kind: tuple(FacetCount(v, c) for v, c in sorted(pairs, key=lambda p: (-p[1], p[0])))
            for kind, pairs in found.items()
        }
        return Facets(**counts), sum(c.count for c in counts["office"])

    def _pages(
        self, conn: Connection, query: Query, file_ids: list[int]
    ) -> dict[int, tuple[PageHit, ...]]:
        """Best pages with snippets of these hits; only the chosen pages are read and analysed."""
        matcher = TextMatcher.for_query(query)
        if not (matcher.folded or matcher.prefixes) or not file_ids:
            return {}
        statement, params = best_pages_sql(
            self._schema, matcher, file_ids, self._options.best_pages
        )
        # Rows come best page first: only each page's snippet is left to find.
        by_file: dict[int, list[PageHit]] = {}
        chars = self._options.snippet_chars
        for file_id, number, body in conn.execute(text(statement), params):
            hit = PageHit(int(number), page_snippet(str(body), matcher, chars))
            by_file.setdefault(int(file_id), []).append(hit)
        return {file_id: tuple(pages) for file_id, pages in by_file.items()}


# Plan a transaction's statements with bitmap scans: GIN, never a per-row test.
BITMAPS_ONLY = {"enable_seqscan": "off", "enable_indexscan": "off", "enable_bitmapscan": "on"}


def _set_local(conn: Connection, **values: str) -> None:
    """`SET LOCAL` these planner settings for the transaction, in one round trip."""
    names = list(values)
    calls = ", ".join(f"set_config(:n{i}, :v{i}, true)" for i in range(len(names)))
    params = {f"n{i}": name for i, name in enumerate(names)}
    params.update({f"v{i}": values[name] for i, name in enumerate(names)})
    conn.execute(text(f"SELECT {calls}"), params)

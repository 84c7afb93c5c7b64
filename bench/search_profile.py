"""Where a PostgreSQL search spends its time: per query of bench/search.py's set, the statements
our layer sends (each one's median server round trip) and the Python around them.

Runs on the index a `bench/search.py --backends postgresql --keep` run left (same --pages and
--seed); it builds nothing. Optional `--explain N`: EXPLAIN (ANALYZE, BUFFERS) of the N slowest
statements, with the transaction's planner settings replayed.

    .venv/bin/python bench/search_profile.py --pages 1000000 --explain 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import search_data  # noqa: E402  (beside this script)
import search_queries  # noqa: E402
from search import CACHE, PG_DATABASE, PG_SERVER, SEED  # noqa: E402
from sqlalchemy import Connection, create_engine, event  # noqa: E402

from indexes.backend import IndexOptions  # noqa: E402
from indexes.backends.postgres_backend import PostgresBackend  # noqa: E402


@dataclass
class Statement:
    sql: str
    params: Any
    settings: list[tuple[str, Any]]  # the set_config calls before it in the transaction
    ms: list[float] = field(default_factory=list)


@dataclass
class Trace:
    statements: list[Statement] = field(default_factory=list)
    _began: float = 0.0
    _settings: list[tuple[str, Any]] = field(default_factory=list)

    @contextmanager
    def watching(self, conn_events: Any) -> Iterator[None]:
        def before(conn: Any, cursor: Any, sql: str, params: Any, *_: Any) -> None:
            self._began = time.perf_counter()

        def after(conn: Any, cursor: Any, sql: str, params: Any, *_: Any) -> None:
            ms = (time.perf_counter() - self._began) * 1000
            if sql.startswith("BEGIN") or "pg_class" in sql:
                return
            if "set_config" in sql:
                self._settings.append((sql, params))
                return
            self.statements.append(Statement(sql, params, list(self._settings), [ms]))

        event.listen(conn_events, "before_cursor_execute", before)
        event.listen(conn_events, "after_cursor_execute", after)
        try:
            yield
        finally:
            event.remove(conn_events, "before_cursor_execute", before)
            event.remove(conn_events, "after_cursor_execute", after)

    def reset(self) -> None:
        self.statements, self._settings = [], []


def explain(conn: Connection, statement: Statement) -> str:
    with conn.begin():
        for sql, params in statement.settings:
            conn.exec_driver_sql(sql, params)
        rows = conn.exec_driver_sql(
            "EXPLAIN (ANALYZE, BUFFERS) " + statement.sql, statement.params
        ).scalars()
        return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pg", default=PG_SERVER)
    parser.add_argument("--explain", type=int, default=0, metavar="N")
    args = parser.parse_args(argv)
    corpus = search_data.load(CACHE, args.pages, args.seed)
    queries = search_queries.query_set(corpus, corpus.docs, args.seed)
    url = f"{args.pg}/{PG_DATABASE}".replace("postgresql:", "postgresql+psycopg:")
    engine = create_engine(url)
    backend = PostgresBackend(IndexOptions(path=CACHE / "unused"), database=engine)
    trace = Trace()
    rows: list[tuple[float, float, str, list[Statement]]] = []
    with trace.watching(engine):
        for bq in queries:
            backend.search(bq.parsed(), bq.acl)  # warm-up
            totals: list[float] = []
            kept: list[Statement] = []
            for _ in range(args.rounds):
                trace.reset()
                began = time.perf_counter()
                backend.search(bq.parsed(), bq.acl)
                totals.append((time.perf_counter() - began) * 1000)
                if not kept:
                    kept = list(trace.statements)
                else:
                    for mine, again in zip(kept, trace.statements, strict=False):
                        mine.ms.extend(again.ms)
            in_sql = sum(statistics.median(s.ms) for s in kept)
            rows.append((statistics.median(totals), in_sql, bq.label(), kept))
    rows.sort(key=lambda row: -row[0])
    for total, in_sql, label, statements in rows:
        each = " ".join(f"{statistics.median(s.ms):.0f}" for s in statements)
        print(
            f"{total:7.1f} ms  sql {in_sql:6.1f}  python {total - in_sql:5.1f}  [{each}]  {label}"
        )
    if args.explain:
        slow = sorted((s for row in rows for s in row[3]), key=lambda s: -statistics.median(s.ms))[
            : args.explain
        ]
        with engine.connect() as conn:
            for statement in slow:
                print(f"\n-- {statistics.median(statement.ms):.1f} ms\n{statement.sql}")
                print(explain(conn, statement))
    backend.close()
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

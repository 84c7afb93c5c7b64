"""Full-text search through our layer vs the raw engine, on generated pages (issue 4).

Generates N pages of the demo province (fixed seed, cached in bench/out/), indexes them through
each backend (add + commit in batches, as reindex does), then runs a fixed mixed query set through
our layer (backend.search with snippets, as the API does) and through the raw engine, interleaved
over several rounds. Prints (DESIGN.md, "Benchmarks speak one format"):

    FIGURE search.<backend>.index_rate <pages/s> pages/s
    FIGURE search.<backend>.index_size <bytes> bytes
    FIGURE search.<backend>.p50 <ms> ms baseline=<raw p50> ratio=<r>
    FIGURE search.<backend>.p95 <ms> ms baseline=<raw p95> ratio=<r>

Whoosh is capped (--whoosh-pages, default 100000: 1M pages take ~46 min to index); it then
indexes every k-th file, and the query set is drawn from files every index holds.

    .venv/bin/python bench/search.py --pages 20000 --backends tantivy,postgresql
"""

from __future__ import annotations

import argparse
import math
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
import search_data  # noqa: E402  (beside this script)
import search_queries  # noqa: E402
from figures import Figure  # noqa: E402
from search_data import note  # noqa: E402
from search_queries import BenchQuery, Raw  # noqa: E402

from indexes.backend import IndexOptions, SearchBackend  # noqa: E402
from indexes.documents import FileDoc  # noqa: E402

SEED = 20261123
CACHE = ROOT / "bench" / "out"
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
PG_DATABASE = "bench_search"
PG_SCHEMA = "search"
BATCH_PAGES = 20_000


def emit(figure: Figure) -> None:
    print(figure.line(), flush=True)


# -- backends ----------------------------------------------------------------------------------


@dataclass
class Bench:
    """One backend under test: how to open it, its size, and its raw-engine twin."""

    name: str
    open: Callable[[], SearchBackend]
    size: Callable[[], int]
    raw: Callable[[], tuple[Raw, Callable[[], None]]]
    reset: Callable[[], None]


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def tantivy_bench(path: Path) -> Bench:
    import tantivy

    from indexes.backends.tantivy_backend import TantivyBackend

    def raw() -> tuple[Raw, Callable[[], None]]:
        return search_queries.tantivy_raw(tantivy.Index.open(str(path))), lambda: None

    return Bench(
        "tantivy",
        lambda: TantivyBackend(IndexOptions(path=path)),
        lambda: dir_size(path),
        raw,
        lambda: shutil.rmtree(path, ignore_errors=True),
    )


def whoosh_bench(path: Path) -> Bench:
    from whoosh import index as whoosh_index

    from indexes.backends.whoosh_backend import WhooshBackend

    def raw() -> tuple[Raw, Callable[[], None]]:
        searcher = whoosh_index.open_dir(str(path)).searcher()
        return search_queries.whoosh_raw(searcher), searcher.close

    return Bench(
        "whoosh",
        lambda: WhooshBackend(IndexOptions(path=path)),
        lambda: dir_size(path),
        raw,
        lambda: shutil.rmtree(path, ignore_errors=True),
    )


def postgres_bench(server: str, path: Path) -> Bench:
    from indexes.backends.postgres_backend import PostgresBackend

    url = f"{server}/{PG_DATABASE}"

    def reset() -> None:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {PG_DATABASE}")

    def size() -> int:
        with psycopg.connect(url) as conn:
            row = conn.execute(
                "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n"
                " ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind = 'r'",
                (PG_SCHEMA,),
            ).fetchone()
        return int(row[0]) if row and row[0] else 0

    def raw() -> tuple[Raw, Callable[[], None]]:
        conn = psycopg.connect(url)
        return search_queries.postgres_raw(conn, f'"{PG_SCHEMA}"'), conn.close

    return Bench(
        "postgresql",
        lambda: PostgresBackend(
            IndexOptions(path=path),
            database=url.replace("postgresql:", "postgresql+psycopg:"),
            schema=PG_SCHEMA,
        ),
        size,
        raw,
        reset,
    )


def drop_database(server: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")


# -- indexing ----------------------------------------------------------------------------------


def build(bench: Bench, docs: Sequence[FileDoc]) -> float:
    """Index `docs` through our backend in batches (add + commit); returns pages per second."""
    bench.reset()
    pages = sum(len(doc.pages) for doc in docs)
    backend = bench.open()
    began, done = time.perf_counter(), 0
    try:
        for batch in search_data.batches(docs, BATCH_PAGES):
            backend.add(batch)
            backend.commit()
            done += sum(len(doc.pages) for doc in batch)
            if done % 200_000 < BATCH_PAGES:
                rate = done / (time.perf_counter() - began)
                note(f"{bench.name}: {done:,}/{pages:,} pages, {rate:,.0f} pages/s")
    finally:
        backend.close()
    return pages / (time.perf_counter() - began)


# -- querying ----------------------------------------------------------------------------------


@contextmanager
def opened(bench: Bench) -> Iterator[tuple[SearchBackend, Raw]]:
    backend = bench.open()
    raw, close_raw = bench.raw()
    try:
        yield backend, raw
    finally:
        close_raw()
        backend.close()


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    out = call()
    return (time.perf_counter() - began) * 1000, out


def p95(values: Sequence[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def measure(bench: Bench, queries: Sequence[BenchQuery], rounds: int) -> None:
    """Our layer and the raw engine, alternating per query and per round; medians per query."""
    ours: list[list[float]] = [[] for _ in queries]
    raw_ms: list[list[float]] = [[] for _ in queries]
    with opened(bench) as (backend, raw):
        for bq in queries:  # warm-up, and the totals side by side
            results = backend.search(bq.parsed(), bq.acl)
            total = raw(bq)
            if results.total != total:
                note(f"{bench.name}: ours {results.total:,} vs raw {total:,} for {bq.label()}")
        for r in range(rounds):
            for i, bq in enumerate(queries):
                runs = [
                    (ours[i], lambda bq=bq: backend.search(bq.parsed(), bq.acl)),
                    (raw_ms[i], lambda bq=bq: raw(bq)),
                ]
                for sink, call in runs if (r + i) % 2 == 0 else reversed(runs):
                    sink.append(timed(call)[0])
    per_ours = [statistics.median(t) for t in ours]
    per_raw = [statistics.median(t) for t in raw_ms]
    slowest = sorted(zip(per_ours, per_raw, queries, strict=True), key=lambda x: -x[0])[:5]
    for mine, theirs, bq in slowest:
        note(f"{bench.name}: slow: ours {mine:.1f} ms, raw {theirs:.1f} ms  {bq.label()}")
    name = f"search.{bench.name}"
    emit(Figure(f"{name}.p50", statistics.median(per_ours), "ms", statistics.median(per_raw)))
    emit(Figure(f"{name}.p95", p95(per_ours), "ms", p95(per_raw)))


# -- main --------------------------------------------------------------------------------------


def subset(docs: list[FileDoc], cap: int) -> list[FileDoc]:
    """Every k-th file, so a capped index still spans every office, series and year."""
    pages = sum(len(doc.pages) for doc in docs)
    stride = max(1, math.ceil(pages / cap))
    return docs[::stride]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=1_000_000, help="pages (default 1000000)")
    parser.add_argument(
        "--backends",
        default="tantivy,whoosh,postgresql",
        help="comma list of backends (default: tantivy,whoosh,postgresql)",
    )
    parser.add_argument(
        "--whoosh-pages",
        type=int,
        default=100_000,
        help="cap on Whoosh's pages (default 100000; 0: no cap)",
    )
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds (default 7)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"seed (default {SEED})")
    parser.add_argument(
        "--pg", default=PG_SERVER, help=f"PostgreSQL server, trust auth (default {PG_SERVER})"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="query the indexes (and database) the last run kept instead of rebuilding them",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help=f"keep the indexes in bench/out/ and database {PG_DATABASE} for --reuse",
    )
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.backends.split(",") if n.strip()]
    unknown = set(names) - {"tantivy", "whoosh", "postgresql"}
    if unknown:
        parser.error(f"unknown backends: {', '.join(sorted(unknown))}")
    corpus = search_data.load(CACHE, args.pages, args.seed)
    # The query set comes from files the capped Whoosh index holds too, whichever backends run,
    # so every run at the same size asks the same questions.
    whoosh_docs = corpus.docs
    if args.whoosh_pages and corpus.pages > args.whoosh_pages:
        whoosh_docs = subset(corpus.docs, args.whoosh_pages)
        if "whoosh" in names:
            pages = sum(len(d.pages) for d in whoosh_docs)
            note(
                f"whoosh: capped at {pages:,} of {corpus.pages:,} pages (every "
                f"{len(corpus.docs) // len(whoosh_docs)}th file); its figures are for that size"
            )
    queries = search_queries.query_set(corpus, whoosh_docs, args.seed)
    workdir = CACHE / f"search-index-{args.pages}-{args.seed}"
    makers = {
        "tantivy": lambda: tantivy_bench(workdir / "tantivy"),
        "whoosh": lambda: whoosh_bench(workdir / "whoosh"),
        "postgresql": lambda: postgres_bench(args.pg, workdir / "postgresql"),
    }
    try:
        for name in names:
            bench = makers[name]()
            docs = whoosh_docs if name == "whoosh" else corpus.docs
            rate_file = workdir / f"{name}.index_rate"
            if args.reuse:
                note(f"{name}: reusing the kept index; index_rate as measured when it was built")
                rate = float(rate_file.read_text())
            else:
                rate = build(bench, docs)
                workdir.mkdir(parents=True, exist_ok=True)
                rate_file.write_text(f"{rate}\n")
            emit(Figure(f"search.{name}.index_rate", rate, "pages/s"))
            emit(Figure(f"search.{name}.index_size", bench.size(), "bytes"))
            measure(bench, queries, args.rounds)
            if not args.keep:
                bench.reset()
    finally:
        if "postgresql" in names and not args.keep:
            drop_database(args.pg)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""What only the PostgreSQL backend can get wrong: its schema, its writer, its bounded ranking."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from indexes.backend import IndexOptions, IndexOutdated, IndexUnusable, IndexWriteFailed
from indexes.backends import postgres_backend, postgres_schemas, postgres_sql
from indexes.backends.postgres_backend import PostgresBackend
from indexes.query import parse
from tests.indexes.corpus import CORPUS
from tests.indexes.pg import SEARCH_DATABASE, schema_for


@pytest.fixture
def engine() -> Engine:
    return SEARCH_DATABASE.engine()


@pytest.fixture
def schema(tmp_path: Path, engine: Engine) -> Iterator[str]:
    name = schema_for(tmp_path)
    yield name
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))


def open_index(engine: Engine, schema: str, **kw: int) -> PostgresBackend:
    return PostgresBackend(IndexOptions(path=Path("unused")), database=engine, schema=schema, **kw)


def test_opening_creates_only_its_own_schema(engine: Engine, schema: str) -> None:
    public = set(inspect(engine).get_table_names())
    open_index(engine, schema).close()
    open_index(engine, schema).close()  # idempotent
    assert set(inspect(engine).get_table_names()) == public
    tables = set(inspect(engine).get_table_names(schema=schema))
    assert tables == {"index_meta", "documents", "pages", "terms"}


def test_a_foreign_schema_is_refused_and_kept(engine: Engine, schema: str) -> None:
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        conn.execute(text(f'CREATE TABLE "{schema}".notes (body text)'))
        conn.execute(text(f"INSERT INTO \"{schema}\".notes VALUES ('precious')"))
    with pytest.raises(IndexUnusable) as refused:
        open_index(engine, schema)
    assert not isinstance(refused.value, IndexOutdated)  # not ours: never renamed aside
    with engine.connect() as conn:
        assert conn.execute(text(f'SELECT body FROM "{schema}".notes')).scalar() == "precious"


def test_another_schema_version_is_outdated_and_rebuilt_beside_it(
    engine: Engine, schema: str
) -> None:
    old = open_index(engine, schema)
    old.add(list(CORPUS[:2]))
    old.commit()
    old.close()
    with engine.begin() as conn:
        conn.execute(text(f'UPDATE "{schema}".index_meta SET schema_version = 99'))
    with pytest.raises(IndexOutdated):
        open_index(engine, schema)
    left = postgres_schemas.staging(engine, schema)
    open_index(engine, left).close()  # an interrupted rebuild's schema: dropped and begun again
    new = open_index(engine, postgres_schemas.staging(engine, schema))
    new.add(list(CORPUS))
    new.commit()
    new.close()
    kept = postgres_schemas.swap_in(engine, schema, "20261123170000")
    live = open_index(engine, schema)
    assert live.search(parse(""), None).total == len(CORPUS)
    live.close()
    with engine.begin() as conn:
        assert conn.execute(text(f'SELECT count(*) FROM "{kept}".documents')).scalar() == 2
        conn.execute(text(f'DROP SCHEMA "{kept}" CASCADE'))


def test_a_failed_commit_raises_cancels_and_leaves_the_index(engine: Engine, schema: str) -> None:
    index = open_index(engine, schema)
    index.add(list(CORPUS))
    index.commit()
    index.delete([1])
    index.add([replace(CORPUS[4], pages=((1, "NUL \x00 is refused by PostgreSQL"),))])
    with pytest.raises(IndexWriteFailed):
        index.commit()
    assert index.search(parse(""), None).total == len(CORPUS)
    index.commit()  # nothing pending any more
    index.delete([1])
    index.commit()
    assert index.search(parse(""), None).total == len(CORPUS) - 1
    index.close()


@pytest.mark.parametrize("walk_share", [0, 20], ids=["collected", "walked"])
def test_paging_past_the_ranked_candidates_returns_every_match_once(
    engine: Engine, schema: str, walk_share: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postgres_backend, "WALK_SHARE", walk_share)
    index = open_index(engine, schema, candidates=2)
    index.add(list(CORPUS))
    index.commit()

    def one_by_one(typed: str) -> list[int]:
        pages = (index.search(parse(typed, size=1, page=n), None) for n in range(1, 6))
        return [hit.file_id for results in pages for hit in results.hits]

    assert sorted(one_by_one("huong")) == [1, 2, 3, 4]
    exact_first = one_by_one("Hương")
    assert (set(exact_first[:2]), sorted(exact_first[2:])) == ({1, 2}, [3, 4])
    index.close()


SPLIT = replace(
    CORPUS[0],
    file_id=11,
    pages=((1, "Sổ bảo hiểm xã hội của người"), (2, "xã hội của người lao động")),
)


def phrase_hits(index: PostgresBackend, typed: str) -> list[int] | None:
    """The files a phrase finds, or None when only the fuzzy pass answered."""
    results = index.search(parse(typed), None)
    return None if results.fuzzy else sorted(hit.file_id for hit in results.hits)


def test_phrases_beyond_word_runs_are_confirmed_on_one_page(engine: Engine, schema: str) -> None:
    index = open_index(engine, schema)
    index.add([*CORPUS, SPLIT])
    index.commit()
    # Eight words: every four-word run of it is in file 11, but across two pages.
    assert phrase_hits(index, '"bảo hiểm xã hội của người lao động"') == [1]
    assert phrase_hits(index, '"số 4027/BHXH-ST về việc"') == [1]  # numbers break runs
    assert phrase_hits(index, '"về việc số 4027/BHXH-ST"') is None
    assert phrase_hits(index, '"xa hoi cua nguoi"') == [1, 11]  # one run: the index decides
    index.close()


def test_files_whose_runs_did_not_fit_answer_phrases_from_their_pages(
    engine: Engine, schema: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = open_index(engine, schema)
    index.add([*CORPUS[:3], SPLIT])
    index.commit()
    monkeypatch.setattr(postgres_sql, "MAX_RUN_BYTES", 0)
    index.add(list(CORPUS[3:]))  # file 4 holds "trợ cấp mai táng", without its runs
    index.commit()
    with index._engine.connect() as conn:
        incomplete = conn.execute(
            text(f'SELECT file_id FROM "{schema}".documents WHERE NOT runs_complete')
        ).scalars()
        assert sorted(incomplete) == [4, 5]
    assert phrase_hits(index, '"tro cap mai tang"') == [4]
    assert phrase_hits(index, '"mai tang tro cap"') is None
    assert phrase_hits(index, '"tro cap"') == [2, 4]
    assert phrase_hits(index, '"xa hoi cua nguoi" -hang') == [11]
    index.close()


def test_a_file_with_more_distinct_words_than_a_tsvector_holds_is_still_written(
    engine: Engine, schema: str
) -> None:
    """Thousands of pages of OCR garbage: 160,000 distinct words, over PostgreSQL's 1 MB
    tsvector limit. The write must not fail (it would hold up every change behind it)."""
    garbage = [f"qx{n:06d}zk" for n in range(160_000)]
    pages = tuple(
        (number, "Hồ sơ hưu trí " + " ".join(garbage[i : i + 2000]))
        for number, i in enumerate(range(0, len(garbage), 2000), start=1)
    )
    index = open_index(engine, schema)
    index.add([replace(CORPUS[0], pages=pages)])
    index.commit()
    assert [hit.file_id for hit in index.search(parse("huu tri qx000007zk"), None).hits] == [1]
    with index._engine.connect() as conn:
        complete, size = conn.execute(
            text(f'SELECT runs_complete, pg_column_size(terms) FROM "{schema}".documents')
        ).one()
    assert not complete and size < 1_048_576
    index.close()


def test_word_runs_stay_within_a_value_and_skip_numbers() -> None:
    runs = set(
        postgres_sql.word_runs(["so", "4027/bhxh-st", "ve", "viec", "huong", "luong", "huu"])
    )
    assert "~ve viec huong luong" in runs
    assert "~ve viec huong luong huu" not in runs  # four words at most
    assert not any("4027" in run or run.startswith("~so") for run in runs)
    assert postgres_sql.phrase_runs(["tro", "cap", "mai", "tang"]) == ("'~tro cap mai tang'", False)
    indexed, checked = postgres_sql.phrase_runs(["ngay", "12", "thang"])
    assert checked and "'12'" in indexed


def test_words_far_into_a_long_page_are_found(engine: Engine, schema: str) -> None:
    index = open_index(engine, schema)
    long_page = " ".join(["trợ cấp"] * 12_000 + ["x" * 3000, "Bưu điện huyện"])
    index.add([replace(CORPUS[0], pages=((1, long_page),))])
    index.commit()
    results = index.search(parse("buu dien"), None)
    assert [hit.file_id for hit in results.hits] == [1]
    assert results.hits[0].pages[0].page_number == 1
    index.close()

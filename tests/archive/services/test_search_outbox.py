"""Index updates after the commit (issue 4, "Consistency"): changes mark their files in the same
transaction; the index writer applies the marks; a rolled-back change leaves no mark; a bulk
import marks one range; index and database agree after a mixed workload, applied incrementally."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from archive.models import File, SearchOutbox
from archive.services import files, imports, search_outbox
from archive.services.search_index import file_docs, open_backend
from archive.settings import Settings
from indexes.backend import IndexWriteFailed, SearchBackend
from indexes.documents import FileDoc
from indexes.query import parse
from tests.apps import seeded
from tests.archive.catalogue.samples import rows, write_csv
from tests.archive.services.test_search import indexed_ids
from tests.factories import ADMIN, series
from tests.search_world import BINH, add_file, build_world


@pytest.fixture
def index(settings: Settings) -> SearchBackend:
    return open_backend(settings)


def _hits(index: SearchBackend, text: str, **filters: str) -> set[int]:
    return {hit.file_id for hit in index.search(parse(text, **filters), None).hits}


def _live(factory: sessionmaker[Session]) -> set[int]:
    with seeded(factory) as session:
        return set(session.scalars(select(File.id)))


def test_incremental_updates_agree_with_the_database_after_a_mixed_workload(
    factory: sessionmaker[Session], index: SearchBackend, tmp_path: Path
) -> None:
    with seeded(factory) as session:
        world = build_world(session)
    search_outbox.drain(factory, index)
    assert indexed_ids(index) == _live(factory)
    with seeded(factory) as session:
        added = add_file(session, world.main, "MX-1", BINH, year=2019)
        files.update_file(
            session, ADMIN, file_id=world.codes["HS-6"], changes={"title": "Hồ sơ tử tuất"}
        )
        files.move_file(session, ADMIN, file_id=world.codes["HS-1"], box_id=world.boxes[1].id)
    with pytest.raises(RuntimeError), seeded(factory) as session:  # rolled back: no mark
        add_file(session, world.main, "MX-GHOST", BINH)
        raise RuntimeError
    source = write_csv(tmp_path / "muc-luc.csv", rows(30))
    with seeded(factory) as session:
        marks_before = search_outbox.pending(session)
        imports.import_catalogue(
            session,
            ADMIN,
            office_id=world.main.id,
            series_id=series(session).id,
            catalogue=imports.read(source, source.name),
        )
        assert search_outbox.pending(session) == marks_before + 1  # one range for 30 files
    written = search_outbox.drain(factory, index)
    assert written >= 33
    assert indexed_ids(index) == _live(factory)
    assert _hits(index, "tu tuat") == {world.codes["HS-6"]}
    assert _hits(index, "", box_number=str(world.boxes[1].number)) >= {world.codes["HS-1"]}
    assert _hits(index, "MX-1") == {added.id}
    assert _hits(index, "MX-GHOST") == set()
    with seeded(factory) as session:
        assert session.scalar(select(func.count(SearchOutbox.id))) == 0
    index.close()


def test_marks_stay_when_the_index_fails_and_are_applied_by_the_next_run(
    factory: sessionmaker[Session], index: SearchBackend, settings: Settings
) -> None:
    with seeded(factory) as session:
        world = build_world(session)
    holder = open_backend(settings)  # another writer holds the index (a second host, say)
    holder.add(file_docs_of(factory, [world.codes["HS-1"]]))
    with pytest.raises(IndexWriteFailed):
        search_outbox.drain(factory, index)
    with seeded(factory) as session:
        assert search_outbox.pending(session) == len(world.codes)
    holder.close()
    retry = open_backend(settings)
    search_outbox.drain(factory, retry)
    assert indexed_ids(retry) == _live(factory)
    retry.close()


def file_docs_of(factory: sessionmaker[Session], ids: list[int]) -> list[FileDoc]:
    with seeded(factory) as session:
        return file_docs(session, ids)

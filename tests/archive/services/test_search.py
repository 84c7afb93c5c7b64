"""Search over the register: rebuilt from the database, scoped to the actor, re-checked before
display, and agreeing with the database after a mixed workload (issue 4)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import File
from archive.permissions import Actor
from archive.services import files
from archive.services.search import search
from archive.services.search_index import (
    BackendUnavailable,
    file_docs,
    indexed_file_count,
    open_backend,
    reindex,
)
from archive.settings import Settings
from indexes.backend import SearchBackend
from indexes.query import Query, Sort, parse
from tests.factories import ADMIN, archivist
from tests.search_world import BINH, add_file, build_world


@pytest.fixture
def index(settings: Settings) -> Iterator[SearchBackend]:
    backend = open_backend(settings)
    yield backend
    backend.close()


def indexed_ids(backend: SearchBackend) -> set[int]:
    """Every file id in the index, read back page by page through the backend contract."""
    found: set[int] = set()
    page = 1
    while True:
        results = backend.search(Query(sort=Sort.FILE_CODE, page=page, size=100), None)
        found |= {hit.file_id for hit in results.hits}
        if len(results.hits) < 100:
            return found
        page += 1


def codes_of(
    session: Session, backend: SearchBackend, text: str, actor: Actor = ADMIN
) -> list[str]:
    return [hit.code for hit in search(session, actor, backend, parse(text)).hits]


def test_reindex_indexes_every_file_not_destroyed(session: Session, index: SearchBackend) -> None:
    world = build_world(session)
    session.get_one(File, world.codes["HS-7"]).status = "destroyed"
    session.flush()
    seen: list[int] = []
    assert reindex(session, index, batch=3, progress=seen.append) == 6
    assert sum(seen) == 6 == indexed_file_count(session)
    assert indexed_ids(index) == set(world.codes.values()) - {world.codes["HS-7"]}


def test_file_docs_carry_year_box_and_person(session: Session) -> None:
    world = build_world(session)
    (doc,) = file_docs(session, [world.codes["HS-2"]])
    assert (doc.office_code, doc.year, doc.box_number, doc.person_name, doc.ssn) == (
        "00",
        2016,
        str(world.boxes[0].number),
        "Nguyễn Thị Mai Lan",
        "4803004239",
    )
    assert doc.has_scans is False


def test_name_without_diacritics_finds_every_file_of_the_person(
    session: Session, index: SearchBackend
) -> None:
    build_world(session)
    reindex(session, index)
    found = codes_of(session, index, "nguyen thi mai lan")
    assert sorted(found) == ["HS-1", "HS-2", "HS-3", "HS-4", "HS-5"]


def test_exact_diacritics_rank_first(session: Session, index: SearchBackend) -> None:
    build_world(session)
    reindex(session, index)
    found = codes_of(session, index, "Nguyễn Thị Mai Lan")
    assert sorted(found[:3]) == ["HS-1", "HS-2", "HS-3"]
    assert sorted(found[3:]) == ["HS-4", "HS-5"]


def test_ten_digit_number_finds_exactly_its_files(session: Session, index: SearchBackend) -> None:
    build_world(session)
    reindex(session, index)
    assert sorted(codes_of(session, index, "4803004239")) == ["HS-1", "HS-2", "HS-3"]
    assert sorted(codes_of(session, index, "4803004241")) == ["HS-6", "HS-7"]


def test_office_scope_hides_other_offices_hits_total_and_facets(
    session: Session, index: SearchBackend
) -> None:
    world = build_world(session)
    reindex(session, index)
    everyone = search(session, ADMIN, index, parse("nguyen"))
    assert everyone.total == 5
    assert {f.value for f in everyone.facets.office} == {"00", "01"}
    scoped = search(session, archivist(world.main.id), index, parse("nguyen"))
    assert {hit.office_code for hit in scoped.hits} == {"00"}
    assert scoped.total == len(scoped.hits) == 3
    assert [(f.value, f.count) for f in scoped.facets.office] == [("00", 3)]
    for facet in (scoped.facets.series, scoped.facets.year, scoped.facets.status):
        assert sum(f.count for f in facet) == 3
    asked_other = search(
        session, archivist(world.main.id), index, parse("nguyen", office_codes=["01"])
    )
    assert (asked_other.total, asked_other.hits, asked_other.facets.office) == (0, (), ())


def test_hits_are_rechecked_against_the_database(session: Session, index: SearchBackend) -> None:
    world = build_world(session)
    reindex(session, index)
    session.get_one(File, world.codes["HS-1"]).status = "destroyed"
    session.get_one(File, world.codes["HS-2"]).office_id = world.district.id
    session.flush()
    everyone = codes_of(session, index, "4803004239")
    assert sorted(everyone) == ["HS-2", "HS-3"]
    scoped = search(session, archivist(world.main.id), index, parse("4803004239"))
    assert (scoped.hits, scoped.total) == ((), 0)


def test_hits_show_path_and_personal_data_only_with_permission(
    session: Session, index: SearchBackend
) -> None:
    world = build_world(session)
    reindex(session, index)
    (hit,) = search(session, ADMIN, index, parse("HS-6")).hits
    assert (hit.person_name, hit.ssn, hit.birth_date) == ("Trần Văn Bình", "4803004241", BINH[2])
    assert hit.path.box_number == world.boxes[1].number and hit.path.store_code == "1"
    inspector = archivist(world.main.id, roles=frozenset({"inspector"}))
    (hidden,) = search(session, inspector, index, parse("HS-6")).hits
    assert (hidden.ssn, hidden.birth_date) == ("", None)


def test_box_filter_accepts_the_printed_number(session: Session, index: SearchBackend) -> None:
    world = build_world(session)
    reindex(session, index)
    printed = f"{world.boxes[1].number:03d}"
    found = search(session, ADMIN, index, parse("", box_number=printed)).hits
    assert sorted(hit.code for hit in found) == ["HS-4", "HS-6"]


def test_index_and_database_agree_after_a_mixed_workload(
    session: Session, index: SearchBackend
) -> None:
    world = build_world(session)
    reindex(session, index)
    extra = [add_file(session, world.main, f"MX-{n}", BINH, year=2019) for n in range(4)]
    files.update_file(
        session, ADMIN, file_id=world.codes["HS-6"], changes={"title": "Hồ sơ tử tuất"}
    )
    files.move_file(session, ADMIN, file_id=world.codes["HS-1"], box_id=world.boxes[1].id)
    for code in ("HS-4", "HS-7"):
        session.get_one(File, world.codes[code]).status = "destroyed"
    session.get_one(File, extra[0].id).status = "destroyed"
    session.flush()
    assert reindex(session, index, batch=2) == indexed_file_count(session)
    live = set(session.scalars(select(File.id).where(File.status != "destroyed")))
    assert indexed_ids(index) == live
    assert codes_of(session, index, "tu tuat") == ["HS-6"]
    moved = search(session, ADMIN, index, parse("", box_number=str(world.boxes[1].number)))
    assert sorted(hit.code for hit in moved.hits) == ["HS-1", "HS-6"]


def test_unknown_backend_is_refused_in_vietnamese(settings: Settings) -> None:
    with pytest.raises(BackendUnavailable) as caught:
        open_backend(settings, name="elasticsearch")
    assert caught.value.code == "search.backend_unavailable"

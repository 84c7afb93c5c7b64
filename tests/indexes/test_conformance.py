"""What every search backend must do, written against the Protocol (issue 4, "Must show")."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from indexes.analyzer import folded_terms
from indexes.backend import IndexUnusable, IndexWriteFailed, Results, SearchBackend
from indexes.query import parse
from indexes.snippets import TextMatcher, best_pages
from tests.indexes.conftest import Opener
from tests.indexes.corpus import CORPUS


def search(
    backend: SearchBackend, text: str, acl: frozenset[str] | None = None, **kw: Any
) -> Results:
    return backend.search(parse(text, **kw), acl)


def ids(results: Results) -> list[int]:
    return [hit.file_id for hit in results.hits]


def test_a_name_typed_without_diacritics_finds_every_file_of_that_person(
    backend: SearchBackend,
) -> None:
    results = search(backend, "nguyen thi huong")
    assert set(ids(results)) == {1, 2}
    assert not results.fuzzy


def test_a_name_typed_with_diacritics_ranks_the_exact_files_first(backend: SearchBackend) -> None:
    found = ids(search(backend, "Hương"))
    assert set(found[:2]) == {1, 2}
    assert {3, 4} <= set(found[2:])


def test_a_plain_word_in_a_query_typed_with_diacritics_means_its_exact_form(
    backend: SearchBackend,
) -> None:
    """ "Nguyễn Phương Lan": the reader typed accents, so "Lan" means "Lan", not the "lần" of
    "BHXH một lần" that it folds like (seen in the demo province)."""
    lan = replace(
        CORPUS[0],
        file_id=101,
        code="HT-1",
        title="Hồ sơ đề nghị giải quyết hưởng chế độ hưu trí hằng tháng – Nguyễn Phương Lan",
        person_name="Nguyễn Phương Lan",
        ssn="4800000101",
        citizen_id=None,
        employer_code=None,
        pages=(),
    )
    phuong = replace(
        lan,
        file_id=102,
        code="ML-1",
        title="BHXH một lần – Nguyễn Phương",
        person_name="Nguyễn Phương",
        ssn="4800000102",
    )
    backend.add([phuong, lan])
    backend.commit()
    assert ids(search(backend, "Nguyễn Phương Lan"))[:2] == [101, 102]
    assert set(ids(search(backend, "nguyen phuong lan"))) >= {101, 102}  # folded: both match


def test_exact_huong_never_ranks_huong_pages_above_exact_files(backend: SearchBackend) -> None:
    found = ids(search(backend, "Hương"))
    assert found.index(4) > max(found.index(1), found.index(2))


def test_a_ten_digit_number_finds_exactly_its_files(backend: SearchBackend) -> None:
    assert set(ids(search(backend, "4803004239"))) == {1, 2}
    assert ids(search(backend, "4803004240")) == [4]


def test_citizen_id_and_employer_code_find_their_file(backend: SearchBackend) -> None:
    assert ids(search(backend, "001085012345")) == [1]
    assert ids(search(backend, "yn0405z")) == [1]


@pytest.mark.parametrize("typed", ["4027/BHXH-ST", "4027/BHXH – ST", "4027 / bhxh - st"])
def test_document_numbers_with_stray_spaces_match(backend: SearchBackend, typed: str) -> None:
    assert ids(search(backend, typed)) == [1]


def test_a_phrase_matches_words_in_order_only(backend: SearchBackend) -> None:
    assert ids(search(backend, '"tro cap mai tang"')) == [4]
    assert search(backend, '"mai tang tro cap"').fuzzy


def test_a_phrase_never_spans_two_metadata_fields_or_pages(backend: SearchBackend) -> None:
    assert set(ids(search(backend, '"ho so huu tri"'))) == {1, 3}
    assert search(backend, '"tri nguyen"').fuzzy
    assert search(backend, '"lao dong quyet dinh"').fuzzy


def test_an_accented_exclusion_removes_only_exact_words(backend: SearchBackend) -> None:
    assert set(ids(search(backend, "huong -hưởng"))) == {3}


def test_an_unaccented_exclusion_removes_every_folding(backend: SearchBackend) -> None:
    assert set(ids(search(backend, "nguyen -tro"))) == {1, 5}


def test_a_prefix_matches_word_beginnings(backend: SearchBackend) -> None:
    assert set(ids(search(backend, "nguy*"))) == {1, 2, 5}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"office_codes": ["01"]}, {1, 3, 4}),
        ({"series_codes": ["TC"]}, {2, 4}),
        ({"year_from": 2013, "year_to": 2016}, {1, 4}),
        ({"statuses": ["on_loan"]}, {3}),
        ({"box_number": "B12"}, {1}),
        ({"has_scans": False}, {3, 5}),
    ],
)
def test_filters_restrict_matches(
    backend: SearchBackend, filters: dict[str, Any], expected: set[int]
) -> None:
    assert set(ids(search(backend, "", **filters))) == expected


def test_facets_count_matching_files(backend: SearchBackend) -> None:
    facets = search(backend, "huong").facets
    assert {(f.value, f.count) for f in facets.office} == {("01", 3), ("02", 1)}
    assert {(f.value, f.count) for f in facets.series} == {("HT", 2), ("TC", 2)}
    assert {(f.value, f.count) for f in facets.year} == {
        ("2012", 1),
        ("2015", 1),
        ("2016", 1),
        ("2018", 1),
    }
    assert {(f.value, f.count) for f in facets.status} == {("active", 3), ("on_loan", 1)}


def test_an_office_scoped_search_never_returns_or_counts_another_office(
    backend: SearchBackend,
) -> None:
    scoped = search(backend, "huong", frozenset({"02"}))
    assert (ids(scoped), scoped.total) == ([2], 1)
    assert [(f.value, f.count) for f in scoped.facets.office] == [("02", 1)]
    assert sum(f.count for f in scoped.facets.series) == 1
    other = search(backend, "huong", frozenset({"02"}), office_codes=["01"])
    assert (ids(other), other.total, other.facets.office) == ([], 0, ())
    assert search(backend, "", frozenset()).total == 0


def test_nothing_matching_runs_a_labelled_fuzzy_pass(backend: SearchBackend) -> None:
    assert not search(backend, "buu dien").fuzzy
    near = search(backend, "bru dien")
    assert (ids(near), near.fuzzy) == ([4], True)
    assert set(ids(search(backend, "nguyenn thi huong"))) == {1, 2}


def test_the_fuzzy_pass_never_offers_a_number_one_digit_off(backend: SearchBackend) -> None:
    near = search(backend, "4803004238")
    assert (ids(near), near.fuzzy) == ([], True)


def test_hits_carry_best_pages_with_highlighted_snippets(backend: SearchBackend) -> None:
    (hit,) = search(backend, "luong huu 4027/BHXH-ST").hits
    assert hit.pages[0].page_number == 2
    snippet = hit.pages[0].snippet
    marked = [folded_terms(snippet.text[a:b])[0] for a, b in snippet.highlights]
    assert {"luong", "huu", "4027/bhxh-st"} <= set(marked)


@pytest.mark.parametrize("typed", ["huong", "Hương", "tro cap", "hươ*", "bao hiem", '"mai táng"'])
def test_best_pages_and_snippets_are_the_shared_analysers(
    backend: SearchBackend, typed: str
) -> None:
    """Whatever a backend stores, a hit's pages are `best_pages` of the file's text."""
    query = parse(typed)
    matcher = TextMatcher.for_query(query)
    texts = {doc.file_id: doc.pages for doc in CORPUS}
    hits = backend.search(query, None).hits
    assert any(hit.pages for hit in hits)
    for hit in hits:
        assert hit.pages == best_pages(texts[hit.file_id], matcher, limit=3, chars=160)


def test_sort_and_pages(backend: SearchBackend) -> None:
    by_code = search(backend, "", sort="file_code")
    assert ids(by_code) == [3, 1, 4, 5, 2]
    assert ids(search(backend, "", sort="date", size=2, page=2)) == [1, 3]
    assert search(backend, "", size=2, page=3).total == 5


def test_add_replaces_and_delete_removes_after_commit(backend: SearchBackend) -> None:
    backend.add([replace(CORPUS[4], person_name="Nguyễn Văn Lan")])
    backend.delete([3])
    assert set(ids(search(backend, "nguyen van mai"))) == {5}
    backend.commit()
    assert ids(search(backend, "nguyen van mai")) == []
    assert ids(search(backend, "nguyen van lan")) == [5]
    assert search(backend, "").total == 4


def test_the_index_survives_reopening(open_backend: Opener, tmp_path: Path) -> None:
    first = open_backend(tmp_path / "index")
    first.add(list(CORPUS))
    first.commit()
    first.close()
    assert search(open_backend(tmp_path / "index"), "").total == len(CORPUS)


def test_a_second_writer_raises_and_changes_nothing(open_backend: Opener, tmp_path: Path) -> None:
    first = open_backend(tmp_path / "index")
    first.add(list(CORPUS))
    first.commit()
    with pytest.raises(IndexWriteFailed):
        open_backend(tmp_path / "index").delete([1])
    assert search(first, "").total == len(CORPUS)


def test_a_foreign_directory_is_refused_not_recreated(open_backend: Opener, tmp_path: Path) -> None:
    (tmp_path / "index").mkdir()
    precious = tmp_path / "index" / "notes.txt"
    precious.write_text("not an index", encoding="utf-8")
    with pytest.raises(IndexUnusable):
        open_backend(tmp_path / "index")
    assert precious.read_text(encoding="utf-8") == "not an index"

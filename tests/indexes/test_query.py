"""Our query model: parsed from what people type, stored as JSON, never engine syntax."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexes.query import Query, QueryInvalid, Sort, parse

words = st.tuples() | st.lists(st.text(min_size=1, max_size=12), max_size=3).map(tuple)
codes = st.lists(st.sampled_from(["00", "01", "02", "HT", "TC"]), max_size=3).map(tuple)
years = st.none() | st.integers(1945, 2100)
queries = st.builds(
    Query,
    words=words,
    phrases=words,
    excluded=words,
    prefixes=words,
    office_codes=codes,
    series_codes=codes,
    statuses=codes,
    box_number=st.none() | st.text(max_size=8),
    has_scans=st.none() | st.booleans(),
    sort=st.sampled_from(Sort),
    page=st.integers(1, 500),
    size=st.integers(1, 100),
)


@given(queries)
def test_json_round_trip_keeps_every_part(query: Query) -> None:
    assert Query.from_json(query.to_json()) == query


@given(st.text(max_size=60))
def test_parse_accepts_any_typed_text_and_round_trips(text: str) -> None:
    query = parse(text)
    assert Query.from_json(query.to_json()) == query


def test_parse_reads_words_phrases_exclusions_and_prefixes() -> None:
    query = parse('nguyen thi "mai lan" -"mai táng" -hưởng nguy*')
    assert query.words == ("nguyen", "thi")
    assert query.phrases == ("mai lan",)
    assert query.excluded == ("mai táng", "hưởng")
    assert query.prefixes == ("nguy",)


def test_parse_keeps_a_document_number_with_stray_spaces_as_one_word() -> None:
    assert parse("4027/BHXH – ST 2015").words == ("4027/BHXH – ST", "2015")


def test_parse_normalises_nfd_to_nfc() -> None:
    assert parse("Hu\u031bo\u031b\u0300ng").words == ("Hường",)


def test_parse_takes_filters_sort_and_page() -> None:
    query = parse("x", office_codes=["01"], year_from=2010, year_to=2015, sort="date", page=2)
    assert (query.office_codes, query.year_from, query.sort, query.offset) == (
        ("01",),
        2010,
        Sort.DATE,
        20,
    )


@pytest.mark.parametrize(
    "kwargs",
    [{"page": 0}, {"size": 1000}, {"year_from": 2016, "year_to": 2015}, {"colour": "red"}],
)
def test_parse_refuses_invalid_filters(kwargs: dict[str, object]) -> None:
    with pytest.raises(QueryInvalid):
        parse("x", **kwargs)


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        '{"v": 99}',
        '{"v": 1, "words": "abc"}',
        '{"v": 1, "page": true}',
        '{"v": 1, "q": 1}',
    ],
)
def test_from_json_refuses_what_we_did_not_write(text: str) -> None:
    with pytest.raises(QueryInvalid):
        Query.from_json(text)


def test_stored_json_is_our_model_not_engine_syntax() -> None:
    stored = parse("nguyen -mai", series_codes=["HT"]).to_json()
    assert '"excluded": ["mai"]' in stored
    assert "AND" not in stored and "NOT" not in stored

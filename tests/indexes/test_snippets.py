"""Stored analysed pages give the same best pages and snippets as analysing the text again."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.text import fold
from indexes.analyzer import analyze
from indexes.query import parse
from indexes.snippets import AnalysedPage, TextMatcher, best_pages, page_snippet, snippet
from tests.indexes.test_analyzer import syllables

PAGES = [
    (1, "Ông Nguyễn Văn Hương, mã số BHXH 4801234567, theo Công văn 4027/BHXH – ST."),
    (2, "Hưởng trợ cấp mai táng: nguyễn nguyễn Nguyễn; bà Mai Thị Lan hưởng chế độ."),
    (3, "Không có tên nào ở đây, chỉ có bảo hiểm xã hội và bảo hiểm y tế."),
    (4, ""),
]


TYPED = [
    "nguyen",
    "Nguyễn",
    "huong",
    "Hương",
    '"mai táng"',
    "nguy* nguyen",
    "ngu* nguy*",
    "4027/BHXH-ST",
    "4801234567",
    "bảo hiểm",
    "mai lan",
]


@pytest.mark.parametrize("typed", TYPED)
def test_stored_pages_score_and_snippet_like_plain_text(typed: str) -> None:
    matcher = TextMatcher.for_query(parse(typed))
    stored = [AnalysedPage.from_json(AnalysedPage.of(n, t).to_json()) for n, t in PAGES]
    for page, (_, text) in zip(stored, PAGES, strict=True):
        assert isinstance(page, AnalysedPage)
        assert page.score(matcher) == sum(matcher.weight(t) for t in analyze(text))
    for limit in (1, 3):
        expected = best_pages(PAGES, matcher, limit=limit, chars=60)
        assert best_pages(stored, matcher, limit=limit, chars=60) == expected


def test_an_older_stored_pair_is_analysed_as_before() -> None:
    assert AnalysedPage.from_json([7, "Nguyễn Văn An"]) == (7, "Nguyễn Văn An")


def _analysed_snippet(text: str, matcher: TextMatcher, chars: int) -> object:
    matches = [(t, w) for t in analyze(text) if (w := matcher.weight(t))]
    return snippet(text, matches, chars) if matches else None


@pytest.mark.parametrize("typed", [*TYPED, "st", "bhxh", "2015", "ngày"])
def test_a_page_snippet_is_the_snippet_of_the_whole_page_analysed(typed: str) -> None:
    matcher = TextMatcher.for_query(parse(typed))
    long_page = "Đầu trang. " * 30 + PAGES[0][1] + " Ngày 12/05/2015. " * 20 + PAGES[1][1]
    for text in [*(t for _, t in PAGES), long_page, "Công văn 4027/BHXH-ST và BHXH ST"]:
        expected = _analysed_snippet(text, matcher, 60)
        if expected is not None:
            assert page_snippet(text, matcher, 60) == expected, text


words = st.one_of(syllables, st.sampled_from(["4027/BHXH – ST", "12/05/2015", "YN0405Z", "ǅa"]))


@given(st.lists(words, min_size=1, max_size=120), st.data())
def test_page_snippets_agree_with_analysing_the_whole_page(
    page: list[str], data: st.DataObject
) -> None:
    """Query words are drawn from the page (typed with or without marks, or as a prefix)."""
    text = " ".join(page)
    picked = data.draw(st.lists(st.sampled_from(page), min_size=1, max_size=3))
    typed = [
        data.draw(st.sampled_from([w, fold(w), fold(w)[:2] + "*" if len(w) > 2 else w]))
        for w in picked
    ]
    matcher = TextMatcher.for_query(parse(" ".join(typed)))
    expected = _analysed_snippet(text, matcher, 80)
    assert expected is not None or not matcher.folded
    if expected is not None:
        assert page_snippet(text, matcher, 80) == expected

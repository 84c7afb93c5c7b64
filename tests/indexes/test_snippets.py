"""Stored analysed pages give the same best pages and snippets as analysing the text again."""

from __future__ import annotations

import pytest

from indexes.analyzer import analyze
from indexes.query import parse
from indexes.snippets import AnalysedPage, TextMatcher, best_pages

PAGES = [
    (1, "Ông Nguyễn Văn Hương, mã số BHXH 4801234567, theo Công văn 4027/BHXH – ST."),
    (2, "Hưởng trợ cấp mai táng: nguyễn nguyễn Nguyễn; bà Mai Thị Lan hưởng chế độ."),
    (3, "Không có tên nào ở đây, chỉ có bảo hiểm xã hội và bảo hiểm y tế."),
    (4, ""),
]


@pytest.mark.parametrize(
    "typed",
    [
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
    ],
)
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

"""The Vietnamese analyser: one folding, identifiers kept whole, NFC and NFD alike (issue 4)."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from archive.text import fold
from indexes.analyzer import analyze, exact_terms, folded_terms

BASE_VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
VOWELS = [unicodedata.normalize("NFC", v + t) for v in BASE_VOWELS for t in TONES]
INITIALS = ["", "b", "c", "ch", "d", "đ", "g", "gi", "h", "kh", "l", "m", "n", "ng", "nh", "ph"]
INITIALS += ["qu", "r", "s", "t", "th", "tr", "v", "x"]
FINALS = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"]
LETTERS = "".join(VOWELS) + "bcdđghklmnpqrstvx" + "".join(VOWELS).upper() + "ĐBCNHT"

syllables = st.builds(
    lambda i, v, f, upper: (i + v + f).capitalize() if upper else i + v + f,
    st.sampled_from(INITIALS),
    st.sampled_from(VOWELS),
    st.sampled_from(FINALS),
    st.booleans(),
)
texts = st.text(alphabet=LETTERS + "0123456789 ,./-–\n", max_size=80)


def nfd(value: str) -> str:
    return unicodedata.normalize("NFD", value)


def test_identifiers_stay_single_tokens() -> None:
    text = "Số 4027/BHXH – ST, sổ 4803004239, CCCD 001085012345, đơn vị YN0405Z"
    assert folded_terms(text) == [
        "so",
        "4027/bhxh-st",
        "so",
        "4803004239",
        "cccd",
        "001085012345",
        "don",
        "vi",
        "yn0405z",
    ]


def test_document_numbers_with_stray_spaces_and_dashes_analyse_alike() -> None:
    forms = ["4027/BHXH-ST", "4027/BHXH – ST", "4027 / bhxh - st", "4027/BHXH—ST"]
    assert {tuple(folded_terms(form)) for form in forms} == {("4027/bhxh-st",)}


def test_dates_are_plain_numbers_not_document_numbers() -> None:
    assert folded_terms("ngày 12/05/2015") == ["ngay", "12", "05", "2015"]


def test_exact_form_keeps_diacritics_and_folded_drops_them() -> None:
    assert exact_terms("Hương hưởng ĐẶNG") == ["hương", "hưởng", "đặng"]
    assert folded_terms("Hương hưởng ĐẶNG") == ["huong", "huong", "dang"]


def test_spans_point_into_the_normalised_text() -> None:
    text = "Bà Nguyễn Thị Hương"
    assert [text[t.start : t.end] for t in analyze(text)] == ["Bà", "Nguyễn", "Thị", "Hương"]


@given(texts)
def test_folding_is_idempotent(text: str) -> None:
    folded = folded_terms(text)
    assert all(fold(term) == term for term in folded)
    assert folded_terms(" ".join(folded)) == folded


@given(texts)
def test_nfc_and_nfd_inputs_analyse_identically(text: str) -> None:
    assert analyze(nfd(text)) == analyze(unicodedata.normalize("NFC", text))


@given(st.lists(syllables, min_size=1, max_size=5))
def test_every_syllable_of_a_name_is_findable_folded_and_exact(parts: list[str]) -> None:
    for name in (" ".join(parts), nfd(" ".join(parts))):
        tokens = analyze(name)
        for syllable in parts:
            assert exact_terms(syllable) == [syllable.lower()]
            assert exact_terms(nfd(syllable))[0] in {t.exact for t in tokens}
            assert folded_terms(fold(syllable))[0] in {t.folded for t in tokens}

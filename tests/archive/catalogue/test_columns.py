"""Header matching: Vietnamese headers and English aliases, whatever the marks, case or spacing."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.catalogue.columns import COLUMNS, header_key, match_header
from archive.text import fold

ALL_NAMES = [(c.key, name) for c in COLUMNS for name in (c.vi, c.en, *c.aliases)]


@pytest.mark.parametrize(("key", "name"), ALL_NAMES)
def test_every_header_and_alias_names_its_column(key: str, name: str) -> None:
    assert match_header(name) == key


@pytest.mark.parametrize(
    "text",
    [
        "Số ký hiệu hồ sơ",
        "so ky hieu ho so",
        "SỐ, KÝ HIỆU HỒ SƠ",
        "File code",
        "  Số  ký hiệu\nhồ sơ (*)",
    ],
)
def test_file_code_header_in_its_usual_spellings(text: str) -> None:
    assert match_header(text) == "file_code"


def test_employer_code_and_office_code_stay_apart() -> None:
    assert match_header("Mã đơn vị") == "employer_code"
    assert match_header("Mã đơn vị BHXH") == "district_office"
    assert match_header("Số sổ BHXH") == "passbook_number"
    assert match_header("Mã số BHXH") == "ssn"


def test_unknown_headers_name_nothing() -> None:
    assert match_header("Người lập biểu") is None
    assert match_header("") is None


def _spell(name: str, data: st.DataObject) -> str:
    """The header as a user might type it: marks kept or dropped, any case, odd spacing."""
    text = fold(name) if data.draw(st.booleans(), "folded") else name
    if data.draw(st.booleans(), "decomposed"):
        text = unicodedata.normalize("NFD", text)
    chars = [c.upper() if data.draw(st.booleans()) else c.lower() for c in text]
    out = []
    for c in chars:
        if c == " ":
            c = data.draw(st.sampled_from([" ", "  ", "\t", " - ", ", ", "_", ""]), "gap")
        out.append(c)
    pad = data.draw(st.sampled_from(["", " ", "  ", "\n", "*"]), "pad")
    return pad + "".join(out) + pad


@given(st.sampled_from(ALL_NAMES), st.data())
def test_matching_ignores_marks_case_spaces_and_punctuation(
    pair: tuple[str, str], data: st.DataObject
) -> None:
    key, name = pair
    assert match_header(_spell(name, data)) == key


@given(st.text(max_size=30))
def test_header_key_is_idempotent_and_plain(text: str) -> None:
    key = header_key(text)
    assert header_key(key) == key
    assert " " not in key
